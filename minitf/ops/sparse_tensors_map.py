"""SparseTensors through a queue: TensorFlow's ``AddSparseToTensorsMap``, ``AddManySparseToTensorsMap`` and
``TakeManySparseFromTensorsMap``.

A queue holds dense tensors only, so the batching functions (minitf/train/input.py) store each SparseTensor in a
per-session map, enqueue its int64 handle, and after the dequeue take the batch of SparseTensors back out of the
map by their handles, stacked along a new first dimension. The map of an ``Add`` op is named by its
``shared_name`` or else its node name; the ``Take`` op names the same map in its ``shared_name``. Handles count
from 0 per map, and taking a SparseTensor removes it from the map (as TensorFlow's SparseTensorsMap).
"""

import threading

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape
from minitf.framework.node_def_check import dtype_string
from minitf.framework.op_def_lib import invalid_argument, no_gradient, register
from minitf.framework.sparse_tensor import SparseTensor
from minitf.ops.sparse_ops import check_indices, check_shape_parts, check_sparse_tensor, shape_text, with_rank


class SparseTensorsMap:
    """The SparseTensors stored by handle (the ``SparseTensorsMap`` resource of TensorFlow's kernels)."""

    def __init__(self, name):
        self.name = name
        self._lock = threading.Lock()
        self._counter = 0
        self._tensors = {}

    def add(self, indices, values, shape):
        with self._lock:
            handle = self._counter
            self._counter += 1
            self._tensors[handle] = (indices, values, shape)
        return handle

    def take(self, handles):
        """The SparseTensors of ``handles``, removed from the map (those before a missing one stay removed)."""
        taken = []
        with self._lock:
            for handle in handles.tolist():
                if handle not in self._tensors:
                    raise invalid_argument(f"Unable to find SparseTensor: {handle} in map: {self.name}")
                taken.append(self._tensors.pop(handle))
        return taken


def _the_map(op, state):
    name = op.get_attr("shared_name")
    name = name.decode() if isinstance(name, bytes) else name
    return state.resource(op, lambda: SparseTensorsMap(name or op.name))


def _add_infer(many):
    def infer(op):
        indices, values, shape = (t.shape for t in op.inputs)
        with_rank(indices, 2)
        with_rank(values, 1)
        with_rank(shape, 1)
        return [(dtypes.int64, tensor_shape.TensorShape([None] if many else []))]
    return infer


def _add_kernel(op, state):
    def kernel(indices, values, shape):
        check_sparse_tensor(indices, values, shape)
        return np.array(_the_map(op, state).add(indices, values, shape.astype(np.int64)), np.int64)
    return kernel


def _add_many_kernel(op, state):
    """Splits a minibatch along its first dimension: one handle per row ``b < N = shape[0]``, an empty SparseTensor
    for a row without values. Rows' handles are counted in the order their values come, then the empty rows'."""
    def kernel(indices, values, shape):
        check_shape_parts(indices, values, shape)
        if values.shape[0] != indices.shape[0]:
            raise invalid_argument(f"Number of values must match first dimension of indices. Got {values.shape[0]} "
                                   f"values, indices shape: {shape_text(indices.shape)}")
        if shape.shape[0] != indices.shape[1]:
            raise invalid_argument(f"Number of dimensions must match second dimension of indices. Got "
                                   f"{shape.shape[0]} dimensions, indices shape: {shape_text(indices.shape)}")
        if shape.shape[0] <= 1:
            raise invalid_argument(f"Rank of input SparseTensor should be > 1, but saw rank: {shape.shape[0]}")
        check_indices(indices, shape)
        the_map = _the_map(op, state)
        count = int(shape[0])
        handles = np.zeros(count, np.int64)
        rows = indices[:, 0]
        starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]]) if len(rows) else np.zeros(0, int)
        visited = set()
        for start, end in zip(starts, list(starts[1:]) + [len(rows)]):
            b = int(rows[start])
            visited.add(b)
            handles[b] = the_map.add(indices[start:end, 1:], values[start:end], shape[1:])
        for b in range(count):
            if b not in visited:
                handles[b] = the_map.add(np.zeros((0, len(shape) - 1), np.int64), values[:0], shape[1:])
        return handles
    return kernel


def _take_infer(op):
    with_rank(op.inputs[0].shape, 1)
    dtype = dtypes.as_dtype(op.get_attr("dtype"))
    unknown = tensor_shape.Dimension(None)
    return [(dtypes.int64, tensor_shape.TensorShape([unknown, unknown])), (dtype, tensor_shape.TensorShape([None])),
            (dtypes.int64, tensor_shape.TensorShape([None]))]


def _take_kernel(op, state):
    dtype = dtypes.as_dtype(op.get_attr("dtype"))

    def kernel(handles):
        the_map = _the_map(op, state)
        if handles.ndim != 1:
            raise invalid_argument(f"sparse_handles should be a vector but received shape "
                                   f"{shape_text(handles.shape)}")
        if handles.shape[0] == 0:
            raise invalid_argument("Must have at least 1 serialized SparseTensor, but input matrix has 0 rows")
        taken = the_map.take(handles)
        rank = len(taken[0][2])
        shape = np.zeros(rank + 1, np.int64)
        shape[0] = len(taken)
        for i, (indices, values, dense_shape) in enumerate(taken):
            if values.dtype != dtype.as_numpy_dtype:
                raise invalid_argument(f"Requested SparseTensor of type {dtype_string(dtype.as_datatype_enum)} but "
                                       f"SparseTensor[{i}].values.dtype() == "
                                       f"{dtype_string(dtypes.as_dtype(values.dtype).as_datatype_enum)}")
            if len(dense_shape) != rank:
                raise invalid_argument(f"Inconsistent rank across SparseTensors: rank prior to SparseTensor[{i}] "
                                       f"was: {rank + 1} but rank of SparseTensor[{i}] is: {len(dense_shape) + 1}")
            shape[1:] = np.maximum(shape[1:], dense_shape)
        indices = np.concatenate([np.column_stack([np.full(len(ix), i, np.int64), ix.astype(np.int64)])
                                  for i, (ix, _, _) in enumerate(taken)])
        values = np.concatenate([v for _, v, _ in taken])
        return indices.reshape(-1, rank + 1), values, shape
    return kernel


_MAP_ATTRS = ("T", "container", "shared_name")
register("AddSparseToTensorsMap", _add_infer(False), _add_kernel, stateful=True,
         input_names=("sparse_indices", "sparse_values", "sparse_shape"), attrs=_MAP_ATTRS,
         attr_defaults={"container": b"", "shared_name": b""})
register("AddManySparseToTensorsMap", _add_infer(True), _add_many_kernel, stateful=True,
         input_names=("sparse_indices", "sparse_values", "sparse_shape"), attrs=_MAP_ATTRS,
         attr_defaults={"container": b"", "shared_name": b""})
register("TakeManySparseFromTensorsMap", _take_infer, _take_kernel, stateful=True, input_names=("sparse_handles",),
         attrs=("dtype", "container", "shared_name"), attr_defaults={"container": b"", "shared_name": b""})
for _type in ("AddSparseToTensorsMap", "AddManySparseToTensorsMap", "TakeManySparseFromTensorsMap"):
    no_gradient(_type)


def _add(op_type, sp_input, shared_name, name):
    sp_input = SparseTensor.from_value(sp_input)
    attrs = {"T": sp_input.dtype.base_dtype, "container": b"", "shared_name": (shared_name or "").encode()}
    with ops.name_scope(name, op_type, [sp_input.indices, sp_input.values, sp_input.dense_shape]) as scope:
        return sp_input.graph.create_op(op_type, [sp_input.indices, sp_input.values, sp_input.dense_shape], attrs,
                                        scope).outputs[0]


def add_sparse_to_tensors_map(sp_input, shared_name=None, name=None):
    """The int64 scalar handle of ``sp_input``, stored in the map of this op (or of ``shared_name``)."""
    return _add("AddSparseToTensorsMap", sp_input, shared_name, name)


def add_many_sparse_to_tensors_map(sp_input, shared_name=None, name=None):
    """One handle per row of the minibatch ``sp_input`` (rank > 1, sorted indices): each row's SparseTensor of
    rank ``R - 1`` is stored in the map."""
    return _add("AddManySparseToTensorsMap", sp_input, shared_name, name)


def take_many_sparse_from_tensors_map(sparse_map_op, sparse_handles, rank=None, name=None):
    """The SparseTensors of ``sparse_handles`` taken from the map of ``sparse_map_op`` (an ``Add*`` op), stacked
    along a new first dimension; each dimension is the largest of the taken tensors'."""
    if not isinstance(sparse_map_op, ops.Operation):
        raise TypeError("sparse_map_op be an Operation")
    if sparse_map_op.type not in ("AddSparseToTensorsMap", "AddManySparseToTensorsMap"):
        raise TypeError("sparse_map_op must be one of AddSparseToTensorsMap or AddSparseToTensorsMap. Instead, "
                        f"found `{sparse_map_op.type}`.")
    shared_name = sparse_map_op.get_attr("shared_name")
    shared_name = (shared_name.decode() if isinstance(shared_name, bytes) else shared_name) or sparse_map_op.name
    attrs = {"dtype": dtypes.as_dtype(sparse_map_op.get_attr("T")), "container": b"",
             "shared_name": shared_name.encode()}
    graph = sparse_map_op.graph
    with graph.as_default(), ops.name_scope(name, "TakeManySparseFromTensorsMap", [sparse_handles]) as scope:
        sparse_handles = ops.convert_to_tensor(sparse_handles, name="sparse_handles")
        indices, values, shape = graph.create_op("TakeManySparseFromTensorsMap", [sparse_handles], attrs,
                                                 scope).outputs
    indices.set_shape([None, rank])
    shape.set_shape([rank])
    return SparseTensor(indices, values, shape)
