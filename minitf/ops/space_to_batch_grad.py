"""Gradients of ``space_to_batch_ops``, as TensorFlow's array_grad.py: each op's gradient is the other op with the
same block shape and paddings (crops)."""

from minitf.framework.op_def_lib import RegisterGradient


@RegisterGradient("SpaceToBatchND")
def _SpaceToBatchNDGrad(op, grad):  # noqa: N802 -- TensorFlow's name
    from minitf.ops.space_to_batch_ops import batch_to_space_nd
    return [batch_to_space_nd(grad, op.inputs[1], op.inputs[2]), None, None]


@RegisterGradient("BatchToSpaceND")
def _BatchToSpaceNDGrad(op, grad):  # noqa: N802 -- TensorFlow's name
    from minitf.ops.space_to_batch_ops import space_to_batch_nd
    return [space_to_batch_nd(grad, op.inputs[1], op.inputs[2]), None, None]
