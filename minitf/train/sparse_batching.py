"""SparseTensors in the batching functions (TensorFlow's ``_store_sparse_tensors`` / ``_restore_sparse_tensors`` of
training/input.py).

Before the queue each SparseTensor is stored in a SparseTensorsMap (``AddSparseToTensorsMap``, or
``AddManySparseToTensorsMap`` for ``enqueue_many``) and its int64 handle, expanded to shape ``[1]``, takes its place
in the enqueued list. After the dequeue the ``[batch, 1]`` handles are squeezed and the batch of SparseTensors is
taken back from the map (``TakeManySparseFromTensorsMap``); every output then waits for all the restored values
(``control_dependency`` Identities). ``batch_join`` stores every list's SparseTensors in the first list's maps.
"""

import collections.abc

from minitf.framework import dtypes, ops, tensor_shape
from minitf.framework.sparse_tensor import SparseTensor
from minitf.ops import array_ops, constant_op, control_flow_ops, math_ops, sparse_ops, sparse_tensors_map

_STORING_OPS = ("AddSparseToTensorsMap", "AddManySparseToTensorsMap")


class SparseMetaData:
    """Whether an enqueued tensor stands for a SparseTensor, the op whose map holds it, and its static rank."""

    def __init__(self, sparse, map_op, rank):
        self.sparse = sparse
        self.map_op = map_op
        self.rank = tensor_shape.as_dimension(rank)

    def __eq__(self, other):
        if self.sparse != other.sparse:
            return False
        if not self.sparse:
            return True
        return self.map_op is other.map_op and self.rank.is_compatible_with(other.rank)

    def __ne__(self, other):
        return not self.__eq__(other)

    def __str__(self):
        return "[SparseMetaData(%s, %s, %s)]" % (self.sparse, self.map_op.name, self.rank)

    def merge_with(self, other):
        if self != other:
            raise ValueError("SparseMetaData objects are incompatible: %s vs. %s" % (self, other))
        if self.sparse:
            self.rank = self.rank.merge_with(other.rank)
        return self


def _store_one(t, shared_map_op, enqueue_many, keep_input, smart_cond):
    """The handle(s) of SparseTensor ``t``: only its kept rows for a vector ``keep_input``, under ``smart_cond``
    (-1 when not kept) for a scalar one."""
    shared_name = shared_map_op.name if shared_map_op is not None else None
    if keep_input.shape.ndims == 1:
        kept = sparse_ops.sparse_retain(t, array_ops.gather(keep_input, t.indices[:, 0]))
        return sparse_tensors_map.add_many_sparse_to_tensors_map(kept, shared_name=shared_name)
    if enqueue_many:
        handles = smart_cond(
            keep_input, lambda: sparse_tensors_map.add_many_sparse_to_tensors_map(t, shared_name=shared_name),
            lambda: -1 * array_ops.ones(_sparse_shape(t)[0:1], dtypes.int64))
        handles.set_shape([None])
        return handles
    return smart_cond(keep_input, lambda: sparse_tensors_map.add_sparse_to_tensors_map(t, shared_name=shared_name),
                      lambda: constant_op.constant(-1, dtypes.int64))


def _sparse_shape(t):
    """``tf.shape`` of a SparseTensor: its dense shape as int32 (a Cast in a ``Shape`` scope)."""
    with ops.name_scope(None, "Shape", [t.dense_shape]):
        return math_ops.cast(t.dense_shape, dtypes.int32)


def _storing_op(stored):
    """The op that stored a SparseTensor: the handle's op, or an input of the ``Merge`` of a ``cond``."""
    for t in stored.op.inputs:
        if t.op.type in _STORING_OPS:
            return t.op
    return stored.op


def store_sparse_tensors(tensor_list, enqueue_many, keep_input, smart_cond, shared_map_ops=None):
    """``(stored_list, sparse_info_list)``: ``tensor_list`` with each SparseTensor replaced by its handles (shape
    ``[1]`` per example), and a SparseMetaData per entry. ``shared_map_ops`` reuse the maps of an earlier call."""
    shared_map_ops = shared_map_ops or [None] * len(tensor_list)
    stored_list = [_store_one(t, shared, enqueue_many, keep_input, smart_cond) if isinstance(t, SparseTensor) else t
                   for t, shared in zip(tensor_list, shared_map_ops)]
    infos = []
    for t, stored, shared in zip(tensor_list, stored_list, shared_map_ops):
        if not isinstance(t, SparseTensor):
            infos.append(SparseMetaData(False, None, None))
            continue
        rank = t.dense_shape.shape.with_rank(1).dims[0]
        if enqueue_many:
            rank -= 1
        infos.append(SparseMetaData(True, shared or _storing_op(stored), rank))
    stored_list = [array_ops.expand_dims(s, [-1]) if info.sparse else s for s, info in zip(stored_list, infos)]
    return stored_list, infos


def store_sparse_tensors_join(tensor_list_list, enqueue_many, keep_input, smart_cond):
    """``store_sparse_tensors`` for each list, all into the maps of the first list's SparseTensors."""
    stored_first, infos = store_sparse_tensors(tensor_list_list[0], enqueue_many, keep_input, smart_cond)
    stored_list_list = [stored_first]
    for tensor_list in tensor_list_list[1:]:
        stored, candidates = store_sparse_tensors(tensor_list, enqueue_many, keep_input, smart_cond,
                                                  [info.map_op for info in infos])
        if infos != candidates:
            raise ValueError("Inconsistent SparseTensors list: %s vs. %s" % (tensor_list_list[0], tensor_list))
        infos = [info.merge_with(candidate) for info, candidate in zip(infos, candidates)]
        stored_list_list.append(stored)
    return stored_list_list, infos


def restore_sparse_tensors(stored_list, sparse_info_list):
    """The dequeued ``stored_list`` with each batch of handles taken back as a SparseTensor; with any SparseTensor
    among them, every output waits for all the restored values."""
    received_sequence = isinstance(stored_list, collections.abc.Sequence)
    if not received_sequence:
        stored_list = (stored_list,)
    tensors = [sparse_tensors_map.take_many_sparse_from_tensors_map(
        sparse_map_op=info.map_op, sparse_handles=array_ops.squeeze(s, [1]),
        rank=tensor_shape.dimension_value(info.rank + 1)) if info.sparse else s
        for s, info in zip(stored_list, sparse_info_list)]
    if not any(isinstance(x, SparseTensor) for x in tensors):
        return tensors if received_sequence else tensors[0]
    values = [x.values if isinstance(x, SparseTensor) else x for x in tensors]

    def with_deps(x):
        return control_flow_ops.with_dependencies(values, x)
    restored = [SparseTensor(indices=with_deps(x.indices), values=with_deps(x.values),
                             dense_shape=with_deps(x.dense_shape)) if isinstance(x, SparseTensor) else with_deps(x)
                for x in tensors]
    return restored if received_sequence else tensors[0]
