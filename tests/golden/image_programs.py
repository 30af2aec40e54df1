"""The programs of tests/golden/make_image_ops.py (TensorFlow) and tests/test_image_ops.py (minitf): tf.image's
decoders and encoders, resizing (with gradients), cropping and padding, flips, colour adjustments and the seeded
random distortions of the CIFAR-10 tutorial's ``distorted_inputs``.

Every case takes the library as ``tf`` and returns fetches (or fetches and a feed dict); tests/golden/program_cases.py
records what the library does with it. ``GRAPH_DIFFERS`` names the cases whose graphs minitf builds otherwise
(values, shapes and errors are still compared), with the reason.
"""
import zlib

import numpy as np


def image(shape=(5, 7, 3), dtype=np.uint8, seed=0):
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind == "f":
        return rng.uniform(0, 1, size=shape).astype(dtype)
    return rng.integers(0, np.iinfo(dtype).max, size=shape, endpoint=True).astype(dtype)


def _png_bytes(array, bit_depth=8):
    """A PNG written without any library (zlib + hand-made chunks): grey, grey+alpha, RGB or RGBA."""
    import struct
    h, w, c = array.shape
    colour = {1: 0, 2: 4, 3: 2, 4: 6}[c]
    dtype = ">u2" if bit_depth == 16 else "u1"
    rows = b"".join(b"\x00" + array[y].astype(dtype).tobytes() for y in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", w, h, bit_depth, colour, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _gif_bytes():
    """A two-frame GIF (Pillow writes it for both libraries; each frame a full opaque palette image)."""
    from PIL import Image
    import io
    frames = [Image.fromarray(image((4, 5, 3), seed=s)).quantize(8, dither=0) for s in (6, 7)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], disposal=1)
    return out.getvalue()


# A JPEG written by TensorFlow's encode_jpeg (libjpeg-turbo), stored in the goldens; see make_image_ops.py.
JPEG_SOURCE = image((16, 24, 3), seed=5)


def _resize(tf, method, size, align_corners=False, shape=(2, 5, 7, 3), dtype=np.float32):
    images = tf.constant(image(shape, dtype, seed=1))
    out = tf.image.resize_images(images, size, method=method, align_corners=align_corners)
    return {"out": out}


def _resize_grad(tf, op, align_corners=False, half_pixel_centers=False):
    images = tf.constant(image((1, 4, 5, 2), np.float32, seed=2))
    out = op(images, [7, 3], align_corners=align_corners, half_pixel_centers=half_pixel_centers)
    weights = tf.constant(image((1, 7, 3, 2), np.float32, seed=3))
    return {"out": out, "grad": tf.gradients(tf.reduce_sum(out * weights), images)[0]}


def _seeded(tf, build, graph_seed=7):
    tf.set_random_seed(graph_seed)
    return build()


CASES = {
    # -- PNG, JPEG -----------------------------------------------------------------------------------------------
    "encode_png_rgb": lambda tf: {"png": tf.image.encode_png(tf.constant(image((6, 5, 3))))},
    "encode_png_grey_and_rgba": lambda tf: {"grey": tf.image.encode_png(tf.constant(image((4, 9, 1), seed=2))),
                                            "rgba": tf.image.encode_png(tf.constant(image((3, 3, 4), seed=3)),
                                                                        compression=9, name="rgba")},
    "decode_png": lambda tf: {
        "rgb": tf.image.decode_png(tf.constant(_png_bytes(image((3, 4, 3))))),
        "grey_as_rgb": tf.image.decode_png(tf.constant(_png_bytes(image((3, 4, 1)))), channels=3),
        "rgba_as_grey": tf.image.decode_png(tf.constant(_png_bytes(image((2, 2, 4)))), channels=1),
        "rgb_as_rgba": tf.image.decode_png(tf.constant(_png_bytes(image((2, 3, 3)))), channels=4),
        "sixteen_bit": tf.image.decode_png(tf.constant(_png_bytes(image((2, 3, 1), np.uint16), 16)),
                                           dtype=tf.uint16),
        "sixteen_as_eight": tf.image.decode_png(tf.constant(_png_bytes(image((2, 3, 1), np.uint16), 16)))},
    "png_round_trip_placeholder": lambda tf: (lambda p: (
        {"back": tf.image.decode_png(tf.image.encode_png(p), channels=3)}, {p: image((8, 8, 3), seed=9)}))(
        tf.placeholder(tf.uint8, [None, None, 3])),
    "decode_png_not_png": lambda tf: {"x": tf.image.decode_png(tf.constant(b"not a png at all"))},
    "decode_jpeg_fast_dct": lambda tf: (lambda data: {
        "rgb": tf.image.decode_jpeg(data), "grey": tf.image.decode_jpeg(data, channels=1),
        "image": tf.image.decode_image(data, channels=3)})(
        tf.image.encode_jpeg(tf.constant(JPEG_SOURCE))),
    "decode_jpeg": lambda tf: (lambda data: {
        "rgb": tf.image.decode_jpeg(data, dct_method="INTEGER_ACCURATE"),
        "grey": tf.image.decode_jpeg(data, channels=1, dct_method="INTEGER_ACCURATE")})(
        tf.image.encode_jpeg(tf.constant(JPEG_SOURCE))),
    "encode_jpeg": lambda tf: {
        "default": tf.image.encode_jpeg(tf.constant(JPEG_SOURCE)),
        "q50": tf.image.encode_jpeg(tf.constant(JPEG_SOURCE), quality=50),
        "grey": tf.image.encode_jpeg(tf.constant(JPEG_SOURCE[:, :, :1]), format="grayscale"),
        "444": tf.image.encode_jpeg(tf.constant(JPEG_SOURCE), chroma_downsampling=False),
        "cm": tf.image.encode_jpeg(tf.constant(JPEG_SOURCE), density_unit="cm", x_density=10, y_density=20)},
    "decode_gif": lambda tf: (lambda data: {"gif": tf.image.decode_gif(data),
                                            "image": tf.image.decode_image(data)})(tf.constant(_gif_bytes())),
    "decode_image_png": lambda tf: {"img": tf.image.decode_image(tf.constant(_png_bytes(image((3, 4, 3)))))},
    "decode_jpeg_not_jpeg": lambda tf: {"x": tf.image.decode_jpeg(tf.constant(b"\xff\xd8 broken"))},

    # -- resizing ------------------------------------------------------------------------------------------------
    "resize_bilinear_up": lambda tf: _resize(tf, 0, [9, 11]),
    "resize_bilinear_down_align": lambda tf: _resize(tf, 0, [3, 4], align_corners=True),
    "resize_nearest": lambda tf: _resize(tf, 1, [8, 4]),
    "resize_nearest_align": lambda tf: _resize(tf, 1, [8, 4], align_corners=True),
    "resize_bicubic": lambda tf: _resize(tf, 2, [9, 4]),
    "resize_area": lambda tf: _resize(tf, 3, [3, 4]),
    "resize_uint8_single_image": lambda tf: _resize(tf, 0, [4, 9], shape=(5, 7, 3), dtype=np.uint8),
    "resize_nearest_uint8": lambda tf: _resize(tf, 1, [4, 9], shape=(5, 7, 3), dtype=np.uint8),
    "resize_same_size": lambda tf: _resize(tf, 0, [5, 7]),
    "resize_ops_half_pixel": lambda tf: (lambda x: {
        "bilinear": tf.image.resize_bilinear(x, [7, 3], half_pixel_centers=True),
        "nearest": tf.image.resize_nearest_neighbor(x, [7, 3], half_pixel_centers=True),
        "bicubic": tf.image.resize_bicubic(x, [7, 3], half_pixel_centers=True)})(
        tf.constant(image((1, 4, 5, 2), np.float32, seed=2))),
    "resize_bilinear_grad": lambda tf: _resize_grad(tf, tf.image.resize_bilinear),
    "resize_bilinear_grad_align": lambda tf: _resize_grad(tf, tf.image.resize_bilinear, align_corners=True),
    "resize_bilinear_grad_half_pixel": lambda tf: _resize_grad(tf, tf.image.resize_bilinear,
                                                               half_pixel_centers=True),
    "resize_bicubic_grad": lambda tf: _resize_grad(tf, tf.image.resize_bicubic),
    "resize_bicubic_grad_half_pixel": lambda tf: _resize_grad(tf, tf.image.resize_bicubic, half_pixel_centers=True),
    "resize_nearest_grad": lambda tf: _resize_grad(tf, tf.image.resize_nearest_neighbor),
    "resize_nearest_grad_align": lambda tf: _resize_grad(tf, tf.image.resize_nearest_neighbor, align_corners=True),
    "resize_nearest_grad_half_pixel": lambda tf: _resize_grad(tf, tf.image.resize_nearest_neighbor,
                                                              half_pixel_centers=True),
    "resize_area_has_no_gradient": lambda tf: (lambda x: {"g": tf.gradients(tf.image.resize_area(x, [2, 2]), x)[0]})(
        tf.zeros([1, 4, 4, 1])),
    "resize_bad_size": lambda tf: _resize(tf, 0, [3]),
    "resize_bad_rank": lambda tf: {"x": tf.image.resize_images(tf.constant(image((5, 7), np.float32)), [2, 2])},

    # -- crops, pads, flips --------------------------------------------------------------------------------------
    "flips": lambda tf: (lambda x, b: {
        "lr": tf.image.flip_left_right(x), "ud": tf.image.flip_up_down(x), "lr_batch": tf.image.flip_left_right(b),
        "ud_batch": tf.image.flip_up_down(b)})(tf.constant(image()), tf.constant(image((2, 3, 4, 1)))),
    "crop_to_bounding_box": lambda tf: {"crop": tf.image.crop_to_bounding_box(tf.constant(image()), 1, 2, 3, 4)},
    "pad_to_bounding_box": lambda tf: {"pad": tf.image.pad_to_bounding_box(tf.constant(image()), 1, 2, 8, 10)},
    "resize_image_with_crop_or_pad": lambda tf: {
        "crop": tf.image.resize_image_with_crop_or_pad(tf.constant(image((8, 9, 3))), 4, 5),
        "pad": tf.image.resize_image_with_crop_or_pad(tf.constant(image((3, 4, 3))), 6, 7),
        "mixed": tf.image.resize_image_with_crop_or_pad(tf.constant(image((2, 3, 6, 1))), 5, 3)},
    "central_crop": lambda tf: {"crop": tf.image.central_crop(tf.constant(image((9, 10, 3))), 0.5),
                                "all": tf.image.central_crop(tf.constant(image((4, 4, 1))), 1.0)},
    "crop_too_big": lambda tf: {"crop": tf.image.crop_to_bounding_box(tf.constant(image()), 3, 0, 3, 4)},

    # -- colour --------------------------------------------------------------------------------------------------
    "convert_image_dtype": lambda tf: {
        "u8_to_f": tf.image.convert_image_dtype(tf.constant(image()), tf.float32),
        "f_to_u8": tf.image.convert_image_dtype(tf.constant(image(dtype=np.float32)), tf.uint8),
        "f_to_u8_saturate": tf.image.convert_image_dtype(tf.constant([[[1.5, -0.2, 0.5]]]), tf.uint8,
                                                         saturate=True),
        "u8_to_u16": tf.image.convert_image_dtype(tf.constant(image()), tf.uint16),
        "u16_to_u8": tf.image.convert_image_dtype(tf.constant(image(dtype=np.uint16)), tf.uint8),
        "same": tf.image.convert_image_dtype(tf.constant(image()), tf.uint8)},
    "rgb_to_grayscale": lambda tf: {"u8": tf.image.rgb_to_grayscale(tf.constant(image())),
                                    "f": tf.image.rgb_to_grayscale(tf.constant(image(dtype=np.float32)))},
    "adjust_brightness_contrast": lambda tf: (lambda u, f: {
        "bright_u8": tf.image.adjust_brightness(u, 0.2), "bright_f": tf.image.adjust_brightness(f, -0.1),
        "contrast_u8": tf.image.adjust_contrast(u, 1.7), "contrast_f": tf.image.adjust_contrast(f, 0.4)})(
        tf.constant(image()), tf.constant(image(dtype=np.float32))),
    "per_image_standardization": lambda tf: {
        "u8": tf.image.per_image_standardization(tf.constant(image())),
        "f": tf.image.per_image_standardization(tf.constant(image((2, 3, 4, 2), np.float32))),
        "flat": tf.image.per_image_standardization(tf.constant(np.full((2, 2, 1), 3.0, np.float32)))},

    # -- seeded random distortions (the CIFAR-10 tutorial's distorted_inputs) ------------------------------------
    "random_crop": lambda tf: _seeded(tf, lambda: {
        "a": tf.random_crop(tf.constant(image((8, 9, 3))), [5, 6, 3]),
        "b": tf.random_crop(tf.constant(image((8, 9, 3))), [5, 6, 3], seed=3)}),
    "random_flips": lambda tf: _seeded(tf, lambda: {
        "lr%d" % i: tf.image.random_flip_left_right(tf.constant(image()), seed=i) for i in range(4)} | {
        "ud%d" % i: tf.image.random_flip_up_down(tf.constant(image()), seed=i) for i in range(4)}),
    "random_brightness_contrast": lambda tf: _seeded(tf, lambda: {
        "bright": tf.image.random_brightness(tf.constant(image(dtype=np.float32)), max_delta=63),
        "contrast": tf.image.random_contrast(tf.constant(image(dtype=np.float32)), lower=0.2, upper=1.8),
        "bright_seeded": tf.image.random_brightness(tf.constant(image()), 0.3, seed=11)}),
    "distorted_inputs": lambda tf: _seeded(tf, lambda: (lambda reshaped: {"float_image": (lambda d: (
        tf.image.per_image_standardization(tf.image.random_contrast(tf.image.random_brightness(
            d, max_delta=63), lower=0.2, upper=1.8))))(
        tf.image.random_flip_left_right(tf.random_crop(reshaped, [24, 24, 3])))})(
        tf.cast(tf.constant(image((32, 32, 3), seed=4)), tf.float32)), graph_seed=1),
    "random_contrast_bad_bounds": lambda tf: {"x": tf.image.random_contrast(tf.constant(image()), 0.8, 0.5)},
}

# Cases whose graph minitf builds otherwise -> why (their values, shapes and errors still match).
GRAPH_DIFFERS = {
    "random_flips": "TensorFlow picks the flipped or the original image with tf.cond (Switch/Merge); minitf, which "
                    "has no tf.cond on this branch, with a Select on the same random draw",
    "distorted_inputs": "random_flip_left_right's tf.cond and random_crop's Assert (see random_flips)",
    "random_crop": "TensorFlow checks value.shape >= size with an Assert op; minitf checks in the crop kernel",
    "crop_to_bounding_box": "TensorFlow's runtime Asserts on a static shape are replaced by graph-time checks",
    "pad_to_bounding_box": "see crop_to_bounding_box",
    "resize_image_with_crop_or_pad": "see crop_to_bounding_box",
    "crop_too_big": "see crop_to_bounding_box",
}
