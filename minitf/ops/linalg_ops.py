"""Linear algebra: MatMul and BatchMatMulV2 (``tf.matmul``), and Qr and DiagPart (used by the orthogonal
initializer). Gradients are in ``math_grad``."""

import numpy as np

from minitf.framework import ops, tensor_shape
from minitf.framework.op_def_lib import (apply_op_1, broadcast_shapes, check_same_dtype, invalid_argument, pure,
                                         pure_with_attrs, register)


TensorShape = tensor_shape.TensorShape
convert_to_tensor = ops.convert_to_tensor


# -- MatMul, BatchMatMulV2 ----------------------------------------------------------------------------------------

def _matmul_infer(op):
    a, b = op.inputs
    dtype = check_same_dtype(op)
    ta, tb = op.get_attr("transpose_a"), op.get_attr("transpose_b")
    sa, sb = a.shape.with_rank(2) if a.shape.ndims is not None else a.shape, b.shape
    if sa.ndims is None or sb.ndims is None:
        return [(dtype, tensor_shape.unknown_shape(2))]
    if sb.ndims != 2:
        raise ValueError(f"Shape must be rank 2 but is rank {sb.ndims}")
    m, k1 = sa.as_tuple()[::-1] if ta else sa.as_tuple()
    k2, n = sb.as_tuple()[::-1] if tb else sb.as_tuple()
    if k1 is not None and k2 is not None and k1 != k2:
        raise ValueError(f"Dimensions must be equal, but are {k1} and {k2}")
    return [(dtype, TensorShape([m, n]))]


def _matmul_kernel(op):
    ta, tb = op.get_attr("transpose_a"), op.get_attr("transpose_b")

    def kernel(a, b):
        return np.matmul(a.T if ta else a, b.T if tb else b)
    return kernel


register("MatMul", _matmul_infer, pure_with_attrs(_matmul_kernel), input_names=("a", "b"),
         attrs=("transpose_a", "transpose_b", "T"), attr_defaults={"transpose_a": False, "transpose_b": False})


def _batch_matmul_infer(op):
    a, b = op.inputs
    dtype = check_same_dtype(op)
    if a.shape.ndims is None or b.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())]
    if a.shape.ndims < 2 or b.shape.ndims < 2:
        raise ValueError("In[0] and In[1] must have rank >= 2")
    adj_x, adj_y = op.get_attr("adj_x"), op.get_attr("adj_y")
    da, db = a.shape.as_tuple(), b.shape.as_tuple()
    m, k1 = (da[-1], da[-2]) if adj_x else (da[-2], da[-1])
    k2, n = (db[-1], db[-2]) if adj_y else (db[-2], db[-1])
    if k1 is not None and k2 is not None and k1 != k2:
        raise ValueError(f"Dimensions must be equal, but are {k1} and {k2}")
    batch = broadcast_shapes(TensorShape(da[:-2]), TensorShape(db[:-2]))
    return [(dtype, batch.concatenate([m, n]))]


def _batch_matmul_kernel(op):
    adj_x, adj_y = op.get_attr("adj_x"), op.get_attr("adj_y")

    def kernel(a, b):
        return np.matmul(np.swapaxes(a, -1, -2) if adj_x else a, np.swapaxes(b, -1, -2) if adj_y else b)
    return kernel


register("BatchMatMulV2", _batch_matmul_infer, pure_with_attrs(_batch_matmul_kernel), input_names=("x", "y"),
         attr_defaults={"adj_x": False, "adj_y": False})


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False, a_is_sparse=False,
           b_is_sparse=False, output_type=None, name=None):
    """``tf.matmul``: MatMul for rank-2 operands, BatchMatMulV2 for higher ranks."""
    with ops.name_scope(name, "MatMul", [a, b]) as scope:
        a = convert_to_tensor(a, name="a")
        b = convert_to_tensor(b, dtype=a.dtype.base_dtype, name="b")
        transpose_a = transpose_a or adjoint_a
        transpose_b = transpose_b or adjoint_b
        if a.shape.ndims == 2 and b.shape.ndims == 2:
            return apply_op_1("MatMul", [a, b], {"transpose_a": transpose_a, "transpose_b": transpose_b,
                                                  "T": a.dtype.base_dtype}, scope)
        return apply_op_1("BatchMatMulV2", [a, b], {"adj_x": transpose_a, "adj_y": transpose_b,
                                                     "T": a.dtype.base_dtype}, scope)


# -- QR decomposition, diagonal part ------------------------------------------------------------------------------


def _qr_infer(op):
    shape = op.inputs[0].shape
    if shape.ndims is None:
        return [(op.inputs[0].dtype, tensor_shape.unknown_shape())] * 2
    if shape.ndims < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {shape.ndims} for '{op.name}' (op: 'Qr')")
    *batch, rows, cols = shape.as_list()
    small = None if rows is None or cols is None else min(rows, cols)
    full = op.get_attr("full_matrices")
    q_cols, r_rows = (rows, rows) if full else (small, small)
    return [(op.inputs[0].dtype, tensor_shape.TensorShape(batch + [rows, q_cols])),
            (op.inputs[0].dtype, tensor_shape.TensorShape(batch + [r_rows, cols]))]


def _qr_kernel(op):
    mode = "complete" if op.get_attr("full_matrices") else "reduced"

    def qr(x):
        q, r = np.linalg.qr(x, mode=mode)
        return q.astype(x.dtype, copy=False), r.astype(x.dtype, copy=False)
    return qr


def _diag_part_infer(op):
    shape = op.inputs[0].shape
    if shape.ndims is None:
        return [(op.inputs[0].dtype, tensor_shape.unknown_shape())]
    if shape.ndims % 2:
        raise ValueError(f"Input must have even rank <= 6, input rank is {shape.ndims} for '{op.name}' "
                         "(op: 'DiagPart')")
    half = shape.ndims // 2
    dims = [a if a is not None else b for a, b in zip(shape.as_list()[:half], shape.as_list()[half:])]
    return [(op.inputs[0].dtype, tensor_shape.TensorShape(dims))]


def _diag_part(x):
    half = x.ndim // 2
    if x.shape[:half] != x.shape[half:]:
        raise invalid_argument(f"Invalid shape {list(x.shape)}: dimensions i and i + rank/2 must be equal")
    size = int(np.prod(x.shape[:half], dtype=np.int64))
    return x.reshape(size, size).diagonal().reshape(x.shape[:half]).copy()


register("Qr", _qr_infer, lambda op, state: _qr_kernel(op), input_names=("input",))
register("DiagPart", _diag_part_infer, pure(_diag_part), input_names=("input",))
