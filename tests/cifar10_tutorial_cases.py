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
{seeded}
sys.argv = [script] + args
runpy.run_path(script, run_name="__main__")
"""

# Seeded, reproducible training (see tests/tutorials/cifar10/README.md): from outside the tutorial's files, the graph
# seed is set where the tutorial builds its inputs (in the graph cifar10_train.py makes), the preprocessing runs on
# one thread (cifar10_input calls the module's cpu_count), and a hook waits before each step until the shuffle queue
# is full (its one enqueuing thread then blocks), so every batch is drawn from the same examples in the same state;
# the hook prints the exact total loss of each step.
SEEDED = """
import time
tf.set_random_seed  # fails early if the namespace lacks it
_distorted_inputs = cifar10.distorted_inputs
def _seeded_distorted_inputs(*args, **kwargs):
    tf.set_random_seed({seed})
    return _distorted_inputs(*args, **kwargs)
cifar10.distorted_inputs = _seeded_distorted_inputs
cifar10_input.cpu_count = lambda: 1

class _FullQueueLossHook(tf.train.SessionRunHook):
    def begin(self):
        graph = tf.get_default_graph()
        self._size = graph.get_tensor_by_name("shuffle_batch/random_shuffle_queue_Size:0")
        self._capacity = graph.get_operation_by_name("shuffle_batch/random_shuffle_queue").get_attr("capacity")
        self._loss = graph.get_tensor_by_name("total_loss:0")
    def before_run(self, run_context):
        while run_context.session.run(self._size) < self._capacity:
            time.sleep(0.01)
        return tf.train.SessionRunArgs(self._loss)
    def after_run(self, run_context, run_values):
        print("exact total_loss = %r" % float(run_values.results), flush=True)

_MonitoredTrainingSession = tf.train.MonitoredTrainingSession
def _with_hook(*args, hooks=None, **kwargs):
    return _MonitoredTrainingSession(*args, hooks=list(hooks or []) + [_FullQueueLossHook()], **kwargs)
tf.train.MonitoredTrainingSession = _with_hook
"""
SEED = 1234
# For TensorFlow only: its default graph rewriting (grappler) off, so float sums run in the graph's order.
GRAPPLER_OFF = """
_seeded_session = tf.train.MonitoredTrainingSession
def _without_grappler(*args, config=None, **kwargs):
    config.graph_options.rewrite_options.disable_meta_optimizer = True
    return _seeded_session(*args, config=config, **kwargs)
tf.train.MonitoredTrainingSession = _without_grappler
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


def run(root, script, args, setup, python=sys.executable, seeded=""):
    """Runs the tutorial's ``script`` with ``args``; returns what it printed. ``seeded``: code run after the
    tutorial's modules are imported (see SEEDED)."""
    runner = os.path.join(root, "runner.py")
    with open(runner, "w") as f:
        f.write(RUNNER.format(setup=setup, seeded=seeded))
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


def seeded_losses(setup, steps=4, grappler=True):
    """The exact total losses of the first ``steps`` seeded training steps (see SEEDED); ``grappler=False`` turns
    TensorFlow's graph rewriting off."""
    with tempfile.TemporaryDirectory() as root:
        write_cifar10(os.path.join(root, "data"))
        args = train_args(root)
        args[args.index("--max_steps") + 1] = str(steps)
        seeded = SEEDED.format(seed=SEED) + ("" if grappler else GRAPPLER_OFF)
        out = run(root, "cifar10_train.py", args, setup, seeded=seeded)
    return [float(value) for value in re.findall(r"^exact total_loss = (\S+)$", out, re.M)]
