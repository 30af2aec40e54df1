"""The MNIST reader of TensorFlow 1.x's tutorials: ``input_data.read_data_sets(train_dir, one_hot=True)``.

TensorFlow 1.x's ``tensorflow/examples/tutorials/mnist/input_data.py`` re-exports
``tensorflow.contrib.learn.python.learn.datasets.mnist``; this module is that reader, with the same API and the same
batches: ``DataSet`` seeds numpy's global generator from ``get_seed(seed)`` when it is made (so a graph-level seed,
``tf.set_random_seed``, or ``seed=`` fixes the order, and neither leaves it random) and ``next_batch`` shuffles with
``numpy.random.shuffle`` at the start of every epoch, joining the tail of one epoch to the head of the next.

``read_data_sets`` reads the four gzipped idx files from ``train_dir``, downloading those that are missing.
"""

import collections
import gzip
import os
import shutil
import tempfile
import urllib.error
import urllib.request

import numpy

from minitf.framework import dtypes, ops, random_seed

# CVDF mirror of http://yann.lecun.com/exdb/mnist/, as in TensorFlow.
DEFAULT_SOURCE_URL = "https://storage.googleapis.com/cvdf-datasets/mnist/"

TRAIN_IMAGES = "train-images-idx3-ubyte.gz"
TRAIN_LABELS = "train-labels-idx1-ubyte.gz"
TEST_IMAGES = "t10k-images-idx3-ubyte.gz"
TEST_LABELS = "t10k-labels-idx1-ubyte.gz"

Datasets = collections.namedtuple("Datasets", ["train", "validation", "test"])


def _read32(bytestream):
    dt = numpy.dtype(numpy.uint32).newbyteorder(">")
    return numpy.frombuffer(bytestream.read(4), dtype=dt)[0]


def extract_images(f):
    """The images of an open gzipped idx3 file as a uint8 array [index, y, x, depth]; ValueError unless its magic
    number is 2051."""
    print("Extracting", f.name)
    with gzip.GzipFile(fileobj=f) as bytestream:
        magic = _read32(bytestream)
        if magic != 2051:
            raise ValueError("Invalid magic number %d in MNIST image file: %s" % (magic, f.name))
        num_images = _read32(bytestream)
        rows = _read32(bytestream)
        cols = _read32(bytestream)
        buf = bytestream.read(rows * cols * num_images)
        data = numpy.frombuffer(buf, dtype=numpy.uint8)
        return data.reshape(num_images, rows, cols, 1)


def dense_to_one_hot(labels_dense, num_classes):
    """Class labels as one-hot float64 rows."""
    num_labels = labels_dense.shape[0]
    index_offset = numpy.arange(num_labels) * num_classes
    labels_one_hot = numpy.zeros((num_labels, num_classes))
    labels_one_hot.flat[index_offset + labels_dense.ravel()] = 1
    return labels_one_hot


def extract_labels(f, one_hot=False, num_classes=10):
    """The labels of an open gzipped idx1 file: uint8 [index], or one-hot rows; ValueError unless its magic number
    is 2049."""
    print("Extracting", f.name)
    with gzip.GzipFile(fileobj=f) as bytestream:
        magic = _read32(bytestream)
        if magic != 2049:
            raise ValueError("Invalid magic number %d in MNIST label file: %s" % (magic, f.name))
        num_items = _read32(bytestream)
        buf = bytestream.read(num_items)
        labels = numpy.frombuffer(buf, dtype=numpy.uint8)
        if one_hot:
            return dense_to_one_hot(labels, num_classes)
        return labels


def _numpy_seed(seed):
    """The seed TensorFlow 1.x's DataSet gives numpy: ``get_seed(seed)``'s op-level seed if ``seed`` is set, else the
    graph-level seed (None: a random order). Computed without calling ``get_seed(None)``, which in minitf (as in
    TensorFlow 2) would advance the graph's counter of op seeds and so change the seeds of later random ops."""
    if seed is not None:
        return random_seed.get_seed(seed)[1]
    graph_seed = ops.get_default_graph().seed
    return None if graph_seed is None else random_seed._truncate_seed(graph_seed)


class DataSet:
    """Images and labels served in shuffled mini-batches (``next_batch``), epoch after epoch."""

    def __init__(self, images, labels, fake_data=False, one_hot=False, dtype=dtypes.float32, reshape=True,
                 seed=None):
        """``dtype`` uint8 keeps pixel values in [0, 255], float32 scales them to [0, 1]; ``reshape`` flattens each
        image to rows * columns; ``seed`` (or the graph-level seed) makes the batch order repeatable; ``one_hot`` is
        used only with ``fake_data``."""
        numpy.random.seed(_numpy_seed(seed))
        dtype = dtypes.as_dtype(dtype).base_dtype
        if dtype not in (dtypes.uint8, dtypes.float32):
            raise TypeError("Invalid image dtype %r, expected uint8 or float32" % dtype)
        if fake_data:
            self._num_examples = 10000
            self.one_hot = one_hot
        else:
            assert images.shape[0] == labels.shape[0], (
                "images.shape: %s labels.shape: %s" % (images.shape, labels.shape))
            self._num_examples = images.shape[0]
            if reshape:  # [num examples, rows, columns, depth] -> [num examples, rows * columns], depth being 1
                assert images.shape[3] == 1
                images = images.reshape(images.shape[0], images.shape[1] * images.shape[2])
            if dtype == dtypes.float32:
                images = numpy.multiply(images.astype(numpy.float32), 1.0 / 255.0)
        self._images = images
        self._labels = labels
        self._epochs_completed = 0
        self._index_in_epoch = 0

    @property
    def images(self):
        return self._images

    @property
    def labels(self):
        return self._labels

    @property
    def num_examples(self):
        return self._num_examples

    @property
    def epochs_completed(self):
        return self._epochs_completed

    def next_batch(self, batch_size, fake_data=False, shuffle=True):
        """The next ``batch_size`` (images, labels). The examples are shuffled before the first batch and whenever
        an epoch ends; a batch that crosses the end of an epoch is its last examples followed by the next epoch's
        first ones."""
        if fake_data:
            fake_image = [1] * 784
            fake_label = [1] + [0] * 9 if self.one_hot else 0
            return [fake_image for _ in range(batch_size)], [fake_label for _ in range(batch_size)]
        start = self._index_in_epoch
        if self._epochs_completed == 0 and start == 0 and shuffle:
            perm0 = numpy.arange(self._num_examples)
            numpy.random.shuffle(perm0)
            self._images = self.images[perm0]
            self._labels = self.labels[perm0]
        if start + batch_size > self._num_examples:
            self._epochs_completed += 1
            rest_num_examples = self._num_examples - start
            images_rest_part = self._images[start:self._num_examples]
            labels_rest_part = self._labels[start:self._num_examples]
            if shuffle:
                perm = numpy.arange(self._num_examples)
                numpy.random.shuffle(perm)
                self._images = self.images[perm]
                self._labels = self.labels[perm]
            start = 0
            self._index_in_epoch = batch_size - rest_num_examples
            end = self._index_in_epoch
            images_new_part = self._images[start:end]
            labels_new_part = self._labels[start:end]
            return (numpy.concatenate((images_rest_part, images_new_part), axis=0),
                    numpy.concatenate((labels_rest_part, labels_new_part), axis=0))
        self._index_in_epoch += batch_size
        end = self._index_in_epoch
        return self._images[start:end], self._labels[start:end]


def maybe_download(filename, work_directory, source_url):
    """The path of ``filename`` in ``work_directory``, downloading it from ``source_url`` first if it is missing."""
    os.makedirs(work_directory, exist_ok=True)
    filepath = os.path.join(work_directory, filename)
    if not os.path.exists(filepath):
        temp = tempfile.NamedTemporaryFile(dir=work_directory, prefix=filename, delete=False)
        try:
            with urllib.request.urlopen(source_url, timeout=60) as response, temp:
                shutil.copyfileobj(response, temp)
        except (urllib.error.URLError, OSError) as e:
            temp.close()
            os.remove(temp.name)
            reason = getattr(e, "reason", e)
            raise OSError(f"could not download {source_url} to {filepath} ({reason}); without a network, put the "
                          f"four MNIST files ({TRAIN_IMAGES}, {TRAIN_LABELS}, {TEST_IMAGES}, {TEST_LABELS}) in "
                          f"{os.path.abspath(work_directory)}") from None
        os.replace(temp.name, filepath)
        print("Successfully downloaded", filename, os.path.getsize(filepath), "bytes.")
    return filepath


def read_data_sets(train_dir, fake_data=False, one_hot=False, dtype=dtypes.float32, reshape=True,
                   validation_size=5000, seed=None, source_url=DEFAULT_SOURCE_URL):
    """MNIST as ``Datasets(train, validation, test)``: the first ``validation_size`` training examples are the
    validation set. Reads the four gzipped idx files in ``train_dir``, downloading the missing ones from
    ``source_url``; with ``fake_data``, three ``DataSet`` of 10000 fake examples each."""
    if fake_data:
        def fake():
            return DataSet([], [], fake_data=True, one_hot=one_hot, dtype=dtype, seed=seed)
        return Datasets(train=fake(), validation=fake(), test=fake())
    source_url = source_url or DEFAULT_SOURCE_URL
    data = {}
    for name in (TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS):
        with open(maybe_download(name, train_dir, source_url + name), "rb") as f:
            data[name] = extract_images(f) if "images" in name else extract_labels(f, one_hot=one_hot)
    train_images, train_labels = data[TRAIN_IMAGES], data[TRAIN_LABELS]
    if not 0 <= validation_size <= len(train_images):
        raise ValueError("Validation size should be between 0 and {}. Received: {}."
                         .format(len(train_images), validation_size))
    options = dict(dtype=dtype, reshape=reshape, seed=seed)
    train = DataSet(train_images[validation_size:], train_labels[validation_size:], **options)
    validation = DataSet(train_images[:validation_size], train_labels[:validation_size], **options)
    test = DataSet(data[TEST_IMAGES], data[TEST_LABELS], **options)
    return Datasets(train=train, validation=validation, test=test)


def load_mnist(train_dir="MNIST-data"):
    return read_data_sets(train_dir)
