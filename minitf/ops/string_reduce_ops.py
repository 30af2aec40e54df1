"""``tf.reduce_join`` / ``tf.strings.reduce_join`` (``ReduceJoin``): strings joined along axes.

The reduced axes are joined in the order TensorFlow's kernel walks them: the first listed axis varies fastest, so
``reduce_join([["a", "b"], ["c", "d"]], [0, 1])`` is ``"acbd"`` and ``axis=None`` (all axes, last first) is
``"abcd"``.
"""

import numpy as np

from minitf.framework import dtypes, errors, ops, tensor_shape, tensor_util
from minitf.framework.op_def_lib import no_gradient, register
from minitf.ops import cwise_ops, shape_ops


def _axes(indices, rank, error):
    """``indices`` as non-negative axes, checked as TensorFlow checks them (``error`` for one out of range). At
    graph construction (``_static_out_of_range``) a repeated axis counts once: TensorFlow fails only at run time."""
    axes = []
    for index in np.asarray(indices).reshape(-1).tolist():
        axis = index + rank if index < 0 else index
        if not 0 <= axis < rank:
            raise error(index, rank)
        if axis in axes:
            if error is _static_out_of_range:
                continue
            raise errors.InvalidArgumentError(None, None, f"Duplicate reduction dimension {index}")
        axes.append(axis)
    return axes


def _static_out_of_range(index, rank):
    return ValueError(f"Invalid reduction dimension {index} for input with {rank} dimensions.")


def _run_time_out_of_range(index, rank):
    return errors.OutOfRangeError(None, None, f"Invalid reduction dimension {index} for input with {rank} "
                                  "dimension(s)")


def _reduce_join_infer(op):
    shape = op.inputs[0].shape
    indices = tensor_util.constant_value(op.inputs[1])
    if shape.ndims is None or indices is None:
        return [(dtypes.string, tensor_shape.unknown_shape())]
    axes = _axes(indices, shape.ndims, _static_out_of_range)
    keep = op.get_attr("keep_dims")
    dims = [1 if i in axes else d for i, d in enumerate(shape.dims) if keep or i not in axes]
    return [(dtypes.string, tensor_shape.TensorShape(dims))]


def _reduce_join_kernel(op, state):
    separator = op.get_attr("separator")
    separator = separator if isinstance(separator, bytes) else separator.encode()
    keep = op.get_attr("keep_dims")

    def kernel(inputs, reduction_indices):
        inputs = np.asarray(inputs, dtype=object)
        axes = _axes(reduction_indices, inputs.ndim, _run_time_out_of_range)
        kept = [i for i in range(inputs.ndim) if i not in axes]
        walk = np.transpose(inputs, kept + axes[::-1])  # the first listed axis varies fastest
        rows = walk.reshape(int(np.prod([inputs.shape[i] for i in kept])),
                            int(np.prod([inputs.shape[a] for a in axes])))
        out = np.empty(len(rows), dtype=object)
        out[:] = [separator.join(row) for row in rows.tolist()]
        shape = [1 if i in axes else n for i, n in enumerate(inputs.shape) if keep or i not in axes]
        return out.reshape(shape)
    return kernel


register("ReduceJoin", _reduce_join_infer, _reduce_join_kernel, input_names=("inputs", "reduction_indices"),
         attr_defaults={"keep_dims": False, "separator": ""})
no_gradient("ReduceJoin")


def reduce_join(inputs, axis=None, keep_dims=None, separator="", name=None, reduction_indices=None,
                keepdims=None):
    """``tf.reduce_join``: the strings of ``inputs`` joined by ``separator`` along ``axis`` (all axes if None)."""
    if keepdims is not None and keep_dims is not None:
        raise ValueError("Cannot specify both 'keepdims' and 'keep_dims'")
    if axis is not None and reduction_indices is not None:
        raise ValueError("Cannot specify both 'axis' and 'reduction_indices'")
    keepdims = keepdims if keepdims is not None else bool(keep_dims)
    axis = axis if axis is not None else reduction_indices
    with ops.name_scope(None, "ReduceJoin", [inputs, axis]):
        inputs = ops.convert_to_tensor(inputs, dtype=dtypes.string)
        if axis is None and inputs.shape.ndims is not None:  # all axes, last first
            axis = ops.convert_to_tensor(np.arange(inputs.shape.ndims - 1, -1, -1, dtype=np.int32))
        elif axis is None:
            axis = cwise_ops.range(shape_ops.rank(inputs) - 1, -1, -1)
        with ops.name_scope(name or "ReduceJoin") as scope:
            axis = ops.convert_to_tensor(axis, dtype=dtypes.int32, name="reduction_indices")
            return ops.get_default_graph().create_op("ReduceJoin", [inputs, axis], {"keep_dims": keepdims, "separator": separator},
                                   scope).outputs[0]
