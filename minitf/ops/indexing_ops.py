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
    """``tf.gather_nd``: the slices of ``params`` at the coordinate tuples in the last axis of ``indices`` (with
    ``batch_dims``, within each batch entry: TensorFlow's batch_gather_nd graph)."""
    static_batch_dims = tensor_util.constant_value(batch_dims)
    if static_batch_dims is not None:
        batch_dims = int(static_batch_dims)
    if batch_dims != 0:
        return _batch_gather_nd(params, indices, batch_dims, name)
    return _gen_gather_nd(params, indices, name)


def _gen_gather_nd(params, indices, name=None):
    graph = ops._graph_of([params, indices]) or ops.get_default_graph()
    with graph.as_default(), graph.name_scope(name or "GatherNd") as scope:
        params = convert_to_tensor(params, name="params")
        indices = convert_to_tensor(indices, name="indices")
        return apply_op_1("GatherNd", [params, indices], {"Tparams": params.dtype.base_dtype,
                                                          "Tindices": indices.dtype.base_dtype,
                                                          "bad_indices_policy": ""}, scope)


def _gen_cast(x, dtype):
    """A Cast op even where the dtype is already ``dtype`` (TensorFlow's gen_math_ops.cast)."""
    return apply_op_1("Cast", [x], {"SrcT": x.dtype.base_dtype, "DstT": dtype, "Truncate": False})


def _batch_gather_nd(params, indices, batch_dims, name=None):
    """TensorFlow's batch_gather_nd: each index tuple is prefixed with its batch entry's coordinates (a grid made
    with meshgrid), and one GatherNd runs over the batch dimensions flattened into one."""
    from minitf.ops import array_ops, sequence_ops  # the facade imports this module
    with ops.name_scope(name, "BatchGatherND", [params, indices]):
        indices = convert_to_tensor(indices, name="indices")
        params = convert_to_tensor(params, name="params")
        if not isinstance(batch_dims, int):
            raise TypeError(f"Argument `batch_dims` must be an int; got {batch_dims}")
        if batch_dims < 0:
            raise ValueError("tf.gather_nd does not allow negative batch_dims.")
        if indices.shape.ndims is not None and batch_dims >= indices.shape.ndims:
            raise ValueError(f"Argument `batch_dims` = {batch_dims} must be less than rank(`indices`) = "
                             f"{indices.shape.ndims}")
        if params.shape.ndims is not None and batch_dims >= params.shape.ndims:
            raise ValueError(f"Argument `batch_dims` = {batch_dims} must be less than rank(`params`) = "
                             f"{params.shape.ndims}")
        params_shape = array_ops.shape(params)
        indices_shape = array_ops.shape(indices)
        batch_shape = params_shape[:batch_dims]
        batch_size = shape_ops.elements_of(batch_shape)
        index_internal_ndims = array_ops.rank(indices) - batch_dims - 1
        indices_internal_shape = indices_shape[batch_dims:-1]
        dim_ranges = [_gen_cast(apply_op_1("Range", [0, _gen_cast(x, dtypes.int32), 1], {"Tidx": dtypes.int32}),
                                indices.dtype.base_dtype)
                      for x in array_ops.unstack(batch_shape, axis=0)]
        mesh_list = sequence_ops.meshgrid(*dim_ranges, indexing="ij")
        flat_list = [array_ops.reshape(x, shape=(-1,)) for x in mesh_list]
        index_grid = array_ops.transpose(array_ops.stack(flat_list, axis=0))
        index_grid_shape = array_ops.shape(index_grid)
        index_grid = array_ops.reshape(index_grid, array_ops.concat([
            index_grid_shape[:1], array_ops.ones(index_internal_ndims, dtype=index_grid_shape.dtype),
            index_grid_shape[1:]], axis=0))
        tile_shape = array_ops.concat(((1,), indices_internal_shape, (1,)), axis=0)
        index_grid = array_ops.tile(index_grid, multiples=tile_shape)
        flat_shape = array_ops.concat(([batch_size], indices_shape[batch_dims:]), axis=0)
        flat_indices = array_ops.reshape(indices, shape=flat_shape)
        out = _gen_gather_nd(params, array_ops.concat((index_grid, flat_indices), axis=-1))
        out_shape = array_ops.shape(out)
        return array_ops.reshape(out, shape=array_ops.concat((batch_shape, out_shape[1:]), axis=0))


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
