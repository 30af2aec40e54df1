"""Float Sum and Mean match TensorFlow's CPU kernels bit for bit (goldens from tests/golden/make_reductions.py)."""

import hashlib

import numpy as np
import pytest

import minitf as tf
from helpers import golden

RECORDS = golden("golden/reductions.json")


def _input(index, record):
    x = (np.random.default_rng(index).standard_normal(record["shape"]) * 3 + 1).astype(record["dtype"])
    assert hashlib.sha256(x.tobytes()).hexdigest() == record["input_sha256"], "numpy generated another input"
    return x


@pytest.mark.parametrize("number", range(len(RECORDS)), ids=lambda n: "%s-%s-%s" % (
    RECORDS[n]["shape"], RECORDS[n]["axis"], RECORDS[n]["dtype"]))
def test_sum_and_mean_bits_equal_tensorflow(number):
    record = RECORDS[number]
    x = _input(number // 2, record)
    graph = tf.Graph()
    with graph.as_default():
        p = tf.placeholder(record["dtype"], [None] * x.ndim)
        fetches = [tf.reduce_sum(p, record["axis"]), tf.reduce_mean(p, record["axis"])]
    with tf.Session(graph=graph) as sess:
        total, mean = sess.run(fetches, {p: x})
    assert np.asarray(total).tobytes().hex() == record["sum"]
    assert np.asarray(mean).tobytes().hex() == record["mean"]


def test_numpy_order_would_differ():
    """The cases are not trivially order-independent: numpy's own sum misses at least some of them."""
    misses = 0
    for number, record in enumerate(RECORDS):
        x = _input(number // 2, record)
        axis = tuple(record["axis"]) if isinstance(record["axis"], list) else record["axis"]
        misses += np.asarray(np.sum(x, axis=axis)).tobytes().hex() != record["sum"]
    assert misses >= 5
