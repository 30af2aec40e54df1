"""``tf.map_fn``, ``tf.scan``, ``tf.foldl`` and ``tf.foldr`` against TensorFlow 2.21's v1 control flow
(tests/golden/make_functional.py): the graphs node for node (TensorArrays unstacked, read and written in a while
loop, stacked), values over nested inputs and outputs, fed lengths, reversal and initializers, static shapes,
gradients, and construction errors."""
import json
import os

import pytest

import minitf as tf
from golden import functional_programs as programs
from golden import program_runs

RECORD = json.load(open(os.path.join(os.path.dirname(__file__), "golden", "functional.json")))


@pytest.mark.parametrize("name", list(programs.PROGRAMS))
def test_programs_match_tensorflow(name):
    program_runs.assert_same_run(program_runs.run(tf, programs.PROGRAMS[name]), RECORD["programs"][name])


@pytest.mark.parametrize("name", list(programs.GRADIENT_PROGRAMS))
def test_gradients_match_tensorflow(name):
    """TensorFlow's gradient loops: the TensorArray gradients inside the while loop's gradient."""
    program_runs.assert_same_run(program_runs.run(tf, programs.GRADIENT_PROGRAMS[name]), RECORD["programs"][name])


@pytest.mark.parametrize("name", list(programs.ERRORS))
def test_construction_errors_match_tensorflow(name):
    assert program_runs.construction_error(tf, programs.ERRORS[name]) == RECORD["errors"][name]
