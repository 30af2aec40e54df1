"""``tf.metrics``: streaming metrics as TensorFlow's ``tf.compat.v1.metrics`` builds them (TensorFlow 2.21's
python/ops/metrics_impl.py, in a graph without a distribution strategy).

Each metric returns ``(value, update_op)``. Its accumulators are metric variables (``metric_variable``: zero-initialised,
not trainable, in the LOCAL_VARIABLES and METRIC_VARIABLES collections), so ``tf.local_variables_initializer()``
resets them; ``update_op`` adds one batch and returns the metric so far, ``value`` reads it without changing it.

The checks TensorFlow adds are built where they are static (the NoOps ``assert_type/statically_determined_correct_type``,
``assert_rank_in/static_checks_determined_all_ok``, ``assert_broadcastable/static_*_check_success``). Weights
whose broadcast cannot be checked statically get TensorFlow's run-time Assert (``weights_broadcast_ops``); the
other run-time checks of unknown ranks are not built yet; ``auc`` checks at run time that the predictions lie in
[0, 1], ``mean_iou`` (through ``confusion_matrix``) that labels and predictions are in [0, num_classes). Not
provided: the ``*_at_k`` and ``*_at_thresholds`` families.
"""

from minitf.framework import dtypes, ops, tensor_util
from minitf.ops import (array_ops, check_ops, constant_op, control_flow_ops, math_ops, matrix_ops, state_ops,
                        variables, weights_broadcast_ops)
from minitf.ops import confusion_matrix as confusion_matrix_ops
from minitf.ops import variable_scope as vs


def metric_variable(shape, dtype, validate_shape=True, name=None):
    """A zero-initialised, non-trainable variable in LOCAL_VARIABLES and METRIC_VARIABLES."""
    return variables.Variable(lambda: array_ops.zeros(shape, dtype), trainable=False,
                              collections=[ops.GraphKeys.LOCAL_VARIABLES, ops.GraphKeys.METRIC_VARIABLES],
                              validate_shape=validate_shape, name=name)


# -- shapes, weights and static checks ---------------------------------------------------------------------------

def _remove_squeezable_labels(labels, predictions):
    """confusion_matrix.remove_squeezable_dimensions with static ranks: squeezes a trailing 1 off whichever of
    ``labels`` and ``predictions`` has one more dimension."""
    with ops.name_scope(None, "remove_squeezable_dimensions", [labels, predictions]):
        predictions = ops.convert_to_tensor(predictions)
        labels = ops.convert_to_tensor(labels)
        p_rank, l_rank = predictions.shape.ndims, labels.shape.ndims
        if p_rank is not None and l_rank is not None:
            if p_rank - l_rank == 1 and predictions.shape.dims[-1].is_compatible_with(1):
                predictions = array_ops.squeeze(predictions, [-1])
            elif p_rank - l_rank == -1 and labels.shape.dims[-1].is_compatible_with(1):
                labels = array_ops.squeeze(labels, [-1])
        return labels, predictions


def _remove_squeezable_dimensions(predictions, labels, weights):
    """Squeezes a trailing size-1 dimension off ``predictions`` or ``labels`` when their ranks differ by one, and
    squeezes or expands ``weights`` to the rank of ``predictions`` (a scalar weight stays scalar)."""
    predictions = ops.convert_to_tensor(predictions)
    if labels is not None:
        labels, predictions = _remove_squeezable_labels(labels, predictions)
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
    if weights is None:
        return predictions, labels, None
    weights = ops.convert_to_tensor(weights)
    weights_rank, predictions_rank = weights.shape.ndims, predictions.shape.ndims
    if weights_rank == 0:
        return predictions, labels, weights
    if predictions_rank is not None and weights_rank is not None:
        if weights_rank - predictions_rank == 1:
            weights = array_ops.squeeze(weights, [-1])
        elif predictions_rank - weights_rank == 1:
            weights = array_ops.expand_dims(weights, [-1])
    return predictions, labels, weights


def _assert_type(tensor, dtype):
    """check_ops.assert_type with a static answer: TypeError, or a NoOp saying the type is right."""
    with ops.name_scope(None, "assert_type", [tensor]):
        tensor = ops.convert_to_tensor(tensor, name="tensor")
        if tensor.dtype != dtype:
            raise TypeError(f"{tensor.name} must be of type {dtype!r}; got {tensor.dtype!r}")
        return control_flow_ops.no_op("statically_determined_correct_type")


def _assert_rank_in(x, ranks):
    """check_ops.assert_rank_in: a NoOp when the ranks are static (ValueError if ``x``'s is not among them), else
    None (no run-time check)."""
    with ops.name_scope(None, "assert_rank_in", (x,) + tuple(ranks)):
        x = ops.convert_to_tensor(x, name="x")
        ranks = tuple(ops.convert_to_tensor(rank, name="rank") for rank in ranks)
        array_ops.shape(x)
        for rank in ranks:
            _assert_type(rank, dtypes.int32)
        static = [tensor_util.constant_value(rank) for rank in ranks]
        if x.shape.ndims is None or any(rank is None for rank in static):
            return None
        if x.shape.ndims not in [int(rank) for rank in static]:
            raise ValueError(f"Tensor {x.name} must have rank in {tuple(int(r) for r in static)}. "
                             f"Received shape: {x.shape}")
        return control_flow_ops.no_op(name="static_checks_determined_all_ok")


def _add_to_collections(collections, tensor):
    if collections:
        ops.add_to_collections(collections, tensor)


# -- mean and the metrics built on it ----------------------------------------------------------------------------

def mean(values, weights=None, metrics_collections=None, updates_collections=None, name=None):
    """The (weighted) mean of ``values`` over every batch so far: ``total / count``."""
    with vs.variable_scope(name, "mean", (values, weights)):
        values = math_ops.cast(values, dtypes.float32)
        total = metric_variable([], dtypes.float32, name="total")
        count = metric_variable([], dtypes.float32, name="count")
        if weights is None:
            num_values = math_ops.cast(array_ops.size(values), dtypes.float32)
        else:
            values, _, weights = _remove_squeezable_dimensions(predictions=values, labels=None, weights=weights)
            weights = weights_broadcast_ops.broadcast_weights(math_ops.cast(weights, dtypes.float32), values)
            values = math_ops.multiply(values, weights)
            num_values = math_ops.reduce_sum(weights)
        update_total_op = state_ops.assign_add(total, math_ops.reduce_sum(values))
        with ops.control_dependencies([values]):
            update_count_op = state_ops.assign_add(count, num_values)
        mean_t = math_ops.div_no_nan(total, math_ops.maximum(count, 0), name="value")
        _add_to_collections(metrics_collections, mean_t)
        update_op = math_ops.div_no_nan(update_total_op, math_ops.maximum(update_count_op, 0), name="update_op")
        _add_to_collections(updates_collections, update_op)
        return mean_t, update_op


def accuracy(labels, predictions, weights=None, metrics_collections=None, updates_collections=None, name=None):
    """How often ``predictions`` equals ``labels`` (weighted): the mean of ``equal(predictions, labels)``."""
    predictions, labels, weights = _remove_squeezable_dimensions(predictions=predictions, labels=labels,
                                                                 weights=weights)
    predictions.get_shape().assert_is_compatible_with(labels.get_shape())
    if labels.dtype != predictions.dtype:
        predictions = math_ops.cast(predictions, labels.dtype)
    is_correct = math_ops.cast(math_ops.equal(predictions, labels), dtypes.float32)
    return mean(is_correct, weights, metrics_collections, updates_collections, name or "accuracy")


def mean_absolute_error(labels, predictions, weights=None, metrics_collections=None, updates_collections=None,
                        name=None):
    """The mean of ``abs(predictions - labels)``."""
    predictions, labels, weights = _remove_squeezable_dimensions(predictions=predictions, labels=labels,
                                                                 weights=weights)
    absolute_errors = math_ops.abs(predictions - labels)
    return mean(absolute_errors, weights, metrics_collections, updates_collections, name or "mean_absolute_error")


def mean_squared_error(labels, predictions, weights=None, metrics_collections=None, updates_collections=None,
                       name=None):
    """The mean of ``(labels - predictions) ** 2``."""
    predictions, labels, weights = _remove_squeezable_dimensions(predictions=predictions, labels=labels,
                                                                 weights=weights)
    squared_error = math_ops.squared_difference(labels, predictions)
    return mean(squared_error, weights, metrics_collections, updates_collections, name or "mean_squared_error")


def root_mean_squared_error(labels, predictions, weights=None, metrics_collections=None, updates_collections=None,
                            name=None):
    """The square root of ``mean_squared_error``."""
    predictions, labels, weights = _remove_squeezable_dimensions(predictions=predictions, labels=labels,
                                                                 weights=weights)
    mse, update_mse_op = mean_squared_error(labels, predictions, weights, None, None,
                                            name or "root_mean_squared_error")
    rmse = math_ops.sqrt(mse)
    _add_to_collections(metrics_collections, rmse)
    update_rmse_op = math_ops.sqrt(update_mse_op)
    _add_to_collections(updates_collections, update_rmse_op)
    return rmse, update_rmse_op


# -- counts of a condition, precision and recall -----------------------------------------------------------------

def _count_condition(values, weights=None, metrics_collections=None, updates_collections=None):
    """The (weighted) number of true ``values`` over every batch so far."""
    _assert_type(values, dtypes.bool)
    count = metric_variable([], dtypes.float32, name="count")
    values = math_ops.cast(values, dtypes.float32)
    if weights is not None:
        check = _assert_rank_in(weights, (0, array_ops.rank(values)))
        with ops.control_dependencies([check] if check is not None else []):
            weights = math_ops.cast(weights, dtypes.float32)
            values = math_ops.multiply(values, weights)
    value_tensor = array_ops.identity(count)
    _add_to_collections(metrics_collections, value_tensor)
    update_op = state_ops.assign_add(count, math_ops.reduce_sum(values))
    _add_to_collections(updates_collections, update_op)
    return value_tensor, update_op


def _condition_counter(default_name, label_value, prediction_value, doc):
    def metric(labels, predictions, weights=None, metrics_collections=None, updates_collections=None, name=None):
        with vs.variable_scope(name, default_name, (predictions, labels, weights)):
            predictions, labels, weights = _remove_squeezable_dimensions(
                predictions=math_ops.cast(predictions, dtype=dtypes.bool),
                labels=math_ops.cast(labels, dtype=dtypes.bool), weights=weights)
            condition = math_ops.logical_and(math_ops.equal(labels, label_value),
                                             math_ops.equal(predictions, prediction_value))
            return _count_condition(condition, weights, metrics_collections, updates_collections)
    metric.__name__ = metric.__qualname__ = default_name
    metric.__doc__ = doc
    return metric


true_positives = _condition_counter("true_positives", True, True,
                                    "The (weighted) number of examples with a true label predicted true.")
false_positives = _condition_counter("false_positives", False, True,
                                     "The (weighted) number of examples with a false label predicted true.")
true_negatives = _condition_counter("true_negatives", False, False,
                                    "The (weighted) number of examples with a false label predicted false.")
false_negatives = _condition_counter("false_negatives", True, False,
                                     "The (weighted) number of examples with a true label predicted false.")


def _ratio_metric(default_name, other_counter, doc):
    def metric(labels, predictions, weights=None, metrics_collections=None, updates_collections=None, name=None):
        with vs.variable_scope(name, default_name, (predictions, labels, weights)):
            predictions, labels, weights = _remove_squeezable_dimensions(
                predictions=math_ops.cast(predictions, dtype=dtypes.bool),
                labels=math_ops.cast(labels, dtype=dtypes.bool), weights=weights)
            true_p, true_p_update = true_positives(labels, predictions, weights)
            other, other_update = other_counter(labels, predictions, weights)

            def ratio(tp, other, name):  # tp / (tp + other), 0 while nothing has been counted
                return array_ops.where(math_ops.greater(tp + other, 0), math_ops.divide(tp, tp + other), 0, name)

            value = ratio(true_p, other, "value")
            _add_to_collections(metrics_collections, value)
            update_op = ratio(true_p_update, other_update, "update_op")
            _add_to_collections(updates_collections, update_op)
            return value, update_op
    metric.__name__ = metric.__qualname__ = default_name
    metric.__doc__ = doc
    return metric


precision = _ratio_metric("precision", false_positives,
                          "``true_positives / (true_positives + false_positives)``, 0 before any positive prediction.")
recall = _ratio_metric("recall", false_negatives,
                       "``true_positives / (true_positives + false_negatives)``, 0 before any true label.")


# -- counts at thresholds and the area under a curve -------------------------------------------------------------

def _confusion_matrix_at_thresholds(labels, predictions, thresholds, weights=None, includes=None):
    """Per threshold, the (weighted) true positives, false negatives, true negatives and false positives of
    ``predictions > threshold`` (those in ``includes``): ``(variables, update ops)`` keyed 'tp', 'fn', 'tn', 'fp'.

    TensorFlow checks at run time that the predictions lie in [0, 1] (an Assert guarded by a ``cond``); minitf
    builds only the two constants those checks compare with, and no check yet.
    """
    all_includes = ("tp", "fn", "tn", "fp")
    if includes is None:
        includes = all_includes
    else:
        for include in includes:
            if include not in all_includes:
                raise ValueError(f"Invalid key: {include}")
    predictions = ops.convert_to_tensor(predictions)
    in_range = [check_ops.assert_greater_equal(predictions, math_ops.cast(0.0, dtype=predictions.dtype),
                                               message="predictions must be in [0, 1]"),
                check_ops.assert_less_equal(predictions, math_ops.cast(1.0, dtype=predictions.dtype),
                                            message="predictions must be in [0, 1]")]
    with ops.control_dependencies(in_range):
        predictions, labels, weights = _remove_squeezable_dimensions(
            predictions=math_ops.cast(predictions, dtypes.float32), labels=math_ops.cast(labels, dtype=dtypes.bool),
            weights=weights)
    num_thresholds = len(thresholds)
    predictions_2d = array_ops.reshape(predictions, [-1, 1])
    labels_2d = array_ops.reshape(math_ops.cast(labels, dtype=dtypes.bool), [1, -1])
    num_predictions = predictions_2d.get_shape().as_list()[0]
    if num_predictions is None:
        num_predictions = array_ops.shape(predictions_2d)[0]
    thresh_tiled = array_ops.tile(array_ops.expand_dims(constant_op.constant(thresholds), [1]),
                                  array_ops.stack([1, num_predictions]))
    pred_is_pos = math_ops.greater(array_ops.tile(array_ops.transpose(predictions_2d), [num_thresholds, 1]),
                                   thresh_tiled)
    if "fn" in includes or "tn" in includes:
        pred_is_neg = math_ops.logical_not(pred_is_pos)
    label_is_pos = array_ops.tile(labels_2d, [num_thresholds, 1])
    if "fp" in includes or "tn" in includes:
        label_is_neg = math_ops.logical_not(label_is_pos)
    weights_tiled = None
    if weights is not None:
        weights = weights_broadcast_ops.broadcast_weights(math_ops.cast(weights, dtypes.float32), predictions)
        weights_tiled = array_ops.tile(array_ops.reshape(weights, [1, -1]), [num_thresholds, 1])
        thresh_tiled.get_shape().assert_is_compatible_with(weights_tiled.get_shape())
    conditions = {"tp": ("true_positives", lambda: (label_is_pos, pred_is_pos)),
                  "fn": ("false_negatives", lambda: (label_is_pos, pred_is_neg)),
                  "tn": ("true_negatives", lambda: (label_is_neg, pred_is_neg)),
                  "fp": ("false_positives", lambda: (label_is_neg, pred_is_pos))}
    values, update_ops = {}, {}
    for key in all_includes:
        if key not in includes:
            continue
        name, operands = conditions[key]
        variable = metric_variable([num_thresholds], dtypes.float32, name=name)
        counted = math_ops.cast(math_ops.logical_and(*operands()), dtypes.float32)
        if weights_tiled is not None:
            counted *= weights_tiled
        update_ops[key] = state_ops.assign_add(variable, math_ops.reduce_sum(counted, 1))
        values[key] = variable
    return values, update_ops


def auc(labels, predictions, weights=None, num_thresholds=200, metrics_collections=None, updates_collections=None,
        curve="ROC", name=None, summation_method="trapezoidal", thresholds=None):
    """The area under the ROC curve (``curve='ROC'``) or the precision-recall curve (``'PR'``), from counts at
    ``num_thresholds`` evenly spaced thresholds (or the given ``thresholds``) over every batch so far.
    ``predictions`` must lie in [0, 1] (checked at run time)."""
    with vs.variable_scope(name, "auc", (labels, predictions, weights)):
        if curve != "ROC" and curve != "PR":
            raise ValueError(f"Curve must be either ROC or PR. Curve {curve} is unknown.")
        kepsilon = 1e-7  # to account for floating point imprecisions
        if thresholds is not None:
            thresholds = sorted(thresholds)
            num_thresholds = len(thresholds) + 2
        else:
            thresholds = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        thresholds = [0.0 - kepsilon] + thresholds + [1.0 + kepsilon]
        values, update_ops = _confusion_matrix_at_thresholds(labels, predictions, thresholds, weights)
        epsilon = 1.0e-6
        n = num_thresholds

        def interpolate_pr_auc(tp, fp, fn):
            """Davis and Goadrich's interpolation of the precision-recall curve between thresholds."""
            dtp = tp[:n - 1] - tp[1:]
            p = tp + fp
            prec_slope = math_ops.div_no_nan(dtp, math_ops.maximum(p[:n - 1] - p[1:], 0), name="prec_slope")
            intercept = tp[1:] - math_ops.multiply(prec_slope, p[1:])
            safe_p_ratio = array_ops.where(
                math_ops.logical_and(p[:n - 1] > 0, p[1:] > 0),
                math_ops.div_no_nan(p[:n - 1], math_ops.maximum(p[1:], 0), name="recall_relative_ratio"),
                array_ops.ones_like(p[1:]))
            return math_ops.reduce_sum(
                math_ops.div_no_nan(prec_slope * (dtp + intercept * math_ops.log(safe_p_ratio)),
                                    math_ops.maximum(tp[1:] + fn[1:], 0), name="pr_auc_increment"),
                name="interpolate_pr_auc")

        def compute_auc(tp, fn, tn, fp, name):
            if curve == "PR":
                if summation_method == "trapezoidal":
                    from minitf.platform import tf_logging
                    tf_logging.warning("Trapezoidal rule is known to produce incorrect PR-AUCs; please switch to "
                                       '"careful_interpolation" instead.')
                elif summation_method == "careful_interpolation":
                    return interpolate_pr_auc(tp, fp, fn)
            rec = math_ops.divide(tp + epsilon, tp + fn + epsilon)
            if curve == "ROC":
                x, y = math_ops.divide(fp, fp + tn + epsilon), rec
            else:
                x, y = rec, math_ops.divide(tp + epsilon, tp + fp + epsilon)
            if summation_method not in ("trapezoidal", "careful_interpolation", "minoring", "majoring"):
                raise ValueError(f"Invalid summation_method: {summation_method} summation_method should be "
                                 "'trapezoidal', 'careful_interpolation', 'minoring', or 'majoring'.")
            widths = x[:n - 1] - x[1:]
            if summation_method in ("trapezoidal", "careful_interpolation"):
                heights = (y[:n - 1] + y[1:]) / 2.0
            elif summation_method == "minoring":
                heights = math_ops.minimum(y[:n - 1], y[1:])
            else:
                heights = math_ops.maximum(y[:n - 1], y[1:])
            return math_ops.reduce_sum(math_ops.multiply(widths, heights), name=name)

        auc_value = compute_auc(values["tp"], values["fn"], values["tn"], values["fp"], "value")
        _add_to_collections(metrics_collections, auc_value)
        update_op = compute_auc(update_ops["tp"], update_ops["fn"], update_ops["tn"], update_ops["fp"], "update_op")
        _add_to_collections(updates_collections, update_op)
        return auc_value, update_op


# -- per-class metrics -------------------------------------------------------------------------------------------

def _flat(tensor):
    """``tensor`` reshaped to a vector when its rank is above 1."""
    return array_ops.reshape(tensor, [-1]) if tensor.shape.ndims > 1 else tensor


def mean_per_class_accuracy(labels, predictions, num_classes, weights=None, metrics_collections=None,
                            updates_collections=None, name=None):
    """The mean over classes of each class's accuracy (correct predictions of the class over its examples):
    per-class ``total`` and ``count`` variables of ``num_classes`` entries."""
    with vs.variable_scope(name, "mean_accuracy", (predictions, labels, weights)):
        labels = _flat(math_ops.cast(labels, dtypes.int64))
        predictions = _flat(ops.convert_to_tensor(predictions))
        predictions.shape.assert_is_compatible_with(labels.shape)
        total = metric_variable([num_classes], dtypes.float32, name="total")
        count = metric_variable([num_classes], dtypes.float32, name="count")
        ones = array_ops.ones([array_ops.size(labels)], dtypes.float32)
        if labels.dtype != predictions.dtype:
            predictions = math_ops.cast(predictions, labels.dtype)
        is_correct = math_ops.cast(math_ops.equal(predictions, labels), dtypes.float32)
        if weights is not None:
            weights = math_ops.cast(_flat(ops.convert_to_tensor(weights)), dtypes.float32)
            is_correct *= weights
            ones *= weights
        update_total_op = state_ops.scatter_add(total, labels, ones)
        update_count_op = state_ops.scatter_add(count, labels, is_correct)
        per_class_accuracy = math_ops.div_no_nan(count, math_ops.maximum(total, 0))
        mean_accuracy_v = math_ops.reduce_mean(per_class_accuracy, name="mean_accuracy")
        _add_to_collections(metrics_collections, mean_accuracy_v)
        update_op = math_ops.div_no_nan(update_count_op, math_ops.maximum(update_total_op, 0), name="update_op")
        _add_to_collections(updates_collections, update_op)
        return mean_accuracy_v, update_op


def _streaming_confusion_matrix(labels, predictions, num_classes, weights=None):
    """The float64 ``total_confusion_matrix`` variable and the op adding a batch's confusion matrix to it."""
    total_cm = metric_variable([num_classes, num_classes], dtypes.float64, name="total_confusion_matrix")
    predictions = math_ops.cast(predictions, dtypes.int64)
    labels = math_ops.cast(labels, dtypes.int64)
    num_classes = math_ops.cast(num_classes, dtypes.int64)
    predictions, labels = _flat(predictions), _flat(labels)
    if weights is not None and weights.shape.ndims > 1:
        weights = array_ops.reshape(weights, [-1])
    current_cm = confusion_matrix_ops.confusion_matrix(labels, predictions, num_classes, weights=weights,
                                                       dtype=dtypes.float64)
    return total_cm, state_ops.assign_add(total_cm, current_cm)


def mean_iou(labels, predictions, num_classes, weights=None, metrics_collections=None, updates_collections=None,
             name=None):
    """The mean over classes of intersection over union, ``tp / (tp + fp + fn)``, from the confusion matrix of
    every batch so far; classes absent from both labels and predictions do not count. ``update_op`` returns the
    confusion matrix."""
    with vs.variable_scope(name, "mean_iou", (predictions, labels, weights)):
        predictions.shape.assert_is_compatible_with(labels.shape)
        total_cm, update_op = _streaming_confusion_matrix(labels, predictions, num_classes, weights)
        sum_over_row = math_ops.cast(math_ops.reduce_sum(total_cm, 0), dtypes.float32)
        sum_over_col = math_ops.cast(math_ops.reduce_sum(total_cm, 1), dtypes.float32)
        cm_diag = math_ops.cast(matrix_ops.diag_part(total_cm), dtypes.float32)
        denominator = sum_over_row + sum_over_col - cm_diag
        num_valid_entries = math_ops.reduce_sum(math_ops.cast(math_ops.not_equal(denominator, 0), dtypes.float32))
        denominator = array_ops.where(math_ops.greater(denominator, 0), denominator,
                                      array_ops.ones_like(denominator))
        iou = math_ops.divide(cm_diag, denominator)
        mean_iou_v = array_ops.where(math_ops.greater(num_valid_entries, 0),
                                     math_ops.reduce_sum(iou, name="mean_iou") / num_valid_entries, 0)
        _add_to_collections(metrics_collections, mean_iou_v)
        _add_to_collections(updates_collections, update_op)
        return mean_iou_v, update_op
