"""What TensorFlow's PTB language-model tutorial (tutorials/rnn/ptb of tensorflow/models: ptb_word_lm.py, reader.py,
util.py) needed from minitf, against TensorFlow 2.21 (tests/golden/ptb_tutorial.json, make_ptb_tutorial.py):
``tf.nn.xw_plus_b`` and ``tf.contrib.seq2seq.sequence_loss`` (TensorFlow 1.15's)."""

import json
import os
import sys

import numpy as np
import pytest

import minitf as tf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "golden"))
import ptb_ops_programs as programs  # noqa: E402

with open(os.path.join(HERE, "golden", "ptb_tutorial.json")) as _f:
    GOLDEN = json.load(_f)


@pytest.fixture(scope="module")
def ops_record():
    return programs.record(tf, tf.contrib)


# Nodes of other functions that sequence_loss calls, where minitf's graph is not yet TensorFlow's (their values and
# gradients are): sparse_softmax_cross_entropy_with_logits lacks the labels-shape Const (``.../Shape``) TensorFlow
# adds, count_nonzero names its zero ``Const`` where TensorFlow's says ``zeros``, and the gradients of full
# reductions of scalars and of reduce_max take the dynamic-shape path where TensorFlow's know the shapes statically.
_NOT_YET_TENSORFLOWS = ("/SparseSoftmaxCrossEntropyWithLogits/", "/count_nonzero/", "gradients/")


def _own_nodes(record, name):
    if name == "xw_plus_b":
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


def test_sequence_loss_errors_match_tensorflow(ops_record):
    assert ops_record["sequence_loss_errors"] == GOLDEN["ops"]["sequence_loss_errors"]
