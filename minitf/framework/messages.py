"""How TensorFlow's messages describe an op: where the user's program created it, and its attrs."""

import os
import sys

import numpy as np

from minitf.framework import dtypes

_MINITF_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def user_frame():
    """(filename, lineno, function) of the innermost stack frame outside minitf: where the user built the op."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_MINITF_DIR):
        frame = frame.f_back
    if frame is None:
        return ("<unknown>", 0, "<unknown>")
    return (frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name)


def format_frame(frame):
    filename, lineno, func = frame
    return f'File "{filename}", line {lineno}, in {func}'


def _float_text(value):
    """A float attr as TensorFlow prints it: 6 significant digits, or 9 when 6 do not give the float32 back."""
    single = np.float32(value)
    text = "%.6g" % single
    return text if np.float32(text) == single else "%.9g" % single


def attr_summary(attrs):
    """Attrs as TensorFlow prints them in shape errors: ``T=DT_FLOAT, transpose_a=false``."""
    parts = []
    for key in sorted(attrs):
        value = attrs[key]
        if isinstance(value, dtypes.DType):
            text = "DT_" + {"float32": "FLOAT", "float64": "DOUBLE"}.get(value.name, value.name.upper())
        elif isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, float):
            text = _float_text(value)
        elif isinstance(value, (int, str)):
            text = str(value)
        elif isinstance(value, bytes):
            text = '"' + value.decode(errors="replace") + '"'
        elif isinstance(value, (list, tuple)) and all(type(v) is int for v in value):
            text = "[" + ", ".join(str(v) for v in value) + "]"
        else:
            continue
        parts.append(f"{key}={text}")
    return ", ".join(parts)
