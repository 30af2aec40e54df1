"""``tf.assert_*`` and ``tf.debugging`` checks against TensorFlow 2.21 (tests/golden/make_asserts.py): static
checks raise at graph construction with TensorFlow's class and message, the others fail at run time with the
Assert op's InvalidArgumentError message (data, message prefix, summarize), and passing checks let values
through."""
import json
import os

import pytest

import minitf as tf
from golden import assert_programs as programs
from golden import program_runs

RECORD = json.load(open(os.path.join(os.path.dirname(__file__), "golden", "asserts.json")))


@pytest.mark.parametrize("name", list(programs.PROGRAMS))
def test_programs_match_tensorflow(name):
    got, want = program_runs.run(tf, programs.PROGRAMS[name]), RECORD["programs"][name]
    program_runs.assert_same_run(got, want)


@pytest.mark.parametrize("name", list(programs.ERRORS))
def test_construction_errors_match_tensorflow(name):
    assert program_runs.construction_error(tf, programs.ERRORS[name]) == RECORD["errors"][name]
