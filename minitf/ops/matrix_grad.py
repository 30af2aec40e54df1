"""Gradients of ``matrix_ops`` and DiagPart, written like TensorFlow's ``python/ops/array_grad.py`` (diagonals,
band part) and ``linalg_grad.py`` (inverse, determinant, solve, triangular solve, Cholesky, einsum)."""

from minitf.framework import dtypes, ops
from minitf.framework.op_def_lib import RegisterGradient, apply_op, apply_op_1
from minitf.ops import array_ops, linalg_ops, math_ops, matrix_ops


@RegisterGradient("Diag")
def _diag_grad(_, grad):
    return matrix_ops.diag_part(grad)


@RegisterGradient("DiagPart")
def _diag_part_grad(_, grad):
    return matrix_ops.diag(grad)


@RegisterGradient("MatrixDiagV3")
def _matrix_diag_v3_grad(op, grad):
    return (matrix_ops.matrix_diag_part(grad, k=op.inputs[1], align=op.get_attr("align")), None, None, None, None)


@RegisterGradient("MatrixDiagPartV3")
def _matrix_diag_part_v3_grad(op, grad):
    matrix_shape = op.inputs[0].shape[-2:]
    align = op.get_attr("align")
    if matrix_shape.is_fully_defined():
        return (matrix_ops.matrix_diag(grad, k=op.inputs[1], num_rows=matrix_shape[0].value,
                                       num_cols=matrix_shape[1].value, align=align), None, None)
    return (matrix_ops.matrix_set_diag(array_ops.zeros_like(op.inputs[0]), grad, k=op.inputs[1], align=align),
            None, None)


@RegisterGradient("MatrixSetDiagV3")
def _matrix_set_diag_v3_grad(op, grad):
    diag_k = op.inputs[2]
    diag_shape = op.inputs[1].shape
    # TensorFlow computes an unknown diagonal shape with tf.cond; minitf's zeros_like has the same value.
    zeros = (array_ops.zeros(diag_shape.as_list(), dtype=grad.dtype) if diag_shape.is_fully_defined()
             else array_ops.zeros_like(op.inputs[1]))
    grad_input = matrix_ops.matrix_set_diag(grad, zeros, k=diag_k, align=op.get_attr("align"))
    grad_diag = matrix_ops.matrix_diag_part(grad, k=diag_k, align=op.get_attr("align"))
    return (grad_input, grad_diag, None)


@RegisterGradient("MatrixBandPart")
def _matrix_band_part_grad(op, grad):
    return (matrix_ops.matrix_band_part(grad, op.inputs[1], op.inputs[2]), None, None)


@RegisterGradient("MatrixInverse")
def _matrix_inverse_grad(op, grad):
    ainv = op.outputs[0]
    op_adjoint = op.get_attr("adjoint")
    return -linalg_ops.matmul(ainv, linalg_ops.matmul(grad, ainv, adjoint_a=op_adjoint, adjoint_b=not op_adjoint),
                              adjoint_a=not op_adjoint)


@RegisterGradient("MatrixDeterminant")
def _matrix_determinant_grad(op, grad):
    a, c = op.inputs[0], op.outputs[0]
    a_adj_inv = matrix_ops.matrix_inverse(a, adjoint=True)
    multipliers = array_ops.reshape(grad * c, array_ops.concat([array_ops.shape(c), [1, 1]], 0))
    return multipliers * a_adj_inv


@RegisterGradient("MatrixSolve")
def _matrix_solve_grad(op, grad):
    a = op.inputs[0]
    adjoint_a = op.get_attr("adjoint")
    c = op.outputs[0]
    grad_b = matrix_ops.matrix_solve(a, grad, adjoint=not adjoint_a)
    if adjoint_a:
        grad_a = -linalg_ops.matmul(c, grad_b, adjoint_b=True)
    else:
        grad_a = -linalg_ops.matmul(grad_b, c, adjoint_b=True)
    return (grad_a, grad_b)


@RegisterGradient("Cholesky")
def _cholesky_grad(op, grad):
    """Gradient for Cholesky: l^{-H} @ ((l^{H} @ grad) * (tril(ones)-1/2*eye)) @ l^{-1}, symmetrized."""
    l = op.outputs[0]  # noqa: E741 -- TensorFlow's name
    num_rows = array_ops.shape(l)[-1]
    batch_shape = array_ops.shape(l)[:-2]
    l_inverse = matrix_ops.matrix_triangular_solve(l, matrix_ops.eye(num_rows, batch_shape=batch_shape,
                                                                     dtype=l.dtype))
    middle = linalg_ops.matmul(l, grad, adjoint_a=True)
    middle = matrix_ops.matrix_set_diag(middle, 0.5 * matrix_ops.matrix_diag_part(middle))
    middle = matrix_ops.matrix_band_part(middle, -1, 0)
    grad_a = linalg_ops.matmul(linalg_ops.matmul(l_inverse, middle, adjoint_a=True), l_inverse)
    grad_a += _adjoint(grad_a)
    return grad_a * 0.5


@RegisterGradient("MatrixTriangularSolve")
def _matrix_triangular_solve_grad(op, grad):
    a, b = op.inputs
    adjoint_a, lower_a = op.get_attr("adjoint"), op.get_attr("lower")
    c = op.outputs[0]
    grad_b = matrix_ops.matrix_triangular_solve(a, grad, lower=lower_a, adjoint=not adjoint_a)
    if adjoint_a:
        grad_a = -linalg_ops.matmul(c, grad_b, adjoint_b=True)
    else:
        grad_a = -linalg_ops.matmul(grad_b, c, adjoint_b=True)
    grad_a = matrix_ops.matrix_band_part(grad_a, -1, 0) if lower_a else matrix_ops.matrix_band_part(grad_a, 0, -1)
    if a.shape.is_fully_defined() and b.shape.is_fully_defined() and a.shape[:-2] == b.shape[:-2]:
        return grad_a, grad_b
    a_shape = array_ops.shape(a)
    b_shape = array_ops.shape(b)  # the batch dims were broadcast: sum the gradients back
    ra, rb = apply_op("BroadcastGradientArgs", [a_shape[:-2], b_shape[:-2]], {"T": a_shape.dtype.base_dtype}).outputs
    grad_a = array_ops.reshape(math_ops.reduce_sum(grad_a, axis=ra), a_shape)
    grad_b = array_ops.reshape(math_ops.reduce_sum(grad_b, axis=rb), b_shape)
    return grad_a, grad_b


def _adjoint(matrix):
    """TensorFlow's ``linalg.adjoint`` of a real matrix: its matrix transpose, in an ``adjoint`` name scope."""
    with ops.name_scope(None, "adjoint", [matrix]):
        return array_ops.matrix_transpose(matrix)


def _einsum_op(inputs, equation):
    """An Einsum op as TensorFlow's gen_linalg_ops.einsum adds it (no ``einsum`` name scope)."""
    return apply_op_1("Einsum", inputs, {"equation": equation, "N": len(inputs), "T": inputs[0].dtype.base_dtype})


def _axis_from_label(subscripts, label):
    """The axis of ``label``'s leftmost occurrence: from the start before an ellipsis, negative after it."""
    splits = subscripts.split("...")
    index = splits[0].find(label)
    if index != -1:
        return index
    if len(splits) < 2:
        return None
    index = splits[1].find(label)
    return index - len(splits[1]) if index != -1 else None


def _bcast_subshape(subscripts):
    """(start, end) of the axes the ellipsis covers, ``x[start:end]``; (0, 0) without one."""
    start = subscripts.find("...")
    if start == -1:
        return 0, 0
    remaining = len(subscripts) - (start + 3)
    return start, -remaining if remaining > 0 else None


def _reduced_subscripts(reduced_label_set, input_shape, subscripts):
    """The reduced labels (sorted: TensorFlow takes a set's order), their dims in ``input_shape`` and their axes
    (the leftmost occurrence of a repeated label)."""
    reduced_subs = "".join(sorted(reduced_label_set))
    reduced_axes = [_axis_from_label(subscripts, s) for s in reduced_subs]
    reduced_dims = array_ops.stack([input_shape[ax] for ax in reduced_axes])
    return reduced_subs, reduced_dims, reduced_axes


def _einsum_grad_reduced(output_grad, output_subs, input_subs, input_shape, reduced_label_set):
    """The gradient of a unary einsum that sums over ``reduced_label_set``: the output gradient broadcast back over
    the reduced axes, then (for repeated labels or a transpose) an einsum back to ``input_subs``."""
    reduced_subs, reduced_dims, reduced_axes = _reduced_subscripts(reduced_label_set, input_shape, input_subs)
    has_repeated_labels = len(set(input_subs)) + len(set(output_subs)) < len(input_subs) + len(output_subs)
    input_subs_without_reduced_labels = "".join(s for s in input_subs if s not in reduced_label_set)
    if not has_repeated_labels and input_subs_without_reduced_labels == output_subs:
        reduced_shape = math_ops.reduced_shape(input_shape, ops.convert_to_tensor(reduced_axes))
        return array_ops.broadcast_to(array_ops.reshape(output_grad, reduced_shape), input_shape)
    grad_shape_with_reduced_labels = array_ops.concat([reduced_dims, array_ops.shape(output_grad)], axis=0)
    reduced_shape = array_ops.concat([array_ops.ones(len(reduced_label_set), dtype=dtypes.int32),
                                      array_ops.shape(output_grad)], axis=0)
    broadcasted_grad = array_ops.broadcast_to(array_ops.reshape(output_grad, reduced_shape),
                                              grad_shape_with_reduced_labels)
    return _einsum_op([broadcasted_grad], f"{reduced_subs + output_subs}->{input_subs}")


def _einsum_grad_wrt(output_grad, other_operand, input_shape, input_subs, other_subs, output_subs):
    """The gradient with respect to one operand of a binary einsum: the einsum of the output gradient with the other
    operand, then the unary reduction gradient for labels of this operand found nowhere else."""
    reduced_label_set = set(input_subs).difference(set(output_subs + other_subs + "."))
    left_subs = "".join(s for s in input_subs if s not in reduced_label_set)
    grad_reduced = _einsum_op([output_grad, other_operand], f"{output_subs},{other_subs}->{left_subs}")
    if not reduced_label_set:
        return grad_reduced
    return _einsum_grad_reduced(grad_reduced, left_subs, input_subs, input_shape, reduced_label_set)


@RegisterGradient("Einsum")
def _einsum_grad(op, grad):
    """TensorFlow's gradient for Einsum: contractions, transposes, traces, reductions, outer products and
    broadcast batch dims (an ellipsis)."""
    equation = op.get_attr("equation")
    equation = equation.decode() if isinstance(equation, bytes) else equation
    input_subs, output_subs = equation.split("->")
    if len(op.inputs) == 1:
        input_shape = array_ops.shape(op.inputs[0])
        reduced_label_set = set(input_subs).difference(set(output_subs + "..."))
        if not reduced_label_set:
            return _einsum_op([grad], f"{output_subs}->{input_subs}")
        return _einsum_grad_reduced(grad, output_subs, input_subs, input_shape, reduced_label_set)
    if len(op.inputs) > 2:
        raise ValueError(f"minitf builds einsum '{equation}' of {len(op.inputs)} operands as one Einsum op, which it "
                         "cannot differentiate (TensorFlow splits it into two-operand Einsums with opt_einsum)")
    x_subs, y_subs = input_subs.split(",")
    if "..." in output_subs:  # the gradient equations need the ellipsis on both operands ("jk,ik->...ij" is invalid)
        x_subs += "" if "..." in x_subs else "..."
        y_subs += "" if "..." in y_subs else "..."
    x, y = op.inputs[0], op.inputs[1]
    x_shape = array_ops.shape(x)
    y_shape = array_ops.shape(y)
    grad_x = _einsum_grad_wrt(grad, y, x_shape, x_subs, y_subs, output_subs)
    grad_y = _einsum_grad_wrt(grad, x, y_shape, y_subs, x_subs, output_subs)
    if "..." not in output_subs:
        return grad_x, grad_y
    bx_start, bx_end = _bcast_subshape(x_subs)
    by_start, by_end = _bcast_subshape(y_subs)
    if (x.shape.is_fully_defined() and y.shape.is_fully_defined()
            and x.shape[bx_start:bx_end] == y.shape[by_start:by_end]):
        return grad_x, grad_y
    rx, ry = apply_op("BroadcastGradientArgs", [x_shape[bx_start:bx_end], y_shape[by_start:by_end]],
                      {"T": x_shape.dtype.base_dtype}).outputs  # sum the broadcast batch dims back
    grad_x = array_ops.reshape(math_ops.reduce_sum(grad_x, bx_start + rx), x_shape)
    grad_y = array_ops.reshape(math_ops.reduce_sum(grad_y, by_start + ry), y_shape)
    return grad_x, grad_y
