"""Gradients of ``special_math_ops`` (Erf, Erfc, Lgamma, Cumsum, Cumprod), written like TensorFlow's
``python/ops/math_grad.py``. Digamma's gradient needs Polygamma, which minitf does not have yet: it raises
LookupError, as TensorFlow does for an op without a registered gradient."""

import numpy as np

from minitf.framework import ops
from minitf.framework.op_def_lib import RegisterGradient
from minitf.ops import constant_op, math_ops, special_math_ops


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
