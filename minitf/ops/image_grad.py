"""Gradients of the image ops, as TensorFlow's image_grad.py."""

from minitf.framework import dtypes, ops
from minitf.framework.op_registry import RegisterGradient


@RegisterGradient("ResizeBilinear")
def _ResizeBilinearGrad(op, grad):  # noqa: N802 -- TensorFlow's name
    return [_grad_op("ResizeBilinearGrad", op, [grad, op.inputs[0]]), None]


@RegisterGradient("ResizeBicubic")
def _ResizeBicubicGrad(op, grad):  # noqa: N802 -- TensorFlow's name
    if op.inputs[0].dtype.base_dtype not in (dtypes.float32, dtypes.float64):
        return [None, None]
    return [_grad_op("ResizeBicubicGrad", op, [grad, op.inputs[0]]), None]


@RegisterGradient("ResizeNearestNeighbor")
def _ResizeNearestNeighborGrad(op, grad):  # noqa: N802 -- TensorFlow's name
    image = op.inputs[0]
    dims = image.shape.as_list()[1:3] if image.shape.ndims is not None else [None, None]
    if None in dims:
        from minitf.ops import array_ops
        size = array_ops.shape(image)[1:3]
    else:
        size = dims
    return [_grad_op("ResizeNearestNeighborGrad", op, [grad, size]), None]


def _grad_op(op_type, op, inputs):
    """A ``*Grad`` op with the forward op's attrs, named as TensorFlow's generated wrapper names it."""
    graph = op.graph
    with graph.name_scope(op_type) as scope:
        if not isinstance(inputs[1], ops.Tensor):
            inputs[1] = ops.convert_to_tensor(inputs[1], dtype=dtypes.int32, name="size")
        attrs = {"T": inputs[0].dtype.base_dtype, "align_corners": op.get_attr("align_corners"),
                 "half_pixel_centers": op.get_attr("half_pixel_centers")}
        return graph.create_op(op_type, inputs, attrs, scope).outputs[0]
