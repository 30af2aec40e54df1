"""SparseTensors through tf.train.batch / shuffle_batch / batch_join / shuffle_batch_join / maybe_batch against
TensorFlow 2.21: a TFRecord file of Examples with VarLenFeatures, parsed by parse_single_example and batched (also
enqueue_many, dynamic_pad, keep_input as a vector and as a run-time scalar); node for node (with the maps'
shared_name), static shapes, and the fetched SparseTensorValues.

The programs are tests/golden/sparse_batch_programs.py; goldens come from tests/golden/make_sparse_batch.py.
"""
import json
import os

import numpy as np
import pytest

import minitf as tf
from golden import sparse_batch_programs as programs
from minitf.ops import sparse_tensors_map

RECORD = json.load(open(os.path.join(os.path.dirname(__file__), "golden", "sparse_batch.json")))


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("sparse_batch") / "examples.tfrecords")
    programs.write_records(tf, path)
    return path


@pytest.mark.parametrize("name", list(programs.PROGRAMS))
def test_matches_tensorflow(name, records):
    assert programs.run(tf, programs.PROGRAMS[name], records) == RECORD[name]


def test_take_stacks_along_a_new_first_dimension_with_the_largest_shape():
    sp = tf.SparseTensorValue([[0, 1], [1, 0]], np.array([1, 2], np.int32), [2, 4])
    with tf.Graph().as_default():
        a = sparse_tensors_map.add_sparse_to_tensors_map(sp)
        b = sparse_tensors_map.add_sparse_to_tensors_map(
            tf.SparseTensorValue([[2, 0]], np.array([3], np.int32), [3, 1]), shared_name=a.op.name)
        taken = sparse_tensors_map.take_many_sparse_from_tensors_map(a.op, tf.stack([b, a]), rank=3)
        assert taken.indices.shape.as_list() == [None, 3]
        with tf.Session() as sess:
            value = sess.run(taken)
    assert value.indices.tolist() == [[0, 2, 0], [1, 0, 1], [1, 1, 0]]
    assert value.values.tolist() == [3, 1, 2]
    assert value.dense_shape.tolist() == [2, 3, 4]


def test_a_handle_is_taken_once():
    with tf.Graph().as_default():
        handle = sparse_tensors_map.add_sparse_to_tensors_map(tf.SparseTensorValue([[0]], [1.0], [2]))
        taken = sparse_tensors_map.take_many_sparse_from_tensors_map(handle.op, tf.stack([handle, handle]))
        with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                                  match="Unable to find SparseTensor: 0 in map: "
                                                        "AddSparseToTensorsMap"):
            sess.run(taken)


def test_add_many_needs_sorted_indices_and_rank_above_one():
    with tf.Graph().as_default():
        unsorted = sparse_tensors_map.add_many_sparse_to_tensors_map(
            tf.SparseTensorValue([[1, 0], [0, 0]], [1.0, 2.0], [2, 2]))
        vector = sparse_tensors_map.add_many_sparse_to_tensors_map(tf.SparseTensorValue([[1]], [1.0], [2]))
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[1\] = \[0,0\] is out of order"):
                sess.run(unsorted)
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match="Rank of input SparseTensor should be > 1, but saw rank: 1"):
                sess.run(vector)


def test_take_needs_a_storing_op():
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match="sparse_map_op must be one of AddSparseToTensorsMap"):
            sparse_tensors_map.take_many_sparse_from_tensors_map(tf.constant([0]).op, [0])
