"""Core programs shared by tests/golden/make_core.py (run under TensorFlow) and tests/test_core.py /
tests/test_export.py (run under minitf). Each takes the ``tf`` module to run on and builds in the default graph
(the scoped graph in a new one)."""

import numpy as np


def linear_regression(tf, global_step=False, config=None):
    """seeds/000's first listing with a fixed data set and initial weight (no randomness): every tenth step's
    ``[step, weight, bias, loss(, global_step)]``."""
    x_data = np.linspace(0, 1, 100).astype(np.float32)
    y_data = x_data * 0.1 + 0.3
    weight = tf.Variable(tf.constant([-0.4]), dtype=np.float32, name="weight")
    bias = tf.Variable(tf.zeros(shape=[1]), dtype=np.float32, name="bias")
    y = weight * x_data + bias
    loss = tf.reduce_mean(tf.square(y - y_data))
    step = tf.Variable(0, dtype=tf.int32, trainable=False, name="global_step") if global_step else None
    training = tf.train.GradientDescentOptimizer(0.5).minimize(loss, global_step=step)
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


def scoped_graph(tf):
    """seeds/000's third listing, in a new graph: name scopes 'linear' and 'gradient_descent'. Returns the graph and
    its loss, training op and init op."""
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
            training = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
            init = tf.global_variables_initializer()
    return graph, loss, training, init


def unique_names(tf):
    """The names of Consts and name scopes made unique, case-insensitively, and a re-entered scope."""
    out = []
    for n in ["a", "a", "a_1", "a", "A", None, None, "a_2"]:
        out.append(tf.constant(1, name=n).op.name if n else tf.constant(1).op.name)
    with tf.name_scope("s") as s1:
        pass
    with tf.name_scope("s") as s2:
        pass
    with tf.name_scope("s/") as s3:
        c = tf.constant(1, name="c")
    return out + [s1, s2, s3, c.op.name]


def scope_names(tf):
    """Variable names under variable scopes with reuse, AUTO_REUSE, a name scope inside, a re-entered scope object
    and reuse_variables(); last, whether the reused variables are the same objects."""
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


def operator_expressions(tf):
    """Python operators and indexing on tensors: name -> Tensor."""
    a = tf.constant([[1.0, -2.0], [3.0, 4.5]])
    b = tf.constant([[0.5, 2.0], [-1.0, 3.0]])
    i = tf.constant([7, -3])
    j = tf.constant([2, 2])
    return {"add": a + b, "sub": a - b, "mul": a * b, "div": a / b, "floordiv": a // b, "mod": a % b,
            "pow": abs(a) ** b, "matmul": a @ b, "neg": -a, "lt": a < b, "idiv": i // j, "imod": i % j,
            "itruediv": i / j, "radd": 1 + a, "rsub": 1 - a, "rdiv": 1 / a, "slice": a[1], "slice2": a[:, 1],
            "slice3": a[::-1, 1:], "newaxis": a[None, 0, ...]}
