"""Element-wise ops: unary and binary arithmetic, comparisons and logic, Cast, AddN and Range, with their
wrappers and the Python operators on Tensor (``x + y``, ``x @ y``, ``x < y`` ...). Gradients are in ``math_grad``."""

import builtins

import numpy as np

from minitf.framework import dtypes, errors, ops, tensor_shape, tensor_util
from minitf.framework.indexed_slices import IndexedSlices
from minitf.framework.node_def_check import dtype_string
from minitf.framework.op_def_lib import (apply_op_1, binary_infer, check_same_dtype, invalid_argument, no_gradient, pure,
                                         pure_with_attrs, register, same_as_input)
from minitf.ops.linalg_ops import matmul
from minitf.ops.shape_ops import identity


TensorShape = tensor_shape.TensorShape
convert_to_tensor = ops.convert_to_tensor


# -- unary element-wise ops ---------------------------------------------------------------------------------------

def _float_error_guard(fn):
    def guarded(x):
        with np.errstate(all="ignore"):
            return fn(x)
    return guarded


def _unary(op_type, fn, guard=False):
    register(op_type, same_as_input(), pure(_float_error_guard(fn) if guard else fn), input_names=("x",))


def _sigmoid(x):
    with np.errstate(over="ignore"):
        if type(x) is not np.ndarray or not x.ndim or x.dtype.kind != "f":
            return (1 / (1 + np.exp(-x))).astype(x.dtype, copy=False)
        y = np.negative(x)  # the same steps in one buffer: 1 / (1 + exp(-x))
        np.exp(y, out=y)
        np.add(y, 1, out=y)
        return np.divide(1, y, out=y)


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
    """``tf.conj``: the complex conjugate; a real tensor itself (no op), as TensorFlow's."""
    if isinstance(x, ops.Tensor) and (x.dtype.is_floating or x.dtype.is_integer):
        return x
    with ops.name_scope(name, "Conj", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        if x.dtype.is_complex:
            return apply_op_1("Conj", [x], {"T": x.dtype.base_dtype}, scope)
        if x.dtype.is_floating or x.dtype.is_integer:
            return x
        raise TypeError(f"{x} is expected to be of type complex, float or int. Received {x.dtype}.")


# -- gradient kernels of unary ops --------------------------------------------------------------------------------

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


# -- binary element-wise ops, comparisons, logic ------------------------------------------------------------------

def _int_div_guard(fn, int_exact=False):
    """``fn`` with TensorFlow's integer division by zero error. ``int_exact``: on integers ``fn`` cannot overflow
    once the divisor is nonzero (a remainder), so it needs no floating-point error state."""
    def kernel(x, y):
        if x.dtype.kind in "iu":
            # TensorFlow checks each element of the (broadcast) result: an empty result divides by nothing
            if not y.all() and np.broadcast(x, y).size:
                raise invalid_argument("Integer division by zero")
            if int_exact:
                return fn(x, y)
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
    ("FloorDiv", _int_div_guard(np.floor_divide)), ("FloorMod", _int_div_guard(np.mod, int_exact=True)),
    ("TruncateDiv", _int_div_guard(_truncate_div)), ("TruncateMod", _int_div_guard(np.fmod, int_exact=True)),
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


def _binary(op_type, x, y, name):
    return apply_op_1(op_type, [x, y], {"T": x.dtype.base_dtype}, name)


def _promote_pair(x, y, name_y="y", name_x="x"):
    """Converts the non-Tensor operand to the Tensor operand's dtype, as TensorFlow's op wrappers do."""
    if not isinstance(x, ops.Tensor):
        if isinstance(y, ops.Tensor) or ops.is_tensor_like(y):
            y = convert_to_tensor(y, name=name_y)
            x = convert_to_tensor(x, dtype=y.dtype.base_dtype, name=name_x)
            return x, y
        x = convert_to_tensor(x, name=name_x)
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
    return _binary_wrapper(op_type, op_type)


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
div_no_nan = _binary_wrapper("DivNoNan", "div_no_nan")  # TensorFlow names it in a div_no_nan scope
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


# -- type conversion ----------------------------------------------------------------------------------------------

def _cast_kernel(op):
    src, dst = op.inputs[0].dtype.base_dtype, op.get_attr("DstT")
    if (src == dtypes.string) != (dst == dtypes.string):
        def unsupported(x):  # refused when it runs, as TensorFlow's Cast kernel
            raise errors.UnimplementedError(None, None, f"Cast {dtype_string(src.as_datatype_enum)} to "
                                                        f"{dtype_string(dst.as_datatype_enum)} is not supported")
        return unsupported
    np_dtype = op.get_attr("DstT").as_numpy_dtype
    if op.get_attr("DstT") == dtypes.bool:
        return lambda x: x != 0
    return lambda x: x.astype(np_dtype)


def _cast_static_value(op):
    value = tensor_util.constant_value(op.inputs[0])
    return None if value is None else value.astype(op.get_attr("DstT").as_numpy_dtype)


register("Cast", lambda op: [(op.get_attr("DstT"), op.inputs[0].shape)], pure_with_attrs(_cast_kernel),
         input_names=("x",), static_value=_cast_static_value)


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


# -- AddN ---------------------------------------------------------------------------------------------------------

def _add_n_infer(op):
    dtype = check_same_dtype(op)
    shape = op.inputs[0].shape
    for t in op.inputs[1:]:
        shape = shape.merge_with(t.shape)
    return [(dtype, shape)]


def _add_n(*xs):
    if len(xs) == 1:
        return xs[0]
    total = xs[0] + xs[1]
    for x in xs[2:]:  # in order, into the first sum's buffer when the shapes agree
        if type(total) is np.ndarray and total.shape == x.shape and total.dtype == x.dtype:
            np.add(total, x, out=total)
        else:
            total = total + x
    return total


register("AddN", _add_n_infer, pure(_add_n), input_names=("inputs",))


def add_n(inputs, name=None):
    """``tf.add_n``: the sum of a list of tensors of one shape and dtype."""
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError("inputs must be a list of at least one Tensor/IndexedSlices with the same dtype and shape")
    if len(inputs) > 1 and any(isinstance(t, IndexedSlices) for t in inputs):
        with ops.name_scope(name, "AddN") as scope:  # made dense inside, as TensorFlow's op wrapper does
            inputs = [convert_to_tensor(t, name=f"inputs_{i}") for i, t in enumerate(inputs)]
            return apply_op_1("AddN", inputs, {"N": len(inputs), "T": inputs[0].dtype.base_dtype}, scope)
    inputs = [convert_to_tensor(t) for t in inputs]
    if len(inputs) == 1:  # the tensor itself, as in TensorFlow; an Identity only to carry a given name
        return identity(inputs[0], name=name) if name else inputs[0]
    return apply_op_1("AddN", inputs, {"N": len(inputs), "T": inputs[0].dtype.base_dtype}, name)


def accumulate_n(inputs, shape=None, tensor_dtype=None, name=None):
    return add_n(inputs, name=name)


# -- Range --------------------------------------------------------------------------------------------------------

def _range_infer(op):
    start, limit, delta = (tensor_util.evaluate_constant(t) for t in op.inputs)  # as TF's shape function
    dtype = op.inputs[0].dtype.base_dtype
    if start is None or limit is None or delta is None:
        return [(dtype, tensor_shape.unknown_shape(1))]
    return [(dtype, TensorShape([_range_size(start, limit, delta, ValueError)]))]


def _range_size(start, limit, delta, error):
    """The length of a Range, computed in Python numbers (no int32 overflow), with TensorFlow's checks."""
    start, limit, delta = (v.item() if hasattr(v, "item") else v for v in (start, limit, delta))
    if delta == 0:
        raise error("Requires delta != 0")
    if start > limit and delta > 0:
        raise error(f"Requires start <= limit when delta > 0: {start}/{limit}")
    if start < limit and delta < 0:
        raise error(f"Requires start >= limit when delta < 0: {start}/{limit}")
    if isinstance(start, int) and isinstance(limit, int) and isinstance(delta, int):
        return (builtins.abs(limit - start) + builtins.abs(delta) - 1) // builtins.abs(delta)
    return int(np.ceil(builtins.abs((limit - start) / delta)))


def _range_kernel(start, limit, delta):
    n = _range_size(start, limit, delta, invalid_argument)
    return (start.item() + np.arange(n, dtype=np.int64) * delta.item()).astype(start.dtype) \
        if start.dtype.kind in "iu" else np.arange(start, limit, delta, dtype=start.dtype)[:n]


def _range_static_value(op):
    """A Range of constants, as TensorFlow's ``constant_value`` computes it (``np.arange``): the reductions of a
    scalar (whose axes are ``range(0, rank(x))``) then take their gradients' static-shape path, as in TensorFlow."""
    start, limit, delta = (tensor_util.constant_value(t) for t in op.inputs)
    if start is None or limit is None or delta is None:
        return None
    return np.arange(start, limit, delta, dtype=op.outputs[0].dtype.as_numpy_dtype)


register("Range", _range_infer, pure(_range_kernel), input_names=("start", "limit", "delta"),
         static_value=_range_static_value)
no_gradient("Range")


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001
    """``tf.range``."""
    if limit is None:
        start, limit = 0, start
    with ops.name_scope(name, "Range", [start, limit, delta]) as scope:
        values = [start, limit, delta]
        names = ("start", "limit", "delta")
        if dtype is not None:
            dtype = dtypes.as_dtype(dtype)
        # Python numbers become tensors of ``dtype`` directly (no Cast), as in TensorFlow.
        tensors = [v if isinstance(v, ops.Tensor) else convert_to_tensor(v, dtype=dtype, name=n)
                   for v, n in zip(values, names)]
        if dtype is None:
            order = [dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64]
            dtype = builtins.max((t.dtype.base_dtype for t in tensors), key=order.index)
        tensors = [cast(t, dtype) for t in tensors]
        return apply_op_1("Range", tensors, {"Tidx": dtype}, scope)


def range_(start, limit=None, delta=1, dtype=None, name="range"):
    return range(start, limit, delta, dtype, name)


def scalar_mul(scalar, x, name=None):
    with ops.name_scope(name, "scalar_mul", [x]) as scope:
        return multiply(scalar, x, name=scope)


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
    setattr(IndexedSlices, "__neg__", lambda self: IndexedSlices(negative(self.values), self.indices, self.dense_shape))


_add_operators()
