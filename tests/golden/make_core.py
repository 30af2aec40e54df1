"""Records TensorFlow 2.21 (tf.compat.v1) behaviour for tests/test_core.py.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_core.py
Writes tests/golden/core.json.
"""
import json
import os
import sys

import numpy as np
import tensorflow.compat.v1 as tf

from tf_sessions import kernels_only_config

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import core_cases  # noqa: E402

tf.disable_v2_behavior()
OUT = os.path.join(HERE, "core.json")
golden = {}


def linear_regression(global_step=False, config=None):
    tf.reset_default_graph()
    return core_cases.linear_regression(tf, global_step, config)


golden["linear_regression"] = linear_regression()
golden["linear_regression_global_step"] = linear_regression(global_step=True)
golden["linear_regression_kernels_only"] = linear_regression(global_step=True, config=kernels_only_config())


def scoped_graph_nodes():
    graph = core_cases.scoped_graph(tf)[0]
    return [[n.name, n.op, list(n.input)] for n in graph.as_graph_def().node]


golden["scoped_graph"] = scoped_graph_nodes()


def error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        message = e.message if isinstance(e, tf.errors.OpError) else str(e)
        return [type(e).__name__, message]
    return None


def uninitialized():
    tf.reset_default_graph()
    v = tf.Variable([1.0], name="weight")
    with tf.Session() as sess:
        sess.run(v)


def missing_feed():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, shape=[None, 2], name="x")
    with tf.Session() as sess:
        sess.run(x * 2)


def wrong_feed_shape():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, shape=[None, 2], name="x")
    with tf.Session() as sess:
        sess.run(x * 2, {x: np.zeros([3])})


def fetch_none():
    tf.reset_default_graph()
    tf.constant(1.0)
    with tf.Session() as sess:
        sess.run(None)


def other_graph():
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(1.0)
    tf.reset_default_graph()
    tf.constant(2.0)
    with tf.Session() as sess:
        sess.run(c)


def static_shape_mismatch():
    tf.reset_default_graph()
    tf.constant([1.0, 2.0]) + tf.constant([1.0, 2.0, 3.0])


def dtype_mismatch():
    tf.reset_default_graph()
    tf.constant([1.0]) + tf.constant([1])


def matmul_mismatch():
    tf.reset_default_graph()
    tf.matmul(tf.ones([2, 3]), tf.ones([2, 3]))


def var_exists():
    tf.reset_default_graph()
    with tf.variable_scope("vs"):
        tf.get_variable("w", [1])
    with tf.variable_scope("vs"):
        tf.get_variable("w", [1])


def var_missing():
    tf.reset_default_graph()
    with tf.variable_scope("vs", reuse=True):
        tf.get_variable("w", [1])


def shared_shape_mismatch():
    tf.reset_default_graph()
    with tf.variable_scope("vs"):
        tf.get_variable("w", [1])
    with tf.variable_scope("vs", reuse=True):
        tf.get_variable("w", [2])


def no_gradients():
    tf.reset_default_graph()
    v = tf.Variable([1.0], name="v")
    tf.train.GradientDescentOptimizer(0.1).minimize(tf.constant(1.0) + 0 * tf.stop_gradient(v))


golden["errors"] = {fn.__name__: error(fn) for fn in [
    uninitialized, missing_feed, wrong_feed_shape, fetch_none, other_graph, static_shape_mismatch, dtype_mismatch,
    matmul_mismatch, var_exists, var_missing, shared_shape_mismatch, no_gradients]}


def scope_names():
    tf.reset_default_graph()
    return core_cases.scope_names(tf)


golden["scope_names"] = scope_names()


def unique_names():
    tf.reset_default_graph()
    return core_cases.unique_names(tf)


golden["unique_names"] = unique_names()


def operators():
    tf.reset_default_graph()
    exprs = core_cases.operator_expressions(tf)
    with tf.Session() as sess:
        values = sess.run(exprs)
    return {k: [v.tolist(), str(v.dtype), exprs[k].op.name, exprs[k].op.type] for k, v in values.items()}


golden["operators"] = operators()

with open(OUT, "w") as f:
    json.dump(golden, f, indent=1)
print("wrote", OUT)
