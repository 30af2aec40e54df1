"""``tf.IndexedSlices``: a sparse representation of a dense tensor's slices along its first dimension (``values``
are the rows at ``indices``; ``dense_shape`` the dense tensor's shape), as TensorFlow's indexed_slices.py. Gradients
of gathers are IndexedSlices, so an optimizer updates only the rows a step looked up; anything that needs a Tensor
converts one to dense with UnsortedSegmentSum, warning as TensorFlow does when that may be large (that conversion
is registered beside UnsortedSegmentSum in ``ops/selection_ops.py``; ``-slices`` beside the Tensor operators in
``ops/cwise_ops.py``).
"""

import collections

from minitf.framework import ops, tensor_shape, tensor_util


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

    def __str__(self):
        return "IndexedSlices(indices=%s, values=%s%s)" % (
            self._indices, self._values,
            (", dense_shape=%s" % (self._dense_shape,)) if self._dense_shape is not None else "")

    __repr__ = __str__


IndexedSlicesValue = collections.namedtuple("IndexedSlicesValue", ["values", "indices", "dense_shape"])


def convert_to_tensor_or_indexed_slices(value, dtype=None, name=None):
    """IndexedSlices pass through; anything else becomes a Tensor."""
    if isinstance(value, IndexedSlices):
        if dtype and not dtype.is_compatible_with(value.dtype):
            raise ValueError(f"Tensor conversion requested dtype {dtype.name} for Tensor with dtype "
                             f"{value.dtype.name}: {value!r}")
        return value
    return ops.convert_to_tensor(value, dtype=dtype, name=name)
