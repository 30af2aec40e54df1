"""``tf.contrib.layers`` and ``tf.contrib.framework`` against TensorFlow 1.15's contrib rebuilt on TensorFlow 2.21
(tests/golden/make_contrib.py says how): the graph node for node, the variables (names, shapes, trainable, model
variables, initial values bit for bit under graph seeds), regularization losses, outputs and gradients; errors.
batch_norm programs also run several steps (outputs, gradients, the update ops), then compare the variables;
optimize_loss programs train several steps, comparing the loss and every variable after each.

The programs are tests/golden/contrib_programs.py.
"""
import json
import os

import numpy as np
import pytest

import minitf as tf
from golden import contrib_programs as programs
from helpers import assert_layer_program_matches

RECORD = json.load(open(os.path.join(os.path.dirname(__file__), "golden", "contrib.json")))
RTOL, ATOL = 1e-5, 1e-5


@pytest.mark.parametrize("name", list(programs.PROGRAMS))
def test_contrib_matches_tensorflow(name):
    golden = RECORD["programs"][name]
    with tf.Graph().as_default() as graph:
        inputs, outputs = programs.PROGRAMS[name](tf, tf.contrib)
        assert [[op.name, op.type] for op in graph.get_operations()] == golden["nodes"]
        assert [v.name for v in tf.model_variables()] == golden["model_variables"]
        assert_layer_program_matches(tf, golden, inputs, outputs, RTOL, ATOL)


@pytest.mark.parametrize("name", list(programs.BATCH_NORM))
def test_batch_norm_matches_tensorflow(name):
    golden = RECORD["batch_norm"][name]
    with tf.Graph().as_default() as graph:
        feeds, outputs = programs.BATCH_NORM[name](tf, tf.contrib)
        assert [[op.name, op.type] for op in graph.get_operations()] == golden["nodes"]
        global_vars, trainable = tf.global_variables(), tf.trainable_variables()
        assert [[v.name, v.shape.as_list()] for v in global_vars] == golden["variables"]
        assert [v.name for v in trainable] == golden["trainable"]
        assert {key: [t.name for t in tf.get_collection(key)] for key in golden["collections"]} == \
            golden["collections"]
        assert {k: [t.name, t.shape.as_list()] for k, t in outputs.items()} == golden["outputs"]
        inputs = [p for p in feeds if p.op.name.startswith("x")]
        total = tf.add_n([tf.reduce_sum(tf.cast(t, tf.float32)) for t in outputs.values()])
        grads = tf.gradients(total, trainable + inputs)
        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for step, want in enumerate(golden["steps"]):
                feed = {p: values[step] for p, values in feeds.items()}
                values, grad_values = sess.run([outputs, grads], feed)
                sess.run(update_ops, feed)
                for key, value in values.items():
                    np.testing.assert_allclose(value, want["outputs"][key], RTOL, ATOL, err_msg=f"{key} {step}")
                for target, grad, want_grad in zip(trainable + inputs, grad_values, want["grads"]):
                    np.testing.assert_allclose(grad, want_grad, RTOL, ATOL, err_msg=f"{target.name} {step}")
            final = sess.run(global_vars)
    for variable, value, want in zip(global_vars, final, golden["final"]):
        np.testing.assert_allclose(value, want, RTOL, ATOL, err_msg=variable.name)


@pytest.mark.parametrize("name", list(programs.OPTIMIZE))
def test_optimize_loss_trains_as_tensorflow(name):
    golden = RECORD["optimize_loss"][name]
    with tf.Graph().as_default() as graph:
        feeds, train = programs.OPTIMIZE[name](tf, tf.contrib)
        assert [[op.name, op.type] for op in graph.get_operations()] == golden["nodes"]
        global_vars = tf.global_variables()
        assert [[v.name, v.shape.as_list()] for v in global_vars] == golden["variables"]
        assert [v.name for v in tf.trainable_variables()] == golden["trainable"]
        assert train.name == golden["train"]
        assert [t.name for t in tf.get_collection(tf.GraphKeys.SUMMARIES)] == golden["summaries"]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for step, want in enumerate(golden["steps"]):
                loss = sess.run(train, {p: values[step] for p, values in feeds.items()})
                np.testing.assert_allclose(loss, want["loss"], RTOL, ATOL, err_msg=f"loss {step}")
                for variable, value, want_value in zip(global_vars, sess.run(global_vars), want["variables"]):
                    np.testing.assert_allclose(value, want_value, RTOL, ATOL, err_msg=f"{variable.name} {step}")


@pytest.mark.parametrize("name", list(programs.ERRORS))
def test_errors_match_tensorflow(name):
    assert programs.error_message(tf, tf.contrib, programs.ERRORS[name]) == RECORD["errors"][name]


def test_a_missing_contrib_name_says_so():
    with pytest.raises(AttributeError, match=r"minitf does not implement tf.contrib.layers.layer_norm yet"):
        tf.contrib.layers.layer_norm


def test_arg_scope_bookkeeping_as_tensorflow_1_15():
    layers, framework = tf.contrib.layers, tf.contrib.framework
    assert framework.has_arg_scope(layers.conv2d) and framework.has_arg_scope(layers.batch_norm)
    assert layers.conv2d is layers.convolution2d and layers.arg_scope is framework.arg_scope
    assert "normalizer_fn" in framework.arg_scoped_arguments(layers.fully_connected)
    assert "inputs" not in framework.arg_scoped_arguments(layers.fully_connected)
    with pytest.raises(ValueError, match="is not decorated with @add_arg_scope"):
        with framework.arg_scope([tf.nn.relu], name="x"):
            pass

    @framework.add_arg_scope
    def scaled(x, factor=1, offset=0):
        return x * factor + offset
    with framework.arg_scope([scaled], factor=3) as outer:
        with pytest.raises(RuntimeError):
            with framework.arg_scope([scaled], factor=5, offset=1):
                assert scaled(1) == 6 and scaled(1, factor=2) == 3
                raise RuntimeError
        assert scaled(1) == 3  # the inner scope was left on the exception
    assert scaled(1) == 1
    with framework.arg_scope(outer):
        assert scaled(2) == 6


def test_optimize_loss_needs_a_learning_rate_for_an_optimizer_class():
    with tf.Graph().as_default():
        v = tf.Variable([1.0, 2.0])
        with pytest.raises(ValueError, match=r"Learning rate is None, but should be specified if optimizer is class "
                                             r"\(<class '.*AdamOptimizer'>\)\."):
            tf.contrib.layers.optimize_loss(tf.reduce_sum(v * v), None, None, tf.train.AdamOptimizer)
