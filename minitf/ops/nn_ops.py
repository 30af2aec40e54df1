"""Neural-network ops other than convolutions: activations, softmax and cross-entropies, top-k, L2 loss,
moments and batch normalization — TensorFlow's op types, attrs and gradients, and its Python compositions."""

import collections

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape, tensor_util
from minitf.framework.op_def_lib import (apply_op, apply_op_1, invalid_argument, no_gradient, pure, pure_with_attrs,
                                         register, same_as_input)
from minitf.ops import array_ops, conv_ops, kernel_threads, math_ops

TensorShape = tensor_shape.TensorShape


def _features_op(op_type, x, name, attrs=None):
    with ops.name_scope(name, op_type, [x]) as scope:
        x = ops.convert_to_tensor(x, name="features")
        return apply_op_1(op_type, [x], dict({"T": x.dtype.base_dtype}, **(attrs or {})), scope)


# -- activations -------------------------------------------------------------------------------------------------

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _elu(x):
    with np.errstate(over="ignore"):
        return np.where(x < 0, np.expm1(np.minimum(x, 0)), x).astype(x.dtype, copy=False)


def _softplus(x):
    with np.errstate(over="ignore"):
        return (np.logaddexp(x, np.zeros_like(x))).astype(x.dtype, copy=False)


def _relu(x):
    if x.nbytes < kernel_threads.ELEMENTWISE_BYTES or x.dtype.kind != "f":
        return np.maximum(x, 0).astype(x.dtype, copy=False)
    out = np.empty(x.shape, x.dtype)
    kernel_threads.for_rows(lambda v, out: np.maximum(v, 0, out=out), out.reshape(-1), x.reshape(-1))
    return out


def _relu_grad(dy, x):
    """TF's ReluGrad multiplies: NaN or inf dy stays NaN."""
    if dy.nbytes < kernel_threads.ELEMENTWISE_BYTES or dy.shape != x.shape or dy.dtype.kind != "f":
        return dy * (x > 0)
    out = np.empty(dy.shape, dy.dtype)
    kernel_threads.for_rows(lambda d, v, out: np.multiply(d, v > 0, out=out), out.reshape(-1), dy.reshape(-1),
                            x.reshape(-1))
    return out


_ACTIVATIONS = {
    # op type: (forward(x, attrs), backward(dy, x or y, attrs), does the grad op take the output y?)
    "Relu": (lambda x, a: _relu(x), lambda dy, x, a: _relu_grad(dy, x), False),
    "Relu6": (lambda x, a: np.clip(x, 0, 6).astype(x.dtype, copy=False),
              lambda dy, x, a: np.where((x > 0) & (x < 6), dy, 0).astype(dy.dtype, copy=False), False),
    "Elu": (lambda x, a: _elu(x),
            lambda dy, y, a: np.where(y < 0, dy * (y + 1), dy).astype(dy.dtype, copy=False), True),
    "Selu": (lambda x, a: (_SELU_SCALE * np.where(x < 0, _SELU_ALPHA * np.expm1(np.minimum(x, 0)), x)).astype(x.dtype),
             lambda dy, y, a: np.where(y < 0, dy * (y + _SELU_ALPHA * _SELU_SCALE),
                                       dy * _SELU_SCALE).astype(dy.dtype), True),
    "LeakyRelu": (lambda x, a: np.where(x > 0, x, x * np.asarray(a["alpha"], x.dtype)).astype(x.dtype, copy=False),
                  lambda dy, x, a: np.where(x > 0, dy, dy * np.asarray(a["alpha"], dy.dtype)).astype(dy.dtype), False),
    "Softplus": (lambda x, a: _softplus(x),
                 lambda dy, x, a: (dy / (1 + np.exp(-x.astype(np.float64)))).astype(dy.dtype), False),
    "Softsign": (lambda x, a: (x / (1 + np.abs(x))).astype(x.dtype, copy=False),
                 lambda dy, x, a: (dy / np.square(1 + np.abs(x))).astype(dy.dtype, copy=False), False),
}


def _register_activation(op_type, forward, backward, uses_output):
    attr_defaults = {"alpha": 0.2} if op_type == "LeakyRelu" else {}
    grad_type = op_type + "Grad"

    def attrs_of(op):
        return {k: op.get_attr(k) for k in attr_defaults}

    def forward_kernel(op):
        a = attrs_of(op)
        return lambda x: forward(x, a)

    def backward_kernel(op):
        a = attrs_of(op)
        return lambda dy, z: backward(dy, z, a)

    register(op_type, same_as_input(), pure_with_attrs(forward_kernel), input_names=("features",),
             attr_defaults=attr_defaults)
    register(grad_type, same_as_input(), pure_with_attrs(backward_kernel),
             input_names=("gradients", "outputs" if uses_output else "features"), attr_defaults=attr_defaults)


for _op_type, (_forward, _backward, _uses_output) in _ACTIVATIONS.items():
    _register_activation(_op_type, _forward, _backward, _uses_output)


def relu(features, name=None):
    return _features_op("Relu", features, name)


def relu6(features, name=None):
    return _features_op("Relu6", features, name)


def elu(features, name=None):
    return _features_op("Elu", features, name)


def selu(features, name=None):
    return _features_op("Selu", features, name)


def leaky_relu(features, alpha=0.2, name=None):
    return _features_op("LeakyRelu", features, name, {"alpha": float(alpha)})


def softplus(features, name=None):
    return _features_op("Softplus", features, name)


def softsign(features, name=None):
    return _features_op("Softsign", features, name)


# -- softmax -------------------------------------------------------------------------------------------------------

def _softmax_kernel(x):
    shifted = x - x.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return (e / e.sum(axis=-1, keepdims=True)).astype(x.dtype, copy=False)


def _log_softmax_kernel(x):
    shifted = x - x.max(axis=-1, keepdims=True)
    return (shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))).astype(x.dtype, copy=False)


def _softmax_infer(op):
    x = op.inputs[0]
    if x.shape.ndims is not None and x.shape.ndims < 1:
        raise ValueError(f"Shape must be at least rank 1 but is rank 0 for '{op.name}' (op: '{op.type}')")
    return [(x.dtype.base_dtype, x.shape)]


register("Softmax", _softmax_infer, pure(_softmax_kernel), input_names=("logits",))
register("LogSoftmax", _softmax_infer, pure(_log_softmax_kernel), input_names=("logits",))


def _last_axis_op(op_type, logits, axis, name):
    """Softmax and LogSoftmax act on the last axis; another axis is swapped to the end and back, as in TF."""
    logits = ops.convert_to_tensor(logits)
    rank = logits.shape.ndims
    if axis is None or axis == -1 or (rank is not None and axis == rank - 1):
        with ops.name_scope(name, op_type, [logits]) as scope:
            return apply_op_1(op_type, [logits], {"T": logits.dtype.base_dtype}, scope)
    if rank is None:
        raise ValueError("minitf needs the rank of logits to apply softmax along a non-last axis")
    axis %= rank
    perm = list(range(rank))
    perm[axis], perm[-1] = perm[-1], perm[axis]
    swapped = array_ops.transpose(logits, perm)
    out = apply_op_1(op_type, [swapped], {"T": logits.dtype.base_dtype})
    return array_ops.transpose(out, perm, name=name)


def softmax(logits, axis=None, name=None, dim=None):
    """``tf.nn.softmax``."""
    return _last_axis_op("Softmax", logits, dim if axis is None else axis, name)


def log_softmax(logits, axis=None, name=None, dim=None):
    """``tf.nn.log_softmax``."""
    return _last_axis_op("LogSoftmax", logits, dim if axis is None else axis, name)


# -- cross-entropies ---------------------------------------------------------------------------------------------

def _xent_infer(op):
    logits = op.inputs[0]
    dtype = logits.dtype.base_dtype
    batch = logits.shape.as_tuple()[0] if logits.shape.ndims else None
    return [(dtype, TensorShape([batch])), (dtype, logits.shape)]


def _softmax_xent_kernel(logits, labels):
    if logits.shape != labels.shape:
        raise invalid_argument(f"logits and labels must be broadcastable: logits_size={list(logits.shape)} "
                               f"labels_size={list(labels.shape)}")
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_sum = np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = (labels * (log_sum - shifted)).sum(axis=1)
    backprop = np.exp(shifted - log_sum) - labels
    return loss.astype(logits.dtype, copy=False), backprop.astype(logits.dtype, copy=False)


def _sparse_xent_kernel(logits, labels):
    classes = logits.shape[1]
    bad = (labels < 0) | (labels >= classes)
    if bad.any():
        raise invalid_argument(f"Received a label value of {labels[bad][0]} which is outside the valid range of "
                               f"[0, {classes}).  Label values: {' '.join(str(int(v)) for v in labels)}")
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_sum = np.log(np.exp(shifted).sum(axis=1))
    rows = np.arange(len(labels))
    loss = log_sum - shifted[rows, labels]
    backprop = np.exp(shifted - log_sum[:, None])
    backprop[rows, labels] -= 1
    return loss.astype(logits.dtype, copy=False), backprop.astype(logits.dtype, copy=False)


register("SoftmaxCrossEntropyWithLogits", _xent_infer, pure(_softmax_xent_kernel), input_names=("features", "labels"))
register("SparseSoftmaxCrossEntropyWithLogits", _xent_infer, pure(_sparse_xent_kernel),
         input_names=("features", "labels"))
register("PreventGradient", same_as_input(), pure(lambda x: x), input_names=("input",), attr_defaults={"message": b""})


def _prevent_gradient(x, message):
    return apply_op_1("PreventGradient", [x], {"T": x.dtype.base_dtype, "message": message.encode()})


def _broadcast_mul(vec, mat):
    return array_ops.expand_dims(vec, -1) * mat


def softmax_cross_entropy_with_logits_v2(labels, logits, axis=-1, name=None, dim=None):
    """``tf.nn.softmax_cross_entropy_with_logits_v2``: gradients flow into both labels and logits."""
    axis = dim if dim is not None else axis
    with ops.name_scope(name, "softmax_cross_entropy_with_logits", [logits, labels]) as scope:
        logits = ops.convert_to_tensor(logits, name="logits")
        labels = math_ops.cast(ops.convert_to_tensor(labels, name="labels"), logits.dtype.base_dtype)
        rank = logits.shape.ndims
        if rank is not None and axis % rank != rank - 1:
            raise ValueError("minitf supports softmax_cross_entropy_with_logits on the last axis only")
        shape = logits.shape
        if rank is not None and rank != 2:
            logits = array_ops.reshape(logits, [-1, shape.as_tuple()[-1] or -1])
            labels = array_ops.reshape(labels, [-1, shape.as_tuple()[-1] or -1])
        op = apply_op("SoftmaxCrossEntropyWithLogits", [logits, labels], {"T": logits.dtype.base_dtype}, scope)
        cost = op.outputs[0]
        if rank is not None and rank != 2:
            cost = array_ops.reshape(cost, [d if d is not None else -1 for d in shape.as_tuple()[:-1]])
        return cost


def softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, dim=-1, name=None, axis=None):
    """``tf.nn.softmax_cross_entropy_with_logits`` (TF1): like v2, but no gradient flows into ``labels``."""
    if _sentinel is not None:
        raise ValueError("Only call `softmax_cross_entropy_with_logits` with named arguments (labels=..., logits=..., ...)")
    if labels is None or logits is None:
        raise ValueError("Both labels and logits must be provided.")
    with ops.name_scope(name, "softmax_cross_entropy_with_logits_sg", [logits, labels]) as scope:
        labels = array_ops.stop_gradient(labels, name="labels_stop_gradient")
    return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits, axis=dim if axis is None else axis,
                                                name=scope)


def sparse_softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """``tf.nn.sparse_softmax_cross_entropy_with_logits``: ``labels`` are class indices."""
    if _sentinel is not None:
        raise ValueError("Only call `sparse_softmax_cross_entropy_with_logits` with named arguments "
                         "(labels=..., logits=..., ...)")
    with ops.name_scope(name, "SparseSoftmaxCrossEntropyWithLogits", [labels, logits]):
        labels = ops.convert_to_tensor(labels)
        logits = ops.convert_to_tensor(logits)
        labels_rank, logits_rank = labels.shape.ndims, logits.shape.ndims
        if logits_rank == 0:
            raise ValueError(f"Logits cannot be scalars - received shape {logits.shape}.")
        if labels_rank is not None and logits_rank is not None and labels_rank != logits_rank - 1:
            raise ValueError(f"Rank mismatch: Rank of labels (received {labels_rank}) should equal rank of logits "
                             f"minus 1 (received {logits_rank}).")
        if labels_rank is not None and logits_rank is not None:
            for a, b in zip(labels.shape.as_tuple(), logits.shape.as_tuple()[:-1]):
                if a is not None and b is not None and a != b:
                    raise ValueError(f"Shape mismatch: The shape of labels (received {labels.shape}) should equal "
                                     f"the shape of logits except for the last dimension (received {logits.shape}).")
        attrs = {"T": logits.dtype.base_dtype, "Tlabels": labels.dtype.base_dtype}
        if logits_rank == 2:
            return apply_op("SparseSoftmaxCrossEntropyWithLogits", [logits, labels], attrs, name).outputs[0]
        classes = logits.shape.as_tuple()[-1] if logits_rank is not None else None
        flat_logits = array_ops.reshape(logits, [-1, classes if classes is not None else -1])
        flat_labels = array_ops.reshape(labels, [-1])
        cost = apply_op("SparseSoftmaxCrossEntropyWithLogits", [flat_logits, flat_labels], attrs).outputs[0]
        return array_ops.reshape(cost, array_ops.shape(labels), name=name)


def sigmoid_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """``tf.nn.sigmoid_cross_entropy_with_logits``: ``max(x, 0) - x * z + log(1 + exp(-|x|))``."""
    if _sentinel is not None:
        raise ValueError("Only call `sigmoid_cross_entropy_with_logits` with named arguments "
                         "(labels=..., logits=..., ...)")
    with ops.name_scope(name, "logistic_loss", [logits, labels]) as scope:
        logits = ops.convert_to_tensor(logits, name="logits")
        labels = ops.convert_to_tensor(labels, name="labels", dtype=logits.dtype.base_dtype)
        if not logits.shape.is_compatible_with(labels.shape):
            raise ValueError(f"logits and labels must have the same shape ({logits.shape} vs {labels.shape})")
        zeros = array_ops.zeros_like(logits, dtype=logits.dtype)
        cond = logits >= zeros
        relu_logits = array_ops.where(cond, logits, zeros)
        neg_abs_logits = array_ops.where(cond, -logits, logits)
        return math_ops.add(relu_logits - logits * labels, math_ops.log1p(math_ops.exp(neg_abs_logits)), name=scope)


def weighted_cross_entropy_with_logits(labels=None, logits=None, pos_weight=None, name=None, targets=None):
    """``tf.nn.weighted_cross_entropy_with_logits``: the sigmoid cross-entropy with positives weighted."""
    labels = targets if labels is None else labels
    with ops.name_scope(name, "logistic_loss", [logits, labels]) as scope:
        logits = ops.convert_to_tensor(logits, name="logits")
        labels = ops.convert_to_tensor(labels, name="labels", dtype=logits.dtype.base_dtype)
        log_weight = 1 + (pos_weight - 1) * labels
        return math_ops.add((1 - labels) * logits,
                            log_weight * (math_ops.log1p(math_ops.exp(-math_ops.abs(logits))) + relu(-logits)),
                            name=scope)


# -- top-k -------------------------------------------------------------------------------------------------------

def _top_k_infer(op):
    x, k = op.inputs
    k_value = tensor_util.constant_value(k)
    if x.shape.ndims is None:
        shape = tensor_shape.unknown_shape()
    else:
        dims = list(x.shape.as_tuple())
        if k_value is not None and dims[-1] is not None and int(k_value) > dims[-1]:
            raise ValueError(f"input must have at least k columns. Had {dims[-1]}, needed {int(k_value)} for "
                             f"'{op.name}' (op: 'TopKV2')")
        shape = TensorShape(dims[:-1] + [int(k_value) if k_value is not None else None])
    return [(x.dtype.base_dtype, shape), (op.get_attr("index_type"), shape)]


def _top_k_kernel(op):
    index_type = op.get_attr("index_type").as_numpy_dtype

    def top_k_values_and_indices(x, k):
        k = int(k)
        if k > x.shape[-1]:
            raise invalid_argument(f"input must have at least k columns. Had {x.shape[-1]}, needed {k}")
        indices = np.argsort(-x, axis=-1, kind="stable")[..., :k]  # ties: the lower index first, as TF
        return np.take_along_axis(x, indices, axis=-1), indices.astype(index_type)
    return top_k_values_and_indices


register("TopKV2", _top_k_infer, pure_with_attrs(_top_k_kernel), input_names=("input", "k"),
         attr_defaults={"sorted": True, "index_type": dtypes.int32})


def top_k(input, k=1, sorted=True, name=None):  # noqa: A002
    """``tf.nn.top_k``: the ``k`` largest entries of the last axis and their indices (ties: lower index first)."""
    with ops.name_scope(name, "TopKV2", [input]) as scope:
        x = ops.convert_to_tensor(input, name="input")
        k = ops.convert_to_tensor(k, dtype=dtypes.int32, name="k")
        op = apply_op("TopKV2", [x, k], {"T": x.dtype.base_dtype, "sorted": bool(sorted), "index_type": dtypes.int32},
                      scope)
        return TopKV2(op.outputs[0], op.outputs[1])


TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])  # what TensorFlow's tf.nn.top_k returns


def _in_top_k_kernel(predictions, targets, k):
    k = int(k)
    rows = np.arange(len(targets))
    valid = (targets >= 0) & (targets < predictions.shape[1])
    target_values = predictions[rows, np.where(valid, targets, 0)]
    finite = np.isfinite(predictions).all(axis=1) & np.isfinite(target_values)
    larger = (predictions > target_values[:, None]).sum(axis=1)
    return valid & finite & (larger < k)


register("InTopKV2", lambda op: [(dtypes.bool, TensorShape([op.inputs[1].shape.as_tuple()[0]
                                                               if op.inputs[1].shape.ndims else None]))],
         pure(_in_top_k_kernel), input_names=("predictions", "targets", "k"))
no_gradient("InTopKV2")


def in_top_k(predictions, targets, k, name=None):
    """``tf.nn.in_top_k``: whether each target's prediction is among the ``k`` largest (ties count as in)."""
    with ops.name_scope(name, "in_top_k") as scope:
        predictions = ops.convert_to_tensor(predictions, name="predictions")
        targets = ops.convert_to_tensor(targets, name="targets")
        k = ops.convert_to_tensor(k, dtype=targets.dtype.base_dtype, name="k")
        return apply_op_1("InTopKV2", [predictions, targets, k], {"T": targets.dtype.base_dtype}, scope)


# -- losses and normalization ------------------------------------------------------------------------------------

def _l2_loss_kernel(t):
    return np.asarray((np.square(t) * t.dtype.type(0.5)).sum(dtype=t.dtype), dtype=t.dtype)


register("L2Loss", lambda op: [(op.inputs[0].dtype.base_dtype, TensorShape([]))], pure(_l2_loss_kernel),
         input_names=("t",))


def l2_loss(t, name=None):
    """``tf.nn.l2_loss``: ``sum(t ** 2) / 2``."""
    with ops.name_scope(name, "L2Loss", [t]) as scope:
        t = ops.convert_to_tensor(t, name="t")
        return apply_op_1("L2Loss", [t], {"T": t.dtype.base_dtype}, scope)


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """``tf.nn.l2_normalize``: ``x / sqrt(max(sum(x ** 2), epsilon))`` along ``axis``."""
    axis = dim if axis is None else axis
    with ops.name_scope(name, "l2_normalize", [x]) as scope:
        x = ops.convert_to_tensor(x, name="x")
        square_sum = math_ops.reduce_sum(math_ops.square(x), axis, keepdims=True)
        x_inv_norm = math_ops.rsqrt(math_ops.maximum(square_sum, epsilon))
        return math_ops.multiply(x, x_inv_norm, name=scope)


def xw_plus_b(x, weights, biases, name=None):
    """``tf.nn.xw_plus_b``: ``matmul(x, weights)`` then ``bias_add`` of ``biases``, the BiasAdd named after the
    scope (``xw_plus_b``) as in TensorFlow."""
    with ops.name_scope(name, "xw_plus_b", [x, weights, biases]) as name:
        x = ops.convert_to_tensor(x, name="x")
        weights = ops.convert_to_tensor(weights, name="weights")
        biases = ops.convert_to_tensor(biases, name="biases")
        mm = math_ops.matmul(x, weights)
        return conv_ops.bias_add(mm, biases, name=name)


def _count_nonzero(input_tensor, dtype=dtypes.int64):
    with ops.name_scope("count_nonzero", values=[input_tensor]):
        zero = array_ops.zeros([], dtype=input_tensor.dtype)
        return math_ops.reduce_sum(math_ops.cast(math_ops.not_equal(input_tensor, zero), dtype=dtype),
                                   name="nonzero_count")


def zero_fraction(value, name=None):
    """``tf.nn.zero_fraction``: the fraction of zeros in ``value``, as float32, counted in int32 when the size
    fits (a ``tf.cond`` on the size, as in TensorFlow) and in int64 otherwise."""
    from minitf.ops.cond import cond  # cond builds on array_ops and math_ops, not on nn_ops
    with ops.name_scope(name, "zero_fraction", [value]):
        value = ops.convert_to_tensor(value, name="value")
        size = array_ops.size(value, out_type=dtypes.int64)
        num_nonzero = cond(size <= np.iinfo(np.int32).max,
                           true_fn=lambda: math_ops.cast(_count_nonzero(value, dtype=dtypes.int32), dtype=dtypes.int64),
                           false_fn=lambda: _count_nonzero(value, dtype=dtypes.int64))
        with ops.name_scope("counts_to_fraction"):
            num_zero = size - num_nonzero
            num_zero_float32 = math_ops.cast(num_zero, dtype=dtypes.float32)
            size_float32 = math_ops.cast(size, dtype=dtypes.float32)
            zero_fraction_float32 = num_zero_float32 / size_float32
        return array_ops.identity(zero_fraction_float32, "fraction")


def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    """``tf.nn.moments``: mean and variance of ``x`` over ``axes``."""
    keep = bool(keepdims if keepdims is not None else keep_dims)
    with ops.name_scope(name, "moments", [x, axes]):
        y = ops.convert_to_tensor(x)
        mean = math_ops.reduce_mean(y, axes, keepdims=True, name="mean")
        variance = math_ops.reduce_mean(math_ops.squared_difference(y, array_ops.stop_gradient(mean)), axes,
                                        keepdims=True, name="variance")
        if not keep:
            mean = array_ops.squeeze(mean, axes)
            variance = array_ops.squeeze(variance, axes)
        return mean, variance


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """``tf.nn.batch_normalization``: ``scale * (x - mean) / sqrt(variance + epsilon) + offset``."""
    with ops.name_scope(name, "batchnorm", [x, mean, variance, scale, offset]):
        inv = math_ops.rsqrt(variance + variance_epsilon)
        if scale is not None:
            inv *= scale
        x = ops.convert_to_tensor(x)
        return x * math_ops.cast(inv, x.dtype) + math_ops.cast(
            offset - mean * inv if offset is not None else -mean * inv, x.dtype)


# -- fused batch normalization -----------------------------------------------------------------------------------

def _channel_axis(data_format, rank):
    return 1 if data_format in (b"NCHW", b"NCDHW") else rank - 1


def _merged_channels(op, x_shape, vectors):
    """TF's shape-function checks: ``x_shape`` has the data format's rank and every tensor of ``vectors`` is a
    vector of its channel count. Returns (channel axis, channel count or None)."""
    data_format = op.get_attr("data_format")
    where = f"for '{op.name}' (op: '{op.type}')"
    if x_shape.ndims is not None and x_shape.ndims != len(data_format):
        raise ValueError(f"Shape must be rank {len(data_format)} but is rank {x_shape.ndims} {where}")
    axis = _channel_axis(data_format, len(data_format))
    channels = x_shape.as_tuple()[axis] if x_shape.ndims is not None else None
    for t in vectors:
        if t.shape.ndims not in (None, 1):
            raise ValueError(f"Shape must be rank 1 but is rank {t.shape.ndims} {where}")
        size = t.shape.as_tuple()[0] if t.shape.ndims == 1 else None
        if channels is not None and size is not None and channels != size:
            raise ValueError(f"Dimensions must be equal, but are {channels} and {size} {where}")
        channels = size if channels is None else channels
    return axis, channels


def _with_channels(shape, axis, channels):
    if shape.ndims is None:
        return shape
    dims = shape.as_tuple()
    return TensorShape(dims[:axis] + (channels,) + dims[axis + 1:])


def _fused_batch_norm_infer(op):
    """TF's FusedBatchNormShape: scale and offset, and mean and variance when they are used (inference, or an
    exponential_avg_factor other than 1), are vectors of x's channel count."""
    x, scale = op.inputs[0], op.inputs[1]
    uses_statistics = not op.get_attr("is_training") or op.get_attr("exponential_avg_factor") != 1.0
    axis, channels = _merged_channels(op, x.shape, op.inputs[1:5 if uses_statistics else 3])
    vector = (scale.dtype.base_dtype, TensorShape([channels]))
    return ([(x.dtype.base_dtype, _with_channels(x.shape, axis, channels))] + [vector] * 4
            + [(scale.dtype.base_dtype, tensor_shape.unknown_shape())])


def _rest_by_depth(x, data_format):
    """``x`` as a [rest, depth] matrix (TF's CPU kernels work on NHWC; NC* formats are transposed first)."""
    axis = _channel_axis(data_format, x.ndim)
    moved = np.moveaxis(x, axis, -1)
    return moved.reshape(-1, x.shape[axis]), lambda flat: np.moveaxis(flat.reshape(moved.shape), -1, axis)


def _fused_batch_norm_kernel(op):
    epsilon = np.float32(op.get_attr("epsilon"))
    factor = np.float32(op.get_attr("exponential_avg_factor"))
    data_format, is_training = op.get_attr("data_format"), op.get_attr("is_training")

    def fused_batch_norm(x, scale, offset, mean, variance):
        u = scale.dtype
        flat, restore = _rest_by_depth(x, data_format)
        flat = flat.astype(u, copy=False)
        rest = flat.shape[0]
        if is_training:
            batch_mean = flat.sum(axis=0, dtype=u) * u.type(1.0 / rest)
            centered = flat - batch_mean
            batch_var = np.square(centered).sum(axis=0, dtype=u) * u.type(1.0 / rest)
            bessel = u.type(rest / max(rest - 1, 1))  # the running variance is the unbiased estimate
            if factor == 1:
                running_mean, running_var = batch_mean, batch_var * bessel
            else:
                keep = u.type(1) - factor
                running_mean = keep * mean + factor * batch_mean
                running_var = keep * variance + (factor * bessel) * batch_var
        else:
            centered = flat - mean
            batch_mean, batch_var = mean, variance
            running_mean, running_var = mean, variance
        y = centered * (np.reciprocal(np.sqrt(batch_var + epsilon)) * scale) + offset
        return (restore(y.astype(x.dtype, copy=False)), running_mean, running_var, batch_mean, batch_var,
                np.zeros(0, u))
    return fused_batch_norm


def _fused_batch_norm_grad_infer(op):
    """TF's FusedBatchNormGradShape: y_backprop and x share a shape; scale and the two saved statistics are
    vectors of its channel count; the last two outputs are empty vectors."""
    y_backprop, x, scale = op.inputs[:3]
    if not x.shape.is_compatible_with(y_backprop.shape):
        raise ValueError(f"Shapes {y_backprop.shape} and {x.shape} are incompatible for '{op.name}' "
                         f"(op: '{op.type}')")
    shape = y_backprop.shape.merge_with(x.shape)
    axis, channels = _merged_channels(op, shape, op.inputs[2:5])
    vector = (scale.dtype.base_dtype, TensorShape([channels]))
    empty = (scale.dtype.base_dtype, TensorShape([0]))
    return [(x.dtype.base_dtype, _with_channels(shape, axis, channels)), vector, vector, empty, empty]


def _fused_batch_norm_grad_kernel(op):
    epsilon = np.float32(op.get_attr("epsilon"))
    data_format, is_training = op.get_attr("data_format"), op.get_attr("is_training")

    def fused_batch_norm_grad(dy, x, scale, mean, variance, _reserve_space_3):
        u = scale.dtype
        flat_x, restore = _rest_by_depth(x, data_format)
        flat_dy = _rest_by_depth(dy, data_format)[0].astype(u, copy=False)
        rest = flat_x.shape[0]
        inv_std = np.reciprocal(np.sqrt(variance + epsilon))
        x_scaled = (flat_x.astype(u, copy=False) - mean) * inv_std
        dy_sum = flat_dy.sum(axis=0, dtype=u)
        scale_backprop = (flat_dy * x_scaled).sum(axis=0, dtype=u)
        if is_training:
            dx = (scale * inv_std) * (flat_dy - dy_sum * u.type(1.0 / rest)
                                      - x_scaled * (scale_backprop * u.type(1.0 / rest)))
        else:
            dx = (scale * inv_std) * flat_dy
        empty = np.zeros(0, u)
        return restore(dx.astype(x.dtype, copy=False)), scale_backprop, dy_sum, empty, empty
    return fused_batch_norm_grad


_FUSED_BATCH_NORM_ATTRS = {"epsilon": 0.0001, "exponential_avg_factor": 1.0, "data_format": b"NHWC",
                           "is_training": True}
register("FusedBatchNormV3", _fused_batch_norm_infer, pure_with_attrs(_fused_batch_norm_kernel),
         input_names=("x", "scale", "offset", "mean", "variance"), attr_defaults=_FUSED_BATCH_NORM_ATTRS)
register("FusedBatchNormGradV3", _fused_batch_norm_grad_infer, pure_with_attrs(_fused_batch_norm_grad_kernel),
         input_names=("y_backprop", "x", "scale", "reserve_space_1", "reserve_space_2", "reserve_space_3"),
         attr_defaults={k: v for k, v in _FUSED_BATCH_NORM_ATTRS.items() if k != "exponential_avg_factor"})


def fused_batch_norm(x, scale, offset, mean=None, variance=None, epsilon=0.001, data_format="NHWC",
                     is_training=True, name=None, exponential_avg_factor=1.0):
    """``tf.nn.fused_batch_norm``: one FusedBatchNormV3 op; returns ``(y, running_mean, running_var)``.

    Training normalizes with the batch's statistics and returns the running mean and the unbiased running
    variance (blended with ``mean``/``variance`` when ``exponential_avg_factor`` is not 1); inference normalizes
    with ``mean`` and ``variance``.
    """
    if (not is_training or exponential_avg_factor != 1.0) and (mean is None or variance is None):
        raise ValueError(f"Both `mean` and `variance` must be a 1D tensor when is_training is False or "
                         f"exponential_avg_factor != 1.0. Received: `mean` {mean!r} and `variance` {variance!r}")
    x = ops.convert_to_tensor(x, name="input")
    scale = ops.convert_to_tensor(scale, name="scale")
    offset = ops.convert_to_tensor(offset, name="offset")
    if mean is None:
        mean = ops.convert_to_tensor(np.zeros(0, np.float32))
    if variance is None:
        variance = ops.convert_to_tensor(np.zeros(0, np.float32))
    data_format = data_format.encode() if isinstance(data_format, str) else data_format
    attrs = {"T": x.dtype.base_dtype, "U": scale.dtype.base_dtype, "epsilon": float(epsilon),
             "exponential_avg_factor": float(exponential_avg_factor), "data_format": data_format,
             "is_training": bool(is_training)}
    op = apply_op("FusedBatchNormV3", [x, scale, offset, mean, variance], attrs, name)
    return op.outputs[0], op.outputs[1], op.outputs[2]
