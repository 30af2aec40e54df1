"""``tf.layers`` (TF1's functional layers): dense, conv1d, conv2d, conv2d_transpose, separable_conv2d,
max_pooling1d/2d, average_pooling1d/2d, flatten, dropout, batch_normalization.

Each call builds one layer as TensorFlow's legacy layers do (tf_keras 2.21's ``legacy_tf_layers``): its variables
come from ``get_variable`` in the layer's variable scope (``dense/kernel``, ``dense_1/bias``, or ``<name>/...``),
with glorot-uniform kernels and zero biases by default, and its ops live in the name scope that scope opened first.
Data format: channels_last, and channels_first in conv2d, 2-D pooling and flatten. Differences from TensorFlow: some
layers give TensorFlow's values from other ops: ``dense`` on an input of rank above 2 whose shape is not fully known
(a Shape-based reshape, not TensorFlow's general ``tensordot`` graph) and dilated convolutions of inputs whose
spatial size is not known statically (one convolution op with dilations, not TensorFlow's run-time SpaceToBatchND
paddings; see ops/conv_variants.py).
"""

import contextlib
import numbers
import threading
import weakref

import numpy as np

from minitf._missing import missing_names as _missing_names
from minitf.framework import ops, tensor_util
from minitf.ops import (array_ops, conv_ops, conv_variants, init_ops, math_ops, nn_ops, pooling_ops, random_ops,
                        state_ops)
from minitf.ops.cond import cond
from minitf.ops import variable_scope as vs

__all__ = ["AveragePooling1D", "AveragePooling2D", "BatchNormalization", "Conv1D", "Conv2D", "Conv2DTranspose",
           "Dense", "Dropout", "Flatten", "Layer", "MaxPooling1D", "MaxPooling2D", "SeparableConv2D",
           "average_pooling1d", "average_pooling2d", "batch_normalization", "conv1d", "conv2d", "conv2d_transpose",
           "dense", "dropout", "flatten", "max_pooling1d", "max_pooling2d", "separable_conv2d"]


# -- layer scopes and weights ------------------------------------------------------------------------------------

# The tf.layers object (minitf/layer_classes.py) whose call is building: its scope is reused on later calls and
# the weights are recorded on it. ``pending``: set by the object, taken by the next _layer_scope; ``active``: the
# object while its scope is open.
_layer_state = threading.local()
_layer_names = weakref.WeakKeyDictionary()  # graph -> {base name: number of unnamed layer objects so far}


def _unique_layer_name(base):
    """tf_keras's numbering of unnamed layer objects in a graph: the k-th ``Dense`` is named ``dense_k`` (each
    functional call makes one too). Only ``Layer.name`` shows it; variable scopes are numbered by the graph."""
    counts = _layer_names.setdefault(ops.get_default_graph(), {})
    counts[base] = counts.get(base, 0) + 1
    return f"{base}_{counts[base]}"


@contextlib.contextmanager
def _layer_scope(name, default_name, reuse=None):
    """Enters a layer's scopes as TensorFlow's legacy ``Layer``: it captures ``variable_scope(name)`` (a named or
    reusing layer) or ``variable_scope(None, default_name=...)``, then creates its variables in that variable scope
    and its ops in the name scope the capture opened (``original_name_scope``); the two can differ, e.g.
    ``dense_2/kernel`` used by ops in ``dense_3/``. A layer object captures ``variable_scope(None,
    default_name=<its name>)`` (``c``, then ``c_1`` for a second object named ``c``) and its later calls re-enter
    that scope, reusing its variables."""
    layer, _layer_state.pending = getattr(_layer_state, "pending", None), None
    if layer is None and name is None:
        _unique_layer_name(default_name)
    if layer is not None:  # an object's scope: its name (or class's) made unique, unless it reuses
        name, default_name, reuse = None, layer._base_name, layer._reuse
    if layer is not None and layer._scope is not None:
        captured, reuse = layer._scope, True
    else:
        if name or reuse:
            capture = vs.variable_scope(name or default_name)
        else:
            capture = vs.variable_scope(None, default_name=default_name)
        with capture as captured:
            pass
        if layer is not None:
            layer._scope = captured
    outer, _layer_state.active = getattr(_layer_state, "active", None), layer
    try:
        with vs.variable_scope(captured, reuse=reuse, auxiliary_name_scope=False) as scope:
            with ops.name_scope(scope.original_name_scope):
                yield
    finally:
        _layer_state.active = outer


def _add_weight(name, shape, dtype, initializer, regularizer, constraint, trainable):
    """``get_variable(name)``; a new variable's regularization loss is computed in the layer's name scope (under
    ``<name>/Regularizer``) and added to REGULARIZATION_LOSSES. A layer object being built records the variable."""
    existing = {id(v) for v in ops.get_collection(ops.GraphKeys.GLOBAL_VARIABLES)}
    variable = vs.get_variable(name, shape, dtype=dtype, initializer=initializer, trainable=trainable,
                               constraint=constraint)
    if regularizer is not None and id(variable) not in existing:
        with ops.name_scope(name + "/Regularizer"):
            loss = regularizer(variable)
        if loss is not None:
            ops.add_to_collection(ops.GraphKeys.REGULARIZATION_LOSSES, loss)
    layer = getattr(_layer_state, "active", None)
    if layer is not None:
        layer._track_weight(name, variable, trainable)
    return variable


def _activity_regularization(regularizer, outputs):
    """Keras's activity regularization: ``regularizer(outputs)`` per example of the batch."""
    with ops.name_scope("ActivityRegularizer"):
        loss = regularizer(outputs)
        batch_size = math_ops.cast(array_ops.shape(outputs)[0], loss.dtype)
        ops.add_to_collection(ops.GraphKeys.REGULARIZATION_LOSSES, loss / batch_size)


def _finish(outputs, activation, activity_regularizer):
    if activation is not None:
        outputs = activation(outputs)
    if activity_regularizer is not None:
        _activity_regularization(activity_regularizer, outputs)
    return outputs


# -- argument checks (tf_keras's conv_utils) ----------------------------------------------------------------------

def _tuple(value, n, argument):
    if isinstance(value, numbers.Integral):
        return (int(value),) * n
    value = tuple(value)
    if len(value) != n or not all(isinstance(v, numbers.Integral) for v in value):
        raise ValueError(f"The `{argument}` argument must be a tuple of {n} integers. Received: {value}")
    return tuple(int(v) for v in value)


def _pair(value, argument):
    return _tuple(value, 2, argument)


def _padding(value):
    padding = value.lower()
    if padding not in ("valid", "same", "causal"):
        raise ValueError('The `padding` argument must be a list/tuple or one of "valid", "same" (or "causal", only '
                         f"for `Conv1D). Received: {padding}")
    return padding.upper()


def _data_format(value):
    """``value`` checked as tf_keras checks it: "channels_first" or "channels_last"."""
    data_format = value.lower()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError('The `data_format` argument must be one of "channels_first", "channels_last". '
                         f"Received: {value}")
    return data_format


def _channels_last(value):
    """For the layers minitf builds in channels_last only (1-D, transposed and separable convolutions, 1-D
    pooling)."""
    if _data_format(value) == "channels_first":
        raise NotImplementedError("minitf's tf.layers support data_format='channels_first' in conv2d, "
                                  "max_pooling2d, average_pooling2d and flatten only")


# -- layers --------------------------------------------------------------------------------------------------------

def _matmul_last_axis(inputs, kernel):
    """TensorFlow's ``tensordot(inputs, kernel, [[rank - 1], [0]])``: inputs as [rows, depth] times the kernel."""
    units = kernel.shape.as_list()[-1]
    with ops.name_scope(None, "Tensordot", [inputs, kernel]) as scope:
        shape = inputs.shape.as_list()
        if inputs.shape.is_fully_defined():
            rows = array_ops.reshape(inputs, [int(np.prod(shape[:-1])), shape[-1]])
            return array_ops.reshape(math_ops.matmul(rows, kernel), shape[:-1] + [units], name=scope)
        rows = array_ops.reshape(inputs, [-1, shape[-1]])
        outer = array_ops.strided_slice(array_ops.shape(inputs), [0], [-1])
        outputs = array_ops.reshape(math_ops.matmul(rows, kernel), array_ops.concat([outer, [units]], 0), name=scope)
        outputs.set_shape(shape[:-1] + [units])
        return outputs


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=init_ops.zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
          activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
          reuse=None):
    """``tf.layers.dense``: ``activation(inputs @ kernel + bias)`` over the last axis of ``inputs``."""
    inputs = ops.convert_to_tensor(inputs)
    depth = inputs.shape.as_list()[-1] if inputs.shape.ndims else None
    if depth is None:
        raise ValueError("The last dimension of the inputs to a Dense layer should be defined. Found None. "
                         f"Full input shape received: {inputs.shape}")
    dtype = inputs.dtype.base_dtype
    with _layer_scope(name, "dense", reuse):
        kernel = _add_weight("kernel", [depth, units], dtype, kernel_initializer, kernel_regularizer,
                             kernel_constraint, trainable)
        bias = _add_weight("bias", [units], dtype, bias_initializer, bias_regularizer, bias_constraint,
                           trainable) if use_bias else None
        if inputs.shape.ndims == 2:
            outputs = math_ops.matmul(inputs, kernel)
        else:
            outputs = _matmul_last_axis(inputs, kernel)
        if bias is not None:
            outputs = conv_ops.bias_add(outputs, bias)
        return _finish(outputs, activation, activity_regularizer)


def _channels(inputs, axis=-1):
    channels = inputs.shape.as_list()[axis] if inputs.shape.ndims else None
    if channels is None:
        raise ValueError("The channel dimension of the inputs should be defined. The input_shape received is "
                         f"{inputs.shape}, where axis {axis} (0-based) is the channel dimension, which found to be "
                         "`None`.")
    return channels


def _conv(rank, inputs, filters, kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias,
          kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer, activity_regularizer,
          kernel_constraint, bias_constraint, trainable, name, reuse):
    """tf_keras's ``Conv``: a ``[*kernel_size, channels, filters]`` kernel applied by ``tf.nn.convolution`` (named
    ``Conv1D`` / ``Conv2D``), causal padding (1-D) as a Pad of the start, then the bias."""
    kernel_size = _tuple(kernel_size, rank, "kernel_size")
    strides, dilation_rate = _tuple(strides, rank, "strides"), _tuple(dilation_rate, rank, "dilation_rate")
    if max(strides) > 1 and max(dilation_rate) > 1:
        raise ValueError("`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: "
                         f"strides={strides} and dilation_rate={dilation_rate}")
    padding = _padding(padding)
    if padding == "CAUSAL" and rank != 1:
        raise ValueError("Causal padding is only supported for `Conv1D`and `SeparableConv1D`.")
    channels_first = _data_format(data_format) == "channels_first"
    if channels_first and rank != 2:
        _channels_last(data_format)
    inputs = ops.convert_to_tensor(inputs)
    channels = _channels(inputs, 1 if channels_first else -1)
    dtype = inputs.dtype.base_dtype
    tf_data_format = "NCHW" if channels_first else "NHWC"
    with _layer_scope(name, f"conv{rank}d", reuse):
        kernel = _add_weight("kernel", list(kernel_size) + [channels, filters], dtype, kernel_initializer,
                             kernel_regularizer, kernel_constraint, trainable)
        bias = _add_weight("bias", [filters], dtype, bias_initializer, bias_regularizer, bias_constraint,
                           trainable) if use_bias else None
        if padding == "CAUSAL":
            inputs = array_ops.pad(inputs, [[0, 0], [(kernel_size[0] - 1) * dilation_rate[0], 0], [0, 0]])
            padding = "VALID"
        outputs = conv_variants.convolution(inputs, kernel, padding, strides, dilation_rate, name=f"Conv{rank}D",
                                            data_format="NCHW" if channels_first else None)
        if bias is not None:
            outputs = conv_ops.bias_add(outputs, bias, data_format=tf_data_format)
        return _finish(outputs, activation, activity_regularizer)


def conv1d(inputs, filters, kernel_size, strides=1, padding="valid", data_format="channels_last", dilation_rate=1,
           activation=None, use_bias=True, kernel_initializer=None, bias_initializer=init_ops.zeros_initializer(),
           kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
           bias_constraint=None, trainable=True, name=None, reuse=None):
    """``tf.layers.conv1d``: ``filters`` convolutions of width ``kernel_size`` over NWC ``inputs``, plus a bias;
    ``padding="causal"`` pads the start only, so that no output sees a later input."""
    return _conv(1, inputs, filters, kernel_size, strides, padding, data_format, dilation_rate, activation,
                 use_bias, kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
                 activity_regularizer, kernel_constraint, bias_constraint, trainable, name, reuse)


def conv2d(inputs, filters, kernel_size, strides=(1, 1), padding="valid", data_format="channels_last",
           dilation_rate=(1, 1), activation=None, use_bias=True, kernel_initializer=None,
           bias_initializer=init_ops.zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
           activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
           reuse=None):
    """``tf.layers.conv2d``: ``filters`` convolutions of ``kernel_size`` over NHWC ``inputs``, plus a bias."""
    return _conv(2, inputs, filters, kernel_size, strides, padding, data_format, dilation_rate, activation,
                 use_bias, kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
                 activity_regularizer, kernel_constraint, bias_constraint, trainable, name, reuse)


def _deconv_length(size, kernel, padding, stride):
    """tf_keras's ``deconv_output_length`` (no output padding, no dilation); a Tensor for an unknown size."""
    if padding == "VALID":
        return size * stride + max(kernel - stride, 0)
    return size * stride


def conv2d_transpose(inputs, filters, kernel_size, strides=(1, 1), padding="valid", data_format="channels_last",
                     activation=None, use_bias=True, kernel_initializer=None,
                     bias_initializer=init_ops.zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
                     activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True,
                     name=None, reuse=None):
    """``tf.layers.conv2d_transpose``: the transpose of a conv2d (``tf.nn.conv2d_transpose`` with a
    ``[KH, KW, filters, channels]`` kernel), ``strides`` times larger than ``inputs``, plus a bias."""
    kernel_size, strides = _pair(kernel_size, "kernel_size"), _pair(strides, "strides")
    padding = _padding(padding)
    if padding == "CAUSAL":
        raise ValueError("Causal padding is only supported for `Conv1D`and `SeparableConv1D`.")
    _channels_last(data_format)
    inputs = ops.convert_to_tensor(inputs)
    if inputs.shape.ndims != 4:
        raise ValueError(f"Input 0 of layer \"conv2d_transpose\" is incompatible with the layer: expected ndim=4, "
                         f"found ndim={inputs.shape.ndims}. Full shape received: {tuple(inputs.shape.dims or ())}")
    channels = _channels(inputs)
    dtype = inputs.dtype.base_dtype
    with _layer_scope(name, "conv2d_transpose", reuse):
        kernel = _add_weight("kernel", list(kernel_size) + [filters, channels], dtype, kernel_initializer,
                             kernel_regularizer, kernel_constraint, trainable)
        bias = _add_weight("bias", [filters], dtype, bias_initializer, bias_regularizer, bias_constraint,
                           trainable) if use_bias else None
        shape = array_ops.shape(inputs)
        batch = shape[0]
        static = inputs.shape.as_list()
        sizes = [static[axis] if static[axis] is not None else shape[axis] for axis in (1, 2)]
        out = [_deconv_length(size, k, padding, s) for size, k, s in zip(sizes, kernel_size, strides)]
        output_shape = array_ops.stack([batch, out[0], out[1], filters])
        _ = output_shape[0]  # tf_keras's backend reads the batch size back: a StridedSlice in TensorFlow's graph
        outputs = conv_ops.conv2d_transpose(inputs, kernel, output_shape, [1, *strides, 1], padding=padding)
        outputs.set_shape([static[0]] + [None if d is None else _deconv_length(d, k, padding, s)
                                         for d, k, s in zip(static[1:3], kernel_size, strides)] + [filters])
        if bias is not None:
            outputs = conv_ops.bias_add(outputs, bias, data_format="NHWC")
        return _finish(outputs, activation, activity_regularizer)


def separable_conv2d(inputs, filters, kernel_size, strides=(1, 1), padding="valid", data_format="channels_last",
                     dilation_rate=(1, 1), depth_multiplier=1, activation=None, use_bias=True,
                     depthwise_initializer=None, pointwise_initializer=None,
                     bias_initializer=init_ops.zeros_initializer(), depthwise_regularizer=None,
                     pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                     depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None, trainable=True,
                     name=None, reuse=None):
    """``tf.layers.separable_conv2d``: a depthwise convolution (``depth_multiplier`` filters per channel), a
    pointwise 1x1 convolution to ``filters`` channels, plus a bias."""
    kernel_size, strides = _pair(kernel_size, "kernel_size"), _pair(strides, "strides")
    dilation_rate = _pair(dilation_rate, "dilation_rate")
    padding = _padding(padding)
    if padding == "CAUSAL":
        raise ValueError("Causal padding is only supported for `Conv1D`and `SeparableConv1D`.")
    _channels_last(data_format)
    inputs = ops.convert_to_tensor(inputs)
    channels = _channels(inputs)
    dtype = inputs.dtype.base_dtype
    with _layer_scope(name, "separable_conv2d", reuse):
        depthwise_kernel = _add_weight("depthwise_kernel", list(kernel_size) + [channels, depth_multiplier], dtype,
                                       depthwise_initializer, depthwise_regularizer, depthwise_constraint, trainable)
        pointwise_kernel = _add_weight("pointwise_kernel", [1, 1, channels * depth_multiplier, filters], dtype,
                                       pointwise_initializer, pointwise_regularizer, pointwise_constraint, trainable)
        bias = _add_weight("bias", [filters], dtype, bias_initializer, bias_regularizer, bias_constraint,
                           trainable) if use_bias else None
        outputs = conv_variants.separable_conv2d(inputs, depthwise_kernel, pointwise_kernel, [1, *strides, 1],
                                                 padding, rate=list(dilation_rate))
        if bias is not None:
            outputs = conv_ops.bias_add(outputs, bias, data_format="NHWC")
        return _finish(outputs, activation, activity_regularizer)


def _pooling(pool, default_name, inputs, pool_size, strides, padding, data_format, name):
    pool_size = _pair(pool_size, "pool_size")
    if strides is None:
        raise ValueError("Argument `strides` must not be None.")
    strides = _pair(strides, "strides")
    padding = _padding(padding)
    channels_first = _data_format(data_format) == "channels_first"
    inputs = ops.convert_to_tensor(inputs)
    with _layer_scope(name, default_name):
        if channels_first:
            return pool(inputs, [1, 1, *pool_size], [1, 1, *strides], padding, data_format="NCHW")
        return pool(inputs, [1, *pool_size, 1], [1, *strides, 1], padding)


def _pooling1d(pool, default_name, inputs, pool_size, strides, padding, data_format, name):
    """tf_keras's ``Pooling1D``: the 2-D pool of ``inputs`` expanded at axis 2, squeezed back."""
    pool_size, strides = _tuple(pool_size, 1, "pool_size"), _tuple(strides, 1, "strides")
    padding = _padding(padding)
    _channels_last(data_format)
    inputs = ops.convert_to_tensor(inputs)
    with _layer_scope(name, default_name):
        outputs = pool(array_ops.expand_dims(inputs, 2), [1, pool_size[0], 1, 1], [1, strides[0], 1, 1], padding)
        return array_ops.squeeze(outputs, 2)


def max_pooling1d(inputs, pool_size, strides, padding="valid", data_format="channels_last", name=None):
    """``tf.layers.max_pooling1d``: the maximum of each ``pool_size`` window of NWC ``inputs``."""
    return _pooling1d(pooling_ops.max_pool, "max_pooling1d", inputs, pool_size, strides, padding, data_format, name)


def average_pooling1d(inputs, pool_size, strides, padding="valid", data_format="channels_last", name=None):
    """``tf.layers.average_pooling1d``: the mean of each ``pool_size`` window of NWC ``inputs``."""
    return _pooling1d(pooling_ops.avg_pool, "average_pooling1d", inputs, pool_size, strides, padding, data_format,
                      name)


def max_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last", name=None):
    """``tf.layers.max_pooling2d``: the maximum of each ``pool_size`` window."""
    return _pooling(pooling_ops.max_pool, "max_pooling2d", inputs, pool_size, strides, padding, data_format, name)


def average_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last", name=None):
    """``tf.layers.average_pooling2d``: the mean of each ``pool_size`` window (padding excluded)."""
    return _pooling(pooling_ops.avg_pool, "average_pooling2d", inputs, pool_size, strides, padding, data_format, name)


def flatten(inputs, name=None, data_format="channels_last"):
    """``tf.layers.flatten``: ``inputs`` as [batch, everything else], keeping as much static shape as is known."""
    channels_first = _data_format(data_format) == "channels_first"
    inputs = ops.convert_to_tensor(inputs)
    with _layer_scope(name, "flatten"):
        if channels_first and inputs.shape.ndims and inputs.shape.ndims > 1:  # channels last, as tf_keras
            inputs = array_ops.transpose(inputs, [0, *range(2, inputs.shape.ndims), 1])
        shape = inputs.shape
        if shape.ndims == 1:
            return array_ops.expand_dims(inputs, axis=1)
        batch, rest = shape.as_list()[0], shape[1:]
        if rest.is_fully_defined():
            target = ops.convert_to_tensor([-1, int(np.prod(rest.as_list()))])
        elif batch is not None:
            target = ops.convert_to_tensor([batch, -1])
        else:
            target = [array_ops.shape(inputs)[0], -1]
        return array_ops.reshape(inputs, target)


def _smart_cond(pred, true_fn, false_fn):
    """``true_fn()`` or ``false_fn()`` when ``pred`` is a Python bool or a constant tensor, else a ``tf.cond``."""
    if isinstance(pred, ops.Tensor):
        pred_value = tensor_util.constant_value(pred)
        if pred_value is None:
            return cond(pred, true_fn=true_fn, false_fn=false_fn)
    elif isinstance(pred, (bool, np.bool_)) or pred in {0, 1}:
        pred_value = pred
    else:
        raise TypeError(f"`pred` must be a Tensor, or a Python bool, or 1 or 0. Found instead: {type(pred)}")
    return true_fn() if pred_value else false_fn()


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    """``tf.layers.dropout``: ``tf.nn.dropout`` when ``training`` (a Python bool, or a boolean tensor: then a
    ``tf.cond`` picks dropout or the inputs at run time), else the inputs unchanged.

    ``noise_shape`` may hold None for dimensions taken from ``inputs``.
    """
    if isinstance(rate, numbers.Real) and not 0 <= rate <= 1:
        raise ValueError(f"Invalid value {rate} received for `rate`, expected a value between 0 and 1.")
    inputs = ops.convert_to_tensor(inputs)
    with _layer_scope(name, "dropout"):
        if isinstance(rate, numbers.Real) and rate == 0:
            return array_ops.identity(inputs)

        def dropped_inputs():
            shape = noise_shape
            if shape is not None:
                dims = array_ops.shape(inputs)
                shape = ops.convert_to_tensor([dims[i] if d is None else d for i, d in enumerate(shape)])
            return random_ops.dropout(inputs, rate=rate, noise_shape=shape, seed=seed)
        return _smart_cond(training, dropped_inputs, lambda: array_ops.identity(inputs))

# -- batch normalization -------------------------------------------------------------------------------------------

def _assign_moving_average(variable, value, momentum):
    """``variable -= (variable - value) * (1 - momentum)``, as tf_keras's BatchNormalization."""
    with ops.name_scope(None, "AssignMovingAvg") as scope:
        decay = ops.convert_to_tensor(1.0 - momentum, name="decay")
        if decay.dtype != variable.dtype.base_dtype:
            decay = math_ops.cast(decay, variable.dtype.base_dtype)
        update_delta = (variable - math_ops.cast(value, variable.dtype.base_dtype)) * decay
        return state_ops.assign_sub(variable, update_delta, name=scope)


def _fused_batch_norm(inputs, gamma, beta, moving_mean, moving_variance, epsilon, momentum, data_format, training,
                      param_shape):
    """The fused path (inputs of rank 4): one FusedBatchNormV3 per branch of ``training``; the moving averages are
    updated with momentum 1 (no change) when not training."""
    if beta is None:
        beta = ops.convert_to_tensor(np.zeros(param_shape, np.float32))
    if gamma is None:
        gamma = ops.convert_to_tensor(np.ones(param_shape, np.float32))

    def fused_training():
        return nn_ops.fused_batch_norm(inputs, gamma, beta, mean=moving_mean, variance=moving_variance,
                                       epsilon=epsilon, is_training=True, data_format=data_format)

    def fused_inference():
        return nn_ops.fused_batch_norm(inputs, gamma, beta, mean=moving_mean, variance=moving_variance,
                                       epsilon=epsilon, is_training=False, data_format=data_format)
    output, mean, variance = _smart_cond(training, fused_training, fused_inference)
    training_value = _constant_value(training)
    updates = []
    if training_value or training_value is None:
        if training_value is None:
            momentum = _smart_cond(training, lambda: momentum, lambda: 1.0)
        else:
            momentum = ops.convert_to_tensor(momentum)
        updates = [_assign_moving_average(moving_mean, mean, momentum),
                   _assign_moving_average(moving_variance, variance, momentum)]
    return output, updates


def _constant_value(pred):
    return tensor_util.constant_value(pred) if isinstance(pred, ops.Tensor) else pred


def _batch_norm(inputs, axis, gamma, beta, moving_mean, moving_variance, epsilon, momentum, training):
    """The general path: moments of the batch (or the moving statistics) and tf.nn.batch_normalization; the moving
    averages are updated in a cond on ``training``."""
    ndims = inputs.shape.ndims
    reduction_axes = [i for i in range(ndims) if i not in axis]
    broadcast_shape = [1] * ndims
    broadcast_shape[axis[0]] = inputs.shape.as_list()[axis[0]]

    def broadcast(v):
        if v is not None and v.shape.ndims != ndims and reduction_axes != list(range(ndims - 1)):
            return array_ops.reshape(v, broadcast_shape)
        return v
    scale, offset = broadcast(gamma), broadcast(beta)
    updates = []
    training_value = _constant_value(training)
    if training_value is not None and not training_value:
        mean, variance = moving_mean, moving_variance
    else:
        mean, variance = nn_ops.moments(inputs, reduction_axes, keep_dims=len(axis) > 1)
        mean = _smart_cond(training, lambda: mean, lambda: ops.convert_to_tensor(moving_mean))
        variance = _smart_cond(training, lambda: variance, lambda: ops.convert_to_tensor(moving_variance))
        new_mean, new_variance = mean, variance
        updates = [_smart_cond(training, lambda: _assign_moving_average(moving_mean, new_mean, momentum),
                               lambda: moving_mean),
                   _smart_cond(training, lambda: _assign_moving_average(moving_variance, new_variance, momentum),
                               lambda: moving_variance)]
    mean = math_ops.cast(mean, inputs.dtype)
    variance = math_ops.cast(variance, inputs.dtype)
    outputs = nn_ops.batch_normalization(inputs, broadcast(mean), broadcast(variance), offset, scale, epsilon)
    outputs.set_shape(inputs.shape)
    return outputs, updates


def batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                        beta_initializer=init_ops.zeros_initializer(), gamma_initializer=init_ops.ones_initializer(),
                        moving_mean_initializer=init_ops.zeros_initializer(),
                        moving_variance_initializer=init_ops.ones_initializer(), beta_regularizer=None,
                        gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, training=False,
                        trainable=True, name=None, reuse=None, renorm=False, renorm_clipping=None,
                        renorm_momentum=0.99, fused=None, virtual_batch_size=None, adjustment=None):
    """``tf.layers.batch_normalization``: normalizes ``inputs`` over all axes but ``axis`` with the batch's
    statistics when ``training`` (a Python bool or a boolean tensor), else with the moving averages, which
    training updates through ops added to the UPDATE_OPS collection. Inputs of rank 4 normalized over axis 1 or 3
    use FusedBatchNormV3, as in TensorFlow; so would inputs of rank 5, for which minitf builds the general ops
    (TensorFlow's values, other nodes)."""
    if renorm or virtual_batch_size is not None or adjustment is not None:
        raise NotImplementedError("minitf's tf.layers.batch_normalization has no renorm, virtual_batch_size or "
                                  "adjustment")
    inputs = ops.convert_to_tensor(inputs)
    ndims = inputs.shape.ndims
    if ndims is None:
        raise ValueError(f"Input has undefined rank. Received: input_shape={inputs.shape}.")
    axes = [axis] if isinstance(axis, int) else list(axis)
    for a in axes:
        if not -ndims <= a < ndims:
            raise ValueError(f"Invalid value for `axis` argument. Expected 0 <= axis < inputs.rank (with "
                             f"inputs.rank={ndims}). Received: axis={tuple(axes)}")
    axes = [a + ndims if a < 0 else a for a in axes]
    param_shape = [inputs.shape.as_list()[a] for a in axes] if len(axes) == 1 else \
        [inputs.shape.as_list()[i] if i in axes else 1 for i in range(ndims)]
    if None in param_shape:
        raise ValueError(f"Input has undefined `axis` dimension. Received input with shape "
                         f"{tuple(inputs.shape.dims)} and axis={tuple(axes)}")
    given_axes = [axis] if isinstance(axis, int) else list(axis)
    fused_axis_ok = len(given_axes) == 1 and given_axes[0] in (-4, -3, -1, 1, 3, 4)
    use_fused = fused in (None, True) and fused_axis_ok and ndims == 4 and axes in ([3], [1])  # else quietly not
    dtype = inputs.dtype.base_dtype
    with _layer_scope(name, "batch_normalization", reuse):
        gamma = _add_weight("gamma", param_shape, dtype, gamma_initializer, gamma_regularizer, gamma_constraint,
                            trainable) if scale else None
        beta = _add_weight("beta", param_shape, dtype, beta_initializer, beta_regularizer, beta_constraint,
                           trainable) if center else None
        moving_mean = _add_weight("moving_mean", param_shape, dtype, moving_mean_initializer, None, None, False)
        moving_variance = _add_weight("moving_variance", param_shape, dtype, moving_variance_initializer, None,
                                      None, False)
        if use_fused:
            outputs, updates = _fused_batch_norm(inputs, gamma, beta, moving_mean, moving_variance, epsilon,
                                                 momentum, "NHWC" if axes == [3] else "NCHW", training, param_shape)
        else:
            outputs, updates = _batch_norm(inputs, axes, gamma, beta, moving_mean, moving_variance, epsilon,
                                           momentum, training)
    for update in updates:
        ops.add_to_collection(ops.GraphKeys.UPDATE_OPS, update.op)
    return outputs


from minitf.layer_classes import (AveragePooling1D, AveragePooling2D, BatchNormalization, Conv1D, Conv2D,  # noqa: E402
                                  Conv2DTranspose, Dense, Dropout, Flatten, Layer, MaxPooling1D, MaxPooling2D,
                                  SeparableConv2D)

__getattr__ = _missing_names("tf.layers")
