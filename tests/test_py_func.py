"""``tf.py_func`` / ``tf.numpy_function`` (op types, values, stateful calls, the callable's errors as TensorFlow's
classes, wrong returned dtypes and counts) and the numerics checks ``tf.verify_tensor_all_finite`` and
``tf.add_check_numerics_ops``, against TensorFlow 2.21 (tests/golden/make_py_func.py)."""
import json
import os

import pytest

import minitf as tf
from golden import program_runs
from golden import py_func_programs as programs

RECORD = json.load(open(os.path.join(os.path.dirname(__file__), "golden", "py_func.json")))


@pytest.mark.parametrize("name", list(programs.PROGRAMS))
def test_programs_match_tensorflow(name):
    program_runs.assert_same_run(program_runs.run(tf, programs.PROGRAMS[name]), RECORD["programs"][name])


@pytest.mark.parametrize("name", list(programs.ERRORS))
def test_construction_errors_match_tensorflow(name):
    assert program_runs.construction_error(tf, programs.ERRORS[name]) == RECORD["errors"][name]


def test_attrs_and_graph_def():
    with tf.Graph().as_default() as graph:
        x = tf.constant([1.0])
        y, z = tf.py_func(lambda a: (a, a.astype("int32")), [x], [tf.float32, tf.int32], stateful=False)
        assert y.op.type == "PyFuncStateless" and y.shape.ndims is None
        assert y.op.get_attr("Tin") == [tf.float32] and y.op.get_attr("Tout") == [tf.float32, tf.int32]
        assert y.op.get_attr("token").startswith("pyfunc_")
        node = graph.as_graph_def().node[1]
        assert node.op == "PyFuncStateless" and list(node.attr["Tout"].list.type) == [1, 3]


def test_error_names_the_op():
    with tf.Graph().as_default():
        y = tf.py_func(lambda a: 1 / 0, [tf.constant(1.0)], tf.float32, name="divide")
        with tf.Session() as sess, pytest.raises(tf.errors.UnknownError) as info:
            sess.run(y)
    assert info.value.op is y.op
    assert info.value.message.startswith("ZeroDivisionError: division by zero\nTraceback")
    assert "[[node divide" in info.value.message
