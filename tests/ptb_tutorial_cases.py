"""The generated Penn Treebank-format corpus and the runner that executes a PTB language-model program
(tests/tutorials/ptb/ptb_lm.py, or TensorFlow's own ptb_word_lm.py from a directory given by hand, see
tests/tutorials/ptb/README.md) with ``import tensorflow`` answered by minitf (``minitf run``'s import hook) or, for the
goldens, by TensorFlow 2.21's ``compat.v1`` with TensorFlow 1.15's ``tf.contrib.rnn`` / ``tf.contrib.seq2seq``
rebuilt (tests/golden/ptb_tf_contrib.py).

The runner imports the program as a module, optionally sets attributes of its config classes, sets the graph seed
when the program builds its first input pipeline (inside the graph it builds), records the exact cost of every step
its sessions run (the ``cost`` of a fetch dict, through the ``run`` of the Supervisor's managed session), and runs its
``main`` through ``tf.app.run`` with the given flags."""

import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAM_DIR = os.path.join(HERE, "tutorials", "ptb")

MINITF = """
from minitf import runner
runner.install()
import tensorflow as tf
"""
TENSORFLOW = """
os.environ["TF_USE_LEGACY_KERAS"] = "1"
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()
sys.path.insert(0, os.path.join({tests!r}, "golden"))
import ptb_tf_contrib
tf.contrib = ptb_tf_contrib.contrib(tf)
sys.modules["tensorflow"] = tf
"""
# For TensorFlow only: its graph rewriting (grappler) off, so float sums run in the graph's order.
GRAPPLER_OFF = """
def _config(config):
    config.graph_options.rewrite_options.disable_meta_optimizer = True
    return config
"""
GRAPPLER_ON = """
def _config(config):
    return config
"""

RUNNER = """
import contextlib, json, os, sys
{setup}
{grappler}
program_dir, module, reader, producer, overrides, seed = json.loads(sys.argv[1])
sys.path.insert(0, program_dir)
reader = __import__(reader)
_producer = getattr(reader, producer)
def _seeded(*args, **kwargs):
    if seed is not None and tf.get_default_graph().seed is None:
        tf.set_random_seed(seed)
    return _producer(*args, **kwargs)
setattr(reader, producer, _seeded)
program = __import__(module)
for cls, attrs in overrides.items():
    for key, value in attrs.items():
        setattr(getattr(program, cls), key, value)

costs = []
def _recording(run):
    def recording_run(fetches, *args, **kwargs):
        values = run(fetches, *args, **kwargs)
        if isinstance(fetches, dict) and "cost" in fetches:
            costs.append(float(values["cost"]))
        return values
    return recording_run
_managed_session = tf.train.Supervisor.managed_session
@contextlib.contextmanager
def _recording_session(self, master="", config=None, **kwargs):
    with _managed_session(self, master, _config(config or tf.ConfigProto()), **kwargs) as session:
        session.run = _recording(session.run)
        yield session
tf.train.Supervisor.managed_session = _recording_session
try:
    tf.app.run(main=program.main, argv=[program.__file__] + sys.argv[2:])
except SystemExit as e:
    if e.code:
        raise
print("exact costs = " + json.dumps(costs))
"""

# This repository's program: ptb_lm.py with its reader's ``windows``; TensorFlow's: ptb_word_lm.py, reader.ptb_producer.
OWN = ("ptb_lm", "ptb_reader", "windows")
TENSORFLOWS = ("ptb_word_lm", "reader", "ptb_producer")
SEED = 1234


def write_ptb(root, seed=0, vocab=60, sizes=(5000, 600, 200)):
    """ptb.{train,valid,test}.txt of about ``sizes`` words from a ``vocab``-word Markov chain (each word mostly
    followed by one of three), one sentence of 5 to 14 words a line, in PTB's spacing; returns ``root``."""
    os.makedirs(root, exist_ok=True)
    rng = np.random.RandomState(seed)
    names = ["w%02d" % i for i in range(vocab)]
    successors = rng.randint(0, vocab, (vocab, 3))
    for part, size in zip(("train", "valid", "test"), sizes):
        lines, line, word, count = [], [], 0, 0
        while count < size:
            word = successors[word, rng.randint(3)] if rng.rand() < 0.8 else rng.randint(vocab)
            line.append(names[word])
            count += 1
            if len(line) >= 5 + rng.randint(10):
                lines.append(" " + " ".join(line) + " ")
                count += 1
                line = []
        with open(os.path.join(root, "ptb.%s.txt" % part), "w") as f:
            f.write("\n".join(lines) + "\n")
    return root


def run(root, args, setup, python=sys.executable, program=OWN, program_dir=PROGRAM_DIR, overrides=None,
        seed=SEED, grappler=True):
    """Runs the program's main with flags ``args`` in ``root``; returns (printed lines, exact step costs)."""
    runner = os.path.join(root, "ptb_runner.py")
    with open(runner, "w") as f:
        f.write(RUNNER.format(setup=setup.format(tests=HERE), grappler=GRAPPLER_ON if grappler else GRAPPLER_OFF))
    spec = json.dumps([program_dir] + list(program) + [overrides or {}, seed])
    env = dict(os.environ, PYTHONPATH=os.path.dirname(HERE))
    proc = subprocess.run([python, runner, spec] + list(args), cwd=root, env=env, capture_output=True, text=True,
                          timeout=600)
    if proc.returncode:
        raise RuntimeError(proc.stderr)
    lines = proc.stdout.splitlines()
    costs = json.loads(lines[-1][len("exact costs = "):])
    return lines[:-1], costs


def without_speed(lines):
    """The printed lines with the words-per-second figures, which depend on the machine, cut off."""
    return [line.split(" speed: ")[0] for line in lines]


def record(setup, python=sys.executable, grappler=True):
    """What the repository's program prints and costs per step for each of its configurations, seeded."""
    result = {}
    with tempfile.TemporaryDirectory() as root:
        data = write_ptb(os.path.join(root, "data"))
        for model in ("tiny", "dropout"):
            lines, costs = run(root, ["--data_path", data, "--model", model], setup, python, grappler=grappler)
            result[model] = {"lines": without_speed(lines), "costs": costs}
    return result


def saved_files(setup, list_variables, python=sys.executable):
    """Trains the tiny model with ``--save_path ROOT/save``: the Supervisor's logdir (its checkpoints, events and
    graph) and the checkpoint the program saves next to it (``save-<global step>``), with its variables' shapes."""
    with tempfile.TemporaryDirectory() as root:
        data = write_ptb(os.path.join(root, "data"))
        save = os.path.join(root, "save")
        lines, _ = run(root, ["--data_path", data, "--model", "tiny", "--save_path", save], setup, python, seed=None)

        def name(file):  # the Supervisor's first checkpoint races the training for the global step, also in TF
            return "events" if file.startswith("events.out") else re.sub(r"^model\.ckpt-\d+", "model.ckpt-N", file)
        return {"last_line": lines[-1].replace(root, "ROOT"),
                "logdir": sorted(name(f) for f in os.listdir(save)),
                "saved": sorted(f for f in os.listdir(root) if f.startswith("save")),
                "variables": sorted([n, list(shape)] for n, shape in list_variables(save + "-124"))}


def compare_tensorflows_program(program_dir, tensorflow_python, model="test", overrides=None):
    """Runs TensorFlow's own ptb_word_lm.py (reader.py and util.py beside it in ``program_dir``) seeded on the
    generated corpus under minitf and under ``tensorflow_python``, with TensorFlow's graph rewriting off; prints the
    printed lines that differ (speeds cut off) and how close the step costs are."""
    with tempfile.TemporaryDirectory() as root:
        data = write_ptb(os.path.join(root, "data"))
        args = ["--data_path", data, "--model", model, "--num_gpus", "0"]
        ours = run(root, args, MINITF, program=TENSORFLOWS, program_dir=program_dir, overrides=overrides)
        theirs = run(root, args, TENSORFLOW, tensorflow_python, TENSORFLOWS, program_dir, overrides, grappler=False)
    lines = [(a, b) for a, b in zip(without_speed(ours[0]), without_speed(theirs[0])) if a != b]
    got, want = np.float32(ours[1]), np.float32(theirs[1])
    ulps = np.abs(got - want) / np.spacing(want)
    print("%d lines, %d differ: %s" % (len(ours[0]), len(lines), lines))
    print("%d step costs, %d equal, at most %d float32 ulps apart" % (len(want), np.sum(got == want), ulps.max()))


if __name__ == "__main__":
    # python tests/ptb_tutorial_cases.py DIR_OF_PTB_WORD_LM ~/tfref/bin/python [MODEL [CONFIG_OVERRIDES_JSON]]
    compare_tensorflows_program(sys.argv[1], sys.argv[2], *sys.argv[3:4],
                                *[json.loads(a) for a in sys.argv[4:5]])
