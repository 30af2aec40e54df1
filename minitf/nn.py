"""``tf.nn``: neural-network ops (convolutions in ``ops/conv_ops``, pooling in ``ops/pooling_ops``, the rest in
``ops/nn_ops``)."""

from minitf._missing import missing_names as _missing_names
from minitf.ops.conv_ops import (bias_add, conv2d, conv2d_transpose, depthwise_conv2d, local_response_normalization,
                                 lrn)
from minitf.ops.math_ops import sigmoid, tanh
from minitf.ops.nn_ops import (batch_normalization, elu, embedding_lookup, fused_batch_norm, in_top_k, l2_loss,
                               l2_normalize, leaky_relu, log_softmax, moments, relu, relu6, selu,
                               sigmoid_cross_entropy_with_logits, softmax, softmax_cross_entropy_with_logits,
                               softmax_cross_entropy_with_logits_v2, softplus, softsign,
                               sparse_softmax_cross_entropy_with_logits, top_k, weighted_cross_entropy_with_logits,
                               zero_fraction)
from minitf.ops.pooling_ops import avg_pool, max_pool
from minitf.ops.random_ops import dropout


__getattr__ = _missing_names("tf.nn")
