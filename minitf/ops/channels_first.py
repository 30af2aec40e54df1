"""NCHW ("channels first") convolutions and pooling, run by the NHWC kernels.

TensorFlow's CPU kernels take ``data_format="NCHW"`` for Conv2D, its two gradients, MaxPool, AvgPool and their
gradients (programs written for GPUs use it). minitf's kernels work on NHWC arrays; an op in NCHW is run by its NHWC
kernel through this adapter: its image inputs are transposed to NHWC, its size inputs (a 4-vector of an image
shape) permuted, its ``strides``/``ksize``/``dilations`` attrs read in NHWC order, and an image output transposed
back. The values are the NHWC kernel's, so the same sums in the same order.
"""

import numpy as np

from minitf.framework.tensor_shape import TensorShape

_NHWC_ORDER = (0, 2, 3, 1)  # the NCHW axes in NHWC order
_NCHW_ORDER = (0, 3, 1, 2)
_PER_AXIS_ATTRS = ("strides", "ksize", "dilations")


def is_nchw(op):
    return op.get_attr("data_format") in (b"NCHW", "NCHW") if "data_format" in op._attrs else False


class _AsNHWC:
    """An NCHW op as its NHWC kernel and shape function read it: per-axis attrs in NHWC order, data_format NHWC,
    and the inputs given (with their shapes in NHWC order)."""

    def __init__(self, op, inputs=None):
        self._op, self._attrs, self.inputs = op, op._attrs, inputs

    def get_attr(self, name):
        value = self._op.get_attr(name)
        if name in _PER_AXIS_ATTRS:
            return [value[i] for i in _NHWC_ORDER]
        return b"NHWC" if name == "data_format" else value


class _ShapeAsNHWC:
    """An NCHW image input as an NHWC shape function sees it: its dtype, and its shape in NHWC order."""

    def __init__(self, tensor):
        self.dtype, self.op = tensor.dtype, tensor.op
        shape = tensor.shape
        self.shape = TensorShape([shape[i] for i in _NHWC_ORDER]) if shape.ndims == 4 else shape


def kernel(make, images=(0,), sizes=(), image_output=True):
    """The kernel factory ``make`` (``make(op, state) -> fn``), extended to NCHW ops: the inputs at ``images`` are
    transposed to NHWC, those at ``sizes`` permuted, and the output transposed back if ``image_output``."""
    def make_kernel(op, state):
        if not is_nchw(op):
            return make(op, state)
        nhwc_kernel = make(_AsNHWC(op), state)

        def nchw(*inputs):
            inputs = [np.transpose(v, _NHWC_ORDER) if i in images
                      else np.asarray(v)[list(_NHWC_ORDER)] if i in sizes else v for i, v in enumerate(inputs)]
            out = nhwc_kernel(*inputs)
            return np.ascontiguousarray(np.transpose(out, _NCHW_ORDER)) if image_output else out
        return nchw
    return make_kernel


def shape_function(infer, images=(0,)):
    """The shape function ``infer`` extended to NCHW ops whose image output's shape it computes from the images at
    ``images`` (the output shape comes back in NCHW order)."""
    def nchw_infer(op):
        if not is_nchw(op):
            return infer(op)
        inputs = [_ShapeAsNHWC(t) if i in images else t for i, t in enumerate(op.inputs)]
        (dtype, shape), = infer(_AsNHWC(op, inputs))
        return [(dtype, TensorShape([shape[i] for i in _NCHW_ORDER]) if shape.ndims == 4 else shape)]
    return nchw_infer
