"""``tf.layers`` against TensorFlow 2.21's ``tf.compat.v1.layers`` (tf_keras 2.21): the graph node for node, the
variables (names, shapes, trainable, initial values bit for bit under graph seeds), regularization losses, outputs
(names, static shapes, values, dropout masks) and gradients; error messages.

The programs are tests/golden/layers_programs.py; goldens come from tests/golden/make_layers.py.
"""
import pytest

import minitf as tf
from golden import layers_programs as programs
from helpers import assert_layer_program_matches, golden

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
        assert [op.name for op in tf.get_collection(tf.GraphKeys.UPDATE_OPS)] == golden["update_ops"]
        assert_layer_program_matches(tf, golden, inputs, outputs, RTOL, ATOL)


@pytest.mark.parametrize("name", list(programs.ERRORS))
def test_errors_match_tensorflow(name):
    assert programs.error_message(tf, programs.ERRORS[name]) == RECORD["errors"][name]


def test_layer_objects_describe_themselves_as_tensorflow():
    assert programs.layer_facts(tf) == RECORD["layer_facts"]
