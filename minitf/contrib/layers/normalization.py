"""``tf.contrib.layers.batch_norm`` as TensorFlow 1.15 builds it, along one of three paths:

- the core ``tf.layers`` batch normalization (TensorFlow's ``BatchNormalization`` layer in the function's variable
  scope), when the updates go to the default UPDATE_OPS collection and the input is not a fused rank-2 one;
- the fused graph (``fused``, the default, with rank-2 inputs reshaped to [N, 1, 1, C], or rank 4 with
  ``updates_collections`` None or another collection, or ``zero_debias_moving_mean``): FusedBatchNormV3, then
  ``assign_moving_average`` updates of the moving statistics;
- the legacy graph (``fused=False`` and updates not to UPDATE_OPS, or inputs of another rank): ``tf.nn.moments``
  and ``tf.nn.batch_normalization``.

``is_training`` is a Python bool or a boolean tensor (then a ``tf.cond`` picks the batch's or the moving statistics at
run time). With ``updates_collections=None`` the updates run before the output is returned (control dependencies),
else they are added to ``updates_collections`` for the training op to run. The variables are ``<scope>/beta``,
``gamma`` (``scale=True``), ``moving_mean`` and ``moving_variance``, all model variables, the moving ones not
trainable. Not provided: ``batch_weights``, ``renorm`` and ``adjustment``.
"""

import numpy as np

from minitf import layers as core_layers
from minitf.contrib.framework.arg_scope import add_arg_scope
from minitf.contrib.layers.layers import (_add_variable_to_collections, _collect_named_outputs,
                                          _model_variable_getter)
from minitf.framework import dtypes, ops
from minitf.ops import array_ops, init_ops, nn_ops, shape_ops
from minitf.ops import variable_scope as vs
from minitf.train.moving_averages import assign_moving_average

_DATA_FORMATS = ("NCHW", "NHWC")


def _model_variable(name, shape, dtype, initializer, collections, trainable, regularizer=None):
    """contrib's ``model_variable``: ``get_variable`` in GLOBAL_VARIABLES, MODEL_VARIABLES and ``collections``."""
    collections = list(set(list(collections or []) + [ops.GraphKeys.GLOBAL_VARIABLES,
                                                      ops.GraphKeys.MODEL_VARIABLES]))
    return vs.get_variable(name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                           collections=collections, trainable=trainable)


def _collections_for(variables_collections, name):
    if isinstance(variables_collections, dict):
        return variables_collections.get(name)
    return variables_collections


def _moving_statistics(params_shape, dtype, param_initializers, variables_collections):
    """The non-trainable ``moving_mean`` (zeros) and ``moving_variance`` (ones) model variables."""
    moving_mean = _model_variable("moving_mean", params_shape, dtype,
                                  param_initializers.get("moving_mean", init_ops.zeros_initializer()),
                                  _collections_for(variables_collections, "moving_mean"), False)
    moving_variance = _model_variable("moving_variance", params_shape, dtype,
                                      param_initializers.get("moving_variance", init_ops.ones_initializer()),
                                      _collections_for(variables_collections, "moving_variance"), False)
    return moving_mean, moving_variance


def _training_value(is_training):
    """``is_training``'s value when known at graph construction, else None (contrib's ``utils.constant_value``)."""
    if isinstance(is_training, ops.Tensor):
        return core_layers._constant_value(is_training)
    if hasattr(is_training, "initial_value"):  # a Variable: its value is known at run time only
        return None
    return is_training


def _update_moving_statistics(is_training, moving_mean, moving_variance, mean, variance, decay, zero_debias,
                              updates_collections, after_updates, not_training):
    """Updates the moving statistics towards ``mean`` and ``variance`` when training. With ``updates_collections``
    None the updates run first and ``after_updates()`` (or, not training, ``not_training()``) is returned; else the
    updates are added to ``updates_collections`` and None is returned."""
    def assign_both():
        return (assign_moving_average(moving_mean, mean, decay, zero_debias=zero_debias),
                assign_moving_average(moving_variance, variance, decay, zero_debias=False))

    if updates_collections is None:
        def force_updates():
            with ops.control_dependencies(assign_both()):
                return after_updates()
        return core_layers._smart_cond(is_training, force_updates, not_training)
    update_mean, update_variance = core_layers._smart_cond(is_training, assign_both,
                                                           lambda: (moving_mean, moving_variance))
    ops.add_to_collections(updates_collections, update_mean)
    ops.add_to_collections(updates_collections, update_variance)
    return None


def _fused_batch_norm(inputs, decay, center, scale, epsilon, activation_fn, param_initializers, param_regularizers,
                      updates_collections, is_training, reuse, variables_collections, outputs_collections,
                      trainable, data_format, zero_debias_moving_mean, scope):
    """The fused graph: FusedBatchNormV3 on NHWC/NCHW (rank-2 inputs as [N, 1, 1, C]); float32 parameters."""
    if data_format not in _DATA_FORMATS:
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with vs.variable_scope(scope, "BatchNorm", [inputs], reuse=reuse):
        inputs = ops.convert_to_tensor(inputs)
        original_shape, original_inputs = inputs.shape, inputs
        if original_shape.ndims == 2:
            channels = original_shape.as_list()[-1]
            if channels is None:
                raise ValueError("`C` dimension must be known but is None")
            inputs = array_ops.reshape(inputs, [-1, channels, 1, 1] if data_format == "NCHW"
                                       else [-1, 1, 1, channels])
        inputs_shape = inputs.shape
        params_shape = inputs_shape[-1:] if data_format == "NHWC" else inputs_shape[1:2]
        if not params_shape.is_fully_defined():
            raise ValueError(f"Inputs {inputs.name} has undefined `C` dimension {params_shape}.")
        param_initializers, param_regularizers = param_initializers or {}, param_regularizers or {}
        if center:
            beta = _model_variable("beta", params_shape, dtypes.float32,
                                   param_initializers.get("beta", init_ops.zeros_initializer()),
                                   _collections_for(variables_collections, "beta"), trainable,
                                   param_regularizers.get("beta"))
        else:
            beta = ops.convert_to_tensor(np.zeros(params_shape.as_list(), np.float32))
        if scale:
            gamma = _model_variable("gamma", params_shape, dtypes.float32,
                                    param_initializers.get("gamma", init_ops.ones_initializer()),
                                    _collections_for(variables_collections, "gamma"), trainable,
                                    param_regularizers.get("gamma"))
        else:
            gamma = ops.convert_to_tensor(np.ones(params_shape.as_list(), np.float32))
        moving_mean, moving_variance = _moving_statistics(params_shape, dtypes.float32, param_initializers,
                                                          variables_collections)
        outputs, mean, variance = core_layers._smart_cond(
            is_training,
            lambda: nn_ops.fused_batch_norm(inputs, gamma, beta, epsilon=epsilon, data_format=data_format),
            lambda: nn_ops.fused_batch_norm(inputs, gamma, beta, mean=moving_mean, variance=moving_variance,
                                            epsilon=epsilon, is_training=False, data_format=data_format))
        training_value = _training_value(is_training)
        if training_value is None or training_value:
            normalized = outputs
            forced = _update_moving_statistics(is_training, moving_mean, moving_variance, mean, variance, decay,
                                               zero_debias_moving_mean, updates_collections,
                                               lambda: array_ops.identity(normalized), lambda: normalized)
            if forced is not None:
                outputs = forced
        outputs.set_shape(inputs_shape)
        if original_shape.ndims == 2:
            outputs = array_ops.reshape(outputs, shape_ops.shape(original_inputs))
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return _collect_named_outputs(outputs_collections, outputs)


def _core_batch_norm(inputs, decay, center, scale, epsilon, param_initializers, param_regularizers, is_training,
                     trainable, fused, data_format, variables_collections):
    """The core layer's graph in the current scope: gamma, beta, then the moving statistics; FusedBatchNormV3 for
    rank-4 inputs when ``fused``, else moments; updates to UPDATE_OPS."""
    ndims = inputs.shape.ndims
    if ndims is None:
        raise ValueError(f"Input has undefined rank. Received: input_shape={inputs.shape}.")
    axis = 1 if data_format == "NCHW" else ndims - 1
    param_shape = [inputs.shape.as_list()[axis]]
    if None in param_shape:
        raise ValueError(f"Input has undefined `axis` dimension. Received input with shape "
                         f"{tuple(inputs.shape.dims)} and axis={(axis,)}")
    dtype = inputs.dtype.base_dtype
    param_initializers, param_regularizers = param_initializers or {}, param_regularizers or {}
    gamma = core_layers._add_weight("gamma", param_shape, dtype,
                                    param_initializers.get("gamma", init_ops.ones_initializer()),
                                    param_regularizers.get("gamma"), None, trainable) if scale else None
    beta = core_layers._add_weight("beta", param_shape, dtype,
                                   param_initializers.get("beta", init_ops.zeros_initializer()),
                                   param_regularizers.get("beta"), None, trainable) if center else None
    moving_mean = core_layers._add_weight("moving_mean", param_shape, dtype,
                                          param_initializers.get("moving_mean", init_ops.zeros_initializer()),
                                          None, None, False)
    moving_variance = core_layers._add_weight(
        "moving_variance", param_shape, dtype, param_initializers.get("moving_variance", init_ops.ones_initializer()),
        None, None, False)
    if fused and ndims == 4:
        outputs, updates = core_layers._fused_batch_norm(inputs, gamma, beta, moving_mean, moving_variance, epsilon,
                                                         decay, data_format, is_training, param_shape)
    else:
        outputs, updates = core_layers._batch_norm(inputs, [axis], gamma, beta, moving_mean, moving_variance,
                                                   epsilon, decay, is_training)
    for update in updates:
        ops.add_to_collection(ops.GraphKeys.UPDATE_OPS, update.op)
    for variable, name in [(moving_mean, "moving_mean"), (moving_variance, "moving_variance"), (beta, "beta"),
                           (gamma, "gamma")]:
        if variable is not None:
            _add_variable_to_collections(variable, variables_collections, name)
    return outputs


def _legacy_batch_norm(inputs, decay, center, scale, epsilon, param_initializers, updates_collections,
                       is_training, variables_collections, trainable, data_format, zero_debias_moving_mean):
    """The legacy graph in the current scope: ``tf.nn.moments`` of the batch and ``tf.nn.batch_normalization``."""
    inputs_shape = inputs.shape
    rank = inputs_shape.ndims
    if rank is None:
        raise ValueError(f"Inputs {inputs.name} has undefined rank.")
    dtype = inputs.dtype.base_dtype
    if data_format == "NCHW":
        moments_axes = [0] + list(range(2, rank))
        params_shape = inputs_shape[1:2]
        broadcast_shape = [1, inputs_shape.as_list()[1]] + [1] * (rank - 2)
    else:
        moments_axes = list(range(rank - 1))
        params_shape = inputs_shape[-1:]
        broadcast_shape = None
    if not params_shape.is_fully_defined():
        raise ValueError(f"Inputs {inputs.name} has undefined channels dimension {params_shape}.")
    param_initializers = param_initializers or {}
    beta = gamma = None
    if center:
        beta = _model_variable("beta", params_shape, dtype,
                               param_initializers.get("beta", init_ops.zeros_initializer()),
                               _collections_for(variables_collections, "beta"), trainable)
    if scale:
        gamma = _model_variable("gamma", params_shape, dtype,
                                param_initializers.get("gamma", init_ops.ones_initializer()),
                                _collections_for(variables_collections, "gamma"), trainable)
    moving_mean, moving_variance = _moving_statistics(params_shape, dtype, param_initializers, variables_collections)
    training_value = _training_value(is_training)
    if training_value is None or training_value:
        if data_format == "NCHW":
            mean, variance = nn_ops.moments(inputs, moments_axes, keep_dims=True)
            mean, variance = array_ops.reshape(mean, [-1]), array_ops.reshape(variance, [-1])
        else:
            mean, variance = nn_ops.moments(inputs, moments_axes)
        batch_mean, batch_variance = mean, variance

        def moving_statistics():
            return moving_mean, moving_variance
        forced = _update_moving_statistics(
            is_training, moving_mean, moving_variance, mean, variance, decay, zero_debias_moving_mean,
            updates_collections, lambda: (array_ops.identity(batch_mean), array_ops.identity(batch_variance)),
            moving_statistics)
        if forced is None:
            forced = core_layers._smart_cond(is_training, lambda: (batch_mean, batch_variance), moving_statistics)
        mean, variance = forced
    else:
        mean, variance = moving_mean, moving_variance
    if data_format == "NCHW":
        mean, variance = array_ops.reshape(mean, broadcast_shape), array_ops.reshape(variance, broadcast_shape)
        beta = None if beta is None else array_ops.reshape(beta, broadcast_shape)
        gamma = None if gamma is None else array_ops.reshape(gamma, broadcast_shape)
    outputs = nn_ops.batch_normalization(inputs, mean, variance, beta, gamma, epsilon)
    outputs.set_shape(inputs_shape)
    return outputs


@add_arg_scope
def batch_norm(inputs, decay=0.999, center=True, scale=False, epsilon=0.001, activation_fn=None,
               param_initializers=None, param_regularizers=None, updates_collections=ops.GraphKeys.UPDATE_OPS,
               is_training=True, reuse=None, variables_collections=None, outputs_collections=None, trainable=True,
               batch_weights=None, fused=None, data_format="NHWC", zero_debias_moving_mean=False, scope=None,
               renorm=False, renorm_clipping=None, renorm_decay=0.99, adjustment=None):
    """Batch normalization (Ioffe and Szegedy, 2015) over every axis but the channels (the last, or the second for
    NCHW): with the batch's statistics when ``is_training``, else with the moving averages that training updates
    with ``decay``. ``center`` adds the ``beta`` offset, ``scale`` multiplies by ``gamma`` (off by default)."""
    if batch_weights is not None or renorm or adjustment is not None:
        raise NotImplementedError("minitf's tf.contrib.layers.batch_norm has no batch_weights, renorm or adjustment")
    if fused is None:
        fused = True
    inputs = ops.convert_to_tensor(inputs)
    rank = inputs.shape.ndims
    if fused and rank in (2, 4) and (zero_debias_moving_mean or rank == 2
                                     or updates_collections is not ops.GraphKeys.UPDATE_OPS):
        return _fused_batch_norm(inputs, decay, center, scale, epsilon, activation_fn, param_initializers,
                                 param_regularizers, updates_collections, is_training, reuse, variables_collections,
                                 outputs_collections, trainable, data_format, zero_debias_moving_mean, scope)
    if data_format not in _DATA_FORMATS:
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with vs.variable_scope(scope, "BatchNorm", [inputs], reuse=reuse, custom_getter=_model_variable_getter):
        inputs = ops.convert_to_tensor(inputs)
        if updates_collections is ops.GraphKeys.UPDATE_OPS and not zero_debias_moving_mean:
            outputs = _core_batch_norm(inputs, decay, center, scale, epsilon, param_initializers,
                                       param_regularizers, is_training, trainable, fused, data_format,
                                       variables_collections)
        else:
            outputs = _legacy_batch_norm(inputs, decay, center, scale, epsilon, param_initializers,
                                         updates_collections, is_training, variables_collections, trainable,
                                         data_format, zero_debias_moving_mean)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return _collect_named_outputs(outputs_collections, outputs)
