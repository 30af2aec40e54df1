"""The ops a sharded Saver adds (``StaticRegexFullMatch``, ``ShardedFilename``, ``MergeV2Checkpoints``), used
directly; the values and messages are TensorFlow 2.21's (recorded by hand from ``tensorflow.python.ops.gen_io_ops``
and ``tf.strings.regex_full_match``). The Saver that uses them is tested against TensorFlow in test_saver.py
(``sharded_saver``) and test_saver_durability.py."""

import os

import numpy as np
import pytest

import minitf as tf
from minitf.ops import io_ops
from minitf.train.checkpoint_utils import load_checkpoint


def test_regex_full_match():
    x = tf.constant([[b"s3://a", b"xs3://b"], [b"", b"s3://"]])
    y = tf.strings.regex_full_match(x, "^s3://.*")
    assert (y.op.name, y.op.type, y.shape.as_list()) == ("StaticRegexFullMatch", "StaticRegexFullMatch", [2, 2])
    assert tf.Session().run(y).tolist() == [[True, False], [False, True]]


def test_sharded_filename():
    with tf.Session() as sess:
        assert sess.run(io_ops.sharded_filename("mg/p", 3, 12)) == b"mg/p-00003-of-00012"


def test_merge_renames_data_files_and_merges_the_index(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.makedirs("t")
    saves = [io_ops.save_v2("t/a", ["x"], [""], [tf.constant([1.0])]),
             io_ops.save_v2("t/b", ["y"], [""], [tf.constant([2, 3])])]
    merge = io_ops.merge_v2_checkpoints(["t/a", "t/b"], "out")
    assert merge.get_attr("delete_old_dirs") is True and merge.get_attr("allow_missing_files") is False
    with tf.Session() as sess:
        sess.run(saves)
        sess.run(merge)
    assert sorted(os.listdir(".")) == ["out.data-00000-of-00002", "out.data-00001-of-00002", "out.index"]
    reader = load_checkpoint("out")
    assert reader.get_tensor("x").tolist() == [1.0] and reader.get_tensor("y").tolist() == [2, 3]


def test_merge_errors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.makedirs("t")
    saves = [io_ops.save_v2("t/a", ["x"], [""], [tf.constant([1.0])]),
             io_ops.save_v2("t/b", ["x"], [""], [tf.constant([2.0])])]
    with tf.Session() as sess:
        sess.run(saves)
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            sess.run(io_ops.merge_v2_checkpoints(["t/a", "t/b"], "out"))
        assert info.value.message.startswith("Duplicate tensor keyed by x encountered, when merging prefix: t/b")
        assert sorted(os.listdir("t")) == ["a.data-00000-of-00001", "a.index", "b.data-00000-of-00001", "b.index"]
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            sess.run(io_ops.merge_v2_checkpoints(["t/zz"], "out2"))
        assert info.value.message.startswith(
            "allow_missing_files was set to false and t/zz did not exist.NOT_FOUND: t/zz not found")
    assert np.array_equal(load_checkpoint("t/a").get_tensor("x"), [1.0])
