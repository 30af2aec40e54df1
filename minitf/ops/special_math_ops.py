"""Special functions and scans: Erf, Erfc, Lgamma, Digamma, Polygamma (``tf.erf``, ``tf.lgamma`` ...), Cumsum
and Cumprod (``tf.cumsum``, ``tf.cumprod`` with ``exclusive`` and ``reverse``). Gradients are in ``special_math_grad``.

The special functions evaluate in double precision and round to the input's dtype, as Eigen's float32 versions
agree with the correctly rounded value to a unit in the last place."""

import math

import numpy as np

from minitf.framework import dtypes, ops
from minitf.framework.op_def_lib import (apply_op_1, binary_infer, invalid_argument, pure, pure_with_attrs, register,
                                         same_as_input)


convert_to_tensor = ops.convert_to_tensor


# -- special functions --------------------------------------------------------------------------------------------

def _elementwise(fn):
    vectorized = np.vectorize(fn, otypes=[np.float64])

    def kernel(x):
        with np.errstate(all="ignore"):
            return np.asarray(vectorized(x.astype(np.float64)), dtype=x.dtype)
    return kernel


def _lgamma(x):
    if x <= 0 and x == math.floor(x):
        return math.inf
    return math.lgamma(x)


def _digamma(x):
    """psi(x): the reflection formula below zero, the recurrence up to 6, then the asymptotic series."""
    if x <= 0 and x == math.floor(x):
        return math.nan
    if x < 0:
        return _digamma(1 - x) - math.pi / math.tan(math.pi * x)
    result = 0.0
    while x < 6:
        result -= 1 / x
        x += 1
    inv2 = 1 / (x * x)
    series = inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 / 132))))
    return result + math.log(x) - 0.5 / x - series


# Bernoulli numbers B_2j / (2j)! for the Euler-Maclaurin tail of the Hurwitz zeta function.
_EULER_MACLAURIN = [b / math.factorial(2 * j) for j, b in enumerate(
    [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6], start=1)]


def _zeta(s, q):
    """Hurwitz's zeta(s, q) = sum_k (q + k)^-s, with Eigen's answers at the poles and for negative q."""
    if s == 1:
        return math.inf
    if s < 1:
        return math.nan
    if q <= 0:
        if q == math.floor(q):
            return math.inf if s == math.floor(s) and int(s) % 2 == 0 else math.nan
        if s != math.floor(s):
            return math.nan
    n = 9 + max(0, math.ceil(-q))
    total = sum((q + k) ** -s for k in range(n))
    a = q + n
    total += a ** (1 - s) / (s - 1) + 0.5 * a ** -s
    rising = s  # s (s + 1) ... (s + 2j - 2)
    for j, coefficient in enumerate(_EULER_MACLAURIN, start=1):
        total += coefficient * rising * a ** (-s - 2 * j + 1)
        rising *= (s + 2 * j - 1) * (s + 2 * j)
    return total


def _polygamma(n, x):
    """psi^(n)(x) = (-1)^(n+1) n! zeta(n+1, x), digamma for n = 0; NaN for a negative or fractional n (Eigen)."""
    if n < 0 or n != math.floor(n):
        return math.nan
    if n == 0:
        return _digamma(x)
    return (-1) ** (int(n) + 1) * math.factorial(int(n)) * _zeta(n + 1, x)


def _polygamma_kernel(a, x):
    with np.errstate(all="ignore"):
        out = np.vectorize(_polygamma, otypes=[np.float64])(a.astype(np.float64), x.astype(np.float64))
    return np.asarray(out, dtype=x.dtype)


register("Polygamma", binary_infer(), pure(_polygamma_kernel), input_names=("a", "x"))


def polygamma(a, x, name=None):
    """``tf.polygamma``: the ``a``-th derivative of digamma at ``x`` (``a`` a non-negative integer value)."""
    with ops.name_scope(name, "Polygamma", [a, x]) as scope:
        a = convert_to_tensor(a, name="a")
        if a.dtype.base_dtype not in (dtypes.float32, dtypes.float64):
            raise TypeError(f"Value passed to parameter 'a' has DataType {a.dtype.base_dtype.name} not in list of "
                            "allowed values: float32, float64")
        x = convert_to_tensor(x, name="x")
        if x.dtype.base_dtype != a.dtype.base_dtype:
            raise TypeError(f"Input 'x' of 'Polygamma' Op has type {x.dtype.base_dtype.name} that does not match "
                            f"type {a.dtype.base_dtype.name} of argument 'a'.")
        return apply_op_1("Polygamma", [a, x], {"T": a.dtype.base_dtype}, scope)


for _op_type, _fn in [("Erf", math.erf), ("Erfc", math.erfc), ("Lgamma", _lgamma), ("Digamma", _digamma)]:
    register(_op_type, same_as_input(), lambda op, state, _k=_elementwise(_fn): _k, input_names=("x",))


def _float_unary(op_type):
    def wrapper(x, name=None):
        x = convert_to_tensor(x, name="x")
        if not x.dtype.base_dtype.is_floating:
            raise TypeError(f"Value passed to parameter 'x' has DataType {x.dtype.base_dtype.name} not in list of "
                            "allowed values: bfloat16, float16, float32, float64")
        return apply_op_1(op_type, [x], {"T": x.dtype.base_dtype}, name)
    wrapper.__name__ = op_type.lower()
    wrapper.__doc__ = f"``tf.math.{op_type.lower()}``: element-wise ``{op_type}``."
    return wrapper


erf = _float_unary("Erf")
erfc = _float_unary("Erfc")
lgamma = _float_unary("Lgamma")
digamma = _float_unary("Digamma")


# -- Cumsum, Cumprod -----------------------------------------------------------------------------------------------

def _scan_infer(op):
    x, axis = op.inputs
    if axis.shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {axis.shape.ndims} for '{op.name}' "
                         f"(op: '{op.type}')")
    return [(x.dtype.base_dtype, x.shape)]


def _scan_kernel(accumulate, identity):
    def make(op):
        exclusive, reverse = op.get_attr("exclusive"), op.get_attr("reverse")

        def kernel(x, axis):
            axis = int(axis)
            if not -x.ndim <= axis < x.ndim:
                raise invalid_argument(f"ScanOp: Expected scan axis in the range [{-x.ndim}, {x.ndim}), but got "
                                       f"{axis}")
            if reverse:
                x = np.flip(x, axis)
            out = accumulate(x, axis=axis, dtype=x.dtype)
            if exclusive:
                out = np.roll(out, 1, axis=axis)
                index = [slice(None)] * x.ndim
                index[axis] = slice(0, 1)
                out[tuple(index)] = identity
            return np.flip(out, axis) if reverse else out
        return kernel
    return make


register("Cumsum", _scan_infer, pure_with_attrs(_scan_kernel(np.cumsum, 0)), input_names=("x", "axis"),
         attrs=("exclusive", "reverse", "T", "Tidx"), attr_defaults={"exclusive": False, "reverse": False})
register("Cumprod", _scan_infer, pure_with_attrs(_scan_kernel(np.cumprod, 1)), input_names=("x", "axis"),
         attrs=("exclusive", "reverse", "T", "Tidx"), attr_defaults={"exclusive": False, "reverse": False})


def _scan(op_type, default_name):
    def wrapper(x, axis=0, exclusive=False, reverse=False, name=None):
        with ops.name_scope(name, default_name, [x]) as scope:
            x = convert_to_tensor(x, name="x")
            return apply_op_1(op_type, [x, axis], {"exclusive": exclusive, "reverse": reverse,
                                                   "T": x.dtype.base_dtype}, scope, index_attrs={1: "Tidx"})
    wrapper.__name__ = op_type.lower()
    wrapper.__doc__ = (f"``tf.{op_type.lower()}``: the running {'sum' if op_type == 'Cumsum' else 'product'} of "
                       "``x`` along ``axis``; ``exclusive`` starts from the identity, ``reverse`` runs backwards.")
    return wrapper


cumsum = _scan("Cumsum", "Cumsum")
cumprod = _scan("Cumprod", "Cumprod")
