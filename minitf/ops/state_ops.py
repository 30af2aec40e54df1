"""Variable storage ops: VariableV2, Assign and friends, and the optimizers' Apply* update ops.

A VariableV2 op's output is a *reference*: in a session, its value is the variable's storage cell, and ops that
declare the input in ``ref_inputs`` (Assign, ApplyAdam, ...) update that cell. Every other consumer reads the
cell's value at the moment it runs, which is how TensorFlow's ref edges behave. Updates replace the stored array
rather than writing into it, so a value read earlier in the same run is never changed behind the reader's back.
"""

import sys

import numpy as np

from minitf.framework import dtypes, errors, tensor_shape
from minitf.framework.op_def_lib import apply_op_1, invalid_argument, no_gradient, register

TensorShape = tensor_shape.TensorShape


def _variable_infer(op):
    return [(op.get_attr("dtype")._as_ref, op.get_attr("shape"))]


def _variable_kernel(op, state):
    cell = state.cell(op)
    return lambda: cell


register("VariableV2", _variable_infer, _variable_kernel, stateful=True, per_session=True,
         attr_defaults={"container": b"", "shared_name": b""})
no_gradient("VariableV2")


def variable_op_v2(shape, dtype, name="Variable", container="", shared_name=""):
    from minitf.framework import ops
    attrs = {"shape": tensor_shape.as_shape(shape), "dtype": dtypes.as_dtype(dtype).base_dtype,
             "container": container.encode() if isinstance(container, str) else container,
             "shared_name": shared_name.encode() if isinstance(shared_name, str) else shared_name}
    return ops.get_default_graph().create_op("VariableV2", [], attrs, name)._outputs[0]


def _ref_output_infer(op):
    ref = op.inputs[0]
    if not ref.dtype.is_ref_dtype:
        raise TypeError(f"'{op.type}' Op requires that input 'ref' be a mutable tensor (e.g.: a tf.Variable)")
    return [(ref.dtype, ref.shape)]


def _assign_infer(op):
    ref, value = op.inputs
    if not ref.dtype.is_ref_dtype:
        raise TypeError("'Assign' Op requires that input 'ref' be a mutable tensor (e.g.: a tf.Variable)")
    if ref.dtype.base_dtype != value.dtype.base_dtype:
        raise TypeError(f"Input 'value' of 'Assign' Op has type {value.dtype.base_dtype.name} that does not match "
                        f"type {ref.dtype.base_dtype.name} of argument 'ref'.")
    if op.get_attr("validate_shape"):
        if not ref.shape.is_compatible_with(value.shape):
            raise ValueError(f"Shapes must be equal rank, but are {ref.shape.ndims} and {value.shape.ndims}"
                             if ref.shape.ndims != value.shape.ndims else
                             f"Dimension mismatch: {ref.shape} vs {value.shape}")
        return [(ref.dtype, value.shape.merge_with(ref.shape))]
    return [(ref.dtype, value.shape)]


def _assign_kernel(op, state):
    validate = op.get_attr("validate_shape")
    var_shape = op.inputs[0].shape

    def kernel(cell, value):
        with cell.lock:
            current = cell.value
            if validate and current is not None and current.shape != value.shape:
                raise invalid_argument(f"Assign requires shapes of both tensors to match. lhs shape= "
                                       f"{list(current.shape)} rhs shape= {list(value.shape)}")
            if validate and current is None and not var_shape.is_compatible_with(value.shape):
                raise invalid_argument(f"Assign requires shapes of both tensors to match. lhs shape= "
                                       f"{var_shape.as_list()} rhs shape= {list(value.shape)}")
            cell.value = value
        return cell
    return kernel


register("Assign", _assign_infer, _assign_kernel, stateful=True, ref_inputs=(0,), input_names=("ref", "value"),
         attr_defaults={"validate_shape": True, "use_locking": True})


def _update_kernel(update):
    def make(op, state):
        def kernel(cell, value):
            with cell.lock:
                current = cell.read()
                if current.shape != value.shape:
                    raise invalid_argument(f"Must have the same shape, got {list(current.shape)} and "
                                           f"{list(value.shape)}")
                cell.value = update(current, value)
            return cell
        return kernel
    return make


register("AssignAdd", _ref_output_infer, _update_kernel(np.add), stateful=True, ref_inputs=(0,),
         input_names=("ref", "value"), attr_defaults={"use_locking": False})
register("AssignSub", _ref_output_infer, _update_kernel(np.subtract), stateful=True, ref_inputs=(0,),
         input_names=("ref", "value"), attr_defaults={"use_locking": False})
for _op_type in ("Assign", "AssignAdd", "AssignSub"):
    no_gradient(_op_type)


def _is_initialized_kernel(op, state):
    return lambda cell: np.array(cell.value is not None)


register("IsVariableInitialized", lambda op: [(dtypes.bool, TensorShape([]))], _is_initialized_kernel,
         stateful=True, ref_inputs=(0,), input_names=("ref",))
no_gradient("IsVariableInitialized")


def _count_up_to_kernel(op, state):
    limit = op.get_attr("limit")

    def kernel(cell):
        with cell.lock:
            value = cell.read()
            if value >= limit:
                raise errors.OutOfRangeError(None, op, f"Reached limit of {limit}")
            cell.value = value + 1
        return value
    return kernel


register("CountUpTo", lambda op: [(op.inputs[0].dtype.base_dtype, TensorShape([]))], _count_up_to_kernel,
         stateful=True, ref_inputs=(0,), input_names=("ref",))
no_gradient("CountUpTo")


def owned_value(cell):
    """The cell's array, to update in place when nothing but the cell refers to it (no fetched result, no pending
    reader, not a view or a constant's read-only array); else a copy. A sparse update then costs its rows only."""
    value = cell.read()
    if value.flags.writeable and value.flags.owndata and sys.getrefcount(value) <= 3:  # cell, `value`, the call
        return value
    return value.copy()


def _scatter_kernel(update):
    def make(op, state):
        def kernel(cell, indices, updates):
            with cell.lock:
                value = owned_value(cell)
                n = value.shape[0]
                if indices.size and (indices.min() < 0 or indices.max() >= n):
                    raise invalid_argument(f"indices[0] = {int(indices.reshape(-1)[0])} is not in [0, {n})")
                update(value, indices, updates)
                cell.value = value
            return cell
        return kernel
    return make


def _scatter_update(value, indices, updates):
    value[indices] = updates


register("ScatterUpdate", _ref_output_infer, _scatter_kernel(_scatter_update), stateful=True, ref_inputs=(0,),
         input_names=("ref", "indices", "updates"))
def _scatter_in_order(ufunc):
    """``ufunc.at(value, indices, updates)`` (each update applied in turn, as TensorFlow's CPU kernel does). numpy's
    ``ufunc.at`` is fast for a vector; rows go in rounds instead: each round applies, at once, the earliest update
    not yet applied of every index that has one left (distinct indices), several times faster."""
    def update(value, indices, updates):
        flat = indices.reshape(-1)
        rows = updates.reshape((flat.size,) + value.shape[1:])
        if flat.size < 2 or value.ndim == 1:
            ufunc.at(value, flat, rows)
            return
        positions = np.argsort(flat, kind="stable")  # by index, each index's updates in order
        while True:
            ordered = flat[positions]
            first = np.empty(positions.size, bool)  # the earliest update left of its index
            first[0] = True
            np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
            if first.all():
                value[ordered] = ufunc(value[ordered], rows[positions])
                return
            targets = ordered[first]
            value[targets] = ufunc(value[targets], rows[positions[first]])
            positions = positions[~first]
    return update


register("ScatterAdd", _ref_output_infer, _scatter_kernel(_scatter_in_order(np.add)), stateful=True,
         ref_inputs=(0,), input_names=("ref", "indices", "updates"))
register("ScatterSub", _ref_output_infer, _scatter_kernel(_scatter_in_order(np.subtract)),
         stateful=True, ref_inputs=(0,), input_names=("ref", "indices", "updates"))
for _op_type in ("ScatterUpdate", "ScatterAdd", "ScatterSub"):
    no_gradient(_op_type)


def _ref_op(op_type, ref, values, attrs, name):
    return apply_op_1(op_type, [ref] + values, attrs, name)


def _assign_op(op_type, ref, value, attrs, name):
    """``op_type(ref, value)`` as TensorFlow's generated wrapper builds it: ``value`` is converted inside the op's
    name scope (a Python number becomes ``<op name>/value``)."""
    from minitf.framework import ops
    ref_t = ref._ref() if hasattr(ref, "_ref") else ref
    with ops.name_scope(name, op_type, [ref_t, value]) as scope:
        value = ops.convert_to_tensor(value, dtype=ref_t.dtype.base_dtype, name="value")
        return _ref_op(op_type, ref_t, [value], {"T": ref_t.dtype.base_dtype, **attrs}, scope)


def _is_container(ref):
    """A variable object without a reference tensor (a PartitionedVariable): TensorFlow calls its own assign."""
    return hasattr(ref, "assign") and not hasattr(ref, "_ref")


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    if _is_container(ref):
        return ref.assign(value, name=name)
    attrs = {"validate_shape": True if validate_shape is None else validate_shape,
             "use_locking": True if use_locking is None else use_locking}
    return _assign_op("Assign", ref, value, attrs, name)


def assign_add(ref, value, use_locking=None, name=None):
    if _is_container(ref):
        return ref.assign_add(value)
    return _assign_op("AssignAdd", ref, value, {"use_locking": bool(use_locking)}, name)


def assign_sub(ref, value, use_locking=None, name=None):
    if _is_container(ref):
        return ref.assign_sub(value)
    return _assign_op("AssignSub", ref, value, {"use_locking": bool(use_locking)}, name)


def _scatter(op_type, ref, indices, updates, use_locking, name):
    from minitf.framework import ops
    ref_t = ref._ref() if hasattr(ref, "_ref") else ref
    indices = ops.convert_to_tensor(indices, name="indices")
    updates = ops.convert_to_tensor(updates, dtype=ref_t.dtype.base_dtype, name="updates")
    return _ref_op(op_type, ref_t, [indices, updates], {"T": ref_t.dtype.base_dtype,
                                                        "Tindices": indices.dtype.base_dtype,
                                                        "use_locking": bool(use_locking)}, name)


def scatter_update(ref, indices, updates, use_locking=True, name=None):
    return _scatter("ScatterUpdate", ref, indices, updates, use_locking, name)


def scatter_add(ref, indices, updates, use_locking=False, name=None):
    return _scatter("ScatterAdd", ref, indices, updates, use_locking, name)


def scatter_sub(ref, indices, updates, use_locking=False, name=None):
    return _scatter("ScatterSub", ref, indices, updates, use_locking, name)


def is_variable_initialized(ref, name=None):
    ref_t = ref._ref() if hasattr(ref, "_ref") else ref
    return apply_op_1("IsVariableInitialized", [ref_t], {"dtype": ref_t.dtype.base_dtype}, name)


def count_up_to(ref, limit, name=None):
    ref_t = ref._ref() if hasattr(ref, "_ref") else ref
    return apply_op_1("CountUpTo", [ref_t], {"T": ref_t.dtype.base_dtype, "limit": int(limit)}, name)


# -- optimizer update ops (TensorFlow's training_ops, same float32 arithmetic order) ------------------------------

def _apply_infer(op):
    var = op.inputs[0]
    if not var.dtype.is_ref_dtype:
        raise TypeError(f"'{op.type}' Op requires that input 'var' be a mutable tensor (e.g.: a tf.Variable)")
    grad = op.inputs[-1]
    if not var.shape.is_compatible_with(grad.shape):
        raise ValueError(f"Shapes must be equal rank, but are {var.shape.ndims} and {grad.shape.ndims}"
                         if var.shape.ndims != grad.shape.ndims else
                         f"Dimension mismatch: var {var.shape} vs grad {grad.shape}")
    return [(var.dtype, var.shape)]


class locked_cells:
    """``with locked_cells(cells):`` holds the locks of several variable cells (an Apply op's variable and slots),
    taken in one global order so that two ops updating the same cells cannot deadlock."""

    __slots__ = ("_locks",)

    def __init__(self, cells):
        self._locks = sorted({id(c.lock): c.lock for c in cells}.items())

    def __enter__(self):
        for _, lock in self._locks:
            lock.acquire()

    def __exit__(self, *exc):
        for _, lock in reversed(self._locks):
            lock.release()


def _apply_kernel(n_slots, update):
    """A kernel for an Apply* op whose first ``1 + n_slots`` inputs are variable cells.

    ``update(op, var, *slots, *scalars_and_grad)`` returns the new values of var and the slots.
    """
    def make(op, state):
        def kernel(*args):
            cells = args[:1 + n_slots]
            with locked_cells(cells):
                values = [c.read() for c in cells]
                grad = args[-1]
                if grad.shape != values[0].shape:
                    raise invalid_argument(f"var and grad do not have the same shape{list(values[0].shape)} "
                                           f"{list(grad.shape)}")
                new_values = update(op, *values, *args[1 + n_slots:])
                for cell, value in zip(cells, new_values):
                    cell.value = value
            return cells[0]
        return kernel
    return make


def _gradient_descent(op, var, alpha, delta):
    return (var - delta * alpha,)


def _momentum(op, var, accum, lr, grad, momentum):
    accum = accum * momentum + grad
    if op.get_attr("use_nesterov"):
        return var - (grad * lr + accum * momentum * lr), accum
    return var - accum * lr, accum


def _adam(op, var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad):
    one = np.asarray(1, var.dtype)
    alpha = lr * np.sqrt(one - beta2_power) / (one - beta1_power)
    m = m + (grad - m) * (one - beta1)
    v = v + (np.square(grad) - v) * (one - beta2)
    if op.get_attr("use_nesterov"):
        return var - ((grad * (one - beta1) + beta1 * m) * alpha) / (np.sqrt(v) + epsilon), m, v
    return var - (m * alpha) / (np.sqrt(v) + epsilon), m, v


def _adagrad(op, var, accum, lr, grad):
    if op.get_attr("update_slots"):
        accum = accum + np.square(grad)
    return var - grad * lr * (1 / np.sqrt(accum)).astype(var.dtype), accum


def _rms_prop(op, var, ms, mom, lr, rho, momentum, epsilon, grad):
    one = np.asarray(1, var.dtype)
    ms = ms + (np.square(grad) - ms) * (one - rho)
    mom = mom * momentum + (grad * lr) / np.sqrt(ms + epsilon)
    return var - mom, ms, mom


def _centered_rms_prop(op, var, mg, ms, mom, lr, rho, momentum, epsilon, grad):
    one = np.asarray(1, var.dtype)
    ms = ms + (np.square(grad) - ms) * (one - rho)
    mg = mg + (grad - mg) * (one - rho)
    denom = (ms - np.square(mg)) + epsilon
    mom = mom * momentum + (grad * lr) / np.sqrt(denom)
    return var - mom, mg, ms, mom


def _adadelta(op, var, accum, accum_update, lr, rho, epsilon, grad):
    one = np.asarray(1, var.dtype)
    accum = accum * rho + np.square(grad) * (one - rho)
    update = np.sqrt(accum_update + epsilon) * (1 / np.sqrt(accum + epsilon)).astype(var.dtype) * grad
    accum_update = accum_update * rho + np.square(update) * (one - rho)
    return var - update * lr, accum, accum_update


_APPLY_OPS = {
    "ApplyGradientDescent": (0, _gradient_descent, ("var", "alpha", "delta")),
    "ApplyMomentum": (1, _momentum, ("var", "accum", "lr", "grad", "momentum")),
    "ApplyAdam": (2, _adam, ("var", "m", "v", "beta1_power", "beta2_power", "lr", "beta1", "beta2", "epsilon",
                             "grad")),
    "ApplyAdagrad": (1, _adagrad, ("var", "accum", "lr", "grad")),
    "ApplyRMSProp": (2, _rms_prop, ("var", "ms", "mom", "lr", "rho", "momentum", "epsilon", "grad")),
    "ApplyCenteredRMSProp": (3, _centered_rms_prop, ("var", "mg", "ms", "mom", "lr", "rho", "momentum", "epsilon",
                                                     "grad")),
    "ApplyAdadelta": (2, _adadelta, ("var", "accum", "accum_update", "lr", "rho", "epsilon", "grad")),
}


def _momentum_infer(op):
    """ApplyMomentum's inputs are (var, accum, lr, grad, momentum): its gradient is not the last input."""
    var, grad = op.inputs[0], op.inputs[3]
    if not var.shape.is_compatible_with(grad.shape):
        raise ValueError(f"Dimension mismatch: var {var.shape} vs grad {grad.shape}")
    return [(var.dtype, var.shape)]


for _op_type, (_n_slots, _update, _names) in _APPLY_OPS.items():
    if _op_type == "ApplyMomentum":
        continue
    register(_op_type, _apply_infer, _apply_kernel(_n_slots, _update), stateful=True,
             ref_inputs=tuple(range(1 + _n_slots)), input_names=_names, attr_defaults={"use_locking": False})
    no_gradient(_op_type)


def _momentum_kernel(op, state):
    def kernel(var_cell, accum_cell, lr, grad, momentum):
        with locked_cells((var_cell, accum_cell)):
            var, accum = var_cell.read(), accum_cell.read()
            if grad.shape != var.shape:
                raise invalid_argument(f"var and grad do not have the same shape{list(var.shape)} "
                                       f"{list(grad.shape)}")
            var_cell.value, accum_cell.value = _momentum(op, var, accum, lr, grad, momentum)
        return var_cell
    return kernel


register("ApplyMomentum", _momentum_infer, _momentum_kernel, stateful=True, ref_inputs=(0, 1),
         input_names=_APPLY_OPS["ApplyMomentum"][2], attr_defaults={"use_locking": False, "use_nesterov": False})
no_gradient("ApplyMomentum")


def apply_op_update(op_type, inputs, attrs, name=None):
    """Adds an Apply* op: ``inputs`` are variables (refs) followed by tensors, in TensorFlow's order."""
    return apply_op_1(op_type, inputs, attrs, name)
