"""Gradients of the sparse segment reductions (sparse_segment_ops.py), as TensorFlow's math_grad: a reduction
made with ``sparse_gradient=True`` returns an IndexedSlices over the sorted unique indices
(``SparseSegment*GradV2``), otherwise the dense ``SparseSegment*Grad``."""

from minitf.framework.indexed_slices import IndexedSlices
from minitf.framework.op_def_lib import RegisterGradient
from minitf.ops import array_ops
from minitf.ops.sparse_segment_ops import _NORMS, sparse_segment_grad


def _sparse_segment_reduce_grad(kind):
    def grad_fn(op, grad):
        indices, segment_ids = op.inputs[1], op.inputs[2]
        extra = (None,) * (len(op.inputs) - 1)
        if op.get_attr("sparse_gradient"):
            data_shape = array_ops.shape(op.inputs[0])
            values, unique_indices = sparse_segment_grad(kind, grad, indices, segment_ids, data_shape[0], v2=True)
            return (IndexedSlices(values, unique_indices, data_shape),) + extra
        dim0 = array_ops.shape(op.inputs[0])[0]
        return (sparse_segment_grad(kind, grad, indices, segment_ids, dim0),) + extra
    return grad_fn


for _kind in _NORMS:
    RegisterGradient(f"SparseSegment{_kind}")(_sparse_segment_reduce_grad(_kind))
    RegisterGradient(f"SparseSegment{_kind}WithNumSegments")(_sparse_segment_reduce_grad(_kind))
