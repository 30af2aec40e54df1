"""Records TensorFlow 2.21's summaries for tests/test_summary.py: for each program in tests/summary_cases.py, the
serialized Summary bytes (hex) and the graph's (node name, op type) pairs.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_summary.py   (writes tests/golden/summary.json)
"""
import json
import os
import sys

import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from summary_cases import CASES  # noqa: E402

golden = {}
for name, case in CASES.items():
    tf.reset_default_graph()
    merged = case(tf)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        serialized = sess.run(merged)
    golden[name] = {"summary": serialized.hex(),
                    "nodes": [[op.name, op.type] for op in tf.get_default_graph().get_operations()]}
with open(os.path.join(HERE, "summary.json"), "w") as f:
    json.dump(golden, f, indent=0)
print("recorded", len(golden), "cases")
