"""Gradients of the neural-network ops (``nn_ops``: activations, softmax, cross-entropies, top-k, L2 loss, fused batch
norm; ``conv_ops``: convolutions, LRN, bias; ``pooling_ops``), named like TensorFlow's ``python/ops/nn_grad.py``."""

from minitf.framework import op_registry
from minitf.framework.op_def_lib import RegisterGradient, apply_op, apply_op_1, declared_attrs
from minitf.ops import array_ops, conv_ops, math_ops, nn_ops, pooling_ops  # noqa: F401 -- pooling's grad ops


def _activation_grad(op, grad):
    """Relu, Relu6, Elu, Selu, LeakyRelu, Softplus, Softsign: the op's ``<type>Grad`` op of the incoming gradient and
    the op's input (its output for Elu and Selu), with the op's attrs."""
    uses_output = nn_ops._ACTIVATIONS[op.type][2]
    attrs = dict({"T": op.get_attr("T")}, **{k: op.get_attr(k) for k in op_registry.get(op.type).attr_defaults})
    return apply_op_1(op.type + "Grad", [grad, op.outputs[0] if uses_output else op.inputs[0]], attrs)


for _op_type in nn_ops._ACTIVATIONS:
    RegisterGradient(_op_type)(_activation_grad)


@RegisterGradient("Softmax")
def _softmax_grad(op, grad_softmax):
    softmax = op.outputs[0]
    sum_channels = math_ops.reduce_sum(grad_softmax * softmax, -1, keepdims=True)
    return (grad_softmax - sum_channels) * softmax


@RegisterGradient("LogSoftmax")
def _log_softmax_grad(op, grad):
    softmax = math_ops.exp(op.outputs[0])
    return grad - math_ops.reduce_sum(grad, -1, keepdims=True) * softmax


@RegisterGradient("PreventGradient")
def _prevent_gradient_grad(op, _):
    raise LookupError(f"Gradient explicitly disabled. Reason: {op.get_attr('message').decode()}")


@RegisterGradient("SoftmaxCrossEntropyWithLogits")
def _softmax_xent_grad(op, grad_loss, grad_grad):
    softmax_grad = op.outputs[1]
    grad = nn_ops._broadcast_mul(grad_loss, softmax_grad)
    logits = op.inputs[0]
    if grad_grad is not None and not getattr(grad_grad, "_is_zeros_tensor", False):
        softmax = apply_op_1("Softmax", [logits], {"T": logits.dtype.base_dtype})
        grad += ((grad_grad - array_ops.squeeze(
            math_ops.matmul(array_ops.expand_dims(grad_grad, 1), array_ops.expand_dims(softmax, 2)), axis=1))
                 * softmax)
    return grad, nn_ops._broadcast_mul(grad_loss, -apply_op_1("LogSoftmax", [logits], {"T": logits.dtype.base_dtype}))


@RegisterGradient("SparseSoftmaxCrossEntropyWithLogits")
def _sparse_softmax_xent_grad(op, grad_loss, grad_grad):
    message = ("Currently there is no way to take the second derivative of sparse_softmax_cross_entropy_with_logits "
               "due to the fused implementation's interaction with tf.gradients()")
    sparse_grad = nn_ops._prevent_gradient(op.outputs[1], message)
    return nn_ops._broadcast_mul(grad_loss, sparse_grad), None


@RegisterGradient("TopKV2")
def _top_k_grad(op, grad, _):
    """Scatters each gradient back to the input position its index names (TF uses ScatterNd; the indices of a
    row are distinct, so a segment sum is the same)."""
    in_shape = array_ops.shape(op.inputs[0])
    indices = op.outputs[1]
    in_lastdim = array_ops.gather(in_shape, array_ops.size(in_shape) - 1)
    ind_2d = array_ops.reshape(indices, array_ops.stack([-1, array_ops.gather(array_ops.shape(indices),
                                                                              array_ops.rank(indices) - 1)]))
    outerdim = array_ops.gather(array_ops.shape(ind_2d), 0)
    offsets = array_ops.expand_dims(array_ops.range(0, outerdim * in_lastdim, in_lastdim), -1)
    ind = array_ops.reshape(ind_2d + offsets, [-1])
    scattered = array_ops.unsorted_segment_sum(array_ops.reshape(grad, [-1]), ind, math_ops.reduce_prod(in_shape))
    return [array_ops.reshape(scattered, in_shape), None]


@RegisterGradient("L2Loss")
def _l2_loss_grad(op, grad):
    return op.inputs[0] * grad


@RegisterGradient("FusedBatchNormV3")
def _fused_batch_norm_grad(op, grad_y, *_):
    """TF's ``_BaseFusedBatchNormGrad``: training mode differentiates through the batch statistics (outputs 3
    and 4); inference mode uses the population statistics (inputs 3 and 4) in NHWC/NDHWC layout."""
    x, scale = op.inputs[0], op.inputs[1]
    data_format, is_training = op.get_attr("data_format"), op.get_attr("is_training")
    attrs = {"T": op.get_attr("T"), "U": op.get_attr("U"), "epsilon": op.get_attr("epsilon"),
             "data_format": data_format, "is_training": is_training}
    if is_training:
        inputs = [grad_y, x, scale, op.outputs[3], op.outputs[4], op.outputs[5]]
        dx, dscale, doffset = apply_op("FusedBatchNormGradV3", inputs, attrs).outputs[:3]
        return dx, dscale, doffset, None, None
    to_last = {b"NCHW": [0, 2, 3, 1], b"NCDHW": [0, 2, 3, 4, 1]}.get(data_format)
    if to_last is not None:
        x, grad_y = array_ops.transpose(x, to_last), array_ops.transpose(grad_y, to_last)
        attrs["data_format"] = b"NHWC" if data_format == b"NCHW" else b"NDHWC"
    inputs = [grad_y, x, scale, op.inputs[3], op.inputs[4], op.outputs[5]]
    dx, dscale, doffset = apply_op("FusedBatchNormGradV3", inputs, attrs).outputs[:3]
    if to_last is not None:
        dx = array_ops.transpose(dx, [0, len(to_last) - 1] + list(range(1, len(to_last) - 1)))
    return dx, dscale, doffset, None, None


@RegisterGradient("Conv2D")
def _conv2d_grad(op, grad):
    shape_0, shape_1 = array_ops.shape_n([op.inputs[0], op.inputs[1]])
    attrs = declared_attrs(op)
    return [apply_op_1("Conv2DBackpropInput", [shape_0, op.inputs[1], grad], attrs),
            apply_op_1("Conv2DBackpropFilter", [op.inputs[0], shape_1, grad], attrs)]


@RegisterGradient("Conv2DBackpropInput")
def _conv2d_backprop_input_grad(op, grad):
    attrs = declared_attrs(op)
    return [None,
            apply_op_1("Conv2DBackpropFilter", [grad, array_ops.shape(op.inputs[1]), op.inputs[2]], attrs),
            apply_op_1("Conv2D", [grad, op.inputs[1]], attrs)]


@RegisterGradient("DepthwiseConv2dNative")
def _depthwise_grad(op, grad):
    attrs = declared_attrs(op)
    return [apply_op_1("DepthwiseConv2dNativeBackpropInput", [array_ops.shape(op.inputs[0]), op.inputs[1], grad],
                       attrs),
            apply_op_1("DepthwiseConv2dNativeBackpropFilter", [op.inputs[0], array_ops.shape(op.inputs[1]), grad],
                       attrs)]


@RegisterGradient("MaxPool")
def _max_pool_grad(op, grad):
    attrs = declared_attrs(op)
    return apply_op_1("MaxPoolGrad", [op.inputs[0], op.outputs[0], grad], attrs)


@RegisterGradient("AvgPool")
def _avg_pool_grad(op, grad):
    attrs = declared_attrs(op)
    return apply_op_1("AvgPoolGrad", [array_ops.shape(op.inputs[0]), grad], attrs)


@RegisterGradient("LRN")
def _lrn_grad(op, grad):
    attrs = {k: op.get_attr(k) for k in ("T", "depth_radius", "bias", "alpha", "beta")}
    return apply_op_1("LRNGrad", [grad, op.inputs[0], op.outputs[0]], attrs)


@RegisterGradient("BiasAdd")
def _bias_add_grad(op, received_grad):
    attrs = {"T": op.get_attr("T"), "data_format": op.get_attr("data_format")}
    return received_grad, apply_op_1("BiasAddGrad", [received_grad], attrs)
