"""Partitioned variables against TensorFlow 2.21's tf.compat.v1: get_variable / variable_scope with
fixed_size_partitioner, variable_axis_size_partitioner and min_max_variable_partitioner make TensorFlow's parts
(names, shapes, which parts get the extra rows, per-part initial values of seeded initializers), nodes, collections
and slice specs; reuse returns the same PartitionedVariable; embedding_lookup ("mod" and "div") gives each part an
IndexedSlices gradient and optimizers update the parts as TensorFlow's do.

The programs are tests/golden/partitioned_programs.py; goldens come from
tests/golden/make_partitioned_variables.py.
"""
import json
import os

import numpy as np
import pytest

import minitf as tf
from golden import partitioned_programs as programs
from golden import program_runs

RECORD = json.load(open(os.path.join(os.path.dirname(__file__), "golden", "partitioned_variables.json")))


@pytest.mark.parametrize("name", list(programs.PROGRAMS))
def test_program_matches_tensorflow(name):
    got = program_runs.run(tf, programs.PROGRAMS[name])
    program_runs.assert_same_run(got, RECORD["programs"][name])


@pytest.mark.parametrize("name", list(programs.FACTS))
def test_python_view_matches_tensorflow(name):
    assert json.loads(json.dumps(programs.FACTS[name](tf))) == RECORD["facts"][name]


@pytest.mark.parametrize("name", list(programs.ERRORS))
def test_construction_error_matches_tensorflow(name):
    assert program_runs.construction_error(tf, programs.ERRORS[name]) == RECORD["errors"][name]


# -- checkpoints: one key per partitioned variable, its parts as slices ----------------------------------------------

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "partitioned", "model")


def _assert_values(got, want):
    assert sorted(got) == sorted(want)
    for name in want:
        np.testing.assert_allclose(np.asarray(got[name]), np.asarray(want[name]), rtol=1e-6, atol=1e-7,
                                   err_msg=name)


def test_saved_checkpoint_is_tensorflows_byte_for_byte(tmp_path):
    """Same keys (the binary slice keys too), entries with the slices, data order and values as TensorFlow's."""
    prefix = str(tmp_path / "model")
    programs.train_and_save(tf, prefix)
    for suffix in (".index", ".data-00000-of-00001"):
        with open(prefix + suffix, "rb") as got, open(FIXTURE + suffix, "rb") as want:
            assert got.read() == want.read(), suffix
    reader = tf.train.load_checkpoint(prefix)
    _assert_values({name: reader.get_tensor(name) for name in reader.get_variable_to_shape_map()},
                   RECORD["checkpoint"])


def test_reads_tensorflows_checkpoint_of_partitioned_variables():
    reader = tf.train.load_checkpoint(FIXTURE)
    assert reader.get_variable_to_shape_map() == {name: list(np.shape(value))
                                                  for name, value in RECORD["checkpoint"].items()}
    _assert_values({name: reader.get_tensor(name) for name in RECORD["checkpoint"]}, RECORD["checkpoint"])


@pytest.mark.parametrize("name", list(programs.RESTORE_SHARDS))
def test_restores_tensorflows_checkpoint_partitioned_otherwise(name):
    _assert_values(programs.restore(tf, FIXTURE, programs.RESTORE_SHARDS[name]), RECORD["restores"][name])


@pytest.mark.parametrize("case", programs.INIT_FROM_CHECKPOINT)
def test_init_from_checkpoint_loads_each_parts_slice(case):
    _assert_values(programs.init_from_checkpoint(tf, FIXTURE, case), RECORD["init_from_checkpoint"][case])


def test_restore_of_a_slice_missing_from_the_checkpoint_names_it(tmp_path):
    prefix = str(tmp_path / "half")
    with tf.Graph().as_default():
        part = list(tf.get_variable("v", [4, 2], partitioner=tf.fixed_size_partitioner(2)))[0]
        saver = tf.train.Saver([part])
        with tf.Session() as sess:
            sess.run(part.initializer)
            saver.save(sess, prefix)
    with tf.Graph().as_default():
        tf.get_variable("v", [4, 2])
        with tf.Session() as sess, pytest.raises(tf.errors.NotFoundError,
                                                  match="Does not have sufficient slices for partitioned tensor v"):
            tf.train.Saver().restore(sess, prefix)


def test_sharded_save_lists_the_slices_of_every_shard_in_one_entry(tmp_path):
    """Parts on two devices: two data files, and MergeV2Checkpoints joins the slice lists as TensorFlow's."""
    prefix = str(tmp_path / "m")
    value = np.arange(10, dtype=np.float32).reshape(5, 2)
    with tf.Graph().as_default():
        with tf.device(lambda op: "/cpu:0" if "part_0" in op.name else "/cpu:1"):
            tf.get_variable("v", initializer=tf.constant(value), partitioner=tf.fixed_size_partitioner(2))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            tf.train.Saver(sharded=True).save(sess, prefix)
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "m.data-00000-of-00002", "m.data-00001-of-00002",
                                            "m.index", "m.meta"]
    with tf.Graph().as_default():
        whole = tf.get_variable("v", [5, 2])
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, prefix)
            np.testing.assert_array_equal(sess.run(whole), value)
