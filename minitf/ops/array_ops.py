"""Tensor creation, shapes, reshaping, slicing, joining and selection ops, with their gradients."""

import builtins

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape, tensor_util
from minitf.framework.op_def_lib import (RegisterGradient, apply_op, apply_op_1, as_int_list, broadcast_shapes,
                                         invalid_argument, no_gradient, pure, pure_with_attrs, register,
                                         same_as_input)
from minitf.ops import constant_op, math_ops

TensorShape = tensor_shape.TensorShape
unknown_shape = tensor_shape.unknown_shape
convert_to_tensor = ops.convert_to_tensor


def _static(t):
    return tensor_util.constant_value(t)


def _identity(x):
    return x


# -- identity, placeholders ---------------------------------------------------------------------------------------

def _identity_infer(op):
    t = op.inputs[0]
    return [(t.dtype.base_dtype, t.shape)]


register("Identity", _identity_infer, pure(_identity), input_names=("input",))
register("StopGradient", _identity_infer, pure(_identity), input_names=("input",))
register("Snapshot", _identity_infer, pure(np.copy), input_names=("input",))
no_gradient("StopGradient")


@RegisterGradient("Identity")
@RegisterGradient("Snapshot")
def _identity_grad(op, grad):
    return grad


def _identity_n_infer(op):
    return [(t.dtype.base_dtype, t.shape) for t in op.inputs]


register("IdentityN", _identity_n_infer, pure(lambda *xs: xs), input_names=("input",))
RegisterGradient("IdentityN")(lambda op, *grads: grads)


def _placeholder_kernel(op, state):
    dtype = op.get_attr("dtype")
    shape = op.get_attr("shape")
    shape_text = "<unknown>" if shape.ndims is None else "[" + ",".join(
        "?" if d is None else str(d) for d in shape.as_tuple()) + "]"

    def kernel():
        raise invalid_argument(f"You must feed a value for placeholder tensor '{op.name}' with dtype "
                               f"{_dtype_text(dtype)} and shape {shape_text}")
    return kernel


def _dtype_text(dtype):
    return {"float32": "float", "float64": "double"}.get(dtype.name, dtype.name)


register("Placeholder", lambda op: [(op.get_attr("dtype"), op.get_attr("shape"))], _placeholder_kernel,
         stateful=True)
no_gradient("Placeholder")


def _placeholder_with_default_infer(op):
    return [(op.get_attr("dtype"), op.get_attr("shape"))]


register("PlaceholderWithDefault", _placeholder_with_default_infer, pure(_identity), input_names=("input",))
RegisterGradient("PlaceholderWithDefault")(lambda op, grad: grad)  # the gradient passes through, as in TensorFlow


def placeholder(dtype, shape=None, name=None):
    """``tf.placeholder``: a value that must be fed with ``feed_dict``."""
    shape = tensor_shape.as_shape(shape) if shape is not None else unknown_shape()
    return ops.get_default_graph().create_op(
        "Placeholder", [], {"dtype": dtypes.as_dtype(dtype), "shape": shape}, name or "Placeholder")._outputs[0]


def placeholder_with_default(input, shape, name=None):  # noqa: A002
    x = convert_to_tensor(input)
    shape = tensor_shape.as_shape(shape)
    if not shape.is_compatible_with(x.shape):
        raise ValueError(f"Shapes {shape} and {x.shape} are incompatible")
    return apply_op_1("PlaceholderWithDefault", [x], {"dtype": x.dtype.base_dtype, "shape": shape}, name)


def identity(input, name=None):  # noqa: A002
    x = convert_to_tensor(input)
    if hasattr(input, "_as_graph_element") and not isinstance(input, ops.Tensor):
        x = input.value() if hasattr(input, "value") else x
    return apply_op_1("Identity", [x], {"T": x.dtype.base_dtype}, name)


def identity_n(input, name=None):  # noqa: A002
    xs = [convert_to_tensor(t) for t in input]
    return apply_op("IdentityN", xs, {"T": [t.dtype.base_dtype for t in xs]}, name).outputs


def stop_gradient(input, name=None):  # noqa: A002
    x = convert_to_tensor(input)
    return apply_op_1("StopGradient", [x], {"T": x.dtype.base_dtype}, name)


# -- shape ops ----------------------------------------------------------------------------------------------------

def _shape_infer(op):
    rank = op.inputs[0].shape.ndims
    return [(op.get_attr("out_type"), TensorShape([rank]))]


def _shape_kernel(op):
    out = op.get_attr("out_type").as_numpy_dtype
    return lambda x: np.array(x.shape, dtype=out)


register("Shape", _shape_infer, pure_with_attrs(_shape_kernel), input_names=("input",))
register("Size", lambda op: [(op.get_attr("out_type"), TensorShape([]))],
         pure_with_attrs(lambda op: lambda x: np.array(x.size, dtype=op.get_attr("out_type").as_numpy_dtype)),
         input_names=("input",))
register("Rank", lambda op: [(dtypes.int32, TensorShape([]))], pure(lambda x: np.array(x.ndim, dtype=np.int32)),
         input_names=("input",))
register("ShapeN", lambda op: [(op.get_attr("out_type"), TensorShape([t.shape.ndims])) for t in op.inputs],
         pure_with_attrs(lambda op: lambda *xs: tuple(np.array(x.shape, dtype=op.get_attr("out_type").as_numpy_dtype)
                                                     for x in xs)),
         input_names=("input",))
for _op_type in ("Shape", "ShapeN", "Size", "Rank"):
    no_gradient(_op_type)


def shape(input, name=None, out_type=dtypes.int32):  # noqa: A002
    """``tf.shape``: a Const when the static shape is fully known (as TensorFlow does), else a Shape op."""
    with ops.name_scope(name, "Shape", [input]) as scope:
        x = convert_to_tensor(input)
        out_type = dtypes.as_dtype(out_type)
        if x.shape.is_fully_defined():
            return constant_op.constant(x.shape.as_list(), dtype=out_type, name=scope)
        return apply_op_1("Shape", [x], {"T": x.dtype.base_dtype, "out_type": out_type}, scope)


def shape_n(input, out_type=dtypes.int32, name=None):  # noqa: A002
    """``tf.shape_n``: the shapes of several tensors, from one ShapeN op."""
    xs = [convert_to_tensor(x) for x in input]
    op = apply_op("ShapeN", xs, {"N": len(xs), "T": xs[0].dtype.base_dtype, "out_type": dtypes.as_dtype(out_type)},
                  name)
    return list(op.outputs)


def shape_internal(input, name=None, optimize=True, out_type=dtypes.int32):  # noqa: A002
    if optimize:
        return shape(input, name, out_type)
    x = convert_to_tensor(input)
    return apply_op_1("Shape", [x], {"T": x.dtype.base_dtype, "out_type": dtypes.as_dtype(out_type)},
                      name)


def size(input, name=None, out_type=dtypes.int32):  # noqa: A002
    with ops.name_scope(name, "Size", [input]) as scope:
        x = convert_to_tensor(input)
        out_type = dtypes.as_dtype(out_type)
        if x.shape.is_fully_defined():
            return constant_op.constant(x.shape.num_elements(), dtype=out_type, name=scope)
        return apply_op_1("Size", [x], {"T": x.dtype.base_dtype, "out_type": out_type}, scope)


def rank(input, name=None):  # noqa: A002
    with ops.name_scope(name, "Rank", [input]) as scope:
        x = convert_to_tensor(input)
        if x.shape.ndims is not None:
            return constant_op.constant(x.shape.ndims, dtype=dtypes.int32, name=scope)
        return apply_op_1("Rank", [x], {"T": x.dtype.base_dtype}, scope)


# -- reshape ------------------------------------------------------------------------------------------------------

def _resolve_reshape(in_shape, target):
    """The output dims of reshaping ``in_shape`` (tuple, may hold None) to ``target`` (may hold -1/None)."""
    target = [None if d is None else int(d) for d in target]
    if sum(1 for d in target if d == -1) > 1:
        raise ValueError("Cannot infer multiple unknown dimensions in shape")
    known = 1
    for d in target:
        if d is not None and d != -1:
            known *= d
    if -1 not in target:
        if None not in target and in_shape is not None and None not in in_shape:
            n = int(np.prod(in_shape, dtype=np.int64))
            if n != known:
                raise ValueError(f"Cannot reshape a tensor with {n} elements to shape {target} ({known} elements)")
        return [None if d is None else d for d in target]
    if in_shape is None or None in in_shape or None in target:
        return [None if d in (-1, None) else d for d in target]
    n = int(np.prod(in_shape, dtype=np.int64))
    if known == 0 or n % known:
        raise ValueError(f"Cannot reshape a tensor with {n} elements to shape {target} ({known} elements)")
    return [n // known if d == -1 else d for d in target]


def _reshape_infer(op):
    x, shape_t = op.inputs
    target = tensor_util.constant_value_as_shape(shape_t)
    dtype = x.dtype.base_dtype
    if target.ndims is None:
        return [(dtype, unknown_shape())]
    value = _static(shape_t)
    dims = value.tolist() if value is not None else [d if d is not None else None for d in target.as_tuple()]
    if value is not None:
        return [(dtype, TensorShape(_resolve_reshape(x.shape.as_tuple(), dims)))]
    return [(dtype, target)]


def _reshape_kernel(x, shape):
    try:
        return np.reshape(x, [int(d) for d in shape])
    except ValueError:
        raise invalid_argument(f"Input to reshape is a tensor with {x.size} values, but the requested shape "
                               f"has {int(np.prod(shape)) if -1 not in shape else 'an incompatible number of'} "
                               f"{'values' if -1 not in shape else 'elements'}: {list(shape)}") from None


def _make_reshape_kernel(op):
    static_shape = _static(op.inputs[1])
    if static_shape is None:
        return _reshape_kernel
    target = [int(d) for d in static_shape]

    def static_kernel(x, shape):
        try:
            return x.reshape(target)
        except ValueError:
            return _reshape_kernel(x, shape)
    return static_kernel


register("Reshape", _reshape_infer, pure_with_attrs(_make_reshape_kernel), input_names=("tensor", "shape"))


@RegisterGradient("Reshape")
def _reshape_grad(op, grad):
    input_shape = op.inputs[0].shape
    if input_shape.ndims is not None and not input_shape.is_fully_defined():
        dims = input_shape.as_list()  # one unknown dimension (no zero one): a -1, no Shape op, as TensorFlow
        if dims.count(None) == 1 and 0 not in dims:
            return reshape(grad, [-1 if d is None else d for d in dims]), None
    return reshape(grad, shape(op.inputs[0])), None


def reshape(tensor, shape, name=None):  # noqa: F811 -- TensorFlow's argument name
    x = convert_to_tensor(tensor, name="tensor")
    return apply_op_1("Reshape", [x, shape], {"T": x.dtype.base_dtype}, name, index_attrs={1: "Tshape"})


def _expand_dims_infer(op):
    x, axis_t = op.inputs
    axis = _static(axis_t)
    if x.shape.ndims is None or axis is None:
        return [(x.dtype.base_dtype, unknown_shape())]
    dims = list(x.shape.as_tuple())
    a = int(np.asarray(axis).reshape(-1)[0])
    if not -len(dims) - 1 <= a <= len(dims):
        raise ValueError(f"Tried to expand dim index {a} for tensor with {len(dims)} dimensions.")
    dims.insert(a if a >= 0 else len(dims) + a + 1, 1)
    return [(x.dtype.base_dtype, TensorShape(dims))]


register("ExpandDims", _expand_dims_infer, pure(lambda x, axis: np.expand_dims(x, int(np.asarray(axis).reshape(-1)[0]))),
         input_names=("input", "dim"))


@RegisterGradient("ExpandDims")
def _expand_dims_grad(op, grad):
    return reshape(grad, shape(op.inputs[0])), None


def expand_dims(input, axis=None, name=None, dim=None):  # noqa: A002
    axis = dim if axis is None else axis
    if axis is None:
        raise ValueError("Must specify an axis argument to tf.expand_dims()")
    x = convert_to_tensor(input, name="input")
    return apply_op_1("ExpandDims", [x, axis], {"T": x.dtype.base_dtype}, name, index_attrs={1: "Tdim"})


def _squeeze_infer(op):
    x = op.inputs[0]
    axes = op.get_attr("squeeze_dims")
    if x.shape.ndims is None:
        return [(x.dtype.base_dtype, unknown_shape())]
    dims = x.shape.as_tuple()
    rank = len(dims)
    axes = {a % rank for a in axes} if axes else None
    out = []
    for i, d in enumerate(dims):
        if axes is None:
            if d == 1:
                continue
            if d is None:
                return [(x.dtype.base_dtype, unknown_shape())]
        elif i in axes:
            if d is not None and d != 1:
                raise ValueError(f"Can not squeeze dim[{i}], expected a dimension of 1, got {d}")
            continue
        out.append(d)
    return [(x.dtype.base_dtype, TensorShape(out))]


def _squeeze_kernel(op):
    axes = tuple(op.get_attr("squeeze_dims"))
    return lambda x: np.squeeze(x, axis=axes if axes else None)


register("Squeeze", _squeeze_infer, pure_with_attrs(_squeeze_kernel), input_names=("input",))


@RegisterGradient("Squeeze")
def _squeeze_grad(op, grad):
    return reshape(grad, shape(op.inputs[0]))


def squeeze(input, axis=None, name=None, squeeze_dims=None):  # noqa: A002
    axis = squeeze_dims if axis is None else axis
    if isinstance(axis, int):
        axis = [axis]
    x = convert_to_tensor(input, name="input")
    return apply_op_1("Squeeze", [x], {"T": x.dtype.base_dtype, "squeeze_dims": list(axis or [])}, name)


# -- creation -------------------------------------------------------------------------------------------------------

def _fill_infer(op):
    dims_t, value = op.inputs
    return [(value.dtype.base_dtype, tensor_util.constant_value_as_shape(dims_t))]


def _fill_kernel(dims, value):
    if np.any(np.asarray(dims) < 0):
        raise invalid_argument(f"dims must be non-negative: {list(dims)}")
    return np.full([int(d) for d in dims], value, dtype=value.dtype)


register("Fill", _fill_infer, pure(_fill_kernel), input_names=("dims", "value"))


@RegisterGradient("Fill")
def _fill_grad(op, grad):
    return None, math_ops.reduce_sum(grad)


def fill(dims, value, name=None):
    value = convert_to_tensor(value, name="value")
    return apply_op_1("Fill", [dims, value], {"T": value.dtype.base_dtype, "index_type": dtypes.int32}, name)


def _like_kernel(fn):
    return pure(lambda x: fn(x))


register("ZerosLike", same_as_input(), _like_kernel(np.zeros_like), input_names=("x",))
register("OnesLike", same_as_input(), _like_kernel(np.ones_like), input_names=("x",))
no_gradient("ZerosLike")
no_gradient("OnesLike")


def _filled(value, shape, dtype, name, default_name):
    dtype = dtypes.as_dtype(dtype).base_dtype
    with ops.name_scope(name, default_name, [shape]) as scope:
        if isinstance(shape, ops.Tensor) or (isinstance(shape, (list, tuple))
                                             and any(isinstance(d, ops.Tensor) for d in shape)):
            shape_t = stack(shape) if isinstance(shape, (list, tuple)) else shape
            return fill(shape_t, constant_op.constant(value, dtype=dtype), name=scope)
        dims = tensor_shape.as_shape(shape).as_list() if not isinstance(shape, int) else [shape]
        if int(np.prod(dims, dtype=np.int64)) < 1000:
            return constant_op.constant(np.full(dims, value, dtype=dtype.as_numpy_dtype), dtype=dtype, name=scope)
        return fill(constant_op.constant(dims, dtype=dtypes.int32, name="shape_as_tensor"),
                    constant_op.constant(value, dtype=dtype), name=scope)


def zeros(shape, dtype=dtypes.float32, name=None):
    """``tf.zeros``: a Const for small shapes, else Fill (as TensorFlow)."""
    dtype = dtypes.as_dtype(dtype)
    return _filled(b"" if dtype == dtypes.string else 0, shape, dtype, name, "zeros")


def ones(shape, dtype=dtypes.float32, name=None):
    return _filled(1, shape, dtype, name, "ones")


def zeros_like(tensor, dtype=None, name=None, optimize=True):
    with ops.name_scope(name, "zeros_like", [tensor]) as scope:
        x = convert_to_tensor(tensor, name="tensor")
        if dtype is not None and dtypes.as_dtype(dtype) != x.dtype.base_dtype:
            return zeros(shape_internal(x, optimize=optimize), dtype=dtype, name=scope)
        if optimize and x.shape.is_fully_defined() and x.dtype != dtypes.variant:
            return zeros(x.shape.as_list(), x.dtype.base_dtype, name=scope)
        return apply_op_1("ZerosLike", [x], {"T": x.dtype.base_dtype}, scope)


def ones_like(tensor, dtype=None, name=None, optimize=True):
    with ops.name_scope(name, "ones_like", [tensor]) as scope:
        x = convert_to_tensor(tensor, name="tensor")
        dtype = dtypes.as_dtype(dtype) if dtype is not None else x.dtype.base_dtype
        if optimize and x.shape.is_fully_defined():
            return ones(x.shape.as_list(), dtype, name=scope)
        return ones(shape_internal(x, optimize=optimize), dtype=dtype, name=scope)


def _range_infer(op):
    start, limit, delta = (_static(t) for t in op.inputs)
    dtype = op.inputs[0].dtype.base_dtype
    if start is None or limit is None or delta is None:
        return [(dtype, unknown_shape(1))]
    if delta == 0:
        raise ValueError("Requires delta != 0")
    n = builtins.max(0, int(np.ceil((limit - start) / delta)))
    return [(dtype, TensorShape([n]))]


def _range_kernel(start, limit, delta):
    if delta == 0:
        raise invalid_argument("Requires delta != 0")
    return np.arange(start, limit, delta, dtype=start.dtype)


register("Range", _range_infer, pure(_range_kernel), input_names=("start", "limit", "delta"))
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
        else:
            inferred = [v.dtype.base_dtype if isinstance(v, ops.Tensor) else
                        tensor_util.to_numpy(v).dtype for v in values]
            order = [dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64]
            dtype = builtins.max((dtypes.as_dtype(d) for d in inferred), key=order.index)
        tensors = [math_ops.cast(convert_to_tensor(v, name=n) if not isinstance(v, ops.Tensor) else v, dtype)
                   for v, n in zip(values, names)]
        return apply_op_1("Range", tensors, {"Tidx": dtype}, scope)


# -- joining and splitting --------------------------------------------------------------------------------------

def _concat_infer(op):
    values, axis_t = op.inputs[:-1], op.inputs[-1]
    dtype = values[0].dtype.base_dtype
    for v in values:
        if v.dtype.base_dtype != dtype:
            raise TypeError("ConcatV2 inputs must all have the same dtype")
    axis = _static(axis_t)
    ranks = {v.shape.ndims for v in values if v.shape.ndims is not None}
    if len(ranks) > 1:
        raise ValueError(f"Shape must be rank {min(ranks)} but is rank {max(ranks)}")
    if not ranks:
        return [(dtype, unknown_shape())]
    rank = ranks.pop()
    if axis is None:
        return [(dtype, unknown_shape(rank))]
    a = int(axis)
    if not -rank <= a < rank:
        raise ValueError(f"ConcatOp : Expected concatenating dimensions in the range [{-rank}, {rank}), but got {a}")
    a %= rank
    out = []
    for i in builtins.range(rank):
        dims = [v.shape.as_tuple()[i] if v.shape.ndims is not None else None for v in values]
        if i == a:
            out.append(None if None in dims else sum(dims))
        else:
            known = {d for d in dims if d is not None}
            if len(known) > 1:
                raise ValueError(f"Dimension {i} in both shapes must be equal, but are {sorted(known)[0]} and "
                                 f"{sorted(known)[1]}")
            out.append(known.pop() if known else None)
    return [(dtype, TensorShape(out))]


def _concat_kernel(*args):
    values, axis = args[:-1], int(args[-1])
    try:
        return np.concatenate(values, axis=axis)
    except ValueError as e:
        raise invalid_argument(f"ConcatOp : Dimensions of inputs should match: {e}") from None


register("ConcatV2", _concat_infer, pure(_concat_kernel), input_names=("values", "axis"))


@RegisterGradient("ConcatV2")
def _concat_grad(op, grad):
    values, axis = op.inputs[:-1], op.inputs[-1]
    if len(values) == 1:
        return [grad, None]
    axis_value = _static(axis)
    rank = values[0].shape.ndims
    if axis_value is not None and all(v.shape.is_fully_defined() for v in values):
        a = int(axis_value) % rank
        sizes = [v.shape.as_list()[a] for v in values]
        return split(grad, sizes, axis=a) + [None]
    shapes = [shape(v) for v in values]
    offsets = apply_op("ConcatOffset", [axis] + shapes, {"N": len(values)}).outputs
    return [slice(grad, off, s) for off, s in zip(offsets, shapes)] + [None]


def _concat_offset_infer(op):
    return [(dtypes.int32, t.shape) for t in op.inputs[1:]]


def _concat_offset_kernel(axis, *shapes):
    offsets, running = [], 0
    for s in shapes:
        off = np.zeros_like(s)
        off[int(axis)] = running
        running += s[int(axis)]
        offsets.append(off)
    return tuple(offsets)


register("ConcatOffset", _concat_offset_infer, pure(_concat_offset_kernel), input_names=("concat_dim", "shape"))
no_gradient("ConcatOffset")


def concat(values, axis, name="concat"):
    """``tf.concat``; a single value becomes an Identity, as in TensorFlow."""
    if not isinstance(values, (list, tuple)):
        values = [values]
    if len(values) == 1:
        with ops.name_scope(name) as scope:
            return identity(values[0], name=scope)
    known = [v for v in values if isinstance(v, ops.Tensor)]
    with ops.name_scope(name, "ConcatV2") as scope:  # Python values named values_<i> and axis, as TensorFlow
        tensors = [v if isinstance(v, ops.Tensor) else ops.convert_to_tensor(
            v, name=f"values_{i}", preferred_dtype=known[0].dtype.base_dtype if known else None)
            for i, v in enumerate(values)]
        axis = axis if isinstance(axis, ops.Tensor) else ops.convert_to_tensor(axis, dtypes.int32, name="axis")
        dtype = tensors[0].dtype.base_dtype
        return apply_op_1("ConcatV2", tensors + [axis], {"N": len(tensors), "T": dtype, "Tidx": dtypes.int32},
                          scope)


def _pack_infer(op):
    values = op.inputs
    axis = op.get_attr("axis")
    dtype = values[0].dtype.base_dtype
    merged = values[0].shape
    for v in values[1:]:
        if v.dtype.base_dtype != dtype:
            raise TypeError("Pack inputs must all have the same dtype")
        if not merged.is_compatible_with(v.shape):
            raise ValueError(f"Shapes must be equal rank, but are {merged.ndims} and {v.shape.ndims}"
                             if merged.ndims != v.shape.ndims else
                             f"Shapes {merged} and {v.shape} are incompatible")
        merged = merged.merge_with(v.shape)
    if merged.ndims is None:
        return [(dtype, unknown_shape())]
    dims = list(merged.as_tuple())
    rank = len(dims) + 1
    if not -rank <= axis < rank:
        raise ValueError(f"Argument `axis` = {axis} not in range [{-rank}, {rank})")
    dims.insert(axis % rank, len(values))
    return [(dtype, TensorShape(dims))]


def _pack_kernel(op):
    axis = op.get_attr("axis")
    return lambda *xs: np.stack(xs, axis=axis)


register("Pack", _pack_infer, pure_with_attrs(_pack_kernel), input_names=("values",))


@RegisterGradient("Pack")
def _pack_grad(op, grad):
    return unstack(grad, num=op.get_attr("N"), axis=op.get_attr("axis"))


def stack(values, axis=0, name="stack"):
    """``tf.stack`` (``tf.pack``)."""
    if builtins.all(not isinstance(v, ops.Tensor) and not ops.is_tensor_like(v) for v in values):
        try:
            value = tensor_util.to_numpy(values)
        except (TypeError, ValueError):
            value = None
        if value is not None and value.ndim >= 1:
            if not -value.ndim <= axis < value.ndim:
                raise ValueError(f"Argument `axis` = {axis} not in range [{-value.ndim}, {value.ndim})")
            return constant_op.constant(np.moveaxis(value, 0, axis), name=name)
    if axis == 0 and not builtins.all(isinstance(v, ops.Tensor) for v in values):
        return ops.convert_to_tensor(values, name=name)  # TensorFlow's autopacking: Python parts named <name>/<i>
    tensors = ops.convert_n_to_tensor(values)
    with ops.name_scope(name, "stack", tensors) as scope:
        dtype = tensors[0].dtype.base_dtype
        return apply_op_1("Pack", tensors, {"N": len(tensors), "T": dtype, "axis": axis}, scope)


# -- auto-packing: lists that hold tensors ----------------------------------------------------------------------

def _tensor_dtype_inside(elements):
    """The dtype of the first Tensor in the nested lists ``elements``, or None when they hold none."""
    for element in elements:
        if isinstance(element, ops.Tensor):
            return element.dtype.base_dtype
        if isinstance(element, (list, tuple)):
            inner = _tensor_dtype_inside(element)
            if inner is not None:
                return inner
    return None


def _cast_tensors_inside(elements, dtype):
    return [math_ops.cast(e, dtype) if isinstance(e, ops.Tensor) and e.dtype.base_dtype != dtype
            else _cast_tensors_inside(e, dtype) if isinstance(e, (list, tuple)) else e for e in elements]


def _autopacked(elements, dtype, name):
    """TensorFlow's ``_autopacking_helper``: in name scope ``name``, nested lists holding tensors are packed in
    turn (named by their index); then, when anything was packed, a Pack of the tensors and of Consts (named by
    their index) for the other elements. A list holding no tensor comes back as a list."""
    converted, must_pack = [], False
    with ops.name_scope(name) as scope:
        for i, element in enumerate(elements):
            if isinstance(element, (list, tuple)):
                element = _autopacked(element, dtype, str(i))
            must_pack = must_pack or isinstance(element, ops.Tensor)
            converted.append(element)
        if not must_pack:
            return converted
        tensors = [e if isinstance(e, ops.Tensor) else constant_op.constant(e, dtype=dtype, name=str(i))
                   for i, e in enumerate(converted)]
        return apply_op_1("Pack", tensors, {"N": len(tensors), "T": dtype, "axis": 0}, scope)


def _autopacking_conversion(value, dtype=None, name=None, as_ref=False):
    """Converts a (nested) list or tuple that holds Tensors into a Pack of them, as TensorFlow does (a Python
    ``[tf.shape(x)[0], -1]`` becomes a shape tensor); NotImplemented for lists of plain values."""
    inferred = _tensor_dtype_inside(value)
    if inferred is None:
        return NotImplemented
    if dtype is None:
        dtype = inferred
    elif dtype != inferred:
        value = _cast_tensors_inside(value, dtype)
    return _autopacked(value, dtype, name or "packed")


ops.register_tensor_conversion_function((list, tuple), _autopacking_conversion, 99)  # before constants (111)


def _unpack_infer(op):
    x = op.inputs[0]
    num, axis = op.get_attr("num"), op.get_attr("axis")
    if x.shape.ndims is None:
        return [(x.dtype.base_dtype, unknown_shape())] * num
    dims = list(x.shape.as_tuple())
    del dims[axis % len(dims)]
    return [(x.dtype.base_dtype, TensorShape(dims))] * num


def _unpack_kernel(op):
    axis = op.get_attr("axis")
    return lambda x: tuple(np.moveaxis(x, axis, 0))


register("Unpack", _unpack_infer, pure_with_attrs(_unpack_kernel), input_names=("value",))


@RegisterGradient("Unpack")
def _unpack_grad(op, *grads):
    grads = [g if g is not None else zeros_like(t) for g, t in zip(grads, op.outputs)]
    return stack(grads, axis=op.get_attr("axis"))


def unstack(value, num=None, axis=0, name="unstack"):
    x = convert_to_tensor(value)
    if num is None:
        dims = x.shape.as_tuple()
        if dims is None:
            raise ValueError(f"Cannot infer argument `num` from shape {x.shape}")
        num = dims[axis]
        if num is None:
            raise ValueError(f"Cannot infer argument `num` from shape {x.shape}")
    return apply_op("Unpack", [x], {"num": num, "T": x.dtype.base_dtype, "axis": axis}, name).outputs


def _split_v_infer(op):
    x, sizes_t, axis_t = op.inputs
    n = op.get_attr("num_split")
    sizes, axis = _static(sizes_t), _static(axis_t)
    dtype = x.dtype.base_dtype
    if x.shape.ndims is None or axis is None:
        return [(dtype, unknown_shape(x.shape.ndims))] * n
    dims = list(x.shape.as_tuple())
    a = int(axis) % len(dims)
    out = []
    sizes = [int(s) for s in sizes] if sizes is not None else [None] * n
    if -1 in sizes and dims[a] is not None:
        sizes[sizes.index(-1)] = dims[a] - sum(s for s in sizes if s != -1)
    if None not in sizes and dims[a] is not None and sum(sizes) != dims[a]:
        raise ValueError(f"Determined shape must either match input shape along split_dim exactly if fully "
                         f"specified, or be less than the size of the input along split_dim if not fully "
                         f"specified.  Got: {sum(sizes)}")
    for s in sizes:
        d = list(dims)
        d[a] = s
        out.append((dtype, TensorShape(d)))
    return out


def _split_v_kernel(x, sizes, axis):
    a = int(axis)
    sizes = [int(s) for s in sizes]
    if -1 in sizes:
        sizes[sizes.index(-1)] = x.shape[a] - (sum(sizes) + 1)
    return tuple(np.split(x, np.cumsum(sizes)[:-1], axis=a))


register("SplitV", _split_v_infer, pure(_split_v_kernel), input_names=("value", "size_splits", "split_dim"))


def _split_infer(op):
    axis_t, x = op.inputs
    n = op.get_attr("num_split")
    axis = _static(axis_t)
    dtype = x.dtype.base_dtype
    if x.shape.ndims is None or axis is None:
        return [(dtype, unknown_shape(x.shape.ndims))] * n
    dims = list(x.shape.as_tuple())
    a = int(axis) % len(dims)
    if dims[a] is not None:
        if dims[a] % n:
            raise ValueError(f"Dimension size must be evenly divisible by {n} but is {dims[a]}")
        dims[a] //= n
    return [(dtype, TensorShape(dims))] * n


def _split_kernel(op):
    n = op.get_attr("num_split")

    def kernel(axis, x):
        if x.shape[int(axis)] % n:
            raise invalid_argument(f"Number of ways to split should evenly divide the split dimension, but got "
                                   f"split_dim {int(axis)} (size = {x.shape[int(axis)]}) and num_split {n}")
        return tuple(np.split(x, n, axis=int(axis)))
    return kernel


register("Split", _split_infer, pure_with_attrs(_split_kernel), input_names=("split_dim", "value"))


@RegisterGradient("Split")
def _split_grad(op, *grads):
    grads = [g if g is not None else zeros_like(t) for g, t in zip(grads, op.outputs)]
    return None, concat(grads, op.inputs[0])


@RegisterGradient("SplitV")
def _split_v_grad(op, *grads):
    grads = [g if g is not None else zeros_like(t) for g, t in zip(grads, op.outputs)]
    return concat(grads, op.inputs[2]), None, None


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """``tf.split``: into N equal parts (Split) or parts of given sizes (SplitV)."""
    x = convert_to_tensor(value)
    if isinstance(num_or_size_splits, (int, np.integer)):
        return apply_op("Split", [axis, x], {"num_split": int(num_or_size_splits), "T": x.dtype.base_dtype},
                        name).outputs
    sizes = num_or_size_splits
    n = num if num is not None else len(tensor_util.to_numpy(sizes)) if not isinstance(sizes, ops.Tensor) \
        else sizes.shape.as_list()[0]
    return apply_op("SplitV", [x, sizes, axis], {"num_split": n, "T": x.dtype.base_dtype,
                                                 "Tlen": dtypes.int32}, name).outputs


# -- transpose, slicing -----------------------------------------------------------------------------------------

def _transpose_infer(op):
    x, perm_t = op.inputs
    perm = _static(perm_t)
    dtype = x.dtype.base_dtype
    if x.shape.ndims is None or perm is None:
        return [(dtype, unknown_shape(x.shape.ndims))]
    dims = x.shape.as_tuple()
    perm = [int(p) for p in perm]
    if sorted(perm) != list(builtins.range(len(dims))):
        raise ValueError(f"{perm} is not a valid permutation of {len(dims)} dimensions")
    return [(dtype, TensorShape([dims[p] for p in perm]))]


register("Transpose", _transpose_infer, pure(lambda x, perm: np.transpose(x, [int(p) for p in perm])),
         input_names=("x", "perm"))


@RegisterGradient("Transpose")
def _transpose_grad(op, grad):
    perm = op.inputs[1]
    return transpose(grad, apply_op_1("InvertPermutation", [perm], {"T": dtypes.int32})), None


register("InvertPermutation", same_as_input(), pure(lambda p: np.argsort(p).astype(p.dtype)), input_names=("x",))
no_gradient("InvertPermutation")


def transpose(a, perm=None, name="transpose", conjugate=False):
    with ops.name_scope(name, "transpose", [a]) as scope:
        x = convert_to_tensor(a, name="a")
        if perm is None:
            if x.shape.ndims is not None:
                perm = np.arange(x.shape.ndims - 1, -1, -1, dtype=np.int32)
            else:
                r = rank(x)
                perm = math_ops.subtract(math_ops.subtract(r, 1), range(0, r, 1))
        return apply_op_1("Transpose", [x, perm], {"T": x.dtype.base_dtype}, scope, index_attrs={1: "Tperm"})


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    with ops.name_scope(name, values=[a]):
        x = convert_to_tensor(a, name="a")
        nd = x.shape.ndims
        if nd is None:
            raise ValueError("matrix_transpose needs a known rank")
        return transpose(x, list(builtins.range(nd - 2)) + [nd - 1, nd - 2])


def _slice_infer(op):
    x, begin_t, size_t = op.inputs
    begin, sizes = _static(begin_t), _static(size_t)
    dtype = x.dtype.base_dtype
    if x.shape.ndims is None:
        return [(dtype, unknown_shape())]
    if begin is None or sizes is None:  # partly known begin and size (Pack of constants and tensors), as TensorFlow
        begin_partial = tensor_util.constant_value_as_shape(begin_t)
        size_partial = tensor_util.constant_value_as_shape(size_t)
        if begin_partial.ndims is None or size_partial.ndims is None:
            return [(dtype, unknown_shape(x.shape.ndims))]
        out = [(None if d is None or b is None else d - b) if s == -1 else s
               for d, b, s in zip(x.shape.as_list(), begin_partial.as_list(), _partial_sizes(size_t, size_partial))]
        return [(dtype, TensorShape(out))]
    dims = x.shape.as_tuple()
    out = []
    for d, b, s in zip(dims, begin, sizes):
        if s == -1:
            out.append(None if d is None else d - int(b))
        else:
            if d is not None and int(b) + int(s) > d:
                raise ValueError(f"Expected size[i] in [0, {d - int(b)}], but got {int(s)}")
            out.append(int(s))
    return [(dtype, TensorShape(out))]


def _partial_sizes(size_t, size_partial):
    """A Slice's sizes: a constant's values (-1: the rest), else the partial shape's (-1 there is unknown)."""
    value = _static(size_t)
    return [int(v) for v in value] if value is not None else size_partial.as_list()


def _slice_kernel(x, begin, sizes):
    index = []
    for d, b, s in zip(x.shape, begin, sizes):
        b, s = int(b), int(s)
        end = d if s == -1 else b + s
        if b < 0 or end > d:
            raise invalid_argument(f"Expected begin[i] in [0, {d}] and size[i] in [0, {d - b}], but got "
                                   f"{b} and {s}")
        index.append(builtins.slice(b, end))
    return x[tuple(index)]


register("Slice", _slice_infer, pure(_slice_kernel), input_names=("input", "begin", "size"))


@RegisterGradient("Slice")
def _slice_grad(op, grad):
    x, begin = op.inputs[0], op.inputs[1]
    input_rank = rank(x)
    slice_size = shape(op.outputs[0])
    shape_vec = stack([input_rank, 1])
    before_pad = reshape(begin, shape_vec)
    after_pad = reshape(math_ops.subtract(math_ops.subtract(shape(x), slice_size), begin), shape_vec)
    paddings = concat([before_pad, after_pad], 1)
    return pad(grad, paddings), None, None


def slice(input_, begin, size, name=None):  # noqa: A001
    x = convert_to_tensor(input_, name="input")
    return apply_op_1("Slice", [x, begin, size], {"T": x.dtype.base_dtype, "Index": dtypes.int32}, name)


class _StridedSpec:
    """A StridedSlice's begin/end/strides and masks, resolved against a concrete input shape."""

    def __init__(self, op):
        self.masks = {k: op.get_attr(k) for k in ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask",
                                                   "shrink_axis_mask")}

    def index(self, dims, begin, end, strides):
        """The numpy index equivalent to this slice for an input of ``dims`` (ints or None)."""
        m = self.masks
        n = len(begin)
        index = []
        ellipsis_seen = False
        n_real = sum(1 for i in builtins.range(n) if not (m["new_axis_mask"] >> i) & 1 and
                     not (m["ellipsis_mask"] >> i) & 1)
        axis = 0
        for i in builtins.range(n):
            if (m["ellipsis_mask"] >> i) & 1:
                if ellipsis_seen:
                    raise ValueError("Multiple ellipses in slice spec not allowed")
                ellipsis_seen = True
                span = len(dims) - n_real
                for _ in builtins.range(span):
                    index.append(builtins.slice(None))
                    axis += 1
                continue
            if (m["new_axis_mask"] >> i) & 1:
                index.append(None)
                continue
            if axis >= len(dims):
                raise ValueError(f"Index out of range using input dim {axis}; input has only {len(dims)} dims")
            stride = int(strides[i])
            if stride == 0:
                raise ValueError("strides[{}] must be non-zero".format(i))
            if (m["shrink_axis_mask"] >> i) & 1:
                b = int(begin[i])
                d = dims[axis]
                if d is not None and not -d <= b < d:
                    raise IndexError(f"slice index {b} of dimension {axis} out of bounds.")
                index.append(b)
            else:
                b = None if (m["begin_mask"] >> i) & 1 else int(begin[i])
                e = None if (m["end_mask"] >> i) & 1 else int(end[i])
                index.append(builtins.slice(b, e, stride))
            axis += 1
        while axis < len(dims):
            index.append(builtins.slice(None))
            axis += 1
        return tuple(index)


def _strided_slice_infer(op):
    x, begin_t, end_t, strides_t = op.inputs
    begin, end, strides = _static(begin_t), _static(end_t), _static(strides_t)
    dtype = x.dtype.base_dtype
    if x.shape.ndims is None or begin is None or end is None or strides is None:
        return [(dtype, unknown_shape())]
    dims = x.shape.as_tuple()
    spec = _StridedSpec(op)
    index = spec.index(dims, begin, end, strides)
    out = []
    axis = 0
    for item in index:
        if item is None:
            out.append(1)
            continue
        d = dims[axis]
        axis += 1
        if isinstance(item, int):
            continue
        out.append(None if d is None else len(builtins.range(*item.indices(d))))
    return [(dtype, TensorShape(out))]


def _strided_slice_kernel(op):
    spec = _StridedSpec(op)

    def kernel(x, begin, end, strides):
        try:
            return x[spec.index(x.shape, begin, end, strides)]
        except IndexError as e:
            raise invalid_argument(str(e)) from None
    return kernel


register("StridedSlice", _strided_slice_infer, pure_with_attrs(_strided_slice_kernel),
         input_names=("input", "begin", "end", "strides"))


def _strided_slice_grad_kernel(op):
    spec = _StridedSpec(op)

    def kernel(shape_value, begin, end, strides, dy):
        out = np.zeros([int(d) for d in shape_value], dtype=dy.dtype)
        out[spec.index(out.shape, begin, end, strides)] = dy
        return out
    return kernel


def _strided_slice_grad_infer(op):
    return [(op.inputs[4].dtype.base_dtype, tensor_util.constant_value_as_shape(op.inputs[0]))]


register("StridedSliceGrad", _strided_slice_grad_infer, pure_with_attrs(_strided_slice_grad_kernel),
         input_names=("shape", "begin", "end", "strides", "dy"))


_STRIDED_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")


@RegisterGradient("StridedSlice")
def _strided_slice_grad(op, grad):
    x = op.inputs[0]
    begin, end, strides = op.inputs[1:]
    x_shape = shape(x)
    attrs = {k: op.get_attr(k) for k in _STRIDED_MASKS}
    attrs.update({"T": grad.dtype.base_dtype, "Index": dtypes.int32})
    return apply_op_1("StridedSliceGrad", [x_shape, begin, end, strides, grad], attrs), None, None, None


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0, new_axis_mask=0,
                  shrink_axis_mask=0, var=None, name=None):
    if strides is None:
        strides = [1] * len(begin)
    x = convert_to_tensor(input_, name="input")
    attrs = {"begin_mask": begin_mask, "end_mask": end_mask, "ellipsis_mask": ellipsis_mask,
             "new_axis_mask": new_axis_mask, "shrink_axis_mask": shrink_axis_mask,
             "T": x.dtype.base_dtype, "Index": dtypes.int32}
    return apply_op_1("StridedSlice", [x, begin, end, strides], attrs, name)


def _slice_helper(tensor, slice_spec, var=None):
    """``tensor[...]``: Python indexing turned into one StridedSlice, as TensorFlow does."""
    if not isinstance(slice_spec, (list, tuple)):
        slice_spec = [slice_spec]
    begin, end, strides = [], [], []
    begin_mask = end_mask = ellipsis_mask = new_axis_mask = shrink_axis_mask = 0
    for index, s in enumerate(slice_spec):
        if isinstance(s, builtins.slice):
            for value in (s.start, s.stop, s.step):
                if value is not None and not isinstance(value, (int, np.integer, ops.Tensor)):
                    raise TypeError("slice indices must be integers or None or have an __index__ method")
            begin.append(0 if s.start is None else s.start)
            end.append(0 if s.stop is None else s.stop)
            strides.append(1 if s.step is None else s.step)
            if s.start is None:
                begin_mask |= 1 << index
            if s.stop is None:
                end_mask |= 1 << index
        elif s is Ellipsis:
            begin.append(0)
            end.append(0)
            strides.append(1)
            ellipsis_mask |= 1 << index
        elif s is None:
            begin.append(0)
            end.append(0)
            strides.append(1)
            new_axis_mask |= 1 << index
        else:
            if isinstance(s, ops.Tensor):
                if s.dtype not in (dtypes.int32, dtypes.int64):
                    raise TypeError("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and "
                                    "scalar tf.int32/tf.int64 tensors are valid indices, got "
                                    f"{s!r}")
            elif not isinstance(s, (int, np.integer)):
                raise TypeError("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
                                f"tf.int32/tf.int64 tensors are valid indices, got {s!r}")
            begin.append(s)
            end.append(s + 1)
            strides.append(1)
            shrink_axis_mask |= 1 << index
    with ops.name_scope(None, "strided_slice", [tensor] + begin + end + strides) as name:
        if begin:
            packed_begin, packed_end, packed_strides = stack(begin), stack(end), stack(strides)
        else:
            packed_begin = packed_end = packed_strides = np.zeros([0], dtype=np.int32)
        return strided_slice(tensor, packed_begin, packed_end, packed_strides, begin_mask=begin_mask,
                             end_mask=end_mask, shrink_axis_mask=shrink_axis_mask,
                             new_axis_mask=new_axis_mask, ellipsis_mask=ellipsis_mask, var=var, name=name)


ops.Tensor.__getitem__ = _slice_helper


# -- gather, tile, pad, where, one_hot, broadcast -----------------------------------------------------------------

def _gather_infer(op):
    params, indices, axis_t = op.inputs
    axis = _static(axis_t)
    dtype = params.dtype.base_dtype
    if params.shape.ndims is None or indices.shape.ndims is None or axis is None:
        return [(dtype, unknown_shape())]
    a = int(axis) % builtins.max(params.shape.ndims, 1)
    dims = params.shape.as_tuple()
    return [(dtype, TensorShape(dims[:a] + indices.shape.as_tuple() + dims[a + 1:]))]


def _gather_kernel(params, indices, axis):
    a = int(axis)
    n = params.shape[a]
    if indices.size and (indices.min() < 0 or indices.max() >= n):
        bad = indices[(indices < 0) | (indices >= n)].reshape(-1)[0]
        raise invalid_argument(f"indices = {bad} is not in [0, {n})")
    return np.take(params, indices, axis=a)


register("GatherV2", _gather_infer, pure(_gather_kernel), input_names=("params", "indices", "axis"),
         attr_defaults={"batch_dims": 0})


@RegisterGradient("GatherV2")
def _gather_grad(op, grad):
    """IndexedSlices: the gradient's rows at the gathered indices, as TensorFlow's _GatherV2Grad (axis 0)."""
    from minitf.framework.indexed_slices import IndexedSlices
    params, indices, axis = op.inputs
    axis_value = _static(axis)
    if axis_value is None or int(axis_value) != 0:
        raise NotImplementedError("minitf differentiates tf.gather only along axis 0")
    params_shape = shape(params)
    indices_size = expand_dims(size(indices), 0)
    values_shape = concat([indices_size, params_shape[1:]], 0)
    values = reshape(grad, values_shape)
    return IndexedSlices(values, reshape(indices, indices_size), params_shape), None, None


def gather(params, indices, validate_indices=None, name=None, axis=None, batch_dims=0):
    with ops.name_scope(name, "GatherV2", [params, indices]) as scope:
        p = convert_to_tensor(params, name="params")
        if hasattr(params, "_as_graph_element") and not isinstance(params, ops.Tensor):
            p = params.value()
        i = convert_to_tensor(indices, name="indices")
        axis = 0 if axis is None else axis
        return apply_op_1("GatherV2", [p, i, axis], {"batch_dims": batch_dims, "Tparams": p.dtype.base_dtype,
                                                      "Tindices": i.dtype.base_dtype, "Taxis": dtypes.int32},
                          scope)


def _unsorted_segment_sum_infer(op):
    data, ids, n_t = op.inputs
    n = _static(n_t)
    dtype = data.dtype.base_dtype
    if data.shape.ndims is None or ids.shape.ndims is None:
        return [(dtype, unknown_shape())]
    rest = data.shape.as_tuple()[ids.shape.ndims:]
    return [(dtype, TensorShape([None if n is None else int(n)] + list(rest)))]


def _unsorted_segment_sum(data, ids, n):
    n = int(n)
    out = np.zeros((n,) + data.shape[ids.ndim:], dtype=data.dtype)
    flat_ids = ids.reshape(-1)
    if flat_ids.size and (flat_ids.max() >= n):
        raise invalid_argument(f"segment_ids[{int(np.argmax(flat_ids >= n))}] = {int(flat_ids.max())} is out of "
                               f"range [0, {n})")
    keep = flat_ids >= 0
    np.add.at(out, flat_ids[keep], data.reshape((-1,) + data.shape[ids.ndim:])[keep])
    return out


register("UnsortedSegmentSum", _unsorted_segment_sum_infer, pure(_unsorted_segment_sum),
         input_names=("data", "segment_ids", "num_segments"))


@RegisterGradient("UnsortedSegmentSum")
def _unsorted_segment_sum_grad(op, grad):
    return gather(grad, op.inputs[1]), None, None


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    d = convert_to_tensor(data, name="data")
    ids = convert_to_tensor(segment_ids, name="segment_ids")
    return apply_op_1("UnsortedSegmentSum", [d, ids, num_segments],
                      {"T": d.dtype.base_dtype, "Tindices": ids.dtype.base_dtype, "Tnumsegments": dtypes.int32},
                      name)


def _dynamic_stitch_infer(op):
    n = op.get_attr("N")
    data = op.inputs[n:]
    return [(data[0].dtype.base_dtype, unknown_shape())]


def _dynamic_stitch(*args):
    n = len(args) // 2
    indices, data = args[:n], args[n:]
    size = builtins.max((int(i.max()) + 1 for i in indices if i.size), default=0)
    first = data[0]
    out = np.zeros((size,) + first.shape[indices[0].ndim:], dtype=first.dtype)
    for i, d in zip(indices, data):
        out[i.reshape(-1)] = d.reshape((-1,) + out.shape[1:])
    return out


register("DynamicStitch", _dynamic_stitch_infer, pure(_dynamic_stitch), input_names=("indices", "data"))


def dynamic_stitch(indices, data, name=None):
    indices = ops.convert_n_to_tensor(indices)
    data = ops.convert_n_to_tensor(data)
    return apply_op_1("DynamicStitch", indices + data, {"N": len(indices), "T": data[0].dtype.base_dtype}, name)


def _tile_infer(op):
    x, multiples_t = op.inputs
    multiples = _static(multiples_t)
    dtype = x.dtype.base_dtype
    if x.shape.ndims is None:
        return [(dtype, unknown_shape())]
    if multiples is None:
        return [(dtype, unknown_shape(x.shape.ndims))]
    if len(multiples) != x.shape.ndims:
        raise ValueError(f"Shape must be rank {x.shape.ndims} but is rank {len(multiples)}")
    return [(dtype, TensorShape([None if d is None else d * int(m)
                                 for d, m in zip(x.shape.as_tuple(), multiples)]))]


register("Tile", _tile_infer, pure(lambda x, m: np.tile(x, [int(v) for v in m])), input_names=("input", "multiples"))


@RegisterGradient("Tile")
def _tile_grad(op, grad):
    input_shape = shape(op.inputs[0])
    split_shape = reshape(transpose(stack([op.inputs[1], input_shape])), [-1])
    axes = range(0, size(split_shape), 2)
    input_grad = math_ops.reduce_sum(reshape(grad, split_shape), axes)
    return input_grad, None


def tile(input, multiples, name=None):  # noqa: A002
    x = convert_to_tensor(input, name="input")
    return apply_op_1("Tile", [x, multiples], {"T": x.dtype.base_dtype}, name, index_attrs={1: "Tmultiples"})


def _pad_infer(op):
    x, paddings_t = op.inputs[:2]
    paddings = _static(paddings_t)
    dtype = x.dtype.base_dtype
    if x.shape.ndims is None or paddings is None:
        return [(dtype, unknown_shape(x.shape.ndims))]
    paddings = np.asarray(paddings)
    if paddings.shape != (x.shape.ndims, 2):
        raise ValueError(f"The first dimension of paddings must be the rank of inputs{paddings.shape}, "
                         f"{x.shape}")
    return [(dtype, TensorShape([None if d is None else d + int(a) + int(b)
                                 for d, (a, b) in zip(x.shape.as_tuple(), paddings)]))]


def _pad_kernel(x, paddings, constant_values=None):
    value = 0 if constant_values is None else constant_values
    return np.pad(x, [(int(a), int(b)) for a, b in paddings], mode="constant", constant_values=value)


def _mirror_pad_kernel(op):
    mode = op.get_attr("mode")
    mode = mode.decode() if isinstance(mode, bytes) else mode
    np_mode = {"REFLECT": "reflect", "SYMMETRIC": "symmetric"}[mode.upper()]
    return lambda x, paddings: np.pad(x, [(int(a), int(b)) for a, b in paddings], mode=np_mode)


register("Pad", _pad_infer, pure(_pad_kernel), input_names=("input", "paddings"))
register("PadV2", _pad_infer, pure(_pad_kernel), input_names=("input", "paddings", "constant_values"))
register("MirrorPad", _pad_infer, pure_with_attrs(_mirror_pad_kernel), input_names=("input", "paddings"))


@RegisterGradient("Pad")
@RegisterGradient("PadV2")
def _pad_grad(op, grad):
    x, a = op.inputs[0], op.inputs[1]
    pad_before = slice(a, [0, 0], stack([rank(x), 1]))
    begin = reshape(pad_before, [-1])
    sizes = shape(x)
    x_grad = slice(grad, begin, sizes)
    return (x_grad, None) if len(op.inputs) == 2 else (x_grad, None, None)


def pad(tensor, paddings, mode="CONSTANT", name=None, constant_values=0):
    x = convert_to_tensor(tensor, name="input")
    mode = mode.upper()
    attrs = {"T": x.dtype.base_dtype, "Tpaddings": dtypes.int32}
    if mode == "CONSTANT":
        if not isinstance(constant_values, ops.Tensor) and np.all(np.asarray(constant_values) == 0):
            return apply_op_1("Pad", [x, paddings], attrs, name)
        value = convert_to_tensor(constant_values, dtype=x.dtype.base_dtype)
        return apply_op_1("PadV2", [x, paddings, value], attrs, name)
    if mode not in ("REFLECT", "SYMMETRIC"):
        raise ValueError(f"Value of argument `mode` expected to be one of \"CONSTANT\", \"REFLECT\", or "
                         f"\"SYMMETRIC\". Received `mode` = {mode}")
    attrs["mode"] = mode.encode()
    return apply_op_1("MirrorPad", [x, paddings], attrs, name)


def _select_v2_infer(op):
    cond, x, y = op.inputs
    if x.dtype.base_dtype != y.dtype.base_dtype:
        raise TypeError(f"Input 'e' of 'SelectV2' Op has type {y.dtype.name} that does not match type "
                        f"{x.dtype.name} of argument 't'.")
    shape_ = broadcast_shapes(broadcast_shapes(cond.shape, x.shape), y.shape)
    return [(x.dtype.base_dtype, shape_)]


def _select_infer(op):
    cond, x, y = op.inputs
    if x.dtype.base_dtype != y.dtype.base_dtype:
        raise TypeError(f"Input 'e' of 'Select' Op has type {y.dtype.name} that does not match type "
                        f"{x.dtype.name} of argument 't'.")
    merged = x.shape.merge_with(y.shape)
    return [(x.dtype.base_dtype, merged)]


def _select_kernel(cond, x, y):
    if cond.ndim == 1 and x.ndim > 1:
        cond = cond.reshape((-1,) + (1,) * (x.ndim - 1))
    return np.where(cond, x, y)


register("Select", _select_infer, pure(_select_kernel), input_names=("condition", "t", "e"))
register("SelectV2", _select_v2_infer, pure(np.where), input_names=("condition", "t", "e"))


@RegisterGradient("Select")
def _select_grad(op, grad):
    c = op.inputs[0]
    zeros = zeros_like(op.inputs[1])
    return None, where(c, grad, zeros), where(c, zeros, grad)


@RegisterGradient("SelectV2")
def _select_v2_grad(op, grad):
    c, x, y = op.inputs
    zeros = zeros_like(grad)
    gx = apply_op_1("SelectV2", [c, grad, zeros], {"T": grad.dtype.base_dtype})
    gy = apply_op_1("SelectV2", [c, zeros, grad], {"T": grad.dtype.base_dtype})
    gx, gy = math_ops._reduce_gradient_args(x, y, gx, gy)
    return None, gx, gy


def _where_infer(op):
    x = op.inputs[0]
    return [(dtypes.int64, TensorShape([None, x.shape.ndims]))]


register("Where", _where_infer, pure(lambda x: np.argwhere(x).astype(np.int64)), input_names=("input",))
no_gradient("Where")


def where(condition, x=None, y=None, name=None):
    """``tf.where`` (TF1): Select for two operands, or the coordinates of true elements."""
    cond = convert_to_tensor(condition, dtype=dtypes.bool, name="condition")
    if x is None and y is None:
        return apply_op_1("Where", [cond], {"T": dtypes.bool}, name)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    with ops.name_scope(name, "Select", [cond, x, y]) as scope:
        x, y = math_ops._promote_pair(x, y, name_y="e")
        return apply_op_1("Select", [cond, x, y], {"T": x.dtype.base_dtype}, scope)


def where_v2(condition, x=None, y=None, name=None):
    cond = convert_to_tensor(condition, dtype=dtypes.bool, name="condition")
    if x is None and y is None:
        return apply_op_1("Where", [cond], {"T": dtypes.bool}, name)
    with ops.name_scope(name, "SelectV2", [cond, x, y]) as scope:
        x, y = math_ops._promote_pair(x, y, name_y="e")
        return apply_op_1("SelectV2", [cond, x, y], {"T": x.dtype.base_dtype}, scope)


def _one_hot_infer(op):
    indices, depth_t, on, off = op.inputs
    depth = _static(depth_t)
    axis = op.get_attr("axis")
    if indices.shape.ndims is None:
        return [(on.dtype.base_dtype, unknown_shape())]
    dims = list(indices.shape.as_tuple())
    dims.insert(len(dims) if axis == -1 else axis, None if depth is None else int(depth))
    return [(on.dtype.base_dtype, TensorShape(dims))]


def _one_hot_kernel(op):
    axis = op.get_attr("axis")

    def kernel(indices, depth, on, off):
        depth = int(depth)
        hot = indices[..., None] == np.arange(depth)
        out = np.where(hot, on, off).astype(on.dtype)
        return out if axis == -1 else np.moveaxis(out, -1, axis)
    return kernel


register("OneHot", _one_hot_infer, pure_with_attrs(_one_hot_kernel),
         input_names=("indices", "depth", "on_value", "off_value"))
no_gradient("OneHot")


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    with ops.name_scope(name, "one_hot", [indices, depth, on_value, off_value]) as scope:
        if dtype is None:
            dtype = on_value.dtype if isinstance(on_value, ops.Tensor) else \
                off_value.dtype if isinstance(off_value, ops.Tensor) else dtypes.float32
        dtype = dtypes.as_dtype(dtype)
        on = convert_to_tensor(1 if on_value is None else on_value, dtype=dtype, name="on_value")
        off = convert_to_tensor(0 if off_value is None else off_value, dtype=dtype, name="off_value")
        idx = convert_to_tensor(indices, name="indices")
        return apply_op_1("OneHot", [idx, depth, on, off], {"axis": -1 if axis is None else axis, "T": dtype,
                                                            "TI": idx.dtype.base_dtype}, scope)


def _broadcast_to_infer(op):
    x, shape_t = op.inputs
    target = tensor_util.constant_value_as_shape(shape_t)
    return [(x.dtype.base_dtype, target)]


register("BroadcastTo", _broadcast_to_infer, pure(lambda x, s: np.broadcast_to(x, [int(d) for d in s]).copy()),
         input_names=("input", "shape"))


@RegisterGradient("BroadcastTo")
def _broadcast_to_grad(op, grad):
    input_shape = shape(op.inputs[0])
    rx, _ = apply_op("BroadcastGradientArgs", [input_shape, shape(op.outputs[0])], {"T": dtypes.int32}).outputs
    return reshape(math_ops.reduce_sum(grad, rx, keepdims=True), input_shape), None


def broadcast_to(input, shape, name=None):  # noqa: A002
    x = convert_to_tensor(input, name="input")
    return apply_op_1("BroadcastTo", [x, shape], {"T": x.dtype.base_dtype}, name, index_attrs={1: "Tidx"})


def _broadcast_gradient_args(sx, sy):
    n = builtins.max(len(sx), len(sy))
    px = [1] * (n - len(sx)) + [int(d) for d in sx]
    py = [1] * (n - len(sy)) + [int(d) for d in sy]
    rx, ry = [], []
    for i, (a, b) in enumerate(zip(px, py)):
        if a != b and a != 1 and b != 1:
            raise invalid_argument(f"Incompatible shapes: {list(sx)} vs. {list(sy)}")
        if a == 1 and b != 1:
            rx.append(i)
        elif b == 1 and a != 1:
            ry.append(i)
        elif a == 1 and b == 1:
            rx.append(i)
            ry.append(i)
    return np.array(rx, dtype=sx.dtype), np.array(ry, dtype=sx.dtype)


register("BroadcastGradientArgs", lambda op: [(dtypes.int32, unknown_shape(1))] * 2,
         pure(_broadcast_gradient_args), input_names=("s0", "s1"))
no_gradient("BroadcastGradientArgs")


def _check_numerics_kernel(op):
    message = op.get_attr("message")

    def kernel(x):
        if not np.all(np.isfinite(x)):
            kind = "NaN" if np.any(np.isnan(x)) else "Inf"
            raise invalid_argument(f"{message} : Tensor had {kind} values")
        return x
    return kernel


register("CheckNumerics", same_as_input(), pure_with_attrs(_check_numerics_kernel), stateful=True,  # as in TF
         input_names=("tensor",))
RegisterGradient("CheckNumerics")(lambda op, grad: grad)


def check_numerics(tensor, message, name=None):
    x = convert_to_tensor(tensor)
    return apply_op_1("CheckNumerics", [x], {"T": x.dtype.base_dtype, "message": message}, name)


def boolean_mask(tensor, mask, name="boolean_mask", axis=None):
    with ops.name_scope(name, values=[tensor, mask]):
        x = convert_to_tensor(tensor, name="tensor")
        m = convert_to_tensor(mask, name="mask")
        nd = m.shape.ndims
        flat = reshape(x, concat([[-1], shape(x)[nd:]], 0)) if nd and nd > 1 else x
        indices = squeeze(where(reshape(m, [-1]) if nd and nd > 1 else m), axis=[1])
        return gather(flat, indices)


newaxis = None
