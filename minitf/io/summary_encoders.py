"""Byte-exact encoders behind the summary ops: TensorFlow's histogram buckets, its PNG (libpng 1.6 settings)
and its WAV files (``../shared/reference/tf_formats.md`` §4.4-4.6)."""

import math
import struct
import zlib

import numpy as np

_DBL_MAX = np.finfo(np.float64).max
_DBL_MIN = np.finfo(np.float64).tiny  # the smallest normal double
_SQRT_DBL_MIN = 2.0 ** -511
_FLT_MIN = np.finfo(np.float32).tiny


def _default_bucket_limits():
    positive = []
    v = 1e-12
    while v < 1e20:
        positive.append(v)
        v *= 1.1
    positive.append(_DBL_MAX)
    return np.array([-x for x in reversed(positive)] + [0.0] + positive)


_BUCKET_LIMITS = _default_bucket_limits()
_HALF = (len(_BUCKET_LIMITS) - 1) // 2  # limits below zero (and above it, DBL_MAX included)
_PADDED_LIMITS = np.concatenate([[-np.inf], _BUCKET_LIMITS, [np.inf]])
_LOG_FIRST, _LOG_RATIO = np.log(1e-12), np.log(1.1)


def _bucket_indices(x):
    """``np.searchsorted(_BUCKET_LIMITS, x, side="right")`` (TensorFlow's ``std::upper_bound``) for finite float64
    ``x``: the index guessed from ``log|x|`` (the positive limits grow by 1.1 from 1e-12) and corrected against the
    exact limits: about 4x faster than a binary search per value."""
    guess = np.abs(x)
    np.maximum(guess, 1e-13, out=guess)  # below the first limit all guesses are alike; log(0) is slow
    np.log(guess, out=guess)
    guess -= _LOG_FIRST
    guess /= _LOG_RATIO
    np.clip(guess, -1, _HALF - 1, out=guess)
    guess += 1
    np.copysign(guess, x, out=guess)
    guess += _HALF + 1
    index = guess.astype(np.intp)
    while True:
        too_low = _PADDED_LIMITS.take(index + 1) <= x
        index += too_low
        too_high = _PADDED_LIMITS.take(index) > x
        index -= too_high
        if not (too_low.any() or too_high.any()):
            return index


def _has_tiny(x, threshold):
    """Whether ``x`` holds a nonzero value of magnitude below ``threshold``."""
    magnitude = np.abs(x)
    if not magnitude.size or magnitude.min() >= threshold:
        return False
    return bool(((magnitude < threshold) & (magnitude > 0)).any())


def _flush(x, smallest_normal):
    """``x`` as a CPU that flushes denormals sees it (DAZ): magnitudes below ``smallest_normal`` become signed
    zeros."""
    return np.where(np.abs(x) < smallest_normal, np.copysign(np.zeros((), x.dtype), x), x)


def _running_sum_flushing_denormals(values, vectorized_restarts=8):
    """``sum = 0; for v in values: sum += v`` with every result below DBL_MIN flushed to a signed zero (FTZ).

    A cumsum restarts after each flush; past ``vectorized_restarts`` flushes the rest is added in a Python loop, so
    an adversarial input costs linear time."""
    total, start = 0.0, 0
    for _ in range(vectorized_restarts):
        running = np.cumsum(np.concatenate(([total], values[start:])))
        flushed = np.flatnonzero((np.abs(running) < _DBL_MIN) & (running != 0))
        if not flushed.size:
            return float(running[-1])
        total, start = float(np.copysign(0.0, running[flushed[0]])), start + int(flushed[0])
    for value in values[start:].tolist():
        total += value
        if abs(total) < _DBL_MIN:
            total = math.copysign(0.0, total)
    return total


def _sums(x, flush_to_zero):
    """Sum and sum of squares added one value at a time, in order, from +0.0, in double (not numpy's pairwise
    sum); past DBL_MAX they are inf, as in TensorFlow. ``flush_to_zero``: results below DBL_MIN become 0."""
    if not x.size:
        return 0.0, 0.0
    with np.errstate(over="ignore"):
        if not flush_to_zero:  # a cumsum over complex numbers runs both sums at once
            running = np.empty(x.size, np.complex128)
            running.real = x
            np.multiply(x, x, out=running.imag)
            np.cumsum(running, out=running)
            return float(running[-1].real + 0.0), float(running[-1].imag)
        squares = x * x
        squares[squares < _DBL_MIN] = 0.0
        # Non-negative terms: no running sum of squares is a denormal.
        return _running_sum_flushing_denormals(x), float(np.cumsum(squares)[-1])


def histogram(values, proto):
    """Fills ``proto`` (a HistogramProto) as TensorFlow's ``histogram::Histogram::EncodeToProto`` does.

    TensorFlow's kernels run with denormals flushed to zero (FTZ and DAZ), and so does this: a float32 subnormal
    converts to a signed zero; a float64 subnormal counts in the bucket of 0, compares as 0 for the minimum and
    maximum (which still report the first extreme value's own bits) and adds nothing; squares and running sums
    below DBL_MIN become 0. A value equal to +DBL_MAX is left out of the buckets (TensorFlow's kernel writes it
    one past the end of its bucket array).
    """
    values = np.asarray(values).reshape(-1)
    if values.dtype == np.float32 and _has_tiny(values, _FLT_MIN):
        values = _flush(values, _FLT_MIN)
    x = values.astype(np.float64, copy=False)
    # Whether a square or a running sum may fall below DBL_MIN: only float64 holds values that small.
    flush_to_zero = values.dtype == np.float64 and _has_tiny(x, _SQRT_DBL_MIN)
    seen = _flush(x, _DBL_MIN) if flush_to_zero else x  # as the kernel's comparisons and additions see them
    counts = np.bincount(_bucket_indices(seen), minlength=len(_BUCKET_LIMITS) + 1)[:len(_BUCKET_LIMITS)]
    proto.min = float(x[seen.argmin()]) if x.size else _DBL_MAX  # the first of equal minima (`min_ > value`)
    proto.max = float(x[seen.argmax()]) if x.size else -_DBL_MAX
    proto.num = float(x.size)
    proto.sum, proto.sum_squares = _sums(seen, flush_to_zero)
    # Every non-empty bucket, and each run of empty buckets collapsed into its last one.
    empty = counts == 0
    kept = ~empty
    kept[:-1] |= empty[:-1] & ~empty[1:]
    kept[-1] = True
    proto.bucket_limit.extend(_BUCKET_LIMITS[kept].tolist())
    proto.bucket.extend(counts[kept].astype(np.float64).tolist())
    return proto


# -- images ---------------------------------------------------------------------------------------------------------

def image_to_uint8(image, bad_color):
    """One ``[h, w, c]`` image as TensorFlow's ImageSummary converts it: uint8 as is; floats scaled per image
    (``[0, 255]`` for non-negative images, ``128 +- 127`` otherwise), non-finite pixels painted ``bad_color``."""
    if image.dtype == np.uint8:
        return image
    finite = np.isfinite(image).all(axis=-1)
    good = image[finite]
    lo = good.min() if good.size else 0.0
    hi = good.max() if good.size else 0.0
    if lo < 0:
        bound = max(abs(lo), abs(hi))
        scale = image.dtype.type(127.0 / bound if bound >= 1e-6 else 0.0)
        offset = image.dtype.type(128.0)
    else:
        scale = image.dtype.type(255.0 / hi if hi >= 1e-6 else 0.0)
        offset = image.dtype.type(0.0)
    with np.errstate(invalid="ignore"):
        out = (image * scale + offset).astype(np.uint8)  # truncation, as static_cast<uint8>
    out[~finite] = np.asarray(bad_color[:image.shape[-1]], np.uint8)
    return out


def _filtered_rows(rows, bpp):
    """Each row filtered the way libpng's adaptive heuristic picks (smallest sum of |signed bytes|)."""
    x = rows.astype(np.int16)
    prior = np.vstack([np.zeros((1, x.shape[1]), np.int16), x[:-1]])
    left = np.hstack([np.zeros((x.shape[0], bpp), np.int16), x[:, :-bpp]])
    upper_left = np.hstack([np.zeros((x.shape[0], bpp), np.int16), prior[:, :-bpp]])
    p = left + prior - upper_left
    pa, pb, pc = np.abs(p - left), np.abs(p - prior), np.abs(p - upper_left)
    paeth = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, prior, upper_left))
    candidates = np.stack([x, x - left, x - prior, x - ((left + prior) >> 1), x - paeth]) & 0xFF
    cost = np.minimum(candidates, 256 - candidates).sum(axis=2)
    best = cost.argmin(axis=0)  # the first filter wins ties
    chosen = candidates[best, np.arange(x.shape[0])]
    return np.hstack([best[:, None], chosen]).astype(np.uint8)


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _compress_like_libpng(data, level=6):
    size = len(data)
    window_bits = 15
    if size <= 16384:
        half_window = 1 << (window_bits - 1)
        while size + 262 <= half_window:
            half_window >>= 1
            window_bits -= 1
    window_bits = max(window_bits, 9)
    compressor = zlib.compressobj(level, zlib.DEFLATED, window_bits, 9, zlib.Z_FILTERED)
    stream = bytearray(compressor.compress(data) + compressor.flush())
    if size <= 16384 and (stream[0] & 0x0F) == 8 and (stream[0] & 0xF0) <= 0x70:  # libpng's optimize_cmf
        cinfo = stream[0] >> 4
        half_window = 1 << (cinfo + 7)
        while size <= half_window and half_window >= 256:
            cinfo -= 1
            half_window >>= 1
        cmf = (stream[0] & 0x0F) | (cinfo << 4)
        if cmf != stream[0]:
            stream[0] = cmf
            flags = stream[1] & 0xE0
            stream[1] = flags + 0x1F - ((cmf << 8) + flags) % 0x1F
    return bytes(stream)


def png(image, level=6):
    """PNG bytes of a ``[h, w, c]`` uint8 image, identical to TensorFlow's (libpng 1.6 with its defaults;
    ``level`` is zlib's compression level, TensorFlow's EncodePng ``compression`` when not -1)."""
    height, width, channels = image.shape
    color_type = {1: 0, 2: 4, 3: 2, 4: 6}[channels]
    raw = _filtered_rows(np.ascontiguousarray(image).reshape(height, width * channels), channels).tobytes()
    stream = _compress_like_libpng(raw, level)
    idat = b"".join(_chunk(b"IDAT", stream[i:i + 8192]) for i in range(0, len(stream), 8192))
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + idat + _chunk(b"IEND", b"")


# -- audio ----------------------------------------------------------------------------------------------------------

def wav(samples, sample_rate):
    """16-bit PCM WAV bytes of ``[frames, channels]`` float samples in [-1, 1], as TensorFlow's EncodeAudioAsWav."""
    frames, channels = samples.shape
    scaled = samples.astype(np.float32) * np.float32(32768.0)
    whole = np.trunc(scaled)
    rounded = whole + np.sign(scaled) * (np.abs(scaled - whole) >= 0.5)  # C's roundf: halves away from zero
    pcm = np.clip(rounded, -32768, 32767).astype("<i2").tobytes()
    header = (b"RIFF" + struct.pack("<I", 36 + len(pcm)) + b"WAVE" + b"fmt "
              + struct.pack("<IHHIIHH", 16, 1, channels, int(sample_rate), int(sample_rate) * 2 * channels,
                            2 * channels, 16)
              + b"data" + struct.pack("<I", len(pcm)))
    return header + pcm
