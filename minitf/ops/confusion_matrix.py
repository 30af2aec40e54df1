"""``tf.confusion_matrix`` (TF1's name for ``tf.math.confusion_matrix``), as TensorFlow 2.21's
python/ops/confusion_matrix.py builds it: run-time checks that the labels and predictions are non-negative (and
below ``num_classes`` when given), then one ScatterNd of ones (or ``weights``) at [label, prediction]."""

from minitf.framework import dtypes, ops
from minitf.ops import array_ops, check_ops, control_flow_ops, indexing_ops, math_ops
from minitf.ops.cond import cond


def remove_squeezable_dimensions(labels, predictions, expected_rank_diff=0, name=None):
    """Squeezes a trailing size-1 dimension off ``predictions`` or ``labels`` when their ranks differ by one more
    (or less) than ``expected_rank_diff``; unknown ranks are compared at run time (a ``cond``)."""
    with ops.name_scope(name, "remove_squeezable_dimensions", [labels, predictions]):
        predictions = ops.convert_to_tensor(predictions)
        labels = ops.convert_to_tensor(labels)
        p_rank, l_rank = predictions.shape.ndims, labels.shape.ndims
        if p_rank is not None and l_rank is not None:
            if p_rank - l_rank == expected_rank_diff + 1 and predictions.shape.dims[-1].is_compatible_with(1):
                predictions = array_ops.squeeze(predictions, [-1])
            elif p_rank - l_rank == expected_rank_diff - 1 and labels.shape.dims[-1].is_compatible_with(1):
                labels = array_ops.squeeze(labels, [-1])
            return labels, predictions
        rank_diff = array_ops.rank(predictions) - array_ops.rank(labels)  # decided at run time
        if p_rank is None or predictions.shape.dims[-1].is_compatible_with(1):
            predictions = cond(math_ops.equal(expected_rank_diff + 1, rank_diff),
                               lambda: array_ops.squeeze(predictions, [-1]), lambda: predictions)
        if l_rank is None or labels.shape.dims[-1].is_compatible_with(1):
            labels = cond(math_ops.equal(expected_rank_diff - 1, rank_diff),
                          lambda: array_ops.squeeze(labels, [-1]), lambda: labels)
        return labels, predictions


def confusion_matrix(labels, predictions, num_classes=None, dtype=dtypes.int32, name=None, weights=None):
    """The [num_classes, num_classes] matrix counting (or weighting) each (label, prediction) pair: rows are
    labels, columns predictions. Without ``num_classes`` it is one more than the largest label or prediction."""
    with ops.name_scope(name, "confusion_matrix", (predictions, labels, num_classes, weights)):
        labels, predictions = remove_squeezable_dimensions(ops.convert_to_tensor(labels, name="labels"),
                                                           ops.convert_to_tensor(predictions, name="predictions"))
        predictions = math_ops.cast(predictions, dtypes.int64)
        labels = math_ops.cast(labels, dtypes.int64)
        labels = control_flow_ops.with_dependencies(
            [check_ops.assert_non_negative(labels, message="`labels` contains negative values")], labels)
        predictions = control_flow_ops.with_dependencies(
            [check_ops.assert_non_negative(predictions, message="`predictions` contains negative values")],
            predictions)
        if num_classes is None:
            num_classes = math_ops.maximum(math_ops.reduce_max(predictions), math_ops.reduce_max(labels)) + 1
        else:
            num_classes_int64 = math_ops.cast(num_classes, dtypes.int64)
            labels = control_flow_ops.with_dependencies(
                [check_ops.assert_less(labels, num_classes_int64, message="`labels` out of bound")], labels)
            predictions = control_flow_ops.with_dependencies(
                [check_ops.assert_less(predictions, num_classes_int64, message="`predictions` out of bound")],
                predictions)
        if weights is not None:
            weights = ops.convert_to_tensor(weights, name="weights")
            predictions.shape.assert_is_compatible_with(weights.shape)
            weights = math_ops.cast(weights, dtype)
        shape = array_ops.stack([num_classes, num_classes])
        indices = array_ops.stack([labels, predictions], axis=1)
        values = array_ops.ones_like(predictions, dtype) if weights is None else weights
        return indexing_ops.scatter_nd(indices=indices, updates=values, shape=math_ops.cast(shape, dtypes.int64))
