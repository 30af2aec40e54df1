"""TF1 learning-rate schedules: tensors computed from ``global_step``, composed as TensorFlow composes them."""

from minitf.framework import ops
from minitf.ops import array_ops, math_ops


def _require_step(global_step, what):
    if global_step is None:
        raise ValueError(f"global_step is required for {what}.")


def exponential_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None):
    """``lr * decay_rate ** (global_step / decay_steps)`` (the exponent floored when ``staircase``)."""
    _require_step(global_step, "exponential_decay")
    with ops.name_scope(name, "ExponentialDecay", [learning_rate, global_step, decay_steps, decay_rate]) as scope:
        lr = ops.convert_to_tensor(learning_rate, name="initial_learning_rate")
        dtype = lr.dtype
        decay_steps = math_ops.cast(decay_steps, dtype)
        decay_rate = math_ops.cast(decay_rate, dtype)
        p = math_ops.cast(global_step, dtype) / decay_steps
        if staircase:
            p = math_ops.floor(p)
        return math_ops.multiply(lr, math_ops.pow(decay_rate, p), name=scope)


def inverse_time_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None):
    _require_step(global_step, "inverse_time_decay")
    with ops.name_scope(name, "InverseTimeDecay", [learning_rate, global_step, decay_rate]) as scope:
        lr = ops.convert_to_tensor(learning_rate, name="learning_rate")
        dtype = lr.dtype
        p = math_ops.cast(global_step, dtype) / math_ops.cast(decay_steps, dtype)
        if staircase:
            p = math_ops.floor(p)
        denom = math_ops.add(1.0, math_ops.multiply(math_ops.cast(decay_rate, dtype), p))
        return math_ops.truediv(lr, denom, name=scope)


def natural_exp_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None):
    _require_step(global_step, "natural_exp_decay")
    with ops.name_scope(name, "NaturalExpDecay", [learning_rate, global_step, decay_rate]) as scope:
        lr = ops.convert_to_tensor(learning_rate, name="learning_rate")
        dtype = lr.dtype
        p = math_ops.cast(global_step, dtype) / math_ops.cast(decay_steps, dtype)
        if staircase:
            p = math_ops.floor(p)
        return math_ops.multiply(lr, math_ops.exp(math_ops.multiply(-math_ops.cast(decay_rate, dtype), p)),
                                 name=scope)


def polynomial_decay(learning_rate, global_step, decay_steps, end_learning_rate=0.0001, power=1.0, cycle=False,
                     name=None):
    _require_step(global_step, "polynomial_decay")
    with ops.name_scope(name, "PolynomialDecay", [learning_rate, global_step, decay_steps, end_learning_rate,
                                                  power]) as scope:
        lr = ops.convert_to_tensor(learning_rate, name="initial_learning_rate")
        dtype = lr.dtype
        end = math_ops.cast(end_learning_rate, dtype)
        power_t = math_ops.cast(power, dtype)
        step = math_ops.cast(global_step, dtype)
        steps = math_ops.cast(decay_steps, dtype)
        if cycle:
            multiplier = array_ops.where_v2(math_ops.equal(step, 0), 1.0, math_ops.ceil(step / decay_steps))
            steps = math_ops.multiply(steps, multiplier)
        else:
            step = math_ops.minimum(step, steps)
        p = math_ops.divide(step, steps)
        return math_ops.add(math_ops.multiply(lr - end, math_ops.pow(1 - p, power_t)), end, name=scope)


def piecewise_constant(x, boundaries, values, name=None):
    """``values[i]`` for ``boundaries[i-1] < x <= boundaries[i]``.

    TensorFlow builds this with ``tf.case``; minitf, which has no control-flow ops yet, selects with ``where``:
    the values are the same, the graph is not.
    """
    if len(boundaries) != len(values) - 1:
        raise ValueError("The length of boundaries should be 1 less than the length of values")
    with ops.name_scope(name, "PiecewiseConstant", [x, boundaries, values]) as scope:
        x = ops.convert_to_tensor(x)
        values = [ops.convert_to_tensor(v) for v in values]
        boundaries = [math_ops.cast(ops.convert_to_tensor(b), x.dtype) for b in boundaries]
        result = values[-1]
        for boundary, value in reversed(list(zip(boundaries, values[:-1]))):
            result = array_ops.where_v2(math_ops.less_equal(x, boundary), value, result)
        return array_ops.identity(result, name=scope)
