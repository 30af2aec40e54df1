"""FileWriter under write failures, interpreter exit, garbage collection and kills, against TensorFlow's behaviour
recorded by tests/golden/make_reliability.py (programs in tests/golden/reliability_programs.py)."""

import gc
import glob
import json
import os
import re
import signal
import subprocess
import sys
import time

from tensorboard.backend.event_processing import event_accumulator

import minitf as tf
from golden import reliability_programs as programs
from minitf.io import tfrecord

GOLDEN = json.load(open(os.path.join(os.path.dirname(__file__), "golden", "reliability.json")))
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_script(script, *args, timeout=60):
    env = dict(os.environ, PYTHONPATH=ROOT)
    return subprocess.run([sys.executable, "-c", programs.MINITF + script, *args], capture_output=True, text=True,
                          timeout=timeout, check=True, env=env)


def scalars(logdir):
    accumulator = event_accumulator.EventAccumulator(str(logdir))
    accumulator.Reload()
    return [(s.step, s.value) for s in accumulator.Scalars("x")]


def _message_shape(message):
    """A write error's message with its numbers and host name generalised."""
    return re.sub(r"tfevents\.\d+\.\S+", "tfevents.T.HOST", re.sub(r"Failed to flush \d+", "Failed to flush N",
                                                                  message))


def test_full_disk_raises_once_and_never_hangs(tmp_path):
    """Under a file-size limit the error TensorFlow's flush raises (class and message) comes from add_summary or
    flush, whichever meets it first; close() returns, and later calls are quiet no-ops, as in TensorFlow."""
    result = json.loads(run_script(programs.FULL_DISK_SCRIPT, str(tmp_path)).stdout.splitlines()[0])
    expected = GOLDEN["full_disk"]
    raised = [result[name] for name in ("add_summary", "flush") if result[name] != ["ok"]]
    assert len(raised) == 1
    assert raised[0][0] == expected["flush"][0] == "IndexError"
    assert _message_shape(raised[0][1]) == _message_shape(expected["flush"][1])
    for name in ("close", "close_again", "add_after_close"):
        assert result[name] == expected[name] == ["ok"]


def test_write_error_wakes_a_blocked_add_summary(tmp_path):
    """A writer thread that dies with queued events never leaves add_summary waiting on a full queue; a full disk
    (ENOSPC, from /dev/full) is TensorFlow's RESOURCE_EXHAUSTED, which its Python binding raises as RuntimeError."""
    writer = tf.summary.FileWriter(str(tmp_path), max_queue=2, flush_secs=1000)
    writer._file._writer._file = open("/dev/full", "wb", buffering=0)  # every later write fails with ENOSPC
    summary = tf.Summary(value=[tf.Summary.Value(tag="x", simple_value=1.0)])
    start = time.time()
    raised = []
    for step in range(50):
        try:
            writer.add_summary(summary, step)
        except RuntimeError as exc:
            raised.append(exc)
    writer.flush()
    writer.close()
    assert len(raised) == 1
    assert re.fullmatch(r".*events\.out\.tfevents\.\S+; No space left on device\n\tFailed to flush \d+ events to "
                        r".*events\.out\.tfevents\.\S+", str(raised[0]))
    assert time.time() - start < 10


def test_never_closed_writer_loses_no_event(tmp_path):
    """100 scalars, no close(): all 100 reach the file. TensorFlow (5 runs recorded) loses the events still in its
    writer's Python queue when the interpreter exits, up to max_queue=10 of them."""
    run_script(programs.NEVER_CLOSED_SCRIPT, str(tmp_path))
    assert scalars(tmp_path) == [(i, float(i)) for i in range(100)]
    assert all(90 <= count <= 100 for count in GOLDEN["never_closed_scalars"])


def test_garbage_collected_writer_writes_its_queue(tmp_path):
    """Dropping the last reference closes the file: everything queued is on disk (TensorFlow writes it at exit)."""
    writer = tf.summary.FileWriter(str(tmp_path), flush_secs=1000)
    for i in range(30):
        writer.add_summary(tf.Summary(value=[tf.Summary.Value(tag="x", simple_value=float(i))]), i)
    del writer
    gc.collect()
    assert scalars(tmp_path) == [(i, float(i)) for i in range(30)]


KILLED_SCRIPT = """
import sys
w = tf.summary.FileWriter(sys.argv[1], flush_secs=0)
print("started", flush=True)
i = 0
while True:
    w.add_summary(tf.Summary(value=[tf.Summary.Value(tag="x", simple_value=float(i))] +
                             [tf.Summary.Value(tag="pad%d" % k, simple_value=0.0) for k in range(50)]), i)
    i += 1
"""


def test_kill_during_write_leaves_every_complete_record_readable(tmp_path):
    """Killed at random points while writing, the file is a prefix of whole records plus at most one cut record:
    TensorBoard's loader reads every complete one, in order."""
    for run, delay in enumerate((0.05, 0.2, 0.35)):
        logdir = tmp_path / str(run)
        proc = subprocess.Popen([sys.executable, "-c", programs.MINITF + KILLED_SCRIPT, str(logdir)],
                                stdout=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONPATH=ROOT))
        assert proc.stdout.readline().strip() == "started"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        [path] = glob.glob(str(logdir / "events.out.tfevents.*"))
        complete = sum(1 for _ in tfrecord.tf_record_iterator(path)) - 1  # the first record is file_version
        got = [step for step, _ in scalars(logdir)]
        assert complete > 0 and got == list(range(complete))


def test_idle_writer_does_not_spin(tmp_path):
    """With flush_secs=0 and nothing queued the writer thread sleeps until the next event."""
    writer = tf.summary.FileWriter(str(tmp_path), flush_secs=0)
    writer.add_summary(tf.Summary(value=[tf.Summary.Value(tag="x", simple_value=1.0)]), 0)
    writer.flush()
    start = time.process_time()
    time.sleep(0.5)
    busy = time.process_time() - start
    writer.close()
    assert busy < 0.05
    assert scalars(tmp_path) == [(0, 1.0)]
