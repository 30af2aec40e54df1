"""Gradients of ``matrix_ops`` and DiagPart, written like TensorFlow's ``python/ops/array_grad.py`` (diagonals,
band part) and ``linalg_grad.py`` (inverse, determinant, solve, einsum). Cholesky's gradient is not implemented yet:
``tf.gradients`` raises LookupError through it."""

from minitf.framework.op_def_lib import RegisterGradient
from minitf.ops import array_ops, linalg_impl, linalg_ops, matrix_ops


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


@RegisterGradient("Einsum")
def _einsum_grad(op, grad):
    """TensorFlow's gradient where each operand's labels all appear in the output or the other operand, without
    repeated labels (``ij,jk->ik``, ``bij,bjk->bik``, ``ij->ji``): the einsum of the output gradient with the other
    operand. Other forms raise ValueError."""
    inputs, output = linalg_impl.parse_equation(op.get_attr("equation"))
    if any(len(set(s)) != len(s) for s in inputs + [output]):
        raise ValueError("minitf differentiates einsum only without repeated labels in one operand")
    if len(inputs) == 1:
        if set(inputs[0]) - set(output):
            raise ValueError("minitf differentiates a one-operand einsum only when it keeps every label")
        return linalg_impl.einsum(f"{output}->{inputs[0]}", grad)
    (x_subs, y_subs), (x, y) = inputs, op.inputs
    if set(x_subs) - set(output + y_subs) or set(y_subs) - set(output + x_subs) or len(inputs) != 2:
        raise ValueError("minitf differentiates einsum only when every label of an operand appears in the output or "
                         "the other operand")
    return (linalg_impl.einsum(f"{output},{y_subs}->{x_subs}", grad, y),
            linalg_impl.einsum(f"{output},{x_subs}->{y_subs}", grad, x))
