"""tf.nn.embedding_lookup_sparse and the sparse segment reductions against TensorFlow 2.21
(tests/golden/make_embedding_lookup_sparse.py runs the same programs): the same nodes (names, op types, inputs),
results and gradients (IndexedSlices rows and indices, or dense), for every combiner, weighted or not, over one
table and a two-part table."""
import os
import sys

import numpy as np
import pytest

import minitf as tf
from helpers import golden

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden"))
import make_embedding_lookup_sparse as programs  # noqa: E402

GOLDEN = golden("golden/embedding_lookup_sparse.json")


@pytest.mark.parametrize("case", programs.CASES)
def test_same_graph_values_and_gradients_as_tensorflow(case):
    ours, theirs = programs.run(tf, case), GOLDEN[case]
    assert ours["nodes"] == theirs["nodes"]
    np.testing.assert_allclose(ours["result"], theirs["result"], rtol=1e-6)
    assert len(ours["grads"]) == len(theirs["grads"])
    for mine, reference in zip(ours["grads"], theirs["grads"]):
        assert mine.keys() == reference.keys()
        for key in mine:
            np.testing.assert_allclose(mine[key], reference[key], rtol=1e-6)


def test_bad_arguments_raise_tensorflows_errors():
    sp_ids = tf.SparseTensor([[0, 0]], tf.constant([1], tf.int64), [1, 1])
    params = tf.zeros([3, 2])
    with pytest.raises(ValueError, match="combiner must be one of 'mean', 'sqrtn' or 'sum', got max"):
        tf.nn.embedding_lookup_sparse(params, sp_ids, None, combiner="max")
    with pytest.raises(TypeError, match="sp_ids must be SparseTensor"):
        tf.nn.embedding_lookup_sparse(params, tf.constant([1]), None)
    with pytest.raises(TypeError, match="sp_weights must be either None or SparseTensor"):
        tf.nn.embedding_lookup_sparse(params, sp_ids, tf.constant([1.0]))


def test_unsorted_segment_ids_fail_at_run_time():
    result = tf.sparse.segment_sum(tf.ones([3, 2]), [0, 1, 2], [1, 0, 0])
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError):
        sess.run(result)
