"""Gradients of the sparse ops (sparse_ops.py, sparse_math_ops.py, sparse_select_ops.py), written as TensorFlow's
sparse_grad.py: the gradient of a SparseTensor's values, never of its indices or shape."""

from minitf.framework import dtypes
from minitf.framework.op_def_lib import RegisterGradient, no_gradient
from minitf.framework.sparse_tensor import SparseTensor
from minitf.ops import (array_ops, cwise_ops, indexing_ops, linalg_ops, math_ops, slicing_ops, sparse_math_ops,
                        sparse_ops)

no_gradient("SparseAddGrad")
no_gradient("SparseConcat")


@RegisterGradient("SparseReorder")
def _SparseReorderGrad(op, unused_output_indices_grad, output_values_grad):
    """The values' gradient put back in the input's order (the inverse of the reordering permutation)."""
    input_indices = op.inputs[0]
    input_shape = op.inputs[2]
    num_entries = array_ops.shape(input_indices)[0]
    entry_indices = cwise_ops.range(num_entries)
    sp_unordered = SparseTensor(input_indices, entry_indices, input_shape)
    sp_ordered = sparse_ops.sparse_reorder(sp_unordered)
    inverted_permutation = slicing_ops.invert_permutation(sp_ordered.values)
    return (None, array_ops.gather(output_values_grad, inverted_permutation), None)


@RegisterGradient("SparseAdd")
def _SparseAddGrad(op, *grads):
    val_grad = grads[1]
    a_indices = op.inputs[0]
    b_indices = op.inputs[3]
    sum_indices = op.outputs[0]
    a_val_grad, b_val_grad = op.graph.create_op(
        "SparseAddGrad", [val_grad, a_indices, b_indices, sum_indices],
        {"T": val_grad.dtype.base_dtype}).outputs
    a_val_grad.set_shape(op.inputs[1].shape)
    b_val_grad.set_shape(op.inputs[4].shape)
    return (None, a_val_grad, None, None, b_val_grad, None, None)


@RegisterGradient("SparseTensorDenseAdd")
def _SparseTensorDenseAddGrad(op, out_grad):
    sp_indices = op.inputs[0]
    return (None, indexing_ops.gather_nd(out_grad, sp_indices), None, out_grad)


@RegisterGradient("SparseReduceSum")
def _SparseReduceSumGrad(op, out_grad):
    """Each value's gradient: the output gradient at the value's position in the reduced shape."""
    sp_indices = op.inputs[0]
    sp_shape = op.inputs[2]
    output_shape_kept_dims = math_ops.reduced_shape(sp_shape, op.inputs[3])
    out_grad_reshaped = array_ops.reshape(out_grad, output_shape_kept_dims)
    scale = sp_shape // math_ops.cast(output_shape_kept_dims, dtypes.int64)
    return (None, indexing_ops.gather_nd(out_grad_reshaped, sp_indices // scale), None, None)


@RegisterGradient("SparseSlice")
def _SparseSliceGrad(op, *grads):
    """The kept values' gradients back at their input positions (zero for the values sliced off)."""
    backprop_val_grad = grads[1]
    input_indices = op.inputs[0]
    input_start = op.inputs[3]
    output_indices = op.outputs[0]
    val_grad = op.graph.create_op("SparseSliceGrad", [backprop_val_grad, input_indices, input_start, output_indices],
                                  {"T": backprop_val_grad.dtype.base_dtype}).outputs[0]
    val_grad.set_shape(op.inputs[1].shape)
    return (None, val_grad, None, None, None)


@RegisterGradient("SparseTensorDenseMatMul")
def _SparseTensorDenseMatMulGrad(op, grad):
    """The matrix's gradient is another sparse product (A' grad); each sparse value's gradient the dot product of
    the gradient's row and the matrix's row its index pairs."""
    a_indices, a_values, a_shape = op.inputs[:3]
    b = op.inputs[3]
    adj_a = op.get_attr("adjoint_a")
    adj_b = op.get_attr("adjoint_b")
    a_type = a_values.dtype.base_dtype
    b_type = b.dtype.base_dtype
    if a_type != b_type:
        raise TypeError(f"SparseTensorDenseMatMul op received operands with different types: `{a_type}` and "
                        f"`{b_type}`.")
    b_grad = op.graph.create_op("SparseTensorDenseMatMul", [a_indices, a_values, a_shape, grad],
                                {"T": a_type, "Tindices": a_indices.dtype.base_dtype, "adjoint_a": not adj_a,
                                 "adjoint_b": False}).outputs[0]
    if adj_b:
        b_grad = array_ops.matrix_transpose(b_grad, conjugate=True)
    rows = a_indices[:, 0]
    cols = a_indices[:, 1]
    parts_a = array_ops.gather(grad, rows if not adj_a else cols)
    parts_b = array_ops.gather(b if not adj_b else array_ops.transpose(b), cols if not adj_a else rows)
    if not adj_a and not adj_b:
        a_values_grad = linalg_ops.matmul(array_ops.expand_dims(parts_a, -2), array_ops.expand_dims(parts_b, -2),
                                          adjoint_b=True)
    elif adj_a and not adj_b:
        a_values_grad = linalg_ops.matmul(array_ops.expand_dims(parts_a, -1), array_ops.expand_dims(parts_b, -1),
                                          adjoint_a=True)
    elif not adj_a and adj_b:
        a_values_grad = linalg_ops.matmul(array_ops.expand_dims(parts_a, -2), array_ops.expand_dims(parts_b, -1))
    else:
        a_values_grad = linalg_ops.matmul(array_ops.expand_dims(parts_a, -1), array_ops.expand_dims(parts_b, -2),
                                          adjoint_a=True, adjoint_b=True)
    return (None, array_ops.squeeze(a_values_grad, axis=[-2, -1]), None, b_grad)


def _SparseDenseCwiseMulOrDivGrad(op, grad, is_mul):
    """The values' gradient through the gathered dense elements; the dense operand's the values' summed back onto
    its (broadcast) positions with sparse_add."""
    x_indices = op.inputs[0]
    x_shape = op.inputs[2]
    y = op.inputs[3]
    y_shape = math_ops.cast(array_ops.shape(y), dtypes.int64)
    num_added_dims = array_ops.expand_dims(array_ops.size(x_shape) - array_ops.size(y_shape), 0)
    augmented_y_shape = array_ops.concat([array_ops.ones(num_added_dims, dtypes.int64), y_shape], 0)
    scaling = x_shape // augmented_y_shape
    scaled_indices = x_indices // scaling
    scaled_indices = array_ops.slice(scaled_indices, array_ops.concat([[0], num_added_dims], 0), [-1, -1])
    dense_vals = indexing_ops.gather_nd(y, scaled_indices)
    if is_mul:
        dx = grad * dense_vals
        dy_val = grad * op.inputs[1]
    else:
        dx = grad / dense_vals
        dy_val = grad * (-op.inputs[1] / math_ops.square(dense_vals))
    dy = sparse_math_ops.sparse_add(array_ops.zeros_like(y), SparseTensor(scaled_indices, dy_val, y_shape))
    return (None, dx, None, dy)


@RegisterGradient("SparseDenseCwiseMul")
def _SparseDenseCwiseMulGrad(op, grad):
    return _SparseDenseCwiseMulOrDivGrad(op, grad, True)


@RegisterGradient("SparseDenseCwiseDiv")
def _SparseDenseCwiseDivGrad(op, grad):
    return _SparseDenseCwiseMulOrDivGrad(op, grad, False)


@RegisterGradient("SparseSoftmax")
def _SparseSoftmaxGrad(op, grad):
    """SoftmaxGrad on the stored values: ``(grad - sum(grad * softmax)) * softmax`` per innermost row."""
    indices, shape = op.inputs[0], op.inputs[2]
    out_vals = op.outputs[0]
    sp_output = SparseTensor(indices, out_vals, shape)
    sp_grad = SparseTensor(indices, grad, shape)
    sp_product = SparseTensor(indices, sp_output.values * sp_grad.values, shape)
    sum_reduced = -sparse_math_ops.sparse_reduce_sum(sp_product, [-1], keepdims=True)
    sp_sum = sparse_math_ops.sparse_dense_cwise_add(sp_grad, sum_reduced)
    grad_x = sp_sum.values * sp_output.values
    return [None, grad_x, None]


# TensorFlow registers these two gradients to raise, so that tf.gradients through them fails loudly.
@RegisterGradient("SparseSparseMaximum")
def _SparseSparseMaximumGrad(unused_op, unused_grad):
    raise NotImplementedError("Gradient for SparseSparseMaximum is not implemented.")


@RegisterGradient("SparseSparseMinimum")
def _SparseSparseMinimumGrad(unused_op, unused_grad):
    raise NotImplementedError("Gradient for SparseSparseMinimum is not implemented.")


@RegisterGradient("SparseDenseCwiseAdd")
def _SparseDenseCwiseAddGrad(unused_op, unused_grad):
    raise NotImplementedError("Gradient for SparseDenseCwiseAdd is not implemented.")


@RegisterGradient("SparseFillEmptyRows")
def _SparseFillEmptyRowsGrad(op, unused_grad_output_indices, output_grad_values, unused_grad_empty_row_indicator,
                             unused_grad_reverse_index_map):
    """The values' gradients from their new places; the default's the sum over the filled places."""
    reverse_index_map = op.outputs[3]
    d_values, d_default_value = op.graph.create_op(
        "SparseFillEmptyRowsGrad", [reverse_index_map, output_grad_values],
        {"T": output_grad_values.dtype.base_dtype}).outputs
    return [None, d_values, None, d_default_value]


@RegisterGradient("SparseToDense")
def _SparseToDenseGrad(op, grad):
    """The values' gradient where they were put; the default's the rest of the gradient's sum."""
    sparse_indices, output_shape, _, _ = op.inputs
    sparse_values_grad = indexing_ops.gather_nd(grad, sparse_indices)
    default_value_grad = math_ops.reduce_sum(grad) - math_ops.reduce_sum(sparse_values_grad)
    return [array_ops.zeros_like(sparse_indices), array_ops.zeros_like(output_shape), sparse_values_grad,
            default_value_grad]
