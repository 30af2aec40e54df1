"""Records TensorFlow 2.21's ``tf.compat.v1.layers`` (tf_keras 2.21's legacy layers) for tests/test_layers.py.

Needs tf_keras in the reference venv:  ~/tfref/bin/pip install "tf_keras~=2.21.0"
Run:  ~/tfref/bin/python tests/golden/make_layers.py
Builds the programs of tests/golden/layers_programs.py and writes tests/golden/layers.json, for each program:
the graph's nodes ([name, op type], before the gradients), the global and trainable variables ([name, shape]),
the REGULARIZATION_LOSSES ([name, value]), the UPDATE_OPS' names, the variables' initial values, each output's
name, shape and value, and the gradients of the sum of all outputs wrt the trainable variables and the inputs; and
the ValueError message of each call of layers_programs.ERRORS; and what the layer objects of
layers_programs.layer_objects report (layer_facts: names, variables, updates, losses). Sessions run with grappler's constant folding and
arithmetic optimizer off (see docs/exactness.md).
"""
import json
import os

os.environ["TF_USE_LEGACY_KERAS"] = "1"  # tf.compat.v1.layers needs Keras 2 (tf_keras)

import numpy as np  # noqa: E402
import tensorflow.compat.v1 as tf  # noqa: E402

import layers_programs as programs  # noqa: E402
from tf_sessions import kernels_only_config  # noqa: E402

tf.disable_v2_behavior()
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "layers.json")


def record(build):
    with tf.Graph().as_default() as graph:
        inputs, outputs = build(tf)
        nodes = [[op.name, op.type] for op in graph.get_operations()]
        regularization = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
        update_ops = [op.name for op in tf.get_collection(tf.GraphKeys.UPDATE_OPS)]
        global_vars, trainable = tf.global_variables(), tf.trainable_variables()
        total = tf.add_n([tf.reduce_sum(t) for t in outputs.values()])
        grads = tf.gradients(total, trainable + inputs)
        with tf.Session(config=kernels_only_config()) as sess:
            sess.run(tf.global_variables_initializer())
            initial = sess.run(global_vars)
            values, losses, grad_values = sess.run([outputs, regularization, grads])
    return {"nodes": nodes,
            "variables": [[v.name, v.shape.as_list()] for v in global_vars],
            "trainable": [v.name for v in trainable],
            "update_ops": update_ops,
            "initial": [np.asarray(v).tolist() for v in initial],
            "regularization": [[t.name, float(v)] for t, v in zip(regularization, losses)],
            "outputs": {k: {"name": t.name, "shape": t.shape.as_list(), "value": np.asarray(values[k]).tolist()}
                        for k, t in outputs.items()},
            "grads": [g.tolist() for g in grad_values]}


def main():
    errors = {name: programs.error_message(tf, statements) for name, statements in programs.ERRORS.items()}
    assert None not in errors.values(), errors
    result = {"programs": {name: record(build) for name, build in programs.PROGRAMS.items()}, "errors": errors,
              "layer_facts": programs.layer_facts(tf)}
    with open(OUT, "w") as f:
        json.dump(result, f, separators=(",", ":"))
        f.write("\n")
    print("recorded", len(result["programs"]), "programs,", len(errors), "errors")


if __name__ == "__main__":
    main()
