"""Records TensorFlow 2.21's ``tf.compat.v1.metrics`` for tests/test_metrics.py.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_metrics.py  (writes tests/golden/metrics.json)
For each program of metrics_programs.py: the graph's nodes ([name, op type]), the LOCAL_VARIABLES and
METRIC_VARIABLES collections, the tensors in the "values" and "updates" collections, each metric's value and update
tensor names, and per batch the update ops' results, then the values after all batches.
"""
import json
import os

import numpy as np
import tensorflow.compat.v1 as tf

import metrics_programs as programs
from tf_sessions import kernels_only_config

tf.disable_v2_behavior()
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "metrics.json")


def record(build):
    with tf.Graph().as_default() as graph:
        feeds, metrics = build(tf)
        nodes = [[op.name, op.type] for op in graph.get_operations()]
        result = {"nodes": nodes,
                  "local_variables": [[v.name, v.shape.as_list()] for v in tf.local_variables()],
                  "metric_variables": [v.name for v in tf.get_collection(tf.GraphKeys.METRIC_VARIABLES)],
                  "global_variables": [v.name for v in tf.global_variables()],
                  "collections": {k: [t.name for t in tf.get_collection(k)] for k in ("values", "updates")},
                  "names": {k: [v.name, u.name] for k, (v, u) in metrics.items()}}
        values = {k: v for k, (v, _) in metrics.items()}
        updates = {k: u for k, (_, u) in metrics.items()}
        with tf.Session(config=kernels_only_config()) as sess:
            sess.run(tf.local_variables_initializer())
            steps = []
            for step in range(programs.STEPS):
                feed = {p: batches[step] for p, batches in feeds}
                steps.append({k: np.asarray(v).tolist() for k, v in sess.run(updates, feed).items()})
            result["updates"] = steps
            result["values"] = {k: np.asarray(v).tolist() for k, v in sess.run(values).items()}
    return result


def main():
    result = {name: record(build) for name, build in programs.PROGRAMS.items()}
    result["errors"] = {case: programs.run_error(tf, case) for case in programs.ERROR_CASES}
    assert None not in result["errors"].values(), result["errors"]
    with open(OUT, "w") as f:
        json.dump(result, f, separators=(",", ":"))
        f.write("\n")
    print("recorded", len(result), "programs")


if __name__ == "__main__":
    main()
