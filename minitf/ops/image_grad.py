"""Gradients of the image ops, as TensorFlow's image_grad.py."""

from minitf.framework.op_registry import RegisterGradient


@RegisterGradient("ResizeBilinear")
def _ResizeBilinearGrad(op, grad):  # noqa: N802 -- TensorFlow's name
    graph = op.graph
    with graph.name_scope("ResizeBilinearGrad") as scope:
        attrs = {"T": op.inputs[0].dtype.base_dtype, "align_corners": op.get_attr("align_corners"),
                 "half_pixel_centers": op.get_attr("half_pixel_centers")}
        grad0 = graph.create_op("ResizeBilinearGrad", [grad, op.inputs[0]], attrs, scope).outputs[0]
    return [grad0, None]
