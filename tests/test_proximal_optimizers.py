"""FtrlOptimizer, ProximalGradientDescentOptimizer, ProximalAdagradOptimizer and AdagradDAOptimizer against
TensorFlow 2.21 (goldens from tests/golden/make_proximal_optimizers.py, programs in
tests/golden/proximal_optimizer_programs.py): the graph node for node, the update ops' inputs and attrs, the slot
names, and every variable after each of four steps bit for bit: dense gradients, an embedding lookup's
IndexedSlices with a repeated row (the SparseApply* row path) and a gather from a vector (their scalar path);
TensorFlow's GraphDefs of five programs (tests/fixtures/graphs/proximal_optimizers/) imported and trained.
"""

import os

import numpy as np
import pytest

import minitf as tf
from golden import proximal_optimizer_programs as programs
from helpers import golden

RECORD = golden("golden/proximal_optimizers.json")
GRAPHS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "graphs", "proximal_optimizers")


@pytest.mark.parametrize("name", sorted(programs.OPTIMIZERS))
def test_optimizer_matches_tensorflow(name):
    want = RECORD["programs"][name]
    with tf.Graph().as_default() as graph:
        train, variables = programs.build(tf, name)
        assert [[op.name, op.type] for op in graph.get_operations()] == want["nodes"]
        assert [v.op.name for v in variables] == want["variables"]
        updates = [op for op in graph.get_operations() if op.type.startswith(("Apply", "SparseApply"))]
        assert {op.name: [t.name for t in op.inputs] for op in updates} == want["inputs"]
        for op in updates:
            got = {k: op.get_attr(k) for k in want["attrs"][op.name]}
            assert {k: v.name if isinstance(v, tf.DType) else v for k, v in got.items()} == want["attrs"][op.name]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for step, expected in enumerate(want["steps"]):
                sess.run(train)
                for v in variables:
                    value = np.asarray(sess.run(v)).tobytes().hex()
                    assert value == expected[v.op.name], f"{v.op.name} after step {step + 1}"


@pytest.mark.parametrize("name", programs.GRAPH_DEFS)
def test_tensorflow_s_graph_def_imports_and_trains_as_in_tensorflow(name):
    """TensorFlow's GraphDef of the program (its update ops with TensorFlow's attrs) imported and run."""
    want = RECORD["programs"][name]
    with open(os.path.join(GRAPHS, name + ".pb"), "rb") as f:
        graph_def = tf.GraphDef.FromString(f.read())
    with tf.Graph().as_default() as graph:
        tf.import_graph_def(graph_def, name="")
        with tf.Session() as sess:
            sess.run(want["initializers"])
            for step, expected in enumerate(want["steps"]):
                sess.run(want["train"])
                for v in want["variables"]:
                    value = np.asarray(sess.run(graph.get_tensor_by_name(v + ":0"))).tobytes().hex()
                    assert value == expected[v], f"{v} after step {step + 1}"


@pytest.mark.parametrize("name", sorted(programs.ERRORS))
def test_bad_arguments_raise_as_tensorflow(name):
    assert programs.error_of(tf, programs.ERRORS[name]) == RECORD["errors"][name]


@pytest.mark.parametrize("name", sorted(programs.RUN_ERRORS))
def test_bad_rates_fail_in_the_update_op_as_tensorflow(name):
    assert programs.run_error_of(tf, name) == RECORD["run_errors"][name]


def test_the_update_ops_take_tensorflow_s_inputs_and_attrs():
    """Input names and attr defaults as TensorFlow's OpDefs (minitf/framework/op_signatures.py records them)."""
    from minitf.framework import op_registry
    from minitf.framework.op_signatures import SIGNATURES
    for op_type in ("ApplyFtrl", "ApplyFtrlV2", "ApplyProximalGradientDescent", "ApplyProximalAdagrad",
                    "ApplyAdagradDA", "SparseApplyFtrl", "SparseApplyFtrlV2", "SparseApplyProximalGradientDescent",
                    "SparseApplyProximalAdagrad", "SparseApplyAdagradDA"):
        _, inputs, attrs = SIGNATURES[op_type]
        op_def = op_registry.get(op_type)
        assert tuple(op_def.input_names) == tuple(arg[0] for arg in inputs), op_type
        assert set(op_def.attr_defaults) == {attr[0] for attr in attrs if attr[2] is not None}, op_type


def test_a_repeated_index_updates_its_row_twice_in_order():
    """The optimizers sum a gradient's repeated rows first; the op itself, given one index twice, applies the two
    rows one after the other, as TensorFlow's loop over the indices does."""
    from minitf.ops.proximal_training_ops import training_op
    with tf.Graph().as_default():
        var = tf.Variable([[1.0, -2.0], [0.5, 0.25]])
        twice = training_op("SparseApplyProximalGradientDescent",
                            [var._ref(), 0.5, 0.1, 0.2, tf.constant([[1.0, 1.0], [2.0, -1.0]]), tf.constant([0, 0])],
                            False)
        once = training_op("SparseApplyProximalGradientDescent",
                           [var._ref(), 0.5, 0.1, 0.2, tf.constant([[1.0, 1.0]]), tf.constant([0])], False)
        with tf.Session() as sess:
            sess.run(var.initializer)
            got = sess.run(twice)
            sess.run(var.initializer)
            sess.run(once)
            first = sess.run(var)
    step = first[0] - 0.5 * np.float32([2.0, -1.0])
    want = np.sign(step) * np.maximum(np.abs(step) - np.float32(0.05), 0) / np.float32(1.1)
    np.testing.assert_array_equal(got[0], want.astype(np.float32))
    np.testing.assert_array_equal(got[1], [0.5, 0.25])
