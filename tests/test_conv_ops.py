"""Convolutions, pooling, LRN and bias_add against TensorFlow 2.21 (goldens from tests/golden/make_conv.py).

Values and gradients are compared at float32 rounding level (BLAS, oneDNN and Eigen add in different orders);
gradient graphs, static shapes and shape-error messages must be TensorFlow's exactly. The kernels work on blocks
of images; a second pass with tiny block budgets checks that splitting into many blocks and into bands of rows
changes nothing.
"""
import os

import numpy as np
import pytest

import conv_cases
import minitf as tf
from minitf.ops import conv_ops, pooling_ops
from op_cases import data
from helpers import golden

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = golden("golden/conv.npz")
META = golden("golden/conv.json")
RTOL, ATOL = 2e-5, 2e-5


def node_defs(graph):
    """The graph as make_conv.py records it (minitf's Const values are numpy arrays)."""
    nodes = []
    for op in graph.get_operations():
        if op.type == "Const":
            value = np.asarray(op.get_attr("value"))
            attrs = {"dtype": op.get_attr("dtype").name, "value": value.tolist() if value.size <= 16 else None}
        else:
            attrs = {k: conv_cases.attr_json(op.get_attr(k)) for k in sorted(op._attrs)}
        nodes.append([op.name, op.type, [t.name for t in op.inputs], attrs])
    return nodes


def run_case(name):
    tf.reset_default_graph()
    out, xs = conv_cases.CASES[name](tf)
    if name in conv_cases.NODE_CASES:
        assert node_defs(tf.get_default_graph()) == META["cases"][name]["nodes"]
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
                                  "conv_dilated_valid_many_channels", "max_pool_ties_overlap", "lrn_beta_half",
                                  "cifar_block"])
def test_tiny_blocks_change_nothing(name, monkeypatch):
    monkeypatch.setattr(conv_ops, "_COLUMN_BLOCK_BYTES", 64)  # bands of one output row
    monkeypatch.setattr(pooling_ops, "_POOL_BLOCK_BYTES", 64)  # one image per block
    monkeypatch.setattr(conv_ops, "_LRN_BLOCK_BYTES", 64)  # a few pixels per block
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


def _max_pool_grad(x, dy, ksize, strides, padding):
    from minitf.framework.op_def_lib import apply_op_1
    y = tf.nn.max_pool(tf.constant(x), ksize, strides, padding)
    return apply_op_1("MaxPoolGrad", [tf.constant(x), y, tf.constant(dy)],
                      {"T": tf.as_dtype(x.dtype), "ksize": ksize, "strides": strides, "padding": padding.encode(),
                       "data_format": b"NHWC", "explicit_paddings": []})


def test_max_pool_gradient_adds_overlapping_windows_in_output_order():
    """The centre of a 5x5 image is the maximum of all four 3x3/2 windows; TensorFlow (oneDNN MaxPoolGrad) adds their
    gradients one after the other in output order, so 2**24 + 1 + 1 + 1 stays 2**24 in float32 while the reverse
    order gives 2**24 + 4 (values printed by TensorFlow 2.21 for these inputs)."""
    tf.reset_default_graph()
    x = np.zeros((1, 5, 5, 1), np.float32)
    x[0, 2, 2, 0] = 1.0
    dy = np.array([2.0 ** 24, 1, 1, 1], np.float32).reshape(1, 2, 2, 1)
    grads = [_max_pool_grad(x, d, [1, 3, 3, 1], [1, 2, 2, 1], "VALID") for d in (dy, dy[:, ::-1, ::-1].copy())]
    with tf.Session() as sess:
        forward, backward = sess.run(grads)
    assert forward[0, 2, 2, 0] == np.float32(16777216.0) and backward[0, 2, 2, 0] == np.float32(16777220.0)
    assert forward.sum() == forward[0, 2, 2, 0]


def test_max_pool_gradient_of_integers_skips_padding_equal_to_the_lowest_value():
    """Integer padding is the dtype's lowest value; windows whose maximum is that value send their gradient to the
    first such pixel inside the image, never to the padding (TensorFlow 2.21's gen_nn_ops.max_pool_grad output)."""
    tf.reset_default_graph()
    x = np.full((1, 4, 5, 1), np.iinfo(np.int32).min, np.int32)
    x[0, 3, 1, 0] = 7
    dy = np.arange(1, 21, dtype=np.int32).reshape(1, 4, 5, 1)
    with tf.Session() as sess:
        grad = sess.run(_max_pool_grad(x, dy, [1, 4, 4, 1], [1, 1, 1, 1], "SAME"))
    assert grad[0, :, :, 0].tolist() == [[3, 3, 13, 15, 0], [0, 0, 14, 15, 0], [0, 0, 19, 20, 0], [0, 108, 0, 0, 0]]


def test_training_skips_the_input_gradient_nothing_reads():
    """minimize() gates each op's gradients with tf.tuple, so the gradient of conv2d with respect to its placeholder
    input is reached only by a control edge. TensorFlow's grappler turns such stateless ops into NoOps (TF 2.21's
    step stats for this graph: _MklNativeConv2DBackpropFilter but no Conv2DBackpropInput); minitf skips them too, and
    still computes the gradient when it is fetched."""
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [2, 6, 6, 3])
    w = tf.Variable(np.ones((3, 3, 3, 4), np.float32))
    loss = tf.reduce_sum(tf.square(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME")))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    (input_grad,) = [op for op in tf.get_default_graph().get_operations() if op.type == "Conv2DBackpropInput"]
    feed = {x: np.ones((2, 6, 6, 3), np.float32)}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        metadata = tf.RunMetadata()
        sess.run(train, feed, options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE), run_metadata=metadata)
        ran = {node.node_name for device in metadata.step_stats.dev_stats for node in device.node_stats}
        assert "gradients/Conv2D_grad/Conv2DBackpropFilter" in ran and input_grad.name not in ran
        assert sess.run(input_grad.outputs[0], feed).shape == (2, 6, 6, 3)
