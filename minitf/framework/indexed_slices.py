"""``tf.IndexedSlices``: a sparse representation of a dense tensor's slices along its first dimension (``values``
are the rows at ``indices``; ``dense_shape`` the dense tensor's shape), as TensorFlow's indexed_slices.py. Gradients
of gathers are IndexedSlices, so an optimizer updates only the rows a step looked up; anything that needs a Tensor
converts one to dense with UnsortedSegmentSum, warning as TensorFlow does when that may be large.
"""

import collections
import warnings

import numpy as np

from minitf.framework import ops, tensor_shape, tensor_util

_LARGE_SPARSE_NUM_ELEMENTS = 100000000


class IndexedSlices:
    """Rows ``values`` of a dense tensor of shape ``dense_shape`` at ``indices`` (repeated rows add up)."""

    def __init__(self, values, indices, dense_shape=None):
        self._values = values
        self._indices = indices
        self._dense_shape = dense_shape

    values = property(lambda self: self._values)
    indices = property(lambda self: self._indices)
    dense_shape = property(lambda self: self._dense_shape)
    name = property(lambda self: self._values.name)
    device = property(lambda self: self._values.device)
    op = property(lambda self: self._values.op)
    dtype = property(lambda self: self._values.dtype)
    graph = property(lambda self: self._values.graph)

    @property
    def shape(self):
        """The dense shape, as static as ``dense_shape`` allows (else the values' shape past the first
        dimension)."""
        if self._dense_shape is None:
            return tensor_shape.TensorShape(None)
        return tensor_util.constant_value_as_shape(self._dense_shape)

    def get_shape(self):
        return self.shape

    def __neg__(self):
        from minitf.ops import math_ops
        return IndexedSlices(math_ops.negative(self._values), self._indices, self._dense_shape)

    def __str__(self):
        return "IndexedSlices(indices=%s, values=%s%s)" % (
            self._indices, self._values,
            (", dense_shape=%s" % (self._dense_shape,)) if self._dense_shape is not None else "")

    __repr__ = __str__


IndexedSlicesValue = collections.namedtuple("IndexedSlicesValue", ["values", "indices", "dense_shape"])


def _indexed_slices_to_tensor(value, dtype=None, name=None, as_ref=False):
    """The dense tensor: UnsortedSegmentSum of the values by their indices, with TensorFlow's warnings."""
    from minitf.ops import array_ops
    if dtype and not dtype.is_compatible_with(value.dtype):
        raise ValueError(f"Tensor conversion requested dtype {dtype.name} for IndexedSlices with dtype "
                         f"{value.dtype.name}")
    if value.dense_shape is None:
        raise ValueError(f"Tensor conversion requested for IndexedSlices without dense_shape: {value!s}")
    dense_shape_value = tensor_util.constant_value(value.dense_shape)
    if dense_shape_value is not None:
        num_elements = int(np.prod(dense_shape_value))
        if num_elements >= _LARGE_SPARSE_NUM_ELEMENTS:
            warnings.warn(f"Converting sparse IndexedSlices to a dense Tensor with {num_elements} elements. This "
                          "may consume a large amount of memory.", stacklevel=3)
    elif value.dense_shape.op.type != "VariableShape":
        warnings.warn(f"Converting sparse IndexedSlices({value}) to a dense Tensor of unknown shape. This may "
                      "consume a large amount of memory.", stacklevel=3)
    return array_ops.unsorted_segment_sum(value.values, value.indices, value.dense_shape[0], name=name)


ops.register_tensor_conversion_function(IndexedSlices, _indexed_slices_to_tensor)


def convert_to_tensor_or_indexed_slices(value, dtype=None, name=None):
    """IndexedSlices pass through; anything else becomes a Tensor."""
    if isinstance(value, IndexedSlices):
        if dtype and not dtype.is_compatible_with(value.dtype):
            raise ValueError(f"Tensor conversion requested dtype {dtype.name} for Tensor with dtype "
                             f"{value.dtype.name}: {value!r}")
        return value
    return ops.convert_to_tensor(value, dtype=dtype, name=name)
