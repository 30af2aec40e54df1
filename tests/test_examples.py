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


WORD2VEC = os.path.join(ROOT, "examples", "word2vec")


def test_word2vec_example_follows_tensorflows_loss_log():
    """examples/word2vec/word2vec.py under minitf and under TensorFlow (tests/golden/make_word2vec.py): same corpus,
    seeds and batches. The first 5 losses have identical digits; after that they differ at most in float32's last
    place (TensorFlow's kernels sum in another order), and the nearest words after 201 steps are the same."""
    import hashlib
    import sys
    import minitf as tf
    sys.path.insert(0, WORD2VEC)
    try:
        import word2vec
    finally:
        sys.path.remove(WORD2VEC)
    theirs = golden("golden/word2vec.json")
    assert hashlib.sha256(" ".join(word2vec.load_corpus()).encode()).hexdigest() == theirs["corpus_sha256"]
    ours = list(word2vec.train(tf, theirs["steps"], log_every=theirs["log_every"]))
    assert len(ours) == len(theirs["lines"])
    assert ours[:6] == theirs["lines"][:6]  # the data line and steps 0-4
    losses = [line for line in ours if line.startswith("Average loss")]
    reference = [line for line in theirs["lines"] if line.startswith("Average loss")]
    np.testing.assert_allclose([_numbers(x) for x in losses], [_numbers(x) for x in reference], rtol=2e-7)
    nearest = [line for line in ours if line.startswith("Nearest to")]
    assert len(nearest) == 8 and nearest == [line for line in theirs["lines"] if line.startswith("Nearest to")]


def test_word2vec_example_writes_checkpoint_and_projector_files(tmp_path):
    out = run_python(os.path.join(WORD2VEC, "word2vec.py"), "--steps=21", "--log_every=10",
                     f"--log_dir={tmp_path}").stdout
    assert re.search(r"Average loss at step 20: \d+\.\d+", out) and out.count("Nearest to") == 8
    files = set(os.listdir(tmp_path))
    assert {"checkpoint", "model.ckpt-21.index", "model.ckpt-21.meta", "metadata.tsv", "projector_config.pbtxt",
            "embeddings_Variable.tsv"} <= files and any(f.startswith("events.out.tfevents") for f in files)
    words = (tmp_path / "metadata.tsv").read_text().splitlines()
    assert len(words) == 3000 and words[:3] == ["UNK", "the", "a"]
    rows = (tmp_path / "embeddings_Variable.tsv").read_text().splitlines()
    assert len(rows) == 3000 and len(rows[0].split("\t")) == 64
    config = (tmp_path / "projector_config.pbtxt").read_text()
    assert 'tensor_name: "embeddings/Variable:0"' in config and 'metadata_path: "metadata.tsv"' in config
    import minitf as tf
    reader = tf.train.NewCheckpointReader(str(tmp_path / "model.ckpt-21"))
    assert reader.get_tensor("embeddings/Variable").shape == (3000, 64)
