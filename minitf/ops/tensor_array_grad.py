"""Gradients of the TensorArray ops, as TensorFlow's tensor_array_grad.py: a read's gradient is written to the
gradient array of its ``tf.gradients`` call, a write's gradient is read from it; gather and scatter, concat and
split pair up the same way. Flows order the gradient ops after the forward ones."""

from minitf.framework import ops
from minitf.framework.op_def_lib import RegisterGradient
from minitf.ops import array_ops, tensor_array_ops


def _GetGradSource(op_or_tensor):  # noqa: N802 -- TensorFlow's name
    """The name scope of the ``tf.gradients`` call that made ``op_or_tensor`` (``gradients``, ``gradients_1``...),
    so that each call accumulates into its own gradient array."""
    name_tokens = op_or_tensor.name.split("/")
    grad_pos = [i for i, x in enumerate(name_tokens) if x.startswith("gradients")]
    if not grad_pos:
        raise ValueError(f"Expected op/tensor name to start with gradients (excluding scope), got: "
                         f"{op_or_tensor.name}. This means that a tf.gradients op with this op in its dependency "
                         "path has a custom name that does not start with 'gradients'. Please make sure all calls "
                         "to tf.gradients that have non-empty `name` arguments use names that start with "
                         "'gradients'.")
    return "/".join(name_tokens[:grad_pos[-1] + 1])


def _grad_array(op, dtype, flow, source):
    return (tensor_array_ops.TensorArray(dtype=dtype, handle=op.inputs[0], flow=flow,
                                         colocate_with_first_write_call=False)
            .grad(source=source, flow=flow))


def _write_barrier(op, flow):
    """``flow`` held until the forward write has happened."""
    flow_out = array_ops.identity(op.outputs[0], "flow_out")
    with ops.control_dependencies([flow_out]):
        return array_ops.identity(flow, "write_barrier")


@RegisterGradient("TensorArrayReadV3")
def _TensorArrayReadGrad(op, grad):  # noqa: N802
    flow = op.inputs[2]
    g = _grad_array(op, op.get_attr("dtype"), flow, _GetGradSource(grad))
    return [None, None, g.write(op.inputs[1], grad).flow]


@RegisterGradient("TensorArrayWriteV3")
def _TensorArrayWriteGrad(op, flow):  # noqa: N802
    source = _GetGradSource(flow)
    flow = _write_barrier(op, flow)
    g = _grad_array(op, op.get_attr("T"), flow, source)
    return [None, None, g.read(op.inputs[1]), flow]


@RegisterGradient("TensorArrayGatherV3")
def _TensorArrayGatherGrad(op, grad):  # noqa: N802
    flow = op.inputs[2]
    g = _grad_array(op, op.get_attr("dtype"), flow, _GetGradSource(grad))
    return [None, None, g.scatter(op.inputs[1], grad).flow]


@RegisterGradient("TensorArrayScatterV3")
def _TensorArrayScatterGrad(op, flow):  # noqa: N802
    source = _GetGradSource(flow)
    flow = _write_barrier(op, flow)
    g = _grad_array(op, op.get_attr("T"), flow, source)
    return [None, None, g.gather(op.inputs[1]), flow]


@RegisterGradient("TensorArrayConcatV3")
def _TensorArrayConcatGrad(op, grad, unused_lengths_grad):  # noqa: N802
    flow = op.inputs[1]
    g = _grad_array(op, op.get_attr("dtype"), flow, _GetGradSource(grad))
    return [None, g.split(grad, lengths=op.outputs[1]).flow]


@RegisterGradient("TensorArraySplitV3")
def _TensorArraySplitGrad(op, flow):  # noqa: N802
    source = _GetGradSource(flow)
    flow = _write_barrier(op, flow)
    g = _grad_array(op, op.get_attr("T"), flow, source)
    return [None, g.concat(), None, flow]
