"""Gradients of the element-wise, reduction and linear-algebra ops (``cwise_ops``, ``math_ops``, ``linalg_ops``)
and of Select, named like TensorFlow's ``python/ops/math_grad.py``."""

import builtins

import numpy as np

from minitf.framework import dtypes, ops, tensor_util
from minitf.framework.op_def_lib import RegisterGradient, apply_op, apply_op_1
from minitf.ops import array_ops, constant_op, math_ops


def _shapes_fully_defined_and_equal(x, y, grad):
    sx, sy, sg = x._shape_tuple(), y._shape_tuple(), grad._shape_tuple()
    return (sx == sy and sx == sg and sx is not None and None not in sx)


def _infer_reduction_axes(x_shape, y_shape):
    if x_shape.ndims is None or y_shape.ndims is None:
        return None, None
    xs, ys = x_shape.as_list(), y_shape.as_list()
    rank = builtins.max(len(xs), len(ys))
    x_axes, y_axes = [], []
    for axis in range(rank):
        xd = 1 if axis < rank - len(xs) else xs[axis - (rank - len(xs))]
        yd = 1 if axis < rank - len(ys) else ys[axis - (rank - len(ys))]
        if xd == 1 and yd != 1:
            x_axes.append(axis)
        elif yd == 1 and xd != 1:
            y_axes.append(axis)
        elif xd is None or yd is None:
            return None, None
    return x_axes, y_axes


def _smart_broadcast_gradient_args(x, y):
    sx, sy = array_ops.shape(x), array_ops.shape(y)
    x_axes, y_axes = _infer_reduction_axes(x.shape, y.shape)
    if x_axes is None or y_axes is None:
        rx, ry = apply_op("BroadcastGradientArgs", [sx, sy], {"T": dtypes.int32}).outputs
        return (sx, rx, True), (sy, ry, True)
    x_must = builtins.bool(x_axes) or x.shape.ndims < y.shape.ndims
    y_must = builtins.bool(y_axes) or y.shape.ndims < x.shape.ndims
    return (sx, x_axes, x_must), (sy, y_axes, y_must)


def _reduce_gradient_arg(grad, shape_axes_must):
    shape, axes, must = shape_axes_must
    if grad is not None and must:
        grad = math_ops.reduce_sum(grad, axes, keepdims=True)
        grad = array_ops.reshape(grad, shape)
    return grad


def _reduce_gradient_args(x, y, gx, gy):
    if gx is not None or gy is not None:
        bx, by = _smart_broadcast_gradient_args(x, y)
        gx = _reduce_gradient_arg(gx, bx)
        gy = _reduce_gradient_arg(gy, by)
    return gx, gy


def _gen(op_type, x, y):
    return apply_op_1(op_type, [x, y], {"T": x.dtype.base_dtype})


@RegisterGradient("Sum")
def _sum_grad(op, grad):
    input_shape_tuple = op.inputs[0]._shape_tuple()
    if input_shape_tuple is not None:
        axes = tensor_util.constant_value(op.inputs[1])
        if axes is not None:
            rank = len(input_shape_tuple)
            if np.array_equal(axes, np.arange(rank)):
                grad = array_ops.reshape(grad, [1] * rank)
                if None not in input_shape_tuple:
                    input_shape = constant_op.constant(list(input_shape_tuple), dtype=dtypes.int32)
                else:
                    input_shape = array_ops.shape(op.inputs[0])
                return [array_ops.tile(grad, input_shape), None]
            if None not in input_shape_tuple:
                axes = tuple(int(a) % builtins.max(rank, 1) for a in np.asarray(axes).reshape(-1))
                kept = tuple(math_ops.reduced_shape(input_shape_tuple, axes))
                scaling = tuple(a // builtins.max(b, 1) for a, b in zip(input_shape_tuple, kept))
                grad = array_ops.reshape(grad, list(kept))
                return [array_ops.tile(grad, list(scaling)), None]
    input_shape = array_ops.shape(op.inputs[0])
    if not op.get_attr("keep_dims"):
        kept = math_ops.reduced_shape(input_shape, op.inputs[1])
        grad = array_ops.reshape(grad, kept)
    return [array_ops.broadcast_to(grad, input_shape), None]


def _min_or_max_grad(op, grad):
    input_shape = array_ops.shape(op.inputs[0])
    y = op.outputs[0]
    if not op.get_attr("keep_dims"):
        kept = math_ops.reduced_shape(input_shape, op.inputs[1])
        y = array_ops.reshape(y, kept)
        grad = array_ops.reshape(grad, kept)
    else:
        kept = array_ops.shape(y)
    indicators = math_ops.cast(math_ops.equal(y, op.inputs[0]), grad.dtype)
    num_selected = array_ops.reshape(math_ops.reduce_sum(indicators, op.inputs[1]), kept)
    return [math_ops.divide(indicators, num_selected) * grad, None]


RegisterGradient("Max")(_min_or_max_grad)
RegisterGradient("Min")(_min_or_max_grad)


@RegisterGradient("Mean")
def _mean_grad(op, grad):
    sum_grad = _sum_grad(op, grad)[0]
    input_shape = op.inputs[0]._shape_tuple()
    output_shape = op.outputs[0]._shape_tuple()
    if input_shape is not None and output_shape is not None and None not in input_shape \
            and None not in output_shape:
        factor = int(np.prod(input_shape, dtype=np.int64)) // builtins.max(int(np.prod(output_shape,
                                                                                         dtype=np.int64)), 1)
        factor = constant_op.constant(factor, dtype=sum_grad.dtype)
    else:
        shape = array_ops.shape(op.inputs[0])
        input_rank = array_ops.size(shape)
        axes = math_ops.cast(op.inputs[1], input_rank.dtype)
        axes = (axes + input_rank) % input_rank
        factor = math_ops.reduce_prod(array_ops.gather(shape, axes))
    return math_ops.truediv(sum_grad, math_ops.cast(factor, sum_grad.dtype)), None


@RegisterGradient("Prod")
def _prod_grad(op, grad):
    x = op.inputs[0]
    input_shape = array_ops.shape(x)
    kept = math_ops.reduced_shape(input_shape, op.inputs[1])
    grad = array_ops.broadcast_to(array_ops.reshape(grad, kept), input_shape)
    y = array_ops.broadcast_to(array_ops.reshape(op.outputs[0], kept), input_shape)
    safe = array_ops.where(math_ops.equal(x, 0), array_ops.ones_like(x), x)
    zeros_count = array_ops.broadcast_to(array_ops.reshape(
        math_ops.reduce_sum(math_ops.cast(math_ops.equal(x, 0), x.dtype), op.inputs[1]), kept), input_shape)
    prod_without_zeros = array_ops.broadcast_to(array_ops.reshape(
        math_ops.reduce_prod(safe, op.inputs[1]), kept), input_shape)
    only_this_zero = math_ops.logical_and(math_ops.equal(x, 0), math_ops.equal(zeros_count, 1))
    grad_x = array_ops.where(only_this_zero, prod_without_zeros, array_ops.where(
        math_ops.equal(zeros_count, 0), y / safe, array_ops.zeros_like(x)))
    return grad * grad_x, None


@RegisterGradient("Abs")
def _abs_grad(op, grad):
    return grad * math_ops.sign(op.inputs[0])


@RegisterGradient("Neg")
def _neg_grad(op, grad):
    return -grad


@RegisterGradient("Reciprocal")
def _reciprocal_grad(op, grad):
    y = op.outputs[0]
    return apply_op_1("ReciprocalGrad", [y, grad], {"T": y.dtype})


@RegisterGradient("Square")
def _square_grad(op, grad):
    x = op.inputs[0]
    with ops.control_dependencies([grad]):
        x = math_ops.conj(x)
        y = constant_op.constant(2.0, dtype=x.dtype)
        return math_ops.multiply(grad, math_ops.multiply(x, y))


@RegisterGradient("Sqrt")
def _sqrt_grad(op, grad):
    y = op.outputs[0]
    return apply_op_1("SqrtGrad", [y, grad], {"T": y.dtype})


@RegisterGradient("Rsqrt")
def _rsqrt_grad(op, grad):
    y = op.outputs[0]
    return apply_op_1("RsqrtGrad", [y, grad], {"T": y.dtype})


@RegisterGradient("Exp")
def _exp_grad(op, grad):
    y = op.outputs[0]
    with ops.control_dependencies([grad]):
        return grad * math_ops.conj(y)


@RegisterGradient("Expm1")
def _expm1_grad(op, grad):
    x = op.inputs[0]
    with ops.control_dependencies([grad]):
        return grad * math_ops.exp(x)


@RegisterGradient("Log")
def _log_grad(op, grad):
    x = op.inputs[0]
    with ops.control_dependencies([grad]):
        return grad * math_ops.reciprocal(math_ops.conj(x))


@RegisterGradient("Log1p")
def _log1p_grad(op, grad):
    x = op.inputs[0]
    with ops.control_dependencies([grad]):
        return grad * math_ops.reciprocal(1 + x)


@RegisterGradient("Tanh")
def _tanh_grad(op, grad):
    y = op.outputs[0]
    with ops.control_dependencies([grad]):
        return apply_op_1("TanhGrad", [math_ops.conj(y), grad], {"T": y.dtype})


@RegisterGradient("TanhGrad")
def _tanh_grad_grad(op, grad):
    y, dy = op.inputs
    with ops.control_dependencies([grad]):
        return grad * -2.0 * dy * y, apply_op_1("TanhGrad", [y, grad], {"T": y.dtype})


@RegisterGradient("Sigmoid")
def _sigmoid_grad(op, grad):
    y = op.outputs[0]
    with ops.control_dependencies([grad]):
        return apply_op_1("SigmoidGrad", [math_ops.conj(y), grad], {"T": y.dtype})


@RegisterGradient("SigmoidGrad")
def _sigmoid_grad_grad(op, grad):
    y, dy = op.inputs
    with ops.control_dependencies([grad]):
        gdy = apply_op_1("SigmoidGrad", [y, grad], {"T": y.dtype})
        return grad * dy * (1 - 2 * y), gdy


@RegisterGradient("Sign")
def _sign_grad(op, grad):
    return array_ops.zeros_like(op.inputs[0])


@RegisterGradient("Sin")
def _sin_grad(op, grad):
    x = op.inputs[0]
    with ops.control_dependencies([grad]):
        return grad * math_ops.cos(x)


@RegisterGradient("Cos")
def _cos_grad(op, grad):
    x = op.inputs[0]
    with ops.control_dependencies([grad]):
        return -grad * math_ops.sin(x)


@RegisterGradient("Tan")
def _tan_grad(op, grad):
    x = op.inputs[0]
    with ops.control_dependencies([grad]):
        secx = math_ops.reciprocal(math_ops.cos(x))
        return grad * math_ops.square(secx)


@RegisterGradient("Atan2")
def _atan2_grad(op, grad):
    y, x = op.inputs
    with ops.control_dependencies([grad]):
        grad_inv = grad / (math_ops.square(x) + math_ops.square(y))
        return x * grad_inv, -y * grad_inv


@RegisterGradient("AddN")
def _add_n_grad(op, grad):
    return [grad] * len(op.inputs)


@RegisterGradient("AddV2")
@RegisterGradient("Add")
def _add_grad(op, grad):
    x, y = op.inputs
    if _shapes_fully_defined_and_equal(x, y, grad):
        return grad, grad
    return _reduce_gradient_args(x, y, grad, grad)


@RegisterGradient("Sub")
def _sub_grad(op, grad):
    x, y = op.inputs
    if _shapes_fully_defined_and_equal(x, y, grad):
        return grad, -grad
    return _reduce_gradient_args(x, y, grad, -grad)


@RegisterGradient("Mul")
def _mul_grad(op, grad):
    x, y = op.inputs
    if _shapes_fully_defined_and_equal(x, y, grad) and grad.dtype in (dtypes.int32, dtypes.float32):
        return _gen("Mul", grad, y), _gen("Mul", grad, x)
    gx = _gen("Mul", grad, math_ops.conj(y))
    gy = _gen("Mul", math_ops.conj(x), grad)
    return _reduce_gradient_args(x, y, gx, gy)


@RegisterGradient("FloorMod")
def _floor_mod_grad(op, grad):
    x, y = math_ops.conj(op.inputs[0]), math_ops.conj(op.inputs[1])
    sx, sy = array_ops.shape(x), array_ops.shape(y)
    rx, ry = apply_op("BroadcastGradientArgs", [sx, sy], {"T": dtypes.int32}).outputs
    floor_xy = math_ops.floordiv(x, y)
    gx = array_ops.reshape(math_ops.reduce_sum(grad, rx), sx)
    gy = array_ops.reshape(math_ops.reduce_sum(grad * math_ops.negative(floor_xy), ry), sy)
    return gx, gy


@RegisterGradient("RealDiv")
def _real_div_grad(op, grad):
    x, y = op.inputs
    gx = _gen("RealDiv", grad, y)
    gy = grad * _gen("RealDiv", _gen("RealDiv", -x, y), y)
    return _reduce_gradient_args(x, y, gx, gy)


@RegisterGradient("DivNoNan")
def _div_no_nan_grad(op, grad):
    x, y = op.inputs
    def div_no_nan(a, b):  # TF's math_ops.div_no_nan: nodes named div_no_nan
        return apply_op_1("DivNoNan", [a, b], {"T": a.dtype.base_dtype}, "div_no_nan")
    gx = div_no_nan(grad, y)
    gy = grad * div_no_nan(div_no_nan(-x, y), y)
    return _reduce_gradient_args(x, y, gx, gy)


@RegisterGradient("Pow")
def _pow_grad(op, grad):
    x, y = op.inputs
    z = op.outputs[0]
    gx = grad * y * math_ops.pow(x, y - 1)
    mask = x > 0 if not x.dtype.is_complex else math_ops.not_equal(x, 0)
    safe_x = array_ops.where(mask, x, array_ops.ones_like(x))
    log_x = array_ops.where(mask, math_ops.log(safe_x), array_ops.zeros_like(x))
    gy = grad * z * log_x
    return _reduce_gradient_args(x, y, gx, gy)


def _maximum_minimum_grad(op, grad, selector):
    x, y = op.inputs
    zeros = array_ops.zeros_like(grad)
    xmask = selector(x, y)
    gx = array_ops.where(xmask, grad, zeros)
    gy = array_ops.where(xmask, zeros, grad)
    return _reduce_gradient_args(x, y, gx, gy)


@RegisterGradient("Maximum")
def _maximum_grad(op, grad):
    return _maximum_minimum_grad(op, grad, math_ops.greater_equal)


@RegisterGradient("Minimum")
def _minimum_grad(op, grad):
    return _maximum_minimum_grad(op, grad, math_ops.less_equal)


@RegisterGradient("SquaredDifference")
def _squared_difference_grad(op, grad):
    x, y = op.inputs
    with ops.control_dependencies([grad]):
        x_grad = math_ops.scalar_mul(2.0, grad) * (x - y)
    if _shapes_fully_defined_and_equal(x, y, grad):
        return x_grad, -x_grad
    gx, gy = _reduce_gradient_args(x, y, x_grad, x_grad)
    return gx, -gy


@RegisterGradient("Select")
def _select_grad(op, grad):
    c = op.inputs[0]
    zeros = array_ops.zeros_like(op.inputs[1])
    return None, array_ops.where(c, grad, zeros), array_ops.where(c, zeros, grad)


@RegisterGradient("SelectV2")
def _select_v2_grad(op, grad):
    c, x, y = op.inputs
    zeros = array_ops.zeros_like(grad)
    gx = apply_op_1("SelectV2", [c, grad, zeros], {"T": grad.dtype.base_dtype})
    gy = apply_op_1("SelectV2", [c, zeros, grad], {"T": grad.dtype.base_dtype})
    gx, gy = _reduce_gradient_args(x, y, gx, gy)
    return None, gx, gy


@RegisterGradient("MatMul")
def _matmul_grad(op, grad):
    ta, tb = op.get_attr("transpose_a"), op.get_attr("transpose_b")
    a, b = math_ops.conj(op.inputs[0]), math_ops.conj(op.inputs[1])
    if not ta and not tb:
        return math_ops.matmul(grad, b, transpose_b=True), math_ops.matmul(a, grad, transpose_a=True)
    if not ta and tb:
        return math_ops.matmul(grad, b), math_ops.matmul(grad, a, transpose_a=True)
    if ta and not tb:
        return math_ops.matmul(b, grad, transpose_b=True), math_ops.matmul(a, grad)
    return math_ops.matmul(b, grad, transpose_a=True, transpose_b=True), math_ops.matmul(grad, a, transpose_a=True,
                                                                          transpose_b=True)


@RegisterGradient("BatchMatMulV2")
def _batch_matmul_grad(op, grad):
    x, y = op.inputs
    adj_x, adj_y = op.get_attr("adj_x"), op.get_attr("adj_y")
    if not adj_x:
        gx = math_ops.matmul(grad, y, adjoint_b=not adj_y) if not adj_y else math_ops.matmul(grad, y)
    else:
        gx = math_ops.matmul(y, grad, adjoint_a=adj_y, adjoint_b=True)
    if not adj_y:
        gy = math_ops.matmul(x, grad, adjoint_a=not adj_x) if not adj_x else math_ops.matmul(x, grad)
    else:
        gy = math_ops.matmul(grad, x, adjoint_a=True, adjoint_b=adj_x)
    sx, sy = array_ops.shape(x), array_ops.shape(y)
    rx, ry = apply_op("BroadcastGradientArgs", [
        array_ops.strided_slice(sx, [0], [-2]), array_ops.strided_slice(sy, [0], [-2])], {"T": dtypes.int32}).outputs
    gx = array_ops.reshape(math_ops.reduce_sum(gx, rx), sx)
    gy = array_ops.reshape(math_ops.reduce_sum(gy, ry), sy)
    return gx, gy


@RegisterGradient("Cast")
def _cast_grad(op, grad):
    src = op.inputs[0].dtype.base_dtype
    dst = op.outputs[0].dtype.base_dtype
    if (src.is_floating or src.is_complex) and (dst.is_floating or dst.is_complex):
        return math_ops.cast(grad, src)
    return None


@RegisterGradient("Xdivy")
def _xdivy_grad(op, grad):
    x, y = op.inputs
    gx = _gen("Xdivy", grad, y)
    gy = grad * _gen("Xdivy", _gen("Xdivy", -x, y), y)
    return _reduce_gradient_args(x, y, gx, gy)
