"""numpy kernels of TensorFlow's RandomShuffle, Multinomial, RandomGamma and RandomPoissonV2 CPU ops, bit for bit.

Each kernel reads its op's Philox stream (:mod:`minitf.ops.philox`) exactly as TensorFlow's C++ kernel does:

* ``RandomShuffle`` (random_shuffle_op.cc, shuffle_common.h) reserves ``ceil((n - 1) / 4)`` blocks for a first
  dimension of ``n`` and runs a forward Fisher-Yates shuffle: step ``i`` swaps rows ``i`` and
  ``i + x_i % (n - i)``, ``x_i`` the ``i``-th uint32 of the stream. Nothing is drawn when ``n <= 1``.
* ``Multinomial`` (multinomial_op.cc) reserves ``256 * B * 2 * ceil4(S)`` blocks for ``B`` rows of ``S`` samples
  and draws one double per sample (two uint32) from a stream that runs on across rows. The rows are split into
  shards as TensorFlow's thread pool splits them (:func:`shard_ranges`), and each shard restarts the stream at
  block ``start_row * (S + 3) // 4``, so the values depend on TensorFlow's intra-op thread count: minitf assumes
  TensorFlow's default, one thread per schedulable CPU (:func:`tensorflow_cpu_threads`).
* ``RandomGamma`` (random_op.cc) and ``RandomPoissonV2`` (random_poisson_op.cc) give output ``i`` (counted
  parameter-major) its own sub-stream at block ``256 * i`` and run a rejection loop on it in double precision;
  uniform doubles and Box-Muller normals come two per block and are used last one first.

Double-precision ``log`` is glibc's, through :mod:`philox`'s exact emulation; ``exp``, ``log1p``, ``pow`` and
``lgamma`` are called in the C library itself (the ``math`` functions call it; ``lgamma`` through ctypes).

TensorFlow's kernel threads flush denormal results to zero; the kernels here do the same where a denormal can
occur (small Gamma samples, tiny exponentials in Multinomial).

One known gap: ``Multinomial`` exponentiates logits with Eigen's vectorised ``exp``, numpy with its own; the two
can differ in the last bit, which changes a sample only if its uniform draw falls within that bit of a class
boundary (probability about 1e-16 per sample).
"""

import ctypes
import functools
import math

import numpy as np

from minitf.framework import errors
from minitf.ops import kernel_threads, libm, philox

_U64 = np.uint64
_COUNTER_MOD = 1 << 128
SUB_STREAM_BLOCKS = 256
"""Blocks reserved per output by RandomGamma and RandomPoissonV2 (``kReservedSamplesPerOutput``)."""


def _invalid(message):
    return errors.InvalidArgumentError(None, None, message)


class BlockStream(philox.PhiloxStream):
    """A :class:`philox.PhiloxStream` that can also reserve a plain number of blocks.

    ``reserve(n)`` is TensorFlow's ``ReserveRandomOutputs(n, 256)``; ``reserve_blocks(n)`` is
    ``ReserveSamples128(n)``, which RandomShuffle uses.
    """

    def reserve_blocks(self, n_blocks):
        with self._lock:
            start = self.counter
            self.counter = (start + n_blocks) % _COUNTER_MOD
        return start


def _blocks_at(stream, start, offsets):
    """Philox blocks at counters ``start + offsets`` (uint64 offsets): a new ``(n, 4)`` uint32 array."""
    keys = philox._round_keys(stream.key)
    return philox._philox_at(keys, start, np.asarray(offsets, _U64)).copy()


def _uniform_doubles(blocks):
    """``UniformDistribution<double>`` of each block: an ``(n, 2)`` array."""
    out = np.empty((len(blocks), 2))
    philox._uniform_float64(blocks, out.reshape(-1))
    return out


def _normal_doubles(blocks):
    """``NormalDistribution<double>`` (Box-Muller, glibc's log/sin/cos) of each block: an ``(n, 2)`` array."""
    out = np.empty((len(blocks), 2))
    philox._box_muller_float64(blocks, out.reshape(-1))
    return out


def _log(x):
    """glibc's double ``log``, elementwise."""
    return libm.float64_libm().log(np.ascontiguousarray(x, np.float64))


@functools.lru_cache(maxsize=1)
def _c_lgamma():
    """The C library's ``lgamma`` (Python's ``math.lgamma`` is CPython's own), or ``math.lgamma`` without one."""
    import ctypes.util  # loads subprocess: imported only when a kernel first needs lgamma
    for name in ("libm.so.6", ctypes.util.find_library("m")):
        if not name:
            continue
        try:
            function = ctypes.CDLL(name).lgamma
        except (OSError, AttributeError):
            continue
        function.restype, function.argtypes = ctypes.c_double, [ctypes.c_double]
        return function
    return math.lgamma


def _each(function, values):
    return np.array([function(v) for v in np.asarray(values, np.float64).tolist()], np.float64)


def _flush_denormals(values):
    """Denormal results become (signed) zero: TensorFlow's kernel threads run with flush-to-zero enabled."""
    tiny = np.finfo(values.dtype).tiny
    values[np.abs(values) < tiny] *= 0
    return values


def _to_output(values, dtype):
    """``static_cast<T>(double)`` under flush-to-zero; Eigen's half goes through float first."""
    if dtype == np.float16:
        return _flush_denormals(values.astype(np.float32)).astype(np.float16)
    if dtype in (np.float32, np.float64):
        return _flush_denormals(values.astype(dtype))
    return values.astype(dtype)


# ---------------------------------------------------------------------------------------------------------------
# How TensorFlow's CPU thread pool splits work (work_sharder.cc, Eigen's ThreadPoolDevice::parallelFor)


def tensorflow_cpu_threads():
    """TensorFlow's default intra-op thread count on this machine: the number of schedulable CPUs."""
    return kernel_threads.schedulable_cores()


def shard_ranges(total, cost_per_unit, num_threads):
    """The ``[start, limit)`` ranges TensorFlow's ``Shard(num_threads, ..., total, cost_per_unit, work)`` calls.

    With several threads ``Shard`` hands the work to Eigen's ``parallelFor``: a cost model decides whether to
    split at all, then picks a block size and splits ``[0, total)`` at its multiples.
    """
    if total <= 0:
        return []
    if num_threads <= 1 or total == 1 or _eigen_thread_count(total, cost_per_unit, num_threads) == 1:
        return [(0, total)]
    block_size = _eigen_block_size(total, cost_per_unit, num_threads)
    return [(start, min(start + block_size, total)) for start in range(0, total, block_size)]


_STARTUP_CYCLES = _PER_THREAD_CYCLES = 100000
_TASK_SIZE = 40000
_OVERSHARDING = 4


def _eigen_thread_count(n, cost_per_unit, max_threads):
    """``TensorCostModel::numThreads`` for ``n`` units of ``TensorOpCost(0, 0, cost_per_unit)``."""
    threads = (n * float(cost_per_unit) - _STARTUP_CYCLES) / _PER_THREAD_CYCLES + 0.9
    return min(max_threads, max(1, int(threads)))


def _eigen_block_size(n, cost_per_unit, threads):
    """``ThreadPoolDevice::CalculateParallelForBlock``'s block size."""
    block_size_f = 1.0 / (float(cost_per_unit) / _TASK_SIZE)
    block_size = min(n, max(-(-n // (_OVERSHARDING * threads)), int(block_size_f)))
    max_block_size = min(n, 2 * block_size)
    block_count = -(-n // block_size)

    def efficiency(count):
        return count / (-(-count // threads) * threads)
    max_efficiency = efficiency(block_count)
    previous_count = block_count
    while max_efficiency < 1.0 and previous_count > 1:
        coarser_size = -(-n // (previous_count - 1))
        if coarser_size > max_block_size:
            break
        coarser_count = -(-n // coarser_size)
        previous_count = coarser_count
        coarser_efficiency = efficiency(coarser_count)
        if coarser_efficiency + 0.01 >= max_efficiency:
            block_size = coarser_size
            max_efficiency = max(max_efficiency, coarser_efficiency)
    return block_size


# ---------------------------------------------------------------------------------------------------------------
# RandomShuffle


def random_shuffle(stream, value):
    """``RandomShuffle``: ``value`` with its first dimension permuted."""
    value = np.asarray(value)
    if value.size <= 1 or value.shape[0] <= 1:
        return value
    size = value.shape[0]
    n_draws = size - 1
    start = stream.reserve_blocks(-(-n_draws // 4))
    draws = philox.philox_blocks(stream.key, start, -(-n_draws // 4)).reshape(-1)[:n_draws]
    positions = np.arange(n_draws, dtype=np.int64)
    targets = (positions + draws % (size - positions)).tolist()
    permutation = list(range(size))
    for i, j in enumerate(targets):  # sequential by nature: each swap may move an element an earlier one placed
        permutation[i], permutation[j] = permutation[j], permutation[i]
    return value[permutation]


# ---------------------------------------------------------------------------------------------------------------
# Multinomial


def multinomial(stream, logits, num_samples, out_dtype, num_threads):
    """``Multinomial``: ``num_samples`` class indices per row of ``logits`` (unnormalised log-probabilities)."""
    logits = np.asarray(logits)
    if logits.ndim != 2:
        raise _invalid(f"logits should be a matrix, got shape {list(logits.shape)}")
    if np.ndim(num_samples) != 0:
        raise _invalid(f"num_samples should be a scalar, got shape {list(np.shape(num_samples))}")
    num_samples = int(num_samples)
    if num_samples < 0:
        raise _invalid(f"num_samples should be non-negative, got {num_samples}")
    batch, classes = logits.shape
    if classes <= 0:
        raise _invalid(f"num_classes should be positive, got {classes}")
    out = np.zeros((batch, num_samples), out_dtype)
    if out.size == 0:
        return out
    start = stream.reserve(batch * 2 * (-(-num_samples // 4) * 4))
    cdf = _unnormalized_cdf(logits)
    cost = int(50 * (num_samples * math.log(classes) / math.log(2) + classes))
    for lo, hi in shard_ranges(batch, cost, num_threads):
        n_words = (hi - lo) * num_samples * 2
        skip = lo * (num_samples + 3) // 4
        words = philox.philox_blocks(stream.key, (start + skip) % _COUNTER_MOD, -(-n_words // 4))
        uniforms = np.empty(n_words // 2)
        philox._uniform_float64(words.reshape(-1)[:n_words], uniforms)
        targets = uniforms.reshape(hi - lo, num_samples) * cdf[lo:hi, -1:]
        for row in range(lo, hi):
            out[row] = np.searchsorted(cdf[row], targets[row - lo], side="right")
    return out


def _unnormalized_cdf(logits):
    """Each row's running sum of ``exp(logit - max finite logit)`` over its finite logits, in double."""
    finite = np.isfinite(logits)
    lowest = np.finfo(logits.dtype).min
    row_max = np.where(finite, logits, lowest).max(axis=1).astype(np.float64)
    terms = _flush_denormals(np.exp(logits.astype(np.float64) - row_max[:, None]))
    terms[~finite] = 0.0
    return np.cumsum(terms, axis=1)


# ---------------------------------------------------------------------------------------------------------------
# RandomGamma


def random_gamma(stream, shape, alpha, dtype):
    """``RandomGamma``: ``shape + alpha.shape`` samples of Gamma(alpha, 1), by Marsaglia and Tsang's method."""
    alpha = np.asarray(alpha)
    shape = [int(d) for d in shape]
    num_samples = int(np.prod(shape, dtype=np.int64))
    out_shape = shape + list(alpha.shape)
    if num_samples == 0:
        return np.zeros(out_shape, dtype)
    if alpha.size == 0:
        raise _invalid("Input alpha should have non-zero element count, got: 0")
    start = stream.reserve(num_samples * alpha.size)
    per_output = np.repeat(alpha.reshape(-1).astype(np.float64), num_samples)  # output i = a * num_samples + s
    values = _gamma_samples(stream, start, per_output)
    return _to_output(values.reshape(alpha.size, num_samples).T, dtype).reshape(out_shape)


def _gamma_samples(stream, start, alpha):
    """One double sample per element of ``alpha``; sample ``i`` reads the sub-stream at block ``256 * i``."""
    out = np.empty(alpha.size)
    base = np.arange(alpha.size, dtype=_U64) * _U64(SUB_STREAM_BLOCKS)
    exponential = np.flatnonzero(alpha == 1.0)
    if exponential.size:
        u = _uniform_doubles(_blocks_at(stream, start, base[exponential]))[:, 1]
        out[exponential] = -_each(math.log1p, -u)  # an exponential sample
    rest = np.flatnonzero(alpha != 1.0)
    if rest.size:
        out[rest] = _GammaRejection(stream, start, base[rest], alpha[rest]).run()
    return out


class _GammaRejection:
    """TensorFlow's transformation-rejection loop for ``alpha != 1``, run for all samples at once.

    Each sample keeps TensorFlow's state: the next block of its sub-stream, and the unused values of its last
    normal pair and last uniform pair (both consumed last one first). Every pass makes one attempt for each
    sample still running.
    """

    def __init__(self, stream, start, base, alpha):
        self.stream, self.start, self.base, self.alpha = stream, start, base, alpha
        n = alpha.size
        self.next_block = np.zeros(n, _U64)
        self.normals, self.normals_left = np.empty((n, 2)), np.zeros(n, np.int64)
        self.uniforms, self.uniforms_left = np.empty((n, 2)), np.zeros(n, np.int64)
        self.below_one = alpha < 1
        self.d = alpha + np.where(self.below_one, 2.0 / 3, -1.0 / 3)
        self.c = (1.0 / 3) / np.sqrt(self.d)

    def _draw(self, ids, values, left, distribution):
        """The next value of ``values`` for samples ``ids``, drawing a new pair from the stream where used up."""
        empty = ids[left[ids] == 0]
        if empty.size:
            blocks = _blocks_at(self.stream, self.start, self.base[empty] + self.next_block[empty])
            values[empty] = distribution(blocks)
            self.next_block[empty] += _U64(1)
            left[empty] = 2
        left[ids] -= 1
        return values[ids, left[ids]]

    def run(self):
        out = np.empty(self.alpha.size)
        active = np.arange(self.alpha.size)
        while active.size:
            x = self._draw(active, self.normals, self.normals_left, _normal_doubles)
            v = 1.0 + self.c[active] * x
            positive = v > 0
            ids, x, v = active[positive], x[positive], v[positive]
            v = v * v * v
            u = self._draw(ids, self.uniforms, self.uniforms_left, _uniform_doubles)
            x2 = x * x
            accept = u < 1.0 - 0.0331 * x2 * x2
            check = np.flatnonzero(~accept)
            if check.size:
                xc, vc = x[check], v[check]
                accept[check] = _log(u[check]) < 0.5 * xc * xc + self.d[ids[check]] * (1.0 - vc + _log(vc))
            done = ids[accept]
            result = self.d[done] * v[accept]
            small = np.flatnonzero(self.below_one[done])
            if small.size:
                b = self._draw(done[small], self.uniforms, self.uniforms_left, _uniform_doubles)
                exponents = 1.0 / self.alpha[done[small]]
                powers = np.array([math.pow(base, e) for base, e in zip(b.tolist(), exponents.tolist())])
                result[small] *= _flush_denormals(powers)
            out[done] = _flush_denormals(result)
            active = np.setdiff1d(active, done, assume_unique=True)
        return out


def random_gamma_grad(alpha, sample):
    """``RandomGammaGrad``: d sample / d alpha of Gamma(alpha, 1) samples, by implicit differentiation.

    Eigen's ``gamma_sample_der_alpha`` (forward-mode derivative of Cephes' incomplete gamma series and continued
    fraction), run in the inputs' precision with numpy's log/exp: values agree with TensorFlow's to a few ulps.
    Where ``x**a * exp(-x) / gamma(a)`` underflows, the derivative is zero, as in Eigen.
    """
    alpha, sample = np.broadcast_arrays(np.asarray(alpha), np.asarray(sample))
    dtype = np.result_type(alpha, sample)
    a, x = alpha.astype(dtype).reshape(-1), sample.astype(dtype).reshape(-1)
    out = np.full(a.size, np.nan, dtype)
    valid = (x > 0) & (a > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_ax = a * np.log(x) - x - _each(math.lgamma, a).astype(dtype)  # lgamma is inf at a = 0
    negligible = ~(log_ax >= -np.log(np.finfo(dtype).max))  # underflow or NaN
    out[x == 0] = 0
    use_fraction = valid & (x > 1) & (x > a)
    out[use_fraction & (negligible | np.isinf(x))] = -0.0
    fraction = np.flatnonzero(use_fraction & ~negligible & ~np.isinf(x))
    use_series = valid & ~use_fraction
    out[use_series & negligible] = 0
    series = np.flatnonzero(use_series & ~negligible)
    if fraction.size:
        out[fraction] = _sample_derivative_continued_fraction(a[fraction], x[fraction])
    if series.size:
        out[series] = _sample_derivative_series(a[series], x[series])
    return out.reshape(alpha.shape)


def _iterations(dtype):
    return 200 if dtype == np.float32 else 500


def _sample_derivative_series(a, x):
    """Eigen's ``igamma_series_impl<SAMPLE_DERIVATIVE>`` (``x <= 1`` or ``x <= a``)."""
    dtype = a.dtype.type
    one, machep = dtype(1), dtype(np.finfo(dtype).eps / 2)
    r, c, ans = a.copy(), np.ones_like(a), np.ones_like(a)
    dc_da, dans_da = np.zeros_like(a), np.zeros_like(a)
    active = np.arange(a.size)
    for _ in range(_iterations(dtype)):
        if not active.size:
            break
        r[active] += one
        term = x[active] / r[active]
        dterm_da = -x[active] / (r[active] * r[active])
        dc_da[active] = term * dc_da[active] + dterm_da * c[active]
        dans_da[active] += dc_da[active]
        c[active] *= term
        ans[active] += c[active]
        active = active[~(np.abs(dc_da[active]) <= machep * np.abs(dans_da[active]))]
    dlogax_da = np.log(x) - _digamma(a + one)
    return -(dans_da + ans * dlogax_da) * x / a


def _sample_derivative_continued_fraction(a, x):
    """Eigen's ``igammac_cf_impl<SAMPLE_DERIVATIVE>``, negated (``x > 1`` and ``x > a``)."""
    dtype = a.dtype.type
    zero, one, two = dtype(0), dtype(1), dtype(2)
    eps = np.finfo(dtype).eps
    machep = dtype(eps / 2)
    big, biginv = (dtype(1 / (eps / 2)), dtype(eps / 2)) if dtype == np.float32 else (dtype(1 / eps), dtype(eps))
    y = one - a
    z = x + y + one
    c = np.zeros_like(a)
    pkm2, qkm2, pkm1, qkm1 = np.ones_like(a), x.copy(), x + one, z * x
    ans = pkm1 / qkm1
    dpkm2, dqkm2, dpkm1, dqkm1 = np.zeros_like(a), np.zeros_like(a), np.zeros_like(a), -x
    dans = (dpkm1 - ans * dqkm1) / qkm1
    active = np.arange(a.size)
    for _ in range(_iterations(dtype)):
        if not active.size:
            break
        i = active
        c[i] += one
        y[i] += one
        z[i] += two
        yc = y[i] * c[i]
        pk = pkm1[i] * z[i] - pkm2[i] * yc
        qk = qkm1[i] * z[i] - qkm2[i] * yc
        dpk = dpkm1[i] * z[i] - pkm1[i] - dpkm2[i] * yc + pkm2[i] * c[i]
        dqk = dqkm1[i] * z[i] - qkm1[i] - dqkm2[i] * yc + qkm2[i] * c[i]
        nonzero = qk != zero
        converged = np.zeros(i.size, bool)
        if nonzero.any():
            j = i[nonzero]
            ans[j] = pk[nonzero] / qk[nonzero]
            previous = dans[j].copy()
            dans[j] = (dpk[nonzero] - ans[j] * dqk[nonzero]) / qk[nonzero]
            converged[nonzero] = np.abs(dans[j] - previous) <= machep
        keep = ~converged
        i, pk, qk, dpk, dqk = i[keep], pk[keep], qk[keep], dpk[keep], dqk[keep]
        pkm2[i], pkm1[i], qkm2[i], qkm1[i] = pkm1[i], pk, qkm1[i], qk
        dpkm2[i], dpkm1[i], dqkm2[i], dqkm1[i] = dpkm1[i], dpk, dqkm1[i], dqk
        rescale = i[np.abs(pk) > big]
        for array in (pkm2, pkm1, qkm2, qkm1, dpkm2, dpkm1, dqkm2, dqkm1):
            array[rescale] *= biginv
        active = i
    dlogax_da = np.log(x) - _digamma(a)
    return (dans + ans * dlogax_da) * x


def _digamma(x):
    """The digamma function for positive ``x``: recurrence up to 10, then the asymptotic series."""
    x = x.astype(np.float64)
    shift = np.zeros_like(x)
    while True:
        small = x < 10
        if not small.any():
            break
        shift[small] += 1 / x[small]
        x = np.where(small, x + 1, x)
    inv2 = 1 / (x * x)
    series = inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 / 132))))
    return np.log(x) - 0.5 / x - series - shift


# ---------------------------------------------------------------------------------------------------------------
# RandomPoissonV2


def _highest(dtype):
    """``Eigen::NumTraits<U>::highest()`` as a double."""
    dtype = np.dtype(dtype)
    return float(np.iinfo(dtype).max) if dtype.kind == "i" else float(np.finfo(dtype).max)


def random_poisson(stream, shape, rate, dtype):
    """``RandomPoissonV2``: ``shape + rate.shape`` Poisson samples; Knuth's method below rate 10, else Hormann's."""
    rate = np.asarray(rate)
    shape = [int(d) for d in shape]
    num_samples = int(np.prod(shape, dtype=np.int64))
    out_shape = shape + list(rate.shape)
    if num_samples == 0 or rate.size == 0:
        return np.zeros(out_shape, dtype)
    start = stream.reserve(num_samples * rate.size)
    per_output = np.repeat(rate.reshape(-1).astype(np.float64), num_samples)
    base = np.arange(per_output.size, dtype=_U64) * _U64(SUB_STREAM_BLOCKS)
    values = np.empty(per_output.size)
    highest = _highest(dtype)
    knuth = np.flatnonzero(per_output < 10)
    if knuth.size:
        values[knuth] = _poisson_knuth(stream, start, base[knuth], per_output[knuth], highest)
    hormann = np.flatnonzero(~(per_output < 10))
    if hormann.size:
        values[hormann] = _poisson_hormann(stream, start, base[hormann], per_output[hormann], highest)
    return _to_output(values.reshape(rate.size, num_samples).T, dtype).reshape(out_shape)


def _poisson_knuth(stream, start, base, rate, highest):
    """The least ``x`` with ``u_0 * ... * u_x <= exp(-rate)``.

    Uniform ``k`` is value ``1 - k % 2`` of block ``k // 2`` of the output's sub-stream.
    """
    limit = _each(math.exp, -rate)
    out = np.empty(rate.size)
    product, count = np.ones(rate.size), np.zeros(rate.size)
    pairs = np.empty((rate.size, 2))
    active = np.arange(rate.size)
    step = 0
    while active.size:
        if step % 2 == 0:
            pairs[active] = _uniform_doubles(_blocks_at(stream, start, base[active] + _U64(step // 2)))
        product[active] *= pairs[active, 1 - step % 2]
        done = (product[active] <= limit[active]) & (count[active] <= highest)
        out[active[done]] = count[active[done]]
        active = active[~done]
        count[active] += 1
        step += 1
    return out


def _poisson_hormann(stream, start, base, rate, highest):
    """Hormann's transformed rejection (PTRS); attempt ``t`` uses block ``t``: ``u`` its value 1, ``v`` value 0."""
    log_rate = _log(rate)
    b = 0.931 + 2.53 * np.sqrt(rate)
    a = -0.059 + 0.02483 * b
    inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
    square_bound = 0.9277 - 3.6224 / (b - 2)
    out = np.empty(rate.size)
    active = np.arange(rate.size)
    attempt = 0
    while active.size:
        pairs = _uniform_doubles(_blocks_at(stream, start, base[active] + _U64(attempt)))
        u, v = pairs[:, 1] - 0.5, pairs[:, 0]
        u_shifted = 0.5 - np.abs(u)
        k = np.floor((2 * a[active] / u_shifted + b[active]) * u + rate[active] + 0.43)
        fits = ~(k > highest)
        accept = fits & (u_shifted >= 0.07) & (v <= square_bound[active])
        test = np.flatnonzero(fits & ~accept & ~((k < 0) | ((u_shifted < 0.013) & (v > u_shifted))))
        if test.size:
            ids, us, kt = active[test], u_shifted[test], k[test]
            s = _log(v[test] * inv_alpha[ids] / (a[ids] / (us * us) + b[ids]))
            t = -rate[ids] + kt * log_rate[ids] - _each(_c_lgamma(), kt + 1)
            accept[test] = s <= t
        out[active[accept]] = k[accept]
        active = active[~accept]
        attempt += 1
    return out
