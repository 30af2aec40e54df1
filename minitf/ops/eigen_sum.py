"""Floating-point sums added in the order TensorFlow's CPU kernels add them, so reductions match bit for bit.

TensorFlow's ``Sum`` and ``Mean`` kernels (``reduction_ops_common.h``) first simplify the reduction to one of a
few shapes, then hand it to Eigen. Eigen adds in SIMD "packets" (8 float32 or 4 float64 lanes: TensorFlow's
wheels are built for AVX), with several accumulators and a pairwise split of long rows, so the rounding differs
from numpy's pairwise summation in the last bits. This module reproduces that order with numpy:

- ``sum_rows`` — a row reduced as one contiguous run (Eigen's ``InnerMostDimReducer``): four packet
  accumulators over blocks of four packets, folded into the first; leftover packets; a scalar tail; the packet's
  lanes added pairwise (``predux``); runs longer than 1024 packets are split in two at a packet boundary first.
- ``sum_middle`` — the middle axis of ``[A, B, C]`` reduced while the contiguous last axis is kept (Eigen's
  ``InnerMostDimPreserver``): lanes of a packet sum their column down the rows, four accumulators in turn when
  there are at least 16 rows. Outputs whose packet would straddle two rows are added one by one.

``Mean`` is this sum divided by the count, as in TensorFlow. Integer sums are exact in any order and use numpy.
The order reproduced is that of TensorFlow 2.21's x86-64 wheel with up to two intra-op threads; other builds
(AVX-512, GPUs) add in other orders.
"""

import functools

import numpy as np

_PACKET_LANES = {np.dtype(np.float32): 8, np.dtype(np.float64): 4}
_LEAF_PACKETS = 1024  # Eigen's LeafSize for float and double
_POOL_THREADS = 2  # intra-op threads of the reference machine (TensorFlow uses one per core)


def packet_lanes(dtype):
    """Lanes per SIMD packet for ``dtype``, or None when TensorFlow's order is not reproduced (use numpy)."""
    return _PACKET_LANES.get(np.dtype(dtype))


def _sequential(x, axis):
    """Sum along ``axis`` one element after another (numpy adds along a non-contiguous axis in order).

    Eigen starts from +0.0 rather than the first element; that differs only when every element is -0.0, which
    ``reduce_sum`` corrects once at the end.
    """
    return np.add.reduce(x, axis=axis)


def _lane_total(packets):
    """Eigen's ``predux``: the lanes of each packet (last axis) added as a pairwise tree, halves first."""
    while packets.shape[-1] > 1:
        half = packets.shape[-1] // 2
        packets = packets[..., :half] + packets[..., half:]
    return packets[..., 0]


def _leaf_rows(rows, lanes):
    """Eigen's vectorised InnerMostDimReducer leaf over each row of a 2-D array.

    Four packet accumulators take blocks of four packets in turn and are folded into the first; the leftover
    packets follow; the lanes are added up (``predux``) and the scalar tail, summed on its own, is added last.
    """
    count, width = rows.shape
    vectorized = width // lanes * lanes
    unrolled = width // (4 * lanes) * 4 * lanes
    packets = rows[:, :vectorized].reshape(count, -1, lanes)
    if unrolled:
        four = _sequential(packets[:, :unrolled // lanes].reshape(count, -1, 4, lanes), axis=1)
        packets = np.concatenate((four, packets[:, unrolled // lanes:]), axis=1)
    total = _lane_total(_sequential(packets, axis=1))
    if vectorized == width:
        return total
    return np.cumsum(rows[:, vectorized:], axis=1)[:, -1] + total  # cumsum adds in order


def _leaf_row(row, lanes):
    """``_leaf_rows`` for one row, with few numpy calls: the four accumulators' lanes and the leftover packets are
    added into one packet in order, its lanes pairwise, and the scalar tail one element after another (numpy
    scalars of the row's dtype round each addition as Eigen's do)."""
    width = len(row)
    vectorized = width - width % lanes
    unrolled = width - width % (4 * lanes)
    if vectorized:
        if unrolled:
            accumulators = np.add.reduce(row[:unrolled].reshape(-1, 4 * lanes), axis=0).reshape(4, lanes)
            lane = np.add.reduce(accumulators, axis=0)
            for start in range(unrolled, vectorized, lanes):
                lane += row[start:start + lanes]
        else:
            lane = np.add.reduce(row[:vectorized].reshape(-1, lanes), axis=0)
        while len(lane) > 1:
            half = len(lane) // 2
            lane = lane[:half] + lane[half:]
        total = lane[0]
    else:
        total = row.dtype.type(0.0)
    tail = row.dtype.type(0.0)
    for value in row[vectorized:]:
        tail = tail + value
    return tail + total


def _tree_row(row, first_index, lanes):
    """One long row: split in two at a packet boundary (relative to the whole input) until leaves are short."""
    size = len(row)
    if size <= lanes * _LEAF_PACKETS:
        return _leaf_row(row, lanes)
    split = lanes * -(-(first_index + -(-size // 2)) // lanes)
    left = min(split - first_index, size)
    total = row.dtype.type(0.0) + _tree_row(row[:left], first_index, lanes)
    if left < size:
        total = total + _tree_row(row[left:], split, lanes)
    return total


def sum_rows(x):
    """Sums each row of the 2-D float array ``x`` in Eigen's order; returns a 1-D array."""
    lanes = packet_lanes(x.dtype)
    count, width = x.shape
    if width <= lanes * _LEAF_PACKETS:
        return _leaf_rows(x, lanes)
    return np.array([_tree_row(x[i], i * width, lanes) for i in range(count)], dtype=x.dtype)


def _full_reduction_threads(size, dtype):
    """Threads Eigen's cost model gives a full sum (``TensorCostModel::numThreads``), on a two-thread pool.

    Per element: an L2 load of the element (11/64 cycles a byte) and 1/lanes of an addition.
    """
    cycles = size * (11.0 / 64.0 * dtype.itemsize + 1.0 / packet_lanes(dtype))
    return min(_POOL_THREADS, max(1, int((cycles - 100000.0) / 100000.0 + 0.9)))


def sum_all(x):
    """The full reduction of a float array, as Eigen's FullReducer adds it: one shard per thread, and the
    elements left over after the equal shards summed first."""
    flat = np.ascontiguousarray(x).reshape(-1)
    threads = _full_reduction_threads(len(flat), flat.dtype)
    if threads == 1:
        return _tree_row(flat, 0, packet_lanes(flat.dtype))
    lanes = packet_lanes(flat.dtype)
    shard = len(flat) // threads
    shards = len(flat) // shard
    total = flat.dtype.type(0.0)
    if shards * shard < len(flat):
        total = _tree_row(flat[shards * shard:], shards * shard, lanes)
    for i in range(shards):
        total = total + _tree_row(flat[i * shard:(i + 1) * shard], i * shard, lanes)
    return total


def sum_middle(x):
    """Sums the middle axis of the 3-D float array ``[A, B, C]`` in Eigen's order; returns ``[A, C]``."""
    lanes = packet_lanes(x.dtype)
    outer, rows, width = x.shape
    lane_wise = _lane_wise(outer, width, lanes)
    if rows < 16 or lane_wise is False:
        return _sequential(x, axis=1)
    unrolled = rows // 4 * 4
    accumulators = _sequential(x[:, :unrolled].reshape(outer, -1, 4, width), axis=1)
    packed = ((accumulators[:, 0] + accumulators[:, 1]) + accumulators[:, 2]) + accumulators[:, 3]
    for j in range(unrolled, rows):
        packed = packed + x[:, j]
    if lane_wise is True:
        return packed
    return np.where(lane_wise, packed, _sequential(x, axis=1))


@functools.lru_cache(maxsize=256)
def _lane_wise(outer, width, lanes):
    """Which outputs of ``sum_middle`` are summed lane-wise: an ``[outer, width]`` mask, or True / False for all.

    The executor walks the flattened output in packets; a packet is summed lane-wise only when its lanes are
    adjacent columns of one row, and the output's last (size % lanes) entries are always added one by one."""
    size = outer * width
    starts = np.arange(0, size - size % lanes, lanes)
    lane_wise = np.zeros(size, dtype=bool)
    whole = starts[(starts % width) + lanes - 1 < width]
    lane_wise[(whole[:, None] + np.arange(lanes)).reshape(-1)] = True
    if lane_wise.all() or not lane_wise.any():
        return bool(lane_wise[0]) if size else False
    lane_wise.flags.writeable = False
    return lane_wise.reshape(outer, width)


def _runs(shape, axes):
    """TensorFlow's ReductionHelper::Simplify: merge adjacent axes that are both reduced or both kept.

    Returns (run sizes, whether the first run is reduced); size-1 axes join the run before them.
    """
    reduced = [i in axes for i in range(len(shape))]
    first = 0
    while first < len(shape) and shape[first] == 1:
        first += 1
    if first == len(shape):
        return [], True
    runs, previous = [shape[first]], reduced[first]
    first_reduced = previous
    for i in range(first + 1, len(shape)):
        flag = previous if shape[i] == 1 else reduced[i]
        if flag == previous:
            runs[-1] *= shape[i]
        else:
            runs.append(shape[i])
        previous = flag
    return runs, first_reduced


def reduce_sum(x, axes):
    """``np.sum(x, axis=axes)`` (no keepdims) for a float array, added in TensorFlow's order."""
    lanes = packet_lanes(x.dtype)
    if axes and len(axes) == x.ndim and 0 < x.size <= lanes * _LEAF_PACKETS:  # one leaf on one thread
        return _leaf_row(x.reshape(-1), lanes) + x.dtype.type(0.0)
    kept_shape = [d for i, d in enumerate(x.shape) if i not in axes]
    if x.size == 0 or not axes:
        return np.sum(x, axis=axes, dtype=x.dtype)
    runs, first_reduced = _runs(x.shape, axes)
    if len(runs) <= 1 and not (runs and first_reduced):  # only size-1 axes are reduced
        return np.asarray(x, dtype=x.dtype).reshape(kept_shape) + x.dtype.type(0.0)
    data = np.ascontiguousarray(x).reshape(runs)
    if len(runs) == 1:
        total = sum_all(data)
    elif len(runs) == 2 and first_reduced:
        total = sum_middle(data[None])[0]
    elif len(runs) == 2:
        total = sum_rows(data)
    elif len(runs) == 3 and not first_reduced:
        total = sum_middle(data)
    elif len(runs) == 3:
        # Eigen's generic reducer: for each output, the last reduced axis outside, the first inside.
        outer, kept, inner = runs
        total = _sequential(np.transpose(data, (2, 0, 1)).reshape(inner * outer, kept), axis=0)
    else:
        # More than three runs: TensorFlow transposes the reduced runs to the end and sums rows of the
        # [kept, reduced] matrix.
        reduced_runs = list(range(0 if first_reduced else 1, len(runs), 2))
        kept_runs = [i for i in range(len(runs)) if i not in reduced_runs]
        moved = np.transpose(data, kept_runs + reduced_runs)
        kept = int(np.prod([runs[i] for i in kept_runs]))
        total = sum_rows(np.ascontiguousarray(moved).reshape(kept, -1))
    return np.asarray(total, dtype=x.dtype).reshape(kept_shape) + x.dtype.type(0.0)  # -0.0 sums to +0.0
