"""What ``tf.gradients`` needs to differentiate through TF1 control flow (TensorFlow's control_flow_state.py)."""

from minitf.framework import ops
from minitf.ops import array_ops, control_flow_ops
from minitf.ops import control_flow_util as util


def ZerosLike(op, index):
    """Zeros for output ``index`` of ``op``; for a cond's Switch, made only in the branch not taken."""
    if not util.IsSwitch(op):
        return array_ops.zeros_like(op.outputs[index], optimize=False)
    return _ZerosLikeV1(op, index)


def _ZerosLikeV1(op, index):
    val = op.outputs[index]
    op_ctxt = op._get_control_flow_context()
    if op_ctxt:
        pred = op_ctxt.pred
        branch = op_ctxt.branch
        switch_val = control_flow_ops.switch(op.inputs[0], pred)[1 - branch]
        pivot = array_ops.identity(switch_val)  # ops inside zeros() run only on the other branch
        zeros_shape = array_ops.shape_internal(switch_val, optimize=False)
        with ops.control_dependencies([pivot]):
            return array_ops.zeros(zeros_shape, dtype=val.dtype)
    return array_ops.zeros_like(val, optimize=False)
