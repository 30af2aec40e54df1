"""``tf.no_op``, ``tf.group``, ``tf.tuple`` and ``with_dependencies``: ordering without data."""

from minitf.framework import ops
from minitf.framework.op_def_lib import register
from minitf.ops import array_ops

register("NoOp", lambda op: [], None)


def no_op(name=None):
    return ops.get_default_graph().create_op("NoOp", [], None, name or "NoOp")


def _as_ops(inputs):
    result = []
    for item in inputs:
        if hasattr(item, "_as_graph_element") and not isinstance(item, (ops.Tensor, ops.Operation)):
            item = item._as_graph_element()
        if isinstance(item, ops.Tensor):
            item = item.op
        if not isinstance(item, ops.Operation):
            raise TypeError(f"'{item}' is not an Operation or Tensor")
        result.append(item)
    return result


def group(*inputs, name=None):
    """An op that runs all ``inputs``: a NoOp with them as control inputs."""
    deps = _as_ops(inputs)
    with ops.name_scope(name, "group_deps", deps) as scope:
        with ops.control_dependencies(deps):
            return no_op(name=scope)


def with_dependencies(dependencies, output_tensor, name=None):
    """``output_tensor`` passed through an Identity that runs after ``dependencies``."""
    with ops.name_scope(name, "control_dependency", list(dependencies) + [output_tensor]) as scope:
        with ops.control_dependencies(dependencies):
            output_tensor = ops.convert_to_tensor(output_tensor)
            return array_ops.identity(output_tensor, name=scope)


def tuple(tensors, name=None, control_inputs=None):  # noqa: A001 -- TensorFlow's public name
    """The ``tensors`` passed through Identities that all wait for all of them (``tf.tuple``)."""
    with ops.name_scope(name, "tuple", tensors) as scope:
        gating_ops = [t.op for t in tensors if t is not None]
        if control_inputs:
            gating_ops += _as_ops(control_inputs)
        gating_ops = sorted(set(gating_ops), key=lambda op: op._id)
        if not gating_ops:
            raise ValueError("'tensors' must have at least one Tensor: %s" % tensors)
        gate = group(*gating_ops)
        return [None if t is None else with_dependencies([gate], t) for t in tensors]
