"""TF1's top-level names for raw math ops (``tf.arg_max``, ``tf.arg_min``, ``tf.floor_div``): TensorFlow exposes the
generated op wrappers, whose arguments are the op's inputs (``dimension``, not ``axis``) and whose node is named
after the op type (``FloorDiv``, not ``floordiv``)."""

from minitf.framework import dtypes
from minitf.ops import math_ops


def arg_max(input, dimension, output_type=dtypes.int64, name=None):  # noqa: A002
    """The index of the largest value along ``dimension`` (the ``ArgMax`` op)."""
    return math_ops.argmax(input, axis=dimension, name=name, output_type=output_type)


def arg_min(input, dimension, output_type=dtypes.int64, name=None):  # noqa: A002
    """The index of the smallest value along ``dimension`` (the ``ArgMin`` op)."""
    return math_ops.argmin(input, axis=dimension, name=name, output_type=output_type)


def floor_div(x, y, name=None):
    """``x // y`` element-wise (the ``FloorDiv`` op, named after it)."""
    return math_ops.floordiv(x, y, name=name or "FloorDiv")
