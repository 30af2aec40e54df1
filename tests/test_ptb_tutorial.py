"""What TensorFlow's PTB language-model tutorial (tutorials/rnn/ptb of tensorflow/models: ptb_word_lm.py, reader.py,
util.py) needed from minitf, against TensorFlow 2.21 (tests/golden/ptb_tutorial.json, make_ptb_tutorial.py):
``tf.nn.xw_plus_b``."""

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


@pytest.mark.parametrize("name", sorted(programs.PROGRAMS))
def test_ops_match_tensorflow(ops_record, name):
    got, want = ops_record[name], GOLDEN["ops"][name]
    assert got["nodes"] == want["nodes"]
    assert sorted(got["outputs"]) == sorted(want["outputs"])
    for key, value in want["outputs"].items():
        np.testing.assert_allclose(got["outputs"][key], value, rtol=1e-6, atol=1e-7, err_msg=key)
    for got_grad, want_grad in zip(got["gradients"], want["gradients"]):
        np.testing.assert_allclose(got_grad, want_grad, rtol=1e-6, atol=1e-7)
