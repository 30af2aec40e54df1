"""Gradients of ``special_math_ops`` (Erf, Erfc, Lgamma, Digamma, Polygamma, Cumsum, Cumprod), written like
TensorFlow's ``python/ops/math_grad.py``. Polygamma has no gradient with respect to its order ``a``."""

import numpy as np

from minitf.framework import ops
from minitf.framework.op_def_lib import RegisterGradient, apply_op
from minitf.ops import array_ops, constant_op, math_ops, special_math_ops


@RegisterGradient("Erf")
def _erf_grad(op, grad):
    """Returns grad * 2/sqrt(pi) * exp(-x**2)."""
    x = op.inputs[0]
    two_over_root_pi = constant_op.constant(2 / np.sqrt(np.pi), dtype=grad.dtype)
    with ops.control_dependencies([grad]):
        x = math_ops.conj(x)
        return grad * two_over_root_pi * math_ops.exp(-math_ops.square(x))


@RegisterGradient("Erfc")
def _erfc_grad(op, grad):
    """Returns -grad * 2/sqrt(pi) * exp(-x**2)."""
    x = op.inputs[0]
    minus_two_over_root_pi = constant_op.constant(-2 / np.sqrt(np.pi), dtype=grad.dtype)
    with ops.control_dependencies([grad]):
        x = math_ops.conj(x)
        return grad * minus_two_over_root_pi * math_ops.exp(-math_ops.square(x))


@RegisterGradient("Lgamma")
def _lgamma_grad(op, grad):
    """Returns grad * digamma(x)."""
    x = op.inputs[0]
    with ops.control_dependencies([grad]):
        x = math_ops.conj(x)
        return grad * special_math_ops.digamma(x)


@RegisterGradient("Digamma")
def _digamma_grad(op, grad):
    """Compute gradient of the digamma function with respect to its argument."""
    x = op.inputs[0]
    with ops.control_dependencies([grad]):
        x = math_ops.conj(x)
        partial_x = special_math_ops.polygamma(constant_op.constant(1, dtype=x.dtype), x)
        return grad * partial_x


@RegisterGradient("Polygamma")
def _polygamma_grad(op, grad):
    """Returns gradient of psi(n, x) with respect to x (none with respect to n)."""
    n, x = op.inputs
    sn = array_ops.shape(n)
    sx = array_ops.shape(x)
    _, rx = apply_op("BroadcastGradientArgs", [sn, sx], {"T": sn.dtype.base_dtype}).outputs
    with ops.control_dependencies([grad]):
        n = math_ops.conj(n)
        x = math_ops.conj(x)
        partial_x = special_math_ops.polygamma(n + 1, x)
        return (None, array_ops.reshape(math_ops.reduce_sum(partial_x * grad, rx), sx))


@RegisterGradient("Cumsum")
def _cumsum_grad(op, grad):
    axis = op.inputs[1]
    exclusive, reverse = op.get_attr("exclusive"), op.get_attr("reverse")
    return [special_math_ops.cumsum(grad, axis, exclusive=exclusive, reverse=not reverse), None]


@RegisterGradient("Cumprod")
def _cumprod_grad(op, grad):
    x, axis = op.inputs
    exclusive, reverse = op.get_attr("exclusive"), op.get_attr("reverse")
    prod = special_math_ops.cumprod(x, axis, exclusive=exclusive, reverse=reverse)
    out = special_math_ops.cumsum(prod * grad, axis, exclusive=exclusive, reverse=not reverse)
    return [math_ops.div_no_nan(out, x), None]
