"""``tf.nn``: neural-network ops (convolutions in ``ops/conv_ops``, pooling in ``ops/pooling_ops``, RNNs in
``ops/rnn``, sampled losses in ``ops/sampled_losses``, the rest in ``ops/nn_ops``)."""

from minitf._missing import lazy_names as _lazy_names
from minitf.ops.candidate_sampling_ops import (all_candidate_sampler, compute_accidental_hits,  # noqa: F401
                                               fixed_unigram_candidate_sampler, learned_unigram_candidate_sampler,
                                               log_uniform_candidate_sampler, uniform_candidate_sampler)
from minitf.ops.conv_ops import bias_add, conv2d, conv2d_transpose, local_response_normalization, lrn
from minitf.ops.conv_variants import atrous_conv2d, conv1d, convolution, depthwise_conv2d, separable_conv2d
from minitf.ops.embedding_ops import embedding_lookup, embedding_lookup_sparse  # noqa: F401
from minitf.ops.math_ops import sigmoid, tanh
from minitf.ops.nn_ops import (batch_normalization, elu, fused_batch_norm, in_top_k, l2_loss,
                               l2_normalize, leaky_relu, log_softmax, moments, relu, relu6, selu,
                               sigmoid_cross_entropy_with_logits, softmax, softmax_cross_entropy_with_logits,
                               softmax_cross_entropy_with_logits_v2, softplus, softsign,
                               sparse_softmax_cross_entropy_with_logits, top_k, weighted_cross_entropy_with_logits,
                               xw_plus_b, zero_fraction)
from minitf.ops.pooling_ops import avg_pool, max_pool
from minitf.ops.random_ops import dropout
from minitf.ops.sampled_losses import nce_loss, sampled_softmax_loss  # noqa: F401


# The recurrent networks (``tf.nn.rnn_cell`` and the unrolling functions), loaded on first use so that
# ``import minitf`` stays fast: only RNN programs need them, and they register no op.
_LAZY_NAMES = {name: "minitf.ops.rnn" for name in ("bidirectional_dynamic_rnn", "dynamic_rnn", "raw_rnn",
                                                   "static_bidirectional_rnn", "static_rnn")}
_LAZY_MODULES = {"rnn_cell": "minitf.rnn_cell"}


__getattr__, __dir__ = _lazy_names("tf.nn", globals(), _LAZY_NAMES, _LAZY_MODULES)
