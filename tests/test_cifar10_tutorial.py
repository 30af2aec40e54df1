"""TensorFlow's own CIFAR-10 tutorial (tests/tutorials/cifar10, vendored unmodified) runs on minitf: a few queue-fed
training steps through MonitoredTrainingSession with its hooks, then cifar10_eval.py --run_once restores the moving
averages from the checkpoint and prints precision @ 1, on small generated files in CIFAR-10's format.

The tutorial sets no random seed, so its losses as published are not comparable with TensorFlow's; compared with
TensorFlow 2.21 running the same files (tests/golden/cifar10_tutorial.json, make_cifar10_tutorial.py) are the printed
lines' shapes, the checkpoints written and their variables, and the summaries' tags and steps. Run seeded, with one
preprocessing thread and a full shuffle queue before each step (set from outside the tutorial's files, see
cifar10_tutorial_cases.SEEDED), its first losses are TensorFlow's: every random stream (the filename shuffle, the
crop, flip, brightness and contrast distortions, the shuffle queue, the weight initializers) is TensorFlow's."""

import json
import os
import re

import numpy as np
import pytest

import minitf as tf
import cifar10_tutorial_cases as cases

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "golden", "cifar10_tutorial.json")) as _f:
    GOLDEN = json.load(_f)


@pytest.fixture(scope="module")
def run_record():
    return cases.record(cases.MINITF, tf.train.summary_iterator, tf.train.list_variables)


@pytest.mark.parametrize("key", ["train_lines", "eval_lines", "variables", "train_tags", "eval_tags"])
def test_train_then_eval_like_tensorflow(run_record, key):
    assert run_record[key] == GOLDEN[key]


def test_checkpoint_files_like_tensorflow(run_record):
    """Scaffold's default saver is Saver(sharded=True), as in TensorFlow: one data file per device (here two: the
    tutorial's variables are on /cpu:0, the global step on no device), merged under one index."""
    assert run_record["train_files"] == GOLDEN["train_files"]
    assert [f for f in run_record["train_files"] if ".data-" in f] == [
        "model.ckpt-0.data-00000-of-00002", "model.ckpt-0.data-00001-of-00002",
        "model.ckpt-6.data-00000-of-00002", "model.ckpt-6.data-00001-of-00002"]


def test_seeded_losses_equal_tensorflows():
    """Bit for bit with TensorFlow's graph rewriting off; with it on (TensorFlow's default), grappler's rewrites
    change float32 rounding: here steps 0 and 2 differ by one float32 ulp."""
    losses = cases.seeded_losses(cases.MINITF)
    assert losses == GOLDEN["seeded_losses_without_grappler"]
    default = np.float32(GOLDEN["seeded_losses"])
    assert np.all(np.abs(np.float32(losses) - default) <= np.spacing(default))


def test_losses_and_precision_are_sane(tmp_path):
    cases.write_cifar10(str(tmp_path / "data"))
    out = cases.run(str(tmp_path), "cifar10_train.py", cases.train_args(str(tmp_path)), cases.MINITF)
    losses = [float(m) for m in re.findall(r"loss = (\d+\.\d\d)", out)]
    assert len(losses) == 3 and 4.0 < losses[0] < 5.5  # log(10) plus the weight decay terms at initialization
    out = cases.run(str(tmp_path), "cifar10_eval.py", cases.eval_args(str(tmp_path)), cases.MINITF)
    precision = float(re.search(r"precision @ 1 = (\d\.\d{3})", out).group(1))
    assert 0.0 <= precision <= 1.0


def test_missing_data_files_raise_the_tutorials_error(tmp_path):
    data = cases.write_cifar10(str(tmp_path / "data"))
    os.remove(os.path.join(data, "data_batch_3.bin"))
    with pytest.raises(RuntimeError) as info:
        cases.run(str(tmp_path), "cifar10_train.py", cases.train_args(str(tmp_path)), cases.MINITF)
    assert str(info.value).strip().splitlines()[-1] == (
        "ValueError: Failed to find file: " + os.path.join(data, "data_batch_3.bin"))
