"""Convolution ops (NHWC): Conv2D, DepthwiseConv2dNative, LRN, BiasAdd, and the window geometry that
``pooling_ops`` (MaxPool, AvgPool) shares. The convolutions TensorFlow builds from these (depthwise_conv2d,
conv1d, separable and atrous convolutions) are in ``conv_variants``.

Each op is TensorFlow's (op type, attrs, gradient ops). Kernels gather each output pixel's receptive field
with a strided view of the padded input ("im2col") and do the arithmetic in matrix products or reductions; the
backward kernels scatter with one vectorised addition per kernel position ("col2im"), except max pooling's, which
adds each gradient at its window's maximum with ``np.add.at`` (in output order, as TensorFlow). Convolutions copy the
im2col columns a block of images at a time into one reused buffer that is still in cache when its matrix product
reads it (a whole batch of columns would be a hundred megabytes streamed through memory twice); pooling and LRN work
on blocks of images or pixels for the same reason.
Padding follows TensorFlow: VALID uses no padding; SAME gives ``ceil(in / stride)`` outputs and pads
``total = max((out - 1) * stride + (k - 1) * dilation + 1 - in, 0)``, ``total // 2`` before and the rest after.
"""

import threading

import numpy as np
from numpy.lib.stride_tricks import as_strided

from minitf.framework import dtypes, ops, tensor_shape, tensor_util
from minitf.framework.op_def_lib import apply_op_1, as_int_list, invalid_argument, pure_with_attrs, register
from minitf.ops import channels_first, kernel_threads

TensorShape = tensor_shape.TensorShape


# -- geometry ------------------------------------------------------------------------------------------------------

def _padding_mode(padding):
    mode = padding.decode() if isinstance(padding, bytes) else padding
    if mode not in ("SAME", "VALID"):
        raise ValueError(f"padding must be 'SAME' or 'VALID', got {padding!r}")
    return mode


def _output_and_padding(size, kernel, stride, dilation, padding):
    """(output size, pad before, pad after) along one spatial axis, as TensorFlow's GetWindowedOutputSize."""
    effective = (kernel - 1) * dilation + 1
    if padding == "VALID":
        out = (size - effective + stride) // stride
        return out, 0, 0
    out = (size + stride - 1) // stride
    total = max((out - 1) * stride + effective - size, 0)
    return out, total // 2, total - total // 2


class _Window:
    """The geometry of a 2-D window sliding over NHWC input: sizes, strides, dilations, padding."""

    def __init__(self, input_hw, kernel_hw, strides, dilations, padding):
        self.kernel = kernel_hw
        self.strides = strides
        self.dilations = dilations
        (self.out_h, self.pad_top, self.pad_bottom) = _output_and_padding(
            input_hw[0], kernel_hw[0], strides[0], dilations[0], padding)
        (self.out_w, self.pad_left, self.pad_right) = _output_and_padding(
            input_hw[1], kernel_hw[1], strides[1], dilations[1], padding)

    def pad(self, x, value=0.0):
        if not (self.pad_top or self.pad_bottom or self.pad_left or self.pad_right):
            return x
        widths = ((0, 0), (self.pad_top, self.pad_bottom), (self.pad_left, self.pad_right), (0, 0))
        return np.pad(x, widths, constant_values=value)

    def patches(self, padded):
        """A read-only view ``[N, OH, OW, KH, KW, C]`` of each output pixel's receptive field."""
        n, _, _, c = padded.shape
        sn, sh, sw, sc = padded.strides
        return as_strided(padded, (n, self.out_h, self.out_w, self.kernel[0], self.kernel[1], c),
                          (sn, sh * self.strides[0], sw * self.strides[1], sh * self.dilations[0],
                           sw * self.dilations[1], sc), writeable=False)

    def position(self, i, j):
        """Selects kernel position ``(i, j)`` of every window: ``padded[(..., *position)]`` is ``[..., OH, OW, C]``
        for NHWC, ``[..., OH, OW]`` for a channels-first array."""
        (sh, sw), (dh, dw) = self.strides, self.dilations
        return (slice(i * dh, i * dh + (self.out_h - 1) * sh + 1, sh),
                slice(j * dw, j * dw + (self.out_w - 1) * sw + 1, sw))

    def scatter(self, column, padded_shape, dtype):
        """col2im: adds ``column(i, j)`` (``[N, OH, OW, C]``, the part for kernel position i, j) back onto a zero
        padded input; returns the unpadded sum."""
        out = np.zeros(padded_shape, dtype)
        for i in range(self.kernel[0]):
            for j in range(self.kernel[1]):
                out[(slice(None),) + self.position(i, j)] += column(i, j)
        return out[:, self.pad_top:padded_shape[1] - self.pad_bottom, self.pad_left:padded_shape[2] - self.pad_right]

    def padded_shape(self, shape):
        return (shape[0], shape[1] + self.pad_top + self.pad_bottom, shape[2] + self.pad_left + self.pad_right,
                shape[3])


# im2col columns per block: a block that fits in a core's L2 cache is still there when its product reads it. With
# one BLAS thread per product (threading_policy.py), the CIFAR-10 model's convolutions and filter gradients took
# 10 - 20 % less processor time with 1 - 4 MiB blocks than with 8 MiB; more blocks also share out more evenly among
# threads. (With several BLAS threads per product each block's call waits for its slowest thread: under a
# competing process small blocks were then up to five times slower than one big product.)
_COLUMN_BLOCK_BYTES = 1 << 21


def _blocks(images, rows, bytes_per_row, budget):
    """``(image slice, row slice)`` pairs covering ``images`` x ``rows`` output rows, about ``budget`` bytes each:
    whole images when one fits, else bands of rows of one image. Each slice of an NHWC array is contiguous."""
    if images == 0 or rows == 0:
        return []
    per_block = max(1, budget // max(1, bytes_per_row))
    if per_block >= rows:
        step = per_block // rows
        return [(slice(n, min(n + step, images)), slice(0, rows)) for n in range(0, images, step)]
    return [(slice(n, n + 1), slice(r, min(r + per_block, rows)))
            for n in range(images) for r in range(0, rows, per_block)]


def _column_blocks(window, padded):
    """The blocks ``(images, rows)`` of output pixels, and ``columns(images, rows)``: the im2col matrix ``[pixels,
    KH * KW * C]`` of one block, copied into a buffer of the calling thread that its next block overwrites."""
    patches = window.patches(padded)
    n, out_h, out_w, kh, kw, c = patches.shape
    depth = kh * kw * c
    blocks = _blocks(n, out_h, out_w * depth * padded.itemsize, _COLUMN_BLOCK_BYTES)
    largest = patches[blocks[0]].size if blocks else 0  # the first block is the largest
    local = threading.local()

    def columns(images, rows):
        block = patches[images, rows]
        buffer = getattr(local, "buffer", None)
        if buffer is None:
            buffer = local.buffer = np.empty(largest, padded.dtype)
        matrix = buffer[:block.size].reshape(block.shape)
        np.copyto(matrix, block)
        return matrix.reshape(-1, depth)
    return blocks, columns


def _correlate(window, padded, matrix):
    """``out[n, oh, ow] = receptive_field(n, oh, ow).reshape(-1) @ matrix``: a convolution by im2col blocks, each
    block's product written to its own rows of the output."""
    channels = matrix.shape[1]
    out = np.empty((padded.shape[0], window.out_h, window.out_w, channels), padded.dtype)
    blocks, columns = _column_blocks(window, padded)

    def product(block):
        np.matmul(columns(*block), matrix, out=out[block].reshape(-1, channels))
    kernel_threads.for_each(product, blocks)
    return out


def _spatial(values, name):
    values = as_int_list(values)
    if len(values) != 4:
        raise ValueError(f"{name} must have 4 elements (NHWC), got {values}")
    if name == "strides" and min(values) < 1:  # TensorFlow's shape functions check this at graph construction
        raise ValueError(f"Stride must be > 0, but got {min(values)}")
    if values[0] != 1 or values[3] != 1:
        raise ValueError(f"Current implementation does not yet support {name} in the batch and depth dimensions.")
    return values[1], values[2]


def _window_of(op, input_shape, kernel_hw):
    strides = _spatial(op.get_attr("strides"), "strides")
    dilations = _spatial(op.get_attr("dilations"), "dilations") if "dilations" in op._attrs else (1, 1)
    return _Window(input_shape[1:3], kernel_hw, strides, dilations, _padding_mode(op.get_attr("padding")))


def _check_nhwc(op):
    fmt = op.get_attr("data_format") if "data_format" in op._attrs else b"NHWC"
    if (fmt.decode() if isinstance(fmt, bytes) else fmt) != "NHWC":
        raise ValueError(f"minitf implements {op.type} in the NHWC data format only")


def _static_output_shape(op, input_shape, kernel_hw, out_channels):
    """The static NHWC output shape (unknown dimensions stay unknown)."""
    dims = input_shape.as_tuple() if input_shape.ndims is not None else (None,) * 4
    if len(dims) != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {len(dims)}")
    strides = _spatial(op.get_attr("strides"), "strides")
    dilations = _spatial(op.get_attr("dilations"), "dilations") if "dilations" in op._attrs else (1, 1)
    padding = _padding_mode(op.get_attr("padding"))
    spatial = []
    for axis in (0, 1):
        size = dims[1 + axis]
        if size is None or kernel_hw[axis] is None:
            spatial.append(None)
            continue
        out, _, _ = _output_and_padding(size, kernel_hw[axis], strides[axis], dilations[axis], padding)
        if out <= 0:
            raise ValueError(f"Negative dimension size caused by subtracting {kernel_hw[axis]} from {size}")
        spatial.append(out)
    return TensorShape([dims[0]] + spatial + [out_channels])


# -- Conv2D ----------------------------------------------------------------------------------------------------------

def _conv_infer(op):
    _check_nhwc(op)
    x, w = op.inputs
    w_dims = w.shape.as_tuple() if w.shape.ndims is not None else (None,) * 4
    if len(w_dims) != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {len(w_dims)}")
    x_channels = x.shape.as_tuple()[3] if x.shape.ndims == 4 else None
    if x_channels is not None and w_dims[2] is not None and x_channels % w_dims[2]:
        raise ValueError(f"Depth of input ({x_channels}) is not a multiple of input depth of filter ({w_dims[2]})")
    if x_channels is not None and w_dims[2] is not None and x_channels != w_dims[2]:
        raise ValueError("minitf implements Conv2D without groups: the filter's input depth must equal the input's")
    return [(x.dtype.base_dtype, _static_output_shape(op, x.shape, w_dims[:2], w_dims[3]))]


def _conv_kernel(op):
    def conv2d(x, w):
        window = _window_of(op, x.shape, w.shape[:2])
        if x.shape[3] != w.shape[2]:
            raise invalid_argument(f"input depth must be evenly divisible by filter depth: {x.shape[3]} vs {w.shape[2]}")
        return _correlate(window, window.pad(x), w.reshape(-1, w.shape[3]))
    return conv2d


def _shape_from_value(value_tensor, rank=4):
    value = tensor_util.constant_value(value_tensor)
    if value is None:
        return TensorShape([None] * rank)
    return TensorShape([int(v) for v in value])


def _backprop_input_infer(op):
    sizes, w, dy = op.inputs
    return [(dy.dtype.base_dtype, _shape_from_value(sizes))]


def _backprop_input_by_scatter(window, shape, w, dy):
    """col2im: each output pixel's gradient spread over its receptive field (cheap when input channels are few).
    Works channels-first, ``[C, N, H, W]``, so that each addition runs along image rows, not along a few channels."""
    kh, kw, channels, out_channels = w.shape
    columns = w.reshape(-1, out_channels) @ dy.reshape(-1, out_channels).T
    columns = columns.reshape((kh, kw, channels) + dy.shape[:3])
    padded_shape = window.padded_shape(shape)
    out = np.zeros((channels, shape[0], padded_shape[1], padded_shape[2]), dy.dtype)
    for i in range(kh):
        for j in range(kw):
            out[(slice(None), slice(None)) + window.position(i, j)] += columns[i, j]
    out = out[:, :, window.pad_top:window.pad_top + shape[1], window.pad_left:window.pad_left + shape[2]]
    return np.ascontiguousarray(out.transpose(1, 2, 3, 0))


def _backprop_input_by_gather(window, shape, w, dy):
    """The input gradient as one convolution: ``dy`` spread out by the strides, padded, and correlated with the
    filter turned by 180 degrees, input and output channels swapped (cheap when input channels are many)."""
    (stride_h, stride_w), (dil_h, dil_w) = window.strides, window.dilations
    spread = dy
    if stride_h > 1 or stride_w > 1:
        spread = np.zeros((dy.shape[0], (dy.shape[1] - 1) * stride_h + 1, (dy.shape[2] - 1) * stride_w + 1,
                           dy.shape[3]), dy.dtype)
        spread[:, ::stride_h, ::stride_w] = dy
    before_h = (w.shape[0] - 1) * dil_h - window.pad_top
    before_w = (w.shape[1] - 1) * dil_w - window.pad_left
    padded = np.pad(spread, ((0, 0), (before_h, shape[1] + window.pad_top - spread.shape[1]),
                             (before_w, shape[2] + window.pad_left - spread.shape[2]), (0, 0)))
    turned = np.ascontiguousarray(w[::-1, ::-1].transpose(0, 1, 3, 2))
    full = _Window(padded.shape[1:3], w.shape[:2], (1, 1), window.dilations, "VALID")
    return _correlate(full, padded, turned.reshape(-1, shape[3]))


# Input channels up to which the scatter is faster. Measured on one thread (2026-12-06), 5x5 and 3x3 filters,
# batch 32 - 64, 14x14 and 28x28 images: with 1 - 4 input channels the scatter took 0.4 - 0.6x the gather's time,
# with 8 - 64 (and 16 - 64 output channels) the gather took 0.25 - 0.85x the scatter's, since the scatter's product
# sums over the output channels only and its additions grow with the input channels.
_SCATTER_CHANNELS = 4


def _backprop_input_kernel(op):
    def conv2d_backprop_input(sizes, w, dy):
        shape = tuple(int(s) for s in sizes)
        window = _window_of(op, shape, w.shape[:2])
        if shape[3] <= _SCATTER_CHANNELS:
            return _backprop_input_by_scatter(window, shape, w, dy)
        return _backprop_input_by_gather(window, shape, w, dy)
    return conv2d_backprop_input


def _backprop_filter_infer(op):
    x, sizes, dy = op.inputs
    return [(dy.dtype.base_dtype, _shape_from_value(sizes))]


_PARTIAL_BYTES = 1 << 23  # per-block partial filter gradients kept at once before they are added


def _filter_gradient(window, padded, dy, filter_shape):
    """``sum over pixels of columnsᵀ · dy``: one partial product per im2col block, added in block order (the same
    sums whatever thread computed each partial)."""
    channels = dy.shape[3]
    transposed = np.zeros((channels, int(np.prod(filter_shape[:3]))), dy.dtype)
    blocks, columns = _column_blocks(window, padded)
    per_round = max(kernel_threads.threads(), _PARTIAL_BYTES // max(1, transposed.nbytes))
    partials = np.empty((min(per_round, len(blocks)),) + transposed.shape, dy.dtype)

    def product(index):
        images, rows = blocks[index]
        np.matmul(dy[images, rows].reshape(-1, channels).T, columns(images, rows), out=partials[index % per_round])
    for start in range(0, len(blocks), per_round):
        indices = range(start, min(start + per_round, len(blocks)))
        kernel_threads.for_each(product, indices)
        for index in indices:
            transposed += partials[index % per_round]
    return np.ascontiguousarray(transposed.T).reshape(filter_shape)


def _backprop_filter_kernel(op):
    def conv2d_backprop_filter(x, sizes, dy):
        shape = tuple(int(s) for s in sizes)
        window = _window_of(op, x.shape, shape[:2])
        return _filter_gradient(window, window.pad(x), dy, shape)
    return conv2d_backprop_filter


_CONV_ATTRS = ("T", "strides", "use_cudnn_on_gpu", "padding", "explicit_paddings", "data_format", "dilations")
_CONV_DEFAULTS = {"use_cudnn_on_gpu": True, "explicit_paddings": [], "data_format": b"NHWC", "dilations": [1, 1, 1, 1]}
register("Conv2D", channels_first.shape_function(_conv_infer),
         channels_first.kernel(pure_with_attrs(_conv_kernel)), input_names=("input", "filter"), attrs=_CONV_ATTRS,
         attr_defaults=_CONV_DEFAULTS)
register("Conv2DBackpropInput", _backprop_input_infer,
         channels_first.kernel(pure_with_attrs(_backprop_input_kernel), images=(2,), sizes=(0,)),
         input_names=("input_sizes", "filter", "out_backprop"), attrs=_CONV_ATTRS, attr_defaults=_CONV_DEFAULTS)
register("Conv2DBackpropFilter", _backprop_filter_infer,
         channels_first.kernel(pure_with_attrs(_backprop_filter_kernel), images=(0, 2), image_output=False),
         input_names=("input", "filter_sizes", "out_backprop"), attrs=_CONV_ATTRS, attr_defaults=_CONV_DEFAULTS)


def _conv_op_attrs(x, strides, padding, dilations, data_format="NHWC", use_cudnn_on_gpu=True):
    return {"T": x.dtype.base_dtype, "strides": [int(s) for s in strides], "use_cudnn_on_gpu": bool(use_cudnn_on_gpu),
            "padding": padding.encode() if isinstance(padding, str) else padding, "explicit_paddings": [],
            "data_format": data_format.encode() if isinstance(data_format, str) else data_format,
            "dilations": [int(d) for d in dilations]}


def _as_4(values, name, data_format="NHWC"):
    """Per-axis values (strides, ksize, dilations) for the four axes, 1 on the batch and channel axes."""
    values = [values] if isinstance(values, int) else list(values)
    if len(values) in (1, 2):
        height, width = values * (3 - len(values))
        nchw = (data_format.decode() if isinstance(data_format, bytes) else data_format or "NHWC").startswith("NC")
        return [1, 1, height, width] if nchw else [1, height, width, 1]
    if len(values) != 4:
        raise ValueError(f"{name} should be of length 1, 2 or 4. Received: {name}={values}")
    return values


def conv2d(input=None, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True,  # noqa: A002 (TF names)
           data_format="NHWC", dilations=(1, 1, 1, 1), name=None, filters=None):
    """``tf.nn.conv2d``: 2-D convolution of NHWC ``input`` with ``filter`` ``[KH, KW, C, OC]``."""
    filter = filters if filter is None else filter  # noqa: A001
    with ops.name_scope(name, "Conv2D", [input, filter]) as scope:
        x = ops.convert_to_tensor(input, name="input")
        w = ops.convert_to_tensor(filter, name="filter", dtype=x.dtype.base_dtype)
        attrs = _conv_op_attrs(x, _as_4(strides, "strides", data_format), padding,
                               _as_4(dilations, "dilations", data_format), data_format, use_cudnn_on_gpu)
        return apply_op_1("Conv2D", [x, w], attrs, scope)


def conv2d_transpose(value=None, filter=None, output_shape=None, strides=None, padding="SAME",  # noqa: A002
                     data_format="NHWC", name=None, input=None, filters=None, dilations=None):  # noqa: A002
    """``tf.nn.conv2d_transpose``: the gradient of conv2d with respect to its input."""
    value = input if value is None else value
    filter = filters if filter is None else filter  # noqa: A001
    with ops.name_scope(name, "conv2d_transpose", [value, filter, output_shape]) as scope:
        dy = ops.convert_to_tensor(value, name="value")
        w = ops.convert_to_tensor(filter, name="filter", dtype=dy.dtype.base_dtype)
        sizes = ops.convert_to_tensor(output_shape, name="output_shape", dtype=dtypes.int32)
        attrs = _conv_op_attrs(dy, _as_4(strides, "strides", data_format), padding,
                               _as_4(dilations or 1, "dilations", data_format), data_format)
        return apply_op_1("Conv2DBackpropInput", [sizes, w, dy], attrs, scope)


# -- depthwise ---------------------------------------------------------------------------------------------------

def _depthwise_infer(op):
    _check_nhwc(op)
    x, w = op.inputs
    w_dims = w.shape.as_tuple() if w.shape.ndims is not None else (None,) * 4
    if len(w_dims) != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {len(w_dims)}")
    channels = None if None in w_dims[2:] else w_dims[2] * w_dims[3]
    return [(x.dtype.base_dtype, _static_output_shape(op, x.shape, w_dims[:2], channels))]


def _depthwise_patches(op, x, w_shape):
    window = _window_of(op, x.shape, w_shape[:2])
    return window, window.patches(window.pad(x))


def _depthwise_kernel(op):
    def depthwise(x, w):
        window, patches = _depthwise_patches(op, x, w.shape)
        out = np.einsum("nhwijc,ijcm->nhwcm", patches, w, optimize=True)
        return out.reshape(out.shape[:3] + (-1,)).astype(x.dtype, copy=False)
    return depthwise


def _depthwise_input_kernel(op):
    def depthwise_backprop_input(sizes, w, dy):
        shape = tuple(int(s) for s in sizes)
        window = _window_of(op, shape, w.shape[:2])
        grad = dy.reshape(dy.shape[:3] + w.shape[2:])
        columns = np.einsum("nhwcm,ijcm->ijnhwc", grad, w, optimize=True).astype(dy.dtype, copy=False)
        return window.scatter(lambda i, j: columns[i, j], window.padded_shape(shape), dy.dtype)
    return depthwise_backprop_input


def _depthwise_filter_kernel(op):
    def depthwise_backprop_filter(x, sizes, dy):
        shape = tuple(int(s) for s in sizes)
        _, patches = _depthwise_patches(op, x, shape)
        grad = dy.reshape(dy.shape[:3] + shape[2:])
        return np.einsum("nhwijc,nhwcm->ijcm", patches, grad, optimize=True).astype(x.dtype, copy=False)
    return depthwise_backprop_filter


_DEPTHWISE_ATTRS = ("T", "strides", "padding", "explicit_paddings", "data_format", "dilations")
_DEPTHWISE_DEFAULTS = {"explicit_paddings": [], "data_format": b"NHWC", "dilations": [1, 1, 1, 1]}
register("DepthwiseConv2dNative", _depthwise_infer, pure_with_attrs(_depthwise_kernel),
         input_names=("input", "filter"), attrs=_DEPTHWISE_ATTRS, attr_defaults=_DEPTHWISE_DEFAULTS)
register("DepthwiseConv2dNativeBackpropInput", _backprop_input_infer, pure_with_attrs(_depthwise_input_kernel),
         input_names=("input_sizes", "filter", "out_backprop"), attrs=_DEPTHWISE_ATTRS,
         attr_defaults=_DEPTHWISE_DEFAULTS)
register("DepthwiseConv2dNativeBackpropFilter", _backprop_filter_infer, pure_with_attrs(_depthwise_filter_kernel),
         input_names=("input", "filter_sizes", "out_backprop"), attrs=_DEPTHWISE_ATTRS,
         attr_defaults=_DEPTHWISE_DEFAULTS)


# -- local response normalization ------------------------------------------------------------------------------

def _band(depth, radius, dtype):
    """The ``[depth, depth]`` 0/1 matrix summing channels ``c - radius .. c + radius`` (TF's GetBandMatrix)."""
    index = np.arange(depth)
    return (np.abs(index[:, None] - index[None, :]) <= radius).astype(dtype)


def _lrn_attrs(op):
    return (op.get_attr("depth_radius"), op.get_attr("bias"), op.get_attr("alpha"), op.get_attr("beta"))


_LRN_BLOCK_BYTES = 1 << 20  # rows of one array per LRN block: the block's few temporaries stay in cache


def _lrn_blocks(x, *arrays):
    """The row blocks of the ``[pixels, depth]`` views of ``x`` and ``arrays`` (C-contiguous, so that writes to an
    output's block land in it), and ``blocks(rows)``: the views' rows ``rows`` and three ``[rows, depth]`` scratch
    buffers of the calling thread, reused by its next block."""
    depth = x.shape[-1]
    flats = [a.reshape(-1, depth) for a in (x,) + arrays]
    pixels = flats[0].shape[0]
    per_block = max(1, _LRN_BLOCK_BYTES // max(1, depth * x.itemsize))
    local = threading.local()

    def blocks(rows):
        buffers = getattr(local, "buffers", None)
        if buffers is None:
            buffers = local.buffers = np.empty((3, min(per_block, pixels), depth), x.dtype)
        return [f[rows] for f in flats], [b[:rows.stop - rows.start] for b in buffers]
    return [slice(start, min(start + per_block, pixels)) for start in range(0, pixels, per_block)], blocks


def _lrn_norm(block, band, bias, alpha, out, scratch):
    """``bias + alpha * sum of squares`` over neighbouring channels, by one matrix product as TF's CPU kernel."""
    np.square(block, out=scratch)
    np.matmul(scratch, band, out=out)
    out *= block.dtype.type(alpha)
    out += block.dtype.type(bias)
    return out


def _power_in_place(norm, beta):
    """``norm ** -beta`` as TensorFlow's kernel computes it, ``exp(log(norm) * -beta)``."""
    np.log(norm, out=norm)
    norm *= norm.dtype.type(-beta)
    return np.exp(norm, out=norm)


def _lrn_kernel(op):
    radius, bias, alpha, beta = _lrn_attrs(op)

    def lrn(x):
        out = np.empty(x.shape, x.dtype)
        band = _band(x.shape[-1], radius, x.dtype)
        rows, blocks = _lrn_blocks(x, out)

        def normalize(block_rows):
            (block, out_block), (norm, scratch, _) = blocks(block_rows)
            scale = _power_in_place(_lrn_norm(block, band, bias, alpha, norm, scratch), beta)
            np.multiply(block, scale, out=out_block)
        kernel_threads.for_each(normalize, rows)
        return out
    return lrn


def _lrn_grad_kernel(op):
    radius, bias, alpha, beta = _lrn_attrs(op)

    def lrn_grad(dy, x, y):
        """TF's LRNGrad: dx_k = dy_k * norm_k^-beta - 2 alpha beta x_k * sum_j dy_j y_j / norm_j (j near k)."""
        out = np.empty(x.shape, x.dtype)
        band = _band(x.shape[-1], radius, x.dtype)
        two_alpha_beta = x.dtype.type(2 * alpha * beta)
        rows, blocks = _lrn_blocks(x, dy, y, out)

        def gradient(block_rows):
            (x_block, dy_block, y_block, out_block), (norm, scratch, cross) = blocks(block_rows)
            _lrn_norm(x_block, band, bias, alpha, norm, scratch)
            np.multiply(dy_block, y_block, out=scratch)
            scratch /= norm
            np.matmul(scratch, band, out=cross)
            np.multiply(dy_block, _power_in_place(norm, beta), out=out_block)
            np.multiply(x_block, two_alpha_beta, out=scratch)
            scratch *= cross
            out_block -= scratch
        kernel_threads.for_each(gradient, rows)
        return out
    return lrn_grad


def _lrn_infer(op):
    x = op.inputs[0]
    if x.shape.ndims not in (None, 4):
        raise ValueError(f"Shape must be rank 4 but is rank {x.shape.ndims}")
    return [(x.dtype.base_dtype, x.shape)]


_LRN_ATTRS = {"depth_radius": 5, "bias": 1.0, "alpha": 1.0, "beta": 0.5}
register("LRN", _lrn_infer, pure_with_attrs(_lrn_kernel), input_names=("input",), attr_defaults=_LRN_ATTRS)
register("LRNGrad", lambda op: [(op.inputs[0].dtype.base_dtype, op.inputs[1].shape)],
         pure_with_attrs(_lrn_grad_kernel), input_names=("input_grads", "input_image", "output_image"),
         attr_defaults=_LRN_ATTRS)


def local_response_normalization(input, depth_radius=5, bias=1, alpha=1, beta=0.5, name=None):  # noqa: A002
    """``tf.nn.lrn``: ``input / (bias + alpha * sqr_sum) ** beta`` over ``depth_radius`` neighbouring channels."""
    with ops.name_scope(name, "LRN", [input]) as scope:
        x = ops.convert_to_tensor(input, name="input")
        attrs = {"T": x.dtype.base_dtype, "depth_radius": int(depth_radius), "bias": float(bias),
                 "alpha": float(alpha), "beta": float(beta)}
        return apply_op_1("LRN", [x], attrs, scope)


lrn = local_response_normalization


# -- bias ----------------------------------------------------------------------------------------------------------

def _channel_axis(op, rank):
    """Where BiasAdd's bias goes: axis 1 for NCHW (any rank from 3), else the last axis."""
    return 1 if channels_first.is_nchw(op) else rank - 1


def _bias_add_infer(op):
    x, b = op.inputs
    if b.shape.ndims not in (None, 1):
        raise ValueError(f"Shape must be rank 1 but is rank {b.shape.ndims}")
    if x.shape.ndims is not None:
        least = 3 if channels_first.is_nchw(op) else 2
        if x.shape.ndims < least:
            raise ValueError(f"Shape must be at least rank {least} but is rank {x.shape.ndims}")
        channels = x.shape.as_tuple()[_channel_axis(op, x.shape.ndims)]
        bias_size = b.shape.as_tuple()[0] if b.shape.ndims == 1 else None
        if channels is not None and bias_size is not None and channels != bias_size:
            raise ValueError(f"Dimensions must be equal, but are {channels} and {bias_size}")
    return [(x.dtype.base_dtype, x.shape)]


def _bias_add_kernel(op):
    nchw = channels_first.is_nchw(op)  # read once, not on every call

    def bias_add(x, b):
        axis = 1 if nchw else x.ndim - 1
        if x.shape[axis] != b.shape[0]:
            raise invalid_argument(f"Must provide as many biases as the last dimension of the input tensor: "
                                   f"{list(b.shape)} vs. {list(x.shape)}")
        if nchw:
            return x + b.reshape((-1,) + (1,) * (x.ndim - 2))
        if x.nbytes < kernel_threads.ELEMENTWISE_BYTES or x.dtype != b.dtype or x.ndim < 2:
            return x + b
        out = np.empty(x.shape, x.dtype)  # a large input: its rows shared among threads
        kernel_threads.for_rows(lambda v, out: np.add(v, b, out=out), out.reshape(-1, b.shape[0]),
                                x.reshape(-1, b.shape[0]))
        return out
    return bias_add


def _bias_add_grad_infer(op):
    g = op.inputs[0]
    channels = g.shape.as_tuple()[_channel_axis(op, g.shape.ndims)] if g.shape.ndims else None
    return [(g.dtype.base_dtype, TensorShape([channels]))]


def _bias_add_grad_kernel(op):
    nchw = channels_first.is_nchw(op)

    def bias_add_grad(g):
        if nchw:
            return g.sum(axis=(0, *range(2, g.ndim)), dtype=g.dtype)
        return g.reshape(-1, g.shape[-1]).sum(axis=0, dtype=g.dtype)
    return bias_add_grad


register("BiasAdd", _bias_add_infer, pure_with_attrs(_bias_add_kernel), input_names=("value", "bias"),
         attr_defaults={"data_format": b"NHWC"})
register("BiasAddGrad", _bias_add_grad_infer, pure_with_attrs(_bias_add_grad_kernel), input_names=("out_backprop",),
         attr_defaults={"data_format": b"NHWC"})


def bias_add(value, bias, data_format=None, name=None):
    """``tf.nn.bias_add``: adds the 1-D ``bias`` along the last axis of ``value`` (``NC...`` formats: axis 1)."""
    with ops.name_scope(name, "BiasAdd", [value, bias]) as scope:
        if data_format is None:
            data_format = "NHWC"
        elif data_format.startswith("NC"):
            data_format = "NCHW"
        elif data_format.startswith("N") and data_format.endswith("C"):
            data_format = "NHWC"
        else:
            raise ValueError("`data_format` must be of the form `N...C` or `NC...`. "
                             f"Received: data_format={data_format}")
        x = ops.convert_to_tensor(value, name="input")
        b = ops.convert_to_tensor(bias, dtype=x.dtype.base_dtype, name="bias")
        return apply_op_1("BiasAdd", [x, b], {"T": x.dtype.base_dtype, "data_format": data_format.encode()}, scope)
