"""Indexing by coordinate tuples: GatherNd and ScatterNd (``tf.gather_nd``, ``tf.scatter_nd``), and
``tf.sequence_mask``, which compares a range with lengths. Gradients are in ``indexing_grad``."""

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape, tensor_util
from minitf.framework.op_def_lib import apply_op_1, invalid_argument, pure, register
from minitf.ops import constant_op, cwise_ops, shape_ops


TensorShape = tensor_shape.TensorShape
convert_to_tensor = ops.convert_to_tensor


def _check_indices(indices, shape, op_type):
    """InvalidArgument, as TensorFlow's kernels, for a coordinate tuple outside ``shape``; returns the tuples
    flattened to a [n, depth] int64 array."""
    depth = indices.shape[-1]
    flat = indices.reshape(-1, depth).astype(np.int64)
    bad = np.nonzero(((flat < 0) | (flat >= np.asarray(shape[:depth], dtype=np.int64))).any(axis=1))[0]
    if bad.size:
        where = ",".join(str(i) for i in np.unravel_index(bad[0], indices.shape[:-1]))
        tuple_ = ", ".join(str(v) for v in flat[bad[0]])
        if op_type == "GatherNd":
            raise invalid_argument(f"indices[{where}] = [{tuple_}] does not index into param shape "
                                   f"[{','.join(str(d) for d in shape)}]")
        raise invalid_argument(f"indices[{where}] = [{tuple_}] does not index into shape "
                               f"[{','.join(str(d) for d in shape)}]")
    return flat


# -- GatherNd ------------------------------------------------------------------------------------------------------

def _gather_nd_infer(op):
    params, indices = op.inputs
    dtype = params.dtype.base_dtype
    if indices.shape.ndims is None or params.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())]
    if indices.shape.ndims < 1:
        raise ValueError(f"Shape must be at least rank 1 but is rank 0 for '{op.name}' (op: 'GatherNd')")
    depth = indices.shape[-1].value
    if depth is None:
        return [(dtype, tensor_shape.unknown_shape())]
    if depth > params.shape.ndims:
        raise ValueError(f"indices.shape[-1] must be <= params.rank, but saw indices shape: {indices.shape} and "
                         f"params shape: {params.shape} for '{op.name}' (op: 'GatherNd')")
    return [(dtype, indices.shape[:-1].concatenate(params.shape[depth:]))]


def _gather_nd(params, indices):
    flat = _check_indices(indices, params.shape, "GatherNd")
    gathered = params[tuple(flat.T)] if flat.shape[1] else np.broadcast_to(params, (len(flat),) + params.shape)
    return np.ascontiguousarray(gathered).reshape(indices.shape[:-1] + params.shape[indices.shape[-1]:])


register("GatherNd", _gather_nd_infer, pure(_gather_nd), input_names=("params", "indices"),
         attrs=("Tparams", "Tindices", "bad_indices_policy"), attr_defaults={"bad_indices_policy": ""})


def gather_nd(params, indices, name=None, batch_dims=0):
    """``tf.gather_nd``: the slices of ``params`` at the coordinate tuples in the last axis of ``indices``."""
    if batch_dims != 0:
        raise ValueError("minitf's gather_nd supports batch_dims=0 only")
    graph = ops._graph_of([params, indices]) or ops.get_default_graph()
    with graph.as_default(), graph.name_scope(name or "GatherNd") as scope:
        params = convert_to_tensor(params, name="params")
        indices = convert_to_tensor(indices, name="indices")
        return apply_op_1("GatherNd", [params, indices], {"Tparams": params.dtype.base_dtype,
                                                          "Tindices": indices.dtype.base_dtype,
                                                          "bad_indices_policy": ""}, scope)


# -- ScatterNd -----------------------------------------------------------------------------------------------------

def _scatter_nd_infer(op):
    indices, updates, shape = op.inputs
    return [(updates.dtype.base_dtype, tensor_util.constant_value_as_shape(shape))]


def _scatter_nd(indices, updates, shape):
    shape = tuple(int(d) for d in shape)
    flat = _check_indices(indices, shape, "ScatterNd")
    out = np.zeros(shape, dtype=updates.dtype)
    slices = updates.reshape((len(flat),) + shape[indices.shape[-1]:])
    np.add.at(out, tuple(flat.T), slices)
    return out


register("ScatterNd", _scatter_nd_infer, pure(_scatter_nd), input_names=("indices", "updates", "shape"),
         attrs=("T", "Tindices", "bad_indices_policy"), attr_defaults={"bad_indices_policy": ""})


def scatter_nd(indices, updates, shape, name=None):
    """``tf.scatter_nd``: zeros of ``shape`` with ``updates`` added at the coordinate tuples in ``indices``."""
    graph = ops._graph_of([indices, updates, shape]) or ops.get_default_graph()
    with graph.as_default(), graph.name_scope(name or "ScatterNd") as scope:
        indices = convert_to_tensor(indices, name="indices")
        updates = convert_to_tensor(updates, name="updates")
        shape = convert_to_tensor(shape, dtype=indices.dtype.base_dtype, name="shape")
        return apply_op_1("ScatterNd", [indices, updates, shape], {"T": updates.dtype.base_dtype,
                                                                   "Tindices": indices.dtype.base_dtype,
                                                                   "bad_indices_policy": ""}, scope)


# -- sequence_mask -------------------------------------------------------------------------------------------------

def sequence_mask(lengths, maxlen=None, dtype=dtypes.bool, name=None):
    """``tf.sequence_mask``: ``mask[i..., j] = j < lengths[i...]`` for ``j`` below ``maxlen`` (default: the
    largest length), as TensorFlow builds it: Range < Cast(ExpandDims(lengths, -1))."""
    with ops.name_scope(name, "SequenceMask", [lengths, maxlen]):
        lengths = convert_to_tensor(lengths)
        default_maxlen = maxlen is None
        if default_maxlen:
            rank = lengths.shape.ndims
            axes = (constant_op.constant(np.arange(rank, dtype=np.int32)) if rank is not None
                    else cwise_ops.range(0, shape_ops.rank(lengths)))
            maxlen = apply_op_1("Max", [lengths, axes], {"keep_dims": False, "T": lengths.dtype.base_dtype},
                                index_attrs={1: "Tidx"})
            maxlen = apply_op_1("Maximum", [constant_op.constant(0, maxlen.dtype), maxlen],
                                {"T": maxlen.dtype.base_dtype})
        else:
            maxlen = convert_to_tensor(maxlen)
        if maxlen.shape.ndims is not None and maxlen.shape.ndims != 0:
            raise ValueError(f"Argument `maxlen` must be scalar for sequence_mask, received `maxlen` = {maxlen} "
                             f"with shape '{maxlen.shape}' instead")
        index = maxlen.dtype.base_dtype
        row_vector = apply_op_1("Range", [constant_op.constant(0, index), maxlen, constant_op.constant(1, index)],
                                {"Tidx": index})
        matrix = apply_op_1("Cast", [shape_ops.expand_dims(lengths, -1)],
                            {"SrcT": lengths.dtype.base_dtype, "DstT": index, "Truncate": False})
        result = row_vector < matrix
        known = tensor_util.constant_value(lengths)
        if default_maxlen and known is not None:
            # TensorFlow's C++ shape inference evaluates the constant Max subgraph to size the Range.
            result.set_shape(known.shape + (max(0, int(known.max(initial=0))),))
        if dtype is None or result.dtype.is_compatible_with(dtype):
            return result
        return cwise_ops.cast(result, dtype)
