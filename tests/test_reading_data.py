"""TensorFlow 1.x's how_tos/reading_data programs (tests/tutorials/reading_data/) run with minitf as ``tensorflow``
on a small MNIST generated here in TensorFlow's gzipped idx format: convert_to_records writes TFRecords of
Examples, fully_connected_reader trains on them through tf.data, and the two preloaded programs train from
slice_input_producer + batch under queue runners until the end of their epochs."""

import gzip
import os
import subprocess
import sys

import numpy as np
import pytest

import minitf as tf

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNNER = os.path.join(ROOT, "tests", "tutorials", "run_as_tensorflow.py")
PROGRAMS = os.path.join(ROOT, "tests", "tutorials", "reading_data")
NUM_TRAIN, NUM_TEST = 5300, 100  # the preloaded programs keep read_data_sets' 5,000 validation images


def write_idx(path, array):
    """``array`` (uint8) as a gzipped idx file: magic 2051 for images [n, 28, 28], 2049 for labels [n]."""
    magic = 2051 if array.ndim == 3 else 2049
    header = np.array([magic] + list(array.shape), ">u4").tobytes()
    with gzip.open(path, "wb", compresslevel=1) as f:
        f.write(header + array.astype(np.uint8).tobytes())


@pytest.fixture(scope="module")
def mnist_dir(tmp_path_factory):
    """MNIST's four files: images whose bright column encodes the label, so the model can learn them."""
    directory = tmp_path_factory.mktemp("mnist")
    rng = np.random.RandomState(0)
    for prefix, n in (("train", NUM_TRAIN), ("t10k", NUM_TEST)):
        labels = rng.randint(0, 10, n).astype(np.uint8)
        images = rng.randint(0, 64, (n, 28, 28)).astype(np.uint8)
        images[np.arange(n), :, 2 + 2 * labels] = 255
        write_idx(directory / ("%s-images-idx3-ubyte.gz" % prefix), images)
        write_idx(directory / ("%s-labels-idx1-ubyte.gz" % prefix), labels)
    return directory


def run(program, *args):
    env = dict(os.environ, PYTHONPATH=ROOT)
    result = subprocess.run([sys.executable, RUNNER, os.path.join(PROGRAMS, program)] + list(args),
                            capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_convert_to_records_then_reader(mnist_dir):
    out = run("convert_to_records.py", "--directory", str(mnist_dir), "--validation_size", "300")
    for name in ("train", "validation", "test"):
        assert "Writing %s" % (mnist_dir / (name + ".tfrecords")) in out
    records = list(tf.python_io.tf_record_iterator(str(mnist_dir / "train.tfrecords")))
    assert len(records) == NUM_TRAIN - 300
    example = tf.train.Example.FromString(records[0])
    feature = example.features.feature
    assert [feature[k].int64_list.value[0] for k in ("height", "width", "depth")] == [28, 28, 1]
    assert len(feature["image_raw"].bytes_list.value[0]) == 784

    out = run("fully_connected_reader.py", "--train_dir", str(mnist_dir), "--num_epochs", "2",
              "--batch_size", "100", "--learning_rate", "0.5")
    steps = 2 * (NUM_TRAIN - 300) // 100
    assert "Done training for 2 epochs, %d steps." % steps in out, out
    assert out.startswith("Step 0: loss = 2."), out  # about ln(10) before training


@pytest.mark.parametrize("program", ["fully_connected_preloaded.py", "fully_connected_preloaded_var.py"])
def test_preloaded_programs_train_to_the_end_of_their_epochs(mnist_dir, tmp_path, program):
    train_dir = tmp_path / "train"
    train_dir.mkdir()
    for name in os.listdir(mnist_dir):
        if name.endswith(".gz"):
            os.symlink(mnist_dir / name, train_dir / name)
    out = run(program, "--train_dir", str(train_dir), "--num_epochs", "2", "--batch_size", "50")
    # 300 training images, 2 epochs: 12 batches of 50. Step 0's summary run takes the second batch (its loss
    # summary dequeues one) and counts a step; 10 more training steps end the epochs: step is 12.
    assert "Done training for 2 epochs, 12 steps." in out, out
    assert "Step 0: loss = " in out
    assert any(name.startswith("events.out.tfevents") for name in os.listdir(train_dir))
    assert os.path.exists(str(train_dir) + "-12.index")
