"""tf.nn cases shared by tests/golden/make_ops.py (run under TensorFlow) and tests/test_ops.py (minitf).

Same contract as op_cases.py: ``fn(tf) -> (output_tensor, [inputs_to_differentiate])``.
"""
from op_cases import _v


def conv(x_shape, w_shape, strides, padding, dilations=(1, 1, 1, 1), x_low=-2.0):
    def case(tf):
        x, w = _v(tf, *x_shape, seed=1, low=x_low), _v(tf, *w_shape, seed=2)
        return tf.nn.conv2d(x, w, list(strides), padding, dilations=list(dilations)), [x, w]
    return case


def conv_transpose(value_shape, w_shape, output_shape, strides, padding):
    def case(tf):
        value, w = _v(tf, *value_shape, seed=1), _v(tf, *w_shape, seed=2)
        return tf.nn.conv2d_transpose(value, w, output_shape, list(strides), padding), [value, w]
    return case


def depthwise(x_shape, w_shape, strides, padding, rate=None):
    def case(tf):
        x, w = _v(tf, *x_shape, seed=1), _v(tf, *w_shape, seed=2)
        return tf.nn.depthwise_conv2d(x, w, list(strides), padding, rate=rate), [x, w]
    return case


def pool(name, x_shape, ksize, stride, padding):
    def case(tf):
        x = _v(tf, *x_shape)
        return getattr(tf.nn, name)(x, [1, ksize, ksize, 1], [1, stride, stride, 1], padding), [x]
    return case


def activation(name, low=-3.0, high=3.0, **kwargs):
    def case(tf):
        x = _v(tf, 3, 5, low=low, high=high)
        return getattr(tf.nn, name)(x, **kwargs), [x]
    return case


def _xent_v2(tf):
    logits, labels = _v(tf, 4, 5, seed=1), tf.nn.softmax(_v(tf, 4, 5, seed=2))
    return tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits), [logits, labels]


def _sparse_xent(tf):
    logits = _v(tf, 4, 5, seed=1)
    return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant([0, 4, 2, 2]), logits=logits), [logits]


def _sigmoid_xent(tf):
    logits, labels = _v(tf, 3, 4, seed=1, low=-5, high=5), _v(tf, 3, 4, seed=2, low=0, high=1)
    return tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits), [logits, labels]


def _weighted_xent(tf):
    logits, labels = _v(tf, 3, 4, seed=1, low=-5, high=5), _v(tf, 3, 4, seed=2, low=0, high=1)
    return tf.nn.weighted_cross_entropy_with_logits(labels=labels, logits=logits, pos_weight=2.5), [logits, labels]


def _moments(tf):
    x = _v(tf, 4, 3, 2)
    mean, variance = tf.nn.moments(x, axes=[0, 1])
    return mean * 2.0 + variance, [x]


def _batch_norm(tf):
    x, mean, var = _v(tf, 4, 3, seed=1), _v(tf, 3, seed=2), _v(tf, 3, seed=3, low=0.5, high=2.0)
    offset, scale = _v(tf, 3, seed=4), _v(tf, 3, seed=5)
    return tf.nn.batch_normalization(x, mean, var, offset, scale, 1e-3), [x, mean, var, offset, scale]


def _top_k(tf):
    x = _v(tf, 3, 6)
    return tf.nn.top_k(x, 3)[0], [x]


def fused_bn(x_shape, data_format="NHWC", is_training=True, factor=1.0, epsilon=0.001, output=0):
    """``tf.nn.fused_batch_norm`` output ``output`` (0: y, 1: running mean, 2: running variance); y is
    differentiated wrt x, scale and offset (and mean and variance, which get no gradient, when they are inputs)."""
    def case(tf):
        channels = x_shape[1 if data_format.startswith("NC") else -1]
        x = _v(tf, *x_shape, seed=1, low=-2.0, high=3.0)
        scale, offset = _v(tf, channels, seed=2, low=0.5, high=1.5), _v(tf, channels, seed=3)
        statistics = []
        if not is_training or factor != 1.0:
            statistics = [_v(tf, channels, seed=4), _v(tf, channels, seed=5, low=0.5, high=2.0)]
        outputs = tf.nn.fused_batch_norm(x, scale, offset, *statistics, epsilon=epsilon, data_format=data_format,
                                         is_training=is_training, exponential_avg_factor=factor)
        if output:  # an Identity, so that TF's constant folding does not replace the fetched op by one Const
            return tf.identity(outputs[output]), []
        return outputs[0], [x, scale, offset] + statistics
    return case


CASES = {
    "conv_same_s1": conv((2, 5, 5, 3), (3, 3, 3, 4), (1, 1, 1, 1), "SAME"),
    "conv_valid_s2": conv((2, 7, 6, 3), (3, 2, 3, 2), (1, 2, 2, 1), "VALID"),
    "conv_same_s2_even": conv((1, 6, 6, 2), (2, 2, 2, 3), (1, 2, 2, 1), "SAME"),
    "conv_same_s3_odd": conv((2, 7, 5, 1), (4, 3, 1, 2), (1, 3, 2, 1), "SAME"),
    "conv_dilated_same": conv((1, 9, 8, 2), (3, 3, 2, 2), (1, 1, 1, 1), "SAME", (1, 2, 2, 1)),
    "conv_dilated_valid": conv((2, 9, 8, 2), (2, 3, 2, 3), (1, 1, 1, 1), "VALID", (1, 3, 2, 1)),
    "conv_1x1": conv((2, 3, 4, 5), (1, 1, 5, 2), (1, 1, 1, 1), "VALID"),
    "conv_transpose_same": conv_transpose((2, 3, 3, 4), (3, 3, 2, 4), [2, 6, 6, 2], (1, 2, 2, 1), "SAME"),
    "conv_transpose_valid": conv_transpose((1, 3, 3, 4), (3, 3, 2, 4), [1, 7, 7, 2], (1, 2, 2, 1), "VALID"),
    "depthwise_same": depthwise((2, 5, 5, 3), (3, 3, 3, 2), (1, 1, 1, 1), "SAME"),
    "depthwise_valid_s2": depthwise((1, 7, 6, 2), (2, 3, 2, 3), (1, 2, 2, 1), "VALID"),
    "max_pool_same": pool("max_pool", (2, 6, 6, 3), 3, 2, "SAME"),
    "max_pool_valid": pool("max_pool", (2, 7, 5, 2), 2, 2, "VALID"),
    "max_pool_s1": pool("max_pool", (1, 5, 5, 2), 3, 1, "SAME"),
    "avg_pool_same": pool("avg_pool", (2, 6, 6, 3), 3, 2, "SAME"),
    "avg_pool_valid": pool("avg_pool", (2, 7, 5, 2), 2, 2, "VALID"),
    "avg_pool_s1": pool("avg_pool", (1, 5, 5, 2), 3, 1, "SAME"),
    "lrn_tutorial": lambda tf: (lambda x: (tf.nn.lrn(x, 4, bias=1.0, alpha=0.001 / 9.0, beta=0.75), [x]))(
        _v(tf, 2, 3, 3, 10, low=-3, high=3)),
    "lrn_default": lambda tf: (lambda x: (tf.nn.lrn(x), [x]))(_v(tf, 1, 2, 2, 4)),
    "bias_add": lambda tf: (lambda x, b: (tf.nn.bias_add(x, b), [x, b]))(_v(tf, 2, 3, 4, seed=1), _v(tf, 4, seed=2)),
    "relu": activation("relu"),
    "relu6": activation("relu6", low=-8, high=8),
    "elu": activation("elu"),
    "selu": activation("selu"),
    "leaky_relu": activation("leaky_relu", alpha=0.3),
    "softplus": activation("softplus"),
    "softsign": activation("softsign"),
    "softmax": activation("softmax"),
    "softmax_axis0": activation("softmax", axis=0),
    "log_softmax": activation("log_softmax"),
    "xent_v2": _xent_v2,
    "sparse_xent": _sparse_xent,
    "sigmoid_xent": _sigmoid_xent,
    "weighted_xent": _weighted_xent,
    "l2_loss": lambda tf: (lambda x: (tf.nn.l2_loss(x), [x]))(_v(tf, 3, 4)),
    "l2_normalize": lambda tf: (lambda x: (tf.nn.l2_normalize(x, axis=1), [x]))(_v(tf, 3, 4)),
    "zero_fraction": lambda tf: (tf.nn.zero_fraction(tf.nn.relu(_v(tf, 5, 7))), []),
    "moments": _moments,
    "batch_normalization": _batch_norm,
    "in_top_k": lambda tf: (tf.nn.in_top_k(_v(tf, 4, 5), tf.constant([0, 1, 2, 3]), 2), []),
    "top_k": _top_k,
    "embedding_lookup": lambda tf: (lambda p: (tf.nn.embedding_lookup(p, [[2, 0], [1, 2]]), [p]))(_v(tf, 3, 4)),
    "fused_bn_train_nhwc": fused_bn((2, 3, 5, 4)),
    "fused_bn_train_nhwc_mean": fused_bn((2, 3, 5, 4), output=1),
    "fused_bn_train_nhwc_variance": fused_bn((2, 3, 5, 4), output=2),
    "fused_bn_train_nchw": fused_bn((2, 3, 4, 5), "NCHW"),
    "fused_bn_train_nchw_variance": fused_bn((2, 3, 4, 5), "NCHW", output=2),
    "fused_bn_train_odd": fused_bn((3, 1, 7, 3), epsilon=1e-5),
    "fused_bn_train_one_per_channel": fused_bn((1, 1, 1, 3)),
    "fused_bn_train_one_per_channel_variance": fused_bn((1, 1, 1, 3), output=2),
    "fused_bn_train_ncdhw": fused_bn((2, 3, 2, 3, 2), "NCDHW"),
    "fused_bn_train_factor": fused_bn((2, 3, 3, 4), factor=0.25),
    "fused_bn_train_factor_mean": fused_bn((2, 3, 3, 4), factor=0.25, output=1),
    "fused_bn_train_factor_variance": fused_bn((2, 3, 3, 4), factor=0.25, output=2),
    "fused_bn_infer_nhwc": fused_bn((2, 3, 5, 4), is_training=False),
    "fused_bn_infer_nhwc_mean": fused_bn((2, 3, 5, 4), is_training=False, output=1),
    "fused_bn_infer_nchw": fused_bn((2, 3, 4, 5), "NCHW", is_training=False),
    "fused_bn_infer_odd": fused_bn((1, 5, 3, 7), "NCHW", is_training=False, epsilon=0.1),
}
