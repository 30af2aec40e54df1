"""Core engine behaviour compared with TensorFlow 2.21 (golden values from tests/golden/make_core.py)."""

import numpy as np
import pytest

import core_cases
import minitf as tf
from helpers import golden

GOLDEN = golden("golden/core.json")


pytestmark = pytest.mark.usefixtures("fresh_graph")  # tests/conftest.py


def _linear_regression(global_step=False):
    return core_cases.linear_regression(tf, global_step)


# TensorFlow's default graph rewrites (grappler's constant folding and arithmetic optimizer) reassociate float
# arithmetic, e.g. ``(w * x + b) - y`` into ``(w * x - y) + b``; minitf runs the graph as written. Against
# TensorFlow with those two passes off the curve is identical bit for bit (kernels, reductions in Eigen's order);
# against default TensorFlow it agrees to float32 rounding. See docs/exactness.md.
GRAPPLER_RTOL = 2e-6


@pytest.mark.parametrize("key,global_step", [("linear_regression", False), ("linear_regression_global_step", True)])
def test_linear_regression_follows_tensorflow(key, global_step):
    ours = _linear_regression(global_step)
    theirs = GOLDEN[key]
    assert [r[0] for r in ours] == [r[0] for r in theirs]
    np.testing.assert_allclose([r[1:3] for r in ours], [r[1:3] for r in theirs], rtol=GRAPPLER_RTOL, atol=1e-7)
    np.testing.assert_allclose([r[3] for r in ours], [r[3] for r in theirs], rtol=1e-4, atol=1e-12)
    if global_step:
        assert [r[4] for r in ours] == [r[4] for r in theirs]


def test_linear_regression_is_bit_exact_with_tensorflows_kernels():
    assert _linear_regression(global_step=True) == GOLDEN["linear_regression_kernels_only"]


def test_scoped_graph_has_tensorflows_nodes():
    graph, loss, training, init = core_cases.scoped_graph(tf)
    ours = [(op.name, op.type, [t.name.replace(":0", "") for t in op.inputs] +
             sorted("^" + c.name for c in op.control_inputs)) for op in graph.get_operations()]
    theirs = [(n, t, inputs) for n, t, inputs in GOLDEN["scoped_graph"]]
    assert ours == theirs
    assert (loss.name, training.name, init.name) == ("gradient_descent/loss:0", "gradient_descent/GradientDescent",
                                                     "gradient_descent/init")


def test_unique_names_follow_tensorflow():
    assert core_cases.unique_names(tf) == GOLDEN["unique_names"]


def test_variable_scope_names_and_reuse():
    assert core_cases.scope_names(tf) == GOLDEN["scope_names"]


def test_operators_values_dtypes_and_names():
    exprs = core_cases.operator_expressions(tf)
    with tf.Session() as sess:
        values = sess.run(exprs)
    for key, (value, dtype, name, op_type) in GOLDEN["operators"].items():
        assert values[key].tolist() == value, key
        assert str(values[key].dtype) == dtype, key
        assert (exprs[key].op.name, exprs[key].op.type) == (name, op_type), key


def _error(fn):
    with pytest.raises(Exception) as info:
        fn()
    e = info.value
    return type(e).__name__, e.message if isinstance(e, tf.errors.OpError) else str(e)


def _golden_error(name):
    return GOLDEN["errors"][name]


def test_uninitialized_variable():
    v = tf.Variable([1.0], name="weight")
    with tf.Session() as sess:
        kind, message = _error(lambda: sess.run(v))
    assert kind == _golden_error("uninitialized")[0] == "FailedPreconditionError"
    assert "Attempting to use uninitialized value weight" in message
    assert "Attempting to use uninitialized value weight" in _golden_error("uninitialized")[1]


def test_missing_feed_names_placeholder_and_user_line():
    x = tf.placeholder(tf.float32, shape=[None, 2], name="x")
    with tf.Session() as sess:
        kind, message = _error(lambda: sess.run(x * 2))
    expected = "You must feed a value for placeholder tensor 'x' with dtype float and shape [?,2]"
    assert kind == _golden_error("missing_feed")[0]
    assert expected in message and expected in _golden_error("missing_feed")[1]
    assert "test_core.py" in message


def test_wrong_feed_shape():
    x = tf.placeholder(tf.float32, shape=[None, 2], name="x")
    with tf.Session() as sess:
        assert _error(lambda: sess.run(x * 2, {x: np.zeros([3])})) == tuple(_golden_error("wrong_feed_shape"))


def test_fetch_none():
    tf.constant(1.0)
    with tf.Session() as sess:
        assert _error(lambda: sess.run(None)) == tuple(_golden_error("fetch_none"))


def test_fetch_from_other_graph():
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(1.0)
    tf.constant(2.0)
    with tf.Session() as sess:
        assert _error(lambda: sess.run(c)) == tuple(_golden_error("other_graph"))


@pytest.mark.parametrize("name,build", [
    ("static_shape_mismatch", lambda: tf.constant([1.0, 2.0]) + tf.constant([1.0, 2.0, 3.0])),
    ("dtype_mismatch", lambda: tf.constant([1.0]) + tf.constant([1])),
])
def test_construction_errors(name, build):
    assert _error(build) == tuple(_golden_error(name))


def test_matmul_shape_error():
    kind, message = _error(lambda: tf.matmul(tf.ones([2, 3]), tf.ones([2, 3])))
    golden_kind, golden_message = _golden_error("matmul_mismatch")
    assert kind == golden_kind
    assert message.split("[")[0] == golden_message.split("[")[0]
    assert message.endswith("with input shapes: [2,3], [2,3].")


def test_variable_exists_error_points_at_user_line():
    with tf.variable_scope("vs"):
        tf.get_variable("w", [1])
    with tf.variable_scope("vs"):
        kind, message = _error(lambda: tf.get_variable("w", [1]))
    golden_kind, golden_message = _golden_error("var_exists")
    assert kind == golden_kind
    assert message.split("\n")[0] == golden_message.split("\n")[0]
    assert "test_core.py" in message


@pytest.mark.parametrize("name", ["var_missing", "shared_shape_mismatch"])
def test_variable_scope_errors(name):
    def var_missing():
        with tf.variable_scope("vs", reuse=True):
            tf.get_variable("w", [1])

    def shared_shape_mismatch():
        with tf.variable_scope("vs"):
            tf.get_variable("w", [1])
        with tf.variable_scope("vs", reuse=True):
            tf.get_variable("w", [2])
    assert _error(locals()[name]) == tuple(_golden_error(name))


def test_no_gradients_error():
    v = tf.Variable([1.0], name="v")
    kind, message = _error(lambda: tf.train.GradientDescentOptimizer(0.1).minimize(
        tf.constant(1.0) + 0 * tf.stop_gradient(v)))
    assert (kind, message) == tuple(_golden_error("no_gradients"))


def test_sessions_do_not_share_variables():
    v = tf.Variable(1.0)
    inc = v.assign_add(1.0)
    s1, s2 = tf.Session(), tf.Session()
    s1.run(v.initializer)
    s2.run(v.initializer)
    s1.run(inc)
    assert (s1.run(v), s2.run(v)) == (2.0, 1.0)


def test_fetch_structures():
    import collections
    a, b = tf.constant(1), tf.constant([2, 3])
    Pair = collections.namedtuple("Pair", "x y")
    with tf.Session() as sess:
        out = sess.run({"a": a, "nest": [b, (a, "Const:0")], "pair": Pair(a, b)})
    assert out["a"] == 1 and isinstance(out["nest"][1], tuple)
    assert out["nest"][0].tolist() == [2, 3] and out["pair"].y.tolist() == [2, 3]


def test_fetched_values_are_freed_when_dropped():
    """A fetched array lives as long as the caller holds it, not until the garbage collector runs: a reference
    cycle in the fetch machinery once kept every fetched value (100 MiB per restore+fetch of a big model) alive."""
    import gc
    import weakref
    v = tf.Variable(np.zeros(1000, np.float32))
    with tf.Session() as sess:
        sess.run(v.initializer)
        gc.disable()
        try:
            for fetches in ([v], {"v": v}, (v, v)):
                result = sess.run(fetches)
                first = result["v"] if isinstance(result, dict) else result[0]
                freed = weakref.ref(first)
                del result, first
                assert freed() is None
        finally:
            gc.enable()


def test_eval_and_interactive_session():
    c = tf.constant(3.0) * 2
    sess = tf.InteractiveSession()
    try:
        assert c.eval() == 6.0
    finally:
        sess.close()


def test_gradient_passes_through_placeholder_with_default():
    """TensorFlow 2.21: d/dx sum(placeholder_with_default(x) * 3) is [3., 3.], the Mul_grad output itself."""
    x = tf.constant([1.0, 2.0])
    (grad,) = tf.gradients(tf.reduce_sum(tf.placeholder_with_default(x, [2]) * 3.0), x)
    assert grad.name == "gradients/mul_grad/Mul:0"
    with tf.Session() as sess:
        assert sess.run(grad).tolist() == [3.0, 3.0]


def test_lists_holding_tensors_are_auto_packed_as_in_tensorflow():
    """Node names and types TensorFlow 2.21 builds for these conversions (printed by it for the same program)."""
    x = tf.placeholder(tf.float32, [None, 3])
    batch = tf.shape(x)[0]
    graph = tf.get_default_graph()

    def last(n):
        return [(op.name, op.type) for op in graph.get_operations()[-n:]]

    flat = tf.reshape(x, [batch, -1])
    assert last(3) == [("Reshape/shape/1", "Const"), ("Reshape/shape", "Pack"), ("Reshape", "Reshape")]
    nested = tf.convert_to_tensor([[batch, 2], [3, batch]])
    assert last(5) == [("packed/0/1", "Const"), ("packed/0", "Pack"), ("packed/1/0", "Const"), ("packed/1", "Pack"),
                       ("packed", "Pack")]
    cast = tf.convert_to_tensor([batch, tf.constant(2.0)], dtype=tf.float32)
    assert last(3) == [("Const", "Const"), ("Cast", "Cast"), ("packed_1", "Pack")] and cast.dtype == tf.float32
    noise = tf.random_uniform([batch, 4], seed=1)
    assert last(3) == [("random_uniform/shape/1", "Const"), ("random_uniform/shape", "Pack"),
                       ("random_uniform/RandomUniform", "RandomUniform")]
    assert nested.shape.as_list() == [2, 2] and noise.shape.as_list() == [None, 4]
    with tf.Session() as sess:
        values = sess.run([flat, nested, cast, noise], {x: np.ones((2, 3), np.float32)})
    assert values[0].shape == (2, 3) and values[1].tolist() == [[2, 2], [3, 2]] and values[2].tolist() == [2.0, 2.0]
    assert values[3].shape == (2, 4)
