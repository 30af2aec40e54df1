"""Convolutions, pooling, LRN and bias_add against TensorFlow 2.21 (goldens from tests/golden/make_conv.py).

Values and gradients are compared at float32 rounding level (BLAS, oneDNN and Eigen add in different orders);
gradient graphs, static shapes and shape-error messages must be TensorFlow's exactly. The kernels work on blocks
of images; a second pass with tiny block budgets checks that splitting into many blocks and into bands of rows
changes nothing.
"""
import json
import os

import numpy as np
import pytest

import conv_cases
import minitf as tf
from minitf.ops import conv_ops
from op_cases import data

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = np.load(os.path.join(HERE, "golden", "conv.npz"))
META = json.load(open(os.path.join(HERE, "golden", "conv.json")))
RTOL, ATOL = 2e-5, 2e-5


def run_case(name):
    tf.reset_default_graph()
    out, xs = conv_cases.CASES[name](tf)
    weights = tf.constant(data(*out.shape.as_list(), seed=99, low=0.5, high=1.5))
    grads = tf.gradients(tf.reduce_sum(out * weights), xs)
    with tf.Session() as sess:
        value, grad_values = sess.run([out, grads])
    return out, value, grad_values


def check_values(name, value, grad_values):
    np.testing.assert_allclose(value, GOLDEN[f"{name}/out"], rtol=RTOL, atol=ATOL)
    for i, g in enumerate(grad_values):
        np.testing.assert_allclose(g, GOLDEN[f"{name}/grad{i}"], rtol=RTOL, atol=ATOL, err_msg=f"gradient {i}")


@pytest.mark.parametrize("name", sorted(conv_cases.CASES))
def test_values_and_gradients(name):
    out, value, grad_values = run_case(name)
    meta = META["cases"][name]
    assert (out.dtype.name, out.shape.as_list()) == (meta["dtype"], meta["shape"])
    assert value.dtype == np.float32 and all(g.dtype == np.float32 for g in grad_values)
    check_values(name, value, grad_values)
    if "gradient_ops" in meta:
        ops = sorted([op.name, op.type, [t.name for t in op.inputs]] for op in tf.get_default_graph().get_operations()
                     if op.name.startswith("gradients/") and op.type in conv_cases.GRAPH_OP_TYPES)
        assert ops == meta["gradient_ops"]


@pytest.mark.parametrize("name", ["conv_same_s3_odd", "conv_gather_s2", "conv_cifar_conv2_shape",
                                  "conv_dilated_valid_many_channels", "max_pool_ties_overlap", "cifar_block"])
def test_tiny_blocks_change_nothing(name, monkeypatch):
    monkeypatch.setattr(conv_ops, "_COLUMN_BLOCK_BYTES", 64)  # bands of one output row
    monkeypatch.setattr(conv_ops, "_POOL_BLOCK_BYTES", 64)  # one image per block
    _, value, grad_values = run_case(name)
    check_values(name, value, grad_values)


@pytest.mark.parametrize("name", sorted(conv_cases.SHAPE_ERRORS))
def test_shape_errors(name):
    tf.reset_default_graph()
    with pytest.raises(ValueError) as info:
        conv_cases.SHAPE_ERRORS[name](tf)
    assert str(info.value) == META["errors"][name]


@pytest.mark.parametrize("name", sorted(conv_cases.STATIC_SHAPES))
def test_static_shapes(name):
    tf.reset_default_graph()
    shape = conv_cases.STATIC_SHAPES[name](tf).shape
    assert (shape.as_list() if shape.ndims is not None else None) == META["static_shapes"][name]


def test_small_conv_net_follows_tensorflow_loss_curve():
    tf.reset_default_graph()
    np.testing.assert_allclose(conv_cases.train_losses(tf), META["train_losses"], rtol=1e-4)


def test_conv_columns_are_copied_in_blocks_not_whole():
    """The forward pass of the CIFAR-10 model's second convolution allocates far less than its 118 MB of columns."""
    import tracemalloc
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [128, 12, 12, 64])
    w = tf.constant(np.zeros((5, 5, 64, 64), np.float32))
    y = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME")
    feed = {x: np.ones((128, 12, 12, 64), np.float32)}
    with tf.Session() as sess:
        sess.run(y, feed)
        tracemalloc.start()
        result = sess.run(y, feed)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert not result.any()
    assert peak < 3 * result.nbytes + 2 * conv_ops._COLUMN_BLOCK_BYTES
