"""Element-wise arithmetic, comparisons, reductions and matrix multiplication, with their gradients."""

import builtins

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape, tensor_util
from minitf.framework.op_def_lib import (RegisterGradient, apply_op, apply_op_1, binary_infer, broadcast_shapes,
                                         check_same_dtype, invalid_argument, no_gradient, pure, pure_with_attrs,
                                         register, same_as_input)
from minitf.ops import constant_op, eigen_sum

TensorShape = tensor_shape.TensorShape
convert_to_tensor = ops.convert_to_tensor


# -- unary element-wise ops -------------------------------------------------------------------------------------

def _float_error_guard(fn):
    def guarded(x):
        with np.errstate(all="ignore"):
            return fn(x)
    return guarded


def _unary(op_type, fn, guard=False):
    register(op_type, same_as_input(), pure(_float_error_guard(fn) if guard else fn), input_names=("x",))


def _sigmoid(x):
    with np.errstate(over="ignore"):
        return (1 / (1 + np.exp(-x))).astype(x.dtype, copy=False)


def _rsqrt(x):
    with np.errstate(all="ignore"):
        return (1 / np.sqrt(x)).astype(x.dtype, copy=False)


def _reciprocal(x):
    with np.errstate(divide="ignore"):
        return (1 / x).astype(x.dtype, copy=False)


for _op_type, _fn, _guard in [
        ("Neg", np.negative, False), ("Abs", np.abs, False), ("Sign", np.sign, False),
        ("Square", np.square, False), ("Sqrt", np.sqrt, True), ("Rsqrt", _rsqrt, False), ("Exp", np.exp, True),
        ("Expm1", np.expm1, True), ("Log", np.log, True), ("Log1p", np.log1p, True), ("Sigmoid", _sigmoid, False),
        ("Tanh", np.tanh, False), ("Reciprocal", _reciprocal, False), ("Floor", np.floor, False),
        ("Ceil", np.ceil, False), ("Round", np.rint, False), ("Rint", np.rint, False), ("Sin", np.sin, False),
        ("Cos", np.cos, False), ("Tan", np.tan, False), ("LogicalNot", np.logical_not, False),
        ("Conj", np.conj, False), ("Real", np.real, False)]:
    _unary(_op_type, _fn, _guard)


def _bool_of_input(op):
    return [(dtypes.bool, op.inputs[0].shape)]


register("IsNan", _bool_of_input, pure(np.isnan), input_names=("x",))
register("IsInf", _bool_of_input, pure(np.isinf), input_names=("x",))
register("IsFinite", _bool_of_input, pure(np.isfinite), input_names=("x",))
for _op_type in ("Floor", "Ceil", "Round", "Rint", "IsNan", "IsInf", "IsFinite", "LogicalNot"):
    no_gradient(_op_type)


def _dy_y(fn):
    def kernel(y, dy):
        return fn(y, dy).astype(y.dtype, copy=False)
    return pure(kernel)


register("SigmoidGrad", same_as_input(), _dy_y(lambda y, dy: dy * (y * (1 - y))), input_names=("y", "dy"))
register("TanhGrad", same_as_input(), _dy_y(lambda y, dy: dy * (1 - y * y)), input_names=("y", "dy"))
register("SqrtGrad", same_as_input(), _dy_y(lambda y, dy: dy * np.asarray(0.5, y.dtype) / y), input_names=("y", "dy"))
register("RsqrtGrad", same_as_input(), _dy_y(lambda y, dy: dy * (np.asarray(-0.5, y.dtype) * (y * y * y))),
         input_names=("y", "dy"))
register("ReciprocalGrad", same_as_input(), _dy_y(lambda y, dy: -dy * (y * y)), input_names=("y", "dy"))


# -- binary element-wise ops ------------------------------------------------------------------------------------

def _int_div_guard(fn):
    def kernel(x, y):
        if x.dtype.kind in "iu" and not np.all(y):
            raise invalid_argument("Integer division by zero")
        with np.errstate(all="ignore"):
            return fn(x, y)
    return kernel


def _truncate_div(x, y):
    return np.trunc(x / y).astype(x.dtype) if x.dtype.kind == "f" else (np.abs(x) // np.abs(y)) * np.sign(x * y)


def _pow(x, y):
    if x.dtype.kind in "iu" and np.any(y < 0):
        raise invalid_argument("Integers to negative integer powers are not allowed")
    with np.errstate(all="ignore"):
        return np.power(x, y)


def _guarded(fn):
    def kernel(x, y):
        with np.errstate(all="ignore"):
            return fn(x, y)
    return kernel


def _xdivy(x, y):
    with np.errstate(all="ignore"):
        return np.where(x == 0, np.zeros_like(x), x / y)


_BINARY = [
    ("AddV2", np.add), ("Add", np.add), ("Sub", np.subtract), ("Mul", np.multiply),
    ("RealDiv", _guarded(np.true_divide)),
    ("Div", _int_div_guard(lambda x, y: np.true_divide(x, y) if x.dtype.kind in "fc" else _truncate_div(x, y))),
    ("FloorDiv", _int_div_guard(np.floor_divide)), ("FloorMod", _int_div_guard(np.mod)),
    ("TruncateDiv", _int_div_guard(_truncate_div)), ("TruncateMod", _int_div_guard(np.fmod)),
    ("Pow", _pow), ("Maximum", np.maximum), ("Minimum", np.minimum),
    ("SquaredDifference", lambda x, y: np.square(x - y)), ("Atan2", np.arctan2), ("Xdivy", _xdivy),
    ("DivNoNan", lambda x, y: np.divide(x, np.where(y == 0, 1, y)) * (y != 0)),
]
for _op_type, _fn in _BINARY:
    register(_op_type, binary_infer(), pure(_fn), input_names=("x", "y"))

_COMPARISONS = [("Equal", np.equal), ("NotEqual", np.not_equal), ("Less", np.less), ("LessEqual", np.less_equal),
                ("Greater", np.greater), ("GreaterEqual", np.greater_equal)]
for _op_type, _fn in _COMPARISONS:
    register(_op_type, binary_infer(dtypes.bool), pure(_fn), input_names=("x", "y"))
    no_gradient(_op_type)

for _op_type, _fn in [("LogicalAnd", np.logical_and), ("LogicalOr", np.logical_or)]:
    register(_op_type, binary_infer(dtypes.bool), pure(_fn), input_names=("x", "y"))
    no_gradient(_op_type)
for _op_type in ("FloorDiv", "TruncateDiv", "TruncateMod", "Div"):
    no_gradient(_op_type)


def _add_n_infer(op):
    dtype = check_same_dtype(op)
    shape = op.inputs[0].shape
    for t in op.inputs[1:]:
        shape = shape.merge_with(t.shape)
    return [(dtype, shape)]


def _add_n(*xs):
    total = xs[0]
    for x in xs[1:]:
        total = total + x
    return total


register("AddN", _add_n_infer, pure(_add_n), input_names=("inputs",))


# -- type conversion ----------------------------------------------------------------------------------------------

def _cast_kernel(op):
    np_dtype = op.get_attr("DstT").as_numpy_dtype
    if op.get_attr("DstT") == dtypes.bool:
        return lambda x: x != 0
    return lambda x: x.astype(np_dtype)


register("Cast", lambda op: [(op.get_attr("DstT"), op.inputs[0].shape)], pure_with_attrs(_cast_kernel),
         input_names=("x",))


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
    count = int(np.prod([x.shape[a] for a in axis])) if axis else 1
    total = _sum(x, axis, keepdims)
    if x.dtype.kind in "iu":
        return (np.trunc(total / max(count, 1))).astype(x.dtype)
    return total / x.dtype.type(count)


def _empty_guard(fn, name):
    def reduce(x, axis, keepdims):
        if x.size == 0 and axis:
            raise invalid_argument(f"{name} of an empty tensor is not defined")
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
            return fn(x, axis=a).astype(np_out)
        return kernel
    return pure_with_attrs(make)


register("ArgMax", _arg_reduce_infer, _arg_kernel(np.argmax), input_names=("input", "dimension"))
register("ArgMin", _arg_reduce_infer, _arg_kernel(np.argmin), input_names=("input", "dimension"))
no_gradient("ArgMax")
no_gradient("ArgMin")


# -- matrix multiplication ----------------------------------------------------------------------------------------

def _matmul_infer(op):
    a, b = op.inputs
    dtype = check_same_dtype(op)
    ta, tb = op.get_attr("transpose_a"), op.get_attr("transpose_b")
    sa, sb = a.shape.with_rank(2) if a.shape.ndims is not None else a.shape, b.shape
    if sa.ndims is None or sb.ndims is None:
        return [(dtype, tensor_shape.unknown_shape(2))]
    if sb.ndims != 2:
        raise ValueError(f"Shape must be rank 2 but is rank {sb.ndims}")
    m, k1 = sa.as_tuple()[::-1] if ta else sa.as_tuple()
    k2, n = sb.as_tuple()[::-1] if tb else sb.as_tuple()
    if k1 is not None and k2 is not None and k1 != k2:
        raise ValueError(f"Dimensions must be equal, but are {k1} and {k2}")
    return [(dtype, TensorShape([m, n]))]


def _matmul_kernel(op):
    ta, tb = op.get_attr("transpose_a"), op.get_attr("transpose_b")

    def kernel(a, b):
        return np.matmul(a.T if ta else a, b.T if tb else b)
    return kernel


register("MatMul", _matmul_infer, pure_with_attrs(_matmul_kernel), input_names=("a", "b"),
         attr_defaults={"transpose_a": False, "transpose_b": False})


def _batch_matmul_infer(op):
    a, b = op.inputs
    dtype = check_same_dtype(op)
    if a.shape.ndims is None or b.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())]
    if a.shape.ndims < 2 or b.shape.ndims < 2:
        raise ValueError("In[0] and In[1] must have rank >= 2")
    adj_x, adj_y = op.get_attr("adj_x"), op.get_attr("adj_y")
    da, db = a.shape.as_tuple(), b.shape.as_tuple()
    m, k1 = (da[-1], da[-2]) if adj_x else (da[-2], da[-1])
    k2, n = (db[-1], db[-2]) if adj_y else (db[-2], db[-1])
    if k1 is not None and k2 is not None and k1 != k2:
        raise ValueError(f"Dimensions must be equal, but are {k1} and {k2}")
    batch = broadcast_shapes(TensorShape(da[:-2]), TensorShape(db[:-2]))
    return [(dtype, batch.concatenate([m, n]))]


def _batch_matmul_kernel(op):
    adj_x, adj_y = op.get_attr("adj_x"), op.get_attr("adj_y")

    def kernel(a, b):
        return np.matmul(np.swapaxes(a, -1, -2) if adj_x else a, np.swapaxes(b, -1, -2) if adj_y else b)
    return kernel


register("BatchMatMulV2", _batch_matmul_infer, pure_with_attrs(_batch_matmul_kernel), input_names=("x", "y"),
         attr_defaults={"adj_x": False, "adj_y": False})


# -- Python wrappers ----------------------------------------------------------------------------------------------

def _binary(op_type, x, y, name):
    return apply_op_1(op_type, [x, y], {"T": x.dtype.base_dtype}, name)


def _promote_pair(x, y, name_y="y"):
    """Converts the non-Tensor operand to the Tensor operand's dtype, as TensorFlow's op wrappers do."""
    if not isinstance(x, ops.Tensor):
        if isinstance(y, ops.Tensor) or ops.is_tensor_like(y):
            y = convert_to_tensor(y, name=name_y)
            x = convert_to_tensor(x, dtype=y.dtype.base_dtype, name="x")
            return x, y
        x = convert_to_tensor(x, name="x")
    if isinstance(y, ops.Tensor) or ops.is_tensor_like(y):
        return x, convert_to_tensor(y, name=name_y)
    return x, convert_to_tensor(y, dtype=x.dtype.base_dtype, name=name_y)


def _binary_wrapper(op_type, default_name):
    def wrapper(x, y, name=None):
        with ops.name_scope(name, default_name, [x, y]) as scope:
            x, y = _promote_pair(x, y)
            return _binary(op_type, x, y, scope)
    wrapper.__name__ = default_name
    return wrapper


def _gen_binary(op_type):
    """A wrapper named after the op type (``tf.multiply`` -> ``Mul``), like TensorFlow's generated wrappers."""
    def wrapper(x, y, name=None):
        with ops.name_scope(name, op_type, [x, y]) as scope:
            x, y = _promote_pair(x, y)
            return _binary(op_type, x, y, scope)
    wrapper.__name__ = op_type
    return wrapper


multiply = _gen_binary("Mul")
subtract = _gen_binary("Sub")
maximum = _gen_binary("Maximum")
minimum = _gen_binary("Minimum")
squared_difference = _gen_binary("SquaredDifference")
floormod = _gen_binary("FloorMod")
mod = floormod
truncatediv = _gen_binary("TruncateDiv")
truncatemod = _gen_binary("TruncateMod")
atan2 = _gen_binary("Atan2")
xdivy = _gen_binary("Xdivy")
div_no_nan = _gen_binary("DivNoNan")
equal = _gen_binary("Equal")
not_equal = _gen_binary("NotEqual")
less = _gen_binary("Less")
less_equal = _gen_binary("LessEqual")
greater = _gen_binary("Greater")
greater_equal = _gen_binary("GreaterEqual")
logical_and = _gen_binary("LogicalAnd")
logical_or = _gen_binary("LogicalOr")


def add(x, y, name=None):
    with ops.name_scope(name, "Add", [x]) as scope:
        x, y = _promote_pair(x, y)
        return _binary("Add" if x.dtype == dtypes.string else "AddV2", x, y, scope)


def pow(x, y, name=None):  # noqa: A001 -- TensorFlow's public name
    with ops.name_scope(name, "Pow", [x]) as scope:
        x, y = _promote_pair(x, y)
        return _binary("Pow", x, y, scope)


def _truediv_op(x, y, name):
    x, y = _promote_pair(x, y)
    dtype = x.dtype.base_dtype
    if dtype.is_integer:
        target = dtypes.float32 if dtype in (dtypes.int8, dtypes.uint8, dtypes.int16, dtypes.uint16) \
            else dtypes.float64
        x = cast(x, target)
        y = cast(y, target)
    return _binary("RealDiv", x, y, name)


def truediv(x, y, name=None):
    with ops.name_scope(name, "truediv", [x, y]) as scope:
        return _truediv_op(x, y, scope)


def divide(x, y, name=None):
    if name is not None:
        with ops.name_scope(name, "truediv", [x, y]) as scope:
            return _truediv_op(x, y, scope)
    return truediv(x, y)


def floordiv(x, y, name=None):
    with ops.name_scope(name, "floordiv", [x, y]) as scope:
        x, y = _promote_pair(x, y)
        return _binary("FloorDiv", x, y, scope)


def div(x, y, name=None):
    with ops.name_scope(name, "div", [x, y]) as scope:
        x, y = _promote_pair(x, y)
        if x.dtype.is_floating or x.dtype.is_complex:
            return _binary("RealDiv", x, y, scope)
        return _binary("FloorDiv", x, y, scope)


def _unary_wrapper(op_type):
    def wrapper(x, name=None):
        x = convert_to_tensor(x, name="x")
        return apply_op_1(op_type, [x], {"T": x.dtype.base_dtype}, name)
    wrapper.__name__ = op_type.lower()
    return wrapper


negative = _unary_wrapper("Neg")
sign = _unary_wrapper("Sign")
square = _unary_wrapper("Square")
sqrt = _unary_wrapper("Sqrt")
rsqrt = _unary_wrapper("Rsqrt")
exp = _unary_wrapper("Exp")
expm1 = _unary_wrapper("Expm1")
log = _unary_wrapper("Log")
log1p = _unary_wrapper("Log1p")
sigmoid_op = _unary_wrapper("Sigmoid")
tanh_op = _unary_wrapper("Tanh")
reciprocal = _unary_wrapper("Reciprocal")
floor = _unary_wrapper("Floor")
ceil = _unary_wrapper("Ceil")
round = _unary_wrapper("Round")  # noqa: A001
rint = _unary_wrapper("Rint")
sin = _unary_wrapper("Sin")
cos = _unary_wrapper("Cos")
tan = _unary_wrapper("Tan")
is_nan = _unary_wrapper("IsNan")
is_inf = _unary_wrapper("IsInf")
is_finite = _unary_wrapper("IsFinite")


def logical_not(x, name=None):
    return apply_op_1("LogicalNot", [convert_to_tensor(x, dtype=dtypes.bool, name="x")], None, name)


def logical_xor(x, y, name="LogicalXor"):
    with ops.name_scope(name, "LogicalXor", [x, y]) as scope:
        return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=scope)


def abs(x, name=None):  # noqa: A001
    with ops.name_scope(name, "Abs", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        return apply_op_1("Abs", [x], {"T": x.dtype.base_dtype}, scope)


def sigmoid(x, name=None):
    with ops.name_scope(name, "Sigmoid", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        return apply_op_1("Sigmoid", [x], {"T": x.dtype.base_dtype}, scope)


def tanh(x, name=None):
    with ops.name_scope(name, "Tanh", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        return apply_op_1("Tanh", [x], {"T": x.dtype.base_dtype}, scope)


def conj(x, name=None):
    x = convert_to_tensor(x, name="x")
    if x.dtype.is_complex:
        return apply_op_1("Conj", [x], {"T": x.dtype}, name)
    return x


def cast(x, dtype, name=None):
    """``tf.cast``: returns ``x`` itself when it already has ``dtype``."""
    dtype = dtypes.as_dtype(dtype).base_dtype
    if isinstance(x, ops.Tensor) and x.dtype.base_dtype == dtype:
        return x
    with ops.name_scope(name, "Cast", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        if x.dtype.base_dtype == dtype:
            return x
        return apply_op_1("Cast", [x], {"SrcT": x.dtype.base_dtype, "DstT": dtype, "Truncate": False}, scope)


def to_float(x, name="ToFloat"):
    return cast(x, dtypes.float32, name=name)


def to_double(x, name="ToDouble"):
    return cast(x, dtypes.float64, name=name)


def to_int32(x, name="ToInt32"):
    return cast(x, dtypes.int32, name=name)


def to_int64(x, name="ToInt64"):
    return cast(x, dtypes.int64, name=name)


def saturate_cast(value, dtype, name=None):
    with ops.name_scope(name, "saturate_cast", [value]) as scope:
        value = convert_to_tensor(value, name="value")
        dtype = dtypes.as_dtype(dtype)
        if value.dtype.min < dtype.min:
            value = maximum(value, cast(dtype.min, value.dtype))
        if value.dtype.max > dtype.max:
            value = minimum(value, cast(dtype.max, value.dtype))
        return cast(value, dtype, name=scope)


def add_n(inputs, name=None):
    """``tf.add_n``: the sum of a list of tensors of one shape and dtype."""
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError("inputs must be a list of at least one Tensor/IndexedSlices with the same dtype and shape")
    from minitf.framework.indexed_slices import IndexedSlices
    if len(inputs) > 1 and any(isinstance(t, IndexedSlices) for t in inputs):
        with ops.name_scope(name, "AddN") as scope:  # made dense inside, as TensorFlow's op wrapper does
            inputs = [convert_to_tensor(t, name=f"inputs_{i}") for i, t in enumerate(inputs)]
            return apply_op_1("AddN", inputs, {"N": len(inputs), "T": inputs[0].dtype.base_dtype}, scope)
    inputs = [convert_to_tensor(t) for t in inputs]
    if len(inputs) == 1:
        from minitf.ops import array_ops
        return array_ops.identity(inputs[0], name=name or "Identity")
    return apply_op_1("AddN", inputs, {"N": len(inputs), "T": inputs[0].dtype.base_dtype}, name)


def accumulate_n(inputs, shape=None, tensor_dtype=None, name=None):
    return add_n(inputs, name=name)


def _reduction_dims(x, axis):
    if axis is not None:
        return axis
    rank = x.shape.ndims
    if rank is not None:
        return constant_op.constant(np.arange(rank, dtype=np.int32))
    from minitf.ops import array_ops
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
    return apply_op_1(op_type, [x, axis_t], attrs, name)


def _index_dtype(value):
    return value.dtype.base_dtype if isinstance(value, ops.Tensor) else dtypes.int32


def reduce_sum(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
    return _reduce("Sum", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_mean(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
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
        from minitf.ops import array_ops
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
    with ops.name_scope(name, "count_nonzero", [input_tensor]):
        x = convert_to_tensor(input_tensor, name="input_tensor")
        zero = array_ops_zeros_scalar(x.dtype)
        return cast(reduce_sum(cast(not_equal(x, zero), dtypes.int64), axis=axis, keepdims=keepdims), dtype=dtype)


def array_ops_zeros_scalar(dtype):
    return constant_op.constant(np.zeros([], dtype.as_numpy_dtype), dtype=dtype)


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


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False, a_is_sparse=False,
           b_is_sparse=False, output_type=None, name=None):
    """``tf.matmul``: MatMul for rank-2 operands, BatchMatMulV2 for higher ranks."""
    with ops.name_scope(name, "MatMul", [a, b]) as scope:
        a = convert_to_tensor(a, name="a")
        b = convert_to_tensor(b, dtype=a.dtype.base_dtype, name="b")
        transpose_a = transpose_a or adjoint_a
        transpose_b = transpose_b or adjoint_b
        if a.shape.ndims == 2 and b.shape.ndims == 2:
            return apply_op_1("MatMul", [a, b], {"transpose_a": transpose_a, "transpose_b": transpose_b,
                                                  "T": a.dtype.base_dtype}, scope)
        return apply_op_1("BatchMatMulV2", [a, b], {"adj_x": transpose_a, "adj_y": transpose_b,
                                                     "T": a.dtype.base_dtype}, scope)


def scalar_mul(scalar, x, name=None):
    with ops.name_scope(name, "scalar_mul", [x]) as scope:
        return multiply(scalar, x, name=scope)


def range_(start, limit=None, delta=1, dtype=None, name="range"):
    from minitf.ops import array_ops
    return array_ops.range(start, limit, delta, dtype, name)


def reduced_shape(input_shape, axes):
    """The shape of a reduction's result with ``keepdims=True``: a list for a static shape, else a tensor."""
    if not isinstance(input_shape, ops.Tensor):
        input_shape = list(input_shape)
        for a in np.asarray(axes).reshape(-1):
            input_shape[int(a)] = 1
        return input_shape
    from minitf.ops import array_ops
    input_shape = cast(input_shape, dtypes.int32)
    axes = cast(axes, dtypes.int32)
    input_rank = array_ops.size(input_shape)
    axes = (axes + input_rank) % input_rank
    axes_shape = array_ops.shape(axes)
    return array_ops.dynamic_stitch([range_(input_rank), axes], [input_shape, array_ops.fill(axes_shape, 1)])


# -- Python operators on Tensor -----------------------------------------------------------------------------------

def _operator(fn, reflected=False):
    if reflected:
        def method(self, other):
            return fn(other, self)
    else:
        def method(self, other):
            return fn(self, other)
    return method


def _reflected_binary(op_type, default_name):
    def wrapper(y, x, name=None):
        with ops.name_scope(name, default_name, [x, y]) as scope:
            x = convert_to_tensor(x, dtype=y.dtype.base_dtype, name="x")
            if op_type == "RealDiv":
                return _truediv_op(x, y, scope)
            return _binary(op_type, x, y, scope)
    return wrapper


def _matmul_operator(x, y):
    with ops.name_scope(None, "matmul", [x, y]) as scope:
        return matmul(x, y, name=scope)


def _add_operators():
    plain = {"__add__": ("AddV2", "add"), "__sub__": ("Sub", "sub"), "__mul__": ("Mul", "mul"),
             "__floordiv__": ("FloorDiv", "floordiv"), "__mod__": ("FloorMod", "mod"), "__pow__": ("Pow", "pow"),
             "__and__": ("LogicalAnd", "and"), "__or__": ("LogicalOr", "or")}
    for method, (op_type, default_name) in plain.items():
        setattr(ops.Tensor, method, _operator(_binary_wrapper(op_type, default_name)))
        setattr(ops.Tensor, method.replace("__", "__r", 1), _reflected_binary(op_type, default_name))
    setattr(ops.Tensor, "__truediv__", _operator(truediv))
    setattr(ops.Tensor, "__rtruediv__", _reflected_binary("RealDiv", "truediv"))
    setattr(ops.Tensor, "__div__", _operator(div))
    setattr(ops.Tensor, "__matmul__", _operator(_matmul_operator))
    setattr(ops.Tensor, "__rmatmul__", _operator(_matmul_operator, reflected=True))
    setattr(ops.Tensor, "__lt__", _operator(less))
    setattr(ops.Tensor, "__le__", _operator(less_equal))
    setattr(ops.Tensor, "__gt__", _operator(greater))
    setattr(ops.Tensor, "__ge__", _operator(greater_equal))
    setattr(ops.Tensor, "__neg__", lambda self: negative(self))
    setattr(ops.Tensor, "__abs__", lambda self: abs(self))
    setattr(ops.Tensor, "__invert__", lambda self: logical_not(self))
    setattr(ops.Tensor, "__xor__", _operator(logical_xor))


_add_operators()


# -- gradients ----------------------------------------------------------------------------------------------------

def _shapes_fully_defined_and_equal(x, y, grad):
    sx, sy, sg = x._shape_tuple(), y._shape_tuple(), grad._shape_tuple()
    return (sx == sy and sx == sg and sx is not None and None not in sx)


def _infer_reduction_axes(x_shape, y_shape):
    if x_shape.ndims is None or y_shape.ndims is None:
        return None, None
    xs, ys = x_shape.as_list(), y_shape.as_list()
    rank = builtins.max(len(xs), len(ys))
    x_axes, y_axes = [], []
    for axis in range(rank):
        xd = 1 if axis < rank - len(xs) else xs[axis - (rank - len(xs))]
        yd = 1 if axis < rank - len(ys) else ys[axis - (rank - len(ys))]
        if xd == 1 and yd != 1:
            x_axes.append(axis)
        elif yd == 1 and xd != 1:
            y_axes.append(axis)
        elif xd is None or yd is None:
            return None, None
    return x_axes, y_axes


def _smart_broadcast_gradient_args(x, y):
    from minitf.ops import array_ops
    sx, sy = array_ops.shape(x), array_ops.shape(y)
    x_axes, y_axes = _infer_reduction_axes(x.shape, y.shape)
    if x_axes is None or y_axes is None:
        rx, ry = apply_op("BroadcastGradientArgs", [sx, sy], {"T": dtypes.int32}).outputs
        return (sx, rx, True), (sy, ry, True)
    x_must = builtins.bool(x_axes) or x.shape.ndims < y.shape.ndims
    y_must = builtins.bool(y_axes) or y.shape.ndims < x.shape.ndims
    return (sx, x_axes, x_must), (sy, y_axes, y_must)


def _reduce_gradient_arg(grad, shape_axes_must):
    from minitf.ops import array_ops
    shape, axes, must = shape_axes_must
    if grad is not None and must:
        grad = reduce_sum(grad, axes, keepdims=True)
        grad = array_ops.reshape(grad, shape)
    return grad


def _reduce_gradient_args(x, y, gx, gy):
    if gx is not None or gy is not None:
        bx, by = _smart_broadcast_gradient_args(x, y)
        gx = _reduce_gradient_arg(gx, bx)
        gy = _reduce_gradient_arg(gy, by)
    return gx, gy


def _gen(op_type, x, y):
    return apply_op_1(op_type, [x, y], {"T": x.dtype.base_dtype})


@RegisterGradient("AddV2")
@RegisterGradient("Add")
def _add_grad(op, grad):
    x, y = op.inputs
    if _shapes_fully_defined_and_equal(x, y, grad):
        return grad, grad
    from minitf.ops import array_ops
    (sx, rx, must_x), (sy, ry, must_y) = _smart_broadcast_gradient_args(x, y)
    gx = array_ops.reshape(reduce_sum(grad, rx), sx) if must_x else grad
    gy = array_ops.reshape(reduce_sum(grad, ry), sy) if must_y else grad
    return gx, gy


@RegisterGradient("Sub")
def _sub_grad(op, grad):
    x, y = op.inputs
    if _shapes_fully_defined_and_equal(x, y, grad):
        return grad, -grad
    from minitf.ops import array_ops
    (sx, rx, must_x), (sy, ry, must_y) = _smart_broadcast_gradient_args(x, y)
    gx = array_ops.reshape(reduce_sum(grad, rx), sx) if must_x else grad
    gy = array_ops.reshape(reduce_sum(-grad, ry), sy) if must_y else -grad
    return gx, gy


@RegisterGradient("Mul")
def _mul_grad(op, grad):
    x, y = op.inputs
    if _shapes_fully_defined_and_equal(x, y, grad) and grad.dtype in (dtypes.int32, dtypes.float32):
        return _gen("Mul", grad, y), _gen("Mul", grad, x)
    gx = _gen("Mul", grad, conj(y))
    gy = _gen("Mul", conj(x), grad)
    return _reduce_gradient_args(x, y, gx, gy)


@RegisterGradient("RealDiv")
def _real_div_grad(op, grad):
    x, y = op.inputs
    gx = _gen("RealDiv", grad, y)
    gy = grad * _gen("RealDiv", _gen("RealDiv", -x, y), y)
    return _reduce_gradient_args(x, y, gx, gy)


@RegisterGradient("DivNoNan")
def _div_no_nan_grad(op, grad):
    x, y = op.inputs
    gx = _gen("DivNoNan", grad, y)
    gy = grad * _gen("DivNoNan", _gen("DivNoNan", -x, y), y)
    return _reduce_gradient_args(x, y, gx, gy)


@RegisterGradient("Pow")
def _pow_grad(op, grad):
    from minitf.ops import array_ops
    x, y = op.inputs
    z = op.outputs[0]
    gx = grad * y * pow(x, y - 1)
    mask = x > 0 if not x.dtype.is_complex else not_equal(x, 0)
    safe_x = array_ops.where(mask, x, array_ops.ones_like(x))
    log_x = array_ops.where(mask, log(safe_x), array_ops.zeros_like(x))
    gy = grad * z * log_x
    return _reduce_gradient_args(x, y, gx, gy)


def _maximum_minimum_grad(op, grad, selector):
    from minitf.ops import array_ops
    x, y = op.inputs
    zeros = array_ops.zeros_like(grad)
    xmask = selector(x, y)
    gx = array_ops.where(xmask, grad, zeros)
    gy = array_ops.where(xmask, zeros, grad)
    return _reduce_gradient_args(x, y, gx, gy)


@RegisterGradient("Maximum")
def _maximum_grad(op, grad):
    return _maximum_minimum_grad(op, grad, greater_equal)


@RegisterGradient("Minimum")
def _minimum_grad(op, grad):
    return _maximum_minimum_grad(op, grad, less_equal)


@RegisterGradient("SquaredDifference")
def _squared_difference_grad(op, grad):
    x, y = op.inputs
    with ops.control_dependencies([grad]):
        x_grad = scalar_mul(2.0, grad) * (x - y)
    if _shapes_fully_defined_and_equal(x, y, grad):
        return x_grad, -x_grad
    gx, gy = _reduce_gradient_args(x, y, x_grad, x_grad)
    return gx, -gy


@RegisterGradient("Atan2")
def _atan2_grad(op, grad):
    y, x = op.inputs
    with ops.control_dependencies([grad]):
        grad_inv = grad / (square(x) + square(y))
        return x * grad_inv, -y * grad_inv


@RegisterGradient("Xdivy")
def _xdivy_grad(op, grad):
    x, y = op.inputs
    gx = _gen("Xdivy", grad, y)
    gy = grad * _gen("Xdivy", _gen("Xdivy", -x, y), y)
    return _reduce_gradient_args(x, y, gx, gy)


@RegisterGradient("FloorMod")
def _floor_mod_grad(op, grad):
    from minitf.ops import array_ops
    x, y = conj(op.inputs[0]), conj(op.inputs[1])
    sx, sy = array_ops.shape(x), array_ops.shape(y)
    rx, ry = apply_op("BroadcastGradientArgs", [sx, sy], {"T": dtypes.int32}).outputs
    floor_xy = floordiv(x, y)
    gx = array_ops.reshape(reduce_sum(grad, rx), sx)
    gy = array_ops.reshape(reduce_sum(grad * negative(floor_xy), ry), sy)
    return gx, gy


@RegisterGradient("Sign")
def _sign_grad(op, grad):
    from minitf.ops import array_ops
    return array_ops.zeros_like(op.inputs[0])


@RegisterGradient("AddN")
def _add_n_grad(op, grad):
    return [grad] * len(op.inputs)


@RegisterGradient("Neg")
def _neg_grad(op, grad):
    return -grad


@RegisterGradient("Abs")
def _abs_grad(op, grad):
    return grad * sign(op.inputs[0])


@RegisterGradient("Square")
def _square_grad(op, grad):
    x = op.inputs[0]
    with ops.control_dependencies([grad]):
        x = conj(x)
        y = constant_op.constant(2.0, dtype=x.dtype)
        return multiply(grad, multiply(x, y))


@RegisterGradient("Sqrt")
def _sqrt_grad(op, grad):
    y = op.outputs[0]
    return apply_op_1("SqrtGrad", [y, grad], {"T": y.dtype})


@RegisterGradient("Rsqrt")
def _rsqrt_grad(op, grad):
    y = op.outputs[0]
    return apply_op_1("RsqrtGrad", [y, grad], {"T": y.dtype})


@RegisterGradient("Exp")
def _exp_grad(op, grad):
    y = op.outputs[0]
    with ops.control_dependencies([grad]):
        return grad * conj(y)


@RegisterGradient("Expm1")
def _expm1_grad(op, grad):
    x = op.inputs[0]
    with ops.control_dependencies([grad]):
        return grad * exp(x)


@RegisterGradient("Log")
def _log_grad(op, grad):
    x = op.inputs[0]
    with ops.control_dependencies([grad]):
        return grad * reciprocal(conj(x))


@RegisterGradient("Log1p")
def _log1p_grad(op, grad):
    x = op.inputs[0]
    with ops.control_dependencies([grad]):
        return grad * reciprocal(1 + x)


@RegisterGradient("Sigmoid")
def _sigmoid_grad(op, grad):
    y = op.outputs[0]
    with ops.control_dependencies([grad]):
        return apply_op_1("SigmoidGrad", [conj(y), grad], {"T": y.dtype})


@RegisterGradient("Tanh")
def _tanh_grad(op, grad):
    y = op.outputs[0]
    with ops.control_dependencies([grad]):
        return apply_op_1("TanhGrad", [conj(y), grad], {"T": y.dtype})


@RegisterGradient("Reciprocal")
def _reciprocal_grad(op, grad):
    y = op.outputs[0]
    return apply_op_1("ReciprocalGrad", [y, grad], {"T": y.dtype})


@RegisterGradient("Sin")
def _sin_grad(op, grad):
    x = op.inputs[0]
    with ops.control_dependencies([grad]):
        return grad * cos(x)


@RegisterGradient("Cos")
def _cos_grad(op, grad):
    x = op.inputs[0]
    with ops.control_dependencies([grad]):
        return -grad * sin(x)


@RegisterGradient("Tan")
def _tan_grad(op, grad):
    x = op.inputs[0]
    with ops.control_dependencies([grad]):
        secx = reciprocal(cos(x))
        return grad * square(secx)


@RegisterGradient("SigmoidGrad")
def _sigmoid_grad_grad(op, grad):
    y, dy = op.inputs
    with ops.control_dependencies([grad]):
        gdy = apply_op_1("SigmoidGrad", [y, grad], {"T": y.dtype})
        return grad * dy * (1 - 2 * y), gdy


@RegisterGradient("TanhGrad")
def _tanh_grad_grad(op, grad):
    y, dy = op.inputs
    with ops.control_dependencies([grad]):
        return grad * -2.0 * dy * y, apply_op_1("TanhGrad", [y, grad], {"T": y.dtype})


@RegisterGradient("Cast")
def _cast_grad(op, grad):
    src = op.inputs[0].dtype.base_dtype
    dst = op.outputs[0].dtype.base_dtype
    if (src.is_floating or src.is_complex) and (dst.is_floating or dst.is_complex):
        return cast(grad, src)
    return None


@RegisterGradient("Sum")
def _sum_grad(op, grad):
    from minitf.ops import array_ops
    input_shape_tuple = op.inputs[0]._shape_tuple()
    if input_shape_tuple is not None:
        axes = tensor_util.constant_value(op.inputs[1])
        if axes is not None:
            rank = len(input_shape_tuple)
            if np.array_equal(axes, np.arange(rank)):
                grad = array_ops.reshape(grad, [1] * rank)
                if None not in input_shape_tuple:
                    input_shape = constant_op.constant(list(input_shape_tuple), dtype=dtypes.int32)
                else:
                    input_shape = array_ops.shape(op.inputs[0])
                return [array_ops.tile(grad, input_shape), None]
            if None not in input_shape_tuple:
                axes = tuple(int(a) % builtins.max(rank, 1) for a in np.asarray(axes).reshape(-1))
                kept = tuple(reduced_shape(input_shape_tuple, axes))
                scaling = tuple(a // builtins.max(b, 1) for a, b in zip(input_shape_tuple, kept))
                grad = array_ops.reshape(grad, list(kept))
                return [array_ops.tile(grad, list(scaling)), None]
    input_shape = array_ops.shape(op.inputs[0])
    if not op.get_attr("keep_dims"):
        kept = reduced_shape(input_shape, op.inputs[1])
        grad = array_ops.reshape(grad, kept)
    return [array_ops.broadcast_to(grad, input_shape), None]


@RegisterGradient("Mean")
def _mean_grad(op, grad):
    from minitf.ops import array_ops
    sum_grad = _sum_grad(op, grad)[0]
    input_shape = op.inputs[0]._shape_tuple()
    output_shape = op.outputs[0]._shape_tuple()
    if input_shape is not None and output_shape is not None and None not in input_shape \
            and None not in output_shape:
        factor = int(np.prod(input_shape, dtype=np.int64)) // builtins.max(int(np.prod(output_shape,
                                                                                         dtype=np.int64)), 1)
        factor = constant_op.constant(factor, dtype=sum_grad.dtype)
    else:
        shape = array_ops.shape(op.inputs[0])
        input_rank = array_ops.size(shape)
        axes = cast(op.inputs[1], input_rank.dtype)
        axes = (axes + input_rank) % input_rank
        factor = reduce_prod(array_ops.gather(shape, axes))
    return truediv(sum_grad, cast(factor, sum_grad.dtype)), None


def _min_or_max_grad(op, grad):
    from minitf.ops import array_ops
    input_shape = array_ops.shape(op.inputs[0])
    y = op.outputs[0]
    if not op.get_attr("keep_dims"):
        kept = reduced_shape(input_shape, op.inputs[1])
        y = array_ops.reshape(y, kept)
        grad = array_ops.reshape(grad, kept)
    else:
        kept = array_ops.shape(y)
    indicators = cast(equal(y, op.inputs[0]), grad.dtype)
    num_selected = array_ops.reshape(reduce_sum(indicators, op.inputs[1]), kept)
    return [divide(indicators, num_selected) * grad, None]


RegisterGradient("Max")(_min_or_max_grad)
RegisterGradient("Min")(_min_or_max_grad)


@RegisterGradient("Prod")
def _prod_grad(op, grad):
    from minitf.ops import array_ops
    x = op.inputs[0]
    input_shape = array_ops.shape(x)
    kept = reduced_shape(input_shape, op.inputs[1])
    grad = array_ops.broadcast_to(array_ops.reshape(grad, kept), input_shape)
    y = array_ops.broadcast_to(array_ops.reshape(op.outputs[0], kept), input_shape)
    safe = array_ops.where(equal(x, 0), array_ops.ones_like(x), x)
    zeros_count = array_ops.broadcast_to(array_ops.reshape(
        reduce_sum(cast(equal(x, 0), x.dtype), op.inputs[1]), kept), input_shape)
    prod_without_zeros = array_ops.broadcast_to(array_ops.reshape(
        reduce_prod(safe, op.inputs[1]), kept), input_shape)
    only_this_zero = logical_and(equal(x, 0), equal(zeros_count, 1))
    grad_x = array_ops.where(only_this_zero, prod_without_zeros, array_ops.where(
        equal(zeros_count, 0), y / safe, array_ops.zeros_like(x)))
    return grad * grad_x, None


@RegisterGradient("MatMul")
def _matmul_grad(op, grad):
    ta, tb = op.get_attr("transpose_a"), op.get_attr("transpose_b")
    a, b = conj(op.inputs[0]), conj(op.inputs[1])
    if not ta and not tb:
        return matmul(grad, b, transpose_b=True), matmul(a, grad, transpose_a=True)
    if not ta and tb:
        return matmul(grad, b), matmul(grad, a, transpose_a=True)
    if ta and not tb:
        return matmul(b, grad, transpose_b=True), matmul(a, grad)
    return matmul(b, grad, transpose_a=True, transpose_b=True), matmul(grad, a, transpose_a=True,
                                                                          transpose_b=True)


@RegisterGradient("BatchMatMulV2")
def _batch_matmul_grad(op, grad):
    from minitf.ops import array_ops
    x, y = op.inputs
    adj_x, adj_y = op.get_attr("adj_x"), op.get_attr("adj_y")
    if not adj_x:
        gx = matmul(grad, y, adjoint_b=not adj_y) if not adj_y else matmul(grad, y)
    else:
        gx = matmul(y, grad, adjoint_a=adj_y, adjoint_b=True)
    if not adj_y:
        gy = matmul(x, grad, adjoint_a=not adj_x) if not adj_x else matmul(x, grad)
    else:
        gy = matmul(grad, x, adjoint_a=True, adjoint_b=adj_x)
    sx, sy = array_ops.shape(x), array_ops.shape(y)
    rx, ry = apply_op("BroadcastGradientArgs", [
        array_ops.strided_slice(sx, [0], [-2]), array_ops.strided_slice(sy, [0], [-2])], {"T": dtypes.int32}).outputs
    gx = array_ops.reshape(reduce_sum(gx, rx), sx)
    gy = array_ops.reshape(reduce_sum(gy, ry), sy)
    return gx, gy
