"""Queues, readers, queue runners and the queue-based input functions behave as TensorFlow 2.21's.

tests/golden/queues.json was recorded by tests/golden/make_queues.py from the programs in tests/queue_cases.py:
values (RandomShuffleQueue's seeded Philox order, PriorityQueue's order for equal priorities, padding), static
shapes, end-of-data errors and messages, construction errors, reader keys and records, and the graphs' op names
and types. Each case runs in a fresh process, as the queue names carry a process-wide resource id.
"""
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from helpers import blas_thread_counts
import minitf as tf

HERE = Path(__file__).parent
GOLDEN = json.loads((HERE / "golden" / "queues.json").read_text())


def run_case_in_process(name, tmp_path):
    code = ("import json, sys; sys.path.insert(0, %r); import minitf as tf, queue_cases; "
            "print(json.dumps(queue_cases.CASES[%r](tf, %r)))" % (str(HERE), name, str(tmp_path)))
    env = dict(os.environ, PYTHONPATH=str(HERE.parent))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1].replace(str(tmp_path), "<workdir>"))


# Cases whose queue runners start queues from several threads: which queue takes which process-wide resource id
# (in messages as '_<id>_<queue>') depends on thread timing, in TensorFlow as in minitf.
THREADED = {"producers", "shuffle_batch_values"}


def _without_resource_ids(result):
    return json.loads(re.sub(r"'_\d+_", "'_<id>_", json.dumps(result)))


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_matches_tensorflow(name, tmp_path):
    ours, expected = run_case_in_process(name, tmp_path), GOLDEN[name]
    if name in THREADED:
        ours, expected = _without_resource_ids(ours), _without_resource_ids(expected)
    assert ours == expected


def test_timeout_gives_deadline_exceeded():
    with tf.Graph().as_default():
        q = tf.FIFOQueue(1, tf.int32, shapes=[[]])
        with tf.Session() as sess:
            with pytest.raises(tf.errors.DeadlineExceededError, match="Timed out waiting for notification"):
                sess.run(q.dequeue(), options=tf.RunOptions(timeout_in_ms=20))
            sess.run(q.enqueue(1))
            with pytest.raises(tf.errors.DeadlineExceededError):
                sess.run(q.enqueue(2), options=tf.RunOptions(timeout_in_ms=20))
            assert sess.run(q.dequeue()) == 1


def _cifar_like_files(tmp_path, n_files=2, records=30):
    paths = []
    rng = np.random.RandomState(0)
    for i in range(n_files):
        path = tmp_path / f"data_batch_{i}.bin"
        rows = np.concatenate([rng.randint(0, 10, (records, 1)), rng.randint(0, 256, (records, 12))], axis=1)
        path.write_bytes(rows.astype(np.uint8).tobytes())
        paths.append(str(path))
    return paths


def test_training_loop_with_coordinator_stops_at_end_of_epochs(tmp_path):
    """A queue-fed training loop (slices -> shuffle_batch on two threads -> a step) ends cleanly after its
    epochs with OutOfRangeError; every example was seen once per epoch; no thread is left running."""
    rng = np.random.RandomState(0)
    xs = rng.rand(30, 3).astype(np.float32)
    with tf.Graph().as_default():
        x, = tf.train.slice_input_producer([tf.constant(xs)], num_epochs=3, seed=1)
        batch = tf.train.shuffle_batch([x], 7, capacity=40, min_after_dequeue=10, num_threads=2, seed=2,
                                       allow_smaller_final_batch=True)
        w = tf.Variable(tf.zeros([3]))
        loss = tf.reduce_mean(tf.square(tf.reduce_sum(batch * w, 1) - 1.0))
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess=sess, coord=coord)
            seen = []
            try:
                while not coord.should_stop():
                    seen.extend(sess.run([train, batch])[1].tolist())
            except tf.errors.OutOfRangeError:
                pass
            finally:
                coord.request_stop()
            coord.join(threads, stop_grace_period_secs=5)
            assert sorted(map(tuple, seen)) == sorted(map(tuple, np.repeat(xs, 3, axis=0).tolist()))
            assert all(not t.is_alive() for t in threads)


def test_fixed_length_records_through_shuffle_batch(tmp_path):
    paths = _cifar_like_files(tmp_path)
    with tf.Graph().as_default():
        filenames = tf.train.string_input_producer(paths, num_epochs=2, seed=1)
        _, value = tf.FixedLengthRecordReader(13).read(filenames)
        batch = tf.train.shuffle_batch([value], 8, capacity=50, min_after_dequeue=5, num_threads=2,
                                       allow_smaller_final_batch=True)
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess=sess, coord=coord)
            records = []
            try:
                while True:
                    records.extend(sess.run(batch).tolist())
            except tf.errors.OutOfRangeError:
                coord.request_stop()
            coord.join(threads, stop_grace_period_secs=5)
    expected = [Path(p).read_bytes()[i * 13:(i + 1) * 13] for p in paths for i in range(30)] * 2
    assert all(type(r) is bytes for r in records)
    assert sorted(records) == sorted(expected)


def test_reader_error_reaches_the_coordinator(tmp_path):
    """A missing file fails the queue runner's read; the Coordinator re-raises it in the main thread."""
    with tf.Graph().as_default():
        names = tf.train.string_input_producer([str(tmp_path / "missing.bin")], shuffle=False)
        _, value = tf.WholeFileReader().read(names)
        batch = tf.train.batch([value], 2)
        with tf.Session() as sess:
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess=sess, coord=coord)
            with pytest.raises(tf.errors.OutOfRangeError):
                sess.run(batch)
            with pytest.raises(tf.errors.NotFoundError, match="missing.bin; No such file or directory"):
                coord.join(threads, stop_grace_period_secs=5)


def test_corrupt_tfrecord_reaches_the_coordinator(tmp_path):
    """A record whose checksum fails stops the pipeline with DataLossError naming the offset; nothing hangs."""
    from minitf.io.tfrecord import TFRecordWriter
    path = tmp_path / "data.tfrecord"
    with TFRecordWriter(str(path)) as writer:
        for record in (b"one", b"two", b"three"):
            writer.write(record)
    raw = bytearray(path.read_bytes())
    raw[-2] ^= 1
    path.write_bytes(bytes(raw))
    with tf.Graph().as_default():
        names = tf.train.string_input_producer([str(path)], shuffle=False)
        _, value = tf.TFRecordReader().read(names)
        batch = tf.train.batch([value], 2)
        with tf.Session() as sess:
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess=sess, coord=coord)
            assert sess.run(batch).tolist() == [b"one", b"two"]
            with pytest.raises(tf.errors.OutOfRangeError):
                sess.run(batch)
            with pytest.raises(tf.errors.DataLossError, match="corrupted record at 50"):
                coord.join(threads, stop_grace_period_secs=5)
            assert all(not t.is_alive() for t in threads)


def test_session_close_cancels_a_blocked_dequeue():
    with tf.Graph().as_default():
        q = tf.FIFOQueue(2, tf.int32)
        sess = tf.Session()
        errors = []

        def consume():
            try:
                sess.run(q.dequeue())
            except tf.errors.CancelledError as e:
                errors.append(e)
        t = threading.Thread(target=consume)
        t.start()
        t.join(0.2)
        sess.close()
        t.join(5)
        assert not t.is_alive() and "Dequeue operation was cancelled" in errors[0].message


def test_coordinator_join_reports_stragglers_and_exceptions():
    coord = tf.train.Coordinator()
    stop = threading.Event()
    t = threading.Thread(target=stop.wait, name="slow")
    t.start()
    coord.request_stop()
    with pytest.raises(RuntimeError, match="Coordinator stopped with threads still running: slow"):
        coord.join([t], stop_grace_period_secs=0.01)
    stop.set()
    coord.clear_stop()
    with coord.stop_on_exception():
        raise ValueError("boom")
    assert coord.should_stop()
    with pytest.raises(ValueError, match="boom"):
        coord.join([])
    coord.clear_stop()
    coord.request_stop(tf.errors.OutOfRangeError(None, None, "end"))
    coord.join([])
    coord.clear_stop()
    calls = []
    looper = tf.train.LooperThread.loop(coord, None, target=lambda: calls.append(1) or coord.request_stop())
    looper.join(5)
    assert calls == [1]


def test_blas_single_threaded_while_queue_runners_run():
    """The queue runners' threads and BLAS's own threads would contend for the cores (a matrix product then waits
    for a descheduled BLAS thread): a runner blocked in its enqueue is inside Session.run, so the session's one
    BLAS thread per product holds while runners are alive (client/threading_policy.py), and the user's setting
    comes back after."""
    blas_threads = blas_thread_counts
    before = blas_threads()
    with tf.Graph().as_default():
        queue = tf.FIFOQueue(2, tf.int32, shapes=[[]])
        tf.train.add_queue_runner(tf.train.QueueRunner(queue, [queue.enqueue(1)]))
        with tf.Session() as sess:
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord)
            assert sess.run(queue.dequeue()) == 1
            # once the queue is full again the runner is blocked in its enqueue, inside Session.run (between two of
            # its enqueues it is not, and the main thread's run may end then and give the user's setting back)
            for _ in range(500):
                if sess.run(queue.size()) == 2 and set(blas_threads()) <= {1}:
                    break
                time.sleep(0.01)
            else:
                raise AssertionError(f"BLAS threads {blas_threads()} while the runner is blocked in Session.run")
            coord.request_stop()  # the runner's close-on-stop thread cancels its blocked enqueue
            coord.join(threads)
    assert blas_threads() == before
