"""Optimizers against TensorFlow 2.21: variable and slot names, update ops, and five steps of values as raw bits
(goldens from tests/golden/make_optimizers.py, recorded with grappler's reassociating passes off)."""

import numpy as np
import pytest

import minitf as tf
from helpers import golden

RECORD = golden("golden/optimizers.json")


def _model():
    x = tf.constant(np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3))
    target = tf.constant(np.array([[1.0], [0.0], [-1.0], [0.5]], np.float32))
    w = tf.Variable(np.array([0.1, -0.2, 0.3], np.float32), name="w")
    b = tf.Variable(np.array([0.05], np.float32), name="b")
    return tf.reduce_mean(tf.square(tf.reduce_sum(x * w, axis=1, keepdims=True) + b - target))


@pytest.mark.parametrize("name", sorted(RECORD["optimizers"]))
def test_optimizer_matches_tensorflow(name):
    golden = RECORD["golden"][name]
    with tf.Graph().as_default() as graph:
        loss = _model()
        step = tf.train.get_or_create_global_step()
        train = eval(RECORD["optimizers"][name]).minimize(loss, global_step=step)
        variables = tf.global_variables()
        assert [v.op.name for v in variables] == golden["variables"]
        assert [train.type, train.name] == golden["train_op"]
        assert sorted(op.type for op in graph.get_operations() if op.type.startswith("Apply")) == golden["update_ops"]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for expected in golden["steps"]:
                sess.run(train)
                got = {v.op.name: np.asarray(sess.run(v)).tobytes().hex() for v in variables}
                assert got == expected
