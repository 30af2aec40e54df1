"""Records TensorFlow 1.15's ``tf.contrib.layers`` / ``tf.contrib.framework`` for tests/test_contrib.py.

TensorFlow 2.21 has no ``tf.contrib``. The contrib functions the programs use are rebuilt below from the calls
TensorFlow 1.15's contrib makes (tensorflow/contrib/layers/python/layers/{initializers,regularizers,layers}.py,
tensorflow/contrib/framework/python/ops/variables.py), on TensorFlow 2.21's tf.compat.v1 and tf_keras 2.21's legacy
``Dense``/``Conv2D``/``flatten`` (what ``core_layers`` were in 1.15): the same ops, names, variables and collections.

``arg_scope``/``add_arg_scope`` (contrib/framework/python/ops/arg_scope.py) and ``batch_norm`` (layers.py: the core
``BatchNormalization`` layer with the default UPDATE_OPS, else the legacy graph, fused or not) are rebuilt the same
way, and so is ``optimize_loss`` (layers/python/layers/optimizers.py); ``fully_connected`` and ``conv2d`` take a
``normalizer_fn`` (then no biases) as in 1.15.

Needs tf_keras in the reference venv:  ~/tfref/bin/pip install "tf_keras~=2.21.0"
Run:  ~/tfref/bin/python tests/golden/make_contrib.py   (writes tests/golden/contrib.json)
The record per program is make_layers.py's (nodes, variables, regularization losses, initial values, outputs,
gradients), plus the MODEL_VARIABLES collection; sessions run with grappler's rewrites off.
"""
import contextlib
import functools
import json
import math
import numbers
import os
import types

os.environ["TF_USE_LEGACY_KERAS"] = "1"

import numpy as np  # noqa: E402
import tensorflow.compat.v1 as tf  # noqa: E402
from tensorflow.python.framework import smart_cond as smart_module  # noqa: E402
from tensorflow.python.ops import control_flow_ops  # noqa: E402
from tensorflow.python.training import moving_averages  # noqa: E402
from tf_keras.src.legacy_tf_layers import convolutional, core, normalization  # noqa: E402

import contrib_programs as programs  # noqa: E402
from tf_sessions import kernels_only_config  # noqa: E402

tf.disable_v2_behavior()
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "contrib.json")


# -- tensorflow/contrib/layers/python/layers/initializers.py (1.15) --------------------------------------------------

def variance_scaling_initializer(factor=2.0, mode="FAN_IN", uniform=False, seed=None, dtype=tf.float32):
    if not dtype.is_floating:
        raise TypeError("Cannot create initializer for non-floating point type.")
    if mode not in ["FAN_IN", "FAN_OUT", "FAN_AVG"]:
        raise TypeError("Unknow mode %s [FAN_IN, FAN_OUT, FAN_AVG]", mode)

    def _initializer(shape, dtype=dtype, partition_info=None):
        fan_in = float(shape[-2]) if len(shape) > 1 else float(shape[-1])
        fan_out = float(shape[-1])
        for dim in shape[:-2]:
            fan_in *= float(dim)
            fan_out *= float(dim)
        n = {"FAN_IN": fan_in, "FAN_OUT": fan_out, "FAN_AVG": (fan_in + fan_out) / 2.0}[mode]
        if uniform:
            limit = math.sqrt(3.0 * factor / n)
            return tf.random_uniform(shape, -limit, limit, dtype, seed=seed)
        return tf.truncated_normal(shape, 0.0, math.sqrt(1.3 * factor / n), dtype, seed=seed)
    return _initializer


def xavier_initializer(uniform=True, seed=None, dtype=tf.float32):
    return variance_scaling_initializer(factor=1.0, mode="FAN_AVG", uniform=uniform, seed=seed, dtype=dtype)


# -- regularizers.py (1.15) ------------------------------------------------------------------------------------------

def _scale_check(scale, end=""):
    if isinstance(scale, numbers.Integral):
        raise ValueError("scale cannot be an integer: %s" % (scale,))
    if isinstance(scale, numbers.Real):
        if scale < 0.0:
            raise ValueError(("Setting a scale less than 0 on a regularizer: %g" + end) % scale)
        return scale == 0.0
    return False


def l1_regularizer(scale, scope=None):
    if _scale_check(scale):
        return lambda _: None

    def l1(weights, name=None):
        with tf.name_scope(scope, "l1_regularizer", [weights]) as name:
            my_scale = tf.convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
            return tf.multiply(my_scale, tf.reduce_sum(tf.abs(weights)), name=name)
    return l1


def l2_regularizer(scale, scope=None):
    if _scale_check(scale, "."):
        return lambda _: None

    def l2(weights):
        with tf.name_scope(scope, "l2_regularizer", [weights]) as name:
            my_scale = tf.convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
            return tf.multiply(my_scale, tf.nn.l2_loss(weights), name=name)
    return l2


def sum_regularizer(regularizer_list, scope=None):
    regularizer_list = [reg for reg in regularizer_list if reg is not None]
    if not regularizer_list:
        return None

    def sum_reg(weights):
        with tf.name_scope(scope, "sum_regularizer", [weights]) as name:
            return tf.add_n([reg(weights) for reg in regularizer_list], name=name)
    return sum_reg


def l1_l2_regularizer(scale_l1=1.0, scale_l2=1.0, scope=None):
    return sum_regularizer([l1_regularizer(scale_l1), l2_regularizer(scale_l2)], scope=scope or "l1_l2_regularizer")


def apply_regularization(regularizer, weights_list=None):
    if not weights_list:
        weights_list = tf.get_collection(tf.GraphKeys.WEIGHTS)
    if not weights_list:
        raise ValueError("No weights to regularize.")
    with tf.name_scope("get_regularization_penalty", values=weights_list) as scope:
        penalties = [regularizer(w) for w in weights_list]
        penalties = [p if p is not None else tf.constant(0.0) for p in penalties]
        summed_penalty = tf.add_n(penalties, name=scope)
        tf.add_to_collection(tf.GraphKeys.REGULARIZATION_LOSSES, summed_penalty)
        return summed_penalty


# -- contrib/framework/python/ops/arg_scope.py (1.15) -------------------------------------------------------------

_ARGSTACK = [{}]
_DECORATED = set()


@contextlib.contextmanager
def arg_scope(list_ops_or_scope, **kwargs):
    if isinstance(list_ops_or_scope, dict):
        if kwargs:
            raise ValueError("When attempting to re-use a scope by suppling adictionary, kwargs must be empty.")
        scope = list_ops_or_scope.copy()
    else:
        if not isinstance(list_ops_or_scope, (list, tuple)):
            raise TypeError("list_ops_or_scope must either be a list/tuple or reusedscope (i.e. dict)")
        scope = _ARGSTACK[-1].copy()
        for op in list_ops_or_scope:
            key = getattr(op, "_key_op", str(op))
            if key not in _DECORATED:
                raise ValueError("%s is not decorated with @add_arg_scope", (op.__module__, op.__name__))
            merged = dict(scope.get(key, {}))
            merged.update(kwargs)
            scope[key] = merged
    _ARGSTACK.append(scope)
    try:
        yield scope
    finally:
        _ARGSTACK.pop()


def add_arg_scope(func):
    key = str(func)

    @functools.wraps(func)
    def func_with_args(*args, **kwargs):
        if key in _ARGSTACK[-1]:
            kwargs = {**_ARGSTACK[-1][key], **kwargs}
        return func(*args, **kwargs)
    _DECORATED.add(key)
    func_with_args._key_op = key
    return func_with_args


# -- layers.py (1.15): the core layer in the function's variable scope, renamed model variables -------------------

def _model_variable_getter(getter, name, collections=None, **kwargs):
    parts = name.split("/")
    parts[-1] = {"bias": "biases", "kernel": "weights"}.get(parts[-1], parts[-1])
    collections = list(set(list(collections or []) + [tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.MODEL_VARIABLES]))
    return getter("/".join(parts), collections=collections, **kwargs)


def _add_variable_to_collections(variable, collections, name):
    if isinstance(collections, dict):
        collections = collections.get(name)
    for collection in collections or []:
        if variable not in tf.get_collection(collection):
            tf.add_to_collection(collection, variable)


def _collect(collections, outputs):
    if collections:
        tf.add_to_collections(collections, outputs)
    return outputs


@add_arg_scope
def fully_connected(inputs, num_outputs, activation_fn=tf.nn.relu, normalizer_fn=None, normalizer_params=None,
                    weights_initializer=xavier_initializer(), weights_regularizer=None,
                    biases_initializer=tf.zeros_initializer(), biases_regularizer=None, reuse=None,
                    variables_collections=None, outputs_collections=None, trainable=True, scope=None):
    if not isinstance(num_outputs, int):
        raise ValueError("num_outputs type should be one of %s, got %s." % ([int], type(num_outputs)))
    with tf.variable_scope(scope, "fully_connected", [inputs], reuse=reuse,
                           custom_getter=_model_variable_getter) as sc:
        inputs = tf.convert_to_tensor(inputs)
        layer = core.Dense(units=num_outputs, activation=None,
                           use_bias=not normalizer_fn and bool(biases_initializer),
                           kernel_initializer=weights_initializer, bias_initializer=biases_initializer,
                           kernel_regularizer=weights_regularizer, bias_regularizer=biases_regularizer,
                           trainable=trainable, name=sc.name, dtype=inputs.dtype.base_dtype, _scope=sc, _reuse=reuse)
        outputs = layer.apply(inputs)
        _add_variable_to_collections(layer.kernel, variables_collections, "weights")
        if layer.bias is not None:
            _add_variable_to_collections(layer.bias, variables_collections, "biases")
        if normalizer_fn is not None:
            outputs = normalizer_fn(outputs, **(normalizer_params or {}))
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return _collect(outputs_collections, outputs)


@add_arg_scope
def conv2d(inputs, num_outputs, kernel_size, stride=1, padding="SAME", data_format=None, rate=1,
           activation_fn=tf.nn.relu, normalizer_fn=None, normalizer_params=None,
           weights_initializer=xavier_initializer(), weights_regularizer=None,
           biases_initializer=tf.zeros_initializer(), biases_regularizer=None, reuse=None,
           variables_collections=None, outputs_collections=None, trainable=True, scope=None):
    with tf.variable_scope(scope, "Conv", [inputs], reuse=reuse, custom_getter=_model_variable_getter) as sc:
        inputs = tf.convert_to_tensor(inputs)
        if inputs.get_shape().ndims != 4:
            raise ValueError("Convolution expects input with rank %d, got %d" % (4, inputs.get_shape().ndims))
        layer = convolutional.Conv2D(filters=num_outputs, kernel_size=kernel_size, strides=stride, padding=padding,
                                     data_format="channels_last", dilation_rate=rate, activation=None,
                                     use_bias=not normalizer_fn and bool(biases_initializer),
                                     kernel_initializer=weights_initializer,
                                     bias_initializer=biases_initializer, kernel_regularizer=weights_regularizer,
                                     bias_regularizer=biases_regularizer, trainable=trainable, name=sc.name,
                                     dtype=inputs.dtype.base_dtype, _scope=sc, _reuse=reuse)
        outputs = layer.apply(inputs)
        _add_variable_to_collections(layer.kernel, variables_collections, "weights")
        if layer.bias is not None:
            _add_variable_to_collections(layer.bias, variables_collections, "biases")
        if normalizer_fn is not None:
            outputs = normalizer_fn(outputs, **(normalizer_params or {}))
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return _collect(outputs_collections, outputs)


def _two(value):
    return (int(value), int(value)) if isinstance(value, numbers.Integral) else (int(value[0]), int(value[1]))


def _pool(pool, default_name, op_name, inputs, kernel_size, stride, padding, data_format, outputs_collections, scope):
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with tf.name_scope(scope, default_name, [inputs]):
        inputs = tf.convert_to_tensor(inputs)
        (kh, kw), (sh, sw) = _two(kernel_size), _two(stride)
        return _collect(outputs_collections, pool(inputs, [1, kh, kw, 1], [1, sh, sw, 1], padding.upper(),
                                                  name=op_name))


@add_arg_scope
def max_pool2d(inputs, kernel_size, stride=2, padding="VALID", data_format="NHWC", outputs_collections=None,
               scope=None):
    return _pool(tf.nn.max_pool, "MaxPool2D", "MaxPool", inputs, kernel_size, stride, padding, data_format,
                 outputs_collections, scope)


@add_arg_scope
def avg_pool2d(inputs, kernel_size, stride=2, padding="VALID", data_format="NHWC", outputs_collections=None,
               scope=None):
    return _pool(tf.nn.avg_pool, "AvgPool2D", "AvgPool", inputs, kernel_size, stride, padding, data_format,
                 outputs_collections, scope)


@add_arg_scope
def flatten(inputs, outputs_collections=None, scope=None):
    with tf.name_scope(scope, "Flatten", [inputs]):
        return _collect(outputs_collections, core.flatten(tf.convert_to_tensor(inputs)))


def _constant_value(value):
    if isinstance(value, (tf.Tensor, tf.Variable)):
        return smart_module.smart_constant_value(value) if value.dtype == tf.bool else None
    return value


def _model_variable(name, shape, dtype, initializer, collections, trainable, regularizer=None):
    collections = list(set(list(collections or []) + [tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.MODEL_VARIABLES]))
    return tf.get_variable(name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                           collections=collections, trainable=trainable)


def _variable_collections(collections, name):
    return collections.get(name) if isinstance(collections, dict) else collections


def _moving_variables(params_shape, dtype, param_initializers, variables_collections):
    with tf.variable_scope(tf.get_variable_scope()) as local_scope:
        local_scope.set_partitioner(None)
        moving_mean = _model_variable("moving_mean", params_shape, dtype,
                                      param_initializers.get("moving_mean", tf.zeros_initializer()),
                                      _variable_collections(variables_collections, "moving_mean"), False)
        moving_variance = _model_variable("moving_variance", params_shape, dtype,
                                          param_initializers.get("moving_variance", tf.ones_initializer()),
                                          _variable_collections(variables_collections, "moving_variance"), False)
    return moving_mean, moving_variance


def _updates(is_training, moving_mean, moving_variance, mean, variance, decay, zero_debias, updates_collections,
             forced_result, not_training_result):
    """The moving-average updates: forced before ``forced_result()`` (updates_collections None) or collected."""
    if updates_collections is None:
        def _force_updates():
            update_mean = moving_averages.assign_moving_average(moving_mean, mean, decay, zero_debias=zero_debias)
            update_variance = moving_averages.assign_moving_average(moving_variance, variance, decay,
                                                                    zero_debias=False)
            with tf.control_dependencies([update_mean, update_variance]):
                return forced_result()
        return smart_module.smart_cond(is_training, _force_updates, not_training_result)

    def _delay_updates():
        return (moving_averages.assign_moving_average(moving_mean, mean, decay, zero_debias=zero_debias),
                moving_averages.assign_moving_average(moving_variance, variance, decay, zero_debias=False))
    update_mean, update_variance = smart_module.smart_cond(is_training, _delay_updates,
                                                           lambda: (moving_mean, moving_variance))
    tf.add_to_collections(updates_collections, update_mean)
    tf.add_to_collections(updates_collections, update_variance)
    return None


def _fused_batch_norm(inputs, decay, center, scale, epsilon, activation_fn, param_initializers, param_regularizers,
                      updates_collections, is_training, reuse, variables_collections, outputs_collections,
                      trainable, data_format, zero_debias_moving_mean, scope):
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with tf.variable_scope(scope, "BatchNorm", [inputs], reuse=reuse):
        inputs = tf.convert_to_tensor(inputs)
        original_shape, original_inputs = inputs.get_shape(), inputs
        if original_shape.ndims == 2:
            channels = original_shape.dims[-1].value
            inputs = tf.reshape(inputs, [-1, channels, 1, 1] if data_format == "NCHW" else [-1, 1, 1, channels])
        inputs_shape = inputs.get_shape()
        params_shape = inputs_shape[-1:] if data_format == "NHWC" else inputs_shape[1:2]
        param_initializers, param_regularizers = param_initializers or {}, param_regularizers or {}
        if center:
            beta = _model_variable("beta", params_shape, tf.float32,
                                   param_initializers.get("beta", tf.zeros_initializer()),
                                   _variable_collections(variables_collections, "beta"), trainable,
                                   param_regularizers.get("beta"))
        else:
            beta = tf.constant(0.0, dtype=tf.float32, shape=params_shape)
        if scale:
            gamma = _model_variable("gamma", params_shape, tf.float32,
                                    param_initializers.get("gamma", tf.ones_initializer()),
                                    _variable_collections(variables_collections, "gamma"), trainable,
                                    param_regularizers.get("gamma"))
        else:
            gamma = tf.constant(1.0, dtype=tf.float32, shape=params_shape)
        moving_mean, moving_variance = _moving_variables(params_shape, tf.float32, param_initializers,
                                                         variables_collections)
        outputs, mean, variance = smart_module.smart_cond(
            is_training,
            lambda: tf.nn.fused_batch_norm(inputs, gamma, beta, epsilon=epsilon, data_format=data_format),
            lambda: tf.nn.fused_batch_norm(inputs, gamma, beta, mean=moving_mean, variance=moving_variance,
                                           epsilon=epsilon, is_training=False, data_format=data_format))
        training_value = _constant_value(is_training)
        if training_value is None or training_value:
            forced = _updates(is_training, moving_mean, moving_variance, mean, variance, decay,
                              zero_debias_moving_mean, updates_collections, lambda: tf.identity(outputs),
                              lambda: outputs)
            outputs = outputs if forced is None else forced
        outputs.set_shape(inputs_shape)
        if original_shape.ndims == 2:
            outputs = tf.reshape(outputs, tf.shape(original_inputs))
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return _collect(outputs_collections, outputs)


@add_arg_scope
def batch_norm(inputs, decay=0.999, center=True, scale=False, epsilon=0.001, activation_fn=None,
               param_initializers=None, param_regularizers=None, updates_collections=tf.GraphKeys.UPDATE_OPS,
               is_training=True, reuse=None, variables_collections=None, outputs_collections=None, trainable=True,
               batch_weights=None, fused=None, data_format="NHWC", zero_debias_moving_mean=False, scope=None,
               renorm=False, renorm_clipping=None, renorm_decay=0.99, adjustment=None):
    if fused is None:
        fused = True
    inputs = tf.convert_to_tensor(inputs)
    rank = inputs.get_shape().ndims
    possible_to_fuse = batch_weights is None and not renorm and rank in [2, 4] and adjustment is None
    if fused and possible_to_fuse and (zero_debias_moving_mean or rank == 2
                                       or updates_collections is not tf.GraphKeys.UPDATE_OPS):
        return _fused_batch_norm(inputs, decay, center, scale, epsilon, activation_fn, param_initializers,
                                 param_regularizers, updates_collections, is_training, reuse, variables_collections,
                                 outputs_collections, trainable, data_format, zero_debias_moving_mean, scope)
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with tf.variable_scope(scope, "BatchNorm", [inputs], reuse=reuse, custom_getter=_model_variable_getter) as sc:
        inputs = tf.convert_to_tensor(inputs)
        param_initializers = param_initializers or {}
        if batch_weights is None and updates_collections is tf.GraphKeys.UPDATE_OPS and not zero_debias_moving_mean:
            param_regularizers = param_regularizers or {}
            layer = normalization.BatchNormalization(
                axis=1 if data_format == "NCHW" else -1, momentum=decay, epsilon=epsilon, center=center,
                scale=scale, beta_initializer=param_initializers.get("beta", tf.zeros_initializer()),
                gamma_initializer=param_initializers.get("gamma", tf.ones_initializer()),
                moving_mean_initializer=param_initializers.get("moving_mean", tf.zeros_initializer()),
                moving_variance_initializer=param_initializers.get("moving_variance", tf.ones_initializer()),
                beta_regularizer=param_regularizers.get("beta"), gamma_regularizer=param_regularizers.get("gamma"),
                trainable=trainable, renorm=renorm, renorm_clipping=renorm_clipping, renorm_momentum=renorm_decay,
                adjustment=adjustment, name=sc.name, _scope=sc, _reuse=reuse, fused=fused)
            outputs = layer.apply(inputs, training=is_training)
            for variable, name in [(layer.moving_mean, "moving_mean"), (layer.moving_variance, "moving_variance"),
                                   (layer.beta, "beta"), (layer.gamma, "gamma")]:
                if variable is not None:
                    _add_variable_to_collections(variable, variables_collections, name)
            if activation_fn is not None:
                outputs = activation_fn(outputs)
            return _collect(outputs_collections, outputs)
        # the legacy graph: moments of the batch and tf.nn.batch_normalization (batch_weights not rebuilt)
        inputs_shape = inputs.get_shape()
        inputs_rank = inputs_shape.ndims
        dtype = inputs.dtype.base_dtype
        if data_format == "NCHW":
            moments_axes = [0] + list(range(2, inputs_rank))
            params_shape = inputs_shape[1:2]
            broadcast_shape = [1, inputs_shape.dims[1].value] + [1] * (inputs_rank - 2)
        else:
            moments_axes = list(range(inputs_rank - 1))
            params_shape = inputs_shape[-1:]
            broadcast_shape = None
        beta = gamma = None
        if center:
            beta = _model_variable("beta", params_shape, dtype, param_initializers.get("beta", tf.zeros_initializer()),
                                   _variable_collections(variables_collections, "beta"), trainable)
        if scale:
            gamma = _model_variable("gamma", params_shape, dtype,
                                    param_initializers.get("gamma", tf.ones_initializer()),
                                    _variable_collections(variables_collections, "gamma"), trainable)
        moving_mean, moving_variance = _moving_variables(params_shape, dtype, param_initializers,
                                                         variables_collections)
        training_value = _constant_value(is_training)
        if training_value is None or training_value:
            if data_format == "NCHW":
                mean, variance = tf.nn.moments(inputs, moments_axes, keep_dims=True)
                mean, variance = tf.reshape(mean, [-1]), tf.reshape(variance, [-1])
            else:
                mean, variance = tf.nn.moments(inputs, moments_axes)
            moving_vars_fn = lambda: (moving_mean, moving_variance)  # noqa: E731
            batch_mean, batch_variance = mean, variance
            forced = _updates(is_training, moving_mean, moving_variance, mean, variance, decay,
                              zero_debias_moving_mean, updates_collections,
                              lambda: (tf.identity(batch_mean), tf.identity(batch_variance)), moving_vars_fn)
            if forced is not None:
                mean, variance = forced
            else:
                mean, variance = smart_module.smart_cond(is_training, lambda: (batch_mean, batch_variance),
                                                         moving_vars_fn)
        else:
            mean, variance = moving_mean, moving_variance
        if data_format == "NCHW":
            mean, variance = tf.reshape(mean, broadcast_shape), tf.reshape(variance, broadcast_shape)
            beta = None if beta is None else tf.reshape(beta, broadcast_shape)
            gamma = None if gamma is None else tf.reshape(gamma, broadcast_shape)
        outputs = tf.nn.batch_normalization(inputs, mean, variance, beta, gamma, epsilon)
        outputs.set_shape(inputs_shape)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return _collect(outputs_collections, outputs)


# -- layers/python/layers/optimizers.py (1.15) ------------------------------------------------------------------------

OPTIMIZER_CLS_NAMES = {
    "Adagrad": tf.train.AdagradOptimizer, "Adam": tf.train.AdamOptimizer, "Ftrl": tf.train.FtrlOptimizer,
    "Momentum": lambda learning_rate: tf.train.MomentumOptimizer(learning_rate, momentum=0.9),
    "RMSProp": tf.train.RMSPropOptimizer, "SGD": tf.train.GradientDescentOptimizer}
OPTIMIZER_SUMMARIES = ["learning_rate", "loss", "gradients", "gradient_norm", "global_gradient_norm"]


def optimize_loss(loss, global_step, learning_rate, optimizer, gradient_noise_scale=None, gradient_multipliers=None,
                  clip_gradients=None, learning_rate_decay_fn=None, update_ops=None, variables=None, name=None,
                  summaries=None, colocate_gradients_with_ops=False, increment_global_step=True):
    loss = tf.convert_to_tensor(loss)
    tf.assert_scalar(loss)
    if global_step is None:
        global_step = tf.train.get_global_step()
    else:
        tf.train.assert_global_step(global_step)
    with tf.variable_scope(name, "OptimizeLoss", [loss, global_step]):
        if update_ops is None:
            update_ops = set(tf.get_collection(tf.GraphKeys.UPDATE_OPS))
        if update_ops:
            loss = control_flow_ops.with_dependencies(list(update_ops), loss)
        lr = None
        if learning_rate is not None:
            if isinstance(learning_rate, tf.Tensor) and learning_rate.get_shape().ndims == 0:
                lr = learning_rate
            elif isinstance(learning_rate, float):
                if learning_rate < 0.0:
                    raise ValueError("Invalid learning_rate %s.", learning_rate)
                lr = tf.get_variable("learning_rate", [], trainable=False,
                                     initializer=tf.constant_initializer(learning_rate))
            else:
                raise ValueError("Learning rate should be 0d Tensor or float. Got %s of type %s"
                                 % (str(learning_rate), str(type(learning_rate))))
        if summaries is None:
            summaries = ["loss", "learning_rate", "global_gradient_norm"]
        else:
            for summ in summaries:
                if summ not in OPTIMIZER_SUMMARIES:
                    raise ValueError("Summaries should be one of [%s], you provided %s."
                                     % (", ".join(OPTIMIZER_SUMMARIES), summ))
        if learning_rate is not None and learning_rate_decay_fn is not None:
            if global_step is None:
                raise ValueError("global_step is required for learning_rate_decay_fn.")
            lr = learning_rate_decay_fn(lr, global_step)
            if "learning_rate" in summaries:
                tf.summary.scalar("learning_rate", lr)
        if isinstance(optimizer, str):
            if lr is None:
                raise ValueError("Learning rate is None, but should be specified if optimizer is string (%s)."
                                 % optimizer)
            if optimizer not in OPTIMIZER_CLS_NAMES:
                raise ValueError("Optimizer name should be one of [%s], you provided %s."
                                 % (", ".join(OPTIMIZER_CLS_NAMES), optimizer))
            opt = OPTIMIZER_CLS_NAMES[optimizer](learning_rate=lr)
        elif isinstance(optimizer, type) and issubclass(optimizer, tf.train.Optimizer):
            if lr is None:
                raise ValueError("Learning rate is None, but should be specified if optimizer is class (%s)."
                                 % optimizer)
            opt = optimizer(learning_rate=lr)
        elif isinstance(optimizer, tf.train.Optimizer):
            opt = optimizer
        elif callable(optimizer):
            opt = optimizer(lr) if learning_rate is not None else optimizer()
            if not isinstance(opt, tf.train.Optimizer):
                raise ValueError("Unrecognized optimizer: function should return subclass of Optimizer. Got %s."
                                 % str(opt))
        else:
            raise ValueError("Unrecognized optimizer: should be string, subclass of Optimizer, instance of "
                             "subclass of Optimizer or function with one argument. Got %s." % str(optimizer))
        if variables is None:
            variables = tf.trainable_variables()
        gradients = opt.compute_gradients(loss, variables, colocate_gradients_with_ops=colocate_gradients_with_ops)
        if gradient_noise_scale is not None:
            noisy = []
            for gradient, variable in gradients:
                if gradient is not None:
                    shape = gradient.dense_shape if isinstance(gradient, tf.IndexedSlices) else gradient.get_shape()
                    gradient = gradient + tf.truncated_normal(shape) * gradient_noise_scale
                noisy.append((gradient, variable))
            gradients = noisy
        if gradient_multipliers is not None:
            multiplied = []
            for grad, var in gradients:
                if grad is not None and (var in gradient_multipliers or var.name in gradient_multipliers):
                    key = var if var in gradient_multipliers else var.name
                    grad *= tf.constant(gradient_multipliers[key], dtype=tf.float32)
                multiplied.append((grad, var))
            gradients = multiplied
            if not gradients:
                raise ValueError("Empty list of (gradient, var) pairs encountered. This is most likely to be caused "
                                 "by an improper value of gradient_multipliers.")
        if "global_gradient_norm" in summaries or "gradient_norm" in summaries:
            tf.summary.scalar("global_norm/gradient_norm", tf.global_norm(list(zip(*gradients))[0]))
        if isinstance(clip_gradients, float):
            grads, variables_ = zip(*gradients)
            clipped, _ = tf.clip_by_global_norm(grads, clip_gradients)
            gradients = list(zip(clipped, variables_))
        elif callable(clip_gradients):
            gradients = clip_gradients(gradients)
        elif clip_gradients is not None:
            raise ValueError("Unknown type %s for clip_gradients" % type(clip_gradients))
        if "loss" in summaries:
            tf.summary.scalar("loss", loss)
        for gradient, variable in gradients:
            grad_values = gradient.values if isinstance(gradient, tf.IndexedSlices) else gradient
            if grad_values is not None:
                var_name = variable.name.replace(":", "_")
                if "gradients" in summaries:
                    tf.summary.histogram("gradients/%s" % var_name, grad_values)
                if "gradient_norm" in summaries:
                    tf.summary.scalar("gradient_norm/%s" % var_name, tf.global_norm([grad_values]))
        if clip_gradients is not None and ("global_gradient_norm" in summaries or "gradient_norm" in summaries):
            tf.summary.scalar("global_norm/clipped_gradient_norm", tf.global_norm(list(zip(*gradients))[0]))
        grad_updates = opt.apply_gradients(gradients, global_step=global_step if increment_global_step else None,
                                           name="train")
        return control_flow_ops.with_dependencies([grad_updates], loss)


contrib = types.SimpleNamespace(
    layers=types.SimpleNamespace(
        xavier_initializer=xavier_initializer, xavier_initializer_conv2d=xavier_initializer,
        variance_scaling_initializer=variance_scaling_initializer, l1_regularizer=l1_regularizer,
        l2_regularizer=l2_regularizer, l1_l2_regularizer=l1_l2_regularizer, sum_regularizer=sum_regularizer,
        apply_regularization=apply_regularization, fully_connected=fully_connected, conv2d=conv2d,
        batch_norm=batch_norm, arg_scope=arg_scope, optimize_loss=optimize_loss,
        max_pool2d=max_pool2d, avg_pool2d=avg_pool2d, flatten=flatten,
        linear=lambda inputs, num_outputs, **kw: fully_connected(inputs, num_outputs, activation_fn=None, **kw)),
    framework=types.SimpleNamespace(arg_scope=arg_scope, add_arg_scope=add_arg_scope,
                                    get_or_create_global_step=tf.train.get_or_create_global_step,
                                    get_global_step=tf.train.get_global_step))


def record(build):
    with tf.Graph().as_default() as graph:
        inputs, outputs = build(tf, contrib)
        nodes = [[op.name, op.type] for op in graph.get_operations()]
        regularization = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
        global_vars, trainable = tf.global_variables(), tf.trainable_variables()
        model_vars = [v.name for v in tf.model_variables()]
        total = tf.add_n([tf.reduce_sum(tf.cast(t, tf.float32)) for t in outputs.values()])
        grads = [g for g in tf.gradients(total, trainable + inputs)]
        with tf.Session(config=kernels_only_config()) as sess:
            sess.run(tf.global_variables_initializer())
            initial = sess.run(global_vars)
            values, losses, grad_values = sess.run([outputs, regularization, grads])
    return {"nodes": nodes,
            "variables": [[v.name, v.shape.as_list()] for v in global_vars],
            "trainable": [v.name for v in trainable],
            "model_variables": model_vars,
            "initial": [np.asarray(v).tolist() for v in initial],
            "regularization": [[t.name, float(v)] for t, v in zip(regularization, losses)],
            "outputs": {k: {"name": t.name, "shape": t.shape.as_list(), "value": np.asarray(values[k]).tolist()}
                        for k, t in outputs.items()},
            "grads": [np.asarray(g).tolist() for g in grad_values]}


def record_stateful(build):
    """A batch_norm program (contrib_programs.BATCH_NORM): per step the outputs and gradients, then the UPDATE_OPS;
    the global variables after the last step."""
    with tf.Graph().as_default() as graph:
        feeds, outputs = build(tf, contrib)
        nodes = [[op.name, op.type] for op in graph.get_operations()]
        global_vars, trainable = tf.global_variables(), tf.trainable_variables()
        inputs = [p for p in feeds if p.op.name.startswith("x")]
        collections = {key: [t.name for t in tf.get_collection(key)]
                       for key in (tf.GraphKeys.UPDATE_OPS, tf.GraphKeys.MODEL_VARIABLES,
                                   tf.GraphKeys.REGULARIZATION_LOSSES)}
        total = tf.add_n([tf.reduce_sum(tf.cast(t, tf.float32)) for t in outputs.values()])
        grads = tf.gradients(total, trainable + inputs)
        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        steps = []
        with tf.Session(config=kernels_only_config()) as sess:
            sess.run(tf.global_variables_initializer())
            for step in range(programs.STEPS):
                feed = {p: values[step] for p, values in feeds.items()}
                values, grad_values = sess.run([outputs, grads], feed)
                sess.run(update_ops, feed)
                steps.append({"outputs": {k: np.asarray(v).tolist() for k, v in values.items()},
                              "grads": [np.asarray(g).tolist() for g in grad_values]})
            final = sess.run(global_vars)
    return {"nodes": nodes, "variables": [[v.name, v.shape.as_list()] for v in global_vars],
            "trainable": [v.name for v in trainable], "collections": collections,
            "outputs": {k: [t.name, t.shape.as_list()] for k, t in outputs.items()},
            "steps": steps, "final": [np.asarray(v).tolist() for v in final]}


def record_training(build):
    """An optimize_loss program (contrib_programs.OPTIMIZE): per step the train tensor's value and then every
    global variable."""
    with tf.Graph().as_default() as graph:
        feeds, train = build(tf, contrib)
        nodes = [[op.name, op.type] for op in graph.get_operations()]
        global_vars, trainable = tf.global_variables(), [v.name for v in tf.trainable_variables()]
        summaries = [t.name for t in graph.get_collection(tf.GraphKeys.SUMMARIES)]
        steps = []
        with tf.Session(config=kernels_only_config()) as sess:
            sess.run(tf.global_variables_initializer())
            for step in range(programs.STEPS):
                loss = sess.run(train, {p: values[step] for p, values in feeds.items()})
                values = [np.asarray(v).tolist() for v in sess.run(global_vars)]
                steps.append({"loss": float(loss), "variables": values})
    return {"nodes": nodes, "variables": [[v.name, v.shape.as_list()] for v in global_vars],
            "trainable": trainable, "train": train.name, "summaries": summaries, "steps": steps}


def main():
    errors = {name: programs.error_message(tf, contrib, s) for name, s in programs.ERRORS.items()}
    assert None not in errors.values(), errors
    result = {"programs": {name: record(build) for name, build in programs.PROGRAMS.items()},
              "batch_norm": {name: record_stateful(build) for name, build in programs.BATCH_NORM.items()},
              "optimize_loss": {name: record_training(build) for name, build in programs.OPTIMIZE.items()},
              "errors": errors}
    with open(OUT, "w") as f:
        json.dump(result, f, separators=(",", ":"))
        f.write("\n")
    print("recorded", len(result["programs"]), "programs,", len(errors), "errors")


if __name__ == "__main__":
    main()
