"""Summaries and event files against TensorFlow 2.21 (tests/golden/make_summary.py) and TensorBoard's own loader."""

import glob
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pytest
from tensorboard.backend.event_processing import event_accumulator

import minitf as tf
from minitf.framework import errors
from minitf.io import tfrecord
from summary_cases import CASES
from helpers import golden

GOLDEN = golden("golden/summary.json")


pytestmark = pytest.mark.usefixtures("fresh_graph")  # tests/conftest.py


def _nodes(graph, skip_scope=None):
    return [[op.name, op.type] for op in graph.get_operations() if not (skip_scope and skip_scope in op.name)]


@pytest.mark.parametrize("name", sorted(CASES))
def test_summary_bytes_and_nodes_equal_tensorflow(name):
    merged = CASES[name](tf)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        serialized = sess.run(merged)
    assert serialized.hex() == GOLDEN[name]["summary"]  # PNG, WAV, histogram buckets and stats, tags: all bytes
    assert _nodes(tf.get_default_graph()) == GOLDEN[name]["nodes"]


def test_histogram_rejects_nan_and_merge_all_of_nothing_is_none():
    assert tf.summary.merge_all() is None
    h = tf.summary.histogram("h", tf.constant([1.0, np.nan]))
    with tf.Session() as sess, pytest.raises(errors.InvalidArgumentError, match="Nan in summary histogram for: h"):
        sess.run(h)


def _accumulator(logdir):
    acc = event_accumulator.EventAccumulator(logdir, size_guidance={k: 0 for k in (
        event_accumulator.SCALARS, event_accumulator.HISTOGRAMS, event_accumulator.IMAGES,
        event_accumulator.AUDIO, event_accumulator.TENSORS)})
    acc.Reload()
    return acc


def _train_and_log(logdir, steps=5):
    x = tf.placeholder(tf.float32, [None], name="x")
    w = tf.Variable(1.0, name="w")
    loss = tf.reduce_mean(tf.square(x * w - 2.0), name="loss")
    tf.summary.scalar("loss", loss)
    tf.summary.histogram("w", w)
    tf.summary.image("img", tf.reshape(tf.range(12.0), [1, 3, 4, 1]) * w)
    tf.summary.audio("snd", tf.reshape(tf.sin(tf.range(80.0)) * 0.5, [1, 80]), 8000)
    tf.summary.text("note", tf.constant("step notes"))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    merged = tf.summary.merge_all()
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        writer = tf.summary.FileWriter(logdir, sess.graph)
        for step in range(steps):
            metadata = tf.RunMetadata()
            summary, loss_value, _ = sess.run(
                [merged, loss, train], {x: np.ones(4, np.float32)},
                options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE), run_metadata=metadata)
            writer.add_summary(summary, step)
            losses.append(float(loss_value))
        writer.add_run_metadata(metadata, "step%d" % step, step)
        with pytest.raises(ValueError, match="already used"):
            writer.add_run_metadata(metadata, "step%d" % step, step)
        writer.close()
    return losses


def test_tensorboard_loader_reads_every_panel(tmp_path):
    start = time.time()
    losses = _train_and_log(str(tmp_path))
    acc = _accumulator(str(tmp_path))
    tags = acc.Tags()
    # The scalar's tag is its name scope: "loss" is taken by the op, so the summary is "loss_1" as in TensorFlow.
    assert tags["scalars"] == ["loss_1"] and tags["histograms"] == ["w_1"]
    assert tags["images"] == ["img/image/0"] and tags["audio"] == ["snd/audio/0"]
    assert tags["tensors"] == ["note"] and tags["graph"] and tags["meta_graph"] and tags["run_metadata"] == ["step4"]
    scalars = acc.Scalars("loss_1")
    assert [e.step for e in scalars] == [0, 1, 2, 3, 4]
    np.testing.assert_allclose([e.value for e in scalars], losses, rtol=1e-6)
    assert all(start - 1 <= e.wall_time <= time.time() for e in scalars)
    histo = acc.Histograms("w_1")[0].histogram_value
    assert (histo.min, histo.max, histo.num, histo.sum) == (1.0, 1.0, 1, 1.0)
    image = acc.Images("img/image/0")[0]
    assert (image.width, image.height) == (4, 3) and image.encoded_image_string.startswith(b"\x89PNG")
    clip = acc.Audio("snd/audio/0")[0]
    assert clip.content_type == "audio/wav" and clip.sample_rate == 8000 and clip.length_frames == 80
    assert acc.SummaryMetadata("note").plugin_data.plugin_name == "text"
    assert tf.make_ndarray(acc.Tensors("note")[0].tensor_proto) == b"step notes"
    assert {n.name for n in acc.Graph().node} >= {"x", "w", "loss", "GradientDescent"}
    assert {n.node_name for n in acc.RunMetadata("step4").step_stats.dev_stats[0].node_stats} >= {"loss", "w/read"}


def test_event_file_name_and_first_record(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path), filename_suffix=".v2")
    writer.close()
    [path] = glob.glob(str(tmp_path / "events.out.tfevents.*"))
    seconds = int(os.path.basename(path).split(".")[3])
    assert path.endswith(socket.gethostname() + ".v2")
    first = next(tf.train.summary_iterator(path))
    assert first.wall_time == float(seconds) and first.file_version == "brain.Event:2"


def test_plugin_metadata_only_on_a_tags_first_event(tmp_path):
    note = tf.summary.text("note", tf.constant("x"))
    with tf.Session() as sess:
        serialized = sess.run(note)
    writer = tf.summary.FileWriter(str(tmp_path))
    writer.add_summary(serialized, 1)
    writer.add_summary(serialized, 2)
    writer.close()
    [path] = glob.glob(str(tmp_path / "events.out.tfevents.*"))
    values = [e.summary.value[0] for e in tf.train.summary_iterator(path) if e.HasField("summary")]
    assert [v.HasField("metadata") for v in values] == [True, False]


def _write_events(path, count):
    with tfrecord.TFRecordWriter(path) as writer:
        for step in range(count):
            writer.write(tf.Event(step=step, wall_time=1.0).SerializeToString())


def test_truncated_file_reads_up_to_the_cut_and_damage_is_data_loss(tmp_path):
    path = str(tmp_path / "events")
    _write_events(path, 5)
    data = open(path, "rb").read()
    ends = np.cumsum([len(tfrecord.encode_record(tf.Event(step=i, wall_time=1.0).SerializeToString()))
                      for i in range(5)])
    assert ends[-1] == len(data)
    for cut in (len(data) - 1, ends[3] + 3, ends[2] + 10, ends[0]):
        open(path, "wb").write(data[:cut])
        complete = int(np.searchsorted(ends, cut, side="right"))
        assert [e.step for e in tf.train.summary_iterator(path)] == list(range(complete))
    damaged = bytearray(data)
    damaged[ends[1] + 14] ^= 0xFF  # inside the third record's data
    open(path, "wb").write(bytes(damaged))
    with pytest.raises(errors.DataLossError):
        list(tf.train.summary_iterator(path))
    # A huge length with a valid checksum does not make the reader allocate past the file.
    length = struct.pack("<Q", 1 << 60)
    from minitf.io.crc32c import masked_crc32c
    open(path, "wb").write(length + struct.pack("<I", masked_crc32c(length)) + b"x" * 20)
    assert list(tf.train.summary_iterator(path)) == []


def test_killed_writer_leaves_flushed_events_readable(tmp_path):
    script = (
        "import sys, time, minitf as tf\n"
        "w = tf.summary.FileWriter(sys.argv[1])\n"
        "for i in range(20):\n"
        "    s = tf.Summary(); s.value.add(tag='x', simple_value=i)\n"
        "    w.add_summary(s, i)\n"
        "w.flush()\n"
        "print('flushed', flush=True)\n"
        "while True:\n"
        "    w.add_summary(tf.Summary(), 99)\n"
        "    time.sleep(0.001)\n")
    proc = subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "flushed"
    time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    [path] = glob.glob(str(tmp_path / "events.out.tfevents.*"))
    steps = [e.step for e in tf.train.summary_iterator(path) if e.summary.value]
    assert steps == list(range(20))


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_real_tensorboard_serves_scalars_and_graph(tmp_path):
    _train_and_log(str(tmp_path / "run1"))
    port = _free_port()
    tensorboard = os.path.join(os.path.dirname(sys.executable), "tensorboard")
    command = [tensorboard] if os.path.exists(tensorboard) else [sys.executable, "-m", "tensorboard.main"]
    proc = subprocess.Popen(command + ["--logdir", str(tmp_path), "--port", str(port), "--host", "127.0.0.1",
                                       "--reload_interval", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/data/plugin"
    try:
        deadline = time.time() + 60
        while True:
            try:
                tags = json.load(urllib.request.urlopen(f"{base}/scalars/tags", timeout=2))
                if tags.get("run1"):
                    break
            except OSError:
                pass
            assert time.time() < deadline, "tensorboard did not serve the run in time"
            time.sleep(0.5)
        assert "loss_1" in tags["run1"]
        points = json.load(urllib.request.urlopen(f"{base}/scalars/scalars?run=run1&tag=loss_1", timeout=5))
        assert [p[1] for p in points] == [0, 1, 2, 3, 4]
        graph = urllib.request.urlopen(f"{base}/graphs/graph?run=run1", timeout=5).read().decode()
        assert 'name: "GradientDescent"' in graph and 'op: "ApplyGradientDescent"' in graph
    finally:
        proc.terminate()
        proc.wait(timeout=10)
