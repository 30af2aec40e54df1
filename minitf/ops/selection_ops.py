"""Gathering, scattering and selecting: gather, segment sums, tile, pad, where/select, one_hot, broadcast_to."""

import builtins
import warnings

import numpy as np

from minitf.framework import dtypes, ops, tensor_util
from minitf.framework.indexed_slices import IndexedSlices
from minitf.framework.op_def_lib import (apply_op_1, broadcast_shapes, invalid_argument, no_gradient, pure,
                                         pure_with_attrs, register, same_as_input)
from minitf.ops import cwise_ops
from minitf.ops.shape_ops import TensorShape, _static, convert_to_tensor, unknown_shape


# -- gather, tile, pad, where, one_hot, broadcast -----------------------------------------------------------------

def _gather_infer(op):
    params, indices, axis_t = op.inputs
    axis = _static(axis_t)
    dtype = params.dtype.base_dtype
    if params.shape.ndims is None or indices.shape.ndims is None or axis is None:
        return [(dtype, unknown_shape())]
    rank, axis = params.shape.ndims, int(axis)
    if not -rank <= axis < rank:
        raise ValueError(f"Shape must be at least rank {axis + 1 if axis >= 0 else -axis} but is rank {rank}")
    batch_dims = _batch_dims(op.get_attr("batch_dims"), indices.shape.ndims)
    if batch_dims > indices.shape.ndims:
        raise ValueError(f"Shape must be at least rank {batch_dims} but is rank {indices.shape.ndims}")
    a = axis % rank
    if batch_dims > a:  # TensorFlow's kernel refuses it when it runs
        return [(dtype, unknown_shape())]
    dims = params.shape.as_tuple()
    return [(dtype, TensorShape(dims[:a] + indices.shape.as_tuple()[batch_dims:] + dims[a + 1:]))]


def _batch_dims(batch_dims, indices_rank):
    return batch_dims + indices_rank if batch_dims < 0 else batch_dims


def _gather_kernel(op):
    attr_batch_dims = op.get_attr("batch_dims")

    def gather_v2(params, indices, axis):
        a = int(axis)
        if not -params.ndim <= a < builtins.max(params.ndim, 1):
            raise invalid_argument(f"Expected axis in the range [{-params.ndim}, {params.ndim}), but got {a}")
        a %= builtins.max(params.ndim, 1)
        n = params.shape[a]
        if indices.size and (indices.min() < 0 or indices.max() >= n):
            where = tuple(int(i) for i in np.argwhere((indices < 0) | (indices >= n))[0])
            position = f"[{','.join(str(i) for i in where)}]" if where else ""
            raise invalid_argument(f"indices{position} = {indices[where]} is not in [0, {n})")
        batch_dims = _batch_dims(attr_batch_dims, indices.ndim)
        if batch_dims > a:
            raise invalid_argument(f"batch_dims ({batch_dims}) must be less than or equal to axis ({a}).")
        if batch_dims == 0:
            return np.take(params, indices, axis=a)
        # each batch entry gathers from its own params: flatten the batch dimensions, gather per entry
        batch = params.shape[:batch_dims]
        flat_params = params.reshape((-1,) + params.shape[batch_dims:])
        flat_indices = indices.reshape((-1,) + indices.shape[batch_dims:])
        out_tail = params.shape[batch_dims:a] + indices.shape[batch_dims:] + params.shape[a + 1:]
        out = np.empty((len(flat_params),) + out_tail, params.dtype)
        for entry, (p, i) in enumerate(zip(flat_params, flat_indices)):
            out[entry] = np.take(p, i, axis=a - batch_dims)
        return out.reshape(batch + out_tail)
    return gather_v2


register("GatherV2", _gather_infer, pure_with_attrs(_gather_kernel), input_names=("params", "indices", "axis"),
         attr_defaults={"batch_dims": 0})


def gather(params, indices, validate_indices=None, name=None, axis=None, batch_dims=0):
    with ops.name_scope(name, "GatherV2", [params, indices]) as scope:
        p = convert_to_tensor(params, name="params")
        if hasattr(params, "_as_graph_element") and not isinstance(params, ops.Tensor):
            p = params.value()
        i = convert_to_tensor(indices, name="indices")
        axis = batch_dims if axis is None else axis
        if tensor_util.constant_value(axis) == 0:  # as TensorFlow, which gathers along axis 0 without batch_dims
            batch_dims = 0
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


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    d = convert_to_tensor(data, name="data")
    ids = convert_to_tensor(segment_ids, name="segment_ids")
    return apply_op_1("UnsortedSegmentSum", [d, ids, num_segments],
                      {"T": d.dtype.base_dtype, "Tindices": ids.dtype.base_dtype, "Tnumsegments": dtypes.int32},
                      name)


# -- IndexedSlices to a dense Tensor ------------------------------------------------------------------------

_LARGE_SPARSE_NUM_ELEMENTS = 100000000


def _indexed_slices_to_tensor(value, dtype=None, name=None, as_ref=False):
    """The dense tensor: UnsortedSegmentSum of the values by their indices, with TensorFlow's warnings."""
    if dtype and not dtype.is_compatible_with(value.dtype):
        raise ValueError(f"Tensor conversion requested dtype {dtype.name} for IndexedSlices with dtype "
                         f"{value.dtype.name}")
    if value.dense_shape is None:
        raise ValueError(f"Tensor conversion requested for IndexedSlices without dense_shape: {value!s}")
    dense_shape_value = tensor_util.constant_value(value.dense_shape)
    if dense_shape_value is not None:
        num_elements = int(np.prod(dense_shape_value))
        if num_elements >= _LARGE_SPARSE_NUM_ELEMENTS:
            warnings.warn(f"Converting sparse IndexedSlices to a dense Tensor with {num_elements} elements. This "
                          "may consume a large amount of memory.", stacklevel=3)
    elif value.dense_shape.op.type != "VariableShape":
        warnings.warn(f"Converting sparse IndexedSlices({value}) to a dense Tensor of unknown shape. This may "
                      "consume a large amount of memory.", stacklevel=3)
    return unsorted_segment_sum(value.values, value.indices, value.dense_shape[0], name=name)


ops.register_tensor_conversion_function(IndexedSlices, _indexed_slices_to_tensor)



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


def tile(input, multiples, name=None):  # noqa: A002
    with ops.name_scope(name, "Tile", [input, multiples]) as scope:
        x = convert_to_tensor(input, name="input")
        return apply_op_1("Tile", [x, multiples], {"T": x.dtype.base_dtype}, scope, index_attrs={1: "Tmultiples"})


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
    pairs = np.asarray(paddings).tolist()
    if x.dtype == object or any(a < 0 or b < 0 for a, b in pairs) or len(pairs) != x.ndim:
        return np.pad(x, [(int(a), int(b)) for a, b in pairs], mode="constant", constant_values=value)
    out = np.full([a + n + b for (a, b), n in zip(pairs, x.shape)], value, dtype=x.dtype)
    out[tuple(slice(a, a + n) for (a, _), n in zip(pairs, x.shape))] = x  # as np.pad, a few times faster
    return out


def _mirror_pad_kernel(op):
    mode = op.get_attr("mode")
    mode = mode.decode() if isinstance(mode, bytes) else mode
    np_mode = {"REFLECT": "reflect", "SYMMETRIC": "symmetric"}[mode.upper()]
    return lambda x, paddings: np.pad(x, [(int(a), int(b)) for a, b in paddings], mode=np_mode)


register("Pad", _pad_infer, pure(_pad_kernel), input_names=("input", "paddings"))
register("PadV2", _pad_infer, pure(_pad_kernel), input_names=("input", "paddings", "constant_values"))
register("MirrorPad", _pad_infer, pure_with_attrs(_mirror_pad_kernel), input_names=("input", "paddings"))


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
    if cond.ndim == 0 and x.shape == y.shape:  # a scalar condition picks one input whole (random_flip_*)
        return x if cond else y
    if cond.ndim == 1 and x.ndim > 1:
        cond = cond.reshape((-1,) + (1,) * (x.ndim - 1))
    return np.where(cond, x, y)


register("Select", _select_infer, pure(_select_kernel), input_names=("condition", "t", "e"))
register("SelectV2", _select_v2_infer, pure(np.where), input_names=("condition", "t", "e"))


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
        x, y = cwise_ops._promote_pair(x, y, name_y="e")
        return apply_op_1("Select", [cond, x, y], {"T": x.dtype.base_dtype}, scope)


def where_v2(condition, x=None, y=None, name=None):
    if x is None and y is None:
        cond = convert_to_tensor(condition, dtype=dtypes.bool, name="condition")
        return apply_op_1("Where", [cond], {"T": dtypes.bool}, name)
    with ops.name_scope(name, "SelectV2", [condition, x, y]) as scope:
        cond = convert_to_tensor(condition, dtype=dtypes.bool, name="condition")
        x, y = cwise_ops._promote_pair(x, y, name_y="e", name_x="t")
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
def check_numerics(tensor, message, name=None):
    x = convert_to_tensor(tensor)
    return apply_op_1("CheckNumerics", [x], {"T": x.dtype.base_dtype, "message": message}, name)
