"""Gradients of the array ops (``shape_ops``, ``join_ops``, ``slicing_ops``, ``selection_ops``, ``array_ops``),
named and ordered like TensorFlow's ``python/ops/array_grad.py``."""

from minitf.framework import dtypes, tensor_util
from minitf.framework.indexed_slices import IndexedSlices
from minitf.framework.op_def_lib import RegisterGradient, apply_op, apply_op_1, declared_attrs
from minitf.ops import array_ops, constant_op, math_ops, shape_ops


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
    """As TensorFlow's _GatherV2Grad: along axis 0 an IndexedSlices of the gradient's rows at the gathered indices;
    along another axis (or with batch dimensions) the gathered axis is moved next to the batch dimensions, the rows
    are summed into it (UnsortedSegmentSum) and the result is moved back."""
    params, indices, axis = op.inputs
    params_shape = array_ops.shape(params)
    indices_size = array_ops.expand_dims(array_ops.size(indices), 0)
    batch_dims = int(op.get_attr("batch_dims"))
    if batch_dims < 0:
        if indices.shape.ndims is None:
            raise ValueError("Currently, it is unsupported to take the gradient of tf.gather when batch_dims < 0 "
                             "and the rank of the indices is unknown. Please pass a positive batch_dims or use "
                             "tf.ensure_shape to update the shape of indices when calling tf.gather. Got "
                             f"batch_dims={batch_dims} and indices={indices}")
        batch_dims += indices.shape.ndims
    axis_static = tensor_util.constant_value(axis)
    if axis_static is not None and int(axis_static) == 0:
        values_shape = array_ops.concat([indices_size, params_shape[1:]], 0)
        values = array_ops.reshape(_indexed_slices_to_tensor_no_warning(grad), values_shape)
        return IndexedSlices(values, array_ops.reshape(indices, indices_size), params_shape), None, None
    outer_shape = params_shape[:axis]
    inner_shape = params_shape[axis:][1:]
    values_shape = array_ops.concat([outer_shape, [-1], inner_shape], 0)
    values_dims = array_ops.size(values_shape)
    axis_dims = array_ops.size(outer_shape)
    outer_batches_indices = math_ops.range_(batch_dims)
    batch_axis_indices = math_ops.range_(batch_dims, axis_dims)
    inner_axes_indices = math_ops.range_(axis_dims + 1, values_dims)
    values = array_ops.reshape(_indexed_slices_to_tensor_no_warning(grad), values_shape)
    # move values[axis] up to values[batch_dims]
    transpose_dims = array_ops.concat([outer_batches_indices, [axis_dims], batch_axis_indices, inner_axes_indices], 0)
    values_transpose = array_ops.transpose(values, transpose_dims)
    params_shape_transpose = array_ops.gather(params_shape, transpose_dims)
    params_grad = _batch_gather_grad(params_shape_transpose, values_transpose, indices, batch_dims,
                                     params_shape[axis])
    # and dimension batch_dims back to its place
    invert_transpose_dims = array_ops.concat([outer_batches_indices, batch_axis_indices + 1, [batch_dims],
                                              inner_axes_indices], 0)
    params_grad = array_ops.transpose(params_grad, invert_transpose_dims)
    return array_ops.reshape(params_grad, array_ops.shape(params)), None, None


def _batch_gather_grad(params_shape, values, indices, batch_dims, gather_dim_size):
    """TensorFlow's _BatchGatherGrad: the gradient of a gather along the first non-batch dimension."""
    indices_size = array_ops.expand_dims(array_ops.size(indices), 0)
    if batch_dims:
        values_shape = array_ops.shape(values)
        outer_shape = values_shape[:batch_dims]
        inner_shape = values_shape[batch_dims:][1:]
        batch_size = shape_ops.elements_of(outer_shape)
        flat_values_shape = array_ops.concat([[-1], inner_shape], 0)
        gather_dim_size *= batch_size
        indices = _batch_indices(params_shape, indices, batch_dims)
        values = array_ops.reshape(values, flat_values_shape)
    indices = array_ops.reshape(indices, indices_size)
    params_grad = array_ops.unsorted_segment_sum(values, indices, gather_dim_size)
    if batch_dims:
        params_grad = array_ops.reshape(params_grad, array_ops.concat([outer_shape, flat_values_shape], 0))
    return params_grad


def _batch_indices(params_shape, indices, batch_dims):
    """TensorFlow's _GetBatchIndices: ``indices`` plus each batch entry's offset into the flattened batch."""
    batch_indices = indices
    dtype = indices.dtype.base_dtype
    params_shape = math_ops.cast(params_shape, dtype)
    accum_dim_value = array_ops.ones((), dtype=dtype)
    for dim in range(batch_dims, 0, -1):
        dim_value = params_shape[dim - 1]
        accum_dim_value *= params_shape[dim]
        dim_indices = math_ops.range_(array_ops.zeros((), dtype=dtype), dim_value, array_ops.ones((), dtype=dtype))
        dim_indices *= accum_dim_value
        dim_shape = array_ops.concat([array_ops.tile([1], [dim - 1]), [dim_value],
                                      array_ops.tile([1], [array_ops.rank(indices) - dim])], axis=0)
        batch_indices += array_ops.reshape(dim_indices, dim_shape)
    return batch_indices


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


@RegisterGradient("ConjugateTranspose")
def _conjugate_transpose_grad(op, grad):
    perm = op.inputs[1]
    return array_ops.transpose(grad, apply_op_1("InvertPermutation", [perm], {"T": dtypes.int32}),
                               conjugate=True), None


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
