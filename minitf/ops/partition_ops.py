"""``tf.dynamic_partition`` (DynamicPartition) and ``parallel_dynamic_stitch`` (ParallelDynamicStitch), with the
gradients of both stitches and of the partition, as TensorFlow's data_flow_ops and data_flow_grad. A partitioned
``embedding_lookup`` splits its ids with one and puts the looked-up rows back in order with the other.
"""

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape, tensor_util
from minitf.framework.indexed_slices import IndexedSlices
from minitf.framework.op_def_lib import RegisterGradient, apply_op, invalid_argument, register
from minitf.ops import array_ops, math_ops


def _dynamic_partition_infer(op):
    data, partitions = op.inputs
    n = op.get_attr("num_partitions")
    if data.shape.ndims is None or partitions.shape.ndims is None:
        shape = tensor_shape.unknown_shape()
    else:
        if not data.shape[:partitions.shape.ndims].is_compatible_with(partitions.shape):
            raise ValueError(f"Dimensions must be equal, but are {data.shape} and {partitions.shape}")
        shape = tensor_shape.TensorShape([None]).concatenate(data.shape[partitions.shape.ndims:])
    return [(data.dtype.base_dtype, shape)] * n


def _dynamic_partition_kernel(op, state):
    n = op.get_attr("num_partitions")

    def kernel(data, partitions):
        flat = partitions.reshape(-1)
        bad = np.flatnonzero((flat < 0) | (flat >= n))
        if bad.size:
            raise invalid_argument(f"partitions{list(np.unravel_index(bad[0], partitions.shape))} = "
                                   f"{int(flat[bad[0]])} is not in [0, {n})")
        rows = data.reshape((flat.size,) + data.shape[partitions.ndim:])
        parts = tuple(rows[flat == p] for p in range(n))
        return parts[0] if n == 1 else parts  # one output is its value itself, as for every single-output op
    return kernel


register("DynamicPartition", _dynamic_partition_infer, _dynamic_partition_kernel,
         input_names=("data", "partitions"))


def _stitch_infer(op):
    n = op.get_attr("N")
    indices, data = op.inputs[:n], op.inputs[n:]
    values = [tensor_util.constant_value(i) for i in indices]
    first = None if any(v is None for v in values) else \
        max((int(np.max(v)) + 1 for v in values if np.size(v)), default=0)
    rank = indices[0].shape.ndims
    tail = data[0].shape[rank:] if rank is not None and data[0].shape.ndims is not None else None
    shape = tensor_shape.TensorShape([first]).concatenate(tail) if tail is not None else \
        tensor_shape.unknown_shape()
    return [(data[0].dtype.base_dtype, shape)]


def _stitch_kernel(op, state):
    def kernel(*args):
        n = len(args) // 2
        indices, data = args[:n], args[n:]
        size = max((int(i.max()) + 1 for i in indices if i.size), default=0)
        first = data[0]
        out = np.zeros((size,) + first.shape[indices[0].ndim:], dtype=first.dtype)
        for i, d in zip(indices, data):
            out[i.reshape(-1)] = d.reshape((-1,) + out.shape[1:])
        return out
    return kernel


register("ParallelDynamicStitch", _stitch_infer, _stitch_kernel, input_names=("indices", "data"))


@RegisterGradient("DynamicStitch")
@RegisterGradient("ParallelDynamicStitch")
def _dynamic_stitch_grads(op, grad):
    num_values = len(op.inputs) // 2
    indices_grad = [None] * num_values

    def as_int32(x):
        return x if op.inputs[0].dtype == dtypes.int32 else math_ops.cast(x, dtypes.int32)
    inputs = [as_int32(op.inputs[i]) for i in range(num_values)]
    if isinstance(grad, IndexedSlices):
        output_rows = array_ops.shape(op.outputs[0])[0]
        grad = array_ops.unsorted_segment_sum(grad.values, grad.indices, output_rows)
    return indices_grad + [array_ops.gather(grad, inp) for inp in inputs]


@RegisterGradient("DynamicPartition")
def _dynamic_partition_grads(op, *grads):
    data, indices = op.inputs
    num_partitions = op.get_attr("num_partitions")
    prefix_shape = array_ops.shape(indices)
    original_indices = array_ops.reshape(math_ops.range_(math_ops.reduce_prod(prefix_shape)), prefix_shape)
    partitioned_indices = dynamic_partition(original_indices, indices, num_partitions)
    reconstructed = parallel_dynamic_stitch(partitioned_indices, grads)
    return [array_ops.reshape(reconstructed, array_ops.shape(data)), None]


def dynamic_partition(data, partitions, num_partitions, name=None):
    """``tf.dynamic_partition``: the slices of ``data`` whose partition is p, for each p < num_partitions."""
    with ops.name_scope(name, "DynamicPartition") as scope:
        data = ops.convert_to_tensor(data, name="data")
        partitions = ops.convert_to_tensor(partitions, name="partitions")
        return list(apply_op("DynamicPartition", [data, partitions],
                             {"num_partitions": num_partitions, "T": data.dtype.base_dtype}, scope)._outputs)


def parallel_dynamic_stitch(indices, data, name=None):
    """``data`` interleaved into one tensor: row ``indices[m][i]`` is ``data[m][i]``."""
    with ops.name_scope(name, "ParallelDynamicStitch") as scope:
        indices = [ops.convert_to_tensor(t, name=f"indices_{i}") for i, t in enumerate(indices)]
        data = [ops.convert_to_tensor(t, name=f"data_{i}") for i, t in enumerate(data)]
        return apply_op("ParallelDynamicStitch", indices + data,
                        {"N": len(indices), "T": data[0].dtype.base_dtype}, scope)._outputs[0]
