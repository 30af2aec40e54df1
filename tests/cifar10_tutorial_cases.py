"""The generated CIFAR-10-format data set and the runner that executes the vendored tutorial's scripts
(tests/tutorials/cifar10) with ``import tensorflow`` answered by minitf or, for the goldens, by TensorFlow 2.21's
``compat.v1`` (plus ``tf.contrib.framework.get_or_create_global_step``, which TF 2 no longer has)."""

import os
import re
import subprocess
import sys
import tarfile
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TUTORIAL = os.path.join(HERE, "tutorials", "cifar10")
RECORDS_PER_FILE = 16

MINITF = """
import minitf as tf
"""
TENSORFLOW = """
import types
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()
tf.contrib = types.SimpleNamespace(framework=types.SimpleNamespace(
    get_or_create_global_step=tf.train.get_or_create_global_step))
"""

# See tests/tutorials/cifar10/README.md for why cifar10 is imported first and the example counts are set.
RUNNER = """
import os, runpy, sys
{setup}
sys.modules["tensorflow"] = tf
script, args = sys.argv[1], sys.argv[2:]
sys.path.insert(0, os.path.dirname(script))
import cifar10_input
cifar10_input.NUM_EXAMPLES_PER_EPOCH_FOR_TRAIN = 100
cifar10_input.NUM_EXAMPLES_PER_EPOCH_FOR_EVAL = 50
own = ("--batch_size", "--data_dir", "--use_fp16")
sys.argv = [script] + [a for i, a in enumerate(args) if a in own or (i and args[i - 1] in own)]
import cifar10  # parses its own flags when imported
sys.argv = [script] + args
runpy.run_path(script, run_name="__main__")
"""


def write_cifar10(root, seed=0):
    """data_batch_1..5.bin and test_batch.bin (label byte + 3072 image bytes per record), and the tarball
    maybe_download_and_extract looks for; returns the batches' directory."""
    data = os.path.join(root, "cifar-10-batches-bin")
    os.makedirs(data)
    rng = np.random.RandomState(seed)
    for name in ["data_batch_%d.bin" % i for i in range(1, 6)] + ["test_batch.bin"]:
        labels = rng.randint(0, 10, RECORDS_PER_FILE).astype(np.uint8)
        images = rng.randint(0, 256, (RECORDS_PER_FILE, 3072)).astype(np.uint8)
        for image, label in zip(images, labels):
            image[int(label % 3) * 1024:int(label % 3 + 1) * 1024] //= 4  # something to learn
        with open(os.path.join(data, name), "wb") as f:
            f.write(np.concatenate([labels[:, None], images], 1).tobytes())
    with tarfile.open(os.path.join(root, "cifar-10-binary.tar.gz"), "w:gz") as tar:
        tar.add(data, arcname="cifar-10-batches-bin")
    return data


def train_args(root):
    return ["--data_dir", os.path.join(root, "data"), "--train_dir", os.path.join(root, "train"), "--max_steps", "6",
            "--batch_size", "8", "--log_frequency", "2"]


def eval_args(root):
    return ["--data_dir", os.path.join(root, "data"), "--checkpoint_dir", os.path.join(root, "train"), "--eval_dir",
            os.path.join(root, "eval"), "--batch_size", "8", "--num_examples", "16", "--run_once", "True"]


def summary_tags(logdir, summary_iterator):
    """Every summary tag in the event files of ``logdir``, with the steps it was written at."""
    tags = {}
    for name in sorted(os.listdir(logdir)):
        if name.startswith("events.out"):
            for event in summary_iterator(os.path.join(logdir, name)):
                for value in event.summary.value:
                    tags.setdefault(value.tag, []).append(int(event.step))
    return tags


def shape_of(line):
    """A printed line with its timestamps and numbers replaced by placeholders."""
    line = re.sub(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}", "<time>", line)
    return re.sub(r"\d+\.\d+", "<number>", line)


def run(root, script, args, setup, python=sys.executable):
    runner = os.path.join(root, "runner.py")
    with open(runner, "w") as f:
        f.write(RUNNER.format(setup=setup))
    env = dict(os.environ, PYTHONPATH=os.path.dirname(HERE), OPENBLAS_THREAD_TIMEOUT="4")
    proc = subprocess.run([python, runner, os.path.join(TUTORIAL, script)] + args, cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)
    if proc.returncode:
        raise RuntimeError(proc.stderr)
    return proc.stdout


def record(setup, summary_iterator, list_variables):
    with tempfile.TemporaryDirectory() as root:
        write_cifar10(os.path.join(root, "data"))
        train_out = run(root, "cifar10_train.py", train_args(root), setup)
        eval_out = run(root, "cifar10_eval.py", eval_args(root), setup)
        train_dir = os.path.join(root, "train")
        return {"train_lines": [shape_of(line) for line in train_out.splitlines()],
                "eval_lines": [shape_of(line) for line in eval_out.splitlines()],
                "train_files": sorted("events" if n.startswith("events.out") else n for n in os.listdir(train_dir)),
                "variables": sorted([name, list(shape)] for name, shape in list_variables(train_dir)),
                "train_tags": summary_tags(train_dir, summary_iterator),
                "eval_tags": summary_tags(os.path.join(root, "eval"), summary_iterator)}
