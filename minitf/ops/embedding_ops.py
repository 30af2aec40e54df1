"""``tf.nn.embedding_lookup`` as TensorFlow's embedding_ops: one params tensor is a gather; a list of them is a
table partitioned by rows ("mod": id i in part i % n; "div": contiguous ranges), looked up with DynamicPartition,
one gather per part and ParallelDynamicStitch; ``max_norm`` clips each looked-up embedding's L2 norm. The gradient
of each part is an IndexedSlices of the rows it served.

``embedding_lookup_sparse`` combines the embeddings of each row of a SparseTensor of ids (sum, mean or sqrtn),
optionally weighted, as TensorFlow 2.21's tf.compat.v1 builds it: one unpartitioned table without weights or
max_norm is reduced directly by SparseSegment{Sum,Mean,SqrtN} with a sparse (IndexedSlices) gradient; otherwise
the unique ids are looked up, gathered back, weighted and reduced with SegmentSum and DivNoNan.
"""

from minitf.framework import dtypes, ops, tensor_shape
from minitf.framework.indexed_slices import convert_to_tensor_or_indexed_slices
from minitf.framework.sparse_tensor import SparseTensor
from minitf.ops import array_ops, clip_ops, math_ops, segment_ops, sparse_segment_ops
from minitf.ops.segment_ops import unique
from minitf.ops.partition_ops import dynamic_partition, parallel_dynamic_stitch
from minitf.ops.partitioned_variables import PartitionedVariable


def _clip(params, ids, max_norm):
    """``params`` with the L2 norm over each embedding's dimensions clipped to ``max_norm``."""
    if max_norm is None:
        return params
    ids_rank, params_rank = ids.shape.ndims, params.shape.ndims
    if ids_rank and params_rank:
        axes = list(range(ids_rank, params_rank))
    else:
        axes = math_ops.range_(ids_rank or array_ops.rank(ids), params_rank or array_ops.rank(params))
    return clip_ops.clip_by_norm(params, max_norm, axes=axes)


def embedding_lookup(params, ids, partition_strategy="mod", name=None, validate_indices=True, max_norm=None):
    """The rows of ``params`` (a tensor, variable, or list of row partitions of one table) at ``ids``."""
    if params is None:
        raise ValueError("params must be specified")
    if isinstance(params, (list, tuple)) and not params:
        raise ValueError("Length of params is currently 0. Need at least one param.")
    if not isinstance(params, list):
        params = list(params) if isinstance(params, (tuple, PartitionedVariable)) else [params]
    with ops.name_scope(name, "embedding_lookup", params + [ids]) as name:
        n = len(params)
        params = [convert_to_tensor_or_indexed_slices(p, name=f"params_{i}" if n > 1 else "params")
                  for i, p in enumerate(params)]
        ids = ops.convert_to_tensor(ids, name="ids")
        if n == 1:
            return array_ops.identity(_clip(array_ops.gather(params[0], ids, name=name), ids, max_norm))
        flat_ids = array_ops.reshape(ids, [-1])
        original_indices = math_ops.range_(array_ops.size(flat_ids))
        if partition_strategy == "mod":
            p_assignments = flat_ids % n
            new_ids = flat_ids // n
        elif partition_strategy == "div":
            dim_0_size = tensor_shape.Dimension(params[0].shape[0].value)
            for p in range(1, n):
                dim_0_size += tensor_shape.Dimension(params[p].shape[0].value)
            if dim_0_size.value:
                num_total_ids = ops.convert_to_tensor(dim_0_size.value, flat_ids.dtype)
            else:
                dim_0_sizes = [array_ops.shape(p, out_type=flat_ids.dtype)[0] for p in params]
                num_total_ids = math_ops.reduce_sum(math_ops.cast(array_ops.stack(dim_0_sizes), flat_ids.dtype))
            ids_per_partition = num_total_ids // n
            extras = num_total_ids % n
            p_assignments = math_ops.maximum(flat_ids // (ids_per_partition + 1),
                                             (flat_ids - extras) // ids_per_partition)
            new_ids = array_ops.where(p_assignments < extras, flat_ids % (ids_per_partition + 1),
                                      (flat_ids - extras) % ids_per_partition)
        else:
            raise ValueError(f"Unrecognized partition strategy: {partition_strategy}. Must be one of either `mod` "
                             "or `div`.")
        p_assignments = math_ops.cast(p_assignments, dtypes.int32)
        gather_ids = dynamic_partition(new_ids, p_assignments, n)
        pindices = dynamic_partition(original_indices, p_assignments, n)
        partitioned_result = [array_ops.gather(params[p], gather_ids[p]) for p in range(n)]
        ret = parallel_dynamic_stitch(pindices, partitioned_result, name=name)
        element_shape_s = params[0].shape[1:]
        for p in params[1:]:
            element_shape_s = element_shape_s.merge_with(p.shape[1:])
        if element_shape_s.is_fully_defined():
            element_shape_d = element_shape_s.as_list()
        else:
            element_shape_d = array_ops.shape(params[0])[1:]
        ret = array_ops.reshape(ret, array_ops.concat([array_ops.shape(ids), element_shape_d], 0))
        ret.set_shape(ids.shape.concatenate(element_shape_s))
        return _clip(ret, ids, max_norm)


def embedding_lookup_sparse(params, sp_ids, sp_weights, partition_strategy="mod", name=None, combiner=None,
                            max_norm=None, allow_fast_lookup=False):
    """One embedding per row of ``sp_ids`` (a SparseTensor of ids, rows sorted): the row's embeddings combined
    by ``combiner`` ("sum", "mean" (default) or "sqrtn"), each weighted by ``sp_weights`` unless it is None."""
    if combiner is None:
        combiner = "mean"
    if combiner not in ("mean", "sqrtn", "sum"):
        raise ValueError(f"combiner must be one of 'mean', 'sqrtn' or 'sum', got {combiner}")
    if not isinstance(params, list):
        params = list(params) if isinstance(params, (tuple, PartitionedVariable)) else [params]
    if not isinstance(sp_ids, SparseTensor):
        raise TypeError(f"sp_ids must be SparseTensor, got {type(sp_ids)}")
    ignore_weights = sp_weights is None
    if not ignore_weights:
        if not isinstance(sp_weights, SparseTensor):
            raise TypeError(f"sp_weights must be either None or SparseTensor,got {type(sp_weights)}")
        sp_ids.values.shape.assert_is_compatible_with(sp_weights.values.shape)
        sp_ids.indices.shape.assert_is_compatible_with(sp_weights.indices.shape)
        sp_ids.dense_shape.shape.assert_is_compatible_with(sp_weights.dense_shape.shape)
    with ops.name_scope(name, "embedding_lookup_sparse", params + [sp_ids]) as name:
        segment_ids = sp_ids.indices[:, 0]
        ids = sp_ids.values
        sparse_gradient = False  # TF: only the direct reduction of one table (not allow_fast_lookup) is sparse
        if len(params) == 1 and max_norm is None and (allow_fast_lookup or ignore_weights):
            idx, embeddings = ids, params[0]
            sparse_gradient = not allow_fast_lookup
        else:
            ids, idx = unique(ids)
            embeddings = embedding_lookup(params, ids, partition_strategy=partition_strategy, max_norm=max_norm)
        if ignore_weights:
            if segment_ids.dtype not in (dtypes.int32, dtypes.int64):
                segment_ids = math_ops.cast(segment_ids, dtypes.int32)
            reduce = {"sum": sparse_segment_ops.sparse_segment_sum, "mean": sparse_segment_ops.sparse_segment_mean,
                      "sqrtn": sparse_segment_ops.sparse_segment_sqrt_n}[combiner]
            return reduce(embeddings, idx, segment_ids, name=name, sparse_gradient=sparse_gradient)
        return _weighted_combination(embeddings, idx, segment_ids, sp_weights.values, combiner, name)


def _weighted_combination(embeddings, idx, segment_ids, weights, combiner, name):
    """``embeddings[idx] * weights`` summed per segment; mean and sqrtn divide by the (squared) weights' sums."""
    if segment_ids.dtype != dtypes.int32:
        segment_ids = math_ops.cast(segment_ids, dtypes.int32)
    embeddings = array_ops.gather(embeddings, idx)
    if weights.dtype != embeddings.dtype:
        weights = math_ops.cast(weights, embeddings.dtype)
    ones_shape = array_ops.expand_dims(array_ops.rank(embeddings) - 1, 0)
    weights_shape = array_ops.shape(weights)
    ones = array_ops.ones(ones_shape, dtype=weights_shape.dtype)
    bcast_weights_shape = array_ops.concat([weights_shape, ones], 0)
    orig_weights_shape = weights.shape
    weights = array_ops.reshape(weights, bcast_weights_shape)
    if embeddings.shape.ndims is not None:
        weights.set_shape(orig_weights_shape.concatenate([1 for _ in range(embeddings.shape.ndims - 1)]))
    embeddings *= weights
    if combiner == "sum":
        return segment_ops.segment_sum(embeddings, segment_ids, name=name)
    embeddings = segment_ops.segment_sum(embeddings, segment_ids)
    if combiner == "mean":
        weight_sum = segment_ops.segment_sum(weights, segment_ids)
    else:
        weight_sum = math_ops.sqrt(segment_ops.segment_sum(math_ops.pow(weights, 2), segment_ids))
    return math_ops.div_no_nan(embeddings, weight_sum, name=name)
