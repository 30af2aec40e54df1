"""TF1 RNNs against TensorFlow 2.21 (tf.compat.v1.nn.rnn_cell = tf_keras 2.21's legacy cells): the cells'
variables (names, shapes, initial values bit for bit under graph seeds), the graphs of static_rnn, dynamic_rnn and
the bidirectional RNNs node for node, outputs, states and gradients; sequence-length masking; static vs dynamic
equality; TensorFlow's errors.

The programs are tests/golden/rnn_programs.py; goldens come from tests/golden/make_rnn.py.
"""
import json
import os
import re

import numpy as np
import pytest

import minitf as tf
from golden import rnn_programs as programs
from minitf.framework import nest

RECORD = json.load(open(os.path.join(os.path.dirname(__file__), "golden", "rnn.json")))
RTOL, ATOL = 2e-5, 2e-6


def _flat_outputs(outputs):
    return {k: t for k, value in outputs.items()
            for k, t in ([(k, value)] if isinstance(value, tf.Tensor) else
                         [(f"{k}/{i}", t) for i, t in enumerate(nest.flatten(value))])}


@pytest.mark.parametrize("name", list(programs.PROGRAMS))
def test_rnn_matches_tensorflow(name):
    golden = RECORD["programs"][name]
    with tf.Graph().as_default() as graph:
        inputs, outputs = programs.PROGRAMS[name](tf)
        outputs = _flat_outputs(outputs)
        assert [[op.name, op.type] for op in graph.get_operations()] == golden["nodes"]
        global_vars, trainable = tf.global_variables(), tf.trainable_variables()
        assert [[v.name, v.shape.as_list()] for v in global_vars] == golden["variables"]
        assert {k: [t.name, t.shape.as_list()] for k, t in outputs.items()} == \
            {k: [o["name"], o["shape"]] for k, o in golden["outputs"].items()}
        total = tf.add_n([tf.reduce_sum(t) for t in outputs.values()])
        grads = tf.gradients(total, trainable + inputs)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            initial = sess.run(global_vars)
            values, grad_values = sess.run([outputs, grads])
    for variable, value, want in zip(global_vars, initial, golden["initial"]):
        np.testing.assert_array_equal(value, np.array(want, np.float32), err_msg=variable.name)
    for key, want in golden["outputs"].items():
        np.testing.assert_allclose(values[key], want["value"], RTOL, ATOL, err_msg=key)
    for target, grad, want in zip(trainable + inputs, grad_values, golden["grads"]):
        np.testing.assert_allclose(grad, want, RTOL, ATOL, err_msg=target.name)


@pytest.mark.parametrize("name", list(programs.ERRORS))
def test_errors_match_tensorflow(name):
    def normal(error):  # an object's address; minitf's MatMul lacks TensorFlow 2.21's grad_a/grad_b attrs
        return [error[0], re.sub(r"0x[0-9a-f]+", "0x", error[1].replace("grad_a=false, grad_b=false, ", ""))]
    assert normal(programs.error_message(tf, programs.ERRORS[name])) == normal(RECORD["errors"][name])


def test_sequence_length_of_the_wrong_batch_fails_as_tensorflow():
    want = re.search(r"\nNode: '[^']*'\n(.*?)\n", RECORD["run_error"]).group(1)
    assert programs.run_error(tf).split("\n")[0] == want


def _unrolled(static, sequence_length):
    with tf.Graph().as_default():
        tf.set_random_seed(11)
        x = tf.constant(np.random.default_rng(0).uniform(-1, 1, [3, 6, 4]).astype(np.float32))
        cell = tf.nn.rnn_cell.LSTMCell(5, use_peepholes=True, initializer=tf.constant_initializer(0.1))
        if static:
            outputs, state = tf.nn.static_rnn(cell, tf.unstack(x, axis=1), dtype=tf.float32,
                                              sequence_length=sequence_length)
            outputs = tf.stack(outputs, axis=1)
        else:
            outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, sequence_length=sequence_length)
        grads = tf.gradients(tf.reduce_sum(outputs) + tf.reduce_sum(state.c), tf.trainable_variables() + [x])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return sess.run([outputs, state, grads])


@pytest.mark.parametrize("sequence_length", [None, [6, 2, 4]])
def test_static_and_dynamic_rnn_agree(sequence_length):
    static, dynamic = _unrolled(True, sequence_length), _unrolled(False, sequence_length)
    for a, b in zip(nest.flatten(static), nest.flatten(dynamic)):
        np.testing.assert_allclose(a, b, 1e-5, 1e-6)
    if sequence_length:
        assert not np.any(dynamic[0][1, 2:])  # zero outputs past the length


def test_contrib_rnn_aliases():
    assert tf.contrib.rnn.BasicLSTMCell is tf.nn.rnn_cell.BasicLSTMCell
    assert tf.contrib.rnn.static_rnn is tf.nn.static_rnn
    assert tf.contrib.rnn.LSTMStateTuple(1, 2).h == 2


@pytest.mark.parametrize("mode", ["dynamic", "static"])
def test_lstm_example_trains_as_tensorflow(mode):
    """examples/lstm/lstm_digits.py: losses and test accuracy of 101 Adam steps as TensorFlow prints them
    (tests/golden/make_lstm_example.py)."""
    import sys
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples", "lstm"))
    import lstm_digits
    golden = json.load(open(os.path.join(os.path.dirname(__file__), "golden", "lstm_example.json")))[mode]
    lines = list(lstm_digits.train(tf, 101, static=(mode == "static")))
    assert [line.split("=")[0] for line in lines] == [line.split("=")[0] for line in golden]
    np.testing.assert_allclose([float(line.split("=")[1]) for line in lines],
                               [float(line.split("=")[1]) for line in golden], rtol=1e-5)
