"""Graph-time and run-time checks as TensorFlow does them (issue 15), against tests/golden/make_reliability.py:
the error class, the reason and the op it names, or the value TensorFlow computes."""

import json
import os
import tracemalloc

import pytest

import minitf as tf
from golden import reliability_programs as programs

GOLDEN = json.load(open(os.path.join(os.path.dirname(__file__), "golden", "reliability.json")))["checks"]


def _reason(message):
    """A shape error's reason without TensorFlow's description of the node (``for '{{node x}} = ...'``), which
    minitf words shorter (no ``with computed input tensors``)."""
    return message.split(" for '{{node ")[0]


@pytest.mark.parametrize("name", sorted(programs.CHECK_CASES))
def test_check_matches_tensorflow(name):
    got, expected = programs.run_check(tf, name), GOLDEN[name]
    assert got[0] == expected[0]
    if got[0] == "ok":
        assert got[1] == expected[1]
        return
    assert _reason(got[1]) == _reason(expected[1])
    assert got[2] == expected[2]  # the op named by a run-time error
    if " for '{{node " in expected[1]:  # a shape error names the node as TensorFlow does
        assert expected[1].split(" for '{{node ")[1].split("}}")[0] == got[1].split(" for '{{node ")[1].split("}}")[0]


def test_folded_constant_error_names_the_op_and_the_user_line():
    """A kernel failing on constant inputs fails while the plan is built, but is reported as at run time."""
    with tf.Graph().as_default():
        bad = tf.gather(tf.constant([1, 2, 3]), tf.constant(5), name="pick")
        with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as info:
            sess.run(bad)
    assert info.value.op is bad.op
    assert "[[node pick (defined at " in info.value.message and "test_reliability_checks.py" in info.value.message


def test_constant_of_one_value_for_a_big_shape_allocates_nothing():
    """``tf.constant(0., shape=[2**28])`` keeps one value in the graph (TensorFlow writes one float_val), so
    building allocates nothing; running it allocates the 1 GiB result, as in TensorFlow."""
    tracemalloc.start()
    with tf.Graph().as_default() as graph:
        c = tf.constant(0.0, shape=[2**28])
        graph_def = graph.as_graph_def()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 1 << 20
    assert c.shape.as_list() == [2**28]
    assert list(graph_def.node[0].attr["value"].tensor.float_val) == [0.0]
    with tf.Graph().as_default():
        small = tf.constant(7, shape=[2, 3])
        with tf.Session() as sess:
            assert sess.run(small).tolist() == [[7, 7, 7], [7, 7, 7]]
