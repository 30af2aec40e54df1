"""Segment reductions and set ops: SegmentSum/Mean/Max/Min/Prod over sorted ids, UnsortedSegmentMax/Min/Prod
(``tf.unsorted_segment_mean`` builds on them as TensorFlow does), Unique, UniqueWithCounts, ListDiff
(``tf.setdiff1d``), and ``tf.sort``/``tf.argsort`` built from TopKV2 as TensorFlow builds them. Gradients are in
``segment_grad``."""

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape, tensor_util
from minitf.framework.op_def_lib import apply_op, apply_op_1, invalid_argument, pure, pure_with_attrs, register
from minitf.ops import array_ops, constant_op, nn_ops, shape_ops


TensorShape = tensor_shape.TensorShape
convert_to_tensor = ops.convert_to_tensor

# ufunc, the value of an empty segment for the sorted ops and for the unsorted ones ("lowest"/"highest": the
# dtype's extreme; None: Mean has no unsorted op)
_REDUCERS = {"Sum": (np.add, 0, 0), "Mean": (np.add, 0, None), "Max": (np.maximum, 0, "lowest"),
             "Min": (np.minimum, 0, "highest"), "Prod": (np.multiply, 1, 1)}


def _extreme(dtype, which):
    info = np.finfo(dtype) if np.issubdtype(dtype, np.floating) else np.iinfo(dtype)
    return info.min if which == "lowest" else info.max


def _segment_reduce(reduction, data, ids, n, empty):
    """Reduces the rows of ``data`` into ``n`` segments by ``ids`` (negative ids are dropped)."""
    ufunc = _REDUCERS[reduction][0]
    rows = data.reshape((-1,) + data.shape[ids.ndim:])
    flat = ids.reshape(-1).astype(np.int64)
    keep = flat >= 0
    flat, rows = flat[keep], rows[keep]
    identity = {"Max": _extreme(data.dtype, "lowest"), "Min": _extreme(data.dtype, "highest"),
                "Prod": 1}.get(reduction, 0)
    out = np.full((n,) + data.shape[ids.ndim:], identity, dtype=data.dtype)
    ufunc.at(out, flat, rows)
    counts = np.bincount(flat, minlength=n)[:n].reshape((n,) + (1,) * (data.ndim - ids.ndim))
    if reduction == "Mean":
        out = (out / np.maximum(counts, 1)).astype(data.dtype)
    if empty not in (None, "lowest", "highest"):
        out = np.where(counts == 0, np.asarray(empty, dtype=data.dtype), out)
    return out


# -- Segment* (sorted ids) -----------------------------------------------------------------------------------------

def _segment_infer(op):
    data, ids = op.inputs
    dtype = data.dtype.base_dtype
    if ids.shape.ndims not in (None, 1):
        raise ValueError(f"Shape must be rank 1 but is rank {ids.shape.ndims} for '{op.name}' (op: '{op.type}')")
    if data.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())]
    return [(dtype, TensorShape([None]).concatenate(data.shape[1:]))]


def _segment_kernel(reduction):
    def kernel(data, ids):
        if ids.shape[0] != data.shape[0]:
            raise invalid_argument("segment_ids should be the same size as dimension 0 of input.")
        if ids.size and (np.any(np.diff(ids) < 0) or ids[0] < 0):
            raise invalid_argument("segment ids are not increasing")
        n = int(ids[-1]) + 1 if ids.size else 0
        return _segment_reduce(reduction, data, ids, n, _REDUCERS[reduction][1])
    return kernel


def _segment_wrapper(reduction):
    op_type = "Segment" + reduction

    def wrapper(data, segment_ids, name=None):
        graph = ops._graph_of([data, segment_ids]) or ops.get_default_graph()
        with graph.as_default(), graph.name_scope(name or op_type) as scope:
            data = convert_to_tensor(data, name="data")
            ids = convert_to_tensor(segment_ids, name="segment_ids")
            return apply_op_1(op_type, [data, ids], {"T": data.dtype.base_dtype,
                                                     "Tindices": ids.dtype.base_dtype}, scope)
    wrapper.__name__ = f"segment_{reduction.lower()}"
    wrapper.__doc__ = f"``tf.segment_{reduction.lower()}``: the {reduction.lower()} of the rows of ``data`` in each " \
                      "segment of the sorted ``segment_ids``."
    return wrapper


for _reduction in _REDUCERS:
    register("Segment" + _reduction, _segment_infer, pure(_segment_kernel(_reduction)),
             input_names=("data", "segment_ids"))
segment_sum, segment_mean, segment_max, segment_min, segment_prod = (
    _segment_wrapper(r) for r in ("Sum", "Mean", "Max", "Min", "Prod"))


# -- UnsortedSegmentMax/Min/Prod -----------------------------------------------------------------------------------

def _unsorted_infer(op):
    data, ids, n_t = op.inputs
    n = tensor_util.constant_value(n_t)
    dtype = data.dtype.base_dtype
    if data.shape.ndims is None or ids.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())]
    return [(dtype, TensorShape([None if n is None else int(n)]).concatenate(data.shape[ids.shape.ndims:]))]


def _unsorted_kernel(reduction):
    def kernel(data, ids, n):
        n = int(n)
        flat = ids.reshape(-1)
        if flat.size and flat.max() >= n:
            raise invalid_argument(f"segment_ids[{int(np.argmax(flat >= n))}] = {int(flat.max())} is out of range "
                                   f"[0, {n})")
        return _segment_reduce(reduction, data, ids, n, _REDUCERS[reduction][2])
    return kernel


def _unsorted_wrapper(reduction):
    op_type = "UnsortedSegment" + reduction

    def wrapper(data, segment_ids, num_segments, name=None):
        graph = ops._graph_of([data, segment_ids, num_segments]) or ops.get_default_graph()
        with graph.as_default(), graph.name_scope(name or op_type) as scope:
            data = convert_to_tensor(data, name="data")
            ids = convert_to_tensor(segment_ids, name="segment_ids")
            n = convert_to_tensor(num_segments, name="num_segments")
            return apply_op_1(op_type, [data, ids, n], {"T": data.dtype.base_dtype, "Tindices": ids.dtype.base_dtype,
                                                        "Tnumsegments": n.dtype.base_dtype}, scope)
    wrapper.__name__ = f"unsorted_segment_{reduction.lower()}"
    wrapper.__doc__ = f"``tf.unsorted_segment_{reduction.lower()}``: the {reduction.lower()} of the rows of ``data`` " \
                      "in each of ``num_segments`` segments (negative ids are dropped)."
    return wrapper


for _reduction in ("Max", "Min", "Prod"):
    register("UnsortedSegment" + _reduction, _unsorted_infer, pure(_unsorted_kernel(_reduction)),
             input_names=("data", "segment_ids", "num_segments"))
unsorted_segment_max, unsorted_segment_min, unsorted_segment_prod = (
    _unsorted_wrapper(r) for r in ("Max", "Min", "Prod"))


def unsorted_segment_mean(data, segment_ids, num_segments, name=None):
    """``tf.unsorted_segment_mean``: UnsortedSegmentSum divided by the segment sizes (empty segments count 1)."""
    with ops.name_scope(name, "UnsortedSegmentMean"):
        data = convert_to_tensor(data)
        segment_ids = convert_to_tensor(segment_ids)
        n = _unsorted_segment_n(data, segment_ids, num_segments)
        return _unsorted_segment_sum(data, segment_ids, num_segments) / n


def _unsorted_segment_sum(data, segment_ids, num_segments):
    """UnsortedSegmentSum as TensorFlow's generated wrapper creates it (``num_segments`` converted in its scope)."""
    graph = ops._graph_of([data, segment_ids, num_segments]) or ops.get_default_graph()
    with graph.as_default(), graph.name_scope("UnsortedSegmentSum") as scope:
        n = convert_to_tensor(num_segments, name="num_segments")
        return apply_op_1("UnsortedSegmentSum", [data, segment_ids, n],
                          {"T": data.dtype.base_dtype, "Tindices": segment_ids.dtype.base_dtype,
                           "Tnumsegments": n.dtype.base_dtype}, scope)


def _unsorted_segment_n(data, segment_ids, num_segments):
    """The size of each segment (at least 1), broadcastable against the segment sums."""
    num_segments = convert_to_tensor(num_segments)
    ones_tensor = array_ops.ones(shape_ops.shape_internal(segment_ids), dtype=data.dtype)
    n = _unsorted_segment_sum(ones_tensor, segment_ids, num_segments)
    broadcastable_shape = array_ops.concat(
        [num_segments[None], array_ops.ones([array_ops.rank(data) - array_ops.rank(segment_ids)],
                                            dtype=num_segments.dtype)], axis=0)
    n = array_ops.reshape(n, broadcastable_shape)
    count, ranks = tensor_util.constant_value(num_segments), (data.shape.ndims, segment_ids.shape.ndims)
    if count is not None and None not in ranks:
        # TensorFlow's shape inference evaluates the constant shape subgraph above.
        n.set_shape([int(count)] + [1] * (ranks[0] - ranks[1]))
    graph = n.graph
    with graph.as_default(), graph.name_scope("Maximum") as scope:
        return apply_op_1("Maximum", [n, convert_to_tensor(1, dtype=n.dtype.base_dtype, name="y")],
                          {"T": n.dtype.base_dtype}, scope)


# -- Unique, UniqueWithCounts, ListDiff ----------------------------------------------------------------------------

def _unique_infer(op, outputs):
    x = op.inputs[0]
    if x.shape.ndims not in (None, 1):
        raise ValueError(f"Shape must be rank 1 but is rank {x.shape.ndims} for '{op.name}' (op: '{op.type}')")
    index = op.get_attr("out_idx")
    return [(x.dtype.base_dtype, TensorShape([None])), (index, x.shape)] + [(index, TensorShape([None]))] * outputs


def _unique_kernel(op):
    index = op.get_attr("out_idx").as_numpy_dtype
    with_counts = op.type == "UniqueWithCounts"

    def kernel(x):
        if x.ndim != 1:
            raise invalid_argument("unique expects a 1D vector.")
        _, first, inverse, counts = np.unique(x, return_index=True, return_inverse=True, return_counts=True)
        order = np.argsort(first, kind="stable")  # TensorFlow keeps the order of first appearance
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        values = x[np.sort(first)]
        idx = rank[inverse.reshape(-1)].astype(index)
        return (values, idx, counts[order].astype(index)) if with_counts else (values, idx)
    return kernel


register("Unique", lambda op: _unique_infer(op, 0), pure_with_attrs(_unique_kernel), input_names=("x",),
         attrs=("T", "out_idx"), attr_defaults={"out_idx": dtypes.int32})
register("UniqueWithCounts", lambda op: _unique_infer(op, 1), pure_with_attrs(_unique_kernel), input_names=("x",),
         attrs=("T", "out_idx"), attr_defaults={"out_idx": dtypes.int32})


def _unique_wrapper(op_type):
    def wrapper(x, out_idx=dtypes.int32, name=None):
        graph = ops._graph_of([x]) or ops.get_default_graph()
        with graph.as_default(), graph.name_scope(name or op_type) as scope:
            x = convert_to_tensor(x, name="x")
            return tuple(apply_op(op_type, [x], {"T": x.dtype.base_dtype, "out_idx": dtypes.as_dtype(out_idx)},
                                  scope).outputs)
    return wrapper


unique = _unique_wrapper("Unique")
unique.__doc__ = "``tf.unique``: the distinct values of 1-D ``x`` in order of appearance, and each element's index."
unique_with_counts = _unique_wrapper("UniqueWithCounts")
unique_with_counts.__doc__ = "``tf.unique_with_counts``: ``tf.unique`` and how often each value occurs."


def _list_diff_infer(op):
    index = op.get_attr("out_idx")
    return [(op.inputs[0].dtype.base_dtype, TensorShape([None])), (index, TensorShape([None]))]


def _list_diff_kernel(op):
    index = op.get_attr("out_idx").as_numpy_dtype

    def kernel(x, y):
        keep = np.nonzero(~np.isin(x, y))[0]
        return x[keep], keep.astype(index)
    return kernel


register("ListDiff", _list_diff_infer, pure_with_attrs(_list_diff_kernel), input_names=("x", "y"),
         attrs=("T", "out_idx"), attr_defaults={"out_idx": dtypes.int32})


def setdiff1d(x, y, index_dtype=dtypes.int32, name=None):
    """``tf.setdiff1d``: the values of ``x`` not in ``y``, in order, and their positions in ``x``."""
    graph = ops._graph_of([x, y]) or ops.get_default_graph()
    with graph.as_default(), graph.name_scope(name or "ListDiff") as scope:
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, dtype=x.dtype.base_dtype, name="y")
        return tuple(apply_op("ListDiff", [x, y], {"T": x.dtype.base_dtype,
                                                   "out_idx": dtypes.as_dtype(index_dtype)}, scope).outputs)


# -- sort, argsort -------------------------------------------------------------------------------------------------

def _descending_sort(values, axis, return_argsort=False):
    k = array_ops.shape(values)[axis]
    array_ops.rank(values)  # built (and unused) as in TensorFlow, whose dynamic-rank path needs it
    static_rank = values.shape.ndims
    if axis == -1 or axis + 1 == static_rank:
        top_k_input, transposition = values, None
    else:
        if static_rank is None:
            raise ValueError("minitf sorts along an inner axis only for tensors of known rank")
        axis = axis + static_rank if axis < 0 else axis
        transposition = constant_op.constant(np.r_[np.arange(axis), [static_rank - 1],
                                                   np.arange(axis + 1, static_rank - 1), [axis]].astype(np.int32),
                                             name="transposition")
        top_k_input = array_ops.transpose(values, transposition)
    values, indices = nn_ops.top_k(top_k_input, k)
    result = indices if return_argsort else values
    return array_ops.transpose(result, transposition) if transposition is not None else result


def _ascending_sort(values, axis, return_argsort=False):
    dtype = values.dtype.base_dtype
    if dtype.is_unsigned:
        offset = dtype.max
        result = _descending_sort(offset - values, axis, return_argsort)
        return result if return_argsort else offset - result
    if dtype.is_integer:
        result = _descending_sort(-values - 1, axis, return_argsort)
        return result if return_argsort else -result - 1
    result = _descending_sort(-values, axis, return_argsort)
    return result if return_argsort else -result


def _sort_or_argsort(values, axis, direction, return_argsort):
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"Argument `direction` should be one of {{'ASCENDING', 'DESCENDING'}}. Received: "
                         f"direction={direction}")
    axis = convert_to_tensor(axis, name="axis")
    axis_static = tensor_util.constant_value(axis)
    if axis.shape.ndims not in (None, 0) or axis_static is None:
        raise ValueError(f"Argument `axis` must be a constant scalar. Received: axis={axis}.")
    values = convert_to_tensor(values, name="values")
    sort = _ascending_sort if direction == "ASCENDING" else _descending_sort
    return sort(values, int(axis_static), return_argsort)


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """``tf.sort``: ``values`` sorted along ``axis`` (with TopKV2, as TensorFlow)."""
    with ops.name_scope(name, "sort"):
        return _sort_or_argsort(values, axis, direction, return_argsort=False)


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """``tf.argsort``: the indices that sort ``values`` along ``axis`` (ties: lower index first)."""
    del stable  # TopKV2 is stable
    with ops.name_scope(name, "argsort"):
        return _sort_or_argsort(values, axis, direction, return_argsort=True)
