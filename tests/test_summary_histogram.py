"""HistogramSummary on values at, just below and just above every one of TensorFlow's bucket limits, and at the
extremes of float64: the serialized Summary must be TensorFlow's byte for byte (golden SHA-256 from
tests/golden/make_summary_histogram.py, which also builds the inputs)."""

import hashlib
import importlib.util
import os

import numpy as np
import pytest

import minitf as tf
from helpers import golden

GOLDEN_DIR = os.path.join(os.path.dirname(__file__), "golden")
GOLDEN = golden("golden/summary_histogram.json")
_spec = importlib.util.spec_from_file_location("make_summary_histogram",
                                               os.path.join(GOLDEN_DIR, "make_summary_histogram.py"))
cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cases)  # only its numpy half: TensorFlow is imported under __main__ alone
CASES = cases.edge_cases(np)


@pytest.mark.parametrize("name", sorted(CASES))
def test_histogram_bytes_equal_tensorflow_at_bucket_edges(name):
    with tf.Graph().as_default(), tf.Session() as sess:
        serialized = sess.run(tf.summary.histogram(name, tf.constant(CASES[name])))
    assert len(serialized) == GOLDEN[name]["length"]
    assert hashlib.sha256(serialized).hexdigest() == GOLDEN[name]["sha256"]


def test_every_limit_opens_a_bucket():
    """A value equal to a limit counts in the next bucket up (TensorFlow's std::upper_bound), so the first bucket
    (up to -DBL_MAX) stays empty and every other holds one value."""
    from minitf.proto import summary_pb2
    limits = cases.bucket_limits(np)
    with tf.Graph().as_default(), tf.Session() as sess:
        serialized = sess.run(tf.summary.histogram("h", tf.constant(limits[:-1])))
    histo = summary_pb2.Summary.FromString(serialized).value[0].histo
    assert list(histo.bucket_limit) == limits.tolist()
    assert list(histo.bucket) == [0.0] + [1.0] * (len(limits) - 1)
    assert histo.min == limits[0] and histo.max == limits[-2] and histo.num == len(limits) - 1
