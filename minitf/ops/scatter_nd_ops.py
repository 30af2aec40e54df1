"""Scatter by coordinate tuples into an existing tensor: the variable updates ScatterNdUpdate/Add/Sub
(``tf.scatter_nd_update`` ...; minitf's variables are ref variables, so these are TensorFlow's ref ops, like
``tf.scatter_update``) and the functional TensorScatterUpdate/Add/Sub (``tf.tensor_scatter_nd_update`` ...).
Gradients of the functional ops are in ``scatter_nd_grad``; the variable updates have none, as in TensorFlow."""

import numpy as np

from minitf.framework import ops
from minitf.framework.op_def_lib import apply_op_1, invalid_argument, no_gradient, pure_with_attrs, register
from minitf.ops.indexing_ops import _check_indices
from minitf.ops.state_ops import owned_value

_POLICIES = (b"", b"DEFAULT", b"ERROR", b"IGNORE")


def _updates_infer(op):
    """TensorFlow's ScatterNd shape check: updates must be shaped indices.shape[:-1] + tensor.shape[depth:]."""
    tensor, indices, updates = op.inputs
    known = tensor.shape.ndims is not None and indices.shape.ndims is not None and updates.shape.ndims is not None
    depth = indices.shape[-1].value if known else None
    if depth is not None:
        outer = indices.shape.ndims - 1
        for name, t, start, end in (("input", tensor, depth, tensor.shape.ndims), ("indices", indices, 0, outer)):
            expected, actual = t.shape[start:end], updates.shape[outer if name == "input" else 0:
                                                                 updates.shape.ndims if name == "input" else outer]
            if not expected.is_compatible_with(actual):
                raise ValueError(f"Dimensions [{start},{end}) of {name}[shape={t.shape.as_list()}] = "
                                 f"{expected.as_list()} must match dimensions of updates[shape="
                                 f"{updates.shape.as_list()}] = {actual.as_list()} for '{op.name}' (op: '{op.type}')")
    return [(tensor.dtype, tensor.shape)]


def _apply(op, value, indices, updates, combine):
    """``value`` (owned) with ``updates`` combined in at the tuples of ``indices``, per the op's bad_indices_policy."""
    policy = op.get_attr("bad_indices_policy")
    policy = policy.encode() if isinstance(policy, str) else policy
    if policy not in _POLICIES:
        raise invalid_argument(f"Unknown bad indices handling attribute: {policy.decode()}")
    depth = indices.shape[-1]
    inner = value.shape[depth:]
    if updates.shape[indices.ndim - 1:] != inner:
        raise invalid_argument(f"The inner {len(inner)} dimensions of output.shape={list(value.shape)} must match "
                               f"the inner {updates.ndim - indices.ndim + 1} dimensions of updates.shape="
                               f"{list(updates.shape)}")
    slices = updates.reshape((-1,) + inner)
    if policy == b"IGNORE":
        flat = indices.reshape(-1, depth).astype(np.int64)
        keep = ((flat >= 0) & (flat < np.asarray(value.shape[:depth]))).all(axis=1)
        flat, slices = flat[keep], slices[keep]
    else:
        flat = _check_indices(indices, value.shape, "ScatterNd")
    combine(value, tuple(flat.T), slices)
    return value


def _assign(value, where, slices):
    value[where] = slices


_COMBINE = {"Update": _assign, "Add": np.add.at, "Sub": np.subtract.at}


def _ref_kernel(combine):
    def make(op, state):
        def kernel(cell, indices, updates):
            with cell.lock:
                cell.value = _apply(op, owned_value(cell), indices, updates, combine)
            return cell
        return kernel
    return make


def _ref_infer(op):
    if not op.inputs[0].dtype.is_ref_dtype:
        raise TypeError(f"'{op.type}' Op requires that input 'ref' be a mutable tensor (e.g.: a tf.Variable)")
    return _updates_infer(op)


def _tensor_kernel(combine):
    return pure_with_attrs(lambda op: lambda tensor, indices, updates: _apply(op, tensor.copy(), indices, updates,
                                                                               combine))


for _kind, _combine in _COMBINE.items():
    register(f"ScatterNd{_kind}", _ref_infer, _ref_kernel(_combine), stateful=True, ref_inputs=(0,),
             input_names=("ref", "indices", "updates"),
             attr_defaults={"use_locking": _kind == "Update", "bad_indices_policy": b""})
    no_gradient(f"ScatterNd{_kind}")
    register(f"TensorScatter{_kind}", _updates_infer, _tensor_kernel(_combine),
             input_names=("tensor", "indices", "updates"), attr_defaults={"bad_indices_policy": b""})


def _scatter_nd_ref(op_type, ref, indices, updates, use_locking, bad_indices_policy):
    """TensorFlow 2.21's state_ops passes its ``name`` argument positionally into gen_state_ops' new
    ``bad_indices_policy`` parameter: the op keeps its default name and ``name`` becomes the policy (an unknown
    policy fails at run time). minitf builds the same node."""
    ref_t = ref._ref() if hasattr(ref, "_ref") else ref
    if not (isinstance(ref_t, ops.Tensor) and ref_t.dtype.is_ref_dtype):  # TensorFlow takes it for a resource variable
        raise AttributeError(f"'{type(ref).__name__}' object has no attribute '_lazy_read' ({op_type} updates a "
                             "variable)")
    with ops.name_scope(None, op_type, [ref_t, indices, updates]) as scope:
        indices = ops.convert_to_tensor(indices, name="indices")
        updates = ops.convert_to_tensor(updates, dtype=ref_t.dtype.base_dtype, name="updates")
        return apply_op_1(op_type, [ref_t, indices, updates],
                          {"T": ref_t.dtype.base_dtype, "Tindices": indices.dtype.base_dtype,
                           "use_locking": bool(use_locking), "bad_indices_policy": bad_indices_policy or ""}, scope)


def scatter_nd_update(ref, indices, updates, use_locking=True, name=None):
    """``tf.scatter_nd_update``: assigns ``updates`` to the variable ``ref`` at the coordinate tuples ``indices``."""
    return _scatter_nd_ref("ScatterNdUpdate", ref, indices, updates, use_locking, name)


def scatter_nd_add(ref, indices, updates, use_locking=False, name=None):
    """``tf.scatter_nd_add``: adds ``updates`` to the variable ``ref`` at the coordinate tuples ``indices``."""
    return _scatter_nd_ref("ScatterNdAdd", ref, indices, updates, use_locking, name)


def scatter_nd_sub(ref, indices, updates, use_locking=False, name=None):
    """``tf.scatter_nd_sub``: subtracts ``updates`` from the variable ``ref`` at the coordinate tuples ``indices``."""
    return _scatter_nd_ref("ScatterNdSub", ref, indices, updates, use_locking, name)


def _tensor_scatter(op_type, tensor, indices, updates, name):
    with ops.name_scope(name, op_type, [tensor, indices, updates]) as scope:
        tensor = ops.convert_to_tensor(tensor, name="tensor")
        indices = ops.convert_to_tensor(indices, name="indices")
        updates = ops.convert_to_tensor(updates, dtype=tensor.dtype.base_dtype, name="updates")
        return apply_op_1(op_type, [tensor, indices, updates], {"T": tensor.dtype.base_dtype,
                                                                "Tindices": indices.dtype.base_dtype,
                                                                "bad_indices_policy": ""}, scope)


def tensor_scatter_nd_update(tensor, indices, updates, name=None):
    """``tf.tensor_scatter_nd_update``: a copy of ``tensor`` with ``updates`` at the coordinate tuples."""
    return _tensor_scatter("TensorScatterUpdate", tensor, indices, updates, name)


def tensor_scatter_nd_add(tensor, indices, updates, name=None):
    """``tf.tensor_scatter_nd_add``: a copy of ``tensor`` with ``updates`` added at the coordinate tuples."""
    return _tensor_scatter("TensorScatterAdd", tensor, indices, updates, name)


def tensor_scatter_nd_sub(tensor, indices, updates, name=None):
    """``tf.tensor_scatter_nd_sub``: a copy of ``tensor`` with ``updates`` subtracted at the coordinate tuples."""
    return _tensor_scatter("TensorScatterSub", tensor, indices, updates, name)


tensor_scatter_update, tensor_scatter_add, tensor_scatter_sub = (tensor_scatter_nd_update, tensor_scatter_nd_add,
                                                                 tensor_scatter_nd_sub)
