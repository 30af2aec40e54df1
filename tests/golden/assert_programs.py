"""The ``tf.assert_*`` / ``tf.debugging`` programs of tests/golden/make_asserts.py (TensorFlow) and
tests/test_asserts.py (minitf); each takes the library as ``tf`` (see program_runs.py). PROGRAMS fail or pass at
run time; ERRORS are decided at graph construction."""
import numpy as np


def _checked(tf, check, value):
    """``value`` through an Identity that waits for ``check``."""
    with tf.control_dependencies([check]):
        return tf.identity(value)


def binary(tf):
    """Each binary check passing and failing at run time on fed values, with data, message and summarize."""
    x = tf.placeholder(tf.float32, [3], name="x")
    y = tf.placeholder(tf.float32, [3], name="y")
    i = tf.placeholder(tf.int32, [2], name="i")
    out = {}
    for op_name in ("assert_equal", "assert_none_equal", "assert_less", "assert_less_equal", "assert_greater",
                    "assert_greater_equal"):
        check = getattr(tf, op_name)
        out[op_name] = _checked(tf, check(x, y), x)
        out[op_name + "_self"] = _checked(tf, check(x, x + 0.0, message="self", summarize=2), x)
        out[op_name + "_int"] = _checked(tf, check(i, tf.constant([1, 2]), name="ints"), i)
    out["debugging"] = _checked(tf, tf.debugging.assert_equal(x, y, data=[x, "custom", y]), y)
    out["broadcast"] = _checked(tf, tf.assert_less(x, 2.5), x)
    out["same"] = _checked(tf, tf.assert_equal(x, x), x)
    return out, {x: np.array([1.0, 2.0, 3.0], np.float32), y: np.array([1.0, 5.0, 0.0], np.float32),
                 i: np.array([1, 3], np.int32)}


def sign(tf):
    x = tf.placeholder(tf.float32, [None], name="x")
    out = {}
    for op_name in ("assert_positive", "assert_negative", "assert_non_negative", "assert_non_positive"):
        out[op_name] = _checked(tf, getattr(tf, op_name)(x), x)
        out[op_name + "_message"] = _checked(tf, getattr(tf.debugging, op_name)(x, message="sign", name="s"), x)
    return out, {x: np.array([0.0, -1.0, 2.0], np.float32)}


def sign_pass(tf):
    x = tf.placeholder(tf.int32, [None], name="x")
    return {"positive": _checked(tf, tf.assert_positive(x), x), "non_negative": _checked(tf, tf.assert_non_negative(
        x), x)}, {x: np.array([1, 2], np.int32)}


def ranks(tf):
    """Ranks known only at run time; static checks that pass build a NoOp; assert_scalar, assert_type and
    assert_integer that pass; is_numeric_tensor."""
    x = tf.placeholder(tf.float32, None, name="x")
    s = tf.placeholder(tf.int32, [], name="s")
    k = tf.constant([[1.0, 2.0]], name="k")
    out = {"rank": _checked(tf, tf.assert_rank(x, 2), x),
           "rank_message": _checked(tf, tf.assert_rank(x, 1, message="need a vector"), x),
           "rank_at_least": _checked(tf, tf.assert_rank_at_least(x, 2), x),
           "rank_at_least_ok": _checked(tf, tf.debugging.assert_rank_at_least(x, 1, name="least"), x),
           "rank_fed": _checked(tf, tf.assert_rank(k, s), k),
           "static_ok": _checked(tf, tf.assert_rank(k, 2), k),
           "static_at_least_ok": _checked(tf, tf.assert_rank_at_least(k, 1), k),
           "scalar": tf.assert_scalar(s) * 2,
           "type": _checked(tf, tf.assert_type(s, tf.int32), s),
           "integer": _checked(tf, tf.assert_integer(s), s),
           "numeric": tf.constant([tf.is_numeric_tensor(k), tf.is_numeric_tensor(tf.constant("a")),
                                   tf.is_numeric_tensor(3.0), tf.debugging.is_numeric_tensor(s)])}
    return out, {x: np.zeros([3], np.float32), s: 2}


def loss_weights(tf):
    """tf.losses' run-time check that weights broadcast to the losses, when their shapes are not static: passing
    (a column, a scalar) and failing (a wrong dimension, a wrong rank)."""
    p = tf.placeholder(tf.float32, [None, 3], name="p")
    w = tf.placeholder(tf.float32, None, name="w")
    loss = tf.losses.mean_squared_error(tf.zeros_like(p), p, weights=w)
    ones = np.ones([2, 3], np.float32)

    def fed(weights):
        return lambda: {p: ones * 2.0, w: weights}
    return {"column": loss, "scalar": loss, "wrong_dim": loss, "wrong_rank": loss}, {
        "column": fed(np.array([[1.0], [3.0]], np.float32)), "scalar": fed(np.float32(2.0)),
        "wrong_dim": fed(np.ones([2, 2], np.float32)), "wrong_rank": fed(np.ones([3], np.float32))}


PROGRAMS = {f.__name__: f for f in (binary, sign, sign_pass, ranks, loss_weights)}
ERRORS = {
    "equal_static": lambda tf: tf.assert_equal(tf.constant([1, 2]), tf.constant([1, 3])),
    "less_static": lambda tf: tf.assert_less(tf.constant([1.0, 2.0]), 1.5, message="too big"),
    "none_equal_static": lambda tf: tf.debugging.assert_none_equal(3, 3),
    "greater_static_data": lambda tf: tf.assert_greater(1, 2, data=["custom", tf.constant(7)]),
    "positive_static": lambda tf: tf.assert_positive(tf.constant([1, -1]), message="pos"),
    "non_positive_static": lambda tf: tf.assert_non_positive(tf.constant([1.5])),
    "rank_static": lambda tf: tf.assert_rank(tf.constant([1.0, 2.0]), 2, message="matrix"),
    "rank_at_least_static": lambda tf: tf.assert_rank_at_least(tf.constant(1.0), 1),
    "rank_not_scalar": lambda tf: tf.assert_rank(tf.constant([1.0]), [1, 2]),
    "rank_float": lambda tf: tf.assert_rank(tf.constant([1.0]), 1.0),
    "scalar": lambda tf: tf.assert_scalar(tf.constant([1.0]), message="scalar please"),
    "type": lambda tf: tf.assert_type(tf.constant([1.0]), tf.int32, message="ints"),
    "integer": lambda tf: tf.assert_integer(tf.constant([1.0])),
    "debugging_type": lambda tf: tf.debugging.assert_type(tf.constant(1), tf.float32),
}
