"""The sparse segment reductions that ``tf.nn.embedding_lookup_sparse`` is built from (the sorted and unsorted
segment reductions are in segment_ops.py): SparseSegmentSum / Mean / SqrtN (optionally WithNumSegments), the
rows ``data[indices]`` summed per segment and, for Mean and SqrtN, divided by the segment's size or its square
root. Their gradient ops (``SparseSegment*Grad``: dense; ``SparseSegment*GradV2``: the rows of an IndexedSlices
over the sorted unique indices) are registered here too; the gradient functions are in sparse_segment_grad.py.
"""

import numpy as np

from minitf.framework import ops
from minitf.framework.op_def_lib import apply_op, apply_op_1, invalid_argument, pure, register
from minitf.ops.shape_ops import TensorShape, _static, convert_to_tensor, unknown_shape

_NORMS = {"Sum": None, "Mean": "mean", "SqrtN": "sqrtn"}


def _rows_infer(data, ids_rank, n=None):
    dtype = data.dtype.base_dtype
    if data.shape.ndims is None:
        return [(dtype, unknown_shape())]
    return [(dtype, TensorShape([n] + list(data.shape.as_tuple()[ids_rank:])))]


def _check_sorted(segment_ids, name="segment_ids"):
    if segment_ids.size and segment_ids[0] < 0:
        raise invalid_argument(f"{name}[0] = {int(segment_ids[0])} is out of range")
    bad = np.nonzero(np.diff(segment_ids) < 0)[0]
    if bad.size:
        j = int(bad[0]) + 1
        raise invalid_argument(f"{name} are not increasing: {int(segment_ids[j - 1])} > {int(segment_ids[j])}")


def _scales(segment_ids, n, norm, dtype):
    """Per segment: 1, 1 / size or 1 / sqrt(size) (size at least 1), as the kernels divide."""
    counts = np.maximum(np.bincount(segment_ids, minlength=n)[:n], 1).astype(dtype)
    if norm == "mean":
        return counts
    if norm == "sqrtn":
        return np.sqrt(counts)
    return None


def _sparse_segment_kernel(norm, with_num_segments):
    def kernel(data, indices, segment_ids, num_segments=None):
        if indices.shape != segment_ids.shape or indices.ndim != 1:
            raise invalid_argument("segment_ids and indices should have same size.")
        _check_sorted(segment_ids)
        if indices.size and (indices.min() < 0 or indices.max() >= data.shape[0]):
            bad = int(indices[(indices < 0) | (indices >= data.shape[0])][0])
            raise invalid_argument(f"Bad: indices[{int(np.argmax(indices == bad))}] == {bad} out of range "
                                   f"[0, {data.shape[0]})")
        n = int(num_segments) if with_num_segments else (int(segment_ids[-1]) + 1 if segment_ids.size else 0)
        if segment_ids.size and segment_ids[-1] >= n:
            raise invalid_argument(f"segment ids must be < num_segments")
        out = np.zeros((n,) + data.shape[1:], data.dtype)
        np.add.at(out, segment_ids, data[indices])
        scale = _scales(segment_ids, n, norm, data.dtype)
        if scale is not None:
            out = (out / scale.reshape((-1,) + (1,) * (data.ndim - 1))).astype(data.dtype)
        return out
    return kernel


def _sparse_segment_infer(op):
    n = _static(op.inputs[3]) if len(op.inputs) == 4 else None
    return _rows_infer(op.inputs[0], 1, None if n is None else int(n))


def _grad_kernel(norm, v2):
    """``SparseSegment*Grad(grad, indices, segment_ids, dense_output_dim0)``: each row ``grad[segment_ids[j]]``
    (scaled as the forward op divided) added at ``indices[j]``; V2 returns only the touched rows, sorted."""
    def kernel(grad, indices, segment_ids, dim0):
        rows = grad[segment_ids]
        scale = _scales(segment_ids, grad.shape[0], norm, grad.dtype)
        if scale is not None:
            rows = (rows / scale[segment_ids].reshape((-1,) + (1,) * (grad.ndim - 1))).astype(grad.dtype)
        if not v2:
            out = np.zeros((int(dim0),) + grad.shape[1:], grad.dtype)
            np.add.at(out, indices, rows)
            return out
        unique, position = np.unique(indices, return_inverse=True)
        out = np.zeros((len(unique),) + grad.shape[1:], grad.dtype)
        np.add.at(out, position.reshape(-1), rows)
        return out, unique.astype(indices.dtype)
    return kernel


def _grad_infer(op):
    grad = op.inputs[0]
    rows = _rows_infer(grad, 1, None if op.type.endswith("V2") else _static_int(op.inputs[3]))
    if op.type.endswith("V2"):
        return rows + [(op.inputs[1].dtype.base_dtype, TensorShape([None]))]
    return rows


def _static_int(t):
    value = _static(t)
    return None if value is None else int(value)


_ATTRS = {"sparse_gradient": False}
for _kind, _norm in _NORMS.items():
    register(f"SparseSegment{_kind}", _sparse_segment_infer, pure(_sparse_segment_kernel(_norm, False)),
             input_names=("data", "indices", "segment_ids"), attr_defaults=_ATTRS)
    register(f"SparseSegment{_kind}WithNumSegments", _sparse_segment_infer,
             pure(_sparse_segment_kernel(_norm, True)),
             input_names=("data", "indices", "segment_ids", "num_segments"), attr_defaults=_ATTRS)
    register(f"SparseSegment{_kind}Grad", _grad_infer, pure(_grad_kernel(_norm, False)),
             input_names=("grad", "indices", "segment_ids", "output_dim0"))
    register(f"SparseSegment{_kind}GradV2", _grad_infer, pure(_grad_kernel(_norm, True)),
             input_names=("grad", "indices", "segment_ids", "dense_output_dim0"))


def _sparse_segment(kind, data, indices, segment_ids, name, num_segments, sparse_gradient):
    op_type = f"SparseSegment{kind}" + ("WithNumSegments" if num_segments is not None else "")
    with ops.name_scope(name, op_type, [data, indices, segment_ids]) as scope:
        d = convert_to_tensor(data, name="data")
        i = convert_to_tensor(indices, name="indices")
        s = convert_to_tensor(segment_ids, name="segment_ids")
        inputs = [d, i, s]
        attrs = {"sparse_gradient": bool(sparse_gradient), "T": d.dtype.base_dtype, "Tidx": i.dtype.base_dtype,
                 "Tsegmentids": s.dtype.base_dtype}
        if num_segments is not None:
            n = convert_to_tensor(num_segments, name="num_segments")
            inputs.append(n)
            attrs["Tnumsegments"] = n.dtype.base_dtype
        return apply_op_1(op_type, inputs, attrs, scope)


def sparse_segment_sum(data, indices, segment_ids, name=None, num_segments=None, sparse_gradient=False):
    """``tf.sparse.segment_sum``: ``data[indices]`` summed by sorted ``segment_ids``."""
    return _sparse_segment("Sum", data, indices, segment_ids, name, num_segments, sparse_gradient)


def sparse_segment_mean(data, indices, segment_ids, name=None, num_segments=None, sparse_gradient=False):
    """``tf.sparse.segment_mean``: ``data[indices]`` averaged by sorted ``segment_ids``."""
    return _sparse_segment("Mean", data, indices, segment_ids, name, num_segments, sparse_gradient)


def sparse_segment_sqrt_n(data, indices, segment_ids, name=None, num_segments=None, sparse_gradient=False):
    """``tf.sparse.segment_sqrt_n``: ``data[indices]`` summed by sorted ``segment_ids``, divided by sqrt(size)."""
    return _sparse_segment("SqrtN", data, indices, segment_ids, name, num_segments, sparse_gradient)


def sparse_segment_grad(kind, grad, indices, segment_ids, dim0, v2=False, name=None):
    """The ``SparseSegment<kind>Grad[V2]`` op: dense gradient, or (values, sorted unique indices) for V2."""
    op_type = f"SparseSegment{kind}Grad" + ("V2" if v2 else "")
    attrs = {"T": grad.dtype.base_dtype, "Tidx": indices.dtype.base_dtype,
             "Tsegmentids": segment_ids.dtype.base_dtype}
    op = apply_op(op_type, [grad, indices, segment_ids, dim0], attrs, name)
    return tuple(op.outputs) if v2 else op.outputs[0]
