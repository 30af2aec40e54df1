"""Runs TensorFlow's LeNet-5-like MNIST tutorial (tensorflow/models tutorials/image/mnist/convolutional.py, not
copied here: give the directory that holds it) by hand under minitf and under TensorFlow 2.21, on generated data, and
prints where their outputs differ:

    python tests/mnist_convolutional_cases.py DIR ~/tfref/bin/python [NUM_EPOCHS [EVAL_FREQUENCY]]

The tutorial downloads MNIST into ``data/`` of its working directory unless ``data/<file>`` exists
(``maybe_download`` asks ``tf.gfile.Exists``), then reads exactly 60,000 training and 10,000 test images from the
gzipped idx files. ``write_mnist`` writes files of that size (a label-dependent block per image, which gzip
compresses to under 1 MB). Its 10 epochs are a module constant; the runner imports the module, sets ``NUM_EPOCHS``
and ``EVAL_FREQUENCY`` from outside and runs its ``main`` as its ``__main__`` block does. Its random ops have
op-level seeds, so both runs are deterministic."""

import gzip
import os
import re
import struct
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

RUNNER = """
import argparse, os, sys
{setup}
sys.path.insert(0, sys.argv[1])
import convolutional
convolutional.NUM_EPOCHS = float(sys.argv[2])
convolutional.EVAL_FREQUENCY = int(sys.argv[3])
parser = argparse.ArgumentParser()
parser.add_argument("--use_fp16", default=False, action="store_true")
parser.add_argument("--self_test", default=False, action="store_true")
convolutional.FLAGS, unparsed = parser.parse_known_args(sys.argv[4:])
tf.app.run(main=convolutional.main, argv=[sys.argv[0]] + unparsed)
"""
MINITF = """
from minitf import runner
runner.install()
import tensorflow as tf
"""
TENSORFLOW = """
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()
sys.modules["tensorflow"] = tf
"""


def write_mnist(directory, seed=0):
    """train-{images,labels} (60,000) and t10k-{images,labels} (10,000) in MNIST's gzipped idx format: each image
    black but for a 6 x 4 block whose place and brightness depend on its label."""
    os.makedirs(directory, exist_ok=True)
    rng = np.random.RandomState(seed)
    for prefix, n in (("train", 60000), ("t10k", 10000)):
        labels = rng.randint(0, 10, n).astype(np.uint8)
        images = np.zeros((n, 28, 28), np.uint8)
        rows = 4 + (labels // 5) * 10 + rng.randint(0, 3, n)
        cols = 3 + (labels % 5) * 4 + rng.randint(0, 3, n)
        for dy in range(6):
            for dx in range(4):
                images[np.arange(n), rows + dy, cols + dx] = 200 + labels * 5
        with gzip.open(os.path.join(directory, "%s-images-idx3-ubyte.gz" % prefix), "wb", compresslevel=1) as f:
            f.write(struct.pack(">IIII", 2051, n, 28, 28) + images.tobytes())
        with gzip.open(os.path.join(directory, "%s-labels-idx1-ubyte.gz" % prefix), "wb", compresslevel=1) as f:
            f.write(struct.pack(">II", 2049, n) + labels.tobytes())


def run(root, program_dir, setup, python=sys.executable, num_epochs=0.03, eval_frequency=10, args=()):
    """The tutorial's printed lines, with the step times cut off."""
    runner = os.path.join(root, "mnist_runner.py")
    with open(runner, "w") as f:
        f.write(RUNNER.format(setup=setup))
    env = dict(os.environ, PYTHONPATH=os.path.dirname(HERE))
    proc = subprocess.run([python, runner, program_dir, str(num_epochs), str(eval_frequency)] + list(args),
                          cwd=root, env=env, capture_output=True, text=True, timeout=1800)
    if proc.returncode:
        raise RuntimeError(proc.stderr)
    return [re.sub(r"\), [\d.]+ ms$", ")", line) for line in proc.stdout.splitlines()]


if __name__ == "__main__":
    program_dir, tensorflow_python = os.path.abspath(sys.argv[1]), sys.argv[2]
    epochs, frequency = (float(sys.argv[3]) if len(sys.argv) > 3 else 0.03), (int(sys.argv[4]) if len(sys.argv) > 4
                                                                             else 10)
    with tempfile.TemporaryDirectory() as root:
        write_mnist(os.path.join(root, "data"))
        for args in ([], ["--self_test"]):
            ours = run(root, program_dir, MINITF, num_epochs=epochs, eval_frequency=frequency, args=args)
            theirs = run(root, program_dir, TENSORFLOW, tensorflow_python, epochs, frequency, args)
            print("%s: %d lines, differing: %s" % (args or "generated MNIST", len(ours),
                                                   [(a, b) for a, b in zip(ours, theirs) if a != b]))
            print("\n".join(ours))
