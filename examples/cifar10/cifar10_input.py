"""Input data for the CIFAR-10 tutorial, as numpy batches fed to placeholders.

TensorFlow's tutorial reads CIFAR-10 with queue runners; minitf has no queues, so this module does the same
work in numpy: it reads CIFAR-10's binary files (1 label byte + 3072 image bytes, channel-major 32x32 per
record), crops to 24x24 (randomly and with random flips for training, centrally for evaluation) and
standardizes each image as ``tf.image.per_image_standardization`` does.

Without CIFAR-10 files it uses the bundled handwritten digits (8x8, 10 classes), enlarged to 24x24 and repeated
over three channels, so that the tutorial's model trains unchanged, offline, in minutes.
"""

import gzip
import os

import numpy as np

IMAGE_SIZE = 24
NUM_CLASSES = 10
_CIFAR_SIDE = 32
_DIGITS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "digits.csv.gz")
_TRAIN_FILES = ["data_batch_%d.bin" % i for i in range(1, 6)]
_TEST_FILES = ["test_batch.bin"]


def _standardize(images):
    """``per_image_standardization``: zero mean and unit variance per image (std at least 1/sqrt(pixels))."""
    flat = images.reshape(len(images), -1)
    mean = flat.mean(axis=1, keepdims=True)
    adjusted_std = np.maximum(flat.std(axis=1, keepdims=True), 1.0 / np.sqrt(flat.shape[1]))
    return ((flat - mean) / adjusted_std).reshape(images.shape).astype(np.float32)


def _read_cifar(data_dir, names):
    record = 1 + 3 * _CIFAR_SIDE * _CIFAR_SIDE
    raw = np.concatenate([np.fromfile(os.path.join(data_dir, name), np.uint8) for name in names])
    if raw.size % record:
        raise ValueError("%s does not hold whole CIFAR-10 records of %d bytes" % (data_dir, record))
    raw = raw.reshape(-1, record)
    images = raw[:, 1:].reshape(-1, 3, _CIFAR_SIDE, _CIFAR_SIDE).transpose(0, 2, 3, 1).astype(np.float32)
    return images, raw[:, 0].astype(np.int32)


def _digits():
    with gzip.open(_DIGITS, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.float32)
    images = table[:, :64].reshape(-1, 8, 8) * (255.0 / 16.0)
    images = np.repeat(np.kron(images, np.ones((3, 3), np.float32))[..., None], 3, axis=3)  # 24x24x3
    return images, table[:, 64].astype(np.int32)


def has_cifar10(data_dir):
    return bool(data_dir) and all(os.path.exists(os.path.join(data_dir, n)) for n in _TRAIN_FILES + _TEST_FILES)


def load(data_dir, eval_data):
    """(images, labels) of the training set (``eval_data`` False) or the test set, before cropping."""
    if has_cifar10(data_dir):
        return _read_cifar(data_dir, _TEST_FILES if eval_data else _TRAIN_FILES)
    images, labels = _digits()
    test = np.arange(len(images)) % 5 == 0  # every fifth digit is held out: 360 test, 1437 training images
    return (images[test], labels[test]) if eval_data else (images[~test], labels[~test])


def _crop(images, rng):
    side = images.shape[1]
    if side == IMAGE_SIZE:
        return images
    if rng is None:  # evaluation: the central crop
        start = (side - IMAGE_SIZE) // 2
        return images[:, start:start + IMAGE_SIZE, start:start + IMAGE_SIZE]
    offsets = rng.integers(0, side - IMAGE_SIZE + 1, size=(len(images), 2))
    rows = offsets[:, :1, None] + np.arange(IMAGE_SIZE)[None, :, None]
    cols = offsets[:, None, 1:] + np.arange(IMAGE_SIZE)[None, None, :]
    return images[np.arange(len(images))[:, None, None], rows, cols]


def batches(images, labels, batch_size, distort, seed=0):
    """Endless (images, labels) batches: reshuffled each epoch when ``distort``, in order otherwise."""
    rng = np.random.default_rng(seed)
    flips = distort and images.shape[1] > IMAGE_SIZE  # CIFAR-10's photos, not the digits
    while True:
        order = rng.permutation(len(images)) if distort else np.arange(len(images))
        for start in range(0, len(order) - batch_size + 1 if distort else len(order), batch_size):
            index = order[start:start + batch_size]
            if len(index) < batch_size:  # the evaluation's last batch wraps around, as the tutorial's queue does
                index = np.concatenate([index, order[:batch_size - len(index)]])
            batch = _crop(images[index], rng if distort else None)
            if flips:
                flip = rng.random(batch_size) < 0.5
                batch[flip] = batch[flip, :, ::-1]
            yield _standardize(batch), labels[index]
