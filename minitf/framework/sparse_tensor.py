"""``tf.SparseTensor`` and ``tf.SparseTensorValue``: a sparse tensor as three dense tensors.

``indices`` (int64, ``[N, rank]``) lists the positions of the ``N`` stored ``values`` (``[N]``) in a tensor of shape
``dense_shape`` (int64, ``[rank]``). ``Session.run`` returns a ``SparseTensorValue`` for a fetched SparseTensor and
accepts one (or a 3-tuple) as the feed of a SparseTensor, as TensorFlow does.
"""

import collections

from minitf.framework import dtypes, ops, tensor_shape, tensor_util

SparseTensorValue = collections.namedtuple("SparseTensorValue", ["indices", "values", "dense_shape"])


class SparseTensor:
    """``tf.SparseTensor(indices, values, dense_shape)``; the three parts are converted under the name scope
    ``SparseTensor`` (as ``SparseTensor/indices`` ...), and their static shapes must agree."""

    @classmethod
    def from_value(cls, sparse_tensor_value):
        if isinstance(sparse_tensor_value, SparseTensor):
            return sparse_tensor_value
        return cls(indices=sparse_tensor_value.indices, values=sparse_tensor_value.values,
                   dense_shape=sparse_tensor_value.dense_shape)

    def __init__(self, indices, values, dense_shape):
        with ops.name_scope(None, "SparseTensor", [indices, values, dense_shape]):
            indices = ops.convert_to_tensor(indices, name="indices", dtype=dtypes.int64)
            values = ops.convert_to_tensor(values, name="values")
            dense_shape = ops.convert_to_tensor(dense_shape, name="dense_shape", dtype=dtypes.int64)
        indices_shape = indices.shape.with_rank(2)
        values.shape.with_rank(1)
        dense_shape.shape.with_rank(1)
        indices_shape[0].merge_with(values.shape[0])  # the number of stored values
        indices_shape[1].merge_with(dense_shape.shape[0])  # the rank
        self._indices = indices
        self._values = values
        self._dense_shape = dense_shape
        self._dense_shape_default = None  # a static shape given by set_shape

    @property
    def indices(self):
        return self._indices

    @property
    def values(self):
        return self._values

    @property
    def dense_shape(self):
        return self._dense_shape

    @property
    def dtype(self):
        return self._values.dtype

    @property
    def shape(self):
        """The static dense shape, as far as ``dense_shape`` is known at graph construction (and ``set_shape``
        says)."""
        shape = tensor_util.constant_value_as_shape(self._dense_shape)
        return shape if self._dense_shape_default is None else shape.merge_with(self._dense_shape_default)

    def set_shape(self, shape):
        """Narrows the static dense shape (``dense_shape`` itself is unchanged)."""
        shape = tensor_shape.as_shape(shape)
        if not self.shape.is_compatible_with(shape):
            raise ValueError(f"Tensor's shape {self.shape} is not compatible with supplied shape {shape}.")
        self._dense_shape_default = self.shape.merge_with(shape)

    def get_shape(self):
        return self.shape

    @property
    def op(self):
        return self._values.op

    @property
    def graph(self):
        return self._indices.graph

    def eval(self, feed_dict=None, session=None):
        return ops._run_using_default_session(self, feed_dict, self.graph, session)

    def __str__(self):
        return f"SparseTensor(indices={self._indices}, values={self._values}, dense_shape={self._dense_shape})"

    __repr__ = __str__


def is_sparse(value):
    return isinstance(value, (SparseTensor, SparseTensorValue))


def convert_to_tensor_or_sparse_tensor(value, dtype=None, name=None):
    """``value`` as a SparseTensor if it is one (or a SparseTensorValue), else as a Tensor."""
    if isinstance(value, SparseTensorValue):
        value = SparseTensor.from_value(value)
    if isinstance(value, SparseTensor):
        if dtype is not None and not dtypes.as_dtype(dtype).is_compatible_with(value.dtype):
            raise RuntimeError(f"Sparse dtype: requested = {dtypes.as_dtype(dtype).name}, "
                               f"actual = {value.dtype.name}")
        return value
    return ops.convert_to_tensor(value, dtype=dtype, name=name)


def expand_feeds(feed_dict):
    """The ``(key, value)`` pairs of ``feed_dict``, with a SparseTensor key fed as its three component tensors."""
    for key, value in feed_dict.items():
        if not isinstance(key, SparseTensor):
            yield key, value
            continue
        if not (isinstance(value, tuple) and len(value) == 3):
            raise TypeError(f"The value of a SparseTensor feed must be a SparseTensorValue or a tuple "
                            f"(indices, values, dense_shape); got {type(value).__name__} for {key}")
        yield from zip((key.indices, key.values, key.dense_shape), value)
