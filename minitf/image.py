"""``tf.image``: image decoding and encoding, resizing, cropping, flips and colour adjustments."""

from minitf.ops.image_ops import (ResizeMethod, adjust_brightness, adjust_contrast, central_crop, convert_image_dtype,
                                  crop_to_bounding_box, decode_gif, decode_image, decode_jpeg, decode_png, encode_jpeg,
                                  encode_png, flip_left_right, flip_up_down, pad_to_bounding_box,
                                  per_image_standardization, random_brightness, random_contrast,
                                  random_flip_left_right, random_flip_up_down, resize_area, resize_bicubic,
                                  resize_bilinear, resize_image_with_crop_or_pad, resize_images,
                                  resize_nearest_neighbor, rgb_to_grayscale)
