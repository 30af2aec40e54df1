"""Gradients of ``scatter_nd_ops``' functional TensorScatterUpdate/Add/Sub, written like TensorFlow's
``python/ops/array_grad.py``: the updates' gradient gathers the output gradient at the indices; the tensor's
gradient is the output gradient, zeroed where TensorScatterUpdate overwrote it."""

from minitf.framework.op_def_lib import RegisterGradient
from minitf.ops import array_ops, indexing_ops, scatter_nd_ops


@RegisterGradient("TensorScatterUpdate")
def _tensor_scatter_update_grad(op, grad):
    indices = op.inputs[1]
    updates_grad = indexing_ops.gather_nd(grad, indices)
    tensor_grad = scatter_nd_ops.tensor_scatter_update(array_ops.identity(grad), indices,
                                                       array_ops.zeros_like(op.inputs[2], dtype=grad.dtype))
    return [tensor_grad, None, updates_grad]


@RegisterGradient("TensorScatterAdd")
def _tensor_scatter_add_grad(op, grad):
    indices = op.inputs[1]
    updates_grad = indexing_ops.gather_nd(grad, indices)
    tensor_grad = array_ops.identity(grad)
    return [tensor_grad, None, updates_grad]


@RegisterGradient("TensorScatterSub")
def _tensor_scatter_sub_grad(op, grad):
    indices = op.inputs[1]
    updates_grad = indexing_ops.gather_nd(grad, indices)
    tensor_grad = array_ops.identity(grad)
    return [tensor_grad, None, -updates_grad]
