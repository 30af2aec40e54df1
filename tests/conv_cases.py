"""Convolution and pooling cases shared by tests/golden/make_conv.py (TensorFlow) and tests/test_conv_ops.py.

They add to tests/nn_cases.py what a convolution kernel can get wrong: strides of 3 and unequal strides, odd sizes,
SAME padding that puts the extra row on top or needs a kernel larger than the input, dilations, batch and channel
counts above one, both ways of computing the input gradient (scatter for few input channels, gather for many),
max-pool ties, LRN's special exponents. Same contract as op_cases.py: ``fn(tf) -> (output, [inputs to
differentiate])``; the golden holds the output and the gradients of ``reduce_sum(output * weights)``.

``SHAPE_ERRORS`` build graphs TensorFlow rejects at construction; ``STATIC_SHAPES`` record inferred shapes with
unknown dimensions.
"""
import numpy as np

from nn_cases import conv, conv_transpose, depthwise
from op_cases import _v, data


def pool(name, x_shape, ksize, strides, padding, ties=False):
    """``ties``: small integers, many of them equal, so that max pooling must choose among equal maxima."""
    def case(tf):
        x = tf.constant(np.round(data(*x_shape, low=-1.5, high=1.5)) if ties else data(*x_shape))
        return getattr(tf.nn, name)(x, [1] + list(ksize) + [1], [1] + list(strides) + [1], padding), [x]
    return case


def _relu_pool(tf):
    """Max pooling after relu, as in the CIFAR-10 model: whole windows of zeros tie."""
    x = _v(tf, 2, 7, 7, 3)
    return tf.nn.max_pool(tf.nn.relu(x), [1, 3, 3, 1], [1, 2, 2, 1], "SAME"), [x]


def _max_pool_minus_inf(tf):
    """A corner of -inf: windows that see nothing else give the lowest float32 (TensorFlow's oneDNN kernel starts
    from it), and their gradient still goes to the first -inf, never to padding."""
    x = data(2, 5, 6, 2)
    x[:, :3, :3] = -np.inf
    x = tf.constant(x)
    return tf.nn.max_pool(x, [1, 3, 3, 1], [1, 1, 1, 1], "SAME"), [x]


def _lrn(depth, radius, bias, alpha, beta):
    def case(tf):
        x = _v(tf, 2, 3, 2, depth, low=-3, high=3)
        return tf.nn.lrn(x, radius, bias=bias, alpha=alpha, beta=beta), [x]
    return case


def _cifar_block(tf):
    """conv 5x5 + bias + relu, 3x3/2 max pool, LRN: the tutorial's first stage on a small batch."""
    x, w, b = _v(tf, 3, 8, 8, 3, seed=1), _v(tf, 5, 5, 3, 8, seed=2, low=-0.2, high=0.2), _v(tf, 8, seed=3)
    y = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME"), b))
    y = tf.nn.max_pool(y, [1, 3, 3, 1], [1, 2, 2, 1], "SAME")
    return tf.nn.lrn(y, 4, bias=1.0, alpha=0.001 / 9.0, beta=0.75), [x, w, b]


def _conv1d(x_shape, w_shape, stride, padding, dilations=None):
    def case(tf):
        x, w = _v(tf, *x_shape, seed=1), _v(tf, *w_shape, seed=2)
        return tf.nn.conv1d(x, w, stride, padding, dilations=dilations), [x, w]
    return case


def _atrous(x_shape, w_shape, rate, padding):
    def case(tf):
        x, w = _v(tf, *x_shape, seed=1), _v(tf, *w_shape, seed=2)
        return tf.nn.atrous_conv2d(x, w, rate, padding), [x, w]
    return case


def _convolution(x_shape, w_shape, padding, strides=None, dilation_rate=None):
    def case(tf):
        x, w = _v(tf, *x_shape, seed=1), _v(tf, *w_shape, seed=2)
        return tf.nn.convolution(x, w, padding, strides=strides, dilation_rate=dilation_rate), [x, w]
    return case


def _separable(x_shape, depthwise_shape, pointwise_shape, strides, padding, rate=None):
    def case(tf):
        x, d, p = _v(tf, *x_shape, seed=1), _v(tf, *depthwise_shape, seed=2), _v(tf, *pointwise_shape, seed=3)
        return tf.nn.separable_conv2d(x, d, p, list(strides), padding, rate=rate), [x, d, p]
    return case


def _unknown_spatial(build, out_shape):
    """``build(tf, x, w)`` on an input whose height and width are known only at run time (minitf: one dilated op;
    TensorFlow: run-time paddings), reshaped to ``out_shape`` for the golden's weights."""
    def case(tf):
        value, w = _v(tf, 2, 9, 8, 2, seed=1), _v(tf, 3, 3, 2, 2, seed=2)
        x = tf.placeholder_with_default(value, [None, None, None, 2])
        return tf.reshape(build(tf, x, w), out_shape), [value, w]
    return case


def _space_batch_round_trip(tf):
    """SpaceToBatchND with unequal blocks and paddings, then BatchToSpaceND with other crops (through a multiply so
    the gradient of each is taken)."""
    x = _v(tf, 2, 5, 4, 3)
    scaled = tf.space_to_batch_nd(x, [2, 3], [[1, 0], [0, 2]]) * 1.5
    return tf.batch_to_space_nd(scaled, [2, 3], [[0, 1], [1, 0]]), [x]


CASES = {
    "conv_valid_s3_odd": conv((2, 11, 10, 3), (3, 4, 3, 5), (1, 3, 3, 1), "VALID"),
    "conv_same_s3_odd": conv((3, 10, 11, 4), (5, 3, 4, 2), (1, 3, 3, 1), "SAME"),
    "conv_same_unequal_strides": conv((2, 9, 10, 2), (3, 3, 2, 3), (1, 1, 3, 1), "SAME"),
    "conv_same_kernel_larger_than_input": conv((2, 3, 4, 2), (7, 6, 2, 3), (1, 1, 1, 1), "SAME"),
    "conv_same_even_kernel": conv((1, 6, 7, 3), (4, 2, 3, 2), (1, 2, 1, 1), "SAME"),
    "conv_scatter_s2": conv((2, 9, 8, 1), (3, 3, 1, 6), (1, 2, 2, 1), "SAME"),
    "conv_gather_s2": conv((2, 9, 8, 12), (3, 3, 12, 2), (1, 2, 2, 1), "SAME"),
    "conv_gather_s2_valid": conv((1, 10, 9, 12), (3, 2, 12, 2), (1, 2, 3, 1), "VALID"),
    "conv_dilated_unequal": conv((2, 11, 9, 3), (3, 2, 3, 4), (1, 1, 1, 1), "SAME", (1, 3, 2, 1)),
    "conv_dilated_valid_many_channels": conv((2, 10, 10, 9), (2, 2, 9, 3), (1, 1, 1, 1), "VALID", (1, 2, 3, 1)),
    "conv_cifar_conv2_shape": conv((2, 12, 12, 16), (5, 5, 16, 8), (1, 1, 1, 1), "SAME", x_low=0.0),
    "conv_transpose_s3_valid": conv_transpose((2, 3, 2, 4), (4, 3, 2, 4), [2, 10, 8, 2], (1, 3, 3, 1), "VALID"),
    "conv_transpose_same_odd": conv_transpose((1, 3, 3, 3), (3, 3, 5, 3), [1, 5, 5, 5], (1, 2, 2, 1), "SAME"),
    "depthwise_rate2": depthwise((2, 9, 8, 3), (3, 3, 3, 2), (1, 1, 1, 1), "SAME", rate=[2, 2]),
    "depthwise_s2_same_mult3": depthwise((1, 7, 8, 2), (3, 2, 2, 3), (1, 2, 2, 1), "SAME"),
    "max_pool_ties_overlap": pool("max_pool", (2, 7, 7, 3), (3, 3), (2, 2), "SAME", ties=True),
    "max_pool_ties_s1": pool("max_pool", (1, 5, 6, 2), (3, 2), (1, 1), "SAME", ties=True),
    "max_pool_pad_top_left": pool("max_pool", (2, 6, 5, 2), (4, 4), (1, 1), "SAME"),
    "max_pool_valid_s3": pool("max_pool", (2, 11, 10, 2), (2, 3), (3, 3), "VALID"),
    "max_pool_after_relu": _relu_pool,
    "max_pool_minus_inf": _max_pool_minus_inf,
    "avg_pool_pad_top_left": pool("avg_pool", (2, 6, 5, 2), (4, 4), (1, 1), "SAME"),
    "avg_pool_s3_same": pool("avg_pool", (2, 10, 11, 3), (3, 2), (3, 3), "SAME"),
    "avg_pool_valid_unequal": pool("avg_pool", (1, 9, 8, 2), (2, 3), (2, 3), "VALID"),
    "lrn_beta_one": _lrn(6, 2, 2.0, 0.5, 1.0),
    "lrn_beta_half": _lrn(5, 1, 1.0, 0.3, 0.5),
    "lrn_radius_beyond_depth": _lrn(3, 5, 0.5, 1.5, 0.75),
    "bias_add_2d": lambda tf: (lambda x, b: (tf.nn.bias_add(x, b), [x, b]))(_v(tf, 5, 3, seed=1), _v(tf, 3, seed=2)),
    "bias_add_4d": lambda tf: (lambda x, b: (tf.nn.bias_add(x, b), [x, b]))(_v(tf, 2, 3, 4, 5, seed=1),
                                                                             _v(tf, 5, seed=2)),
    "bias_add_nchw_4d": lambda tf: (lambda x, b: (tf.nn.bias_add(x, b, data_format="NCHW"), [x, b]))(
        _v(tf, 2, 3, 4, 5, seed=1), _v(tf, 3, seed=2)),
    "bias_add_ncw_3d": lambda tf: (lambda x, b: (tf.nn.bias_add(x, b, data_format="NCW"), [x, b]))(
        _v(tf, 2, 3, 4, seed=1), _v(tf, 3, seed=2)),
    "conv_nchw_s2_same": lambda tf: (lambda x, w: (tf.nn.conv2d(x, w, 2, "SAME", data_format="NCHW"), [x, w]))(
        _v(tf, 2, 3, 9, 8, seed=1), _v(tf, 3, 3, 3, 4, seed=2)),
    "conv_nchw_dilated_valid": lambda tf: (lambda x, w: (tf.nn.conv2d(x, w, [1, 1, 1, 1], "VALID", data_format="NCHW",
                                                                      dilations=[1, 1, 2, 1]), [x, w]))(
        _v(tf, 2, 2, 9, 7, seed=1), _v(tf, 2, 3, 2, 3, seed=2)),
    "conv_transpose_nchw": lambda tf: (lambda x, w: (tf.nn.conv2d_transpose(x, w, [2, 3, 9, 8], 2, "SAME",
                                                                            data_format="NCHW"), [x, w]))(
        _v(tf, 2, 4, 5, 4, seed=1), _v(tf, 3, 3, 3, 4, seed=2)),
    "max_pool_nchw_s2_same": lambda tf: (lambda x: (tf.nn.max_pool(x, 3, 2, "SAME", data_format="NCHW"), [x]))(
        _v(tf, 2, 3, 9, 8)),
    "avg_pool_nchw_valid": lambda tf: (lambda x: (tf.nn.avg_pool(x, [1, 1, 2, 3], [1, 1, 2, 2], "VALID",
                                                                 data_format="NCHW"), [x]))(_v(tf, 2, 3, 9, 8)),
    "cifar_block": _cifar_block,
    "conv1d_s2_same": _conv1d((2, 9, 3), (3, 3, 4), 2, "SAME"),
    "conv1d_dilated_valid": _conv1d((2, 11, 2), (3, 2, 3), 1, "VALID", dilations=2),
    "atrous_same_rate2": _atrous((2, 9, 9, 3), (3, 3, 3, 4), 2, "SAME"),
    "atrous_same_rate3_even_kernel": _atrous((1, 10, 8, 2), (2, 4, 2, 3), 3, "SAME"),
    "atrous_valid_rate2": _atrous((2, 10, 9, 3), (2, 3, 3, 2), 2, "VALID"),
    "atrous_rate1": _atrous((2, 6, 6, 2), (3, 3, 2, 2), 1, "VALID"),
    "convolution_1d_dilated_same": _convolution((2, 11, 3), (3, 3, 2), "SAME", dilation_rate=[3]),
    "convolution_2d_strided": _convolution((2, 8, 7, 2), (3, 2, 2, 3), "VALID", strides=[2, 1]),
    "separable_same": _separable((2, 8, 7, 3), (3, 3, 3, 2), (1, 1, 6, 4), (1, 1, 1, 1), "SAME"),
    "separable_s2_valid": _separable((1, 9, 9, 2), (3, 2, 2, 3), (1, 1, 6, 2), (1, 2, 2, 1), "VALID"),
    "separable_rate2": _separable((2, 9, 8, 2), (3, 3, 2, 2), (1, 1, 4, 3), (1, 1, 1, 1), "SAME", rate=[2, 2]),
    "space_batch_round_trip": _space_batch_round_trip,
    "atrous_unknown_spatial": _unknown_spatial(lambda tf, x, w: tf.nn.atrous_conv2d(x, w, 2, "SAME"), [2, 9, 8, 2]),
    "depthwise_unknown_spatial": _unknown_spatial(
        lambda tf, x, w: tf.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], "VALID", rate=[2, 3]), [2, 5, 2, 4]),
}

# Gradient ops whose names, types and inputs must be TensorFlow's (the graph a checkpoint or export shows).
GRAPH_OP_TYPES = ("SpaceToBatchND", "BatchToSpaceND", "ShapeN", "Shape", "Conv2D", "Conv2DBackpropInput",
                  "Conv2DBackpropFilter", "DepthwiseConv2dNativeBackpropInput", "DepthwiseConv2dNativeBackpropFilter",
                  "MaxPoolGrad", "AvgPoolGrad", "LRNGrad", "BiasAddGrad")
GRAPH_CASES = ("conv_same_s3_odd", "conv_transpose_s3_valid", "depthwise_s2_same_mult3", "max_pool_valid_s3",
               "avg_pool_s3_same", "lrn_beta_one", "bias_add_4d", "bias_add_nchw_4d", "bias_add_ncw_3d", "cifar_block",
               "conv_nchw_s2_same", "conv_transpose_nchw", "max_pool_nchw_s2_same", "avg_pool_nchw_valid",
               "conv1d_s2_same", "atrous_same_rate2", "separable_rate2")
# Cases whose whole graph (node names, op types, inputs, attrs and Const values) must be TensorFlow's.
NODE_CASES = ("conv1d_s2_same", "conv1d_dilated_valid", "atrous_same_rate2", "atrous_valid_rate2", "atrous_rate1",
              "separable_s2_valid", "separable_rate2", "convolution_1d_dilated_same", "convolution_2d_strided",
              "depthwise_rate2", "depthwise_s2_same_mult3")


def attr_json(value):
    """An attr value as JSON: dtypes by name, bytes decoded, lists element by element."""
    if isinstance(value, (list, tuple)):
        return [attr_json(v) for v in value]
    if isinstance(value, bytes):
        return value.decode()
    if hasattr(value, "as_datatype_enum"):
        return value.name
    return value


def _placeholder(tf, shape):
    return tf.placeholder(tf.float32, shape)


SHAPE_ERRORS = {
    "conv_channel_mismatch": lambda tf: tf.nn.conv2d(_placeholder(tf, [1, 5, 5, 3]), _placeholder(tf, [3, 3, 4, 2]),
                                                     [1, 1, 1, 1], "SAME"),
    "conv_filter_rank": lambda tf: tf.nn.conv2d(_placeholder(tf, [1, 5, 5, 3]), _placeholder(tf, [3, 3, 3]),
                                                [1, 1, 1, 1], "SAME"),
    "conv_input_rank": lambda tf: tf.nn.conv2d(_placeholder(tf, [5, 5, 3]), _placeholder(tf, [3, 3, 3, 2]),
                                               [1, 1, 1, 1], "SAME"),
    "conv_valid_too_small": lambda tf: tf.nn.conv2d(_placeholder(tf, [1, 2, 5, 3]), _placeholder(tf, [3, 3, 3, 2]),
                                                    [1, 1, 1, 1], "VALID"),
    "max_pool_valid_too_small": lambda tf: tf.nn.max_pool(_placeholder(tf, [1, 2, 5, 3]), [1, 3, 3, 1],
                                                          [1, 1, 1, 1], "VALID"),
    "bias_add_mismatch": lambda tf: tf.nn.bias_add(_placeholder(tf, [2, 4]), _placeholder(tf, [3])),
    "lrn_rank": lambda tf: tf.nn.lrn(_placeholder(tf, [2, 3, 4]), 2, bias=1.0, alpha=0.001 / 9.0, beta=0.75),
    "depthwise_rank": lambda tf: tf.nn.depthwise_conv2d(_placeholder(tf, [2, 5, 5, 3]), _placeholder(tf, [3, 3, 3]),
                                                        [1, 1, 1, 1], "SAME"),
    "bias_add_rank_one": lambda tf: tf.nn.bias_add(_placeholder(tf, [4]), _placeholder(tf, [4])),
    "bias_add_nchw_rank_two": lambda tf: tf.nn.bias_add(_placeholder(tf, [2, 3]), _placeholder(tf, [3]),
                                                        data_format="NCHW"),
    "bias_add_nchw_mismatch": lambda tf: tf.nn.bias_add(_placeholder(tf, [2, 3, 4]), _placeholder(tf, [4]),
                                                        data_format="NCHW"),
    "bias_add_bad_format": lambda tf: tf.nn.bias_add(_placeholder(tf, [2, 3, 4]), _placeholder(tf, [4]),
                                                     data_format="CHWN"),
    "space_to_batch_not_divisible": lambda tf: tf.space_to_batch_nd(_placeholder(tf, [1, 5, 4, 1]), [2, 2],
                                                                    [[0, 0], [0, 0]]),
    "batch_to_space_batch_not_divisible": lambda tf: tf.batch_to_space_nd(_placeholder(tf, [3, 2, 2, 1]), [2, 1],
                                                                          [[0, 0], [0, 0]]),
    "separable_pointwise_not_1x1": lambda tf: tf.nn.separable_conv2d(
        _placeholder(tf, [1, 5, 5, 2]), _placeholder(tf, [3, 3, 2, 1]), _placeholder(tf, [2, 1, 2, 3]),
        [1, 1, 1, 1], "SAME"),
}

STATIC_SHAPES = {
    "conv_unknown_batch_and_size": lambda tf: tf.nn.conv2d(_placeholder(tf, [None, None, 7, 3]),
                                                           _placeholder(tf, [3, 3, 3, 4]), [1, 2, 2, 1], "SAME"),
    "conv_unknown_filter": lambda tf: tf.nn.conv2d(_placeholder(tf, [2, 9, 7, 3]), _placeholder(tf, None),
                                                   [1, 2, 2, 1], "VALID"),
    "max_pool_unknown_batch": lambda tf: tf.nn.max_pool(_placeholder(tf, [None, 9, 8, 5]), [1, 3, 3, 1],
                                                        [1, 2, 3, 1], "VALID"),
    "space_to_batch_unknown_batch": lambda tf: tf.space_to_batch_nd(_placeholder(tf, [None, 5, 4, 3]), [2, 2],
                                                                    [[1, 0], [0, 2]]),
    "atrous_unknown_batch": lambda tf: tf.nn.atrous_conv2d(_placeholder(tf, [None, 9, 8, 3]),
                                                           _placeholder(tf, [3, 3, 3, 4]), 2, "SAME"),
    "depthwise_unknown_size": lambda tf: tf.nn.depthwise_conv2d(_placeholder(tf, [2, None, 8, 3]),
                                                                _placeholder(tf, [3, 3, 3, 2]), [1, 1, 1, 1],
                                                                "SAME"),
}


def train_losses(tf, steps=10):
    """Losses of a small conv net (conv, relu, max pool, LRN, conv, avg pool, dense) over ``steps`` SGD steps from
    fixed initial values."""
    images = tf.constant(data(8, 12, 12, 3, seed=5))
    labels = tf.constant(np.arange(8, dtype=np.int32) % 4)
    w1 = tf.Variable(data(3, 3, 3, 8, seed=6, low=-0.3, high=0.3), name="w1")
    b1 = tf.Variable(data(8, seed=7, low=-0.1, high=0.1), name="b1")
    w2 = tf.Variable(data(3, 3, 8, 8, seed=8, low=-0.2, high=0.2), name="w2")
    w3 = tf.Variable(data(72, 4, seed=9, low=-0.2, high=0.2), name="w3")
    y = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(images, w1, [1, 1, 1, 1], "SAME"), b1))
    y = tf.nn.lrn(tf.nn.max_pool(y, [1, 3, 3, 1], [1, 2, 2, 1], "SAME"), 2, bias=1.0, alpha=0.01, beta=0.75)
    y = tf.nn.avg_pool(tf.nn.relu(tf.nn.conv2d(y, w2, [1, 1, 1, 1], "SAME")), [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    logits = tf.matmul(tf.reshape(y, [8, 72]), w3)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(steps):
            losses.append(float(sess.run([loss, train])[0]))
    return losses
