"""Sparse tensors' structure: ``tf.sparse_to_dense`` / ``tf.sparse_tensor_to_dense`` (``SparseToDense``),
``tf.sparse_reorder`` (``SparseReorder``), ``tf.sparse_reshape`` (``SparseReshape``), ``tf.sparse_concat``
(``SparseConcat``), ``tf.sparse_fill_empty_rows`` (``SparseFillEmptyRows``, and ``SparseFillEmptyRowsGrad``),
``tf.sparse_transpose``, ``tf.sparse_retain`` and ``tf.sparse_placeholder``, built as TensorFlow 2.21's
``tf.compat.v1`` builds them. Arithmetic on SparseTensors is in sparse_math_ops.py, gradients in sparse_grad.py.

The SparseTensor class itself lives in minitf/framework/sparse_tensor.py.
"""

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape, tensor_util
from minitf.framework.op_def_lib import invalid_argument, register
from minitf.framework.sparse_tensor import SparseTensor, SparseTensorValue


def shape_text(dims):
    return "[" + ",".join(str(int(d)) for d in dims) + "]"


def _sparse_to_dense_infer(op):
    indices, output_shape, values, default = (t.shape for t in op.inputs)
    if indices.ndims is not None and indices.ndims > 2:
        raise ValueError(f"Shape must be at most rank 2 but is rank {indices.ndims}")
    output_shape.with_rank(1)
    default.with_rank(0)
    return [(op.inputs[2].dtype.base_dtype, tensor_util.constant_value_as_shape(op.inputs[1]))]


def with_rank(shape, rank):
    """``shape`` with rank ``rank``, or the ValueError of TensorFlow's shape functions (C++ wording)."""
    if shape.ndims is not None and shape.ndims != rank:
        raise ValueError(f"Shape must be rank {rank} but is rank {shape.ndims}")
    return shape if shape.ndims is not None else tensor_shape.unknown_shape(rank)


def check_sparse_tensor(indices, values, shape):
    """The checks of TensorFlow's ``SparseTensor::Create``: the parts' ranks, one index row per value, one index
    column per dimension."""
    check_shape_parts(indices, values, shape)
    if indices.shape[0] != values.shape[0]:
        raise invalid_argument(f"indices and values rows (indexing dimension) must match. (indices = "
                               f"{indices.shape[0]}, values = {values.shape[0]})")
    if indices.shape[1] != shape.shape[0]:
        raise invalid_argument("Order length must be SparseTensor rank.")


def check_shape_parts(indices, values, shape):
    """The ranks of a SparseTensor's parts, as TensorFlow's kernels check them."""
    if indices.ndim != 2:
        raise invalid_argument(f"Input indices should be a matrix but received shape {shape_text(indices.shape)}")
    if values.ndim != 1:
        raise invalid_argument(f"Input values should be a vector but received shape {shape_text(values.shape)}")
    if shape.ndim != 1:
        raise invalid_argument(f"Input shape should be a vector but received shape {shape_text(shape.shape)}")


def check_indices(indices, shape):
    """TensorFlow's index validation: each row in bounds, rows in increasing lexicographic order, no repeats."""
    if len(indices) == 0:
        return
    bad = np.nonzero((indices < 0) | (indices >= shape))[0]
    rows = [tuple(row) for row in indices.tolist()]
    first_bad = bad[0] if bad.size else len(rows)
    for i in range(len(rows)):
        if i == first_bad:
            raise invalid_argument(f"indices[{i}] = {shape_text(rows[i])} is out of bounds: need 0 <= index < "
                                   f"{shape_text(shape)}")
        if i and rows[i] <= rows[i - 1]:
            if rows[i] == rows[i - 1]:
                raise invalid_argument(f"indices[{i}] = {shape_text(rows[i])} is repeated")
            raise invalid_argument(f"indices[{i}] = {shape_text(rows[i])} is out of order. Many sparse ops "
                                   "require sorted indices.\n    Use `tf.sparse.reorder` to create a correctly "
                                   "ordered copy.\n\n")


def _sparse_to_dense_kernel(op, state):
    validate = op.get_attr("validate_indices")

    def kernel(indices, output_shape, values, default):
        if indices.ndim > 2:
            raise invalid_argument(f"sparse_indices should be a scalar, vector, or matrix, got shape "
                                   f"{shape_text(indices.shape)}")
        if output_shape.ndim != 1:
            raise invalid_argument(f"output_shape should be a vector, got shape {shape_text(output_shape.shape)}")
        count = indices.shape[0] if indices.ndim > 0 else 1
        rank = indices.shape[1] if indices.ndim > 1 else 1
        if not (values.ndim == 0 or (values.ndim == 1 and values.shape[0] == count)):
            raise invalid_argument(f"sparse_values has incorrect shape {shape_text(values.shape)}, should be [] or "
                                   f"[{count}]")
        if default.ndim != 0:
            raise invalid_argument("default_value should be a scalar.")
        if output_shape.shape[0] != rank:
            raise invalid_argument(f"output_shape has incorrect number of elements: {output_shape.shape[0]} should "
                                   f"be: {rank}")
        rows = indices.reshape(count, rank).astype(np.int64)
        if validate:
            check_indices(rows, output_shape.astype(np.int64))
        dense = np.full(tuple(int(d) for d in output_shape), default, dtype=values.dtype)
        if count:
            dense[tuple(rows.T)] = values
        return dense
    return kernel


register("SparseToDense", _sparse_to_dense_infer, _sparse_to_dense_kernel,
         input_names=("sparse_indices", "output_shape", "sparse_values", "default_value"))


def sparse_to_dense(sparse_indices, output_shape, sparse_values, default_value=0, validate_indices=True, name=None):
    """``tf.sparse_to_dense``: a dense tensor of ``output_shape`` holding ``sparse_values`` at ``sparse_indices``.

    Converts its arguments as TensorFlow's op wrapper does: ``output_shape`` to the indices' type,
    ``default_value`` to the values' type, as Consts named after the arguments inside the op's scope.
    """
    graph = ops._graph_of([sparse_indices, output_shape, sparse_values, default_value]) or ops.get_default_graph()
    with graph.as_default(), graph.name_scope(name or "SparseToDense") as scope:
        indices = ops.convert_to_tensor(sparse_indices, name="sparse_indices")
        output_shape = ops.convert_to_tensor(output_shape, dtype=indices.dtype, name="output_shape")
        values = ops.convert_to_tensor(sparse_values, name="sparse_values")
        default_value = ops.convert_to_tensor(default_value, dtype=values.dtype, name="default_value")
        attrs = {"validate_indices": bool(validate_indices), "T": values.dtype.base_dtype,
                 "Tindices": indices.dtype.base_dtype}
        return graph.create_op("SparseToDense", [indices, output_shape, values, default_value], attrs,
                               scope).outputs[0]


def sparse_tensor_to_dense(sp_input, default_value=None, validate_indices=True, name=None):
    """``tf.sparse_tensor_to_dense``: the dense tensor of a SparseTensor, ``default_value`` (zero) elsewhere."""
    sp_input = SparseTensor.from_value(sp_input)
    if default_value is None:
        from minitf.ops import array_ops
        default_value = array_ops.zeros([], dtype=sp_input.dtype)
    return sparse_to_dense(sp_input.indices, sp_input.dense_shape, sp_input.values, default_value,
                           validate_indices, name)


def convert_to_sparse_tensor(sp_input):
    """``sp_input`` (a SparseTensor or SparseTensorValue) as a SparseTensor; TypeError for anything else."""
    if isinstance(sp_input, SparseTensorValue):
        return SparseTensor.from_value(sp_input)
    if not isinstance(sp_input, SparseTensor):
        raise TypeError("Input must be a SparseTensor.")
    return sp_input


def sparse_retain(sp_input, to_retain):
    """``tf.sparse_retain``: the values of ``sp_input`` where the bool vector ``to_retain`` is true, same shape."""
    from minitf.ops import array_ops
    sp_input = convert_to_sparse_tensor(sp_input)
    to_retain = ops.convert_to_tensor(to_retain)
    retain_shape = to_retain.shape
    retain_shape.assert_has_rank(1)
    count = sp_input.values.shape[0] if sp_input.values.shape.dims is not None else tensor_shape.Dimension(None)
    retained = retain_shape[0] if retain_shape.dims is not None else tensor_shape.Dimension(None)
    if not count.is_compatible_with(retained):
        raise ValueError(f"Dimensions {count} and {retained} are not compatible")
    where_true = array_ops.reshape(array_ops.where_v2(to_retain), [-1])
    new_indices = array_ops.gather(sp_input.indices, where_true)
    new_values = array_ops.gather(sp_input.values, where_true)
    return SparseTensor(new_indices, new_values, array_ops.identity(sp_input.dense_shape))


# -- SparseReorder ------------------------------------------------------------------------------------------------

def _reorder_infer(op):
    indices = with_rank(op.inputs[0].shape, 2)
    values = with_rank(op.inputs[1].shape, 1)
    with_rank(op.inputs[2].shape, 1)
    return [(op.inputs[0].dtype.base_dtype, indices), (op.inputs[1].dtype.base_dtype, values)]


def _reorder_kernel(indices, values, shape):
    check_shape_parts(indices, values, shape)
    if indices.shape[0] != values.shape[0]:
        raise invalid_argument(f"Number of elements in indices ({indices.shape[0]}) and values ({values.shape[0]}) "
                               "do not match")
    if indices.shape[1] != shape.shape[0]:
        raise invalid_argument(f"Index rank ({indices.shape[1]}) and shape rank ({shape.shape[0]}) do not match")
    order = np.lexsort(indices.T[::-1]) if indices.size else np.arange(len(values))
    return indices[order], values[order]


register("SparseReorder", _reorder_infer, lambda op, state: _reorder_kernel,
         input_names=("input_indices", "input_values", "input_shape"), attrs=("T",))


def sparse_reorder(sp_input, name=None):
    """``tf.sparse_reorder``: ``sp_input`` with its values in the canonical row-major order of their indices."""
    from minitf.ops import array_ops
    sp_input = convert_to_sparse_tensor(sp_input)
    graph = sp_input.graph
    with graph.as_default():
        indices, values = graph.create_op("SparseReorder", [sp_input.indices, sp_input.values, sp_input.dense_shape],
                                          {"T": sp_input.values.dtype.base_dtype}, name).outputs
        if sp_input.shape.is_fully_defined():
            return SparseTensor(indices, values, sp_input.shape.as_list())
        output = SparseTensor(indices, values, array_ops.identity(sp_input.dense_shape))
        output.set_shape(sp_input.shape)
        return output


def from_dense(tensor, name=None):
    """``tf.sparse.from_dense``: the SparseTensor of the nonzero elements of ``tensor``."""
    from minitf.ops import array_ops, cwise_ops, indexing_ops
    with ops.name_scope(name, "dense_to_sparse"):
        tensor = ops.convert_to_tensor(tensor)
        indices = array_ops.where_v2(cwise_ops.not_equal(tensor, array_ops.zeros_like(tensor)))
        values = indexing_ops.gather_nd(tensor, indices)
        shape = array_ops.shape(tensor, out_type=dtypes.int64)
        return SparseTensor(indices, values, shape)


def sparse_transpose(sp_input, perm=None, name=None):
    """``tf.sparse_transpose``: ``sp_input`` with its dimensions permuted by ``perm`` (reversed when None), its
    values reordered to the new row-major order."""
    from minitf.ops import array_ops, cwise_ops
    with ops.name_scope(name, "SparseTranspose", [sp_input]):
        if perm is None:
            if sp_input.shape.ndims is not None:
                rank = sp_input.shape.ndims
                perm = (rank - 1) - np.arange(0, rank, 1)
            else:
                with ops.name_scope(None, "Rank", [sp_input.dense_shape]) as scope:  # tf.rank of a SparseTensor
                    rank = array_ops.size(sp_input.dense_shape, name=scope)
                perm = (rank - 1) - cwise_ops.range(0, rank, 1)
        indices = sp_input.indices
        transposed_indices = array_ops.transpose(array_ops.gather(array_ops.transpose(indices), perm))
        perm_ = tensor_util.constant_value(ops.convert_to_tensor(perm))
        if perm_ is not None and sp_input.shape.is_fully_defined():
            old_shape_ = sp_input.shape.as_list()
            transposed_dense_shape = list(old_shape_)
            for i, p in enumerate(perm_):
                transposed_dense_shape[i] = old_shape_[p]
        else:
            transposed_dense_shape = array_ops.gather(sp_input.dense_shape, perm)
        transposed_st = SparseTensor(transposed_indices, sp_input.values, transposed_dense_shape)
        return sparse_reorder(transposed_st)


# -- SparseReshape ------------------------------------------------------------------------------------------------

def _reshape_infer(op):
    indices = with_rank(op.inputs[0].shape, 2)
    with_rank(op.inputs[1].shape, 1)
    rank = with_rank(op.inputs[2].shape, 1)[0]
    return [(dtypes.int64, tensor_shape.TensorShape([indices[0], rank])),
            (dtypes.int64, tensor_shape.TensorShape([rank]))]


def _reshape_kernel(indices, input_shape, new_shape):
    """The new shape (one ``-1`` inferred) and each value's index in it, through its row-major position."""
    if indices.ndim != 2:
        raise invalid_argument(f"Input indices should be a matrix but received shape {shape_text(indices.shape)}")
    if input_shape.ndim != 1 or new_shape.ndim != 1:
        raise invalid_argument("Input shape and new shape should be vectors")
    if indices.shape[1] != input_shape.shape[0]:
        raise invalid_argument("Input tensor rank must match input shape length.")
    dense_size = int(np.prod(input_shape, dtype=np.int64))
    output_shape, product, unknown = [], 1, -1
    for d, size in enumerate(new_shape.tolist()):
        if size == -1:
            if unknown != -1:
                raise invalid_argument(f"only one output dimension may be -1, not both {unknown} and {d}")
            unknown = d
            output_shape.append(1)
        else:
            if size < 0:
                raise invalid_argument(f"size {d} must be non-negative, not {size}")
            product *= size
            output_shape.append(size)
    if unknown != -1:
        if product <= 0:
            raise invalid_argument("reshape cannot infer the missing input size for an empty tensor unless all "
                                   "specified input sizes are non-zero")
        missing = dense_size // product
        if product * missing != dense_size:
            raise invalid_argument(f"Input to reshape is a SparseTensor with {dense_size} dense values, but the "
                                   f"requested shape requires a multiple of {product}. input_shape="
                                   f"{shape_text(input_shape)} output_shape={shape_text(output_shape)}")
        output_shape[unknown] = missing
    if int(np.prod(output_shape, dtype=np.int64)) != dense_size:
        raise invalid_argument(f"Input to reshape is a tensor with {dense_size} dense values, but the requested "
                               f"shape has {int(np.prod(output_shape, dtype=np.int64))}. input_shape="
                               f"{shape_text(input_shape)} output_shape={shape_text(output_shape)}")
    flat = indices.astype(np.int64) @ _strides(input_shape.tolist()) if indices.size else \
        np.zeros(len(indices), np.int64)  # as the kernel, without a bounds check
    new_indices = np.zeros((len(indices), len(output_shape)), np.int64)
    for d, stride in enumerate(_strides(output_shape).tolist()):
        new_indices[:, d], flat = flat // stride, flat % stride
    return new_indices, np.array(output_shape, np.int64)


def _strides(shape):
    """Row-major strides of ``shape`` (in elements)."""
    return np.array([int(np.prod(shape[d + 1:], dtype=np.int64)) for d in range(len(shape))], np.int64)


register("SparseReshape", _reshape_infer, lambda op, state: _reshape_kernel,
         input_names=("input_indices", "input_shape", "new_shape"))


def sparse_reshape(sp_input, shape, name=None):
    """``tf.sparse_reshape``: ``sp_input`` as a SparseTensor of ``shape`` (one dimension may be -1), the values in
    the same row-major positions."""
    from minitf.ops import array_ops, math_ops
    from minitf.ops.constant_op import constant
    sp_input = convert_to_sparse_tensor(sp_input)
    shape = math_ops.cast(shape, dtype=dtypes.int64)
    with ops.name_scope(name, "SparseReshape", [sp_input]) as name:
        reshaped_ind, reshaped_shape = shape.graph.create_op(
            "SparseReshape", [sp_input.indices, sp_input.dense_shape, shape], {}, name).outputs
        static = tensor_util.constant_value_as_shape(shape)
        static = static.as_list() if static.ndims is not None else None
        if static is not None and sp_input.shape.is_fully_defined():
            reshaped_shape = _static_reshape(sp_input.shape.as_list(), static, tensor_util.constant_value(shape),
                                             reshaped_shape, constant)
        return SparseTensor(reshaped_ind, array_ops.identity(sp_input.values), reshaped_shape)


def _static_reshape(in_shape, static, by_user, reshaped_shape, constant):
    """TensorFlow's static check of a reshape of a fully known shape; the new shape as a Const when it is known."""
    if by_user is not None and sum(int(d) == -1 for d in by_user) > 1:
        raise ValueError(f"At most one dimension can be inferred (-1). Found: {by_user}")
    original = list(static)
    in_size = int(np.prod(in_shape))
    implied = sum(d is None for d in static)
    if implied == 1 and 0 not in static:
        index = original.index(None)
        static[index] = int(in_size // np.prod(original[:index] + original[index + 1:]))
    if implied == 0 or (implied == 1 and 0 not in static):
        size = int(np.prod(static))
        if size != in_size:
            raise ValueError(f"Cannot reshape a tensor with {in_size} elements to shape {original} ({size} "
                             "elements).")
        return constant(static, dtype=dtypes.int64)
    return reshaped_shape


# -- SparseConcat -------------------------------------------------------------------------------------------------

def _concat_infer(op):
    n = op.get_attr("N")
    indices, values, shapes = op.inputs[:n], op.inputs[n:2 * n], op.inputs[2 * n:]
    rows, rank = tensor_shape.Dimension(0), tensor_shape.Dimension(None)
    for ix, v, shape in zip(indices, values, shapes):
        ix_shape = with_rank(ix.shape, 2)
        with_rank(v.shape, 1)
        rows = rows + ix_shape[0]
        for dim in (ix_shape[1], with_rank(shape.shape, 1)[0]):
            if not rank.is_compatible_with(dim):
                raise ValueError(f"Dimensions must be equal, but are {rank} and {dim}")
            rank = rank.merge_with(dim)
    return [(dtypes.int64, tensor_shape.TensorShape([rows, rank])),
            (op.get_attr("T"), tensor_shape.TensorShape([rows])), (dtypes.int64, tensor_shape.TensorShape([rank]))]


def _concat_kernel(op, state):
    n, axis = op.get_attr("N"), op.get_attr("concat_dim")

    def kernel(*inputs):
        indices, values, shapes = inputs[:n], inputs[n:2 * n], inputs[2 * n:]
        for ix, v, shape in zip(indices, values, shapes):
            check_shape_parts(ix, v, shape)
        rank = len(shapes[0])
        if not -rank <= axis < rank:
            raise invalid_argument(f"Concat dimension must be in range [{-rank}, {rank}), got {axis}")
        dim = axis % rank
        for i, shape in enumerate(shapes[1:], 1):
            if len(shape) != rank:
                raise invalid_argument(f"Ranks of all input tensors must match: expected {rank} but got "
                                       f"{len(shape)} at position {i}")
            for d in range(rank):
                if d != dim and shape[d] != shapes[0][d]:
                    raise invalid_argument(f"Input shapes must match: expected {int(shapes[0][d])} for dimension "
                                           f"{d} but got {int(shape[d])} at position {i}")
        parts, offset = [], 0
        for ix, v, shape in zip(indices, values, shapes):
            check_sparse_tensor(ix, v, shape)
            ix = ix.astype(np.int64)
            ix[:, dim] += offset
            parts.append((ix, v))
            offset += int(shape[dim])
        out_shape = shapes[0].astype(np.int64).copy()
        out_shape[dim] = offset
        out_indices = np.concatenate([p[0] for p in parts]).reshape(-1, rank)
        out_values = np.concatenate([p[1] for p in parts])
        order = np.lexsort(out_indices.T[::-1]) if len(out_indices) else np.arange(0)  # row-major, as TensorFlow
        return out_indices[order], out_values[order], out_shape
    return kernel


register("SparseConcat", _concat_infer, _concat_kernel, input_names=("indices", "values", "shapes"),
         attrs=("concat_dim", "N", "T"))


def sparse_concat(axis, sp_inputs, name=None, expand_nonconcat_dim=False, concat_dim=None,
                  expand_nonconcat_dims=None):
    """``tf.sparse_concat``: SparseTensors joined along ``axis``; with ``expand_nonconcat_dim`` the other
    dimensions are the largest of the inputs'."""
    from minitf.ops import array_ops, math_ops
    if expand_nonconcat_dims is not None:
        expand_nonconcat_dim = expand_nonconcat_dims
    if concat_dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'concat_dim'")
        axis = concat_dim
    sp_inputs = [convert_to_sparse_tensor(sp) for sp in sp_inputs]
    if len(sp_inputs) == 1:
        return sp_inputs[0]
    inds = [sp.indices for sp in sp_inputs]
    vals = [sp.values for sp in sp_inputs]
    shapes = [sp.dense_shape for sp in sp_inputs]
    if expand_nonconcat_dim:
        max_shape = math_ops.reduce_max(array_ops.concat([array_ops.reshape(shape, [1, -1]) for shape in shapes], 0),
                                        0)
        shapes = [array_ops.concat([max_shape[:axis], shape[-1:] if axis == -1 else shape[axis:axis + 1],
                                    [] if axis == -1 else max_shape[axis + 1:]], 0) for shape in shapes]
    graph = inds[0].graph
    attrs = {"concat_dim": int(axis), "N": len(sp_inputs), "T": vals[0].dtype.base_dtype}
    with graph.as_default():
        output_ind, output_val, output_shape = graph.create_op("SparseConcat", inds + vals + shapes, attrs,
                                                               name).outputs
    input_shapes = [sp.shape for sp in sp_inputs]
    if all(shape.ndims is not None for shape in input_shapes):
        if expand_nonconcat_dim:
            static = [max((shape[d] for shape in input_shapes), key=_dimension_order)
                      for d in range(input_shapes[0].ndims)]
        else:
            static = list(input_shapes[0].dims)
        total = tensor_shape.Dimension(0)
        for shape in input_shapes:
            total = total + shape[axis]
        static[axis] = total
        static = tensor_shape.TensorShape(static)
    else:
        static = tensor_shape.unknown_shape()
    if all(shape.is_fully_defined() for shape in input_shapes):
        return SparseTensor(output_ind, output_val, ops.convert_to_tensor(static.as_list(), dtype=dtypes.int64))
    output = SparseTensor(output_ind, output_val, output_shape)
    output.set_shape(static)
    return output


def _dimension_order(dim):
    """Python's ``max`` of TensorFlow Dimensions: an unknown dimension is below every known one."""
    return -1 if dim.value is None else dim.value


# -- SparseFillEmptyRows ------------------------------------------------------------------------------------------

def _fill_infer(op):
    with_rank(op.inputs[0].shape, 2)
    with_rank(op.inputs[1].shape, 1)
    rank = with_rank(op.inputs[2].shape, 1)[0]
    with_rank(op.inputs[3].shape, 0)
    shape = tensor_util.constant_value(op.inputs[2])
    rows = int(shape[0]) if shape is not None and len(shape) else None
    return [(dtypes.int64, tensor_shape.TensorShape([None, rank])),
            (op.inputs[1].dtype.base_dtype, tensor_shape.TensorShape([None])),
            (dtypes.bool, tensor_shape.TensorShape([rows])),
            (dtypes.int64, tensor_shape.TensorShape([op.inputs[0].shape[0]]))]


def _fill_kernel(indices, values, dense_shape, default_value):
    """Every row without values gets ``default_value`` at column 0; the values keep their order within rows."""
    if dense_shape.ndim != 1:
        raise invalid_argument(f"dense_shape must be a vector, saw: {shape_text(dense_shape.shape)}")
    if indices.ndim != 2:
        raise invalid_argument(f"indices must be a matrix, saw: {shape_text(indices.shape)}")
    if values.ndim != 1:
        raise invalid_argument(f"values must be a vector, saw: {shape_text(values.shape)}")
    if indices.shape[0] != values.shape[0]:
        raise invalid_argument(f"The length of `values` ({values.shape[0]}) must match the first dimension of "
                               f"`indices` ({indices.shape[0]}).")
    if indices.shape[1] != dense_shape.shape[0]:
        raise invalid_argument(f"The length of `dense_shape` ({dense_shape.shape[0]}) must match the second "
                               f"dimension of `indices` ({indices.shape[1]}).")
    if default_value.ndim != 0:
        raise invalid_argument(f"default_value must be a scalar, saw: {shape_text(default_value.shape)}")
    if len(dense_shape) == 0:
        raise invalid_argument("Dense shape cannot be empty.")
    rows, rank = int(dense_shape[0]), len(dense_shape)
    row_of = indices[:, 0].astype(np.int64) if len(indices) else np.zeros(0, np.int64)
    for i, row in enumerate(row_of.tolist()):
        if not 0 <= row < rows:  # TensorFlow's message for a negative row too
            raise invalid_argument(f"indices({i}, 0) is invalid: {row} >= {rows}")
    counts = np.bincount(row_of, minlength=rows)
    empty = counts == 0
    sizes = np.maximum(counts, 1)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    out_indices = np.zeros((int(sizes.sum()), rank), np.int64)
    out_values = np.full(int(sizes.sum()), default_value, values.dtype)
    out_indices[starts[empty], 0] = np.flatnonzero(empty)
    filled = np.zeros(rows, np.int64)
    reverse = np.zeros(len(values), np.int64)
    for i, row in enumerate(row_of.tolist()):
        reverse[i] = starts[row] + filled[row]
        filled[row] += 1
    out_indices[reverse] = indices
    out_values[reverse] = values
    return out_indices, out_values, empty, reverse


register("SparseFillEmptyRows", _fill_infer, lambda op, state: _fill_kernel,
         input_names=("indices", "values", "dense_shape", "default_value"), attrs=("T",))


def _fill_grad_infer(op):
    dtype = op.inputs[1].dtype.base_dtype
    return [(dtype, with_rank(op.inputs[0].shape, 1)), (dtype, tensor_shape.TensorShape([]))]


def _fill_grad_kernel(reverse_index_map, grad_values):
    """The values' gradients at their places; the filled places' gradients summed into the default's."""
    d_values = grad_values[reverse_index_map]
    visited = np.zeros(len(grad_values), bool)
    visited[reverse_index_map] = True
    d_default = np.zeros((), grad_values.dtype)
    for g in grad_values[~visited]:
        d_default = d_default + g
    return d_values, np.asarray(d_default, grad_values.dtype)


register("SparseFillEmptyRowsGrad", _fill_grad_infer, lambda op, state: _fill_grad_kernel,
         input_names=("reverse_index_map", "grad_values"), attrs=("T",))


def sparse_fill_empty_rows(sp_input, default_value, name=None):
    """``tf.sparse_fill_empty_rows``: ``(filled, empty_row_indicator)``, each empty row of the 2-D ``sp_input``
    given ``default_value`` at column 0."""
    sp_input = convert_to_sparse_tensor(sp_input)
    with ops.name_scope(name, "SparseFillEmptyRows", [sp_input]):
        default_value = ops.convert_to_tensor(default_value, dtype=sp_input.values.dtype)
        outputs = sp_input.graph.create_op("SparseFillEmptyRows", [sp_input.indices, sp_input.values,
                                                                   sp_input.dense_shape, default_value],
                                           {"T": sp_input.values.dtype.base_dtype}).outputs
        return SparseTensor(outputs[0], outputs[1], sp_input.dense_shape), outputs[2]


# -- sparse_placeholder -------------------------------------------------------------------------------------------

def sparse_placeholder(dtype, shape=None, name=None):
    """``tf.sparse_placeholder``: a SparseTensor of placeholders, fed with a SparseTensorValue. A given ``shape``
    (``None`` or -1 for unknown dimensions) is the default of its ``dense_shape``."""
    from minitf.ops import array_ops
    shape_name = (name + "/shape") if name is not None else None
    default_shape_name = (name + "/shape_default") if name is not None else None
    if shape is None:
        rank = None
        dense_shape = array_ops.placeholder(dtypes.int64, shape=[rank], name=shape_name)
        dense_shape_default = tensor_util.constant_value_as_shape(dense_shape)
    else:
        if isinstance(shape, ops.Tensor):
            rank = shape.shape[0]
            dense_shape_default = tensor_util.constant_value_as_shape(shape)
        else:
            rank = len(shape)
            dense_shape_default = tensor_shape.TensorShape([None if dim == -1 else dim for dim in shape])
            shape = [-1 if dim is None else dim for dim in (tensor_shape.dimension_value(d) for d in shape)]
            shape = ops.convert_to_tensor(shape, dtype=dtypes.int64, name=default_shape_name)
        dense_shape = array_ops.placeholder_with_default(shape, shape=shape.shape, name=shape_name)
    result = SparseTensor(
        values=array_ops.placeholder(dtype, shape=[None], name=(name + "/values") if name is not None else None),
        indices=array_ops.placeholder(dtypes.int64, shape=[None, rank],
                                      name=(name + "/indices") if name is not None else None),
        dense_shape=dense_shape)
    result.set_shape(dense_shape_default)
    return result
