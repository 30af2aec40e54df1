"""Byte-exact encoders behind the summary ops: TensorFlow's histogram buckets, its PNG (libpng 1.6 settings)
and its WAV files (``../shared/reference/tf_formats.md`` §4.4-4.6)."""

import struct
import zlib

import numpy as np

_DBL_MAX = np.finfo(np.float64).max


def _default_bucket_limits():
    positive = []
    v = 1e-12
    while v < 1e20:
        positive.append(v)
        v *= 1.1
    positive.append(_DBL_MAX)
    return np.array([-x for x in reversed(positive)] + [0.0] + positive)


_BUCKET_LIMITS = _default_bucket_limits()


def histogram(values, proto):
    """Fills ``proto`` (a HistogramProto) as TensorFlow's ``histogram::Histogram::EncodeToProto`` does."""
    x = np.asarray(values, dtype=np.float64).reshape(-1)
    counts = np.bincount(np.searchsorted(_BUCKET_LIMITS, x, side="right"), minlength=len(_BUCKET_LIMITS) + 1)
    counts = counts[:len(_BUCKET_LIMITS)]  # only +inf would land past the last limit, and it is rejected earlier
    proto.min = float(x.min()) if x.size else _DBL_MAX
    proto.max = float(x.max()) if x.size else -_DBL_MAX
    proto.num = float(x.size)
    proto.sum = float(np.cumsum(x)[-1]) if x.size else 0.0  # one value at a time, in order, in double
    proto.sum_squares = float(np.cumsum(x * x)[-1]) if x.size else 0.0
    limits, buckets = [], []
    empty_run_end = None
    for i in range(len(counts)):
        if counts[i]:
            if empty_run_end is not None:
                limits.append(_BUCKET_LIMITS[empty_run_end])
                buckets.append(0.0)
                empty_run_end = None
            limits.append(_BUCKET_LIMITS[i])
            buckets.append(float(counts[i]))
        else:
            empty_run_end = i
    if empty_run_end is not None:
        limits.append(_BUCKET_LIMITS[empty_run_end])
        buckets.append(0.0)
    if not limits:
        limits, buckets = [_DBL_MAX], [0.0]
    proto.bucket_limit.extend(float(v) for v in limits)
    proto.bucket.extend(buckets)
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


def _compress_like_libpng(data):
    size = len(data)
    window_bits = 15
    if size <= 16384:
        half_window = 1 << (window_bits - 1)
        while size + 262 <= half_window:
            half_window >>= 1
            window_bits -= 1
    window_bits = max(window_bits, 9)
    compressor = zlib.compressobj(6, zlib.DEFLATED, window_bits, 9, zlib.Z_FILTERED)
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


def png(image):
    """PNG bytes of a ``[h, w, c]`` uint8 image, identical to TensorFlow's (libpng 1.6 with its defaults)."""
    height, width, channels = image.shape
    color_type = {1: 0, 2: 4, 3: 2, 4: 6}[channels]
    raw = _filtered_rows(np.ascontiguousarray(image).reshape(height, width * channels), channels).tobytes()
    stream = _compress_like_libpng(raw)
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
