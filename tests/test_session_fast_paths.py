"""What the Session's per-step fast paths (remembered fetch structures and feed checks, precompiled kernel calls)
and the word2vec step's faster kernels (Pad, SplitV, ScatterAdd/ScatterSub, the log-uniform sampler's prefetched
Philox blocks and kept expected counts) must leave unchanged, against TensorFlow 2.21: one session fed and fetched
the same way many times, shapes rechecked after ``set_shape``, results bit for bit.

Goldens: tests/golden/make_session_fast_paths.py.
"""
import json
import os

import numpy as np

import minitf as tf
from golden import make_session_fast_paths as program

GOLDEN = json.load(open(os.path.join(os.path.dirname(__file__), "golden", "session_fast_paths.json")))


def test_repeated_feeds_fetches_and_kernels_are_tensorflows(fresh_graph):
    got = json.loads(json.dumps(program.run(tf)))
    for part in ("feeds", "fetches", "scatter", "kernels", "sampler"):
        assert len(got[part]) == len(GOLDEN[part]), part
        for index, (value, want) in enumerate(zip(got[part], GOLDEN[part])):
            assert value == want, (part, index)


def test_a_feed_remembered_for_one_static_shape_is_checked_again_after_set_shape(fresh_graph):
    x = tf.placeholder(tf.float32, None)
    with tf.Session() as sess:
        for _ in range(3):
            sess.run(x, {x: np.zeros(2, np.float32)})
        x.set_shape([3])
        try:
            sess.run(x, {x: np.zeros(2, np.float32)})
        except ValueError as e:
            assert str(e) == "Cannot feed value of shape (2,) for Tensor Placeholder:0, which has shape (3,)"
        else:
            raise AssertionError("an incompatible feed was accepted")


def test_scatter_updates_apply_repeated_indices_in_order(fresh_graph):
    """ScatterSub/ScatterAdd equal numpy's unbuffered ufunc.at (TensorFlow's CPU kernel applies each update in
    turn) on random vectors and matrices with many repeated indices."""
    rng = np.random.RandomState(0)
    for trial in range(40):
        rows = rng.randint(1, 30)
        shape = (rows,) + ((rng.randint(1, 5),) if trial % 2 else ())
        start = rng.randn(*shape).astype(np.float32)
        index = rng.randint(0, rows, size=rng.randint(1, 60)).astype(np.int32)
        update = rng.randn(*(index.shape + shape[1:])).astype(np.float32)
        tf.reset_default_graph()
        v = tf.Variable(start)
        ops = [tf.scatter_sub(v, index, update), tf.scatter_add(v, index[::-1], update * 3)]
        want = start.copy()
        np.subtract.at(want, index, update)
        np.add.at(want, index[::-1], update * np.float32(3))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(ops[0])
            assert sess.run(ops[1]).tobytes() == want.tobytes(), trial
