"""The stack ops (StackV2, StackPushV2, StackPopV2) a while loop's gradient uses to keep forward values.

Each run of StackV2 makes a new stack (a Python list is its handle's value); pushes in the forward loop and pops
in the gradient loop then see the values of every iteration in reverse order.
"""

from minitf.framework import dtypes, ops, tensor_shape
from minitf.framework.op_def_lib import invalid_argument, no_gradient, register


class _Stack(list):
    __slots__ = ("name",)


def _stack_kernel(op, state):
    name = op._attrs.get("stack_name") or op.name

    def run(max_size):
        stack = _Stack()
        stack.name = name
        return stack
    return run


def _push_kernel(op, state):
    def run(stack, elem):
        stack.append(elem)
        return elem
    return run


def _pop_kernel(op, state):
    def run(stack):
        if not stack:
            raise invalid_argument(f"Stack[{stack.name}] is empty.")
        return stack.pop()
    return run


register("StackV2", lambda op: [(dtypes.resource, tensor_shape.TensorShape([]))], _stack_kernel, stateful=True,
         input_names=("max_size",))
register("StackPushV2", lambda op: [(op.inputs[1].dtype.base_dtype, op.inputs[1].shape)], _push_kernel,
         stateful=True, input_names=("handle", "elem"))
register("StackPopV2", lambda op: [(op.get_attr("elem_type"), tensor_shape.unknown_shape())], _pop_kernel,
         stateful=True, input_names=("handle",))
no_gradient("StackV2")
no_gradient("StackPushV2")
no_gradient("StackPopV2")


def stack_v2(max_size, elem_type, stack_name="", name=None):
    graph = ops.get_default_graph()
    with graph.name_scope(name or "StackV2") as scope:
        max_size = ops.convert_to_tensor(max_size, dtype=dtypes.int32, name="max_size")
        attrs = {"elem_type": dtypes.as_dtype(elem_type), "stack_name": stack_name}
        return graph.create_op("StackV2", [max_size], attrs, scope)._outputs[0]


def stack_push_v2(handle, elem, swap_memory=False, name=None):
    elem = ops.convert_to_tensor(elem)
    attrs = {"T": elem.dtype.base_dtype, "swap_memory": bool(swap_memory)}
    return ops.get_default_graph().create_op("StackPushV2", [handle, elem], attrs, name or "StackPushV2")._outputs[0]


def stack_pop_v2(handle, elem_type, name=None):
    attrs = {"elem_type": dtypes.as_dtype(elem_type)}
    return ops.get_default_graph().create_op("StackPopV2", [handle], attrs, name or "StackPopV2")._outputs[0]
