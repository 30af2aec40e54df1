"""The examples run as a user runs them and print what TensorFlow prints (tests/golden/make_examples.py)."""

import os
import re

import numpy as np

from helpers import ROOT, golden, run_python

GOLDEN = golden("golden/examples.json")


def _numbers(line):
    return [float(x) for x in re.findall(r"-?\d+\.\d+(?:e-?\d+)?", line)]


def test_linear_regression_example_prints_tensorflows_numbers(tmp_path):
    out = run_python(os.path.join(ROOT, "examples", "linear_regression.py"), tmp_path).stdout
    ours = [line for line in out.splitlines() if line.startswith(("Round", "Restored"))]
    theirs = GOLDEN["linear_regression"]["lines"]
    assert len(ours) == len(theirs)
    assert ours[0] == theirs[0]  # the seeded initial weight and the first step: identical digits
    for mine, reference in zip(ours, theirs):
        # later rounds: to float32 rounding (TensorFlow's grappler reassociates; see docs/exactness.md)
        np.testing.assert_allclose(_numbers(mine), _numbers(reference), rtol=1e-6)
    assert sorted(os.listdir(tmp_path / "checkpoint")) == GOLDEN["linear_regression"]["checkpoint_files"]
    assert (tmp_path / "graph.pbtxt").exists() and os.listdir(tmp_path / "tb")
    assert "Graph picture:" in out


def test_cifar10_example_trains_checkpoints_and_evaluates(tmp_path):
    train_dir, eval_dir = tmp_path / "train", tmp_path / "eval"
    example = os.path.join(ROOT, "examples", "cifar10")
    train = run_python(os.path.join(example, "cifar10_train.py"), "--max_steps=3", f"--train_dir={train_dir}",
                       "--batch_size=32")
    assert re.search(r"step 0, loss = \d+\.\d+", train.stdout)
    assert {"checkpoint", "model.ckpt-2.index", "model.ckpt-2.meta"} <= set(os.listdir(train_dir))
    evaluation = run_python(os.path.join(example, "cifar10_eval.py"), f"--checkpoint_dir={train_dir}",
                            f"--eval_dir={eval_dir}", "--batch_size=32")
    precision = float(re.search(r"precision @ 1 = (\d\.\d+)", evaluation.stdout).group(1))
    assert 0.0 <= precision <= 1.0 and os.listdir(eval_dir)


def test_linear_regression_graph_is_not_cluttered_by_its_prints_and_says_how_to_get_pictures(tmp_path):
    bin_dir = tmp_path / "bin"  # a PATH without graphviz's dot
    bin_dir.mkdir()
    out = run_python(os.path.join(ROOT, "examples", "linear_regression.py"), tmp_path / "o",
                     extra_env={"PATH": str(bin_dir)}).stdout
    assert "graph.dot" in out and "install graphviz" in out
    graph = (tmp_path / "o" / "graph.pbtxt").read_text()
    assert "strided_slice" not in graph  # printing the weights fetched the variables, adding no ops
