"""``tf.bincount`` (``tf.math.bincount``): the DenseBincount op and the graph TensorFlow 2.21's
``bincount_ops.bincount`` builds around it (the output length ``max(arr) + 1``, clipped by ``minlength`` and
``maxlength``). Counts have no gradient, as in TensorFlow."""

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape, tensor_util
from minitf.framework.op_def_lib import apply_op_1, invalid_argument, no_gradient, pure_with_attrs, register
from minitf.ops import array_ops, constant_op, cwise_ops, math_ops


def _dense_bincount_infer(op):
    arr, size, weights = op.inputs
    if arr.shape.ndims is not None and arr.shape.ndims > 2:
        raise ValueError(f"Shape must be at most rank 2 but is rank {arr.shape.ndims} for '{op.name}' "
                         "(op: 'DenseBincount')")
    if size.shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {size.shape.ndims} for '{op.name}' (op: 'DenseBincount')")
    value = tensor_util.evaluate_constant(size)  # TensorFlow's shape function evaluates a constant size
    length = None if value is None else int(value)
    if arr.shape.ndims is None:
        shape = tensor_shape.unknown_shape()
    elif arr.shape.ndims == 2:
        shape = tensor_shape.TensorShape([arr.shape[0].value, length])
    else:
        shape = tensor_shape.TensorShape([length])
    return [(weights.dtype.base_dtype, shape)]


def _dense_bincount_kernel(op):
    binary_output = op.get_attr("binary_output")
    dtype = op.get_attr("T").as_numpy_dtype

    def kernel(arr, size, weights):
        size = int(size)
        if size < 0:
            raise invalid_argument(f"size ({size}) must be non-negative")
        if arr.size and arr.min() < 0:
            raise invalid_argument("Input arr must be non-negative!")
        if weights.size and weights.shape != arr.shape:
            raise invalid_argument("`weights` must be the same shape as `arr` or a length-0 `Tensor`, in which case "
                                   f"it acts as all weights equal to 1. Received {list(weights.shape)}")
        rows = arr if arr.ndim == 2 else arr.reshape(1, -1)
        row_weights = weights.reshape(rows.shape) if weights.size else np.ones(rows.shape, dtype)
        out = np.zeros((rows.shape[0], size), dtype)
        for row, (values, w) in enumerate(zip(rows, row_weights)):
            keep = values < size
            if binary_output:
                out[row, values[keep]] = 1
            else:
                np.add.at(out[row], values[keep], w[keep])
        return out if arr.ndim == 2 else out.reshape(size)
    return kernel


register("DenseBincount", _dense_bincount_infer, pure_with_attrs(_dense_bincount_kernel),
         input_names=("input", "size", "weights"), attr_defaults={"binary_output": False})
no_gradient("DenseBincount")


def bincount(arr, weights=None, minlength=None, maxlength=None, dtype=dtypes.int32):
    """``tf.bincount``: how often each value of the non-negative int ``arr`` occurs (or the sum of its
    ``weights``), a vector of length ``max(arr) + 1`` (0 for an empty ``arr``) at least ``minlength`` and at most
    ``maxlength`` long; values from ``maxlength`` on are skipped."""
    with ops.name_scope("bincount"):
        arr = ops.convert_to_tensor(arr, name="arr")
        if weights is not None:
            weights = ops.convert_to_tensor(weights, name="weights")
        if not arr.dtype.is_integer:
            arr = cwise_ops.cast(arr, dtypes.int32)
        array_is_nonempty = array_ops.size(arr) > 0
        output_size = cwise_ops.cast(array_is_nonempty, arr.dtype) * (math_ops.reduce_max(arr) + 1)
        if minlength is not None:
            minlength = ops.convert_to_tensor(minlength, name="minlength", dtype=arr.dtype)
            output_size = cwise_ops.maximum(minlength, output_size)
        if maxlength is not None:
            maxlength = ops.convert_to_tensor(maxlength, name="maxlength", dtype=arr.dtype)
            output_size = cwise_ops.minimum(maxlength, output_size)
        if weights is not None:
            weights = array_ops.reshape(weights, [-1])
        arr = array_ops.reshape(arr, [-1])
        if weights is None:
            weights = constant_op.constant([], dtype=dtype)
        return apply_op_1("DenseBincount", [arr, output_size, weights],
                          {"Tidx": arr.dtype.base_dtype, "T": weights.dtype.base_dtype, "binary_output": False})
