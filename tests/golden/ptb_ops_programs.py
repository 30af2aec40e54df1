"""The programs of tests/golden/make_ptb_tutorial.py (TensorFlow 2.21's tf.compat.v1, with TensorFlow 1.15's
``tf.contrib.seq2seq.sequence_loss`` rebuilt in ptb_tf_contrib.py) and tests/test_ptb_tutorial.py (minitf): the
calls TensorFlow's PTB tutorial (tutorials/rnn/ptb of tensorflow/models) needed that minitf lacked. Each takes the
library as ``tf`` and its ``contrib`` and returns (inputs, {name: output tensor}); the sum of the outputs is
differentiated wrt the inputs."""
import numpy as np


def _data(shape, seed, low=-1.0, high=1.0):
    return np.random.default_rng(seed).uniform(low, high, size=shape).astype(np.float32)


def xw_plus_b(tf, contrib):
    """``tf.nn.xw_plus_b``: MatMul then BiasAdd, in an ``xw_plus_b`` scope or the given name."""
    x = tf.constant(_data([3, 4], 1), name="x")
    w = tf.constant(_data([4, 5], 2), name="w")
    b = tf.constant(_data([5], 3), name="b")
    return [x, w, b], {"default": tf.nn.xw_plus_b(x, w, b), "named": tf.nn.xw_plus_b(x, w, b, name="logits"),
                       "lists": tf.nn.xw_plus_b([[1.0, 2.0]], [[3.0], [4.0]], [0.5])}


PROGRAMS = {"xw_plus_b": xw_plus_b}


def record(tf, contrib, session_config=None):
    """{program: {"nodes": [[name, type]], "outputs": {name: value}, "gradients": [value]}}."""
    result = {}
    for name, program in PROGRAMS.items():
        with tf.Graph().as_default() as graph:
            inputs, outputs = program(tf, contrib)
            total = tf.add_n([tf.reduce_sum(t) for t in outputs.values()])
            grads = tf.gradients(total, inputs)
            nodes = [[op.name, op.type] for op in graph.get_operations()]
            with tf.Session(config=session_config) as sess:
                values, grad_values = sess.run([outputs, grads])
        result[name] = {"nodes": nodes, "outputs": {k: np.asarray(v).tolist() for k, v in values.items()},
                        "gradients": [np.asarray(g).tolist() for g in grad_values]}
    return result
