"""Pooling ops (NHWC): MaxPool and AvgPool with their gradient ops, on ``conv_ops``'s window geometry (padding,
strided views of the padded input, blocks of images that stay in cache). Max pooling pads with NaN (skipped by
``np.fmax``) so that padding never wins, and its gradient adds each incoming value at the first maximum of its window,
in output order, as TensorFlow does."""

import threading

import numpy as np

from minitf.framework import ops
from minitf.framework.op_def_lib import (apply_op_1, as_int_list, invalid_argument, pure_with_attrs, register,
                                         same_as_input)
from minitf.ops import channels_first, kernel_threads
from minitf.ops.conv_ops import (_as_4, _blocks, _check_nhwc, _shape_from_value, _spatial, _static_output_shape,
                                 _window_of)

_POOL_BLOCK_BYTES = 1 << 21  # padded input (and companions) per pooling block: stays in cache between passes


def _pool_infer(op):
    _check_nhwc(op)
    x = op.inputs[0]
    ksize = _spatial(op.get_attr("ksize"), "ksize")
    channels = x.shape.as_tuple()[3] if x.shape.ndims == 4 else None
    return [(x.dtype.base_dtype, _static_output_shape(op, x.shape, ksize, channels))]


def _pool_window(op, shape):
    ksize = as_int_list(op.get_attr("ksize"))
    if min(ksize) < 1:  # accepted at graph construction, refused when the pool runs, as in TensorFlow
        raise invalid_argument("Sliding window ksize must be positive. The specified or inferred ksize is: "
                               + ",".join(str(k) for k in ksize))
    return _window_of(op, shape, _spatial(ksize, "ksize"))


def _pool_max(window, padded):
    """Each window's maximum, skipping NaN (np.fmax): over the window's rows, then its columns."""
    (kh, kw), (sh, sw) = window.kernel, window.strides
    rows_span, cols_span = (window.out_h - 1) * sh + 1, (window.out_w - 1) * sw + 1
    rows = padded[:, 0:rows_span:sh].copy()
    for i in range(1, kh):
        np.fmax(rows, padded[:, i:i + rows_span:sh], out=rows)
    out = rows[:, :, 0:cols_span:sw].copy()
    for j in range(1, kw):
        np.fmax(out, rows[:, :, j:j + cols_span:sw], out=out)
    return out


def _padded_blocks(window, x, fill, arrays_per_image=1):
    """The blocks of a few whole images of ``x`` (slices, sized so that a block and ``arrays_per_image`` - 1
    companions stay in cache), and ``padded(images)``: those images padded with ``fill`` in a buffer of the calling
    thread that its next block reuses (the border is written once)."""
    n, h, w, c = x.shape
    shape = window.padded_shape(x.shape)
    per_image = shape[1] * shape[2] * c * x.itemsize * arrays_per_image
    blocks = [images for images, _ in _blocks(n, 1, per_image, _POOL_BLOCK_BYTES)]
    local = threading.local()

    def padded(images):
        count = images.stop - images.start
        buffer = getattr(local, "buffer", None)
        if buffer is None:  # the first block is the largest
            buffer = local.buffer = np.full((blocks[0].stop - blocks[0].start,) + shape[1:], fill, x.dtype)
        block = buffer[:count]
        block[:, window.pad_top:window.pad_top + h, window.pad_left:window.pad_left + w] = x[images]
        return block
    return blocks, padded


def _lowest(dtype):
    """The padding for max pooling: NaN, equal to nothing and skipped by fmax (the lowest integer for integers)."""
    return np.iinfo(dtype).min if np.issubdtype(dtype, np.integer) else np.nan


def _max_pool_kernel(op):
    def max_pool(x):
        """As TensorFlow's oneDNN kernel: the largest value that is not NaN, and at least the dtype's lowest finite
        value (a window of -inf and NaN gives -3.4e38 in float32)."""
        window = _pool_window(op, x.shape)
        out = np.empty((x.shape[0], window.out_h, window.out_w, x.shape[3]), x.dtype)
        lowest = np.iinfo(x.dtype).min if np.issubdtype(x.dtype, np.integer) else np.finfo(x.dtype).min
        blocks, padded = _padded_blocks(window, x, _lowest(x.dtype))

        def pool(images):
            np.fmax(_pool_max(window, padded(images)), lowest, out=out[images])
        kernel_threads.for_each(pool, blocks)
        return out
    return max_pool


def _first_maximum(window, padded, best, inside):
    """The kernel position ``i * KW + j`` of each window's first element equal to ``best`` in row-major order: the
    number of positions before the first match (``KH * KW - 1`` when only the last matches, or none does: a window
    of NaN). ``inside(position)``, when given, masks out positions in the padding (for integers, whose padding can
    equal a value)."""
    (kh, kw) = window.kernel
    key = np.zeros(best.shape, np.uint8 if kh * kw <= 256 else np.intp)
    missed = np.ones(best.shape, bool)  # no match yet
    hit = np.empty(best.shape, bool)
    for position in range(kh * kw - 1):
        np.equal(padded[(slice(None),) + window.position(*divmod(position, kw))], best, out=hit)
        if inside is not None:
            hit &= inside(position)
        np.greater(missed, hit, out=missed)  # missed and not hit
        key += missed
    return key


def _inside_image(window, shape):
    """``inside(position)``: whether kernel position ``i * KW + j`` of each window ``[OH, OW, 1]`` is in the image."""
    rows = np.arange(window.out_h) * window.strides[0] - window.pad_top
    cols = np.arange(window.out_w) * window.strides[1] - window.pad_left

    def inside(position):
        i, j = divmod(position, window.kernel[1])
        row, col = rows + i * window.dilations[0], cols + j * window.dilations[1]
        return (((row >= 0) & (row < shape[1]))[:, None] & ((col >= 0) & (col < shape[2]))[None, :])[:, :, None]
    return inside


def _max_pool_grad_kernel(op):
    def max_pool_grad(x, y, dy):
        """Each output's gradient goes to the first maximum of its window in row-major order, as TF's CPU kernel,
        which also recomputes the maxima from ``x`` rather than trusting ``y``. Padding is NaN, skipped by fmax and
        equal to nothing, so it never takes a gradient (TF never visits padding). The gradients are added in output
        order (``np.add.at`` adds one element after the other), so where windows overlap the float32 sums round
        as TensorFlow's oneDNN kernel's do."""
        window = _pool_window(op, x.shape)
        _, h, w, c = x.shape
        out = np.zeros(x.shape, dy.dtype)
        # flat index into ``out`` of each output's window origin (padding may make it negative), and of each
        # kernel position relative to it
        rows = np.arange(window.out_h) * window.strides[0] - window.pad_top
        cols = np.arange(window.out_w) * window.strides[1] - window.pad_left
        origin = ((rows[:, None, None] * w + cols[None, :, None]) * c + np.arange(c)).astype(np.intp)
        kh, kw = window.kernel
        offsets = ((np.arange(kh)[:, None] * w + np.arange(kw)) * c).astype(np.intp).ravel()
        inside = _inside_image(window, x.shape) if np.issubdtype(x.dtype, np.integer) else None
        blocks, padded = _padded_blocks(window, x, _lowest(x.dtype), arrays_per_image=2)

        def scatter(images):
            block = padded(images)
            best = _pool_max(window, block)
            grad = dy[images]
            index = offsets.take(_first_maximum(window, block, best, inside))
            index += origin + np.arange(images.start, images.stop).reshape(-1, 1, 1, 1) * (h * w * c)
            if inside is None and np.isnan(best).any():  # windows of NaN pass no gradient on
                found = best == best
                index, grad = index[found], grad[found]
            np.add.at(out.reshape(-1), index.reshape(-1), grad.reshape(-1))
        kernel_threads.for_each(scatter, blocks)  # each block adds to its own images
        return out
    return max_pool_grad


def _avg_pool_counts(window, shape):
    """How many real (unpadded) input pixels each output window covers."""
    ones = window.pad(np.ones((1,) + tuple(shape[1:3]) + (1,), np.float32))
    return window.patches(ones).sum(axis=(3, 4))


def _avg_pool_kernel(op):
    def avg_pool(x):
        window = _pool_window(op, x.shape)
        sums = window.patches(window.pad(x)).sum(axis=(3, 4))
        return (sums / _avg_pool_counts(window, x.shape).astype(x.dtype)).astype(x.dtype, copy=False)
    return avg_pool


def _avg_pool_grad_kernel(op):
    def avg_pool_grad(shape, dy):
        shape = tuple(int(s) for s in shape)
        window = _pool_window(op, shape)
        share = (dy / _avg_pool_counts(window, shape).astype(dy.dtype)).astype(dy.dtype, copy=False)
        return window.scatter(lambda i, j: share, window.padded_shape(shape), dy.dtype)
    return avg_pool_grad


def _avg_pool_grad_infer(op):
    return [(op.inputs[1].dtype.base_dtype, _shape_from_value(op.inputs[0]))]


_MAX_POOL_ATTRS = ("T", "ksize", "strides", "padding", "explicit_paddings", "data_format")
_MAX_POOL_DEFAULTS = {"explicit_paddings": [], "data_format": b"NHWC"}
register("MaxPool", channels_first.shape_function(_pool_infer),
         channels_first.kernel(pure_with_attrs(_max_pool_kernel)), input_names=("input",), attrs=_MAX_POOL_ATTRS,
         attr_defaults=_MAX_POOL_DEFAULTS)
register("MaxPoolGrad", same_as_input(),
         channels_first.kernel(pure_with_attrs(_max_pool_grad_kernel), images=(0, 1, 2)),
         input_names=("orig_input", "orig_output", "grad"), attrs=_MAX_POOL_ATTRS, attr_defaults=_MAX_POOL_DEFAULTS)
_AVG_POOL_ATTRS = ("ksize", "strides", "padding", "data_format", "T")
_AVG_POOL_DEFAULTS = {"data_format": b"NHWC"}
register("AvgPool", channels_first.shape_function(_pool_infer),
         channels_first.kernel(pure_with_attrs(_avg_pool_kernel)), input_names=("value",), attrs=_AVG_POOL_ATTRS,
         attr_defaults=_AVG_POOL_DEFAULTS)
register("AvgPoolGrad", _avg_pool_grad_infer,
         channels_first.kernel(pure_with_attrs(_avg_pool_grad_kernel), images=(1,), sizes=(0,)),
         input_names=("orig_input_shape", "grad"), attrs=_AVG_POOL_ATTRS, attr_defaults=_AVG_POOL_DEFAULTS)


def _pool(op_type, default_name, value, ksize, strides, padding, data_format, name, extra=None):
    with ops.name_scope(name, default_name, [value]) as scope:
        x = ops.convert_to_tensor(value, name="input")
        attrs = {"T": x.dtype.base_dtype, "ksize": _as_4(ksize, "ksize", data_format),
                 "strides": _as_4(strides, "strides", data_format),
                 "padding": padding.encode() if isinstance(padding, str) else padding,
                 "data_format": data_format.encode() if isinstance(data_format, str) else data_format}
        attrs.update(extra or {})
        return apply_op_1(op_type, [x], attrs, scope)


def max_pool(value=None, ksize=None, strides=None, padding=None, data_format="NHWC", name=None,
             input=None):  # noqa: A002
    """``tf.nn.max_pool``."""
    if isinstance(ksize, (list, tuple)) and any(k == 0 for k in ksize):
        raise ValueError(f"`ksize` cannot be zero. Received: ksize={ksize}")
    return _pool("MaxPool", "MaxPool", input if value is None else value, ksize, strides, padding, data_format,
                 name, {"explicit_paddings": []})


def avg_pool(value=None, ksize=None, strides=None, padding=None, data_format="NHWC", name=None,
             input=None):  # noqa: A002
    """``tf.nn.avg_pool``."""
    return _pool("AvgPool", "AvgPool", input if value is None else value, ksize, strides, padding, data_format,
                 name)
