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
  once to float. :class:`_Float32Libm` runs the same double-precision steps vectorised in numpy; the result can
  then differ from glibc's only where glibc's fused multiply-adds move the double value across a float32
  rounding boundary, so elements whose double value lies within 256 double ulps of a boundary (about one in a
  million) are recomputed by calling the C library through ctypes.
* float64 (``log``, ``sin``, ``cos``): glibc returns the correctly rounded value whenever the true value is more
  than its documented error (0.52 ulp for log, 0.548 ulp for sin/cos) away from a rounding boundary.
  :class:`_Float64Libm` computes in ``np.longdouble`` (64-bit mantissa) and calls the C library for the elements
  that lie closer than that to a boundary (about 6% for log, 12% for sin/cos).

Without a loadable C math library (a non-glibc platform), or without an extended ``np.longdouble``, the numpy
computation is used alone and normal samples may then differ from TensorFlow's in the last bit. If a loaded
libm disagrees with the float32 emulation on known inputs (another glibc algorithm), every float32 value is
taken from that libm through ctypes: exact, but slow.

Speed: large draws are cut into chunks of blocks that a thread pool processes in parallel (numpy releases the
GIL inside its loops); chunks write disjoint parts of the output, so results never depend on the number of
threads. Inside a chunk the work goes through per-thread scratch arrays (:class:`_Scratch`), because fresh
arrays of this size cost page faults on every allocation.
"""

import ctypes
import ctypes.util
import functools
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from minitf.framework import errors

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
_TRUNCATE_BOUND = 2.0
_TRUNCATED_GROUP = {np.float16: (4, 256), np.float32: (4, 256), np.float64: (2, 128)}
_BOX_MULLER_EPSILON = 1.0e-7
_TWO_PI = 2.0 * np.pi
_CORES = os.cpu_count() or 1


class _Scratch(threading.local):
    """Per-thread work arrays, reused from chunk to chunk: ``scratch(name, n, dtype)`` is an array of ``n``.

    Each name belongs to one step of one function, and its contents live only until that step runs again.
    A thread that has drawn large normal samples keeps about 11 MB of them.
    """

    def __init__(self):
        self.arrays = {}

    def __call__(self, name, n, dtype):
        array = self.arrays.get(name)
        if array is None or array.size < n:
            array = self.arrays[name] = np.empty(-(-n // 4096) * 4096, dtype)
        return array[:n]


_scratch = _Scratch()
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


@functools.lru_cache(maxsize=256)
def _round_keys(key):
    """The key of each of the 10 rounds, bumped by the Weyl constants after every round, as (2, 1) columns."""
    k0, k1 = key
    return [np.array([[(k0 + r * _PHILOX_W0) & 0xFFFFFFFF], [(k1 + r * _PHILOX_W1) & 0xFFFFFFFF]], np.uint32)
            for r in range(_PHILOX_ROUNDS)]


def _philox_range(keys, counter, lo, hi):
    """Blocks ``counter + lo`` to ``counter + hi - 1`` (a scratch array)."""
    offsets = np.add(_ARANGE[:hi - lo], _U64(lo), out=_scratch("philox.offsets", hi - lo, _U64))
    return _philox_at(keys, counter, offsets)


def _philox_at(keys, counter, offsets):
    """Blocks at counters ``counter + offsets`` (uint64 offsets): a ``(n, 4)`` uint32 scratch array.

    The state is two uint32 arrays of two rows, ``even = [c0; c2]`` and ``odd = [c1; c3]``. One numpy multiply
    by the column ``[M0; M1]`` gives both 64-bit products; their 32-bit halves are read through uint32 views.
    Products alternate between two buffers, because ``odd`` is a view of the previous round's.
    """
    n = offsets.size
    base_lo, base_hi = _U64(counter % _UINT64_MOD), _U64((counter >> 64) % _UINT64_MOD)
    even = _scratch("philox.even", 2 * n, np.uint32).reshape(2, n)
    products = [_scratch("philox.product" + name, 2 * n, _U64).reshape(2, n) for name in ("0", "1")]
    product = products[1]
    np.add(offsets, base_lo, out=product[0])  # the counter's low and high 64 bits
    np.add(np.less(product[0], base_lo, out=_scratch("philox.carry", n, bool)), base_hi, out=product[1])
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
    blocks = _scratch("philox.blocks", 4 * n, np.uint32).reshape(n, 4)
    for lane, word in enumerate((even[0], odd[0], even[1], odd[1])):
        blocks[:, lane] = word
    return blocks


_pool = None
_pool_pid = None
_pool_lock = threading.Lock()


def _thread_pool():
    """Worker threads for all cores but the caller's (recreated in a forked child, where its threads are gone)."""
    global _pool, _pool_pid
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
        offsets = _scratch("truncated.offsets", groups.size, _U64)
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
    return int(np.prod(shape, dtype=np.int64))


def _unsupported(op_type, dtype):
    return errors.InvalidArgumentError(None, None, f"{op_type} does not support dtype {np.dtype(dtype).name}")


def _fixed_size(seed, counter, shape, dtype, per_block, transform):
    """Output group ``g`` (``per_block`` values) is ``transform(block counter + g, out=group g)``."""
    n = _num_elements(shape)
    n_blocks = -(-n // per_block)
    out = np.empty(n_blocks * per_block, dtype)
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
    u_bits = _scratch("box_muller.u", n, np.uint32)
    np.bitwise_and(words[0::2], np.uint32(0x7FFFFF), out=u_bits)
    u_bits |= np.uint32(0x3F800000)
    u = u_bits.view(np.float32)
    u -= np.float32(1.0)
    np.maximum(u, np.float32(_BOX_MULLER_EPSILON), out=u)
    v_bits = _scratch("box_muller.v_bits", n, np.uint32)
    np.bitwise_and(words[1::2], np.uint32(0x7FFFFF), out=v_bits)
    v_wide = _scratch("box_muller.v_wide", n, np.float64)
    np.multiply(v_bits, _TWO_PI * 2.0 ** -23, out=v_wide)  # 2*pi * U(x1), rounded once
    v = _scratch("box_muller.v", n, np.float32)
    np.copyto(v, v_wide, casting="same_kind")
    libm = _float32_libm()
    radius = libm.log(u)
    radius *= np.float32(-2.0)
    np.sqrt(radius, out=radius)
    sin, cos = libm.sincos(v)
    np.multiply(sin, radius, out=out[0::2])
    np.multiply(cos, radius, out=out[1::2])


def _box_muller_half(blocks, out):
    """Half normals are the float32 ones rounded to half."""
    values = _scratch("box_muller.half", out.size, np.float32)
    _box_muller_float32(blocks, values)
    np.copyto(out, values, casting="same_kind")


def _box_muller_float64(blocks, out):
    """TensorFlow's ``BoxMullerDouble`` on each block (x0, x1, x2, x3): ``u = U(x0, x1)``, ``v = 2*pi*U(x2, x3)``."""
    uniforms = np.empty(2 * len(blocks))
    _uniform_float64(blocks, uniforms)
    u, v = uniforms[0::2], uniforms[1::2] * _TWO_PI
    np.maximum(u, _BOX_MULLER_EPSILON, out=u)
    libm = _float64_libm()
    radius = np.sqrt(-2.0 * libm.log(u))
    sin, cos = libm.sincos(v)
    np.multiply(sin, radius, out=out[0::2])
    np.multiply(cos, radius, out=out[1::2])


# ---------------------------------------------------------------------------------------------------------------
# The C library's log/sin/cos, reproduced


def _load_libm():
    """glibc's libm through ctypes, or None where there is none."""
    for name in ("libm.so.6", ctypes.util.find_library("m")):
        if not name:
            continue
        try:
            lib = ctypes.CDLL(name)
            for function, ctype in (("logf", ctypes.c_float), ("sinf", ctypes.c_float), ("cosf", ctypes.c_float),
                                    ("log", ctypes.c_double), ("sin", ctypes.c_double), ("cos", ctypes.c_double)):
                getattr(lib, function).restype = ctype
                getattr(lib, function).argtypes = [ctype]
        except (OSError, AttributeError):
            continue
        return lib
    return None


def _call_each(function, values, dtype):
    return np.array([function(x) for x in values.tolist()], dtype)


def _hex_floats(text):
    return np.array([float.fromhex(word) for word in text.split()])


class _Float32Libm:
    """glibc's ``logf`` and ``sincosf`` (sysdeps/ieee754/flt-32, glibc >= 2.28) evaluated in numpy float64.

    Both compute a double ``y`` from a small table and a polynomial and return ``(float)y``. Here the same
    operations run in the same order, without fused multiply-adds (glibc's x86-64 build may use them), so ``y``
    can differ from glibc's in its last bits; the float32 result can then differ only when ``y`` is within a
    few double ulps of a float32 rounding boundary, and those elements are taken from ``libm``. Over all 2**23
    inputs TensorFlow's Box-Muller can pass, this matches glibc 2.36 exactly. Results are scratch arrays.
    The tables and coefficients are glibc's (e_logf_data.c, s_sincosf_data.c, from Arm's optimized-routines).
    """

    _LOG_INVC = _hex_floats("""
        0x1.661ec79f8f3bep+0 0x1.571ed4aaf883dp+0 0x1.49539f0f010bp+0 0x1.3c995b0b80385p+0 0x1.30d190c8864a5p+0
        0x1.25e227b0b8eap+0 0x1.1bb4a4a1a343fp+0 0x1.12358f08ae5bap+0 0x1.0953f419900a7p+0 0x1p+0
        0x1.e608cfd9a47acp-1 0x1.ca4b31f026aap-1 0x1.b2036576afce6p-1 0x1.9c2d163a1aa2dp-1 0x1.886e6037841edp-1
        0x1.767dcf5534862p-1""")
    _LOG_LOGC = _hex_floats("""
        -0x1.57bf7808caadep-2 -0x1.2bef0a7c06ddbp-2 -0x1.01eae7f513a67p-2 -0x1.b31d8a68224e9p-3
        -0x1.6574f0ac07758p-3 -0x1.1aa2bc79c81p-3 -0x1.a4e76ce8c0e5ep-4 -0x1.1973c5a611cccp-4
        -0x1.252f438e10c1ep-5 0x0p+0 0x1.aa5aa5df25984p-5 0x1.c5e53aa362eb4p-4 0x1.526e57720db08p-3
        0x1.bc2860d22477p-3 0x1.1058bc8a07ee1p-2 0x1.4043057b6ee09p-2""")
    _LN2 = float.fromhex("0x1.62e42fefa39efp-1")
    _LOG_POLY = tuple(_hex_floats("-0x1.00ea348b88334p-2 0x1.5575b0be00b6ap-2 -0x1.ffffef20a4123p-2"))
    _LOG_OFF = 0x3F330000
    _INV_HALF_PI_2_24 = float.fromhex("0x1.45F306DC9C883p+23")  # 2/pi * 2**24: the quadrant lands in bits 24+
    _HALF_PI = float.fromhex("0x1.921FB54442D18p0")  # 50 significant bits: n * pi/2 is exact for n <= 4
    _COS_POLY = tuple(_hex_floats("-0x1.ffffffd0c621cp-2 0x1.55553e1068f19p-5 -0x1.6c087e89a359dp-10"
                                  " 0x1.99343027bf8c3p-16"))
    _SIN_POLY = tuple(_hex_floats("-0x1.555545995a603p-3 0x1.1107605230bc4p-7 -0x1.994eb3774cf24p-13"))
    # Inputs where glibc's logf/sinf/cosf are not correctly rounded: a libm that agrees with the emulation on
    # all of them runs glibc's algorithms.
    _CHECK_LOG = [0x3E2A6850, 0x3E9A3B88, 0x3EE356CC, 0x3F49B914, 0x3F519B62, 0x3F71E0B0, 0x3F79C874, 0x3F7C4344]
    _CHECK_SIN = [0x401A64B2, 0x40567142, 0x40582973, 0x4066E2BF, 0x406B92D6, 0x4077C615, 0x40B65C09, 0x40C11A2A]
    _CHECK_COS = [0x3F567BEC, 0x3F83385D, 0x3F8619D4, 0x3FA689BE, 0x3FE625EB, 0x4080E8D3, 0x40A12CD8, 0x40A2CF9A]

    def __init__(self, libm):
        self.libm = libm
        self.emulate = libm is None or self._agrees_with(libm)

    def log(self, x):
        """``logf`` of a float32 array of positive normal numbers."""
        if not self.emulate:
            return _call_each(self.libm.logf, x, np.float32)
        y = self._log_double(x)
        out = _scratch("logf.out", x.size, np.float32)
        np.copyto(out, y, casting="same_kind")
        self._patch(out, y, x, "logf")
        return out

    def sincos(self, x):
        """``sincosf`` of a float32 array with values in [0, 120): ``(sin, cos)``.

        glibc reduces ``x = r + n*pi/2`` (|r| <= pi/4) and evaluates a sine polynomial ``S(r)`` and a cosine
        polynomial ``C(r)``; quadrant ``q = n & 3`` makes ``(sin, cos)`` = ``(S, C)``, ``(C, -S)``, ``(-S, -C)``
        or ``(-C, S)``, done here on the float32 bits: swap where ``q`` is odd, then flip the sign bits.
        """
        if not self.emulate:
            return _call_each(self.libm.sinf, x, np.float32), _call_each(self.libm.cosf, x, np.float32)
        n = x.size
        quadrant = _scratch("sincosf.quadrant", n, np.int32)
        sin_poly, cos_poly = self._polynomials(x, quadrant)
        sin, cos = _scratch("sinf.out", n, np.float32), _scratch("cosf.out", n, np.float32)
        np.copyto(sin, sin_poly, casting="same_kind")
        np.copyto(cos, cos_poly, casting="same_kind")
        sin_bits, cos_bits, quadrant_bits = sin.view(np.uint32), cos.view(np.uint32), quadrant.view(np.uint32)
        swap, sign = _scratch("sincosf.swap", n, np.uint32), _scratch("sincosf.sign", n, np.uint32)
        np.bitwise_and(quadrant_bits, 1, out=swap)
        np.negative(swap, out=swap)  # all ones where q is odd
        swap &= np.bitwise_xor(sin_bits, cos_bits, out=sign)
        sin_bits ^= swap
        cos_bits ^= swap
        np.bitwise_and(quadrant_bits, 2, out=sign)
        sign <<= 30
        sin_bits ^= sign  # q = 2, 3: -sin
        quadrant_bits += 1
        np.bitwise_and(quadrant_bits, 2, out=sign)
        sign <<= 30
        cos_bits ^= sign  # q = 1, 2: -cos
        if self.libm is not None:
            near = np.flatnonzero(_near_float32_boundary(sin_poly) | _near_float32_boundary(cos_poly, "near.cos"))
            if near.size:
                sin[near] = _call_each(self.libm.sinf, x[near], np.float32)
                cos[near] = _call_each(self.libm.cosf, x[near], np.float32)
        return sin, cos

    def _log_double(self, x):
        """glibc ``__logf`` before its final rounding: ``log(x) = log1p(z/c - 1) + log(c) + k*ln2``."""
        n = x.size
        ix = x.view(np.int32)
        tmp, index, k = (_scratch("logf." + name, n, np.int32) for name in ("tmp", "index", "k"))
        z, r, y0, y, t = (_scratch("logf." + name, n, np.float64) for name in ("z", "r", "y0", "y", "t"))
        np.subtract(ix, np.int32(self._LOG_OFF), out=tmp)
        np.right_shift(tmp, 19, out=index)
        index &= 15
        np.right_shift(tmp, 23, out=k)
        tmp &= np.int32(-0x800000)
        np.subtract(ix, tmp, out=tmp)  # the bits of z, x scaled into [OFF, 2*OFF)
        np.copyto(z, tmp.view(np.float32))
        np.take(self._LOG_INVC, index, out=r, mode="clip")
        r *= z
        r -= 1.0  # r = z/c - 1
        np.multiply(k, self._LN2, out=y0)
        y0 += np.take(self._LOG_LOGC, index, out=t, mode="clip")  # y0 = log(c) + k*ln2
        a0, a1, a2 = self._LOG_POLY
        r2 = np.multiply(r, r, out=z)
        np.multiply(r, a1, out=y)
        y += a2
        y += np.multiply(r2, a0, out=t)
        y *= r2
        y0 += r
        y += y0  # (a0*r2 + a1*r + a2) * r2 + (y0 + r)
        return y

    def _polynomials(self, x, quadrant):
        """The quadrant ``n`` (into ``quadrant``) and ``S(r)``, ``C(r)`` of glibc's ``sincosf``."""
        n = x.size
        wide, r, r2, r3, t, sin, cos = (_scratch("sincosf." + name, n, np.float64)
                                        for name in ("wide", "r", "r2", "r3", "t", "sin", "cos"))
        np.copyto(wide, x)
        np.copyto(quadrant, np.multiply(wide, self._INV_HALF_PI_2_24, out=t), casting="unsafe")  # truncates
        quadrant += 0x800000
        quadrant >>= 24
        np.subtract(wide, np.multiply(quadrant, self._HALF_PI, out=t), out=r)  # exact: no fma can change it
        np.multiply(r, r, out=r2)
        s1, s2, s3 = self._SIN_POLY
        np.multiply(r2, r, out=r3)
        np.multiply(r3, s1, out=sin)
        sin += r  # r + r3*s1
        np.multiply(r3, r2, out=wide)  # r5
        np.multiply(r2, s3, out=t)
        t += s2
        t *= wide
        sin += t  # + r5*(s2 + r2*s3)
        c1, c2, c3, c4 = self._COS_POLY
        r4 = np.multiply(r2, r2, out=r3)
        np.multiply(r2, c1, out=cos)
        cos += 1.0
        cos += np.multiply(r4, c2, out=t)  # (1 + r2*c1) + r4*c2
        np.multiply(r4, r2, out=wide)  # r6
        np.multiply(r2, c4, out=t)
        t += c3
        t *= wide
        cos += t  # + r6*(c3 + r2*c4)
        return sin, cos

    def _patch(self, out, y, x, function):
        """Replaces the elements whose double ``y`` is too near a float32 rounding boundary by libm's value."""
        if self.libm is None:
            return
        near = np.flatnonzero(_near_float32_boundary(y))
        if near.size:
            out[near] = _call_each(getattr(self.libm, function), x[near], np.float32)

    def _agrees_with(self, libm):
        saved, self.libm, self.emulate = self.libm, None, True
        try:
            checks = []
            for function, inputs, pick in (("logf", self._CHECK_LOG, lambda x: self.log(x)),
                                           ("sinf", self._CHECK_SIN, lambda x: self.sincos(x)[0]),
                                           ("cosf", self._CHECK_COS, lambda x: self.sincos(x)[1])):
                x = np.array(inputs, np.uint32).view(np.float32)
                checks.append(np.array_equal(pick(x), _call_each(getattr(libm, function), x, np.float32)))
        finally:
            self.libm = saved
        return all(checks)


def _near_float32_boundary(y, scratch_name="near", ulps=256):
    """Where double ``y`` lies within ``ulps`` of its own ulps of a float32 rounding boundary (a midpoint).

    The 29 low mantissa bits of a double are the ones rounding to float32 drops; the midpoint is 2**28.
    """
    dropped = _scratch("near.dropped", y.size, _U64)
    np.bitwise_and(y.view(_U64), _U64(0x1FFFFFFF), out=dropped)
    dropped -= _U64(0x10000000 - ulps)
    return np.less_equal(dropped, _U64(2 * ulps), out=_scratch(scratch_name + ".mask", y.size, bool))


class _Float64Libm:
    """glibc's double ``log``, ``sin`` and ``cos``: correctly rounded values except near rounding boundaries.

    A window is how close (in ulps) to a midpoint between two doubles the true value must be for glibc's
    result to be in doubt: its documented worst errors are 0.52 ulp (log) and 0.548 ulp (sin, cos), plus a
    margin for the error of the long double computation.
    """

    _LOG_WINDOW, _SINCOS_WINDOW = 0.03, 0.06

    def __init__(self, libm):
        self.libm = libm
        self.extended = np.finfo(np.longdouble).nmant >= 63

    def log(self, x):
        return self._evaluate(np.log, x, self.libm and self.libm.log, self._LOG_WINDOW)

    def sincos(self, x):
        return (self._evaluate(np.sin, x, self.libm and self.libm.sin, self._SINCOS_WINDOW),
                self._evaluate(np.cos, x, self.libm and self.libm.cos, self._SINCOS_WINDOW))

    def _evaluate(self, ufunc, x, libm_function, window):
        if not self.extended:
            if libm_function is None:
                return ufunc(x)
            return _call_each(libm_function, x, np.float64)
        precise = ufunc(x.astype(np.longdouble))
        rounded = precise.astype(np.float64)
        if libm_function is not None:
            ulp = np.spacing(np.abs(rounded)).astype(np.longdouble)
            offset = np.abs(precise - rounded) / ulp  # in [0, 0.5]; the midpoint is at 0.5
            power_of_two = (rounded.view(_U64) & _U64(0xFFFFFFFFFFFFF)) == 0  # a smaller ulp below
            near = np.flatnonzero((offset > 0.5 - window) | power_of_two)
            if near.size:
                rounded[near] = _call_each(libm_function, x[near], np.float64)
        return rounded


_libm_lock = threading.Lock()
_libm_state = {}


def _float32_libm():
    with _libm_lock:
        if "float32" not in _libm_state:
            _libm_state["float32"] = _Float32Libm(_shared_libm())
        return _libm_state["float32"]


def _float64_libm():
    with _libm_lock:
        if "float64" not in _libm_state:
            _libm_state["float64"] = _Float64Libm(_shared_libm())
        return _libm_state["float64"]


def _shared_libm():
    if "libm" not in _libm_state:
        _libm_state["libm"] = _load_libm()
    return _libm_state["libm"]
