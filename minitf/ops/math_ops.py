"""TensorFlow's ``math_ops``: reductions (sum, mean, max, ... and argmax), and every element-wise and linear-algebra
op under the one name TensorFlow programs and the other op modules use (``math_ops.cast``, ``math_ops.matmul``).

The element-wise ops and the Python operators on Tensor live in ``cwise_ops``, MatMul in ``linalg_ops``; their
gradients are in ``math_grad``.
"""

import builtins
import math

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape, tensor_util
from minitf.framework.op_def_lib import apply_op_1, invalid_argument, no_gradient, pure_with_attrs, register
from minitf.ops import array_ops, constant_op, eigen_sum
from minitf.ops.cwise_ops import (_promote_pair, abs, accumulate_n, add, add_n, atan2, cast, ceil, conj,
                                  convert_to_tensor, cos, div, div_no_nan, divide, equal, exp, expm1, floor, floordiv,
                                  floormod, greater, greater_equal, is_finite, is_inf, is_nan, less, less_equal, log,
                                  log1p, logical_and, logical_not, logical_or, logical_xor, maximum, minimum, mod,
                                  multiply, negative, not_equal, pow, range_, reciprocal, rint, round, rsqrt,
                                  saturate_cast, scalar_mul, sigmoid, sigmoid_op, sign, sin, sqrt, square,
                                  squared_difference, subtract, tan, tanh, tanh_op, TensorShape, to_double, to_float,
                                  to_int32, to_int64, truediv, truncatediv, truncatemod, xdivy)  # noqa: F401
from minitf.ops.linalg_ops import matmul  # noqa: F401


# -- reductions ---------------------------------------------------------------------------------------------------

def _reduction_axes(value, rank):
    axes = [int(a) for a in np.asarray(value).reshape(-1)]
    for a in axes:
        if not -rank <= a < max(rank, 1):
            raise ValueError(f"Invalid reduction dimension {a} for input with {rank} dimensions.")
    return tuple(sorted({a % rank for a in axes})) if rank else ()


def _reduction_infer(out_dtype=None):
    def infer(op):
        x, axes_t = op.inputs
        keep = op.get_attr("keep_dims")
        dtype = out_dtype or x.dtype.base_dtype
        axes_value = tensor_util.constant_value(axes_t)
        if x.shape.ndims is None:
            return [(dtype, tensor_shape.unknown_shape())]
        rank = x.shape.ndims
        if axes_value is None:
            return [(dtype, tensor_shape.unknown_shape(rank) if keep else tensor_shape.unknown_shape())]
        axes = _reduction_axes(axes_value, rank)
        dims = x.shape.as_tuple()
        if keep:
            return [(dtype, TensorShape([1 if i in axes else d for i, d in enumerate(dims)]))]
        return [(dtype, TensorShape([d for i, d in enumerate(dims) if i not in axes]))]
    return infer


def _sum(x, axis, keepdims):
    if eigen_sum.packet_lanes(x.dtype) is None:
        return np.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)
    total = eigen_sum.reduce_sum(x, axis)
    return total.reshape([1 if i in axis else d for i, d in enumerate(x.shape)]) if keepdims else total


def _mean(x, axis, keepdims):
    """TensorFlow's Mean: the sum divided by the count (integers truncate)."""
    count = math.prod([x.shape[a] for a in axis])
    total = _sum(x, axis, keepdims)
    if x.dtype.kind in "iu":
        return (np.trunc(total / max(count, 1))).astype(x.dtype)
    return total / x.dtype.type(count)


def _empty_guard(fn, name):
    """Max/Min: an empty reduction gives the identity, as in TensorFlow (-inf or the lowest integer for Max)."""
    def reduce(x, axis, keepdims):
        if x.size == 0:
            if x.dtype.kind == "f":
                identity = -np.inf if name == "Max" else np.inf
            else:
                identity = np.iinfo(x.dtype).min if name == "Max" else np.iinfo(x.dtype).max
            return fn(x, axis=axis, keepdims=keepdims, initial=identity)
        return fn(x, axis=axis, keepdims=keepdims)
    return reduce


_REDUCERS = {
    "Sum": _sum,
    "Prod": lambda x, axis, keepdims: np.prod(x, axis=axis, keepdims=keepdims, dtype=x.dtype),
    "Mean": _mean,
    "Max": _empty_guard(np.max, "Max"),
    "Min": _empty_guard(np.min, "Min"),
    "Any": lambda x, axis, keepdims: np.any(x, axis=axis, keepdims=keepdims),
    "All": lambda x, axis, keepdims: np.all(x, axis=axis, keepdims=keepdims),
}


def _reduction_kernel(reduce):
    def make(op):
        keep = op.get_attr("keep_dims")
        static_axes = tensor_util.constant_value(op.inputs[1])
        rank = op.inputs[0].shape.ndims
        if static_axes is not None and rank is not None:
            static_axis = _reduction_axes(static_axes, rank)

            def static_kernel(x, axes):
                return np.asarray(reduce(x, static_axis, keep), dtype=x.dtype)
            return static_kernel

        def kernel(x, axes):
            try:
                axis = _reduction_axes(axes, x.ndim)
            except ValueError as e:
                raise invalid_argument(str(e)) from None
            return np.asarray(reduce(x, axis, keep), dtype=x.dtype)
        return kernel
    return pure_with_attrs(make)


for _op_type, _reduce in _REDUCERS.items():
    register(_op_type, _reduction_infer(dtypes.bool if _op_type in ("Any", "All") else None),
             _reduction_kernel(_reduce), input_names=("input", "reduction_indices"),
             attr_defaults={"keep_dims": False})
no_gradient("Any")
no_gradient("All")


def _reduction_dims(x, axis):
    if axis is not None:
        return axis
    rank = x.shape.ndims
    if rank:  # as TensorFlow's _ReductionDims: a scalar (rank 0) takes the range(0, Rank) path too
        return constant_op.constant(np.arange(rank, dtype=np.int32))
    return range_(0, array_ops.rank(x), 1)


def _reduce(op_type, input_tensor, axis, keepdims, name, reduction_indices=None, keep_dims=None,
            dtype_required=None):
    if reduction_indices is not None:
        if axis is not None:
            raise ValueError("Can not specify both 'axis' and 'reduction_indices'.")
        axis = reduction_indices
    if keep_dims is not None:
        keepdims = keep_dims
    keepdims = builtins.bool(keepdims)
    x = convert_to_tensor(input_tensor, dtype=dtype_required, name="input_tensor")
    axis_t = _reduction_dims(x, axis)
    if isinstance(axis_t, (list, tuple)) and not axis_t:
        axis_t = np.zeros([0], dtype=np.int32)
    attrs = {"keep_dims": keepdims, "T": x.dtype.base_dtype, "Tidx": _index_dtype(axis_t)}
    output = apply_op_1(op_type, [x, axis_t], attrs, name)
    if axis is None and not keepdims and not output.shape.is_fully_defined():
        output.set_shape([])  # a reduction over every axis is a scalar, whatever the rank (TF's _may_reduce_to_scalar)
    return output


def _index_dtype(value):
    return value.dtype.base_dtype if isinstance(value, ops.Tensor) else dtypes.int32


def reduce_sum(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
    """The sum over ``axis`` (an int or list; None: every axis), keeping them as size 1 with ``keepdims``."""
    return _reduce("Sum", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_mean(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
    """The mean over ``axis`` (an int or list; None: every axis), keeping them as size 1 with ``keepdims``. An
    integer tensor's mean is an integer (the sum divided with truncation), as in TensorFlow."""
    return _reduce("Mean", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_prod(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
    return _reduce("Prod", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_max(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
    return _reduce("Max", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_min(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
    return _reduce("Min", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_any(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
    return _reduce("Any", input_tensor, axis, keepdims, name, reduction_indices, keep_dims, dtypes.bool)


def reduce_all(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
    return _reduce("All", input_tensor, axis, keepdims, name, reduction_indices, keep_dims, dtypes.bool)


def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None, reduction_indices=None, keep_dims=None):
    if keep_dims is not None:
        keepdims = keep_dims
    with ops.name_scope(name, "ReduceLogSumExp", [input_tensor]) as scope:
        x = convert_to_tensor(input_tensor)
        axis = reduction_indices if axis is None else axis
        raw_max = reduce_max(x, axis, keepdims=True)
        my_max = array_ops.stop_gradient(
            array_ops.where(is_finite(raw_max), raw_max, array_ops.zeros_like(raw_max)))
        result = log(reduce_sum(exp(subtract(x, my_max)), axis, keepdims=keepdims))
        if not keepdims:
            my_max = array_ops.reshape(my_max, array_ops.shape(result))
        return add(result, my_max, name=scope)


def count_nonzero(input_tensor, axis=None, keepdims=False, dtype=dtypes.int64, name=None):
    """``tf.count_nonzero``: as TensorFlow's (count_nonzero_v2), the input converted as ``input`` and compared with
    a scalar ``zeros``."""
    with ops.name_scope(name, "count_nonzero", [input_tensor]):
        x = convert_to_tensor(input_tensor, name="input")
        zero = array_ops.zeros([], dtype=x.dtype)
        return cast(reduce_sum(cast(not_equal(x, zero), dtypes.int64), axis=axis, keepdims=keepdims), dtype=dtype)


# -- arg max, arg min ---------------------------------------------------------------------------------------------

def _arg_reduce_infer(op):
    x, axis_t = op.inputs
    out = op.get_attr("output_type")
    axis = tensor_util.constant_value(axis_t)
    if x.shape.ndims is None or axis is None:
        return [(out, tensor_shape.unknown_shape())]
    a = int(axis)
    rank = x.shape.ndims
    if not -rank <= a < rank:
        raise ValueError(f"Expected dimension in the range [{-rank}, {rank}), but got {a}")
    dims = list(x.shape.as_tuple())
    del dims[a % rank]
    return [(out, TensorShape(dims))]


def _arg_kernel(fn):
    def make(op):
        np_out = op.get_attr("output_type").as_numpy_dtype

        def kernel(x, axis):
            a = int(axis)
            if x.shape[a] == 0:
                raise invalid_argument("Reduction axis has size 0")
            if x.dtype.kind == "f" and np.isnan(x).any():  # TensorFlow's comparisons skip NaN
                x = np.where(np.isnan(x), -np.inf if fn is np.argmax else np.inf, x)
            return fn(x, axis=a).astype(np_out)
        return kernel
    return pure_with_attrs(make)


register("ArgMax", _arg_reduce_infer, _arg_kernel(np.argmax), input_names=("input", "dimension"))
register("ArgMin", _arg_reduce_infer, _arg_kernel(np.argmin), input_names=("input", "dimension"))
no_gradient("ArgMax")
no_gradient("ArgMin")


def argmax(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):  # noqa: A002
    axis = dimension if axis is None else axis
    axis = 0 if axis is None else axis
    x = convert_to_tensor(input, name="input")
    return apply_op_1("ArgMax", [x, axis], {"T": x.dtype.base_dtype, "Tidx": dtypes.int32,
                                             "output_type": dtypes.as_dtype(output_type)}, name)


def argmin(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):  # noqa: A002
    axis = dimension if axis is None else axis
    axis = 0 if axis is None else axis
    x = convert_to_tensor(input, name="input")
    return apply_op_1("ArgMin", [x, axis], {"T": x.dtype.base_dtype, "Tidx": dtypes.int32,
                                             "output_type": dtypes.as_dtype(output_type)}, name)


# -- the reduced shape (for gradients) ----------------------------------------------------------------------------

def reduced_shape(input_shape, axes):
    """The shape of a reduction's result with ``keepdims=True``: a list for a static shape; an int32 array when the
    shape tensor and the axes have constant values (TensorFlow folds them so, and the gradients that reshape by it
    then make a Const, not a DynamicStitch); else a tensor."""
    if not isinstance(input_shape, ops.Tensor):
        input_shape = list(input_shape)
        for a in np.asarray(axes).reshape(-1):
            input_shape[int(a)] = 1
        return input_shape
    constant_shape = tensor_util.constant_value(input_shape)
    if constant_shape is not None:
        constant_axes = tensor_util.constant_value(axes)
        if constant_axes is not None:
            constant_shape = np.array(constant_shape, dtype=np.int32)
            constant_shape[np.array(constant_axes, dtype=np.int32)] = 1
            return constant_shape
    axes = convert_to_tensor(axes)
    input_rank = array_ops.size(input_shape, out_type=axes.dtype)
    axes = (axes + input_rank) % input_rank
    axes_shape = array_ops.shape(axes)
    return array_ops.dynamic_stitch([range_(input_rank), axes],
                                    [input_shape, array_ops.ones(axes_shape, dtype=input_shape.dtype)])
