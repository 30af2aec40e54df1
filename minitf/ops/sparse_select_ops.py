"""Parts of SparseTensors and indicator matrices: ``tf.sparse_slice`` (``SparseSlice``, and ``SparseSliceGrad`` for
its gradient in sparse_grad.py), ``tf.sparse_merge`` and ``tf.sparse_to_indicator``, built as TensorFlow 2.21's
``tf.compat.v1`` builds them."""

import numbers

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape
from minitf.framework.op_def_lib import invalid_argument, register
from minitf.framework.sparse_tensor import SparseTensor, SparseTensorValue
from minitf.ops.sparse_ops import (check_shape_parts, convert_to_sparse_tensor, shape_text, sparse_reorder,
                                   sparse_tensor_to_dense, with_rank)


def _slice_infer(op):
    with_rank(op.inputs[0].shape, 2)
    with_rank(op.inputs[1].shape, 1)
    rank = with_rank(op.inputs[2].shape, 1)[0]
    with_rank(op.inputs[3].shape, 1)
    with_rank(op.inputs[4].shape, 1)
    return [(dtypes.int64, tensor_shape.TensorShape([None, rank])),
            (op.inputs[1].dtype.base_dtype, tensor_shape.TensorShape([None])),
            (dtypes.int64, tensor_shape.TensorShape([rank]))]


def _slice_kernel(indices, values, shape, start, size):
    """The values inside ``[start, start + size)`` in every dimension, in their order, their indices shifted by
    ``start``; the output's dimensions are cut at the input's."""
    check_shape_parts(indices, values, shape)
    if start.ndim != 1 or size.ndim != 1:
        raise invalid_argument(f"Input start and size should be vectors but received shapes: "
                               f"{shape_text(start.shape)} and {shape_text(size.shape)}")
    rank = len(shape)
    if len(start) != rank:
        raise invalid_argument(f"Expected start to be a vector of length {rank} but got length {len(start)}")
    if len(size) != rank:
        raise invalid_argument(f"Expected size to be a vector of length {rank} but got length {len(size)}")
    kept = np.all((indices >= start) & (indices < start + size), axis=1) if len(indices) else np.zeros(0, bool)
    out_shape = np.maximum(np.minimum(start + size, shape) - start, 0).astype(np.int64)
    out_shape[start >= shape] = 0
    return (indices[kept] - start).astype(np.int64).reshape(-1, rank), values[kept], out_shape


register("SparseSlice", _slice_infer, lambda op, state: _slice_kernel,
         input_names=("indices", "values", "shape", "start", "size"), attrs=("T",))


def _slice_grad_infer(op):
    return [(op.inputs[0].dtype.base_dtype, tensor_shape.TensorShape([op.inputs[1].shape[0]]))]


def _slice_grad_kernel(grad, input_indices, input_start, output_indices):
    """Each input value's gradient: the output gradient of the value it became (zero if it was sliced off)."""
    out = np.zeros(len(input_indices), grad.dtype)
    shifted = (input_indices - input_start).tolist()
    targets = output_indices.tolist()
    j = 0
    for i, row in enumerate(shifted):
        if j < len(targets) and row == targets[j]:
            out[i] = grad[j]
            j += 1
    if j != len(targets):
        raise invalid_argument(f"Elements of backprop_val_grad aren't all propagated. Num elements: {len(targets)}, "
                               f"used: {j}")
    return out


register("SparseSliceGrad", _slice_grad_infer, lambda op, state: _slice_grad_kernel,
         input_names=("backprop_val_grad", "input_indices", "input_start", "output_indices"), attrs=("T",))


def sparse_slice(sp_input, start, size, name=None):
    """``tf.sparse_slice``: the part of ``sp_input`` from ``start`` of ``size`` (cut at its shape)."""
    sp_input = convert_to_sparse_tensor(sp_input)
    start = ops.convert_to_tensor(start, dtypes.int64)
    size = ops.convert_to_tensor(size, dtypes.int64)
    with ops.name_scope(name, "SparseSlice", [sp_input]) as name:
        outputs = sp_input.graph.create_op(
            "SparseSlice", [sp_input.indices, sp_input.values, sp_input.dense_shape, start, size],
            {"T": sp_input.values.dtype.base_dtype}, name).outputs
        return SparseTensor(*outputs)


def _is_size(value):
    return isinstance(value, (ops.Tensor, numbers.Integral))


def sparse_merge(sp_ids, sp_values, vocab_size, name=None, already_sorted=False):
    """``tf.sparse_merge``: the values of ``sp_values`` at the ids of ``sp_ids`` (one SparseTensor per new last
    dimension of ``vocab_size``), in place of the last dimension of their indices."""
    from minitf.ops import array_ops, math_ops
    if isinstance(sp_ids, (SparseTensorValue, SparseTensor)):
        sp_ids = [sp_ids]
        if not _is_size(vocab_size):
            raise TypeError("vocab_size has to be a Tensor or Python int. Found %s" % type(vocab_size))
        vocab_size = [vocab_size]
    else:
        if not isinstance(sp_ids, (list, tuple)):
            raise TypeError("sp_ids has to be a SparseTensor or list thereof. Found %s" % type(sp_ids))
        if not isinstance(vocab_size, (list, tuple)):
            raise TypeError("vocab_size has to be a list of Tensors or Python ints. Found %s" % type(vocab_size))
        for dim in vocab_size:
            if not _is_size(dim):
                raise TypeError("vocab_size has to be a list of Tensors or Python ints. Found %s" % type(dim))
    if len(sp_ids) != len(vocab_size):
        raise ValueError("sp_ids and vocab_size have to have equal lengths.")
    with ops.name_scope(name, "SparseMerge", [sp_ids, sp_values]):
        sp_ids = [convert_to_sparse_tensor(sp_ids_dim) for sp_ids_dim in sp_ids]
        sp_values = convert_to_sparse_tensor(sp_values)
        ids = []
        for sp_ids_dim in sp_ids:
            ids_dim = sp_ids_dim.values
            if sp_ids_dim.dtype != dtypes.int64:
                ids_dim = math_ops.cast(ids_dim, dtypes.int64)
            ids += [array_ops.expand_dims(ids_dim, axis=1)]
        vocab_size = [math_ops.cast(x, dtypes.int64) for x in vocab_size]
        indices_columns_to_preserve = sp_ids[0].indices[:, :-1]
        new_indices = array_ops.concat([indices_columns_to_preserve] + ids, 1)
        new_values = sp_values.values
        new_shape = array_ops.concat([sp_ids[0].dense_shape[:-1], vocab_size], 0)
        result = SparseTensor(new_indices, new_values, new_shape)
        if already_sorted:
            return result
        sorted_result = sparse_reorder(result)
        return SparseTensor(sorted_result.indices, sorted_result.values, new_shape)


def sparse_to_indicator(sp_input, vocab_size, name=None):
    """``tf.sparse_to_indicator``: a dense bool tensor, true at ``[..., id]`` for each id in a row of the last
    dimension of ``sp_input``."""
    from minitf.ops import array_ops
    sp_input = convert_to_sparse_tensor(sp_input)
    with ops.name_scope(name, "SparseToIndicator", [sp_input]) as name:
        num_entries = array_ops.shape(sp_input.indices)[0]
        new_values = array_ops.fill(array_ops.expand_dims(num_entries, 0), True)
        sp_values = SparseTensor(sp_input.indices, new_values, sp_input.dense_shape)
        sp_new = sparse_merge(sp_input, sp_values, vocab_size, name)
        return sparse_tensor_to_dense(sp_new, default_value=False, validate_indices=False, name=name)
