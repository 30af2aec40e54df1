"""Gradients of the control-flow ops, as TensorFlow's control_flow_grad.py builds them.

A cond's Switch becomes a Merge of the branch gradients (``cond_grad``) and its Merge a Switch on the same
predicate; in a while loop's gradient the roles swap the same way, Exit becomes Enter (``b_exit``) and Enter
becomes Exit, or an accumulator loop for a loop invariant.
"""

from minitf.framework import dtypes, ops
from minitf.framework.op_def_lib import RegisterGradient
from minitf.ops import control_flow_ops, control_flow_util, math_ops
from minitf.ops.control_flow_ops import CondContext, exit, merge, switch


def _is_while_context(ctxt):
    return ctxt is not None and ctxt.IsWhileContext()


@RegisterGradient("Switch")
@RegisterGradient("RefSwitch")
def _SwitchGrad(op, *grad):
    """A Merge of the output gradients; a loop Switch is visited twice (its back edge is added the second time)."""
    graph = ops.get_default_graph()
    op_ctxt = op._get_control_flow_context()
    grad_ctxt = graph._get_control_flow_context()
    if _is_while_context(op_ctxt):
        merge_grad = grad_ctxt.grad_state.switch_map.get(op)
        if merge_grad is not None:
            if grad[1] is not None:
                from minitf.ops.while_loop import _AddNextAndBackEdge
                _AddNextAndBackEdge(merge_grad, grad[1], enforce_shape_invariant=False)
            return None, None
        if grad[0] is not None:
            merge_grad = merge([grad[0], grad[0]], name="b_switch")[0]
            grad_ctxt.grad_state.switch_map[op] = merge_grad
            return merge_grad, None
        return None, None
    if isinstance(op_ctxt, CondContext):
        zero_grad = grad[1 - op_ctxt.branch]
        if zero_grad is None:
            if op.inputs[0].dtype == dtypes.resource:
                return merge([grad[op_ctxt.branch]] * 2, name="cond_resource_grad")[0], None
            return None, None
        return merge(grad, name="cond_grad")[0], None
    false_grad = switch(grad[0], op.inputs[1])[0]
    true_grad = switch(grad[1], op.inputs[1])[1]
    return merge([false_grad, true_grad])[0], None


@RegisterGradient("Merge")
@RegisterGradient("RefMerge")
def _MergeGrad(op, grad, _):
    """A Switch of the gradient on the predicate that chose the Merge's input."""
    input_op = op.inputs[0].op
    graph = ops.get_default_graph()
    op_ctxt = control_flow_util.GetOutputContext(input_op)
    grad_ctxt = graph._get_control_flow_context()
    if _is_while_context(op_ctxt):
        return control_flow_ops._SwitchRefOrTensor(grad, grad_ctxt.pivot)
    if isinstance(op_ctxt, CondContext):
        pred = op_ctxt.pred
        if grad_ctxt and grad_ctxt.grad_state:
            grad_state = grad_ctxt.grad_state
            real_pred = grad_state.history_map.get(pred.name)
            if real_pred is None:
                grad_ctxt = grad_state.grad_context
                grad_ctxt.Exit()
                history_pred = grad_state.AddForwardAccumulator(pred)
                grad_ctxt.Enter()
                real_pred = grad_state.AddBackpropAccumulatedValue(history_pred, pred)
                grad_state.history_map[pred.name] = real_pred
            pred = real_pred
        return control_flow_ops._SwitchRefOrTensor(grad, pred, name="cond_grad")
    num_inputs = len(op.inputs)
    cond = [math_ops.equal(op.outputs[1], i) for i in range(num_inputs)]
    return [control_flow_ops._SwitchRefOrTensor(grad, cond[i])[1] for i in range(num_inputs)]


@RegisterGradient("Exit")
@RegisterGradient("RefExit")
def _ExitGrad(op, grad):
    """An Enter of the gradient into the gradient loop's frame."""
    graph = ops.get_default_graph()
    op_ctxt = op._get_control_flow_context()
    grad_ctxt = graph._get_control_flow_context()
    if not grad_ctxt.back_prop:
        return None
    if op_ctxt.grad_state:
        raise TypeError("Second-order gradient for while loops not supported.")
    grad_ctxt.AddName(grad.name)
    grad_ctxt.Enter()
    result = control_flow_ops._Enter(grad, grad_ctxt.name, is_constant=False,
                                     parallel_iterations=grad_ctxt.parallel_iterations, name="b_exit")
    grad_ctxt.loop_enters.append(result)
    grad_ctxt.Exit()
    return result


@RegisterGradient("NextIteration")
@RegisterGradient("RefNextIteration")
def _NextIterationGrad(_, grad):
    return grad


@RegisterGradient("Enter")
@RegisterGradient("RefEnter")
def _EnterGrad(op, grad):
    """An Exit for a loop variable's gradient; an accumulator loop summing a loop invariant's gradients."""
    graph = ops.get_default_graph()
    grad_ctxt = graph._get_control_flow_context()
    if grad_ctxt is None or not grad_ctxt.back_prop or grad_ctxt.grad_state is None:
        return grad
    if op.get_attr("is_constant"):
        return grad_ctxt.AddBackpropAccumulator(op, grad)
    result = exit(grad)
    grad_ctxt.loop_exits.append(result)
    grad_ctxt.ExitResult([result])
    return result


@RegisterGradient("LoopCond")
def _LoopCondGrad(_):
    return None


@RegisterGradient("RefIdentity")
def _RefIdentityGrad(_, grad):
    return grad
