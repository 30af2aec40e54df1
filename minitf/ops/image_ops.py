"""``tf.image``: resizing, cropping and padding, flips, dtype conversion, colour adjustments and the seeded random
distortions of TensorFlow's CIFAR-10 tutorial, composed as TensorFlow 2.21's ``tf.compat.v1.image`` composes them.

Where TensorFlow checks a static shape with a Python ``ValueError``, so does minitf; the differences are listed in
tests/golden/image_programs.py (``GRAPH_DIFFERS``): ``random_flip_*`` selects with a Select instead of ``tf.cond``,
and ``random_crop`` has no Assert op. Codecs live in image_codecs.py, resize kernels in image_resize.py.
"""

import numpy as np

from minitf.framework import dtypes, ops, tensor_util
from minitf.framework.op_def_lib import no_gradient, register
from minitf.framework.op_registry import RegisterGradient
from minitf.ops import array_ops, control_flow_ops, image_grad, image_resize, math_ops, random_ops  # noqa: F401
from minitf.ops.image_codecs import (decode_gif, decode_image, decode_jpeg, decode_png, encode_jpeg,  # noqa: F401
                                     encode_png)


class ResizeMethod:
    """``tf.image.ResizeMethod`` (TensorFlow 1's numbering)."""
    BILINEAR = 0
    NEAREST_NEIGHBOR = 1
    BICUBIC = 2
    AREA = 3


_RESIZE_OPS = {ResizeMethod.BILINEAR: "ResizeBilinear", ResizeMethod.NEAREST_NEIGHBOR: "ResizeNearestNeighbor",
               ResizeMethod.BICUBIC: "ResizeBicubic", ResizeMethod.AREA: "ResizeArea"}


def resize_bilinear(images, size, align_corners=False, name=None, half_pixel_centers=False):
    return image_resize.resize("ResizeBilinear", images, size, align_corners, half_pixel_centers, name)


def resize_nearest_neighbor(images, size, align_corners=False, name=None, half_pixel_centers=False):
    return image_resize.resize("ResizeNearestNeighbor", images, size, align_corners, half_pixel_centers, name)


def resize_bicubic(images, size, align_corners=False, name=None, half_pixel_centers=False):
    return image_resize.resize("ResizeBicubic", images, size, align_corners, half_pixel_centers, name)


def resize_area(images, size, align_corners=False, name=None):
    return image_resize.resize("ResizeArea", images, size, align_corners, False, name)


def resize_images(images, size, method=ResizeMethod.BILINEAR, align_corners=False, preserve_aspect_ratio=False,
                  name=None):
    """``tf.image.resize_images`` (TensorFlow 1's: legacy coordinates, no half-pixel centers; an image already of
    the requested size is returned as it is)."""
    if preserve_aspect_ratio:
        raise ValueError("minitf's resize_images does not implement preserve_aspect_ratio")
    with ops.name_scope(name, "resize", [images, size]):
        images = ops.convert_to_tensor(images, name="images")
        if images.shape.ndims is None:
            raise ValueError("'images' contains no shape.")
        is_batch = images.shape.ndims == 4
        if images.shape.ndims == 3:
            images = array_ops.expand_dims(images, 0)
        elif images.shape.ndims != 4:
            raise ValueError("'images' must have either 3 or 4 dimensions.")
        _, height, width, _ = images.shape.as_list()
        try:
            size = ops.convert_to_tensor(size, dtypes.int32, name="size")
        except (TypeError, ValueError):
            raise ValueError("'size' must be a 1-D int32 Tensor") from None
        if not size.shape.is_compatible_with([2]):
            raise ValueError("'size' must be a 1-D Tensor of 2 elements: new_height, new_width")
        new_height, new_width = _static_size(size)
        if (height, width) == (new_height, new_width) and None not in (height, width):
            return images if is_batch else array_ops.squeeze(images, axis=[0])
        images = image_resize.resize(_RESIZE_OPS[method], images, size, align_corners)
        images.set_shape([None, new_height, new_width, None])
        return images if is_batch else array_ops.squeeze(images, axis=[0])


def _static_size(size):
    from minitf.framework import tensor_util
    dims = tensor_util.constant_value_as_shape(size)
    return tuple(dims.as_list()) if dims.ndims == 2 else (None, None)


# -- shapes: crop, pad, flip ---------------------------------------------------------------------------------------

def _assert_at_least_3d(image):
    """TensorFlow's ``_AssertAtLeast3DImage``: static checks, then an Identity (``control_dependency``)."""
    shape = image.shape
    if shape.ndims is not None:
        if shape.ndims < 3:
            raise ValueError(f"'image' (shape {shape}) must be at least three-dimensional.")
        if any(d == 0 for d in shape.as_list()[-3:]):
            raise ValueError(f"inner 3 dims of 'image.shape' must be > 0: {shape}")
    return control_flow_ops.with_dependencies([], image)


def _flip(image, axis, scope_name):
    with ops.name_scope(None, scope_name, [image]):
        image = _assert_at_least_3d(ops.convert_to_tensor(image, name="image"))
        rank = image.shape.ndims
        if rank not in (3, 4):
            raise ValueError(f"'image' (shape {image.shape}) must have either 3 or 4 dimensions.")
        return reverse(image, [axis + (rank - 3)])


def flip_left_right(image):
    return _flip(image, 1, "flip_left_right")


def flip_up_down(image):
    return _flip(image, 0, "flip_up_down")


def _random_flip(image, axis, seed, scope_name):
    with ops.name_scope(None, scope_name, [image]):
        image = _assert_at_least_3d(ops.convert_to_tensor(image, name="image"))
        if image.shape.ndims != 3:
            raise ValueError("minitf's random flips take one [height, width, channels] image")
        draw = random_ops.random_uniform([], 0, 1.0, seed=seed)
        mirror = math_ops.less(draw, 0.5)
        return array_ops.where(mirror, reverse(image, [axis]), image)


def random_flip_left_right(image, seed=None):
    return _random_flip(image, 1, seed, "random_flip_left_right")


def random_flip_up_down(image, seed=None):
    return _random_flip(image, 0, seed, "random_flip_up_down")


def _image_dimensions(image):
    return image.shape.as_list()


def _batched(image):
    image = ops.convert_to_tensor(image, name="image")
    if image.shape.ndims == 3:
        return array_ops.expand_dims(image, 0), False
    if image.shape.ndims != 4:
        raise ValueError(f"'image' (shape {image.shape}) must have either 3 or 4 dimensions.")
    return image, True


def _check(condition, message):
    if not condition:
        raise ValueError(message)


def crop_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    with ops.name_scope(None, "crop_to_bounding_box", [image]):
        image, is_batch = _batched(image)
        return _crop(image, is_batch, offset_height, offset_width, target_height, target_width)


def _crop(image, is_batch, offset_height, offset_width, target_height, target_width):
    _assert_at_least_3d_static(image)
    batch, height, width, depth = _image_dimensions(image)
    _check(offset_width >= 0, "offset_width must be >= 0.")
    _check(offset_height >= 0, "offset_height must be >= 0.")
    _check(target_width > 0, "target_width must be > 0.")
    _check(target_height > 0, "target_height must be > 0.")
    _check(width >= target_width + offset_width, "width must be >= target + offset.")
    _check(height >= target_height + offset_height, "height must be >= target + offset.")
    image = control_flow_ops.with_dependencies([], image)
    begin = array_ops.stack([0, offset_height, offset_width, 0])
    size = array_ops.stack([array_ops.shape(image)[0], target_height, target_width, array_ops.shape(image)[3]])
    cropped = array_ops.slice(image, begin, size)
    cropped.set_shape([batch, target_height, target_width, depth])
    return cropped if is_batch else array_ops.squeeze(cropped, axis=[0])


def _assert_at_least_3d_static(image):
    if image.shape.ndims is not None and any(d == 0 for d in image.shape.as_list()[-3:]):
        raise ValueError(f"inner 3 dims of 'image.shape' must be > 0: {image.shape}")


def pad_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    with ops.name_scope(None, "pad_to_bounding_box", [image]):
        image, is_batch = _batched(image)
        return _pad(image, is_batch, offset_height, offset_width, target_height, target_width)


def _pad(image, is_batch, offset_height, offset_width, target_height, target_width):
    batch, height, width, depth = _image_dimensions(image)
    after_width = target_width - offset_width - width
    after_height = target_height - offset_height - height
    _check(offset_height >= 0, "offset_height must be >= 0")
    _check(offset_width >= 0, "offset_width must be >= 0")
    _check(after_width >= 0, "width must be <= target - offset")
    _check(after_height >= 0, "height must be <= target - offset")
    image = control_flow_ops.with_dependencies([], image)
    paddings = array_ops.reshape(array_ops.stack([0, 0, offset_height, after_height, offset_width, after_width,
                                                  0, 0]), [4, 2])
    padded = array_ops.pad(image, paddings)
    padded.set_shape([batch, target_height, target_width, depth])
    return padded if is_batch else array_ops.squeeze(padded, axis=[0])


def resize_image_with_crop_or_pad(image, target_height, target_width):
    """Crops (centrally) or pads (with zeros, centrally) each image to ``target_height`` x ``target_width``."""
    with ops.name_scope(None, "resize_image_with_crop_or_pad", [image]):
        image, is_batch = _batched(image)
        _assert_at_least_3d_static(image)
        _check(target_width > 0, "target_width must be > 0.")
        _check(target_height > 0, "target_height must be > 0.")
        image = control_flow_ops.with_dependencies([], image)
        _, height, width, _ = _image_dimensions(image)
        width_diff, height_diff = target_width - width, target_height - height
        with ops.name_scope(None, "crop_to_bounding_box", [image]):
            cropped = _crop(image, True, max(-height_diff // 2, 0), max(-width_diff // 2, 0),
                            min(target_height, height), min(target_width, width))
        with ops.name_scope(None, "pad_to_bounding_box", [cropped]):
            resized = _pad(cropped, True, max(height_diff // 2, 0), max(width_diff // 2, 0), target_height,
                           target_width)
        resized = control_flow_ops.with_dependencies([], resized)
        return resized if is_batch else array_ops.squeeze(resized, axis=[0])


def central_crop(image, central_fraction):
    """The central ``central_fraction`` of each image (of a static shape)."""
    with ops.name_scope(None, "central_crop", [image]):
        image = ops.convert_to_tensor(image, name="image")
        if central_fraction <= 0.0 or central_fraction > 1.0:
            raise ValueError("central_fraction must be within (0, 1]")
        if central_fraction == 1.0:
            return image
        _assert_at_least_3d(image)
        rank = image.shape.ndims
        if rank not in (3, 4):
            raise ValueError(f"`image` should either be a Tensor with rank = 3 or rank = 4. Had rank = {rank}.")
        dims = image.shape.as_list()[-3:]
        height, width, depth = dims
        top = int((float(height) - float(height) * central_fraction) / 2)
        left = int((float(width) - float(width) * central_fraction) / 2)
        size_h, size_w = height - top * 2, width - left * 2
        if rank == 3:
            begin, size = array_ops.stack([top, left, 0]), array_ops.stack([size_h, size_w, -1])
        else:
            begin, size = array_ops.stack([0, top, left, 0]), array_ops.stack([-1, size_h, size_w, -1])
        image = array_ops.slice(image, begin, size)
        image.set_shape(([image.shape[0].value] if rank == 4 else []) + [size_h, size_w, depth])
        return image


def random_crop(value, size, seed=None, name=None):
    """``tf.random_crop``: a ``size`` slice of ``value`` at an offset drawn uniformly (TensorFlow's draw: int32
    uniform over [0, 2^31 - 1) modulo the number of offsets)."""
    with ops.name_scope(name, "random_crop", [value, size]) as scope:
        value = ops.convert_to_tensor(value, name="value")
        size = ops.convert_to_tensor(size, dtype=dtypes.int32, name="size")
        shape = array_ops.shape(value)
        limit = shape - size + 1
        offset = random_ops.random_uniform(array_ops.shape(shape), dtype=size.dtype, maxval=size.dtype.max,
                                           seed=seed) % limit
        cropped = array_ops.slice(value, offset, size, name=scope)
        static = tensor_util.constant_value(size)
        if static is not None:
            cropped.set_shape(static.tolist())
        return cropped


# -- dtype and colour ----------------------------------------------------------------------------------------------

def _clip_kernel(x, low, high):
    return np.clip(x, low, high).astype(x.dtype)


register("ClipByValue", lambda op: [(op.inputs[0].dtype.base_dtype, op.inputs[0].shape)],
         lambda op, state: _clip_kernel, input_names=("t", "clip_value_min", "clip_value_max"))
no_gradient("ClipByValue")


def _limits(dtype):
    info = np.finfo if dtype.is_floating else np.iinfo
    limits = info(dtype.as_numpy_dtype)
    return limits.min, limits.max


def _saturate_cast(value, dtype, name):
    """TensorFlow 2.21's ``saturate_cast``: clamp to the range both dtypes hold (``ClipByValue``), then cast."""
    with ops.name_scope(name, "saturate_cast", [value]) as scope:
        (in_low, in_high), (out_low, out_high) = _limits(value.dtype), _limits(dtype)
        low, high = max(in_low, out_low), min(in_high, out_high)
        if low > in_low or high < in_high:
            graph = value.graph
            low = ops.convert_to_tensor(np.array(low, value.dtype.as_numpy_dtype))
            high = ops.convert_to_tensor(np.array(high, value.dtype.as_numpy_dtype))
            with graph.name_scope("clamp") as clamp:
                value = graph.create_op("ClipByValue", [value, low, high], {"T": value.dtype.base_dtype},
                                        clamp).outputs[0]
        return math_ops.cast(value, dtype, name=scope)


def convert_image_dtype(image, dtype, saturate=False, name=None):
    """Converts ``image`` to ``dtype``, scaling integers to their full range and floats to [0, 1)."""
    image = ops.convert_to_tensor(image, name="image")
    dtype = dtypes.as_dtype(dtype)
    if image.dtype == dtype:
        return array_ops.identity(image, name=name)
    with ops.name_scope(name, "convert_image", [image]) as scope:
        source = image.dtype
        if source.is_integer and dtype.is_integer:
            if source.max > dtype.max:
                scaled = math_ops.floordiv(image, (source.max + 1) // (dtype.max + 1))
                return _saturate_cast(scaled, dtype, scope) if saturate else math_ops.cast(scaled, dtype, name=scope)
            cast = _saturate_cast(image, dtype, None) if saturate else math_ops.cast(image, dtype)
            return math_ops.multiply(cast, (dtype.max + 1) // (source.max + 1), name=scope)
        if source.is_floating and dtype.is_floating:
            return math_ops.cast(image, dtype, name=scope)
        if source.is_integer:
            return math_ops.multiply(math_ops.cast(image, dtype), 1.0 / source.max, name=scope)
        scaled = math_ops.multiply(image, dtype.max + 0.5)
        return _saturate_cast(scaled, dtype, scope) if saturate else math_ops.cast(scaled, dtype, name=scope)


def adjust_brightness(image, delta):
    with ops.name_scope(None, "adjust_brightness", [image, delta]) as scope:
        image = ops.convert_to_tensor(image, name="image")
        original = image.dtype
        floats = image if original in (dtypes.float16, dtypes.float32) else convert_image_dtype(image, dtypes.float32)
        adjusted = math_ops.add(floats, math_ops.cast(delta, floats.dtype), name=scope)
        return convert_image_dtype(adjusted, original, saturate=True)


def _adjust_contrast_kernel(images, factor):
    mean = images.astype(np.float64).mean(axis=(-3, -2), keepdims=True).astype(np.float32)
    return ((images - mean) * np.float32(factor) + mean).astype(np.float32)


def _adjust_contrast_infer(op):
    op.inputs[0].shape.with_rank_at_least(3)
    op.inputs[1].shape.with_rank(0)
    return [(op.inputs[0].dtype.base_dtype, op.inputs[0].shape)]


register("AdjustContrastv2", _adjust_contrast_infer, lambda op, state: _adjust_contrast_kernel,
         input_names=("images", "contrast_factor"))
no_gradient("AdjustContrastv2")


def adjust_contrast(images, contrast_factor):
    """Each channel of each image moved away from (factor > 1) or towards its mean."""
    with ops.name_scope(None, "adjust_contrast", [images, contrast_factor]) as scope:
        images = ops.convert_to_tensor(images, name="images")
        original = images.dtype
        floats = images if original in (dtypes.float16, dtypes.float32) else convert_image_dtype(images,
                                                                                                 dtypes.float32)
        graph = floats.graph
        with graph.name_scope(scope):  # TensorFlow's op wrapper, given the scope as the op's name
            factor = ops.convert_to_tensor(contrast_factor, dtype=dtypes.float32, name="contrast_factor")
        adjusted = graph.create_op("AdjustContrastv2", [floats, factor], {"T": floats.dtype.base_dtype},
                                   scope).outputs[0]
        return convert_image_dtype(adjusted, original, saturate=True)


def random_brightness(image, max_delta, seed=None):
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    return adjust_brightness(image, random_ops.random_uniform([], -max_delta, max_delta, seed=seed))


def random_contrast(image, lower, upper, seed=None):
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")
    return adjust_contrast(image, random_ops.random_uniform([], lower, upper, seed=seed))


def per_image_standardization(image):
    """``(image - mean) / max(stddev, 1 / sqrt(num_pixels))`` over each image's height, width and channels."""
    with ops.name_scope(None, "per_image_standardization", [image]) as scope:
        image = _assert_at_least_3d(ops.convert_to_tensor(image, name="image"))
        image = math_ops.cast(image, dtype=dtypes.float32)
        num_pixels = math_ops.reduce_prod(array_ops.shape(image)[-3:])
        mean = math_ops.reduce_mean(image, axis=[-1, -2, -3], keepdims=True)
        with ops.name_scope("reduce_std"):
            with ops.name_scope("reduce_variance"):
                means = math_ops.reduce_mean(image, axis=[-1, -2, -3], keepdims=True)
                variance = math_ops.reduce_mean(math_ops.square(image - means), axis=[-1, -2, -3], keepdims=True)
            stddev = math_ops.sqrt(variance)
        min_stddev = math_ops.rsqrt(math_ops.cast(num_pixels, dtypes.float32))
        adjusted = math_ops.maximum(stddev, min_stddev)
        image -= mean
        return math_ops.divide(image, adjusted, name=scope)


def rgb_to_grayscale(images, name=None):
    """ITU-R 601 luma (0.2989, 0.5870, 0.1140) of RGB images, with a last dimension of 1."""
    with ops.name_scope(name, "rgb_to_grayscale", [images]) as scope:
        images = ops.convert_to_tensor(images, name="images")
        original = images.dtype
        floats = convert_image_dtype(images, dtypes.float32)
        with ops.name_scope(None, "Tensordot") as tensordot:  # TensorFlow's tensordot of static shapes
            weights = ops.convert_to_tensor([0.2989, 0.5870, 0.1140], name="b")
            dims = floats.shape.as_list()
            flat = array_ops.reshape(floats, [int(np.prod(dims[:-1])), dims[-1]])
            column = array_ops.reshape(weights, [3, 1])
            product = math_ops.matmul(flat, column)
            grey = array_ops.reshape(product, dims[:-1], name=tensordot)
        grey = array_ops.expand_dims(grey, -1)
        return convert_image_dtype(grey, original, name=scope)


# -- reverse -------------------------------------------------------------------------------------------------------

def _reverse_infer(op):
    return [(op.inputs[0].dtype.base_dtype, op.inputs[0].shape)]


def _reverse_kernel(tensor, axis):
    return np.flip(tensor, axis=tuple(int(a) for a in np.asarray(axis).reshape(-1))) if np.size(axis) else tensor


register("ReverseV2", _reverse_infer, lambda op, state: _reverse_kernel, input_names=("tensor", "axis"))


@RegisterGradient("ReverseV2")
def _reverse_grad(op, grad):
    return reverse(grad, op.inputs[1]), None


def reverse(tensor, axis, name=None):
    """``tf.reverse``: ``tensor`` with the dimensions in ``axis`` reversed (``ReverseV2``)."""
    graph = ops._graph_of([tensor, axis]) or ops.get_default_graph()
    with graph.as_default(), graph.name_scope(name or "ReverseV2") as scope:
        tensor = ops.convert_to_tensor(tensor, name="tensor")
        axis = ops.convert_to_tensor(axis, dtype=dtypes.int32, name="axis")
        attrs = {"T": tensor.dtype.base_dtype, "Tidx": axis.dtype.base_dtype}
        return graph.create_op("ReverseV2", [tensor, axis], attrs, scope).outputs[0]

