"""``tf.contrib.layers``' layer functions as TensorFlow 1.15 builds them: ``fully_connected`` and ``conv2d`` are the
core ``Dense`` and ``Conv2D`` layers run in the function's own variable scope (default ``fully_connected`` and
``Conv``), their ``kernel`` and ``bias`` renamed ``weights`` and ``biases`` and made model variables; the activation
(ReLU by default) follows in the same name scope. ``flatten``, ``max_pool2d`` and ``avg_pool2d`` open a name scope
(``Flatten``, ``MaxPool2D``, ``AvgPool2D``) around the op.

A ``normalizer_fn`` (e.g. ``batch_norm``) replaces the biases: it is called with ``normalizer_params`` on the
layer's output, in its variable scope, before the activation. Each function is decorated with ``add_arg_scope``,
so ``arg_scope`` can set its defaults.

Not provided: NCHW data formats, and the ``aliases`` attribute TensorFlow sets on tensors added to
``outputs_collections`` (minitf's tensors take no new attributes).
"""

import numbers

from minitf import layers as core_layers
from minitf.contrib.framework.arg_scope import add_arg_scope
from minitf.contrib.layers import initializers
from minitf.framework import ops
from minitf.ops import conv_ops, init_ops, math_ops, nn_ops, pooling_ops
from minitf.ops import variable_scope as vs

_RENAMES = {"bias": "biases", "kernel": "weights"}


def _model_variable_getter(getter, name, collections=None, **kwargs):
    """Creates the layer's ``kernel`` and ``bias`` as ``weights`` and ``biases`` in GLOBAL_VARIABLES and
    MODEL_VARIABLES (contrib's ``model_variable``)."""
    parts = name.split("/")
    parts[-1] = _RENAMES.get(parts[-1], parts[-1])
    collections = list(set(list(collections or []) + [ops.GraphKeys.GLOBAL_VARIABLES,
                                                      ops.GraphKeys.MODEL_VARIABLES]))
    return getter("/".join(parts), collections=collections, **kwargs)


def _add_variable_to_collections(variable, variables_collections, name):
    """Adds ``variable`` to ``variables_collections`` (a list, or a dict from 'weights'/'biases' to lists)."""
    if isinstance(variables_collections, dict):
        variables_collections = variables_collections.get(name)
    for collection in variables_collections or []:
        if variable not in ops.get_collection(collection):
            ops.add_to_collection(collection, variable)


def _collect_named_outputs(collections, outputs):
    if collections:
        ops.add_to_collections(collections, outputs)
    return outputs


def _two(value, argument):
    if isinstance(value, numbers.Integral):
        return int(value), int(value)
    if len(value) != 2:
        raise ValueError(f"{argument} must be a pair of integers or an integer")
    return int(value[0]), int(value[1])


def _normalize_and_activate(outputs, normalizer_fn, normalizer_params, activation_fn):
    if normalizer_fn is not None:
        outputs = normalizer_fn(outputs, **(normalizer_params or {}))
    if activation_fn is not None:
        outputs = activation_fn(outputs)
    return outputs


@add_arg_scope
def fully_connected(inputs, num_outputs, activation_fn=nn_ops.relu, normalizer_fn=None, normalizer_params=None,
                    weights_initializer=initializers.xavier_initializer(), weights_regularizer=None,
                    biases_initializer=init_ops.zeros_initializer(), biases_regularizer=None, reuse=None,
                    variables_collections=None, outputs_collections=None, trainable=True, scope=None):
    """``activation_fn(inputs @ weights + biases)`` over the last axis of ``inputs``; ReLU by default. With a
    ``normalizer_fn``: ``activation_fn(normalizer_fn(inputs @ weights, **normalizer_params))``."""
    if not isinstance(num_outputs, int):
        raise ValueError("num_outputs type should be one of %s, got %s." % ([int], type(num_outputs)))
    with vs.variable_scope(scope, "fully_connected", [inputs], reuse=reuse,
                           custom_getter=_model_variable_getter) as sc:
        inputs = ops.convert_to_tensor(inputs)
        depth = inputs.shape.as_list()[-1] if inputs.shape.ndims else None
        if depth is None:
            raise ValueError("The last dimension of the inputs to `Dense` should be defined. Found `None`.")
        dtype = inputs.dtype.base_dtype
        kernel = core_layers._add_weight("kernel", [depth, num_outputs], dtype, weights_initializer,
                                         weights_regularizer, None, trainable)
        bias = None
        if normalizer_fn is None and biases_initializer is not None:
            bias = core_layers._add_weight("bias", [num_outputs], dtype, biases_initializer, biases_regularizer,
                                           None, trainable)
        if inputs.shape.ndims == 2:
            outputs = math_ops.matmul(inputs, kernel)
        else:
            outputs = core_layers._matmul_last_axis(inputs, kernel)
        if bias is not None:
            outputs = conv_ops.bias_add(outputs, bias)
        _add_variable_to_collections(kernel, variables_collections, "weights")
        if bias is not None:
            _add_variable_to_collections(bias, variables_collections, "biases")
        outputs = _normalize_and_activate(outputs, normalizer_fn, normalizer_params, activation_fn)
        return _collect_named_outputs(outputs_collections, outputs)


@add_arg_scope
def convolution2d(inputs, num_outputs, kernel_size, stride=1, padding="SAME", data_format=None, rate=1,
                  activation_fn=nn_ops.relu, normalizer_fn=None, normalizer_params=None,
                  weights_initializer=initializers.xavier_initializer(), weights_regularizer=None,
                  biases_initializer=init_ops.zeros_initializer(), biases_regularizer=None, reuse=None,
                  variables_collections=None, outputs_collections=None, trainable=True, scope=None):
    """``num_outputs`` convolutions of ``kernel_size`` over NHWC ``inputs``, plus biases, then ReLU by default."""
    if data_format not in (None, "NHWC"):
        raise ValueError("minitf's tf.contrib.layers.conv2d supports data_format NHWC only, got %r" % (data_format,))
    with vs.variable_scope(scope, "Conv", [inputs], reuse=reuse, custom_getter=_model_variable_getter):
        inputs = ops.convert_to_tensor(inputs)
        if inputs.shape.ndims != 4:
            raise ValueError("Convolution expects input with rank %d, got %d" % (4, inputs.shape.ndims))
        (kh, kw), strides, rates = _two(kernel_size, "kernel_size"), _two(stride, "stride"), _two(rate, "rate")
        channels = inputs.shape.as_list()[-1]
        dtype = inputs.dtype.base_dtype
        kernel = core_layers._add_weight("kernel", [kh, kw, channels, num_outputs], dtype, weights_initializer,
                                         weights_regularizer, None, trainable)
        bias = None
        if normalizer_fn is None and biases_initializer is not None:
            bias = core_layers._add_weight("bias", [num_outputs], dtype, biases_initializer, biases_regularizer,
                                           None, trainable)
        outputs = conv_ops.conv2d(inputs, kernel, [1, *strides, 1], padding.upper(), dilations=[1, *rates, 1],
                                  name="Conv2D")
        if bias is not None:
            outputs = conv_ops.bias_add(outputs, bias, data_format="NHWC")
        _add_variable_to_collections(kernel, variables_collections, "weights")
        if bias is not None:
            _add_variable_to_collections(bias, variables_collections, "biases")
        outputs = _normalize_and_activate(outputs, normalizer_fn, normalizer_params, activation_fn)
        return _collect_named_outputs(outputs_collections, outputs)


conv2d = convolution2d


@add_arg_scope
def flatten(inputs, outputs_collections=None, scope=None):
    """``inputs`` as [batch, everything else] (``tf.layers.flatten`` in a ``Flatten`` name scope)."""
    with ops.name_scope(scope, "Flatten", [inputs]):
        outputs = core_layers.flatten(ops.convert_to_tensor(inputs))
        return _collect_named_outputs(outputs_collections, outputs)


def _pool(pool, default_name, op_name, inputs, kernel_size, stride, padding, data_format, outputs_collections,
          scope):
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    if data_format == "NCHW":
        raise ValueError("minitf's tf.contrib.layers pooling supports data_format NHWC only")
    with ops.name_scope(scope, default_name, [inputs]):
        inputs = ops.convert_to_tensor(inputs)
        (kh, kw), (sh, sw) = _two(kernel_size, "kernel_size"), _two(stride, "stride")
        outputs = pool(inputs, [1, kh, kw, 1], [1, sh, sw, 1], padding.upper(), name=op_name)
        return _collect_named_outputs(outputs_collections, outputs)


@add_arg_scope
def max_pool2d(inputs, kernel_size, stride=2, padding="VALID", data_format="NHWC", outputs_collections=None,
               scope=None):
    """The maximum of each ``kernel_size`` window, in a ``MaxPool2D`` name scope."""
    return _pool(pooling_ops.max_pool, "MaxPool2D", "MaxPool", inputs, kernel_size, stride, padding, data_format,
                 outputs_collections, scope)


@add_arg_scope
def avg_pool2d(inputs, kernel_size, stride=2, padding="VALID", data_format="NHWC", outputs_collections=None,
               scope=None):
    """The mean of each ``kernel_size`` window (padding excluded), in an ``AvgPool2D`` name scope."""
    return _pool(pooling_ops.avg_pool, "AvgPool2D", "AvgPool", inputs, kernel_size, stride, padding, data_format,
                 outputs_collections, scope)
