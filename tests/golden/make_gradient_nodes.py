"""Records the gradient graphs (node names, op types, inputs) TensorFlow 2.21 builds for
tests/gradient_node_cases.py.

    ~/tfref/bin/python tests/golden/make_gradient_nodes.py      # -> tests/golden/gradient_nodes.json
"""
import json
import os
import sys

import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import gradient_node_cases  # noqa: E402
import longtail_cases  # noqa: E402

cases = dict(gradient_node_cases.CASES, **{n: longtail_cases.CASES[n] for n in gradient_node_cases.LONGTAIL})
nodes = {name: gradient_node_cases.gradient_nodes(tf, case) for name, case in cases.items()}
with open(os.path.join(HERE, "gradient_nodes.json"), "w") as f:
    json.dump(nodes, f, indent=0, sort_keys=True)
print("recorded", len(nodes), "gradient graphs")
