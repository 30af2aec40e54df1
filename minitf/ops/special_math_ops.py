"""Special functions and scans: Erf, Erfc, Lgamma, Digamma (``tf.erf``, ``tf.lgamma`` ...), Cumsum and Cumprod
(``tf.cumsum``, ``tf.cumprod`` with ``exclusive`` and ``reverse``). Gradients are in ``special_math_grad``.

The special functions evaluate in double precision and round to the input's dtype, as Eigen's float32 versions
agree with the correctly rounded value to a unit in the last place."""

import math

import numpy as np

from minitf.framework import ops
from minitf.framework.op_def_lib import apply_op_1, invalid_argument, pure_with_attrs, register, same_as_input


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
