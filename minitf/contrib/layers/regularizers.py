"""``tf.contrib.layers``' regularizers: functions of a weight tensor returning a scalar penalty, named as in
TensorFlow 1.15 (``l2_regularizer`` holds ``scale`` and ``L2Loss``), and ``apply_regularization``."""

import numbers

from minitf.framework import ops
from minitf.ops import constant_op, math_ops, nn_ops
from minitf.platform import tf_logging as logging


def _check_scale(scale, message_end=""):
    """True if ``scale`` disables the regularizer (0.0); ValueError for an integer or a negative scale."""
    if isinstance(scale, numbers.Integral):
        raise ValueError("scale cannot be an integer: %s" % (scale,))
    if isinstance(scale, numbers.Real):
        if scale < 0.0:
            raise ValueError(("Setting a scale less than 0 on a regularizer: %g" + message_end) % scale)
        if scale == 0.0:
            logging.info("Scale of 0 disables regularizer.")
            return True
    return False


def l1_regularizer(scale, scope=None):
    """``scale * reduce_sum(abs(weights))``: encourages sparse weights."""
    if _check_scale(scale):
        return lambda _: None

    def l1(weights, name=None):
        with ops.name_scope(scope, "l1_regularizer", [weights]) as name:
            my_scale = ops.convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
            return math_ops.multiply(my_scale, math_ops.reduce_sum(math_ops.abs(weights)), name=name)

    return l1


def l2_regularizer(scale, scope=None):
    """``scale * l2_loss(weights)``, i.e. ``scale * sum(weights ** 2) / 2``."""
    if _check_scale(scale, "."):
        return lambda _: None

    def l2(weights):
        with ops.name_scope(scope, "l2_regularizer", [weights]) as name:
            my_scale = ops.convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
            return math_ops.multiply(my_scale, nn_ops.l2_loss(weights), name=name)

    return l2


def l1_l2_regularizer(scale_l1=1.0, scale_l2=1.0, scope=None):
    """The sum of an L1 and an L2 regularizer."""
    return sum_regularizer([l1_regularizer(scale_l1), l2_regularizer(scale_l2)], scope=scope or "l1_l2_regularizer")


def sum_regularizer(regularizer_list, scope=None):
    """The sum (``add_n``) of the regularizers in the list that are not None; None if there are none."""
    regularizer_list = [reg for reg in regularizer_list if reg is not None]
    if not regularizer_list:
        return None

    def sum_reg(weights):
        with ops.name_scope(scope, "sum_regularizer", [weights]) as name:
            return math_ops.add_n([reg(weights) for reg in regularizer_list], name=name)

    return sum_reg


def apply_regularization(regularizer, weights_list=None):
    """The sum of ``regularizer(w)`` over ``weights_list`` (default: the WEIGHTS collection), named
    ``get_regularization_penalty`` and added to REGULARIZATION_LOSSES."""
    if not weights_list:
        weights_list = ops.get_collection(ops.GraphKeys.WEIGHTS)
    if not weights_list:
        raise ValueError("No weights to regularize.")
    with ops.name_scope("get_regularization_penalty", values=weights_list) as scope:
        penalties = [regularizer(w) for w in weights_list]
        penalties = [p if p is not None else constant_op.constant(0.0) for p in penalties]
        for p in penalties:
            if p.get_shape().ndims != 0:
                raise ValueError("regularizer must return a scalar Tensor instead of a Tensor with rank %d."
                                 % p.get_shape().ndims)
        summed_penalty = math_ops.add_n(penalties, name=scope)
        ops.add_to_collection(ops.GraphKeys.REGULARIZATION_LOSSES, summed_penalty)
        return summed_penalty
