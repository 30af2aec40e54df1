"""Matrix ops: diagonals (Diag, MatrixDiagV3, MatrixDiagPartV3, MatrixSetDiagV3), MatrixBandPart, and the
solvers (MatrixInverse, MatrixDeterminant, MatrixSolve, Cholesky), with ``tf.eye`` and ``tf.trace`` built from them
as TensorFlow builds them. Gradients are in ``matrix_grad``.

The diagonal ops take one diagonal (a scalar ``k``); TensorFlow's bands of diagonals (``k = (low, high)``) are not
implemented. The solvers factorise in double precision and round to the input's dtype."""

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape, tensor_util
from minitf.framework.op_def_lib import apply_op_1, broadcast_shapes, invalid_argument, pure, register
from minitf.ops import array_ops, math_ops


TensorShape = tensor_shape.TensorShape
convert_to_tensor = ops.convert_to_tensor


def _same_shape(op):
    return [(op.inputs[0].dtype.base_dtype, op.inputs[0].shape)]


def _scalar_k(op, k_tensor):
    k = tensor_util.constant_value(k_tensor)
    if k is None:
        return None
    k = np.asarray(k).reshape(-1)
    if k.size == 2 and k[0] != k[1] or k.size not in (1, 2):
        raise ValueError(f"minitf's {op.type} takes one diagonal (a scalar k), got k = {k.tolist()} for "
                         f"'{op.name}'")
    return int(k[0])


def _kernel_k(k):
    k = np.asarray(k).reshape(-1)
    if k.size == 2 and k[0] != k[1] or k.size not in (1, 2):
        raise invalid_argument(f"minitf takes one diagonal (a scalar k), got k = {k.tolist()}")
    return int(k[0])


def _diagonal_index(rows, cols, k):
    """Row and column indices of diagonal ``k`` of a rows x cols matrix."""
    i = np.arange(max(0, min(rows - max(-k, 0), cols - max(k, 0))))
    return i + max(-k, 0), i + max(k, 0)


# -- Diag ----------------------------------------------------------------------------------------------------------

def _diag_infer(op):
    shape = op.inputs[0].shape
    if shape.ndims is None:
        return [(op.inputs[0].dtype.base_dtype, tensor_shape.unknown_shape())]
    if shape.ndims < 1:
        raise ValueError(f"Shape must be at least rank 1 but is rank 0 for '{op.name}' (op: 'Diag')")
    return [(op.inputs[0].dtype.base_dtype, shape.concatenate(shape))]


def _diag(diagonal):
    size = diagonal.size
    out = np.zeros((size, size), dtype=diagonal.dtype)
    out[np.arange(size), np.arange(size)] = diagonal.reshape(-1)
    return out.reshape(diagonal.shape + diagonal.shape)


register("Diag", _diag_infer, pure(_diag), input_names=("diagonal",))


def _unary(op_type, arg_name):
    def wrapper(x, name=None):
        graph = ops._graph_of([x]) or ops.get_default_graph()
        with graph.as_default(), graph.name_scope(name or op_type) as scope:
            x = convert_to_tensor(x, name=arg_name)
            return apply_op_1(op_type, [x], {"T": x.dtype.base_dtype}, scope)
    return wrapper


def diag(diagonal, name=None):
    """``tf.diag``: the tensor of rank 2k with ``diagonal`` (rank k) on its diagonal."""
    return _unary("Diag", "diagonal")(diagonal, name)


def diag_part(input, name=None):  # noqa: A002
    """``tf.diag_part``: the diagonal of a tensor of rank 2k."""
    return _unary("DiagPart", "input")(input, name)


def _apply_in_scope(op_type, name, args, attrs):
    """Creates ``op_type`` in the name scope ``name`` (a wrapper's default name), converting each
    ``(arg_name, value, dtype)`` of ``args`` there as TensorFlow's generated wrappers do; ``attrs`` maps attr names to
    the index of the argument whose dtype they take, or to a value."""
    values = [value for _, value, _ in args]
    graph = ops._graph_of(values) or ops.get_default_graph()
    with graph.as_default(), graph.name_scope(name) as scope:
        inputs = []
        for arg_name, value, dtype in args:
            dtype = inputs[dtype].dtype.base_dtype if isinstance(dtype, int) else dtype
            inputs.append(convert_to_tensor(value, dtype=dtype, name=arg_name))
        attrs = {key: inputs[v].dtype.base_dtype if isinstance(v, int) and not isinstance(v, bool) else v
                 for key, v in attrs.items()}
        return apply_op_1(op_type, inputs, attrs, scope)


# -- MatrixDiagV3, MatrixDiagPartV3, MatrixSetDiagV3 ----------------------------------------------------------------

def _matrix_diag_infer(op):
    diagonal, k, num_rows, num_cols, _ = op.inputs
    dtype = diagonal.dtype.base_dtype
    k = _scalar_k(op, k)
    rows, cols = (tensor_util.constant_value(t) for t in (num_rows, num_cols))
    if diagonal.shape.ndims is None or k is None or rows is None or cols is None:
        return [(dtype, tensor_shape.unknown_shape())]
    *batch, size = diagonal.shape.as_list()
    rows, cols = _diag_matrix_size(size, k, int(rows), int(cols))
    return [(dtype, TensorShape(batch + [rows, cols]))]


def _diag_matrix_size(size, k, rows, cols):
    """TensorFlow's defaults for -1: a square matrix when both are missing, else the smallest that holds the
    diagonal."""
    if size is None:
        return (rows if rows != -1 else None), (cols if cols != -1 else None)
    if rows == -1 and cols == -1:
        return size + abs(k), size + abs(k)
    return (size + max(-k, 0) if rows == -1 else rows), (size + max(k, 0) if cols == -1 else cols)


def _matrix_diag(diagonal, k, num_rows, num_cols, padding_value):
    k = _kernel_k(k)
    size = diagonal.shape[-1]
    rows, cols = _diag_matrix_size(size, k, int(num_rows), int(num_cols))
    out = np.full(diagonal.shape[:-1] + (rows, cols), padding_value, dtype=diagonal.dtype)
    r, c = _diagonal_index(rows, cols, k)
    if len(r) != size:
        raise invalid_argument(f"The number of diagonal elements {size} does not fit diagonal {k} of a "
                               f"{rows} x {cols} matrix")
    out[..., r, c] = diagonal
    return out


register("MatrixDiagV3", _matrix_diag_infer, pure(_matrix_diag),
         input_names=("diagonal", "k", "num_rows", "num_cols", "padding_value"), attrs=("T", "align"),
         attr_defaults={"align": "RIGHT_LEFT"})


def matrix_diag(diagonal, name="diag", k=0, num_rows=-1, num_cols=-1, padding_value=0, align="RIGHT_LEFT"):
    """``tf.linalg.diag``: batched matrices with ``diagonal`` on their diagonal ``k``."""
    return _apply_in_scope("MatrixDiagV3", name, [("diagonal", diagonal, None), ("k", k, dtypes.int32),
                                                  ("num_rows", num_rows, dtypes.int32),
                                                  ("num_cols", num_cols, dtypes.int32),
                                                  ("padding_value", padding_value, 0)], {"T": 0, "align": align})


def _matrix_diag_part_infer(op):
    x, k, _ = op.inputs
    dtype = x.dtype.base_dtype
    if x.shape.ndims is not None and x.shape.ndims < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {x.shape.ndims} for '{op.name}' "
                         f"(op: '{op.type}')")
    k = _scalar_k(op, k)
    if x.shape.ndims is None or k is None:
        return [(dtype, tensor_shape.unknown_shape())]
    *batch, rows, cols = x.shape.as_list()
    size = None if rows is None or cols is None else len(_diagonal_index(rows, cols, k)[0])
    return [(dtype, TensorShape(batch + [size]))]


def _matrix_diag_part(x, k, padding_value):
    k = _kernel_k(k)
    r, c = _diagonal_index(x.shape[-2], x.shape[-1], k)
    return np.ascontiguousarray(x[..., r, c])


register("MatrixDiagPartV3", _matrix_diag_part_infer, pure(_matrix_diag_part),
         input_names=("input", "k", "padding_value"), attrs=("T", "align"), attr_defaults={"align": "RIGHT_LEFT"})


def matrix_diag_part(input, name="diag_part", k=0, padding_value=0, align="RIGHT_LEFT"):  # noqa: A002
    """``tf.linalg.diag_part``: diagonal ``k`` of each innermost matrix."""
    return _apply_in_scope("MatrixDiagPartV3", name, [("input", input, None), ("k", k, dtypes.int32),
                                                      ("padding_value", padding_value, 0)], {"T": 0, "align": align})


def _matrix_set_diag_infer(op):
    return _same_shape(op)


def _matrix_set_diag(x, diagonal, k):
    k = _kernel_k(k)
    r, c = _diagonal_index(x.shape[-2], x.shape[-1], k)
    if diagonal.shape[-1] != len(r):
        raise invalid_argument(f"diagonal must have {len(r)} elements on its last axis, got {diagonal.shape[-1]}")
    out = x.copy()
    out[..., r, c] = diagonal
    return out


register("MatrixSetDiagV3", _matrix_set_diag_infer, pure(_matrix_set_diag), input_names=("input", "diagonal", "k"),
         attrs=("T", "align"), attr_defaults={"align": "RIGHT_LEFT"})


def matrix_set_diag(input, diagonal, name="set_diag", k=0, align="RIGHT_LEFT"):  # noqa: A002
    """``tf.linalg.set_diag``: ``input`` with its diagonal ``k`` replaced by ``diagonal``."""
    return _apply_in_scope("MatrixSetDiagV3", name, [("input", input, None), ("diagonal", diagonal, 0),
                                                     ("k", k, dtypes.int32)], {"T": 0, "align": align})


# -- MatrixBandPart ------------------------------------------------------------------------------------------------

def _band_part(x, num_lower, num_upper):
    rows, cols = x.shape[-2:]
    lower, upper = int(num_lower), int(num_upper)
    if lower > rows or upper > cols:
        raise invalid_argument(f"num_lower must be negative or less or equal to number of rows ({rows}) got: "
                               f"{lower}" if lower > rows else
                               f"num_upper must be negative or less or equal to number of columns ({cols}) got: "
                               f"{upper}")
    i, j = np.ogrid[:rows, :cols]
    keep = ((lower < 0) | (i - j <= lower)) & ((upper < 0) | (j - i <= upper))
    return np.where(keep, x, np.zeros((), x.dtype))


register("MatrixBandPart", _same_shape, pure(_band_part), input_names=("input", "num_lower", "num_upper"),
         attrs=("T", "Tindex"))


def matrix_band_part(input, num_lower, num_upper, name=None):  # noqa: A002
    """``tf.linalg.band_part``: zeros outside the band of ``num_lower`` sub- and ``num_upper`` superdiagonals
    (negative: keep the whole triangle)."""
    index = num_lower.dtype.base_dtype if isinstance(num_lower, ops.Tensor) else dtypes.int64
    return _apply_in_scope("MatrixBandPart", name or "MatrixBandPart",
                           [("input", input, None), ("num_lower", num_lower, index),
                            ("num_upper", num_upper, index)], {"T": 0, "Tindex": 1})


# -- MatrixInverse, MatrixDeterminant, MatrixSolve, Cholesky --------------------------------------------------------

def _square(op, shape):
    if shape.ndims is not None:
        if shape.ndims < 2:
            raise ValueError(f"Shape must be at least rank 2 but is rank {shape.ndims} for '{op.name}' "
                             f"(op: '{op.type}')")
        rows, cols = shape.as_list()[-2:]
        if rows is not None and cols is not None and rows != cols:
            raise ValueError(f"Dimensions must be equal, but are {rows} and {cols} for '{op.name}' "
                             f"(op: '{op.type}')")
    return shape


def _square_infer(op):
    return [(op.inputs[0].dtype.base_dtype, _square(op, op.inputs[0].shape))]


def _determinant_infer(op):
    shape = _square(op, op.inputs[0].shape)
    return [(op.inputs[0].dtype.base_dtype, shape[:-2] if shape.ndims is not None else shape)]


def _solve_infer(op):
    matrix, rhs = op.inputs
    shape = _square(op, matrix.shape)
    if shape.ndims is None or rhs.shape.ndims is None:
        return [(rhs.dtype.base_dtype, tensor_shape.unknown_shape())]
    return [(rhs.dtype.base_dtype, shape[:-1].merge_with(rhs.shape[:-1]).concatenate(rhs.shape[-1:]))]


def _invertible(matrix, message):
    if matrix.size and not np.all(np.isfinite(np.linalg.cond(matrix.astype(np.float64)))):
        raise invalid_argument(message)


def _inverse_kernel(op):
    adjoint = op.get_attr("adjoint")

    def kernel(x):
        _invertible(x, "Input is not invertible.")
        a = x.astype(np.float64)
        return np.linalg.inv(np.swapaxes(a, -1, -2).conj() if adjoint else a).astype(x.dtype)
    return kernel


def _determinant(x):
    return np.asarray(np.linalg.det(x.astype(np.float64)), dtype=x.dtype)


def _solve_kernel(op):
    adjoint = op.get_attr("adjoint")

    def kernel(matrix, rhs):
        _invertible(matrix, "Input matrix is not invertible.")
        a = matrix.astype(np.float64)
        return np.linalg.solve(np.swapaxes(a, -1, -2).conj() if adjoint else a, rhs.astype(np.float64)) \
            .astype(rhs.dtype)
    return kernel


def _cholesky(x):
    """A matrix that is not positive definite gives NaN in its lower triangle, as TensorFlow's CPU kernel."""
    a = x.astype(np.float64)
    out = np.zeros_like(a)
    for index in np.ndindex(a.shape[:-2]):
        try:
            out[index] = np.linalg.cholesky(a[index])
        except np.linalg.LinAlgError:
            out[index] = np.tril(np.full(a.shape[-2:], np.nan))
    return out.astype(x.dtype)


register("MatrixInverse", _square_infer, lambda op, state: _inverse_kernel(op), input_names=("input",),
         attrs=("adjoint", "T"), attr_defaults={"adjoint": False})
register("MatrixDeterminant", _determinant_infer, pure(_determinant), input_names=("input",))
register("MatrixSolve", _solve_infer, lambda op, state: _solve_kernel(op), input_names=("matrix", "rhs"),
         attrs=("adjoint", "T"), attr_defaults={"adjoint": False})
register("Cholesky", _square_infer, pure(_cholesky), input_names=("input",))


def _triangular_solve_infer(op):
    matrix, rhs = op.inputs
    shape = _square(op, matrix.shape)
    if shape.ndims is None or rhs.shape.ndims is None:
        return [(rhs.dtype.base_dtype, tensor_shape.unknown_shape())]
    batch = broadcast_shapes(shape[:-2], rhs.shape[:-2])
    return [(rhs.dtype.base_dtype, batch.concatenate(shape[-2:-1].merge_with(rhs.shape[-2:-1]))
             .concatenate(rhs.shape[-1:]))]


def _triangular_solve_kernel(op):
    """Substitution with the lower (or upper) triangle only, batch dims broadcast; a zero on the diagonal gives
    inf/NaN, as TensorFlow's kernel (it does not check)."""
    lower, adjoint = op.get_attr("lower"), op.get_attr("adjoint")

    def kernel(matrix, rhs):
        a = np.tril(matrix.astype(np.float64)) if lower else np.triu(matrix.astype(np.float64))
        if adjoint:
            a = np.swapaxes(a, -1, -2).conj()
        batch = np.broadcast_shapes(a.shape[:-2], rhs.shape[:-2])
        a = np.broadcast_to(a, batch + a.shape[-2:])
        b = np.broadcast_to(rhs.astype(np.float64), batch + rhs.shape[-2:])
        x = np.zeros(b.shape)
        n = a.shape[-1]
        order = range(n) if lower != adjoint else range(n - 1, -1, -1)  # forward for a lower triangle
        with np.errstate(all="ignore"):
            for i in order:
                known = np.einsum("...j,...jk->...k", a[..., i, :], x)
                x[..., i, :] = (b[..., i, :] - known) / a[..., i, i, None]
        return x.astype(rhs.dtype)
    return kernel


register("MatrixTriangularSolve", _triangular_solve_infer, lambda op, state: _triangular_solve_kernel(op),
         input_names=("matrix", "rhs"), attrs=("lower", "adjoint", "T"),
         attr_defaults={"lower": True, "adjoint": False})


def matrix_triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    """``tf.linalg.triangular_solve``: ``x`` with ``matrix @ x = rhs`` for a lower (or upper) triangular
    ``matrix``, whose other triangle is ignored."""
    with ops.name_scope(name, "triangular_solve", [matrix, rhs]):
        return _apply_in_scope("MatrixTriangularSolve", "MatrixTriangularSolve",
                               [("matrix", matrix, None), ("rhs", rhs, 0)],
                               {"lower": lower, "adjoint": adjoint, "T": 0})


def matrix_inverse(input, adjoint=False, name=None):  # noqa: A002
    """``tf.linalg.inv``: the inverse of each innermost square matrix (of its adjoint if ``adjoint``)."""
    return _apply_in_scope("MatrixInverse", name or "MatrixInverse", [("input", input, None)],
                           {"adjoint": adjoint, "T": 0})


def matrix_determinant(input, name=None):  # noqa: A002
    """``tf.linalg.det``: the determinant of each innermost square matrix."""
    return _apply_in_scope("MatrixDeterminant", name or "MatrixDeterminant", [("input", input, None)], {"T": 0})


def matrix_solve(matrix, rhs, adjoint=False, name=None):
    """``tf.linalg.solve``: ``x`` with ``matrix @ x = rhs`` (``adjoint(matrix) @ x = rhs`` if ``adjoint``)."""
    return _apply_in_scope("MatrixSolve", name or "MatrixSolve", [("matrix", matrix, None), ("rhs", rhs, 0)],
                           {"adjoint": adjoint, "T": 0})


def cholesky(input, name=None):  # noqa: A002
    """``tf.linalg.cholesky``: the lower-triangular Cholesky factor of each innermost matrix."""
    return _apply_in_scope("Cholesky", name or "Cholesky", [("input", input, None)], {"T": 0})


# -- eye, trace ----------------------------------------------------------------------------------------------------

def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    """``tf.eye``: an identity matrix (or a batch of them), as TensorFlow builds it: ``matrix_diag`` of ones, or
    ``matrix_set_diag`` of zeros for a rectangular one. Sizes are Python integers or int32 tensors."""
    with ops.name_scope(name, "eye", [num_rows, num_columns, batch_shape]):
        is_square = num_columns is None
        batch_shape = [] if batch_shape is None else batch_shape
        num_columns = num_rows if num_columns is None else num_columns
        if isinstance(num_rows, ops.Tensor) or isinstance(num_columns, ops.Tensor):
            diag_size = math_ops.minimum(num_rows, num_columns)  # not known statically
        else:
            if not isinstance(num_rows, (int, np.integer)) or not isinstance(num_columns, (int, np.integer)):
                raise TypeError("Arguments `num_rows` and `num_columns` must be positive integer values. Received: "
                                f"num_rows={num_rows}, num_columns={num_columns}")
            is_square = num_rows == num_columns
            diag_size = min(num_rows, num_columns)
        if isinstance(batch_shape, ops.Tensor) or isinstance(diag_size, ops.Tensor):
            batch_shape = convert_to_tensor(batch_shape, name="shape", dtype=dtypes.int32)
            diag_shape = array_ops.concat((batch_shape, [diag_size]), axis=0)
            if not is_square:
                shape = array_ops.concat((batch_shape, [num_rows, num_columns]), axis=0)
        else:
            batch_shape = list(batch_shape)
            diag_shape = batch_shape + [diag_size]
            if not is_square:
                shape = batch_shape + [num_rows, num_columns]
        diag_ones = array_ops.ones(diag_shape, dtype=dtype)
        if is_square:
            return matrix_diag(diag_ones)
        zero_matrix = array_ops.zeros(shape, dtype=dtype)
        return matrix_set_diag(zero_matrix, diag_ones)


def trace(x, name=None):
    """``tf.trace``: the sum of the diagonal of each innermost matrix."""
    with ops.name_scope(name, "Trace", [x]) as name:
        x = convert_to_tensor(x, name="x")
        return math_ops.reduce_sum(matrix_diag_part(x), [-1], name=name)
