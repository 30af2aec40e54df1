"""The ``tf.map_fn`` / ``tf.scan`` / ``tf.foldl`` / ``tf.foldr`` programs and TensorArrays inside a while loop, of
tests/golden/make_functional.py (TensorFlow) and tests/test_functional.py (minitf); each takes the library as
``tf`` (see program_runs.py). GRADIENT_PROGRAMS differentiate through the loops."""
import numpy as np


def _data(shape, seed):
    return np.random.default_rng(seed).uniform(-1.0, 1.0, size=shape).astype(np.float32)


def map_fn(tf):
    """One input, nested inputs with dtype, a fed length (0, 1 and many rows), and a name."""
    x = tf.constant(_data([4, 3], 1), name="x")
    p = tf.placeholder(tf.float32, [None, 2], name="p")
    out = {"square": tf.map_fn(lambda r: r * r + 1.0, x),
           "pair": tf.map_fn(lambda ab: (ab[0] * 2.0, tf.reduce_sum(ab[1])), (x, x), dtype=(tf.float32, tf.float32)),
           "to_int": tf.map_fn(lambda r: tf.cast(tf.argmax(r), tf.int32), x, dtype=tf.int32, name="argmaxes"),
           "fed": tf.map_fn(lambda r: tf.reduce_sum(r) * 3.0, p),
           "static_shape": tf.constant(str(tf.map_fn(lambda r: r[:2], x).shape.as_list()))}
    return out, {p: _data([5, 2], 2)}


def map_fn_lengths(tf):
    p = tf.placeholder(tf.float32, [None, 2], name="p")
    y = tf.map_fn(lambda r: r - 1.0, p)
    return {"one": y}, {p: _data([1, 2], 3)}


def scan(tf):
    """Without and with an initializer, reversed, tuple accumulators, a static shape."""
    x = tf.constant(_data([5, 2], 4), name="x")
    out = {"cumsum": tf.scan(lambda a, e: a + e, x),
           "init": tf.scan(lambda a, e: a * 0.5 + tf.reduce_sum(e), x, initializer=tf.constant(1.0)),
           "reverse": tf.scan(lambda a, e: a + e, x, reverse=True, name="rscan"),
           "tuple": tf.scan(lambda a, e: (a[0] + e, a[1] * 2.0), x,
                            initializer=(tf.zeros([2]), tf.constant(1.0))),
           "reverse_init": tf.scan(lambda a, e: a - e, x, initializer=tf.ones([2]), reverse=True)}
    out["static_shape"] = tf.constant(str(out["cumsum"].shape.as_list()))
    return out


def folds(tf):
    x = tf.constant(_data([4, 3], 5), name="x")
    p = tf.placeholder(tf.float32, [None], name="p")
    out = {"foldl": tf.foldl(lambda a, e: a * 2.0 + e, x),
           "foldl_init": tf.foldl(lambda a, e: a + tf.reduce_sum(e), x, initializer=tf.constant(10.0)),
           "foldr": tf.foldr(lambda a, e: a * 2.0 + e, x),
           "foldr_init": tf.foldr(lambda a, e: a - e, p, initializer=tf.constant(0.0), name="fr"),
           "foldl_fed": tf.foldl(lambda a, e: a * e, p)}
    return out, {p: np.array([1.0, 2.0, 3.0], np.float32)}


def array_per_iteration(tf):
    """A TensorArray made inside the loop body: a fresh array on every iteration."""
    x = tf.constant(_data([3, 4], 10), name="x")

    def reverse_row(r):
        ta = tf.TensorArray(tf.float32, size=4).unstack(r)
        return ta.gather([3, 2, 1, 0])
    y = tf.map_fn(reverse_row, x)
    return {"reversed": y, "grad": tf.gradients(y * np.arange(4, dtype=np.float32), x)}


PROGRAMS = {f.__name__: f for f in (map_fn, map_fn_lengths, scan, folds, array_per_iteration)}


def gradients_map_scan(tf):
    x = tf.constant(_data([4, 3], 6), name="x")
    w = tf.constant(_data([3], 7), name="w")
    m = tf.map_fn(lambda r: tf.tanh(r * w), x)
    s = tf.scan(lambda a, e: a * w + e, x)
    f = tf.foldl(lambda a, e: a * e, x)
    out = {"map": tf.gradients(m, [x, w]), "scan": tf.gradients(s, [x, w]), "foldl": tf.gradients(f, x)}
    return out


def gradients_more(tf):
    """foldr, a reversed scan with an initializer, map_fn over a pair, and a fed length."""
    x = tf.constant(_data([3, 2], 8), name="x")
    p = tf.placeholder(tf.float32, [None, 2], name="p")
    init = tf.constant([0.5, -1.0], name="init")
    fr = tf.foldr(lambda a, e: a * e + 1.0, x)
    rs = tf.scan(lambda a, e: tf.sin(a) * e, x, initializer=init, reverse=True)
    pair = tf.map_fn(lambda ab: ab[0] * ab[1], (x, x * 2.0), dtype=tf.float32)
    fed = tf.scan(lambda a, e: a + e * e, p)
    out = {"foldr": tf.gradients(fr, x), "scan_reverse": tf.gradients(rs, [x, init]),
           "pair": tf.gradients(pair, x), "fed": tf.gradients(fed, p), "fed_value": fed}
    return out, {p: _data([4, 2], 9)}


GRADIENT_PROGRAMS = {f.__name__: f for f in (gradients_map_scan, gradients_more)}
ERRORS = {
    "map_scalar": lambda tf: tf.map_fn(lambda r: r, tf.constant(1.0)),
    "map_not_callable": lambda tf: tf.map_fn(3, tf.constant([1.0])),
    "map_lengths_differ": lambda tf: tf.map_fn(lambda ab: ab[0], (tf.zeros([2]), tf.zeros([3]))),
    "scan_lengths_differ": lambda tf: tf.scan(lambda a, e: a, (tf.zeros([2]), tf.zeros([3])),
                                              initializer=tf.constant(0.0)),
}
