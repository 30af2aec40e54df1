"""Records TensorFlow 2.21's values, dtypes, static shapes and gradients for tests/op_cases.py.

Run with the reference venv:
    ~/tfref/bin/python tests/golden/make_ops.py                 # tests/op_cases.py -> tests/golden/ops.{npz,json}
    ~/tfref/bin/python tests/golden/make_ops.py nn_cases nn     # tests/nn_cases.py -> tests/golden/nn.{npz,json}
    ~/tfref/bin/python tests/golden/make_ops.py longtail_cases longtail nodes
                                    # also records each case's forward graph in tests/golden/longtail_nodes.json
"""
import importlib
import json
import os
import sys

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from op_cases import data  # noqa: E402

MODULE, STEM = sys.argv[1:3] if len(sys.argv) > 2 else ("op_cases", "ops")
CASES = importlib.import_module(MODULE).CASES
NODES = sys.argv[3:] == ["nodes"]

arrays, meta, nodes = {}, {}, {}
for name, case in CASES.items():
    tf.reset_default_graph()
    out, xs = case(tf)
    nodes[name] = [[op.name, op.type] for op in tf.get_default_graph().get_operations()]
    fetches = {"out": out}
    grads = []
    if xs:
        weights = tf.constant(data(*out.shape.as_list(), seed=99, low=0.5, high=1.5).astype(out.dtype.as_numpy_dtype))
        grads = tf.gradients(tf.reduce_sum(out * weights), xs)
        fetches["grads"] = {i: tf.convert_to_tensor(g) for i, g in enumerate(grads) if g is not None}
    with tf.Session() as sess:
        values = sess.run(fetches)
    arrays[f"{name}/out"] = values["out"]
    for i, g in values.get("grads", {}).items():
        arrays[f"{name}/grad{i}"] = g
    meta[name] = {"dtype": out.dtype.name, "shape": out.shape.as_list() if out.shape.ndims is not None else None,
                  "grads": [g is not None for g in grads]}
np.savez_compressed(os.path.join(HERE, STEM + ".npz"), **arrays)
with open(os.path.join(HERE, STEM + ".json"), "w") as f:
    json.dump(meta, f, indent=1, sort_keys=True)
if NODES:
    with open(os.path.join(HERE, STEM + "_nodes.json"), "w") as f:
        json.dump(nodes, f, indent=0, sort_keys=True)
print("recorded", len(meta), "cases")
