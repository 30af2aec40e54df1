"""Arithmetic on SparseTensors: ``tf.sparse_tensor_dense_matmul`` (``SparseTensorDenseMatMul``),
``tf.sparse_reduce_sum`` / ``tf.sparse_reduce_max`` (``SparseReduceSum`` / ``SparseReduceMax``) and
``tf.sparse_add`` (``SparseAdd`` of two SparseTensors, ``SparseTensorDenseAdd`` of a SparseTensor and a dense
tensor), with ``SparseAddGrad``. Their gradients are in sparse_grad.py.

The kernels add in TensorFlow's order: the product accumulates the nonzeros in their order, a group of values of
SparseReduceSum is summed as Eigen sums a vector, SparseAdd merges the two sorted index lists.
"""

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape, tensor_util
from minitf.framework.op_def_lib import apply_op_1, broadcast_shapes, invalid_argument, register
from minitf.framework.sparse_tensor import SparseTensor, SparseTensorValue
from minitf.ops import constant_op, cwise_ops, eigen_sum
from minitf.ops.sparse_ops import (check_shape_parts, check_sparse_tensor, convert_to_sparse_tensor, shape_text,
                                   with_rank)


def _check_values_type(op, values_index, other_index, other_arg, values_arg):
    values, other = op.inputs[values_index], op.inputs[other_index]
    if values.dtype.base_dtype != other.dtype.base_dtype:
        raise TypeError(f"Input '{other_arg}' of '{op.type}' Op has type {other.dtype.base_dtype.name} that does "
                        f"not match type {values.dtype.base_dtype.name} of argument '{values_arg}'.")


# -- SparseTensorDenseMatMul --------------------------------------------------------------------------------------

def _matmul_infer(op):
    _check_values_type(op, 1, 3, "b", "a_values")
    a_shape_input = op.inputs[2]
    b = op.inputs[3].shape
    if b.ndims is not None and b.ndims != 2:
        raise ValueError(f"Shape must be rank 2 but is rank {b.ndims}")
    b = b if b.ndims is not None else tensor_shape.TensorShape([None, None])
    with_rank(a_shape_input.shape, 1)
    a = tensor_util.constant_value_as_shape(a_shape_input)
    if a.ndims is not None and a.ndims != 2:
        raise ValueError(f"Shape must be rank 2 but is rank {a.ndims}")
    a = a if a.ndims is not None else tensor_shape.TensorShape([None, None])
    adjoint_a, adjoint_b = op.get_attr("adjoint_a"), op.get_attr("adjoint_b")
    rows, inner = (a[1], a[0]) if adjoint_a else (a[0], a[1])
    b_inner, cols = (b[1], b[0]) if adjoint_b else (b[0], b[1])
    if not inner.is_compatible_with(b_inner):
        error = ValueError(f"Dimensions must be equal, but are {inner} and {b_inner}")
        error.partial_shapes = f"input[2] = [{','.join('?' if d is None else str(d) for d in a.as_list())}]"
        raise error
    return [(op.inputs[1].dtype.base_dtype, tensor_shape.TensorShape([rows, cols]))]


def _matmul_kernel(op, state):
    adjoint_a, adjoint_b = op.get_attr("adjoint_a"), op.get_attr("adjoint_b")

    def kernel(indices, values, a_shape, b):
        if b.ndim != 2:
            raise invalid_argument("Tensor 'b' is not a matrix")
        if a_shape.ndim != 1:
            raise invalid_argument("Tensor 'a_shape' is not a vector")
        if a_shape.shape[0] != 2:
            raise invalid_argument("Tensor 'a_shape' must have 2 elements")
        if values.ndim != 1:
            raise invalid_argument("Tensor 'a_values' is not a vector")
        if indices.ndim != 2:
            raise invalid_argument("Tensor 'a_indices' is not a matrix")
        if indices.shape[0] != values.shape[0]:
            raise invalid_argument("Number of rows of a_indices does not match number of entries in a_values")
        if indices.shape[1] != a_shape.shape[0]:
            raise invalid_argument("Number of columns of a_indices does not match number of entries in a_shape")
        rows, inner = (int(a_shape[1]), int(a_shape[0])) if adjoint_a else (int(a_shape[0]), int(a_shape[1]))
        b = np.conj(b.T) if adjoint_b else b
        if b.shape[0] != inner:
            raise invalid_argument(f"Cannot multiply A and B because inner dimension does not match: {inner} vs. "
                                   f"{b.shape[0]}.  Did you forget a transpose?  Dimensions of A: "
                                   f"[{int(a_shape[0])}, {int(a_shape[1])}).  Dimensions of B: "
                                   f"{shape_text(b.T.shape if adjoint_b else b.shape)}")
        m_column, k_column = (1, 0) if adjoint_a else (0, 1)
        m, k = indices[:, m_column], indices[:, k_column]
        for i in range(len(values)):
            if not 0 <= k[i] < inner:
                raise invalid_argument(f"k ({k[i]}) from index[{i},{k_column}] out of bounds (>={inner})")
            if not 0 <= m[i] < rows:
                raise invalid_argument(f"m ({m[i]}) from index[{i},{m_column}] out of bounds (>={rows})")
        a_values = np.conj(values) if adjoint_a else values
        out = np.zeros((rows, b.shape[1]), values.dtype)
        np.add.at(out, m, a_values[:, None] * b[k])  # one nonzero after another, as the kernel adds them
        return out
    return kernel


register("SparseTensorDenseMatMul", _matmul_infer, _matmul_kernel,
         input_names=("a_indices", "a_values", "a_shape", "b"), attrs=("T", "Tindices", "adjoint_a", "adjoint_b"),
         attr_defaults={"adjoint_a": False, "adjoint_b": False})


def sparse_tensor_dense_matmul(sp_a, b, adjoint_a=False, adjoint_b=False, name=None):
    """``tf.sparse_tensor_dense_matmul``: the SparseTensor ``sp_a`` (rank 2) times the dense matrix ``b``; with a
    SparseTensor ``b`` (and dense ``sp_a``) the product is transposed around the op, as in TensorFlow."""
    from minitf.ops import array_ops
    if isinstance(b, (SparseTensor, SparseTensorValue)):
        if adjoint_a != adjoint_b:
            return array_ops.transpose(sparse_tensor_dense_matmul(b, sp_a, adjoint_a, adjoint_b))
        return array_ops.transpose(sparse_tensor_dense_matmul(b, sp_a, adjoint_a=not adjoint_a,
                                                              adjoint_b=not adjoint_b))
    sp_a = convert_to_sparse_tensor(sp_a)
    with ops.name_scope(name, "SparseTensorDenseMatMul", [sp_a.indices, sp_a.values, b]) as name:
        b = ops.convert_to_tensor(b, name="b")
        attrs = {"T": sp_a.values.dtype.base_dtype, "Tindices": sp_a.indices.dtype.base_dtype,
                 "adjoint_a": bool(adjoint_a), "adjoint_b": bool(adjoint_b)}
        return _create("SparseTensorDenseMatMul", [sp_a.indices, sp_a.values, sp_a.dense_shape, b], attrs)[0]


def _create(op_type, inputs, attrs, name=None):
    graph = inputs[0].graph
    return graph.create_op(op_type, inputs, attrs, name).outputs


# -- SparseReduceSum, SparseReduceMax ----------------------------------------------------------------------------

def _reduce_infer(op):
    with_rank(op.inputs[0].shape, 2)
    with_rank(op.inputs[1].shape, 1)
    with_rank(op.inputs[2].shape, 1)
    shape, axes = tensor_util.constant_value(op.inputs[2]), tensor_util.constant_value(op.inputs[3])
    dtype = op.inputs[1].dtype.base_dtype
    if shape is None or axes is None:
        return [(dtype, tensor_shape.unknown_shape())]
    ndims = len(shape)
    if ndims == 0:
        raise ValueError("Number of dims in shape tensor must not be 0")
    reduced = {(int(a) + ndims) % ndims for a in np.reshape(axes, -1)}
    keep = op.get_attr("keep_dims")
    dims = [1 if d in reduced else int(shape[d]) for d in range(ndims) if keep or d not in reduced]
    return [(dtype, tensor_shape.TensorShape(dims))]


def _group_sum(group):
    return eigen_sum.sum_all(group) if group.dtype.kind == "f" else group.sum(dtype=group.dtype)


def _reduce_kernel(op, state):
    """The values grouped by their index in the kept dimensions (after the kernel's reorder), each group reduced
    into its place of a zero output."""
    keep_dims = op.get_attr("keep_dims")
    reduce = _group_sum if op.type == "SparseReduceSum" else np.max

    def kernel(indices, values, shape, axes):
        check_shape_parts(indices, values, shape)
        ndims = len(shape)
        axes = np.reshape(axes, -1)
        for axis in axes.tolist():
            if not -ndims <= axis < ndims:
                raise invalid_argument(f"Invalid reduction dimension {axis}, for input with {ndims} dimensions.")
        check_sparse_tensor(indices, values, shape)
        reduced = sorted({(a + ndims) % ndims for a in axes.tolist()})
        kept = [d for d in range(ndims) if d not in reduced]
        out = np.zeros([int(shape[d]) for d in kept], values.dtype)
        if len(values):
            order = np.lexsort([indices[:, d] for d in reversed(kept + reduced)])  # the kernel's Reorder
            keys = indices[order][:, kept]
            starts = np.flatnonzero(np.r_[True, np.any(keys[1:] != keys[:-1], axis=1)]) if kept else np.array([0])
            ends = list(starts[1:]) + [len(order)]
            bad = (keys < 0) | (keys >= np.array([int(shape[d]) for d in kept], np.int64))
            if bad.any():  # TensorFlow writes outside its output here
                row = int(order[np.flatnonzero(bad.any(axis=1))[0]])
                raise invalid_argument(f"indices[{row}] = {shape_text(indices[row])} is out of bounds: need 0 <= "
                                       f"index < {shape_text(shape)}")
            for start, end in zip(starts, ends):
                out[tuple(keys[start])] = reduce(values[order[start:end]])
        if keep_dims:
            out = out.reshape([1 if d in reduced else int(shape[d]) for d in range(ndims)])
        return out
    return kernel


for _type in ("SparseReduceSum", "SparseReduceMax"):
    register(_type, _reduce_infer, _reduce_kernel,
             input_names=("input_indices", "input_values", "input_shape", "reduction_axes"),
             attrs=("keep_dims", "T"), attr_defaults={"keep_dims": False})


def _reduction_axes(sp_input, axis):
    """TensorFlow's ``_ReductionDims`` of a SparseTensor: ``axis``, or every axis (a Const) when None."""
    if axis is not None:
        return axis
    if sp_input.dense_shape.shape.is_fully_defined():
        return constant_op.constant(np.arange(sp_input.dense_shape.shape[0].value, dtype=np.int32))
    from minitf.ops import array_ops
    with ops.name_scope(None, "Rank", [sp_input.dense_shape]) as scope:  # tf.rank of a SparseTensor
        rank = array_ops.size(sp_input.dense_shape, name=scope)
    return cwise_ops.range(0, rank)


def _sparse_reduce(op_type, sp_input, axis, keepdims):
    sp_input = convert_to_sparse_tensor(sp_input)
    axis = _reduction_axes(sp_input, axis)
    graph = sp_input.graph
    with graph.as_default(), ops.name_scope(None, op_type) as scope:
        axes = ops.convert_to_tensor(axis, dtype=dtypes.int32, name="reduction_axes")
        attrs = {"keep_dims": bool(keepdims), "T": sp_input.values.dtype.base_dtype}
        return _create(op_type, [sp_input.indices, sp_input.values, sp_input.dense_shape, axes], attrs, scope)[0]


def sparse_reduce_sum(sp_input, axis=None, keepdims=None, reduction_axes=None, keep_dims=None):
    """``tf.sparse_reduce_sum``: the dense sum of ``sp_input`` over ``axis`` (all axes when None)."""
    keepdims = _lookup("keepdims", keepdims, "keep_dims", keep_dims)
    axis = _lookup("axis", axis, "reduction_axes", reduction_axes)
    return _sparse_reduce("SparseReduceSum", sp_input, axis, bool(keepdims))


def sparse_reduce_max(sp_input, axis=None, keepdims=None, reduction_axes=None, keep_dims=None):
    """``tf.sparse_reduce_max``: the dense maximum of the stored values of ``sp_input`` over ``axis`` (all axes when
    None); 0 where no value is stored."""
    keepdims = _lookup("keepdims", keepdims, "keep_dims", keep_dims)
    axis = _lookup("axis", axis, "reduction_axes", reduction_axes)
    return _sparse_reduce("SparseReduceMax", sp_input, axis, bool(keepdims))


def _lookup(new_name, new_value, old_name, old_value):
    if new_value is not None and old_value is not None:
        raise ValueError(f"Cannot specify both '{new_name}' and '{old_name}'")
    return new_value if new_value is not None else old_value


# -- SparseAdd, SparseAddGrad, SparseTensorDenseAdd ---------------------------------------------------------------

def _add_infer(op):
    for i in (0, 3):
        with_rank(op.inputs[i].shape, 2)
    for i in (1, 2, 4, 5):
        with_rank(op.inputs[i].shape, 1)
    with_rank(op.inputs[6].shape, 0)
    rank = op.inputs[2].shape[0]
    return [(dtypes.int64, tensor_shape.TensorShape([None, rank])),
            (op.inputs[1].dtype.base_dtype, tensor_shape.TensorShape([None])),
            (dtypes.int64, op.inputs[2].shape)]


def _check_same_shape(a_shape, b_shape):
    if len(a_shape) != len(b_shape):
        raise invalid_argument(f"Operands do not have the same ranks; got shapes: "
                               f"{' '.join(map(str, a_shape.tolist()))} and {' '.join(map(str, b_shape.tolist()))}")
    for d, (x, y) in enumerate(zip(a_shape.tolist(), b_shape.tolist())):
        if x != y:
            raise invalid_argument(f"Operands' shapes do not match: got {x} and {y} for dimension {d}")


def _add_kernel(a_indices, a_values, a_shape, b_indices, b_values, b_shape, thresh):
    """The two sorted index lists merged; values at the same index added and kept if ``|sum| >= thresh``."""
    if a_indices.ndim != 2 or b_indices.ndim != 2:
        raise invalid_argument(f"Input indices should be matrices but received shapes: "
                               f"{shape_text(a_indices.shape)} and {shape_text(b_indices.shape)}")
    if a_indices.shape[1] != b_indices.shape[1]:
        raise invalid_argument(f"Input indices must have the same dimension, got {a_indices.shape[1]} and "
                               f"{b_indices.shape[1]}")
    if a_values.ndim != 1 or b_values.ndim != 1:
        raise invalid_argument(f"Input values should be vectors but received shapes: {shape_text(a_values.shape)} "
                               f"and {shape_text(b_values.shape)}")
    if len(a_values) != len(a_indices) or len(b_values) != len(b_indices):
        raise invalid_argument(f"Expected {len(a_indices)} and {len(b_indices)} non-empty input values, got "
                               f"{len(a_values)} and {len(b_values)}")
    if a_shape.ndim != 1 or b_shape.ndim != 1:
        raise invalid_argument(f"Input shapes should be a vector but received shapes {shape_text(a_shape.shape)} "
                               f"and {shape_text(b_shape.shape)}")
    _check_same_shape(a_shape, b_shape)
    a_rows, b_rows = [tuple(r) for r in a_indices.tolist()], [tuple(r) for r in b_indices.tolist()]
    out_indices, out_values = [], []
    i = j = 0
    while i < len(a_rows) or j < len(b_rows):
        if j == len(b_rows) or (i < len(a_rows) and a_rows[i] < b_rows[j]):
            out_indices.append(a_rows[i])
            out_values.append(a_values[i])
            i += 1
        elif i == len(a_rows) or b_rows[j] < a_rows[i]:
            out_indices.append(b_rows[j])
            out_values.append(b_values[j])
            j += 1
        else:
            total = a_values[i] + b_values[j]
            if thresh <= abs(total):
                out_indices.append(a_rows[i])
                out_values.append(total)
            i += 1
            j += 1
    return (np.array(out_indices, np.int64).reshape(len(out_indices), len(a_shape)),
            np.array(out_values, a_values.dtype), a_shape.astype(np.int64))


register("SparseAdd", _add_infer, lambda op, state: _add_kernel,
         input_names=("a_indices", "a_values", "a_shape", "b_indices", "b_values", "b_shape", "thresh"),
         attrs=("T", "Treal"))


def _add_grad_infer(op):
    dtype = op.inputs[0].dtype.base_dtype
    return [(dtype, tensor_shape.TensorShape([op.inputs[1].shape[0]])),
            (dtype, tensor_shape.TensorShape([op.inputs[2].shape[0]]))]


def _add_grad_kernel(grad, a_indices, b_indices, sum_indices):
    """Each input value's gradient: the sum's gradient at its index (zero where the sum dropped it)."""
    position = {tuple(row): k for k, row in enumerate(sum_indices.tolist())}

    def part(indices):
        out = np.zeros(len(indices), grad.dtype)
        for i, row in enumerate(indices.tolist()):
            k = position.get(tuple(row))
            if k is not None:
                out[i] = grad[k]
        return out
    return part(a_indices), part(b_indices)


register("SparseAddGrad", _add_grad_infer, lambda op, state: _add_grad_kernel,
         input_names=("backprop_val_grad", "a_indices", "b_indices", "sum_indices"), attrs=("T",))


def _dense_add_infer(op):
    _check_values_type(op, 1, 3, "b", "a_values")
    return [(op.inputs[3].dtype.base_dtype, op.inputs[3].shape)]


def _dense_add_kernel(indices, values, shape, b):
    if indices.ndim != 2:
        raise invalid_argument(f"Input a_indices should be a matrix but received shape: {shape_text(indices.shape)}")
    if values.ndim != 1 or shape.ndim != 1:
        raise invalid_argument(f"Inputs a_values and a_shape should be vectors but received shapes: "
                               f"{shape_text(values.shape)} and {shape_text(shape.shape)}")
    for x, y in ((indices.shape[0], values.shape[0]), (indices.shape[1], shape.shape[0])):
        if x != y:
            raise invalid_argument(f"Dimensions {x} and {y} are not compatible")
    if len(shape) != b.ndim:
        raise invalid_argument(f"Two operands have different ranks; received: {len(shape)} and {b.ndim}")
    for d, (x, y) in enumerate(zip(shape.tolist(), b.shape)):
        if x != y:
            raise invalid_argument(f"Dimension {d} does not equal (no broadcasting is supported): sparse side {x} "
                                   f"vs dense side {y}")
    out = b.copy()
    for i, row in enumerate(indices.tolist()):
        for d, (x, n) in enumerate(zip(row, b.shape)):
            if not 0 <= x < n:
                raise invalid_argument(f"Sparse tensor has an invalid index on dimension {d}: a_indices({i},{d}) = "
                                       f"{x}, dense tensor shape: {' '.join(str(n) for n in b.shape)}")
        out[tuple(row)] += values[i]
    return out


register("SparseTensorDenseAdd", _dense_add_infer, lambda op, state: _dense_add_kernel,
         input_names=("a_indices", "a_values", "a_shape", "b"), attrs=("T", "Tindices"))


def sparse_add(a, b, threshold=None, thresh=None):
    """``tf.sparse_add``: the SparseTensor sum of two SparseTensors (sums smaller than ``threshold`` in magnitude
    dropped), or the dense sum of a SparseTensor and a dense tensor."""
    threshold = _lookup("threshold", threshold, "thresh", thresh)
    sparse_classes = (SparseTensor, SparseTensorValue)
    if not any(isinstance(x, sparse_classes) for x in (a, b)):
        raise TypeError("At least one input should be SparseTensor; do you mean to use tf.add()?")
    if not all(isinstance(x, sparse_classes) for x in (a, b)):
        if isinstance(b, sparse_classes):
            a, b = b, a
        a = convert_to_sparse_tensor(a)
        attrs = {"T": a.values.dtype.base_dtype, "Tindices": a.indices.dtype.base_dtype}
        return apply_op_1("SparseTensorDenseAdd", [a.indices, a.values, a.dense_shape, b], attrs)
    a, b = convert_to_sparse_tensor(a), convert_to_sparse_tensor(b)
    threshold = ops.convert_to_tensor(0 if threshold is None else threshold,
                                      dtype=a.values.dtype.real_dtype.base_dtype, name="threshold")
    attrs = {"T": a.values.dtype.base_dtype, "Treal": threshold.dtype.base_dtype}
    indices, values, shape = _create("SparseAdd", [a.indices, a.values, a.dense_shape, b.indices, b.values,
                                                   b.dense_shape, threshold], attrs)
    a.shape.assert_is_compatible_with(b.shape)
    static_shape = broadcast_shapes(a.shape, b.shape)
    if static_shape.is_fully_defined():
        shape = static_shape.as_list()
    return SparseTensor(indices, values, shape)


# -- SparseDenseCwiseMul / Div / Add: the ``*`` and ``/`` of a SparseTensor and a dense tensor ------------------------

def _cwise_infer(op):
    with_rank(op.inputs[0].shape, 2)
    values = with_rank(op.inputs[1].shape, 1)
    with_rank(op.inputs[2].shape, 1)
    _check_values_type(op, 1, 3, "dense", "sp_values")
    return [(op.inputs[1].dtype.base_dtype, values)]


def _cwise_kernel(op, state):
    """Each stored value with the dense operand's element at its index, the dense side broadcast to the sparse
    side's shape (never the other way)."""
    kind = op.type[len("SparseDenseCwise"):]

    def kernel(indices, values, shape, dense):
        if indices.ndim != 2:
            raise invalid_argument(f"Input sp_indices should be a matrix but received shape: "
                                   f"{shape_text(indices.shape)}")
        if values.ndim != 1 or shape.ndim != 1:
            raise invalid_argument(f"Inputs sp_values and sp_shape should be vectors but received shapes: "
                                   f"{shape_text(values.shape)} and {shape_text(shape.shape)}")
        if indices.shape[0] != values.shape[0]:
            raise invalid_argument(f"The first dimension of values and indices should match. ({values.shape[0]} vs. "
                                   f"{indices.shape[0]})")
        lhs, rhs = shape.tolist(), list(dense.shape)
        padded = [1] * (len(lhs) - len(rhs)) + rhs
        if len(lhs) < len(rhs) or any(r not in (1, d) for d, r in zip(lhs, padded)):
            raise invalid_argument(f"SparseDenseBinaryOpShared broadcasts dense to sparse only; got incompatible "
                                   f"shapes: [{','.join(map(str, lhs))}] vs. [{','.join(map(str, rhs))}]")
        if indices.shape[1] != len(lhs):
            raise invalid_argument(f"Number of dimensions must match second dimension of indices. Got {len(lhs)} "
                                   f"dimensions, indices shape: {shape_text(indices.shape)}")
        positions = np.where(np.array(padded) == 1, 0, indices)
        if np.any((indices < 0) | (indices >= np.array(lhs, np.int64))):
            raise invalid_argument("Provided indices are out-of-bounds w.r.t. dense side with broadcasted shape")
        gathered = dense.reshape(padded)[tuple(positions.T)] if len(values) else np.zeros(0, dense.dtype)
        if kind == "Mul":
            return values * gathered
        if kind == "Add":
            return values + gathered
        if values.dtype.kind in "iu":
            return (np.sign(values) * np.sign(gathered) * (np.abs(values) // np.abs(gathered))).astype(values.dtype)
        return values / gathered
    return kernel


for _type in ("SparseDenseCwiseMul", "SparseDenseCwiseDiv", "SparseDenseCwiseAdd"):
    register(_type, _cwise_infer, _cwise_kernel, input_names=("sp_indices", "sp_values", "sp_shape", "dense"),
             attrs=("T",))


def _sparse_dense_cwise(op_type, sp_indices, sp_values, sp_shape, dense, name):
    return apply_op_1(op_type, [sp_indices, sp_values, sp_shape, dense], {"T": sp_values.dtype.base_dtype}, name)


def _sparse_dense_truediv(sp_indices, sp_values, sp_shape, y, name=None):
    """``sp / y``: integers divided as floats (float32 up to 16 bits, else float64), as TensorFlow's ``/``."""
    with ops.name_scope(name, "truediv", [sp_indices, sp_values, sp_shape, y]) as name:
        sp_values = ops.convert_to_tensor(sp_values, name="sp_values")
        y = ops.convert_to_tensor(y, name="y")
        x_dtype, y_dtype = sp_values.dtype.base_dtype, y.dtype.base_dtype
        if x_dtype != y_dtype:
            raise TypeError(f"`x` and `y` must have the same dtype, got {x_dtype!r} != {y_dtype!r}.")
        if x_dtype.is_integer:
            target = dtypes.float32 if x_dtype.size <= 2 else dtypes.float64
            sp_values = cwise_ops.cast(sp_values, target)
            y = cwise_ops.cast(y, target)
        return _sparse_dense_cwise("SparseDenseCwiseDiv", sp_indices, sp_values, sp_shape, y, name)


def _sparse_operator(op_name, func):
    """The ``SparseTensor`` operator ``op_name``: the values combined with the dense ``y``, same indices."""
    def operator(sp_x, y):
        with ops.name_scope(None, op_name, [sp_x, y]) as name:
            try:
                y = ops.convert_to_tensor(y, dtype=sp_x.dtype.base_dtype, name="y")
            except ValueError as e:  # TensorFlow's conversion names the argument
                raise ValueError(f"y: {e}") from None
            return SparseTensor(sp_x.indices, func(sp_x.indices, sp_x.values, sp_x.dense_shape, y, name),
                                sp_x.dense_shape)
    return operator


SparseTensor.__mul__ = _sparse_operator(
    "mul", lambda *args: _sparse_dense_cwise("SparseDenseCwiseMul", *args))
SparseTensor.__div__ = _sparse_operator(
    "div", lambda *args: _sparse_dense_cwise("SparseDenseCwiseDiv", *args))
SparseTensor.__truediv__ = _sparse_operator("truediv", _sparse_dense_truediv)


def sparse_dense_cwise_add(sp_t, dense_t):
    """The stored values of ``sp_t`` plus the dense elements at their indices (``dense_t`` broadcast to its shape),
    as a SparseTensor (SparseSoftmax's gradient uses it)."""
    result = _sparse_dense_cwise("SparseDenseCwiseAdd", sp_t.indices, sp_t.values, sp_t.dense_shape, dense_t, None)
    return SparseTensor(sp_t.indices, result, sp_t.dense_shape)


# -- SparseSoftmax, SparseSparseMaximum / Minimum -----------------------------------------------------------------

def _softmax_infer(op):
    with_rank(op.inputs[0].shape, 2)
    values = with_rank(op.inputs[1].shape, 1)
    with_rank(op.inputs[2].shape, 1)
    return [(op.inputs[1].dtype.base_dtype, values)]


def _softmax_kernel(indices, values, shape):
    """A softmax over each innermost row's stored values (shifted by their maximum), in the order of the sorted
    indices, as the kernel's reorder leaves them."""
    if indices.ndim != 2:
        raise invalid_argument(f"Input should be a matrix but received shape: {shape_text(indices.shape)}")
    if values.ndim != 1 or shape.ndim != 1:
        raise invalid_argument(f"Inputs values and shape should be vectors but received shapes: "
                               f"{shape_text(values.shape)} and {shape_text(shape.shape)}")
    if len(shape) < 2:
        raise invalid_argument(f"Input should have rank >= 2, but received shape: "
                               f"{' '.join(map(str, shape.tolist()))}")
    check_sparse_tensor(indices, values, shape)
    out = np.zeros(len(values), values.dtype)
    if not len(values):
        return out
    order = np.lexsort(indices.T[::-1])
    rows = indices[order][:, :-1]
    starts = np.flatnonzero(np.r_[True, np.any(rows[1:] != rows[:-1], axis=1)])
    for start, end in zip(starts, list(starts[1:]) + [len(order)]):
        group = values[order[start:end]]
        exps = np.exp(group - group.max())
        out[start:end] = exps * (values.dtype.type(1) / _group_sum(exps))
    return out


register("SparseSoftmax", _softmax_infer, lambda op, state: _softmax_kernel,
         input_names=("sp_indices", "sp_values", "sp_shape"), attrs=("T",))


def sparse_softmax(sp_input, name=None):
    """``tf.sparse_softmax``: a softmax over the stored values of each innermost row of ``sp_input`` (rank >= 2)."""
    with ops.name_scope(name, "SparseSoftmax", [sp_input.indices, sp_input.values]):
        out_vals = _create("SparseSoftmax", [sp_input.indices, sp_input.values, sp_input.dense_shape],
                           {"T": sp_input.values.dtype.base_dtype})[0]
        return SparseTensor(sp_input.indices, out_vals, sp_input.dense_shape)


def _sparse_sparse_kernel(op, state):
    """The union of the two index lists (sorted inputs merged), each value combined with the other's (0 where the
    other stores none)."""
    combine = np.maximum if op.type == "SparseSparseMaximum" else np.minimum

    def kernel(a_indices, a_values, a_shape, b_indices, b_values, b_shape):
        check_sparse_tensor(a_indices, a_values, a_shape)
        check_sparse_tensor(b_indices, b_values, b_shape)
        _check_same_shape(a_shape, b_shape)
        indices, (a, b) = _union(a_indices, a_values, b_indices, b_values)
        return indices.reshape(-1, len(a_shape)), combine(a, b).astype(a_values.dtype)
    return kernel


def _union(a_indices, a_values, b_indices, b_values):
    """The merged index rows of two sorted lists, and each list's values on them (0 where it has none)."""
    a_rows, b_rows = [tuple(r) for r in a_indices.tolist()], [tuple(r) for r in b_indices.tolist()]
    rows, a, b = [], [], []
    i = j = 0
    zero = a_values.dtype.type(0)
    while i < len(a_rows) or j < len(b_rows):
        if j == len(b_rows) or (i < len(a_rows) and a_rows[i] < b_rows[j]):
            rows.append(a_rows[i]), a.append(a_values[i]), b.append(zero)
            i += 1
        elif i == len(a_rows) or b_rows[j] < a_rows[i]:
            rows.append(b_rows[j]), a.append(zero), b.append(b_values[j])
            j += 1
        else:
            rows.append(a_rows[i]), a.append(a_values[i]), b.append(b_values[j])
            i += 1
            j += 1
    return np.array(rows, np.int64), (np.array(a, a_values.dtype), np.array(b, a_values.dtype))


def _sparse_sparse_infer(op):
    for i in (0, 3):
        with_rank(op.inputs[i].shape, 2)
    for i in (1, 2, 4, 5):
        with_rank(op.inputs[i].shape, 1)
    return [(dtypes.int64, tensor_shape.TensorShape([None, None])),
            (op.inputs[1].dtype.base_dtype, tensor_shape.TensorShape([None]))]


for _type in ("SparseSparseMaximum", "SparseSparseMinimum"):
    register(_type, _sparse_sparse_infer, _sparse_sparse_kernel,
             input_names=("a_indices", "a_values", "a_shape", "b_indices", "b_values", "b_shape"), attrs=("T",))


def _sparse_sparse(op_type, sp_a, sp_b, name):
    with ops.name_scope(name, op_type, [sp_a.indices, sp_a.values, sp_b.indices, sp_b.values]) as name:
        out_indices, out_values = _create(op_type, [sp_a.indices, sp_a.values, sp_a.dense_shape, sp_b.indices,
                                                    sp_b.values, sp_b.dense_shape],
                                          {"T": sp_a.values.dtype.base_dtype}, name)
    return SparseTensor(out_indices, out_values, sp_a.dense_shape)


def sparse_maximum(sp_a, sp_b, name=None):
    """``tf.sparse_maximum``: the element-wise maximum of two SparseTensors of one shape (a missing value is 0)."""
    return _sparse_sparse("SparseSparseMaximum", sp_a, sp_b, name)


def sparse_minimum(sp_a, sp_b, name=None):
    """``tf.sparse_minimum``: the element-wise minimum of two SparseTensors of one shape (a missing value is 0)."""
    return _sparse_sparse("SparseSparseMinimum", sp_a, sp_b, name)
