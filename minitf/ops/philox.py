"""Philox4x32-10 streams and TensorFlow's stateful random kernels (CPU), bit for bit, in numpy.

TensorFlow's ``RandomUniform``, ``RandomUniformInt``, ``RandomStandardNormal`` and ``TruncatedNormal`` kernels
draw from a Philox4x32-10 counter-based generator:

* The op's ``seed`` attr (read as uint64) is the 64-bit key, its ``seed2`` attr the upper half of the 128-bit
  counter (:func:`initial_counter`). Block ``c`` of the stream is Philox applied to counter ``c``: four uint32.
* Every run of an op reserves ``N * 256`` blocks for its ``N`` outputs (:meth:`PhiloxStream.reserve`), whatever
  the dtype, and reads them from the start of that reservation.
* Fixed-size distributions (uniform, integer, normal) turn block ``start + g`` into output group ``g``: 4 values
  for 32-bit and half types, 2 for 64-bit ones; a last partial group is computed whole and cut.
* ``TruncatedNormal`` gives output group ``g`` (4 values for float32/half, 2 for float64) its own sub-stream
  starting at block ``start + g * K``, ``K = 256`` (float32/half) or ``128`` (float64), and reads Box-Muller
  candidates from it until the group has enough values inside (-2, 2).

Normal samples come from Box-Muller, whose ``log``/``sin``/``cos`` TensorFlow takes from the C library. Values
agree bit for bit only if those functions do, so this module reproduces glibc's:

* float32 (``logf``, ``sincosf``): glibc >= 2.28 computes both in double precision from small tables and rounds
  once to float. :class:`libm.Float32Libm` runs the same double-precision steps vectorised in numpy; the result can
  then differ from glibc's only where glibc's fused multiply-adds move the double value across a float32
  rounding boundary, so elements whose double value lies within 256 double ulps of a boundary (about one in a
  million) are recomputed by calling the C library through ctypes.
* float64 (``log``, ``sin``, ``cos``): glibc returns the correctly rounded value whenever the true value is more
  than its documented error (0.52 ulp for log, 0.548 ulp for sin/cos) away from a rounding boundary.
  :class:`libm.Float64Libm` computes in ``np.longdouble`` (64-bit mantissa) and calls the C library for the elements
  that lie closer than that to a boundary (about 6% for log, 12% for sin/cos).

Without a loadable C math library (a non-glibc platform), or without an extended ``np.longdouble``, the numpy
computation is used alone and normal samples may then differ from TensorFlow's in the last bit. If a loaded
libm disagrees with the float32 emulation on known inputs (another glibc algorithm), every float32 value is
taken from that libm through ctypes: exact, but slow.

Speed: large draws are cut into chunks of blocks that a thread pool processes in parallel (numpy releases the
GIL inside its loops); chunks write disjoint parts of the output, so results never depend on the number of
threads. Inside a chunk the work goes through per-thread scratch arrays (``libm.scratch``), because fresh
arrays of this size cost page faults on every allocation.
"""

import functools
import math
import os
import sys
import threading

import numpy as np

from minitf.framework import errors
from minitf.ops import libm

BLOCKS_PER_OUTPUT = 256
"""Blocks a kernel call reserves per output element (``ReserveRandomOutputs(N, 256)``)."""

_U64 = np.uint64
_LOW_HALF, _HIGH_HALF = (0, 1) if sys.byteorder == "little" else (1, 0)  # of a uint64 viewed as two uint32
_SHIFT32 = _U64(32)
_PHILOX_MULTIPLIERS = np.array([[0xD2511F53], [0xCD9E8D57]], _U64)
_PHILOX_W0, _PHILOX_W1 = 0x9E3779B9, 0xBB67AE85
_PHILOX_ROUNDS = 10
_COUNTER_MOD = 1 << 128
_UINT64_MOD = 1 << 64
_CHUNK_BLOCKS = 1 << 15
_SMALL_BLOCKS = 4  # draws of at most this many blocks are computed on Python ints (``_philox_small``)
_TRUNCATE_BOUND = 2.0
_TRUNCATED_GROUP = {np.float16: (4, 256), np.float32: (4, 256), np.float64: (2, 128)}
_BOX_MULLER_EPSILON = 1.0e-7
_TWO_PI = 2.0 * np.pi
_CORES = os.cpu_count() or 1


_ARANGE = np.arange(_CHUNK_BLOCKS, dtype=_U64)  # offsets within a chunk

# ---------------------------------------------------------------------------------------------------------------
# Philox4x32-10


def philox_key(seed):
    """The Philox key ``(k0, k1)`` of an op's ``seed`` attr (an int64, read as uint64)."""
    seed %= _UINT64_MOD
    return seed & 0xFFFFFFFF, seed >> 32


def initial_counter(seed2):
    """The 128-bit start counter of an op's stream: ``c0 = c1 = 0``, ``(c2, c3)`` = the halves of ``seed2``."""
    return (seed2 % _UINT64_MOD) << 64


def philox_blocks(key, counter, n_blocks):
    """Philox4x32-10 blocks ``counter, counter + 1, ...``: a uint32 array of shape ``(n_blocks, 4)``.

    ``key`` is ``(k0, k1)``; ``counter`` a 128-bit int or its four 32-bit words ``(c0, c1, c2, c3)``, ``c0``
    lowest. Counters wrap around at 2**128, as TensorFlow's do.
    """
    if not isinstance(counter, int):
        counter = sum((int(word) & 0xFFFFFFFF) << (32 * i) for i, word in enumerate(counter))
    out = np.empty((n_blocks, 4), np.uint32)
    keys = _round_keys(tuple(int(word) & 0xFFFFFFFF for word in key))

    def fill(lo, hi):
        out[lo:hi] = _philox_range(keys, counter, lo, hi)
    _run_chunked(fill, n_blocks, _CHUNK_BLOCKS)
    return out


def blocks_at(key, counter, offsets):
    """Philox4x32-10 blocks at counters ``counter + offsets`` (a uint64 array; counters wrap around at 2**128):
    a new uint32 array of shape ``(offsets.size, 4)``."""
    keys = _round_keys(tuple(int(word) & 0xFFFFFFFF for word in key))
    return _philox_at(keys, counter % _COUNTER_MOD, offsets).copy()


@functools.lru_cache(maxsize=256)
def _round_keys(key):
    """The key of each of the 10 rounds, bumped by the Weyl constants after every round, as (2, 1) columns."""
    k0, k1 = key
    return [np.array([[(k0 + r * _PHILOX_W0) & 0xFFFFFFFF], [(k1 + r * _PHILOX_W1) & 0xFFFFFFFF]], np.uint32)
            for r in range(_PHILOX_ROUNDS)]


def _philox_small(key, counter, n_blocks):
    """``philox_blocks`` for a few blocks, on Python ints: a scalar draw (a random crop offset, a flip, a
    brightness delta) costs microseconds here where the array version's numpy calls cost a tenth of a millisecond.
    """
    words = []
    for i in range(n_blocks):
        c = (counter + i) % _COUNTER_MOD
        c0, c1, c2, c3 = c & 0xFFFFFFFF, (c >> 32) & 0xFFFFFFFF, (c >> 64) & 0xFFFFFFFF, c >> 96
        for k0, k1 in _round_key_ints(key):
            p0, p1 = 0xD2511F53 * c0, 0xCD9E8D57 * c2
            c0, c1, c2, c3 = (p1 >> 32) ^ c1 ^ k0, p1 & 0xFFFFFFFF, (p0 >> 32) ^ c3 ^ k1, p0 & 0xFFFFFFFF
        words += (c0, c1, c2, c3)
    return np.array(words, np.uint32).reshape(n_blocks, 4)


@functools.lru_cache(maxsize=256)
def _round_key_ints(key):
    """``_round_keys`` as pairs of Python ints."""
    k0, k1 = key
    return tuple(((k0 + r * _PHILOX_W0) & 0xFFFFFFFF, (k1 + r * _PHILOX_W1) & 0xFFFFFFFF)
                 for r in range(_PHILOX_ROUNDS))


def _philox_range(keys, counter, lo, hi):
    """Blocks ``counter + lo`` to ``counter + hi - 1`` (a scratch array)."""
    offsets = np.add(_ARANGE[:hi - lo], _U64(lo), out=libm.scratch("philox.offsets", hi - lo, _U64))
    return _philox_at(keys, counter, offsets)


def _philox_at(keys, counter, offsets):
    """Blocks at counters ``counter + offsets`` (uint64 offsets): a ``(n, 4)`` uint32 scratch array.

    The state is two uint32 arrays of two rows, ``even = [c0; c2]`` and ``odd = [c1; c3]``. One numpy multiply
    by the column ``[M0; M1]`` gives both 64-bit products; their 32-bit halves are read through uint32 views.
    Products alternate between two buffers, because ``odd`` is a view of the previous round's.
    """
    n = offsets.size
    base_lo, base_hi = _U64(counter % _UINT64_MOD), _U64((counter >> 64) % _UINT64_MOD)
    even = libm.scratch("philox.even", 2 * n, np.uint32).reshape(2, n)
    products = [libm.scratch("philox.product" + name, 2 * n, _U64).reshape(2, n) for name in ("0", "1")]
    product = products[1]
    np.add(offsets, base_lo, out=product[0])  # the counter's low and high 64 bits
    np.add(np.less(product[0], base_lo, out=libm.scratch("philox.carry", n, bool)), base_hi, out=product[1])
    halves = product.view(np.uint32).reshape(2, n, 2)
    np.copyto(even, halves[:, :, _LOW_HALF])
    odd = halves[:, :, _HIGH_HALF]
    for round_index, key in enumerate(keys):
        product = products[round_index % 2]
        np.multiply(even, _PHILOX_MULTIPLIERS, out=product)
        halves = product.view(np.uint32).reshape(2, n, 2)[::-1]  # rows [c2*M1; c0*M0]
        np.bitwise_xor(halves[:, :, _HIGH_HALF], odd, out=even)
        even ^= key  # [hi(c2*M1) ^ c1 ^ k0; hi(c0*M0) ^ c3 ^ k1]
        odd = halves[:, :, _LOW_HALF]  # [lo(c2*M1); lo(c0*M0)]
    blocks = libm.scratch("philox.blocks", 4 * n, np.uint32).reshape(n, 4)
    for lane, word in enumerate((even[0], odd[0], even[1], odd[1])):
        blocks[:, lane] = word
    return blocks


_pool = None
_pool_pid = None
_pool_lock = threading.Lock()


def _thread_pool():
    """Worker threads for all cores but the caller's (recreated in a forked child, where its threads are gone)."""
    global _pool, _pool_pid
    from concurrent.futures import ThreadPoolExecutor  # only large random ops need it
    with _pool_lock:
        if _pool is None or _pool_pid != os.getpid():
            _pool = ThreadPoolExecutor(max_workers=max(1, _CORES - 1),
                                       thread_name_prefix="minitf-philox")
            _pool_pid = os.getpid()
        return _pool


def _run_chunked(work, n, chunk):
    """Calls ``work(lo, hi)`` over ``[0, n)`` in chunks of at most ``chunk``.

    With several chunks and cores, each core takes one contiguous share of the chunks: the calling thread the
    first, pool threads the others.
    """
    starts = list(range(0, n, chunk))
    shares = max(1, min(len(starts), _CORES))

    def run(share):
        for lo in starts[len(starts) * share // shares:len(starts) * (share + 1) // shares]:
            work(lo, min(lo + chunk, n))
    futures = [_thread_pool().submit(run, share) for share in range(1, shares)]
    run(0)
    for future in futures:
        future.result()


class PhiloxStream:
    """One op's random stream in one Session: its key and the counter where its next kernel call starts.

    ``reserve(n)`` returns the start counter of a call with ``n`` outputs and moves the stream on by
    ``n * 256`` blocks (TensorFlow's ``GuardedPhiloxRandom::ReserveRandomOutputs(n, 256)``). The sampling
    methods take that start counter and delegate to the module-level functions.
    """

    def __init__(self, seed, seed2):
        self.seed = seed % _UINT64_MOD
        self.counter = initial_counter(seed2)
        self._lock = threading.Lock()  # runs of one op from several threads take distinct reservations

    @property
    def key(self):
        return philox_key(self.seed)

    def reserve(self, n_outputs):
        with self._lock:
            start = self.counter
            self.counter = (start + n_outputs * BLOCKS_PER_OUTPUT) % _COUNTER_MOD
        return start

    def uniform(self, start, shape, dtype):
        return random_uniform(self.seed, start, shape, dtype)

    def uniform_int(self, start, shape, dtype, minval, maxval):
        return random_uniform_int(self.seed, start, shape, dtype, minval, maxval)

    def normal(self, start, shape, dtype):
        return random_standard_normal(self.seed, start, shape, dtype)

    def truncated_normal(self, start, shape, dtype):
        return truncated_normal(self.seed, start, shape, dtype)


# ---------------------------------------------------------------------------------------------------------------
# Sampling kernels. Each takes the op's ``seed`` attr, the start counter of the call (``PhiloxStream.reserve``),
# the output shape and a numpy dtype, and returns a new array of that shape and dtype.


def random_uniform(seed, counter, shape, dtype):
    """``RandomUniform``: float16/32/64 in [0, 1) from the mantissa bits of one (two for float64) uint32."""
    dtype = np.dtype(dtype).type
    if dtype is np.float32:
        return _fixed_size(seed, counter, shape, np.float32, 4, _uniform_float32)
    if dtype is np.float64:
        return _fixed_size(seed, counter, shape, np.float64, 2, _uniform_float64)
    if dtype is np.float16:
        return _fixed_size(seed, counter, shape, np.float16, 4, _uniform_float16)
    raise _unsupported("RandomUniform", dtype)


def random_uniform_int(seed, counter, shape, dtype, minval, maxval):
    """``RandomUniformInt``: int32 ``minval + u32 % (maxval - minval)``; int64 the same with two uint32."""
    dtype = np.dtype(dtype).type
    if not minval < maxval:
        raise errors.InvalidArgumentError(None, None, f"Need minval < maxval, got {minval} >= {maxval}")
    if dtype is np.int32:
        span, offset = np.uint32((maxval - minval) % 2**32), np.uint32(minval % 2**32)

        def to_int32(blocks, out):
            values = out.view(np.uint32)
            np.remainder(blocks.reshape(-1), span, out=values)
            values += offset  # wraps modulo 2**32 to the two's-complement result
        return _fixed_size(seed, counter, shape, np.int32, 4, to_int32)
    if dtype is np.int64:
        span, offset = _U64((maxval - minval) % _UINT64_MOD), _U64(minval % _UINT64_MOD)

        def to_int64(blocks, out):
            values = out.view(_U64)
            words = blocks.reshape(-1)
            values[:] = words[1::2]
            values <<= _SHIFT32
            values |= words[0::2]  # x0 | x1 << 32
            values %= span
            values += offset
        return _fixed_size(seed, counter, shape, np.int64, 2, to_int64)
    raise _unsupported("RandomUniformInt", dtype)


def random_standard_normal(seed, counter, shape, dtype):
    """``RandomStandardNormal``: Box-Muller on consecutive uint32 pairs (float64: quads) of the stream."""
    dtype = np.dtype(dtype).type
    if dtype is np.float32:
        return _fixed_size(seed, counter, shape, np.float32, 4, _box_muller_float32)
    if dtype is np.float64:
        return _fixed_size(seed, counter, shape, np.float64, 2, _box_muller_float64)
    if dtype is np.float16:
        return _fixed_size(seed, counter, shape, np.float16, 4, _box_muller_half)
    raise _unsupported("RandomStandardNormal", dtype)


def truncated_normal(seed, counter, shape, dtype):
    """``TruncatedNormal``: Box-Muller values inside (-2, 2), each output group drawn from its own sub-stream.

    Group ``g`` reads blocks ``counter + g*K + j`` for ``j = 0, 1, ...``: each block gives 4 candidates for
    float32/half (two Box-Muller pairs, sine value first) or 2 for float64, taken in order while they lie inside
    (-2, 2) until the group is full. Block ``j = 0`` of every group is computed at once and fills most groups
    (83% for float32, 91% for float64); the others go on together, one block index ``j`` per pass. Half values
    are the float32 ones rounded to half after the test.
    """
    dtype = np.dtype(dtype).type
    if dtype not in _TRUNCATED_GROUP:
        raise _unsupported("TruncatedNormal", dtype)
    group, stride = _TRUNCATED_GROUP[dtype]
    box_muller = _box_muller_float64 if dtype is np.float64 else _box_muller_float32
    n = _num_elements(shape)
    n_groups = -(-n // group)
    values = np.empty((n_groups, group), np.float64 if dtype is np.float64 else np.float32)
    keys = _round_keys(philox_key(seed))
    all_inside = int.from_bytes(b"\x01" * group, "little")

    def candidates(groups, block, out):
        """Box-Muller values of block ``block`` of each group's sub-stream (``groups``: uint64) into ``out``."""
        offsets = libm.scratch("truncated.offsets", groups.size, _U64)
        np.multiply(groups, _U64(stride), out=offsets)
        offsets += _U64(block)
        box_muller(_philox_at(keys, counter, offsets), out.reshape(-1))
        return out

    def fill(lo, hi):
        first = candidates(np.add(_ARANGE[:hi - lo], _U64(lo)), 0, values[lo:hi])
        inside = np.abs(first) < _TRUNCATE_BOUND
        incomplete = np.flatnonzero(inside.view(f"u{group}").reshape(-1) != all_inside)  # a row of True bytes
        if incomplete.size:
            _complete_groups(values, candidates, incomplete + lo, first[incomplete], inside[incomplete])
    _run_chunked(fill, n_groups, _CHUNK_BLOCKS)
    return values.reshape(-1)[:n].astype(dtype, copy=False).reshape(shape)


def _complete_groups(values, candidates, groups, first, inside):
    """Fills ``values[groups]`` from their candidates, starting with block 0's (``first``, ``inside``)."""
    group = values.shape[1]
    filled = np.zeros(groups.size, np.int64)
    block = 0
    while True:
        slot = np.cumsum(inside, axis=1)
        slot += filled[:, None] - 1  # where each accepted candidate goes in its group
        rows, columns = np.nonzero(inside & (slot < group))
        values[groups[rows], slot[rows, columns]] = first[rows, columns]
        filled = np.minimum(slot[:, -1] + 1, group)
        missing = filled < group
        if not missing.any():
            return
        groups, filled, block = groups[missing], filled[missing], block + 1
        first = candidates(groups.astype(_U64), block, np.empty((groups.size, group), values.dtype))
        inside = np.abs(first) < _TRUNCATE_BOUND


def _num_elements(shape):
    return math.prod(int(d) for d in shape)


def _unsupported(op_type, dtype):
    return errors.InvalidArgumentError(None, None, f"{op_type} does not support dtype {np.dtype(dtype).name}")


def _fixed_size(seed, counter, shape, dtype, per_block, transform):
    """Output group ``g`` (``per_block`` values) is ``transform(block counter + g, out=group g)``."""
    n = _num_elements(shape)
    n_blocks = -(-n // per_block)
    out = np.empty(n_blocks * per_block, dtype)
    if n_blocks <= _SMALL_BLOCKS:
        transform(_philox_small(philox_key(seed), counter, n_blocks), out)
        return out[:n].reshape(shape)
    keys = _round_keys(philox_key(seed))

    def fill(lo, hi):
        transform(_philox_range(keys, counter, lo, hi), out[lo * per_block:hi * per_block])
    _run_chunked(fill, n_blocks, _CHUNK_BLOCKS)
    return out[:n].reshape(shape)


# ---------------------------------------------------------------------------------------------------------------
# Blocks -> values (random_distributions.h). Each transform writes one block's values into ``out``.


def _uniform_float32(blocks, out):
    """``0x3F800000 | (x & 0x7FFFFF)`` read as float32, minus 1."""
    bits = out.view(np.uint32)
    np.bitwise_and(blocks.reshape(-1), np.uint32(0x7FFFFF), out=bits)
    bits |= np.uint32(0x3F800000)
    out -= np.float32(1.0)


def _uniform_float16(blocks, out):
    """``0x3C00 | (x & 0x3FF)`` read as half, minus 1."""
    bits = out.view(np.uint16)
    np.bitwise_and(blocks.reshape(-1), np.uint32(0x3FF), out=bits, casting="unsafe")
    bits |= np.uint16(0x3C00)
    out -= np.float16(1.0)


def _uniform_float64(blocks, out):
    """``0x3FF0000000000000 | (x0 & 0xFFFFF) << 32 | x1`` read as float64, minus 1."""
    bits = out.view(_U64)
    words = blocks.reshape(-1)
    np.bitwise_and(words[0::2], np.uint32(0xFFFFF), out=bits, casting="unsafe")
    bits <<= _SHIFT32
    bits |= words[1::2]
    bits |= _U64(0x3FF0000000000000)
    out -= 1.0


def _box_muller_float32(blocks, out):
    """TensorFlow's ``BoxMullerFloat`` on each uint32 pair (x0, x1): outputs ``sin(v)*r, cos(v)*r``.

    ``u = max(U(x0), 1e-7f)``, ``v = float(2*pi (double) * U(x1))``, ``r = sqrtf(-2 * logf(u))``.
    """
    words = blocks.reshape(-1)
    n = words.size // 2
    u_bits = libm.scratch("box_muller.u", n, np.uint32)
    np.bitwise_and(words[0::2], np.uint32(0x7FFFFF), out=u_bits)
    u_bits |= np.uint32(0x3F800000)
    u = u_bits.view(np.float32)
    u -= np.float32(1.0)
    np.maximum(u, np.float32(_BOX_MULLER_EPSILON), out=u)
    v_bits = libm.scratch("box_muller.v_bits", n, np.uint32)
    np.bitwise_and(words[1::2], np.uint32(0x7FFFFF), out=v_bits)
    v_wide = libm.scratch("box_muller.v_wide", n, np.float64)
    np.multiply(v_bits, _TWO_PI * 2.0 ** -23, out=v_wide)  # 2*pi * U(x1), rounded once
    v = libm.scratch("box_muller.v", n, np.float32)
    np.copyto(v, v_wide, casting="same_kind")
    math = libm.float32_libm()
    radius = math.log(u)
    radius *= np.float32(-2.0)
    np.sqrt(radius, out=radius)
    sin, cos = math.sincos(v)
    np.multiply(sin, radius, out=out[0::2])
    np.multiply(cos, radius, out=out[1::2])


def _box_muller_half(blocks, out):
    """Half normals are the float32 ones rounded to half."""
    values = libm.scratch("box_muller.half", out.size, np.float32)
    _box_muller_float32(blocks, values)
    np.copyto(out, values, casting="same_kind")


def _box_muller_float64(blocks, out):
    """TensorFlow's ``BoxMullerDouble`` on each block (x0, x1, x2, x3): ``u = U(x0, x1)``, ``v = 2*pi*U(x2, x3)``."""
    uniforms = np.empty(2 * len(blocks))
    _uniform_float64(blocks, uniforms)
    u, v = uniforms[0::2], uniforms[1::2] * _TWO_PI
    np.maximum(u, _BOX_MULLER_EPSILON, out=u)
    math = libm.float64_libm()
    radius = np.sqrt(-2.0 * math.log(u))
    sin, cos = math.sincos(v)
    np.multiply(sin, radius, out=out[0::2])
    np.multiply(cos, radius, out=out[1::2])
