"""Records under TensorFlow 2.21 what the Session's per-step fast paths and the word2vec step's kernels must keep
doing: one session fed and fetched the same way many times (feeds converted, shapes checked after ``set_shape``,
fetch structures rebuilt), and the kernels made faster for the word2vec step (Pad, SplitV, ScatterAdd/ScatterSub
with repeated indices, the log-uniform candidate sampler over many runs). tests/test_session_fast_paths.py runs the
same ``run(tf)`` under minitf.

Run:  ~/tfref/bin/python tests/golden/make_session_fast_paths.py   (writes tests/golden/session_fast_paths.json)
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLER_RUNS = 40


def _plain(value):
    """A fetched value as JSON: arrays as {"dtype", "values"} (float32 values are exact as JSON doubles)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        return {"type": type(value).__name__, "items": [_plain(v) for v in value]}
    if value is None:
        return None
    array = np.asarray(value)
    return {"dtype": array.dtype.name, "shape": list(array.shape), "values": array.reshape(-1).tolist()}


def _error(action):
    try:
        action()
    except Exception as e:  # noqa: BLE001 -- the class and message are what is recorded
        return [type(e).__name__, str(e).split("\n")[0]]
    return None


def run(tf):
    """{"feeds": [...], "fetches": [...], "kernels": [...], "sampler": [...]} for the module ``tf``."""
    tf.reset_default_graph()
    tf.set_random_seed(7)
    out = {}
    x = tf.placeholder(tf.int32, None, name="x")
    y = x * 2
    rows = tf.placeholder(tf.float32, [None, 2], name="rows")
    with tf.Session() as sess:
        feeds = [_plain(sess.run(y, {x: np.array([1, 2, 3], np.int64)})),
                 _plain(sess.run(y, {x: np.array([4, 5, 6], np.int32)})),
                 _plain(sess.run(y, {x: np.array([1.9, -2.5, 3.0])})),
                 _plain(sess.run(y, {x: [7, 8, 9]})),
                 _plain(sess.run(y, {x: np.array([[1, 2], [3, 4]], np.int64)})),
                 _plain(sess.run(rows * 2, {rows: np.ones((3, 2), np.float64)})),
                 _error(lambda: sess.run(rows, {rows: np.ones((3, 3), np.float32)})),
                 _plain(sess.run(rows, {rows: np.ones((1, 2), np.float32)}))]
        x.set_shape([3])
        feeds.append(_error(lambda: sess.run(y, {x: np.array([[1, 2], [3, 4]], np.int64)})))
        feeds.append(_error(lambda: sess.run(y, {x: np.array([1, 2, 3, 4], np.int64)})))
        feeds.append(_plain(sess.run(y, {x: np.array([1, 2, 3], np.int64)})))
        out["feeds"] = feeds

        fetches = []
        z = y + 1
        for _ in range(3):
            values = sess.run([y, z], {x: [1, 2, 3]})
            fetches.append(_plain(values))
            values[0][0] = 100  # a fetched array is the caller's: changing it changes no later result
        fetches.append(_plain(sess.run((z,), {x: [1, 2, 3]})))
        fetches.append(_plain(sess.run({"a": y, "b": [z, y]}, {x: [1, 2, 3]})))
        fetches.append(_plain(sess.run(z.op, {x: [1, 2, 3]})))
        fetches.append(_plain(sess.run(y, {x: [4, 5, 6]})))
        out["fetches"] = fetches

    v = tf.Variable(tf.zeros([5]), name="v")
    m = tf.Variable(np.arange(12, dtype=np.float32).reshape(6, 2) / 7.0, name="m")
    indices = tf.constant([3, 1, 3, 0, 3, 1, 4], tf.int32)
    updates = tf.constant(np.linspace(-1.3, 2.9, 7).astype(np.float32) / 3.0)
    row_updates = tf.constant(np.linspace(0.1, 4.7, 14).astype(np.float32).reshape(7, 2) / 3.0)
    scatter = [tf.scatter_sub(v, indices, updates), tf.scatter_add(v, indices[::-1], updates * 0.7),
               tf.scatter_sub(m, indices, row_updates), tf.scatter_add(m, indices[1:], row_updates[1:] / 9.0)]
    value = tf.constant(np.arange(24, dtype=np.float32).reshape(2, 3, 4))
    kernels = [tf.pad(tf.constant(3.0), tf.zeros([0, 2], tf.int32)),
               tf.pad(value, [[0, 1], [2, 0], [1, 1]]), tf.pad(value, [[1, 0], [0, 0], [0, 2]], constant_values=-2),
               tf.split(value, [1, -1, 2], axis=-1), tf.split(value, [2, 1], axis=1), tf.split(value, [2], axis=0)]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out["scatter"] = [_plain(sess.run(scatter[i % 4])) for i in range(8)]
        out["kernels"] = [_plain(v) for v in sess.run(kernels)]

    labels = tf.placeholder(tf.int64, [6, 1])
    samplers = [tf.nn.log_uniform_candidate_sampler(labels, 1, 16, True, 10 ** 9, seed=3),
                tf.nn.log_uniform_candidate_sampler(labels, 1, 8, True, 50000),
                tf.nn.log_uniform_candidate_sampler(labels, 1, 5, False, 40)]
    true = np.array([[0], [1], [7], [29], [1], [12]])
    with tf.Session() as sess:
        out["sampler"] = [_plain([list(s) for s in sess.run(samplers, {labels: true + run % 2})])
                          for run in range(SAMPLER_RUNS)]
    return out


if __name__ == "__main__":
    import tensorflow.compat.v1 as tf_v1
    tf_v1.disable_v2_behavior()
    with open(os.path.join(HERE, "session_fast_paths.json"), "w") as f:
        json.dump(run(tf_v1), f)
