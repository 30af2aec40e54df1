"""Gradients of the array ops (``shape_ops``, ``join_ops``, ``slicing_ops``, ``selection_ops``, ``array_ops``),
named and ordered like TensorFlow's ``python/ops/array_grad.py``."""

from minitf.framework import dtypes, tensor_util
from minitf.framework.indexed_slices import IndexedSlices
from minitf.framework.op_def_lib import RegisterGradient, apply_op, apply_op_1, declared_attrs
from minitf.ops import array_ops, constant_op, math_ops


@RegisterGradient("Pack")
def _pack_grad(op, grad):
    return array_ops.unstack(grad, num=op.get_attr("N"), axis=op.get_attr("axis"))


@RegisterGradient("Unpack")
def _unpack_grad(op, *grads):
    grads = [g if g is not None else array_ops.zeros_like(t) for g, t in zip(grads, op.outputs)]
    return array_ops.stack(grads, axis=op.get_attr("axis"))


def _extract_input_shapes(inputs):
    """The inputs' shapes: Consts where all are fully known, else one ShapeN."""
    sizes = [array_ops.shape(x) for x in inputs]
    if all(size.op.type == "Const" for size in sizes):
        return sizes
    return array_ops.shape_n(inputs)


@RegisterGradient("ConcatV2")
def _concat_grad(op, grad):
    """TensorFlow's _ConcatGradHelper for a dense gradient: slices at ConcatOffset's offsets (a Split for more than
    16 inputs)."""
    values, concat_dim = op.inputs[:-1], op.inputs[-1]
    if len(values) == 1:
        return [grad, None]
    non_neg_concat_dim = concat_dim % array_ops.rank(values[0])
    sizes = _extract_input_shapes(values)
    if len(sizes) > 16:
        sizes = array_ops.squeeze(array_ops.slice(array_ops.stack(sizes, axis=1), [non_neg_concat_dim, 0], [1, -1]))
        return array_ops.split(grad, sizes, non_neg_concat_dim) + [None]
    offsets = apply_op("ConcatOffset", [non_neg_concat_dim] + list(sizes), {"N": len(sizes)}).outputs
    return [array_ops.slice(grad, begin, size) for begin, size in zip(offsets, sizes)] + [None]


@RegisterGradient("Slice")
def _slice_grad(op, grad):
    input_vec, begin_vec = op.inputs[0], op.inputs[1]
    input_rank = array_ops.rank(input_vec)
    index_dtype = begin_vec.dtype
    slice_size = array_ops.shape(op.outputs[0], out_type=index_dtype)
    shape = array_ops.stack([input_rank, 1])
    before_pad = array_ops.reshape(begin_vec, shape)
    after_pad = array_ops.reshape(array_ops.shape(input_vec, out_type=index_dtype) - slice_size - begin_vec, shape)
    paddings = array_ops.concat([before_pad, after_pad], 1)
    return array_ops.pad(grad, paddings), None, None


@RegisterGradient("StridedSlice")
def _strided_slice_grad(op, grad):
    x = op.inputs[0]
    begin, end, strides = op.inputs[1:]
    x_shape = array_ops.shape(x)
    attrs = declared_attrs(op)
    attrs.update({"T": grad.dtype.base_dtype, "Index": dtypes.int32})
    return apply_op_1("StridedSliceGrad", [x_shape, begin, end, strides, grad], attrs), None, None, None


@RegisterGradient("Split")
def _split_grad(op, *grads):
    grads = [g if g is not None else array_ops.zeros_like(t) for g, t in zip(grads, op.outputs)]
    return None, array_ops.concat(grads, op.inputs[0])


@RegisterGradient("SplitV")
def _split_v_grad(op, *grads):
    grads = [g if g is not None else array_ops.zeros_like(t) for g, t in zip(grads, op.outputs)]
    return array_ops.concat(grads, op.inputs[2]), None, None


@RegisterGradient("Fill")
def _fill_grad(op, grad):
    return None, math_ops.reduce_sum(grad)


@RegisterGradient("GatherV2")
def _gather_grad(op, grad):
    """IndexedSlices: the gradient's rows at the gathered indices, as TensorFlow's _GatherV2Grad (axis 0)."""
    params, indices, axis = op.inputs
    axis_value = tensor_util.constant_value(axis)
    if axis_value is None or int(axis_value) != 0:
        raise NotImplementedError("minitf differentiates tf.gather only along axis 0")
    params_shape = array_ops.shape(params)
    indices_size = array_ops.expand_dims(array_ops.size(indices), 0)
    values_shape = array_ops.concat([indices_size, params_shape[1:]], 0)
    values = array_ops.reshape(_indexed_slices_to_tensor_no_warning(grad), values_shape)
    return IndexedSlices(values, array_ops.reshape(indices, indices_size), params_shape), None, None


def _indexed_slices_to_tensor_no_warning(grad):
    """An IndexedSlices gradient as a dense UnsortedSegmentSum, without the sparse-to-dense warning (TF's)."""
    if not isinstance(grad, IndexedSlices):
        return grad
    if grad.dense_shape is None:
        raise ValueError(f"Tensor conversion requested for IndexedSlices without dense_shape: {grad!s}")
    return array_ops.unsorted_segment_sum(grad.values, grad.indices, grad.dense_shape[0])


@RegisterGradient("Identity")
@RegisterGradient("Snapshot")
def _identity_grad(op, grad):
    return grad


RegisterGradient("IdentityN")(lambda op, *grads: grads)
RegisterGradient("PlaceholderWithDefault")(lambda op, grad: grad)  # the gradient passes through, as in TensorFlow


RegisterGradient("CheckNumerics")(lambda op, grad: grad)


@RegisterGradient("Reshape")
def _reshape_grad(op, grad):
    grad = _indexed_slices_to_tensor_no_warning(grad)
    input_shape = op.inputs[0].shape
    if input_shape.ndims is not None and not input_shape.is_fully_defined():
        dims = input_shape.as_list()  # one unknown dimension (no zero one): a -1, no Shape op, as TensorFlow
        if dims.count(None) == 1 and 0 not in dims:
            return array_ops.reshape(grad, [-1 if d is None else d for d in dims]), None
    return array_ops.reshape(grad, array_ops.shape(op.inputs[0])), None


@RegisterGradient("ExpandDims")
def _expand_dims_grad(op, grad):
    return array_ops.reshape(grad, array_ops.shape(op.inputs[0])), None


@RegisterGradient("Squeeze")
def _squeeze_grad(op, grad):
    return array_ops.reshape(grad, array_ops.shape(op.inputs[0]))


@RegisterGradient("Transpose")
def _transpose_grad(op, grad):
    perm = op.inputs[1]
    return array_ops.transpose(grad, apply_op_1("InvertPermutation", [perm], {"T": dtypes.int32})), None


@RegisterGradient("Tile")
def _tile_grad(op, grad):
    input_shape = array_ops.shape(op.inputs[0])
    split_shape = array_ops.reshape(array_ops.transpose(array_ops.stack([op.inputs[1], input_shape])), [-1])
    axes = array_ops.range(0, array_ops.size(split_shape), 2)
    input_grad = math_ops.reduce_sum(array_ops.reshape(grad, split_shape), axes)
    return input_grad, None


@RegisterGradient("Pad")
@RegisterGradient("PadV2")
def _pad_grad(op, grad):
    x, a = op.inputs[0], op.inputs[1]
    pad_before = array_ops.slice(a, [0, 0], array_ops.stack([array_ops.rank(x), 1]))
    begin = array_ops.reshape(pad_before, [-1])
    sizes = array_ops.shape(x)
    x_grad = array_ops.slice(grad, begin, sizes)
    return (x_grad, None) if len(op.inputs) == 2 else (x_grad, None, None)


@RegisterGradient("BroadcastTo")
def _broadcast_to_grad(op, grad):
    """The gradient summed over the broadcast axes; a broadcast shape computable at graph construction becomes a
    Const first (TensorFlow's try_evaluate_constant)."""
    input_value, broadcast_shape = op.inputs[0], op.inputs[1]
    shape_dtype = broadcast_shape.dtype.base_dtype
    input_value_shape = array_ops.shape(input_value, out_type=shape_dtype)
    static = tensor_util.evaluate_constant(broadcast_shape)
    if static is not None:
        broadcast_shape = constant_op.constant(static.tolist(), dtype=shape_dtype)
    _, reduction_axes = apply_op("BroadcastGradientArgs", [broadcast_shape, input_value_shape],
                                 {"T": shape_dtype}).outputs
    updates_grad_reshaped = math_ops.reduce_sum(grad, axis=reduction_axes, keepdims=True)
    return [array_ops.reshape(updates_grad_reshaped, input_value_shape), None]


@RegisterGradient("UnsortedSegmentSum")
def _unsorted_segment_sum_grad(op, grad):
    return array_ops.gather(grad, op.inputs[1]), None, None
