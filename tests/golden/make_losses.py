"""Records TensorFlow 2.21's ``tf.compat.v1.losses`` for tests/test_losses.py.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_losses.py
Builds the programs of tests/golden/losses_programs.py and writes tests/golden/losses.json:
  variants   for each loss variant, every (Reduction, kind of weights) loss built in one graph: the loss tensor's
             name, dtype, static shape, value and gradient wrt the predictions/logits; the graph's nodes
             ([name, op type], before the gradients) and the LOSSES collection
  scenarios  scopes, loss collections, get_variable regularizers, get_total_loss / get_regularization_loss,
             compute_weighted_loss on float64 losses: names and values; the public names of tf.losses
  errors     the ValueError message of each call of losses_programs.ERRORS
Sessions run with grappler's constant folding and arithmetic optimizer off (see docs/exactness.md).
"""
import json
import os

import numpy as np
import tensorflow.compat.v1 as tf

import losses_programs as programs
from tf_sessions import kernels_only_config

tf.disable_v2_behavior()
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "losses.json")


def record_variant(name):
    with tf.Graph().as_default() as graph:
        losses, x = programs.build_variant(tf, name)
        nodes = [[op.name, op.type] for op in graph.get_operations()]
        collection = [t.name for t in tf.get_collection(tf.GraphKeys.LOSSES)]
        grads = [tf.gradients(loss, x)[0] for loss in losses]
        with tf.Session(config=kernels_only_config()) as sess:
            values, grad_values = sess.run([losses, grads])
    return {"nodes": nodes, "collection": collection,
            "losses": [{"name": t.name, "dtype": t.dtype.name, "shape": t.shape.as_list(),
                        "value": np.asarray(v).tolist(), "grad": g.tolist()}
                       for t, v, g in zip(losses, values, grad_values)]}


def record_scenarios():
    with tf.Graph().as_default():
        facts, run = programs.scenarios(tf)
        with tf.Session(config=kernels_only_config()) as sess:
            sess.run(tf.global_variables_initializer())
            facts["values"] = {k: np.asarray(v).tolist() for k, v in sess.run(run).items()}
    with tf.Graph().as_default():
        none = tf.losses.get_regularization_loss()
        facts["no_regularization"] = [none.name, none.op.type]
    facts["reduction_all"] = list(tf.losses.Reduction.all())
    facts["public_names"] = sorted(name for name in dir(tf.losses) if not name.startswith("_"))
    return facts


def main():
    errors = {name: programs.error_message(tf, expression) for name, expression in programs.ERRORS.items()}
    assert None not in errors.values(), errors
    record = {"variants": {name: record_variant(name) for name in programs.VARIANTS},
              "scenarios": record_scenarios(), "errors": errors}
    with open(OUT, "w") as f:
        json.dump(record, f, separators=(",", ":"))
        f.write("\n")
    print("recorded", len(record["variants"]), "variants,", len(errors), "errors")


if __name__ == "__main__":
    main()
