"""Records TensorFlow 2.21 (tf.compat.v1) behaviour for tests/test_core.py.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_core.py
Writes tests/golden/core.json.
"""
import json
import os

import numpy as np
import tensorflow.compat.v1 as tf

from tf_sessions import kernels_only_config

tf.disable_v2_behavior()
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "core.json")
golden = {}


def linear_regression(global_step=False, config=None):
    """seeds/000's first listing with a fixed data set and initial weight (no randomness)."""
    tf.reset_default_graph()
    x_data = np.linspace(0, 1, 100).astype(np.float32)
    y_data = x_data * 0.1 + 0.3
    weight = tf.Variable(tf.constant([-0.4]), dtype=np.float32, name="weight")
    bias = tf.Variable(tf.zeros(shape=[1]), dtype=np.float32, name="bias")
    y = weight * x_data + bias
    loss = tf.reduce_mean(tf.square(y - y_data))
    optimizer = tf.train.GradientDescentOptimizer(0.5)
    step = tf.Variable(0, dtype=tf.int32, trainable=False, name="global_step") if global_step else None
    training = optimizer.minimize(loss, global_step=step)
    rows = []
    with tf.Session(config=config) as sess:
        sess.run(tf.global_variables_initializer())
        for i in range(101):
            sess.run(training)
            if i % 10 == 0:
                row = [i, float(sess.run(weight[0])), float(sess.run(bias[0])), float(sess.run(loss))]
                if global_step:
                    row.append(int(sess.run(step)))
                rows.append(row)
    return rows


golden["linear_regression"] = linear_regression()
golden["linear_regression_global_step"] = linear_regression(global_step=True)
golden["linear_regression_kernels_only"] = linear_regression(global_step=True, config=kernels_only_config())


def scoped_graph_nodes():
    """seeds/000's third listing: name scopes linear and gradient_descent."""
    graph = tf.Graph()
    with graph.as_default():
        x_data = np.random.rand(100).astype(np.float32)
        y_data = x_data * 0.1 + 0.3
        with tf.name_scope("linear"):
            weight = tf.Variable(tf.random_uniform(shape=[1], minval=-1.0, maxval=1.0), dtype=np.float32,
                                 name="weight")
            bias = tf.Variable(tf.zeros(shape=[1]), dtype=np.float32, name="bias")
            y = weight * x_data + bias
        with tf.name_scope("gradient_descent"):
            loss = tf.reduce_mean(tf.square(y - y_data), name="loss")
            optimizer = tf.train.GradientDescentOptimizer(0.5)
            training = optimizer.minimize(loss)
            init = tf.global_variables_initializer()
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
    names = []
    with tf.variable_scope("vs"):
        w = tf.get_variable("w", [2], initializer=tf.zeros_initializer())
        v = tf.Variable(1.0, name="v")
        a = tf.add(w, 1.0)
    with tf.variable_scope("vs", reuse=True):
        w2 = tf.get_variable("w", [2])
        b = w2 * 2
    with tf.variable_scope("vs", reuse=tf.AUTO_REUSE):
        w3 = tf.get_variable("w", [2])
        u = tf.get_variable("u", [3])
    with tf.variable_scope("vs2"):
        with tf.name_scope("inner"):
            u2 = tf.get_variable("u", [1])
            q = tf.Variable(2.0, name="q")
    with tf.variable_scope("outer") as outer_scope:
        pass
    with tf.variable_scope(outer_scope):
        o = tf.get_variable("o", [1])
        oo = tf.identity(o)
    with tf.variable_scope("rv") as scope:
        r1 = tf.get_variable("r", [1])
        scope.reuse_variables()
        r2 = tf.get_variable("r", [1])
    names = [t.name for t in [w, v, a, w2, b, w3, u, u2, q, o, oo, r1, r2]]
    names.append(w is w2 and w2 is w3 and r1 is r2)
    return names


golden["scope_names"] = scope_names()


def unique_names():
    tf.reset_default_graph()
    out = []
    for n in ["a", "a", "a_1", "a", "A", None, None, "a_2"]:
        out.append(tf.constant(1, name=n).op.name if n else tf.constant(1).op.name)
    with tf.name_scope("s") as s1:
        pass
    with tf.name_scope("s") as s2:
        pass
    with tf.name_scope("s/") as s3:
        c = tf.constant(1, name="c")
    out += [s1, s2, s3, c.op.name]
    return out


golden["unique_names"] = unique_names()


def operators():
    tf.reset_default_graph()
    a = tf.constant([[1.0, -2.0], [3.0, 4.5]])
    b = tf.constant([[0.5, 2.0], [-1.0, 3.0]])
    i = tf.constant([7, -3])
    j = tf.constant([2, 2])
    exprs = {"add": a + b, "sub": a - b, "mul": a * b, "div": a / b, "floordiv": a // b, "mod": a % b,
             "pow": abs(a) ** b, "matmul": a @ b, "neg": -a, "lt": a < b, "idiv": i // j, "imod": i % j,
             "itruediv": i / j, "radd": 1 + a, "rsub": 1 - a, "rdiv": 1 / a, "slice": a[1], "slice2": a[:, 1],
             "slice3": a[::-1, 1:], "newaxis": a[None, 0, ...]}
    with tf.Session() as sess:
        values = sess.run(exprs)
    return {k: [v.tolist(), str(v.dtype), exprs[k].op.name, exprs[k].op.type] for k, v in values.items()}


golden["operators"] = operators()

with open(OUT, "w") as f:
    json.dump(golden, f, indent=1)
print("wrote", OUT)
