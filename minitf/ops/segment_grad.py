"""Gradients of ``segment_ops``, written like TensorFlow's ``python/ops/math_grad.py``. Unique, UniqueWithCounts
and ListDiff have none, as in TensorFlow."""

from minitf.framework import dtypes
from minitf.framework.op_def_lib import RegisterGradient, no_gradient
from minitf.ops import array_ops, math_ops, segment_ops

for _op_type in ("Unique", "UniqueWithCounts", "ListDiff"):
    no_gradient(_op_type)


@RegisterGradient("SegmentSum")
def _segment_sum_grad(op, grad):
    return array_ops.gather(grad, op.inputs[1]), None


@RegisterGradient("SegmentMean")
def _segment_mean_grad(op, grad):
    input_rank = array_ops.rank(op.inputs[0])
    ones_shape = array_ops.concat([array_ops.shape(op.inputs[1]),
                                   array_ops.ones(array_ops.expand_dims(input_rank - 1, 0), dtype=dtypes.int32)], 0)
    ones = array_ops.ones(ones_shape, dtype=grad.dtype)
    scaled_grad = math_ops.divide(grad, segment_ops.segment_sum(ones, op.inputs[1]))
    return array_ops.gather(scaled_grad, op.inputs[1]), None


def _segment_min_or_max_grad(op, grad):
    zeros = array_ops.zeros_like(op.inputs[0], dtype=op.inputs[0].dtype)
    gathered_outputs = array_ops.gather(op.outputs[0], op.inputs[1])
    is_selected = math_ops.equal(op.inputs[0], gathered_outputs)
    num_selected = segment_ops.segment_sum(math_ops.cast(is_selected, grad.dtype), op.inputs[1])
    weighted_grads = math_ops.divide(grad, num_selected)
    gathered_grads = array_ops.gather(weighted_grads, op.inputs[1])
    return array_ops.where_v2(is_selected, gathered_grads, zeros), None


RegisterGradient("SegmentMin")(_segment_min_or_max_grad)
RegisterGradient("SegmentMax")(_segment_min_or_max_grad)


@RegisterGradient("SegmentProd")
def _segment_prod_grad(op, grad):
    """The segment's product divided by each element, where a segment with one zero passes the product of its
    other elements to the zero, and a segment with two zeros passes nothing."""
    data, segment_ids = op.inputs
    is_zero = math_ops.equal(data, 0)
    num_zeros = segment_ops.segment_sum(math_ops.cast(is_zero, dtype=dtypes.int32), segment_ids)
    grad = array_ops.where_v2(math_ops.greater(num_zeros, 1), array_ops.zeros_like(grad), grad)
    non_zero_data = array_ops.where_v2(is_zero, array_ops.ones_like(data), data)
    non_zero_prod = segment_ops.segment_prod(non_zero_data, segment_ids)
    gathered_prod = array_ops.gather(op.outputs[0], segment_ids)
    gathered_non_zero_prod = array_ops.gather(non_zero_prod, segment_ids)
    prod_divided_by_el = gathered_prod / non_zero_data
    partial_derivative = array_ops.where_v2(is_zero, gathered_non_zero_prod, prod_divided_by_el)
    gathered_grad = array_ops.gather(grad, segment_ids)
    return gathered_grad * partial_derivative, None


def _gather_drop_negatives(params, ids, zero_clipped_indices=None, is_positive=None):
    """``params`` gathered at ``ids``, with zeros where an id is negative; also returns the clipped ids and the
    mask, for reuse."""
    if zero_clipped_indices is None:
        zero_clipped_indices = math_ops.maximum(ids, array_ops.zeros_like(ids))
    gathered = array_ops.gather(params, zero_clipped_indices)
    if is_positive is None:
        is_positive = math_ops.greater_equal(ids, 0)
        is_positive_shape = array_ops.shape(is_positive)
        broadcastable_shape = array_ops.concat(
            [is_positive_shape, array_ops.ones([array_ops.rank(gathered) - array_ops.rank(is_positive)],
                                               dtype=is_positive_shape.dtype)], axis=0)
        is_positive = array_ops.reshape(is_positive, broadcastable_shape)
        is_positive = is_positive & array_ops.ones_like(gathered, dtype=dtypes.bool)  # an "and" op, as TensorFlow
    zero_slice = array_ops.zeros_like(gathered)
    return array_ops.where_v2(is_positive, gathered, zero_slice), zero_clipped_indices, is_positive


def _unsorted_segment_min_or_max_grad(op, grad):
    gathered_outputs, zero_clipped_indices, is_positive = _gather_drop_negatives(op.outputs[0], op.inputs[1])
    is_selected = math_ops.equal(op.inputs[0], gathered_outputs)
    is_selected = math_ops.logical_and(is_selected, is_positive)
    num_selected = array_ops.unsorted_segment_sum(math_ops.cast(is_selected, grad.dtype), op.inputs[1], op.inputs[2])
    weighted_grads = math_ops.divide(grad, num_selected)
    gathered_grads, _, _ = _gather_drop_negatives(weighted_grads, None, zero_clipped_indices, is_positive)
    zeros = array_ops.zeros_like(gathered_grads)
    return array_ops.where_v2(is_selected, gathered_grads, zeros), None, None


RegisterGradient("UnsortedSegmentMax")(_unsorted_segment_min_or_max_grad)
RegisterGradient("UnsortedSegmentMin")(_unsorted_segment_min_or_max_grad)


@RegisterGradient("UnsortedSegmentProd")
def _unsorted_segment_prod_grad(op, grad):
    """The segment's product divided by each element where the segment holds no zero; the product of the others
    at a segment's only zero; zero throughout a segment with two zeros or more."""
    is_zero = math_ops.equal(op.inputs[0], 0)
    num_zeros = segment_ops._unsorted_segment_sum(math_ops.cast(is_zero, dtype=dtypes.int32), op.inputs[1],
                                                  op.inputs[2])
    grad = array_ops.where_v2(math_ops.greater(num_zeros, 1), array_ops.zeros_like(grad), grad)
    non_zero_data = array_ops.where_v2(is_zero, array_ops.ones_like(op.inputs[0]), op.inputs[0])
    non_zero_prod = segment_ops.unsorted_segment_prod(non_zero_data, op.inputs[1], op.inputs[2])
    zero_clipped_indices = math_ops.maximum(op.inputs[1], array_ops.zeros_like(op.inputs[1]))
    gathered_prod = array_ops.gather(op.outputs[0], zero_clipped_indices)
    gathered_non_zero_prod = array_ops.gather(non_zero_prod, zero_clipped_indices)
    prod_divided_by_el = gathered_prod / op.inputs[0]  # may hold nan/inf, not selected below
    partial_derivative = array_ops.where_v2(is_zero, gathered_non_zero_prod, prod_divided_by_el)
    gathered_grad = _gather_drop_negatives(grad, op.inputs[1], zero_clipped_indices)[0]
    return gathered_grad * partial_derivative, None, None
