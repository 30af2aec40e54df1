"""Image codecs: ``DecodePng``, ``EncodePng``, ``DecodeJpeg``, ``EncodeJpeg`` and ``DecodeImage``.

PNG bytes are written by minitf/io/summary_encoders.py (libpng's filters and zlib settings, so they equal
TensorFlow's); PNG and JPEG are read, and JPEG written, with Pillow (libjpeg-turbo, as TensorFlow's codec), imported
on first use.
"""

import io
import struct

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape
from minitf.framework.op_def_lib import invalid_argument, no_gradient, register

_UNKNOWN_FORMAT = "Unknown image file format. One of JPEG, JPEG XL, PNG, GIF, BMP, WebP required."


def _pillow():
    from PIL import Image
    return Image


def _format_of(data):
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:2] == b"BM":
        return "bmp"
    return None


def _convert_channels(pixels, channels):
    """``pixels`` ``[h, w, c]`` with ``channels`` channels (0 keeps them), as libpng's conversions: grey is
    repeated, alpha dropped or made opaque, colour to grey with libpng's fixed-point ITU-R 601 weights."""
    have = pixels.shape[2]
    if channels in (0, have):
        return pixels
    colour = pixels[:, :, :3] if have >= 3 else np.repeat(pixels[:, :, :1], 3, axis=2)
    alpha = pixels[:, :, -1:] if have in (2, 4) else np.full_like(pixels[:, :, :1], np.iinfo(pixels.dtype).max)
    if channels == 1 or channels == 2:
        if have >= 3:  # libpng's png_do_rgb_to_gray: 15-bit fixed-point weights, truncated
            grey = (colour.astype(np.int64) @ np.array([9798, 19235, 3735])) >> 15
            grey = grey.astype(pixels.dtype)[:, :, None]
        else:
            grey = pixels[:, :, :1]
        return grey if channels == 1 else np.concatenate([grey, alpha], axis=2)
    return colour if channels == 3 else np.concatenate([colour, alpha], axis=2)


def _decode_pixels(data, channels, dtype):
    kind = _format_of(data)
    if kind is None:
        raise invalid_argument(_UNKNOWN_FORMAT)
    Image = _pillow()
    try:
        picture = Image.open(io.BytesIO(data))
        if kind == "jpeg" and channels == 1:
            picture.draft("L", picture.size)  # libjpeg's own grey output (the Y channel), as TensorFlow asks it
        picture.load()
    except Exception as e:  # noqa: BLE001 -- Pillow's many error classes
        raise invalid_argument(f"Invalid {kind.upper()} data or crop window, data size {len(data)}: {e}") from None
    sixteen = picture.mode in ("I;16", "I;16B", "I") or (picture.mode.startswith("I") and kind == "png")
    if sixteen:
        pixels = np.asarray(picture, dtype=np.uint16)[:, :, None]
    elif picture.mode in ("L", "LA", "RGB", "RGBA"):
        pixels = np.asarray(picture)
    else:
        pixels = np.asarray(picture.convert("RGBA" if "A" in picture.mode or "transparency" in picture.info
                                            else "RGB"))
    if pixels.ndim == 2:
        pixels = pixels[:, :, None]
    if dtype == dtypes.uint16 and pixels.dtype == np.uint8:
        pixels = pixels.astype(np.uint16) * 257
    elif dtype == dtypes.uint8 and pixels.dtype == np.uint16:
        pixels = (pixels >> 8).astype(np.uint8)  # libpng's png_set_strip_16 keeps the high byte
    return _convert_channels(pixels, channels)


def _decode_infer(op):
    op.inputs[0].shape.with_rank(0)
    channels = op.get_attr("channels")
    dtype = op.get_attr("dtype") if "dtype" in op._attrs else dtypes.uint8  # DecodeJpeg has no dtype attr
    return [(dtype, tensor_shape.TensorShape([None, None, channels or None]))]


def _decode_kernel(op, state):
    channels = op.get_attr("channels")
    dtype = op.get_attr("dtype") if "dtype" in op._attrs else dtypes.uint8

    def kernel(contents):
        return _decode_pixels(bytes(contents.reshape(()).item()), channels, dtype)
    return kernel


register("DecodePng", _decode_infer, _decode_kernel, input_names=("contents",))
register("DecodeJpeg", _decode_infer, _decode_kernel, input_names=("contents",))
no_gradient("DecodePng")
no_gradient("DecodeJpeg")


def _gif_frames(data):
    """The frames of a GIF as ``[frames, height, width, 3]`` uint8, each drawn over the previous one."""
    if _format_of(data) != "gif":
        raise invalid_argument(_UNKNOWN_FORMAT)
    from PIL import ImageSequence
    picture = _pillow().open(io.BytesIO(data))
    return np.stack([np.asarray(frame.convert("RGB")) for frame in ImageSequence.Iterator(picture)])


def _decode_gif_kernel(op, state):
    return lambda contents: _gif_frames(bytes(contents.reshape(()).item()))


register("DecodeGif", lambda op: [(dtypes.uint8, tensor_shape.TensorShape([None, None, None, 3]))],
         _decode_gif_kernel, input_names=("contents",))
no_gradient("DecodeGif")


def _decode_image_infer(op):
    op.inputs[0].shape.with_rank(0)
    return [(op.get_attr("dtype"), tensor_shape.unknown_shape())]


def _decode_image_kernel(op, state):
    channels = op.get_attr("channels")
    dtype = op.get_attr("dtype")

    def kernel(contents):
        data = bytes(contents.reshape(()).item())
        if _format_of(data) == "gif":
            frames = _gif_frames(data)
            pixels = frames if op.get_attr("expand_animations") else frames[0]
            return _convert_channels(pixels, channels) if pixels.ndim == 3 else pixels
        pixels = _decode_pixels(data, channels, dtypes.uint16 if dtype == dtypes.uint16 else dtypes.uint8)
        if dtype == dtypes.float32:
            return (pixels.astype(np.float32) / np.float32(np.iinfo(pixels.dtype).max)).astype(np.float32)
        return pixels
    return kernel


register("DecodeImage", _decode_image_infer, _decode_image_kernel, input_names=("contents",))
no_gradient("DecodeImage")


def _text(value):
    """A string attr: ``str`` as built here, ``bytes`` when imported from a GraphDef."""
    return value.decode() if isinstance(value, bytes) else value


def _encode_infer(op):
    op.inputs[0].shape.with_rank(3)
    return [(dtypes.string, tensor_shape.scalar())]


def _png_kernel(op, state):
    from minitf.io import summary_encoders  # imported when a plan first encodes PNG
    compression = op.get_attr("compression")

    def kernel(image):
        if image.shape[2] not in (1, 2, 3, 4):
            raise invalid_argument(f"image must have 1, 2, 3, or 4 channels, got {image.shape[2]}")
        return np.array(summary_encoders.png(np.ascontiguousarray(image), 6 if compression == -1 else compression),
                        dtype=object)
    return kernel


def _jpeg_kernel(op, state):
    quality = op.get_attr("quality")
    image_format = _text(op.get_attr("format"))
    subsampling = 2 if op.get_attr("chroma_downsampling") else 0
    progressive = op.get_attr("progressive")
    density = (op.get_attr("x_density"), op.get_attr("y_density"))
    unit = {"in": 1, "cm": 2}[_text(op.get_attr("density_unit"))]

    def kernel(image):
        channels = image.shape[2]
        if channels not in (1, 3):
            raise invalid_argument(f"image must have 1 or 3 channels, got {list(image.shape)}")
        mode = {"grayscale": "L", "rgb": "RGB"}.get(image_format, "L" if channels == 1 else "RGB")
        picture = _pillow().fromarray(np.ascontiguousarray(image[:, :, 0] if channels == 1 else image),
                                      "L" if channels == 1 else "RGB").convert(mode)
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=quality, subsampling=subsampling if mode == "RGB" else 0,
                     progressive=progressive)
        data = out.getvalue()
        assert data[6:11] == b"JFIF\0"  # the APP0 segment leads: set its density as TensorFlow's encoder does
        return np.array(data[:13] + struct.pack(">BHH", unit, *density) + data[18:], dtype=object)
    return kernel


register("EncodePng", _encode_infer, _png_kernel, input_names=("image",))
register("EncodeJpeg", _encode_infer, _jpeg_kernel, input_names=("image",))
no_gradient("EncodePng")
no_gradient("EncodeJpeg")


def _apply(op_type, value, dtype, attrs, name, scope_name=None):
    graph = ops._graph_of([value]) or ops.get_default_graph()
    with graph.as_default(), graph.name_scope(name or scope_name or op_type) as scope:
        value = ops.convert_to_tensor(value, dtype=dtype, name="contents" if dtype == dtypes.string else "image")
        return graph.create_op(op_type, [value], attrs, scope).outputs[0]


def decode_png(contents, channels=0, dtype=dtypes.uint8, name=None):
    """``tf.image.decode_png``: ``[height, width, channels]`` uint8 or uint16 pixels."""
    return _apply("DecodePng", contents, dtypes.string, {"channels": channels, "dtype": dtypes.as_dtype(dtype)}, name)


def decode_jpeg(contents, channels=0, ratio=1, fancy_upscaling=True, try_recover_truncated=False,
                acceptable_fraction=1, dct_method="", name=None):
    """``tf.image.decode_jpeg``: ``[height, width, channels]`` uint8 pixels (``ratio`` must be 1)."""
    if ratio != 1:
        raise ValueError("minitf decodes JPEG at full size only (ratio=1)")
    attrs = {"channels": channels, "ratio": ratio, "fancy_upscaling": fancy_upscaling,
             "try_recover_truncated": try_recover_truncated, "acceptable_fraction": float(acceptable_fraction),
             "dct_method": dct_method}
    return _apply("DecodeJpeg", contents, dtypes.string, attrs, name)


def decode_image(contents, channels=None, dtype=dtypes.uint8, name=None, expand_animations=True):
    """``tf.image.decode_image``: PNG, JPEG, GIF or BMP pixels (``DecodeImage`` under ``decode_image``)."""
    with ops.name_scope(name, "decode_image"):
        attrs = {"channels": channels or 0, "dtype": dtypes.as_dtype(dtype),
                 "expand_animations": bool(expand_animations)}
        return _apply("DecodeImage", contents, dtypes.string, attrs, None)


def decode_gif(contents, name=None):
    """``tf.image.decode_gif``: ``[frames, height, width, 3]`` uint8 pixels of every frame."""
    return _apply("DecodeGif", contents, dtypes.string, {}, name)


def encode_png(image, compression=-1, name=None):
    """``tf.image.encode_png``: PNG bytes of a ``[height, width, channels]`` uint8 image."""
    value = ops.convert_to_tensor(image, name="image") if not isinstance(image, ops.Tensor) else image
    return _apply("EncodePng", value, None, {"compression": compression, "T": value.dtype.base_dtype}, name)


def encode_jpeg(image, format="", quality=95, progressive=False, optimize_size=False,  # noqa: A002 -- TF's name
                chroma_downsampling=True, density_unit="in", x_density=300, y_density=300, xmp_metadata="",
                name=None):
    """``tf.image.encode_jpeg``: JPEG bytes of a ``[height, width, 1 or 3]`` uint8 image."""
    attrs = {"format": format, "quality": quality, "progressive": progressive, "optimize_size": optimize_size,
             "chroma_downsampling": chroma_downsampling, "density_unit": density_unit, "x_density": x_density,
             "y_density": y_density, "xmp_metadata": xmp_metadata}
    return _apply("EncodeJpeg", image, dtypes.uint8, attrs, name)
