"""``tf.TensorArray`` outside loops against TensorFlow 2.21's v1 TensorArray (tests/golden/make_tensor_array.py):
node names and op types, values and static shapes of read/stack/gather/concat/size after write/unstack/scatter/split,
``clear_after_read``, ``dynamic_size``, ``element_shape``, ``infer_shape``, TensorFlow's run-time errors and
construction errors, and gradients (two ``tf.gradients`` calls on one array)."""
import json
import os

import pytest

import minitf as tf
from golden import program_runs
from golden import tensor_array_programs as programs

RECORD = json.load(open(os.path.join(os.path.dirname(__file__), "golden", "tensor_array.json")))


@pytest.mark.parametrize("name", list(programs.PROGRAMS))
def test_programs_match_tensorflow(name):
    program_runs.assert_same_run(program_runs.run(tf, programs.PROGRAMS[name]), RECORD["programs"][name])


@pytest.mark.parametrize("name", list(programs.ERRORS))
def test_construction_errors_match_tensorflow(name):
    assert program_runs.construction_error(tf, programs.ERRORS[name]) == RECORD["errors"][name]


def test_each_run_makes_a_fresh_array():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2])
        stacked = tf.TensorArray(tf.float32, size=2).unstack(x).stack()
        with tf.Session() as sess:
            assert sess.run(stacked, {x: [1, 2]}).tolist() == [1, 2]
            assert sess.run(stacked, {x: [3, 4]}).tolist() == [3, 4]
