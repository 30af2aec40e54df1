"""Joining and splitting: concat, stack and unstack, split, and the auto-packing of lists that hold tensors."""

import builtins

import numpy as np

from minitf.framework import dtypes, ops, tensor_util
from minitf.framework.op_def_lib import apply_op, apply_op_1, invalid_argument, no_gradient, pure, pure_with_attrs, register
from minitf.ops import constant_op, cwise_ops
from minitf.ops.shape_ops import TensorShape, _static, convert_to_tensor, identity, unknown_shape


# -- joining and splitting ----------------------------------------------------------------------------------------

def _concat_infer(op):
    values, axis_t = op.inputs[:-1], op.inputs[-1]
    dtype = values[0].dtype.base_dtype
    for v in values:
        if v.dtype.base_dtype != dtype:
            raise TypeError("ConcatV2 inputs must all have the same dtype")
    axis = tensor_util.evaluate_constant(axis_t)  # TensorFlow's shape function evaluates a constant subgraph
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


def _concat_static_value(op):
    parts = [tensor_util.constant_value(t) for t in op.inputs]
    if any(p is None for p in parts):
        return None
    return np.concatenate(parts[:-1], axis=int(parts[-1]))


def _concat_static_shape(op):
    """The shape a concatenation of 1-D shape tensors describes: each part's partial shape, joined."""
    result = TensorShape([])
    for part in op.inputs[:-1]:
        result = result.concatenate(tensor_util.constant_value_as_shape(part))
    return result


register("ConcatV2", _concat_infer, pure(_concat_kernel), input_names=("values", "axis"),
         static_value=_concat_static_value, static_shape=_concat_static_shape)


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
        return apply_op_1("ConcatV2", tensors + [axis], {"N": len(tensors), "T": dtype,
                                                         "Tidx": axis.dtype.base_dtype}, scope)


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


def _pack_static_value(op):
    parts = [tensor_util.constant_value(t) for t in op.inputs]
    if any(p is None for p in parts):
        return None
    return np.stack(parts, axis=op.get_attr("axis"))


def _pack_static_shape(op):
    """The shape a packed list of scalars describes: ``[tf.shape(x)[0], 3]`` is ``[?, 3]``."""
    dims = []
    for t in op.inputs:
        v = tensor_util.constant_value(t)
        if v is None and t.op._op_def.static_shape is not None and t.shape.ndims == 0:
            described = t.op._op_def.static_shape(t.op)  # one dimension of a partly known shape: shape(x)[1]
            v = described.as_list()[0] if described is not None and described.ndims == 1 else None
        dims.append(None if v is None or int(v) < 0 else int(v))
    return TensorShape(dims)


register("Pack", _pack_infer, pure_with_attrs(_pack_kernel), input_names=("values",),
         static_value=_pack_static_value, static_shape=_pack_static_shape)


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


# -- auto-packing: lists that hold tensors ------------------------------------------------------------------------

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
    return [cwise_ops.cast(e, dtype) if isinstance(e, ops.Tensor) and e.dtype.base_dtype != dtype
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
    return lambda x: _outputs(list(np.moveaxis(x, axis, 0)))


register("Unpack", _unpack_infer, pure_with_attrs(_unpack_kernel), input_names=("value",))


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


def _iterate(tensor):
    """``iter(tensor)`` (``for row in x``, ``a, b = x``): the outputs of one Unpack along the first dimension."""
    dims = tensor.shape.as_tuple()
    if dims is None or not dims or dims[0] is None:
        raise TypeError("Iterating over a symbolic `tf.Tensor` is not allowed: the first dimension of "
                        f"{tensor.name} is not known.")
    return iter(unstack(tensor, num=dims[0]))


ops.Tensor.__iter__ = _iterate


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
    if not -x.ndim <= a < x.ndim:
        return _outputs(np.split(x, np.cumsum(sizes)[:-1], axis=a))  # numpy's axis error
    lead = (slice(None),) * (a % x.ndim)
    parts, start = [], 0
    for size in sizes[:-1]:  # the views np.split makes, without its overhead
        parts.append(x[lead + (slice(start, start + size),)])
        start += size
    parts.append(x[lead + (slice(start, None),)])
    return _outputs(parts)


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
        axis = int(axis)
        if x.shape[axis] % n:
            raise invalid_argument(f"Number of ways to split should evenly divide the split dimension, but got "
                                   f"split_dim {axis} (size = {x.shape[axis]}) and num_split {n}")
        step, lead = x.shape[axis] // n, (slice(None),) * (axis % x.ndim)  # views, as np.split's, without its checks
        return _outputs([x[lead + (slice(i * step, (i + 1) * step),)] for i in range(n)])
    return kernel


def _outputs(parts):
    """A split's kernel result: its one output itself, or the tuple of its outputs."""
    return parts[0] if len(parts) == 1 else tuple(parts)


register("Split", _split_infer, pure_with_attrs(_split_kernel), input_names=("split_dim", "value"))


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """``tf.split``: into N equal parts (Split) or parts of given sizes (SplitV)."""
    x = convert_to_tensor(value)
    if isinstance(num_or_size_splits, (int, np.integer)):
        return apply_op("Split", [axis, x], {"num_split": int(num_or_size_splits), "T": x.dtype.base_dtype},
                        name).outputs
    sizes = convert_to_tensor(num_or_size_splits)  # outside the op's scope, as TensorFlow: a top-level Const
    n = num if num is not None else sizes.shape.as_list()[0]
    return apply_op("SplitV", [x, sizes, axis], {"num_split": n, "T": x.dtype.base_dtype,
                                                 "Tlen": sizes.dtype.base_dtype}, name).outputs
