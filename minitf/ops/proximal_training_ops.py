"""TensorFlow's FTRL, proximal and AdagradDA update ops (training_ops.cc), in its float arithmetic order.

``Apply<X>`` (Ftrl, FtrlV2, ProximalGradientDescent, ProximalAdagrad, AdagradDA) updates a whole variable and its
slots; ``SparseApply<X>`` only the rows ``indices`` (the optimizers sum duplicate rows first). TensorFlow's sparse
kernels are not its dense ones on rows: each has a row path (a variable of rank 2 or more, Eigen expressions like
the dense kernel's, but AdagradDA's with its own formula) and a path for one number per row (a vector), written
with C++ scalars: there FTRL takes glibc's ``powf`` where the rows take ``sqrt`` or Eigen's ``pow``, and the
proximal and AdagradDA updates divide in double precision. Each function below names the kernel it follows.
"""

import ctypes

import numpy as np

from minitf.framework import ops
from minitf.framework.op_def_lib import apply_op, invalid_argument, no_gradient, register
from minitf.ops import libm, state_ops
from minitf.ops.sparse_training_ops import check_rows


def _libm_pow(x, y):
    """``std::pow`` of C++ scalars elementwise: glibc's ``powf``, or ``pow`` for doubles."""
    double = x.dtype == np.float64
    function = getattr(libm.shared_libm(), "pow" if double else "powf")
    ctype = ctypes.c_double if double else ctypes.c_float
    function.restype, function.argtypes = ctype, [ctype, ctype]
    y = float(y)
    return np.array([function(v, y) for v in x.ravel().tolist()], x.dtype).reshape(x.shape)


def _pow(x, y):
    """Eigen's tensor ``pow`` (FTRL with a learning_rate_power other than -0.5), as TensorFlow's kernels give it:
    for floats the float result of the double power (glibc's powf differs in the last bit for about one number in
    2000), for doubles glibc's pow (numpy's differs in the last bit now and then)."""
    if x.dtype == np.float64:
        return _libm_pow(x, y)
    with np.errstate(all="ignore"):
        return np.power(x.astype(np.float64), float(y)).astype(x.dtype)


# -- FTRL ------------------------------------------------------------------------------------------------------

def _ftrl(var, accum, linear, grad, lr, l1, l2, lr_power, shrinkage=None, multiply_linear_by_lr=False):
    """functor::ApplyFtrl / ApplyFtrlV2 (``shrinkage``) and their MultiplyLinearByLr forms; the row path of
    SparseApplyFtrl(V2) is the same but for its l1 clipping (``min(max(...))``), which gives the same numbers."""
    two = np.asarray(2, var.dtype)
    shrunk = grad if shrinkage is None else grad + (two * shrinkage) * var
    new_accum = accum + grad * grad
    power = (np.sqrt if lr_power == -0.5 else lambda a: _pow(a, -lr_power))
    with np.errstate(all="ignore"):
        if multiply_linear_by_lr:
            linear = linear + (shrunk * lr - (power(new_accum) - power(accum)) * var)
            threshold = l1 * lr
            quadratic = power(new_accum) + (two * l2) * lr
        else:
            linear = linear + (shrunk - (power(new_accum) - power(accum)) / lr * var)
            threshold = l1
            quadratic = power(new_accum) / lr + two * l2
        pre_shrink = (threshold * np.sign(linear) - linear) / quadratic
    var = np.where(np.abs(linear) > threshold, pre_shrink, np.zeros_like(var))
    return var, new_accum, linear


def _ftrl_scalar(var, accum, linear, grad, lr, l1, l2, lr_power, shrinkage=None, multiply_linear_by_lr=False):
    """SparseApplyFtrl(V2) on a vector: C++ scalars, ``pow`` for the accumulator's powers, then FtrlCompute
    (``sqrt`` when lr_power is -0.5)."""
    two = np.asarray(2, var.dtype)
    g = grad if shrinkage is None else grad + (two * shrinkage) * var
    new_accum = accum + grad * grad
    with np.errstate(all="ignore"):
        sigma = _libm_pow(new_accum, -lr_power) - _libm_pow(accum, -lr_power)
        power = np.sqrt(new_accum) if lr_power == -0.5 else _libm_pow(new_accum, -lr_power)
        if multiply_linear_by_lr:
            linear = linear + g * lr - sigma * var
            quadratic = power + two * l2 * lr
            bound = l1 * lr
        else:
            linear = linear + g - sigma / lr * var
            quadratic = power / lr + two * l2
            bound = l1
        var = (np.maximum(np.minimum(linear, bound), -bound) - linear) / quadratic
    return var, new_accum, linear


def _dense_ftrl(op, var, accum, linear, grad, lr, l1, l2, *rest):
    """ApplyFtrl (``lr_power``) and ApplyFtrlV2 (``l2_shrinkage, lr_power``)."""
    shrinkage, lr_power = (None, rest[0]) if len(rest) == 1 else rest
    return _ftrl(var, accum, linear, grad, lr, l1, l2, lr_power, shrinkage, op.get_attr("multiply_linear_by_lr"))


def _sparse_ftrl(op, rows, scalar_path, grad, lr, l1, l2, *rest):
    shrinkage, lr_power = (None, rest[0]) if len(rest) == 1 else rest
    _check_sparse_ftrl(lr, l1, l2, lr_power, shrinkage, op.get_attr("multiply_linear_by_lr"))
    update = _ftrl_scalar if scalar_path else _ftrl
    return update(*rows, grad, lr, l1, l2, lr_power, shrinkage, op.get_attr("multiply_linear_by_lr"))


def _check_sparse_ftrl(lr, l1, l2, lr_power, shrinkage, multiply_linear_by_lr):
    if not (lr > 0 or multiply_linear_by_lr and lr == 0):
        raise invalid_argument("lr is not a positive scalar (or zero if multiply_linear_by_lr is set): []")
    if not l1 >= 0:
        raise invalid_argument("l1 regularization strength is not a non-negative scalar: []")
    if not l2 >= 0:
        raise invalid_argument("l2 regularization strength is not a non-negative scalar: []")
    if not lr_power <= 0:
        raise invalid_argument("lr_power is not a non-positive scalar: []")
    if shrinkage is not None and not shrinkage >= 0:
        raise invalid_argument("l2 shrinkage regularization strength is not a non-negative scalar: []")


# -- proximal gradient descent and proximal Adagrad (FOBOS) ------------------------------------------------------

def _fobos(prox, learning_rate, l1, l2):
    """The proximal step of the Eigen kernels: ``sign(v) * max(|v| - lr * l1, 0) / (1 + l2 * lr)``."""
    one = np.asarray(1, prox.dtype)
    with np.errstate(all="ignore"):
        if l1 > 0:
            return (np.sign(prox) * np.maximum(np.abs(prox) - learning_rate * l1, 0)) / (one + l2 * learning_rate)
        return prox / (one + l2 * learning_rate)


def _fobos_scalar(prox, learning_rate, l1, l2):
    """The same with C++ scalars: ``1.0 + l2 * lr`` is a double, so is the quotient (then rounded to float)."""
    denominator = 1.0 + (l2 * learning_rate).astype(np.float64)
    with np.errstate(all="ignore"):
        if l1 > 0:
            numerator = np.sign(prox) * np.maximum(np.abs(prox) - learning_rate * l1, 0)
        else:
            numerator = prox
        return (numerator.astype(np.float64) / denominator).astype(prox.dtype)


def _proximal_gradient_descent(op, var, lr, l1, l2, delta):
    """functor::ApplyProximalGradientDescent (lr * l1 and l2 * lr are scalars: the same products)."""
    return (_fobos(var - delta * lr, lr, l1, l2),)


def _sparse_proximal_gradient_descent(op, rows, scalar_path, grad, lr, l1, l2):
    (var,) = rows
    if scalar_path:
        return (_fobos_scalar(var - lr * grad, lr, l1, l2),)
    return (_fobos(var - grad * lr, lr, l1, l2),)


def _proximal_adagrad(op, var, accum, lr, l1, l2, grad):
    """functor::ApplyProximalAdagrad: Adagrad's rate ``lr * rsqrt(accum)``, then the proximal step."""
    accum = accum + np.square(grad)
    learning_rate = lr * (1 / np.sqrt(accum)).astype(var.dtype)
    return _fobos(var - grad * learning_rate, learning_rate, l1, l2), accum


def _sparse_proximal_adagrad(op, rows, scalar_path, grad, lr, l1, l2):
    _check_positive_rates(lr, l1, l2)
    var, accum = rows
    if not scalar_path:
        return _proximal_adagrad(op, var, accum, lr, l1, l2, grad)
    accum = accum + grad * grad
    learning_rate = lr / np.sqrt(accum)
    return _fobos_scalar(var - learning_rate * grad, learning_rate, l1, l2), accum


def _check_positive_rates(lr, l1, l2):
    if not lr > 0:
        raise invalid_argument("lr is not a positive scalar: []")
    if not l1 >= 0:
        raise invalid_argument("l1 regularization strength is not a non-negative scalar: []")
    if not l2 >= 0:
        raise invalid_argument("l2 regularization strength is not a non-negative scalar: []")


def _dense_proximal_adagrad(op, var, accum, lr, l1, l2, grad):
    _check_positive_rates(lr, l1, l2)
    return _proximal_adagrad(op, var, accum, lr, l1, l2, grad)


# -- AdagradDA ---------------------------------------------------------------------------------------------------

def _adagrad_da(op, var, gradient_accum, gradient_squared_accum, grad, lr, l1, l2, global_step):
    """functor::ApplyAdagradDA: ``w = -lr * sign(g) * max(|g| - T * l1, 0) / (l2 * (T * lr) + sqrt(gg))``."""
    gradient_accum = gradient_accum + grad
    gradient_squared_accum = gradient_squared_accum + np.square(grad)
    step = np.float32(global_step).astype(var.dtype)
    minus_one = np.asarray(-1, var.dtype)
    denominator = l2 * (step * lr) + np.sqrt(gradient_squared_accum)
    with np.errstate(all="ignore"):
        if l1 > 0:
            shrunk = np.maximum(np.abs(gradient_accum) - step * l1, 0)
            var = lr * minus_one * np.sign(gradient_accum) * shrunk / denominator
        else:
            var = lr * gradient_accum * minus_one / denominator
    return var, gradient_accum, gradient_squared_accum


def _sparse_adagrad_da(op, rows, scalar_path, grad, lr, l1, l2, global_step):
    var, gradient_accum, gradient_squared_accum = rows
    with np.errstate(all="ignore"):
        if not scalar_path:  # the row path: T is a float, and so is T * lr (through a double)
            gradient_accum = gradient_accum + grad
            gradient_squared_accum = gradient_squared_accum + np.square(grad)
            step = np.asarray(global_step).astype(var.dtype)
            step_lr = step * lr
            minus_one = np.asarray(-1, var.dtype)
            denominator = l2 + np.sqrt(gradient_squared_accum) / step_lr
            if l1 > 0:
                shrunk = np.maximum(np.abs(gradient_accum) / step - l1, 0)
                var = minus_one * np.sign(gradient_accum) * shrunk / denominator
            else:
                var = minus_one * (gradient_accum / step) / denominator
            return var, gradient_accum, gradient_squared_accum
        # one number per row: the rates and the gradient are doubles, the accumulators stay floats
        lr64, l1_64, l2_64 = float(lr), float(l1), float(l2)
        step = int(global_step)
        g = grad.astype(np.float64)
        gradient_accum = (gradient_accum + g).astype(var.dtype)
        gradient_squared_accum = (gradient_squared_accum + g * g).astype(var.dtype)
        accum64 = gradient_accum.astype(np.float64)
        denominator = step * l2_64 * lr64 + np.sqrt(gradient_squared_accum).astype(np.float64)
        if l1_64 > 0:
            shrunk = np.maximum(np.abs(gradient_accum).astype(np.float64) - step * l1_64, 0.0)
            var = np.sign(-gradient_accum).astype(np.float64) * lr64 * shrunk / denominator
        else:
            var = (-accum64 * lr64) / denominator
        return var.astype(grad.dtype), gradient_accum, gradient_squared_accum


# -- the ops ------------------------------------------------------------------------------------------------------

# op type: (number of slots, update, input names, name of the gradient input, extra attrs)
_DENSE = {
    "ApplyFtrl": (2, _dense_ftrl, ("var", "accum", "linear", "grad", "lr", "l1", "l2", "lr_power"), "grad",
                  {"multiply_linear_by_lr": False}),
    "ApplyFtrlV2": (2, _dense_ftrl, ("var", "accum", "linear", "grad", "lr", "l1", "l2", "l2_shrinkage",
                                     "lr_power"), "grad", {"multiply_linear_by_lr": False}),
    "ApplyProximalGradientDescent": (0, _proximal_gradient_descent, ("var", "alpha", "l1", "l2", "delta"), "delta",
                                     {}),
    "ApplyProximalAdagrad": (1, _dense_proximal_adagrad, ("var", "accum", "lr", "l1", "l2", "grad"), "grad", {}),
    "ApplyAdagradDA": (2, _adagrad_da, ("var", "gradient_accumulator", "gradient_squared_accumulator", "grad", "lr",
                                        "l1", "l2", "global_step"), "grad", {}),
}

_SPARSE = {
    "SparseApplyFtrl": (2, _sparse_ftrl, ("var", "accum", "linear", "grad", "indices", "lr", "l1", "l2",
                                          "lr_power"), {"multiply_linear_by_lr": False}),
    "SparseApplyFtrlV2": (2, _sparse_ftrl, ("var", "accum", "linear", "grad", "indices", "lr", "l1", "l2",
                                            "l2_shrinkage", "lr_power"), {"multiply_linear_by_lr": False}),
    "SparseApplyProximalGradientDescent": (0, _sparse_proximal_gradient_descent, ("var", "alpha", "l1", "l2",
                                                                                  "grad", "indices"), {}),
    "SparseApplyProximalAdagrad": (1, _sparse_proximal_adagrad, ("var", "accum", "lr", "l1", "l2", "grad",
                                                                 "indices"), {}),
    "SparseApplyAdagradDA": (2, _sparse_adagrad_da, ("var", "gradient_accumulator", "gradient_squared_accumulator",
                                                     "grad", "indices", "lr", "l1", "l2", "global_step"), {}),
}


def _shape_string(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def _check_ref(op):
    if not op.inputs[0].dtype.is_ref_dtype:
        raise TypeError(f"'{op.type}' Op requires that input 'var' be a mutable tensor (e.g.: a tf.Variable)")


def _dense_infer(op):
    _check_ref(op)
    n_slots, _, names, grad_name, _ = _DENSE[op.type]
    var = op.inputs[0]
    for name in names[1:1 + n_slots] + (grad_name,):
        other = op.inputs[names.index(name)]
        if not var.shape.is_compatible_with(other.shape):
            raise ValueError(f"Shapes must be equal rank, but are {var.shape.ndims} and {other.shape.ndims}"
                             if var.shape.ndims != other.shape.ndims else
                             f"Dimension mismatch: var {var.shape} vs {name} {other.shape}")
    return [(var.dtype, var.shape)]


def _dense_kernel(op, state):
    n_slots, update, names, grad_name, _ = _DENSE[op.type]
    grad_at = names.index(grad_name)

    def kernel(*args):
        cells = args[:1 + n_slots]
        with state_ops.locked_cells(cells):
            values = [c.read() for c in cells]
            grad = args[grad_at]
            if grad.shape != values[0].shape:
                raise invalid_argument(f"var and {grad_name} do not have the same shape"
                                       f"{_shape_string(values[0].shape)} {_shape_string(grad.shape)}")
            new_values = update(op, *values, *args[1 + n_slots:])
            for cell, value in zip(cells, new_values):
                cell.value = np.asarray(value, values[0].dtype)
        return cells[0]
    return kernel


def _sparse_infer(op):
    _check_ref(op)
    names = _SPARSE[op.type][2]
    var, grad = op.inputs[0], op.inputs[names.index("grad")]
    op.inputs[names.index("indices")].shape.with_rank(1)
    if var.shape.ndims is not None and grad.shape.ndims is not None:
        if not var.shape[1:].is_compatible_with(grad.shape[1:]):
            raise ValueError(f"Dimension mismatch: var {var.shape} vs grad {grad.shape}")
    return [(var.dtype, var.shape)]


def _sparse_kernel(op, state):
    """Updates the rows ``indices`` (in order, one at a time when an index repeats, as TensorFlow's loop does)."""
    n_slots, update, names, _ = _SPARSE[op.type]
    grad_at = names.index("grad")

    def kernel(*args):
        cells = args[:1 + n_slots]
        grad, indices = args[grad_at], args[grad_at + 1]
        scalars = list(args[1 + n_slots:grad_at]) + list(args[grad_at + 2:])
        with state_ops.locked_cells(cells):
            values = [state_ops.owned_value(c) for c in cells]
            if values[0].ndim == 0:
                raise invalid_argument("var must be at least 1 dimensional")
            for d in range(1, values[0].ndim):
                if grad.ndim <= d or grad.shape[d] != values[0].shape[d]:
                    raise invalid_argument(f"var and grad must match in dimension {d}")
            if grad.shape[0] != indices.shape[0]:
                raise invalid_argument("grad must be the same size as indices in the first dimension.")
            check_rows(indices, values[0].shape[0])
            scalar_path = int(np.prod(values[0].shape[1:])) == 1
            batches = [slice(None)] if np.unique(indices).size == indices.size else \
                [slice(i, i + 1) for i in range(indices.size)]
            for batch in batches:
                at = indices[batch]
                rows = update(op, [v[at] for v in values], scalar_path, grad[batch], *scalars)
                for value, new_rows in zip(values, rows):
                    value[at] = new_rows
            for cell, value in zip(cells, values):
                cell.value = value
        return cells[0]
    return kernel


for _op_type, (_n_slots, _update, _names, _grad_name, _attrs) in _DENSE.items():
    register(_op_type, _dense_infer, _dense_kernel, stateful=True, ref_inputs=tuple(range(1 + _n_slots)),
             input_names=_names, attr_defaults={"use_locking": False, **_attrs})
    no_gradient(_op_type)

for _op_type, (_n_slots, _update, _names, _attrs) in _SPARSE.items():
    register(_op_type, _sparse_infer, _sparse_kernel, stateful=True, ref_inputs=tuple(range(1 + _n_slots)),
             input_names=_names, attr_defaults={"use_locking": False, **_attrs})
    no_gradient(_op_type)


def _check_input_types(op_type, names, inputs):
    """TypeError as TensorFlow's op wrapper raises it when a tensor's dtype is not the variable's (attr ``T``): the
    proximal optimizers pass their float32 rates to a float64 variable's update as they are."""
    dtype = inputs[0].dtype.base_dtype
    for name, value in zip(names[1:], inputs[1:]):
        if name not in ("indices", "global_step") and isinstance(value, ops.Tensor) and \
                value.dtype.base_dtype != dtype:
            raise TypeError(f"Input '{name}' of '{op_type}' Op has type {value.dtype.base_dtype.name} that does not "
                            f"match type {dtype.name} of argument 'var'.")


def training_op(op_type, inputs, use_locking, name=None, **attrs):
    """Adds one of these ops: ``inputs`` are the variables (refs) then the tensors, in TensorFlow's order."""
    names = (_DENSE.get(op_type) or _SPARSE[op_type])[2]
    _check_input_types(op_type, names, inputs)
    grad = inputs[names.index("grad" if "grad" in names else "delta")]
    attrs = {"T": grad.dtype.base_dtype, "use_locking": use_locking, **attrs}
    if "indices" in names:
        attrs["Tindices"] = inputs[names.index("indices")].dtype.base_dtype
    return apply_op(op_type, inputs, attrs, name)._outputs[0]
