"""A Saver killed at random moments leaves a readable state file naming only complete checkpoints; hostile state
files never break the readers.

The killed process saves in a loop (data, index, .meta, state file, then deletion of the oldest checkpoint), and
restarts the way TensorFlow recommends (``recover_last_checkpoints`` from the state file).
"""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import minitf as tf
from minitf.proto import checkpoint_state_pb2
from minitf.train import checkpoint_management
from minitf.train.saver import Saver

ROOT = str(Path(__file__).resolve().parent.parent)
SIZE = 2**20

SAVER_LOOP = """
import itertools, sys
import numpy as np
import minitf as tf
from minitf.train import checkpoint_management
from minitf.train.saver import Saver

directory, start, sharded = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "sharded"
generation = tf.Variable(np.int64(0), name="generation")
big = tf.Variable(np.zeros(%d, np.float32), name="big")
tags = tf.Variable([b"g0"] * 3, name="tags")
saver = Saver(max_to_keep=2, sharded=sharded)
with tf.Session() as sess:
    state = checkpoint_management.get_checkpoint_state(directory)
    if state:
        saver.recover_last_checkpoints(list(state.all_model_checkpoint_paths))
    for g in itertools.count(start + 1):
        generation.load(g, sess)
        big.load(np.full(%d, g, np.float32), sess)
        tags.load(np.array([b"g%%d" %% g] * 3, dtype=object), sess)
        saver.save(sess, directory + "/model", global_step=g)
        print(g, flush=True)
""" % (SIZE, SIZE)


def restore_generation(prefix):
    """Restores the checkpoint into fresh variables; every tensor must come from the same save."""
    with tf.Graph().as_default():
        generation = tf.Variable(np.int64(-1), name="generation")
        big = tf.Variable(np.zeros(SIZE, np.float32), name="big")
        tags = tf.Variable([b"?"] * 3, name="tags")
        saver = Saver()
        with tf.Session() as sess:
            saver.restore(sess, prefix)
            g, big_value, tags_value = sess.run([generation, big, tags])
    assert np.all(big_value == g) and tags_value.tolist() == [b"g%d" % g] * 3
    assert prefix.endswith("-%d" % g)
    assert Path(checkpoint_management.meta_graph_filename(prefix)).is_file()
    return int(g)


@pytest.mark.parametrize("sharded", ["unsharded", "sharded"])
def test_kill_during_saves_leaves_state_and_checkpoints_readable(tmp_path, sharded):
    """Also for Saver(sharded=True), whose save writes ``model-N_temp/part-00000-of-00001.*`` and merges it into
    ``model-N.*``; a kill may leave such a temporary directory behind, never a damaged checkpoint."""
    directory = str(tmp_path)
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    rng = random.Random(2024)
    generation = 0
    for _ in range(6):
        child = subprocess.Popen([sys.executable, "-c", SAVER_LOOP, directory, str(generation), sharded],
                                 stdout=subprocess.PIPE, env=env)
        completed = int(child.stdout.readline())  # one save done: the kill lands inside the loop
        time.sleep(rng.uniform(0, 0.12))
        child.send_signal(signal.SIGKILL)
        completed = max([completed] + [int(line) for line in child.stdout.read().split()])
        child.wait()
        state = checkpoint_management.get_checkpoint_state(directory)
        assert state is not None and state.model_checkpoint_path
        kept = list(state.all_model_checkpoint_paths)
        assert kept[-1] == state.model_checkpoint_path and len(kept) <= 2
        generations = [restore_generation(prefix) for prefix in kept]
        assert generations == sorted(generations)
        assert generations[-1] in (completed, completed + 1)  # the last completed save, or one more
        generation = generations[-1]
    assert generation >= 6  # every restart saved at least once (on a loaded machine a kill may follow the first save)
    # old checkpoints were deleted across restarts: the two the state file keeps, and at most one per kill that no
    # saver tracks afterwards (as with TensorFlow's Saver): a save killed between writing its files and recording
    # them, or between recording them and deleting the checkpoint that dropped out of the kept two
    complete = {p.name.split(".")[0] for p in tmp_path.iterdir() if p.name.endswith(".index")}
    assert len(complete) <= min(2 + 6, generation)


# -- hostile state files ---------------------------------------------------------------------------------------

STATE_FIELDS = ["model_checkpoint_path", "all_model_checkpoint_paths", "all_model_checkpoint_timestamps",
                "last_preserved_timestamp", "unknown_field"]


@st.composite
def state_texts(draw):
    """Text resembling a CheckpointState: known and unknown fields, odd values, broken quoting and braces."""
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        field = draw(st.sampled_from(STATE_FIELDS))
        value = draw(st.one_of(st.text(max_size=20).map(lambda t: '"%s"' % t), st.floats().map(repr),
                               st.sampled_from(['"a" "b"', "{", "}", "''", '"\\x"', "1e999", "-", ""])))
        lines.append("%s%s %s" % (field, draw(st.sampled_from([":", "", " :"])), value))
    return "\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(contents=st.one_of(state_texts().map(str.encode), st.binary(max_size=200)))
def test_fuzz_state_file(tmp_path, contents):
    """A hostile state file yields a CheckpointState, None, or ValueError, as in TensorFlow; nothing else."""
    (tmp_path / "checkpoint").write_bytes(contents)
    try:
        state = checkpoint_management.get_checkpoint_state(str(tmp_path))
    except ValueError:
        return
    assert state is None or isinstance(state, checkpoint_state_pb2.CheckpointState)
    if state is not None:
        assert state.model_checkpoint_path
        latest = checkpoint_management.latest_checkpoint(str(tmp_path))
        assert latest is None or latest == state.model_checkpoint_path


def test_state_file_paths_are_resolved_in_its_directory(tmp_path):
    """Relative paths are joined to the directory; an absolute or escaping path is returned as written."""
    (tmp_path / "checkpoint").write_text('model_checkpoint_path: "../elsewhere/m-1"\n'
                                         'all_model_checkpoint_paths: "/abs/m-0"\n')
    state = checkpoint_management.get_checkpoint_state(str(tmp_path))
    assert state.model_checkpoint_path == os.path.join(str(tmp_path), "../elsewhere/m-1")
    assert list(state.all_model_checkpoint_paths) == ["/abs/m-0"]
    assert checkpoint_management.latest_checkpoint(str(tmp_path)) is None  # no such files: nothing is read


def test_restore_refuses_a_missing_checkpoint_named_by_a_state_file(tmp_path):
    (tmp_path / "checkpoint").write_text('model_checkpoint_path: "gone-3"\n')
    with tf.Graph().as_default():
        tf.Variable(1.0, name="v")
        saver = Saver()
        with tf.Session() as sess, pytest.raises(ValueError, match="not a valid checkpoint"):
            saver.restore(sess, checkpoint_management.get_checkpoint_state(str(tmp_path)).model_checkpoint_path)
