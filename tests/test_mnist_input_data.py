"""``tensorflow.examples.tutorials.mnist.input_data`` on small generated idx files: the same data sets, batches
(order, epoch boundaries, seeds) and errors as TensorFlow 1.x's reader (goldens from
tests/golden/make_mnist_input_data.py, programs in tests/golden/mnist_programs.py)."""

import json
import os
import sys

import numpy as np
import pytest

import minitf as tf
from minitf.examples.tutorials.mnist import input_data

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "golden"))
from mnist_programs import programs, write_idx_files  # noqa: E402

GOLDEN = json.load(open(os.path.join(HERE, "golden", "mnist_input_data.json")))


@pytest.fixture(scope="module")
def mnist_dir(tmp_path_factory):
    directory = str(tmp_path_factory.mktemp("mnist"))
    write_idx_files(directory)
    return directory


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_program_matches_tensorflow(mnist_dir, name, capsys):
    got = programs(tf, input_data, mnist_dir)[name]()
    assert json.loads(json.dumps(got)) == GOLDEN[name]


def test_reading_prints_extracting_each_file(mnist_dir, capsys):
    input_data.read_data_sets(mnist_dir, validation_size=5)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("/")[-1] for line in lines] == [
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz"]
    assert all(line.startswith("Extracting ") for line in lines)


def test_a_file_with_a_wrong_magic_number(tmp_path, capsys):
    write_idx_files(str(tmp_path))
    os.replace(tmp_path / "t10k-labels-idx1-ubyte.gz", tmp_path / "t10k-images-idx3-ubyte.gz")
    with pytest.raises(ValueError, match=r"Invalid magic number 2049 in MNIST image file: .*t10k-images"):
        input_data.read_data_sets(str(tmp_path), validation_size=5)


def test_missing_files_are_downloaded(tmp_path, capsys):
    source = tmp_path / "mirror"
    write_idx_files(str(source))
    target = tmp_path / "data"
    data = input_data.read_data_sets(str(target), validation_size=5, source_url=source.as_uri() + "/")
    assert sorted(os.listdir(target)) == sorted(os.listdir(source))
    assert data.train.num_examples == 65
    assert "Successfully downloaded train-images-idx3-ubyte.gz" in capsys.readouterr().out


def test_a_failed_download_says_what_to_do(tmp_path, capsys):
    target = tmp_path / "data"
    with pytest.raises(OSError, match=r"could not download .*train-images-idx3-ubyte.gz.*without a network, "
                                      r"put the four MNIST files"):
        input_data.read_data_sets(str(target), source_url=(tmp_path / "nowhere").as_uri() + "/")
    assert os.listdir(target) == []  # no partial file left behind


def test_read_data_sets_leaves_the_op_seed_counter_alone(mnist_dir, capsys):
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        first = tf.random_uniform([2]).op.get_attr("seed2")
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        input_data.read_data_sets(mnist_dir, validation_size=5)
        assert tf.random_uniform([2]).op.get_attr("seed2") == first
