"""``tf.layers`` (TF1's functional layers): dense, conv2d, max_pooling2d, average_pooling2d, flatten, dropout.

Each call builds one layer as TensorFlow's legacy layers do (tf_keras 2.21's ``legacy_tf_layers``): its variables
come from ``get_variable`` in the layer's variable scope (``dense/kernel``, ``dense_1/bias``, or ``<name>/...``),
with glorot-uniform kernels and zero biases by default, and its ops live in the name scope that scope opened first.
Data format: channels_last only. Differences from TensorFlow: ``dropout``'s ``training`` must be a Python bool
(TensorFlow accepts a tensor and builds a ``cond``, which minitf does not have); two layers give TensorFlow's values
from other ops: ``dense`` on an input of rank above 2 whose shape is not fully known (a Shape-based reshape, not
TensorFlow's general ``tensordot`` graph) and a dilated ``conv2d`` (one Conv2D with dilations, not TensorFlow's
SpaceToBatchND / Conv2D / BatchToSpaceND).
"""

import contextlib
import numbers

import numpy as np

from minitf._missing import missing_names as _missing_names
from minitf.framework import ops
from minitf.ops import array_ops, conv_ops, init_ops, math_ops, pooling_ops, random_ops
from minitf.ops import variable_scope as vs

__all__ = ["average_pooling2d", "conv2d", "dense", "dropout", "flatten", "max_pooling2d"]


# -- layer scopes and weights ------------------------------------------------------------------------------------

@contextlib.contextmanager
def _layer_scope(name, default_name, reuse=None):
    """Enters a layer's scopes as TensorFlow's legacy ``Layer``: it captures ``variable_scope(name)`` (a named or
    reusing layer) or ``variable_scope(None, default_name=...)``, then creates its variables in that variable scope
    and its ops in the name scope the capture opened (``original_name_scope``); the two can differ, e.g.
    ``dense_2/kernel`` used by ops in ``dense_3/``."""
    if name or reuse:
        capture = vs.variable_scope(name or default_name)
    else:
        capture = vs.variable_scope(None, default_name=default_name)
    with capture as captured:
        pass
    with vs.variable_scope(captured, reuse=reuse, auxiliary_name_scope=False) as scope:
        with ops.name_scope(scope.original_name_scope):
            yield


def _add_weight(name, shape, dtype, initializer, regularizer, constraint, trainable):
    """``get_variable(name)``; a new variable's regularization loss is computed in the layer's name scope (under
    ``<name>/Regularizer``) and added to REGULARIZATION_LOSSES."""
    existing = {id(v) for v in ops.get_collection(ops.GraphKeys.GLOBAL_VARIABLES)}
    variable = vs.get_variable(name, shape, dtype=dtype, initializer=initializer, trainable=trainable,
                               constraint=constraint)
    if regularizer is not None and id(variable) not in existing:
        with ops.name_scope(name + "/Regularizer"):
            loss = regularizer(variable)
        if loss is not None:
            ops.add_to_collection(ops.GraphKeys.REGULARIZATION_LOSSES, loss)
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

def _pair(value, argument):
    if isinstance(value, numbers.Integral):
        return (int(value),) * 2
    value = tuple(value)
    if len(value) != 2 or not all(isinstance(v, numbers.Integral) for v in value):
        raise ValueError(f"The `{argument}` argument must be a tuple of 2 integers. Received: {value}")
    return tuple(int(v) for v in value)


def _padding(value):
    padding = value.lower()
    if padding not in ("valid", "same", "causal"):
        raise ValueError('The `padding` argument must be a list/tuple or one of "valid", "same" (or "causal", only '
                         f"for `Conv1D). Received: {padding}")
    return padding.upper()


def _channels_last(value):
    data_format = value.lower()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError('The `data_format` argument must be one of "channels_first", "channels_last". '
                         f"Received: {value}")
    if data_format == "channels_first":
        raise NotImplementedError("minitf's tf.layers support data_format='channels_last' only")


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


def conv2d(inputs, filters, kernel_size, strides=(1, 1), padding="valid", data_format="channels_last",
           dilation_rate=(1, 1), activation=None, use_bias=True, kernel_initializer=None,
           bias_initializer=init_ops.zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
           activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
           reuse=None):
    """``tf.layers.conv2d``: ``filters`` convolutions of ``kernel_size`` over NHWC ``inputs``, plus a bias."""
    kernel_size, strides = _pair(kernel_size, "kernel_size"), _pair(strides, "strides")
    dilation_rate = _pair(dilation_rate, "dilation_rate")
    padding = _padding(padding)
    if padding == "CAUSAL":
        raise ValueError("Causal padding is only supported for `Conv1D`and `SeparableConv1D`.")
    _channels_last(data_format)
    inputs = ops.convert_to_tensor(inputs)
    channels = inputs.shape.as_list()[-1] if inputs.shape.ndims else None
    if channels is None:
        raise ValueError("The channel dimension of the inputs should be defined. The input_shape received is "
                         f"{inputs.shape}, where axis -1 (0-based) is the channel dimension, which found to be "
                         "`None`.")
    dtype = inputs.dtype.base_dtype
    with _layer_scope(name, "conv2d", reuse):
        kernel = _add_weight("kernel", list(kernel_size) + [channels, filters], dtype, kernel_initializer,
                             kernel_regularizer, kernel_constraint, trainable)
        bias = _add_weight("bias", [filters], dtype, bias_initializer, bias_regularizer, bias_constraint,
                           trainable) if use_bias else None
        outputs = conv_ops.conv2d(inputs, kernel, [1, *strides, 1], padding, dilations=[1, *dilation_rate, 1],
                                  name="Conv2D")
        if bias is not None:
            outputs = conv_ops.bias_add(outputs, bias, data_format="NHWC")
        return _finish(outputs, activation, activity_regularizer)


def _pooling(pool, default_name, inputs, pool_size, strides, padding, data_format, name):
    pool_size = _pair(pool_size, "pool_size")
    if strides is None:
        raise ValueError("Argument `strides` must not be None.")
    strides = _pair(strides, "strides")
    padding = _padding(padding)
    _channels_last(data_format)
    inputs = ops.convert_to_tensor(inputs)
    with _layer_scope(name, default_name):
        return pool(inputs, [1, *pool_size, 1], [1, *strides, 1], padding)


def max_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last", name=None):
    """``tf.layers.max_pooling2d``: the maximum of each ``pool_size`` window."""
    return _pooling(pooling_ops.max_pool, "max_pooling2d", inputs, pool_size, strides, padding, data_format, name)


def average_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last", name=None):
    """``tf.layers.average_pooling2d``: the mean of each ``pool_size`` window (padding excluded)."""
    return _pooling(pooling_ops.avg_pool, "average_pooling2d", inputs, pool_size, strides, padding, data_format, name)


def flatten(inputs, name=None, data_format="channels_last"):
    """``tf.layers.flatten``: ``inputs`` as [batch, everything else], keeping as much static shape as is known."""
    _channels_last(data_format)
    inputs = ops.convert_to_tensor(inputs)
    with _layer_scope(name, "flatten"):
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


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    """``tf.layers.dropout``: ``tf.nn.dropout`` when ``training`` (a Python bool), else the inputs unchanged.

    ``noise_shape`` may hold None for dimensions taken from ``inputs``.
    """
    if isinstance(rate, numbers.Real) and not 0 <= rate <= 1:
        raise ValueError(f"Invalid value {rate} received for `rate`, expected a value between 0 and 1.")
    if not isinstance(training, (bool, np.bool_)):
        raise NotImplementedError("minitf's tf.layers.dropout takes a Python bool `training` (TensorFlow builds a "
                                  "cond for a tensor; minitf has no cond)")
    inputs = ops.convert_to_tensor(inputs)
    with _layer_scope(name, "dropout"):
        if (isinstance(rate, numbers.Real) and rate == 0) or not training:
            return array_ops.identity(inputs)
        if noise_shape is not None:
            dims = array_ops.shape(inputs)
            noise_shape = ops.convert_to_tensor([dims[i] if d is None else d for i, d in enumerate(noise_shape)])
        return random_ops.dropout(inputs, rate=rate, noise_shape=noise_shape, seed=seed)


__getattr__ = _missing_names("tf.layers")
