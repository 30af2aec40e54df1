"""Identity, placeholders, shapes and reshaping: the array ops every other family builds on."""

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape, tensor_util
from minitf.framework.op_def_lib import (apply_op, apply_op_1, invalid_argument, no_gradient, pure,
                                         pure_with_attrs, register)
from minitf.ops import constant_op


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


def _input_static_value(op):
    return tensor_util.constant_value(op.inputs[0])


register("Identity", _identity_infer, pure(_identity), input_names=("input",), forwards_input=True,
         static_value=_input_static_value)
register("StopGradient", _identity_infer, pure(_identity), input_names=("input",), static_value=_input_static_value)
register("Snapshot", _identity_infer, pure(np.copy), input_names=("input",))
no_gradient("StopGradient")


def _identity_n_infer(op):
    return [(t.dtype.base_dtype, t.shape) for t in op.inputs]


register("IdentityN", _identity_n_infer, pure(lambda *xs: xs[0] if len(xs) == 1 else xs), input_names=("input",))
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
def placeholder(dtype, shape=None, name=None):
    """``tf.placeholder``: a value that must be fed with ``feed_dict``."""
    shape = tensor_shape.as_shape(shape) if shape is not None else unknown_shape()
    return ops.get_default_graph().create_op(
        "Placeholder", [], {"dtype": dtypes.as_dtype(dtype), "shape": shape}, name or "Placeholder")._outputs[0]


def placeholder_with_default(input, shape, name=None):  # noqa: A002
    """``tf.placeholder_with_default``; a Python ``input`` becomes ``PlaceholderWithDefault/input``."""
    graph = ops._graph_of([input]) or ops.get_default_graph()
    with graph.as_default(), graph.name_scope(name or "PlaceholderWithDefault") as scope:
        x = convert_to_tensor(input, name="input")
        shape = tensor_shape.as_shape(shape)
        if not shape.is_compatible_with(x.shape):
            raise ValueError(f"Shapes {shape} and {x.shape} are incompatible")
        return apply_op_1("PlaceholderWithDefault", [x], {"dtype": x.dtype.base_dtype, "shape": shape}, scope)


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


def _shape_static_value(op):
    shape = op.inputs[0].shape
    if shape.is_fully_defined():
        return np.array(shape.as_list(), dtype=op.get_attr("out_type").as_numpy_dtype)
    return None


def _shape_full_type(op, node):
    """The ``experimental_type`` TensorFlow's type constructor gives a Shape node (the only one among minitf's ops)."""
    from minitf.proto import full_type_pb2
    element = {dtypes.int32: full_type_pb2.TFT_INT32, dtypes.int64: full_type_pb2.TFT_INT64}
    shape_tensor = node.experimental_type.args.add(type_id=full_type_pb2.TFT_SHAPE_TENSOR)
    shape_tensor.args.add(type_id=element[op._attrs.get("out_type", dtypes.int32)])
    node.experimental_type.type_id = full_type_pb2.TFT_PRODUCT


register("Shape", _shape_infer, pure_with_attrs(_shape_kernel), input_names=("input",),
         static_value=_shape_static_value, static_shape=lambda op: op.inputs[0].shape, full_type=_shape_full_type)
def _size_static_value(op):
    shape = op.inputs[0].shape
    if not shape.is_fully_defined():
        return None
    return np.array(shape.num_elements(), dtype=op.get_attr("out_type").as_numpy_dtype)


register("Size", lambda op: [(op.get_attr("out_type"), TensorShape([]))],
         pure_with_attrs(lambda op: lambda x: np.array(x.size, dtype=op.get_attr("out_type").as_numpy_dtype)),
         input_names=("input",), static_value=_size_static_value)
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


def shape_internal(input, name=None, optimize=True, out_type=None):  # noqa: A002
    """TensorFlow's ``array_ops.shape_internal``: with ``optimize`` a fully known shape is a Const, named
    ``Shape/shape_as_tensor`` when ``out_type`` is None (TensorShape's conversion); else a Shape op (int32)."""
    with ops.name_scope(name, "Shape", [input]) as scope:
        x = convert_to_tensor(input)
        if optimize and x.shape.is_fully_defined():
            if out_type is None:
                dims = x.shape.as_list()
                dtype = dtypes.int64 if any(d >= 2 ** 31 for d in dims) else dtypes.int32
                return constant_op.constant(dims, dtype=dtype, name="shape_as_tensor")
            return constant_op.constant(x.shape.as_list(), dtype=dtypes.as_dtype(out_type), name=scope)
        out_type = dtypes.int32 if out_type is None else dtypes.as_dtype(out_type)
        return apply_op_1("Shape", [x], {"T": x.dtype.base_dtype, "out_type": out_type}, scope)


def size(input, name=None, out_type=dtypes.int32):  # noqa: A002
    with ops.name_scope(name, "Size", [input]) as scope:
        x = convert_to_tensor(input)
        out_type = dtypes.as_dtype(out_type)
        if x.shape.is_fully_defined():
            return constant_op.constant(x.shape.num_elements(), dtype=out_type, name=scope)
        return apply_op_1("Size", [x], {"T": x.dtype.base_dtype, "out_type": out_type}, scope)


def elements_of(shape):
    """The product of a 1-D shape tensor's entries: how many elements those dimensions hold (TensorFlow's
    ``gen_math_ops.prod(shape, [0])``, a Prod node)."""
    return apply_op_1("Prod", [shape, [0]], {"keep_dims": False, "T": shape.dtype.base_dtype, "Tidx": dtypes.int32})


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


def _expand_dims_static_value(op):
    value, axis = (tensor_util.constant_value(t) for t in op.inputs)
    return None if value is None or axis is None else np.expand_dims(value, int(np.asarray(axis).reshape(-1)[0]))


register("ExpandDims", _expand_dims_infer, pure(lambda x, axis: np.expand_dims(x, int(np.asarray(axis).reshape(-1)[0]))),
         input_names=("input", "dim"), static_value=_expand_dims_static_value)


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


def squeeze(input, axis=None, name=None, squeeze_dims=None):  # noqa: A002
    axis = squeeze_dims if axis is None else axis
    if isinstance(axis, int):
        axis = [axis]
    x = convert_to_tensor(input, name="input")
    return apply_op_1("Squeeze", [x], {"T": x.dtype.base_dtype, "squeeze_dims": list(axis or [])}, name)
