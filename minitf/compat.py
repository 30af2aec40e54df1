"""``tf.compat``: ``tf.compat.v1`` (minitf itself) and TensorFlow's string and number helpers.

``import tensorflow.compat.v1 as tf`` (under ``minitf run``) and ``tf.compat.v1.Session`` both reach minitf: minitf
is TensorFlow 1.x's API, which TensorFlow 2 keeps as ``tf.compat.v1``. There is no ``tf.compat.v2``.
"""

import codecs
import numbers

import numpy as np

import minitf as v1
from minitf._missing import missing_names as _missing_names
from minitf.framework.tensor_shape import Dimension

bytes_or_text_types = (bytes, str)
integral_types = (numbers.Integral, np.integer)
real_types = (numbers.Real, np.integer, np.floating)
complex_types = (numbers.Complex, np.number)


def as_bytes(bytes_or_text, encoding="utf-8"):
    """``bytes_or_text`` as bytes, encoding text with ``encoding``."""
    encoding = codecs.lookup(encoding).name
    if isinstance(bytes_or_text, bytearray):
        return bytes(bytes_or_text)
    if isinstance(bytes_or_text, str):
        return bytes_or_text.encode(encoding)
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


def as_text(bytes_or_text, encoding="utf-8"):
    """``bytes_or_text`` as str, decoding bytes with ``encoding``."""
    encoding = codecs.lookup(encoding).name
    if isinstance(bytes_or_text, str):
        return bytes_or_text
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text.decode(encoding)
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


as_str = as_text


def as_str_any(value, encoding="utf-8"):
    """``value`` as str: bytes are decoded, anything else goes through ``str()``."""
    if isinstance(value, bytes):
        return as_str(value, encoding=encoding)
    return str(value)


def path_to_str(path):
    """A path-like object (``pathlib.Path``) as str; anything else unchanged."""
    if hasattr(path, "__fspath__"):
        path = as_str_any(path.__fspath__())
    return path


def dimension_value(dimension):
    """The int (or None) behind a ``Dimension``; other values unchanged."""
    if isinstance(dimension, Dimension):
        return dimension.value
    return dimension


def dimension_at_index(shape, index):
    """``shape[index]`` as a ``Dimension`` (unknown if the rank is unknown)."""
    from minitf.framework.tensor_shape import as_shape
    shape = as_shape(shape)
    if shape.dims is None:
        return Dimension(None)
    return shape.dims[index]


__getattr__ = _missing_names("tf.compat")
