"""The MNIST reader TensorFlow 1.x's tutorials import (``input_data.read_data_sets``, the module
``tensorflow.contrib.learn.python.learn.datasets.mnist``), enough for the reading_data programs: the four gzipped idx
files of ``train_dir`` as train/validation/test DataSets of images and labels. Nothing is downloaded."""

import collections
import gzip
import os

import numpy

import tensorflow as tf

TRAIN_IMAGES = "train-images-idx3-ubyte.gz"
TRAIN_LABELS = "train-labels-idx1-ubyte.gz"
TEST_IMAGES = "t10k-images-idx3-ubyte.gz"
TEST_LABELS = "t10k-labels-idx1-ubyte.gz"

Datasets = collections.namedtuple("Datasets", ["train", "validation", "test"])


def _idx(path, magic):
    """The array of a gzipped idx file whose magic number must be ``magic`` (2051 images, 2049 labels)."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    header = numpy.frombuffer(data, ">u4", count=1 + (3 if magic == 2051 else 1))
    if header[0] != magic:
        raise ValueError("Invalid magic number %d in MNIST file: %s" % (header[0], path))
    values = numpy.frombuffer(data, numpy.uint8, offset=4 * len(header))
    return values.reshape(header[1], header[2], header[3], 1) if magic == 2051 else values


class DataSet:
    """Images (uint8 [n, rows, cols, 1] or, with ``reshape``, [n, rows*cols]; float32 ones scaled to [0, 1]) and
    their uint8 labels."""

    def __init__(self, images, labels, dtype=tf.float32, reshape=True):
        if reshape:
            images = images.reshape(images.shape[0], -1)
        if tf.as_dtype(dtype) == tf.float32:
            images = images.astype(numpy.float32) * (1.0 / 255.0)
        self.images, self.labels, self.num_examples = images, labels, images.shape[0]


def read_data_sets(train_dir, fake_data=False, one_hot=False, dtype=tf.float32, reshape=True,
                   validation_size=5000, seed=None):
    """The train, validation (the first ``validation_size`` training examples) and test DataSets."""
    if fake_data or one_hot:
        raise ValueError("this reader serves the idx files only, with integer labels")
    train_images = _idx(os.path.join(train_dir, TRAIN_IMAGES), 2051)
    train_labels = _idx(os.path.join(train_dir, TRAIN_LABELS), 2049)
    test = DataSet(_idx(os.path.join(train_dir, TEST_IMAGES), 2051), _idx(os.path.join(train_dir, TEST_LABELS), 2049),
                   dtype, reshape)
    if not 0 <= validation_size <= len(train_images):
        raise ValueError("Validation size should be between 0 and %d. Received: %d."
                         % (len(train_images), validation_size))
    validation = DataSet(train_images[:validation_size], train_labels[:validation_size], dtype, reshape)
    train = DataSet(train_images[validation_size:], train_labels[validation_size:], dtype, reshape)
    return Datasets(train=train, validation=validation, test=test)
