"""Gradients of ``indexing_ops`` (GatherNd, ScatterNd), written like TensorFlow's ``python/ops/array_grad.py``.

TensorFlow returns GatherNd's gradient as IndexedSlices when ``indices`` is [n, 1]; minitf has no IndexedSlices yet
and returns the equal dense ScatterNd."""

from minitf.framework.op_def_lib import RegisterGradient
from minitf.ops import indexing_ops, shape_ops


@RegisterGradient("GatherNd")
def _gather_nd_grad(op, grad):
    ref, indices = op.inputs
    ref_shape = shape_ops.shape(ref, out_type=indices.dtype)
    return [indexing_ops.scatter_nd(indices, grad, ref_shape), None]


@RegisterGradient("ScatterNd")
def _scatter_nd_grad(op, grad):
    indices = op.inputs[0]
    return [None, indexing_ops.gather_nd(grad, indices), None]
