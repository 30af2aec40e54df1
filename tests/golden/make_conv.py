"""Records TensorFlow 2.21's answers for tests/conv_cases.py into tests/golden/conv.{npz,json}.

    ~/tfref/bin/python tests/golden/make_conv.py

Per case: output value, dtype, static shape and the gradients of ``reduce_sum(output * weights)``; for
``GRAPH_CASES`` the gradient ops of ``GRAPH_OP_TYPES`` (name, type, inputs); for ``SHAPE_ERRORS`` the ValueError
message; for ``STATIC_SHAPES`` the inferred shape; for ``NODE_CASES``
the case's graph node by node; and the small conv net's ten training losses.
"""
import json
import os
import sys

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import conv_cases  # noqa: E402
from op_cases import data  # noqa: E402


def node_defs(graph):
    """[name, type, inputs, attrs] of every node; a Const's attrs are its dtype and (small) value."""
    nodes = []
    for op in graph.get_operations():
        if op.type == "Const":
            value = tf.make_ndarray(op.get_attr("value"))
            attrs = {"dtype": op.get_attr("dtype").name, "value": value.tolist() if value.size <= 16 else None}
        else:
            attrs = {k: conv_cases.attr_json(op.get_attr(k)) for k in sorted(op.node_def.attr)}
        nodes.append([op.name, op.type, [t.name for t in op.inputs], attrs])
    return nodes


def gradient_ops(graph):
    return sorted([op.name, op.type, [t.name for t in op.inputs]] for op in graph.get_operations()
                  if op.name.startswith("gradients/") and op.type in conv_cases.GRAPH_OP_TYPES)


arrays, meta = {}, {"cases": {}, "errors": {}, "static_shapes": {}}
for name, case in conv_cases.CASES.items():
    tf.reset_default_graph()
    out, xs = case(tf)
    nodes = node_defs(tf.get_default_graph()) if name in conv_cases.NODE_CASES else None
    weights = tf.constant(data(*out.shape.as_list(), seed=99, low=0.5, high=1.5))
    grads = tf.gradients(tf.reduce_sum(out * weights), xs)
    with tf.Session() as sess:
        value, grad_values = sess.run([out, grads])
    arrays[f"{name}/out"] = value
    for i, g in enumerate(grad_values):
        arrays[f"{name}/grad{i}"] = g
    record = {"dtype": out.dtype.name, "shape": out.shape.as_list()}
    if name in conv_cases.GRAPH_CASES:
        record["gradient_ops"] = gradient_ops(tf.get_default_graph())
    if nodes is not None:
        record["nodes"] = nodes
    meta["cases"][name] = record

for name, build in conv_cases.SHAPE_ERRORS.items():
    tf.reset_default_graph()
    try:
        build(tf)
    except ValueError as e:
        meta["errors"][name] = str(e)
    else:
        raise AssertionError(f"TensorFlow accepted {name}")

for name, build in conv_cases.STATIC_SHAPES.items():
    tf.reset_default_graph()
    shape = build(tf).shape
    meta["static_shapes"][name] = shape.as_list() if shape.ndims is not None else None

tf.reset_default_graph()
meta["train_losses"] = conv_cases.train_losses(tf)

np.savez_compressed(os.path.join(HERE, "conv.npz"), **arrays)
with open(os.path.join(HERE, "conv.json"), "w") as f:
    json.dump(meta, f, indent=1, sort_keys=True)
print("recorded", len(meta["cases"]), "cases,", len(meta["errors"]), "errors,", len(meta["static_shapes"]), "shapes")
