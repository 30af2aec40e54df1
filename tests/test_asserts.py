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


# Node differences that come from other op wrappers: array_ops' ones_like of a fully defined shape (TensorFlow:
# Fill of Shape/shape_as_tensor), concat's axis constant (TensorFlow: concat/axis) and a Rank TensorFlow infers.
OTHER_NODES = {"loss_weights": ("/ones_like", "/concat/", "/Rank_1")}


@pytest.mark.parametrize("name", list(programs.PROGRAMS))
def test_programs_match_tensorflow(name):
    got, want = program_runs.run(tf, programs.PROGRAMS[name]), RECORD["programs"][name]
    if name in OTHER_NODES:
        got, want = ({**run, "nodes": [n for n in run["nodes"] if not any(s in n[0] for s in OTHER_NODES[name])]}
                     for run in (got, want))
    program_runs.assert_same_run(got, want)


@pytest.mark.parametrize("name", list(programs.ERRORS))
def test_construction_errors_match_tensorflow(name):
    assert program_runs.construction_error(tf, programs.ERRORS[name]) == RECORD["errors"][name]
