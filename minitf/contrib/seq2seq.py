"""``tf.contrib.seq2seq``: TensorFlow 1.15's ``sequence_loss`` (contrib/seq2seq/python/ops/loss.py), the weighted
cross-entropy of a ``[batch, time, classes]`` sequence of logits, composed of the same ops in the same order."""

from minitf.framework import dtypes, ops
from minitf.ops import array_ops, math_ops, nn_ops


def sequence_loss(logits, targets, weights, average_across_timesteps=True, average_across_batch=True,
                  sum_over_timesteps=False, sum_over_batch=False, softmax_loss_function=None, name=None):
    """Weighted cross-entropy loss for a sequence of logits: a scalar when both axes are averaged (or both summed),
    else one value per time step (``average_across_batch``) or per example (``average_across_timesteps``), or the
    ``[batch, time]`` losses. "Averaged" divides by the sum of ``weights`` along the axis, "summed" by the count of
    non-zero weights (``div_no_nan``: 0 where there are none)."""
    if len(logits.get_shape()) != 3:
        raise ValueError("Logits must be a [batch_size x sequence_length x logits] tensor")
    if len(targets.get_shape()) != 2:
        raise ValueError("Targets must be a [batch_size x sequence_length] tensor")
    if len(weights.get_shape()) != 2:
        raise ValueError("Weights must be a [batch_size x sequence_length] tensor")
    if average_across_timesteps and sum_over_timesteps:
        raise ValueError("average_across_timesteps and sum_over_timesteps cannot be set to True at same time.")
    if average_across_batch and sum_over_batch:
        raise ValueError("average_across_batch and sum_over_batch cannot be set to True at same time.")
    with ops.name_scope(name, "sequence_loss", [logits, targets, weights]):
        num_classes = array_ops.shape(logits)[2]
        logits_flat = array_ops.reshape(logits, [-1, num_classes])
        targets = array_ops.reshape(targets, [-1])
        if softmax_loss_function is None:
            crossent = nn_ops.sparse_softmax_cross_entropy_with_logits(labels=targets, logits=logits_flat)
        else:
            crossent = softmax_loss_function(labels=targets, logits=logits_flat)
        crossent *= array_ops.reshape(weights, [-1])
        if average_across_timesteps and average_across_batch:
            crossent = math_ops.reduce_sum(crossent)
            total_size = math_ops.reduce_sum(weights)
            crossent = math_ops.div_no_nan(crossent, total_size)
        elif sum_over_timesteps and sum_over_batch:
            crossent = math_ops.reduce_sum(crossent)
            total_count = math_ops.cast(math_ops.count_nonzero(weights), dtypes.float32)
            crossent = math_ops.div_no_nan(crossent, total_count)
        else:
            crossent = array_ops.reshape(crossent, array_ops.shape(logits)[0:2])
            if average_across_timesteps or average_across_batch:
                reduce_axis = [0] if average_across_batch else [1]
                crossent = math_ops.reduce_sum(crossent, axis=reduce_axis)
                total_size = math_ops.reduce_sum(weights, axis=reduce_axis)
                crossent = math_ops.div_no_nan(crossent, total_size)
            elif sum_over_timesteps or sum_over_batch:
                reduce_axis = [0] if sum_over_batch else [1]
                crossent = math_ops.reduce_sum(crossent, axis=reduce_axis)
                total_count = math_ops.cast(math_ops.count_nonzero(weights, axis=reduce_axis), dtype=dtypes.float32)
                crossent = math_ops.div_no_nan(crossent, total_count)
        return crossent
