"""Resize kernels: ``ResizeBilinear``, ``ResizeNearestNeighbor``, ``ResizeBicubic`` (each with its gradient) and
``ResizeArea`` on ``[batch, height, width, channels]`` images.

Source coordinates follow TensorFlow's resize_bilinear_op.cc / image_resizer_state.h: the scale is
``in / out``, or ``(in - 1) / (out - 1)`` with ``align_corners``; ``half_pixel_centers`` samples at
``(out + 0.5) * scale - 0.5``. Bilinear, bicubic and area resizing are linear maps, written here as one weight
matrix per axis (``out = Wy @ image @ Wx^T``), which makes their gradients the transposed maps. Nearest
neighbour picks indices with TensorFlow's float32 arithmetic, so ties round the same way. Bicubic weights come
from TensorFlow's 1024-entry table of Keys' cubic (a = -0.75, or -0.5 with half-pixel centers).
"""

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape, tensor_util
from minitf.framework.op_def_lib import invalid_argument, no_gradient, register


def _scale(in_size, out_size, align_corners):
    if align_corners and out_size > 1:
        return np.float32((in_size - 1) / (out_size - 1))
    return np.float32(in_size / out_size)


def _source(out_size, scale, half_pixel):
    positions = np.arange(out_size, dtype=np.float32)
    if half_pixel:
        return (positions + np.float32(0.5)) * scale - np.float32(0.5)
    return positions * scale


def bilinear_weights(in_size, out_size, align_corners, half_pixel):
    """The ``[out, in]`` matrix of bilinear interpolation along one axis."""
    where = _source(out_size, _scale(in_size, out_size, align_corners), half_pixel)
    floor = np.floor(where)
    lower = np.maximum(floor, 0).astype(np.int64)
    upper = np.minimum(np.ceil(where), in_size - 1).astype(np.int64)
    lerp = (where - floor).astype(np.float64)
    weights = np.zeros((out_size, in_size))
    rows = np.arange(out_size)
    np.add.at(weights, (rows, lower), 1 - lerp)
    np.add.at(weights, (rows, upper), lerp)
    return weights


def _cubic_table(a):
    x = np.arange(1025, dtype=np.float64) / 1024
    first = ((a + 2) * x - (a + 3)) * x * x + 1
    x1 = x + 1
    second = ((a * x1 - 5 * a) * x1 + 8 * a) * x1 - 4 * a
    return first.astype(np.float32), second.astype(np.float32)


_TABLES = {}


def bicubic_weights(in_size, out_size, align_corners, half_pixel):
    a = -0.5 if half_pixel else -0.75
    if a not in _TABLES:
        _TABLES[a] = _cubic_table(a)
    near, far = _TABLES[a]
    where = _source(out_size, _scale(in_size, out_size, align_corners), half_pixel)
    weights = np.zeros((out_size, in_size))
    for row, position in enumerate(where):
        base = int(np.floor(position))
        offset = int(np.rint((position - np.float32(base)) * np.float32(1024)))
        taps = [far[offset], near[offset], near[1024 - offset], far[1024 - offset]]
        indices = [base - 1, base, base + 1, base + 2]
        bounded = [min(in_size - 1, max(0, i)) for i in indices]
        if half_pixel:  # taps outside the image are dropped and the rest renormalized
            taps = [t if b == i else 0.0 for t, b, i in zip(taps, bounded, indices)]
            total = sum(taps)
            if abs(total) >= 1000 * np.finfo(np.float32).tiny:
                taps = [t / total for t in taps]
        for index, tap in zip(bounded, taps):
            weights[row, index] += tap
    return weights


def area_weights(in_size, out_size, align_corners, half_pixel):
    scale = float(_scale(in_size, out_size, align_corners))
    weights = np.zeros((out_size, in_size))
    for row in range(out_size):
        start, end = row * scale, (row + 1) * scale
        for i in range(int(np.floor(start)), int(np.ceil(end))):
            weights[row, min(i, in_size - 1)] += min(i + 1, end) - max(i, start)
        weights[row] /= scale
    return weights


def _nearest_indices(in_size, out_size, align_corners, half_pixel):
    scale = _scale(in_size, out_size, align_corners)
    where = (np.arange(out_size, dtype=np.float32) + (np.float32(0.5) if half_pixel else np.float32(0))) * scale
    # C's roundf rounds halves away from zero (numpy's round to even); float64 keeps where + 0.5 exact
    index = np.floor(where.astype(np.float64) + 0.5) if align_corners else np.floor(where)
    index = np.minimum(index.astype(np.int64), in_size - 1)
    return np.maximum(index, 0) if half_pixel else index


def _resize_infer(op):
    images = op.inputs[0].shape.with_rank(4)
    op.inputs[1].shape.with_rank(1)
    size = tensor_util.constant_value_as_shape(op.inputs[1]) if op.inputs[1].shape[0].value in (None, 2) \
        else None
    if size is None or size.ndims not in (None, 2):
        raise ValueError(f"Dimension must be 2 but is {op.inputs[1].shape[0].value}")
    dims = images.as_list() if images.ndims is not None else [None] * 4
    height, width = (size.as_list() if size.ndims == 2 else [None, None])
    dtype = op.inputs[0].dtype.base_dtype if op.type == "ResizeNearestNeighbor" else dtypes.float32
    return [(dtype, tensor_shape.TensorShape([dims[0], height, width, dims[3]]))]


def _check(images, size, align_corners, half_pixel):
    if images.ndim != 4:
        raise invalid_argument(f"input must be 4-dimensional{list(images.shape)}")
    if size.shape != (2,):
        raise invalid_argument(f"shape_t must be 1-dimensional with 2 elements {list(size.shape)}")
    if align_corners and half_pixel:
        raise invalid_argument("If half_pixel_centers is True, align_corners must be False.")
    height, width = int(size[0]), int(size[1])
    if height <= 0 or width <= 0:
        raise invalid_argument("output dimensions must be positive")
    return height, width


def _linear_kernel(weights_for):
    def make(op, state):
        align = op.get_attr("align_corners")
        half = op.get_attr("half_pixel_centers") if "half_pixel_centers" in op._attrs else False

        def kernel(images, size):
            height, width = _check(images, size, align, half)
            wy = weights_for(images.shape[1], height, align, half)
            wx = weights_for(images.shape[2], width, align, half)
            out = np.einsum("yh,bhwc,xw->byxc", wy, images.astype(np.float64), wx, optimize=True)
            return out.astype(np.float32)
        return kernel
    return make


def _nearest_kernel(op, state):
    align = op.get_attr("align_corners")
    half = op.get_attr("half_pixel_centers")

    def kernel(images, size):
        height, width = _check(images, size, align, half)
        rows = _nearest_indices(images.shape[1], height, align, half)
        columns = _nearest_indices(images.shape[2], width, align, half)
        return images[:, rows][:, :, columns]
    return kernel


_ATTR_DEFAULTS = {"align_corners": False, "half_pixel_centers": False}
for _name, _weights in [("ResizeBilinear", bilinear_weights), ("ResizeBicubic", bicubic_weights)]:
    register(_name, _resize_infer, _linear_kernel(_weights), input_names=("images", "size"),
             attr_defaults=_ATTR_DEFAULTS)
register("ResizeArea", _resize_infer, _linear_kernel(area_weights), input_names=("images", "size"),
         attr_defaults={"align_corners": False})  # ResizeArea has no half_pixel_centers attr
register("ResizeNearestNeighbor", _resize_infer, _nearest_kernel, input_names=("images", "size"),
         attr_defaults=_ATTR_DEFAULTS)
# ResizeArea has no gradient: tf.gradients raises LookupError for it, as TensorFlow's does.


def _linear_grad_kernel(weights_for):
    """The gradient of a linear resize: the transposed map, ``Wy^T @ grads @ Wx``."""
    def make(op, state):
        align = op.get_attr("align_corners")
        half = op.get_attr("half_pixel_centers")

        def kernel(grads, original):
            wy = weights_for(original.shape[1], grads.shape[1], align, half)
            wx = weights_for(original.shape[2], grads.shape[2], align, half)
            out = np.einsum("yh,byxc,xw->bhwc", wy, grads.astype(np.float64), wx, optimize=True)
            return out.astype(original.dtype)
        return kernel
    return make


def _original_like(op):
    return [(op.inputs[1].dtype.base_dtype, op.inputs[1].shape)]


register("ResizeBilinearGrad", _original_like, _linear_grad_kernel(bilinear_weights),
         input_names=("grads", "original_image"), attr_defaults=_ATTR_DEFAULTS)
register("ResizeBicubicGrad", _original_like, _linear_grad_kernel(bicubic_weights),
         input_names=("grads", "original_image"), attr_defaults=_ATTR_DEFAULTS)


def _nearest_grad_infer(op):
    grads = op.inputs[0].shape.with_rank(4)
    size = tensor_util.constant_value_as_shape(op.inputs[1])
    height, width = size.as_list() if size.ndims == 2 else (None, None)
    dims = grads.as_list() if grads.ndims is not None else [None] * 4
    return [(op.inputs[0].dtype.base_dtype, tensor_shape.TensorShape([dims[0], height, width, dims[3]]))]


def _nearest_grad_kernel(op, state):
    align = op.get_attr("align_corners")
    half = op.get_attr("half_pixel_centers")

    def kernel(grads, size):
        height, width = int(size[0]), int(size[1])
        rows = _nearest_indices(height, grads.shape[1], align, half)
        columns = _nearest_indices(width, grads.shape[2], align, half)
        out = np.zeros((grads.shape[0], height, width, grads.shape[3]), grads.dtype)
        np.add.at(out, (slice(None), rows[:, None], columns[None, :]), grads)
        return out
    return kernel


register("ResizeNearestNeighborGrad", _nearest_grad_infer, _nearest_grad_kernel, input_names=("grads", "size"),
         attr_defaults=_ATTR_DEFAULTS)
for _name in ("ResizeBilinearGrad", "ResizeBicubicGrad", "ResizeNearestNeighborGrad"):
    no_gradient(_name)


def resize(op_type, images, size, align_corners=False, half_pixel_centers=False, name=None):
    """Adds a ``Resize*`` op (TensorFlow's generated wrapper: ``size`` becomes an int32 Const ``<op>/size``)."""
    graph = ops._graph_of([images, size]) or ops.get_default_graph()
    with graph.as_default(), graph.name_scope(name or op_type) as scope:
        images = ops.convert_to_tensor(images, name="images")
        size = ops.convert_to_tensor(size, dtype=dtypes.int32, name="size")
        attrs = {"T": images.dtype.base_dtype, "align_corners": bool(align_corners)}
        if op_type != "ResizeArea":
            attrs["half_pixel_centers"] = bool(half_pixel_centers)
        return graph.create_op(op_type, [images, size], attrs, scope).outputs[0]
