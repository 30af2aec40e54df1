"""Sparse updates for IndexedSlices gradients, as TensorFlow's training_ops: ``SparseApply<X>`` (Momentum, Adagrad,
RMSProp, CenteredRMSProp, Adadelta) apply the dense update rule of ``Apply<X>`` to the rows ``indices`` of the
variable and its slots only (optimizers first sum a gradient's duplicate rows with ``tf.unique``, in segment_ops).
Each op's inputs are its dense op's with ``indices`` after ``grad``.
"""

import numpy as np

from minitf.framework.op_def_lib import apply_op, invalid_argument, no_gradient, register
from minitf.ops import state_ops

# op type: (number of slots, the dense update rule, input names)
_SPARSE_APPLY_OPS = {
    "SparseApplyMomentum": (1, state_ops._momentum, ("var", "accum", "lr", "grad", "indices", "momentum")),
    "SparseApplyAdagrad": (1, state_ops._adagrad, ("var", "accum", "lr", "grad", "indices")),
    "SparseApplyRMSProp": (2, state_ops._rms_prop, ("var", "ms", "mom", "lr", "rho", "momentum", "epsilon", "grad",
                                                    "indices")),
    "SparseApplyCenteredRMSProp": (3, state_ops._centered_rms_prop, ("var", "mg", "ms", "mom", "lr", "rho",
                                                                     "momentum", "epsilon", "grad", "indices")),
    "SparseApplyAdadelta": (2, state_ops._adadelta, ("var", "accum", "accum_update", "lr", "rho", "epsilon", "grad",
                                                     "indices")),
}


def check_rows(indices, rows):
    """A SparseApply* kernel's check that every index names one of the variable's ``rows`` (TF's message)."""
    bad = np.flatnonzero((indices < 0) | (indices >= rows))
    if bad.size:
        raise invalid_argument(f"Index {int(indices[bad[0]])} at offset {int(bad[0])} in indices is out of range")


def _sparse_apply_infer(op):
    var = op.inputs[0]
    if not var.dtype.is_ref_dtype:
        raise TypeError(f"'{op.type}' Op requires that input 'var' be a mutable tensor (e.g.: a tf.Variable)")
    names = _SPARSE_APPLY_OPS[op.type][2]
    grad, indices = op.inputs[names.index("grad")], op.inputs[names.index("indices")]
    indices.shape.with_rank(1)
    if var.shape.ndims is not None and grad.shape.ndims is not None:
        if not var.shape[1:].is_compatible_with(grad.shape[1:]):
            raise ValueError(f"Dimension mismatch: var {var.shape} vs grad {grad.shape}")
    return [(var.dtype, var.shape)]


def _sparse_apply_kernel(n_slots, update, names):
    grad_at = names.index("grad")

    def make(op, state):
        def kernel(*args):
            cells = args[:1 + n_slots]
            indices = args[grad_at + 1]
            grad = args[grad_at]
            inputs = list(args[1 + n_slots:grad_at + 1]) + list(args[grad_at + 2:])
            with state_ops.locked_cells(cells):
                values = [state_ops.owned_value(c) for c in cells]
                if grad.shape[1:] != values[0].shape[1:]:
                    raise invalid_argument(f"var and grad must match in dimension 1 ({values[0].shape[1:]} vs "
                                           f"{grad.shape[1:]})" if grad.ndim > 1 else
                                           "var and grad do not have the same shape")
                if indices.shape[0] != grad.shape[0]:
                    raise invalid_argument("grad must be the same size as indices in the first dimension.")
                check_rows(indices, values[0].shape[0])
                rows = update(op, *[v[indices] for v in values], *inputs)
                for cell, value, new_rows in zip(cells, values, rows):
                    value[indices] = new_rows
                    cell.value = value
            return cells[0]
        return kernel
    return make


for _op_type, (_n_slots, _update, _names) in _SPARSE_APPLY_OPS.items():
    register(_op_type, _sparse_apply_infer, _sparse_apply_kernel(_n_slots, _update, _names), stateful=True,
             ref_inputs=tuple(range(1 + _n_slots)), input_names=_names,
             attr_defaults={"use_locking": False, **({"use_nesterov": False} if _op_type == "SparseApplyMomentum"
                                                     else {}),
                            **({"update_slots": True} if _op_type == "SparseApplyAdagrad" else {})})
    no_gradient(_op_type)


def sparse_apply(op_type, inputs, attrs, name=None):
    """Adds a SparseApply* op: variables (refs) then tensors, in TensorFlow's order."""
    grad = inputs[_SPARSE_APPLY_OPS[op_type][2].index("grad")]
    indices = inputs[_SPARSE_APPLY_OPS[op_type][2].index("indices")]
    attrs = {"T": grad.dtype.base_dtype, "Tindices": indices.dtype.base_dtype, **attrs}
    return apply_op(op_type, inputs, attrs, name)._outputs[0]
