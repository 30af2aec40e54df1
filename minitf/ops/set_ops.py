"""Set operations on the last dimension of dense tensors (``tf.sets.set_difference`` for dense inputs): the
DenseToDenseSetOperation op, whose result is a sparse tensor (indices, values, dense_shape)."""

import collections

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape
from minitf.framework.op_def_lib import apply_op, invalid_argument, no_gradient, register

SparseResult = collections.namedtuple("SparseResult", ["indices", "values", "dense_shape"])

_OPERATIONS = {b"a-b": lambda a, b: sorted(set(a) - set(b)), b"b-a": lambda a, b: sorted(set(b) - set(a)),
               b"intersection": lambda a, b: sorted(set(a) & set(b)), b"union": lambda a, b: sorted(set(a) | set(b))}


def _dense_to_dense_kernel(op, state):
    operation = _OPERATIONS[op.get_attr("set_operation")]

    def kernel(set1, set2):
        if set1.ndim < 2 or set1.shape[:-1] != set2.shape[:-1]:
            raise invalid_argument(f"Shapes {list(set1.shape)} and {list(set2.shape)} are incompatible for a set "
                                   "operation: they must have rank 2 or more and agree on all but the last dimension")
        groups = [operation(a.tolist(), b.tolist()) for a, b in zip(set1.reshape(-1, set1.shape[-1]),
                                                                    set2.reshape(-1, set2.shape[-1]))]
        width = max((len(g) for g in groups), default=0)
        indices = [list(np.unravel_index(row, set1.shape[:-1])) + [j]
                   for row, group in enumerate(groups) for j in range(len(group))]
        values = np.array([v for group in groups for v in group], set1.dtype)
        return (np.array(indices, np.int64).reshape(-1, set1.ndim), values,
                np.array(list(set1.shape[:-1]) + [width], np.int64))
    return kernel


def _dense_to_dense_infer(op):
    rank = op.inputs[0].shape.ndims
    return [(dtypes.int64, tensor_shape.TensorShape([None, rank])),
            (op.inputs[0].dtype.base_dtype, tensor_shape.TensorShape([None])),
            (dtypes.int64, tensor_shape.TensorShape([rank]))]


register("DenseToDenseSetOperation", _dense_to_dense_infer, _dense_to_dense_kernel, input_names=("set1", "set2"),
         attr_defaults={"validate_indices": True})
no_gradient("DenseToDenseSetOperation")


def set_difference(a, b, aminusb=True, validate_indices=True):
    """The elements of ``a`` (``b`` if not ``aminusb``) missing from the other, per row of the last dimension, as a
    sparse result."""
    a = ops.convert_to_tensor(a, name="a")
    b = ops.convert_to_tensor(b, name="b")
    attrs = {"set_operation": b"a-b" if aminusb else b"b-a", "validate_indices": validate_indices,
             "T": a.dtype.base_dtype}
    return SparseResult(*apply_op("DenseToDenseSetOperation", [a, b], attrs).outputs)
