"""Sparse to dense: ``tf.sparse_to_dense`` and ``tf.sparse_tensor_to_dense`` (TensorFlow's ``SparseToDense`` op).

The SparseTensor class itself lives in minitf/framework/sparse_tensor.py.
"""

import numpy as np

from minitf.framework import ops, tensor_shape, tensor_util
from minitf.framework.op_def_lib import invalid_argument, no_gradient, register
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
no_gradient("SparseToDense")


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
