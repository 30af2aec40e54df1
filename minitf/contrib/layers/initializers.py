"""``tf.contrib.layers``' weight initializers, as TensorFlow 1.15 defines them: functions that build a
``random_uniform`` or ``truncated_normal`` op from the variable's shape (not the ``init_ops`` classes of
``tf.variance_scaling_initializer``, whose fan computation and truncation constant differ)."""

import math

from minitf.framework import dtypes
from minitf.ops import random_ops


def xavier_initializer(uniform=True, seed=None, dtype=dtypes.float32):
    """Glorot and Bengio's initializer: uniform in ``[-x, x]`` with ``x = sqrt(6 / (fan_in + fan_out))``, or a
    truncated normal of standard deviation ``sqrt(1.3 * 2 / (fan_in + fan_out))``."""
    return variance_scaling_initializer(factor=1.0, mode="FAN_AVG", uniform=uniform, seed=seed, dtype=dtype)


xavier_initializer_conv2d = xavier_initializer


def variance_scaling_initializer(factor=2.0, mode="FAN_IN", uniform=False, seed=None, dtype=dtypes.float32):
    """Values of variance ``factor / n``, ``n`` being the fan-in, the fan-out or their mean (``mode``); for a
    convolution kernel the fans include the receptive field. The default is He et al.'s initializer for ReLUs."""
    if not dtype.is_floating:
        raise TypeError("Cannot create initializer for non-floating point type.")
    if mode not in ["FAN_IN", "FAN_OUT", "FAN_AVG"]:
        raise TypeError("Unknow mode %s [FAN_IN, FAN_OUT, FAN_AVG]", mode)

    def _initializer(shape, dtype=dtype, partition_info=None):
        if not dtype.is_floating:
            raise TypeError("Cannot create initializer for non-floating point type.")
        fan_in = float(shape[-2]) if len(shape) > 1 else float(shape[-1])
        fan_out = float(shape[-1])
        for dim in shape[:-2]:
            fan_in *= float(dim)
            fan_out *= float(dim)
        n = {"FAN_IN": fan_in, "FAN_OUT": fan_out, "FAN_AVG": (fan_in + fan_out) / 2.0}[mode]
        if uniform:
            limit = math.sqrt(3.0 * factor / n)  # the uniform distribution of standard deviation sqrt(factor / n)
            return random_ops.random_uniform(shape, -limit, limit, dtype, seed=seed)
        trunc_stddev = math.sqrt(1.3 * factor / n)  # truncation at two deviations shrinks it by about 1 / 1.3
        return random_ops.truncated_normal(shape, 0.0, trunc_stddev, dtype, seed=seed)

    return _initializer
