"""``tf.layers`` against TensorFlow 2.21's ``tf.compat.v1.layers`` (tf_keras 2.21): the graph node for node, the
variables (names, shapes, trainable, initial values bit for bit under graph seeds), regularization losses, outputs
(names, static shapes, values, dropout masks) and gradients; error messages.

The programs are tests/golden/layers_programs.py; goldens come from tests/golden/make_layers.py.
"""

import numpy as np
import pytest

import minitf as tf
from golden import layers_programs as programs
from helpers import golden

RECORD = golden("golden/layers.json")
RTOL, ATOL = 1e-5, 1e-5
# Programs whose layers minitf builds with other ops than TensorFlow (see the program's docstring).
OTHER_GRAPH = {"graph_differs"}


@pytest.mark.parametrize("name", list(programs.PROGRAMS))
def test_layers_match_tensorflow(name):
    golden = RECORD["programs"][name]
    with tf.Graph().as_default() as graph:
        inputs, outputs = programs.PROGRAMS[name](tf)
        if name not in OTHER_GRAPH:
            assert [[op.name, op.type] for op in graph.get_operations()] == golden["nodes"]
        regularization = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
        assert [op.name for op in tf.get_collection(tf.GraphKeys.UPDATE_OPS)] == golden["update_ops"]
        global_vars, trainable = tf.global_variables(), tf.trainable_variables()
        assert [[v.name, v.shape.as_list()] for v in global_vars] == golden["variables"]
        assert [v.name for v in trainable] == golden["trainable"]
        assert {k: [t.name, t.shape.as_list()] for k, t in outputs.items()} == \
            {k: [o["name"], o["shape"]] for k, o in golden["outputs"].items()}
        total = tf.add_n([tf.reduce_sum(t) for t in outputs.values()])
        grads = tf.gradients(total, trainable + inputs)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            initial = sess.run(global_vars)
            values, losses, grad_values = sess.run([outputs, regularization, grads])
    for variable, value, want in zip(global_vars, initial, golden["initial"]):
        np.testing.assert_array_equal(value, np.array(want, np.float32), err_msg=variable.name)
    assert [t.name for t in regularization] == [n for n, _ in golden["regularization"]]
    np.testing.assert_allclose(losses, [v for _, v in golden["regularization"]], RTOL, ATOL)
    for key, want in golden["outputs"].items():
        np.testing.assert_allclose(values[key], want["value"], RTOL, ATOL, err_msg=key)
    for target, grad, want in zip(trainable + inputs, grad_values, golden["grads"]):
        np.testing.assert_allclose(grad, want, RTOL, ATOL, err_msg=target.name)


@pytest.mark.parametrize("name", list(programs.ERRORS))
def test_errors_match_tensorflow(name):
    assert programs.error_message(tf, programs.ERRORS[name]) == RECORD["errors"][name]


def test_layer_objects_describe_themselves_as_tensorflow():
    assert programs.layer_facts(tf) == RECORD["layer_facts"]
