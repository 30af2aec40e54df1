"""Records TensorFlow 1.15's ``tf.contrib.layers`` / ``tf.contrib.framework`` for tests/test_contrib.py.

TensorFlow 2.21 has no ``tf.contrib``. The contrib functions the programs use are rebuilt below from the calls
TensorFlow 1.15's contrib makes (tensorflow/contrib/layers/python/layers/{initializers,regularizers,layers}.py,
tensorflow/contrib/framework/python/ops/variables.py), on TensorFlow 2.21's tf.compat.v1 and tf_keras 2.21's legacy
``Dense``/``Conv2D``/``flatten`` (what ``core_layers`` were in 1.15): the same ops, names, variables and collections.

Needs tf_keras in the reference venv:  ~/tfref/bin/pip install "tf_keras~=2.21.0"
Run:  ~/tfref/bin/python tests/golden/make_contrib.py   (writes tests/golden/contrib.json)
The record per program is make_layers.py's (nodes, variables, regularization losses, initial values, outputs,
gradients), plus the MODEL_VARIABLES collection; sessions run with grappler's rewrites off.
"""
import json
import math
import numbers
import os
import types

os.environ["TF_USE_LEGACY_KERAS"] = "1"

import numpy as np  # noqa: E402
import tensorflow.compat.v1 as tf  # noqa: E402
from tf_keras.src.legacy_tf_layers import convolutional, core  # noqa: E402

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


def fully_connected(inputs, num_outputs, activation_fn=tf.nn.relu, normalizer_fn=None, normalizer_params=None,
                    weights_initializer=xavier_initializer(), weights_regularizer=None,
                    biases_initializer=tf.zeros_initializer(), biases_regularizer=None, reuse=None,
                    variables_collections=None, outputs_collections=None, trainable=True, scope=None):
    if not isinstance(num_outputs, int):
        raise ValueError("num_outputs type should be one of %s, got %s." % ([int], type(num_outputs)))
    with tf.variable_scope(scope, "fully_connected", [inputs], reuse=reuse,
                           custom_getter=_model_variable_getter) as sc:
        inputs = tf.convert_to_tensor(inputs)
        layer = core.Dense(units=num_outputs, activation=None, use_bias=bool(biases_initializer),
                           kernel_initializer=weights_initializer, bias_initializer=biases_initializer,
                           kernel_regularizer=weights_regularizer, bias_regularizer=biases_regularizer,
                           trainable=trainable, name=sc.name, dtype=inputs.dtype.base_dtype, _scope=sc, _reuse=reuse)
        outputs = layer.apply(inputs)
        _add_variable_to_collections(layer.kernel, variables_collections, "weights")
        if layer.bias is not None:
            _add_variable_to_collections(layer.bias, variables_collections, "biases")
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return _collect(outputs_collections, outputs)


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
                                     use_bias=bool(biases_initializer), kernel_initializer=weights_initializer,
                                     bias_initializer=biases_initializer, kernel_regularizer=weights_regularizer,
                                     bias_regularizer=biases_regularizer, trainable=trainable, name=sc.name,
                                     dtype=inputs.dtype.base_dtype, _scope=sc, _reuse=reuse)
        outputs = layer.apply(inputs)
        _add_variable_to_collections(layer.kernel, variables_collections, "weights")
        if layer.bias is not None:
            _add_variable_to_collections(layer.bias, variables_collections, "biases")
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


def max_pool2d(inputs, kernel_size, stride=2, padding="VALID", data_format="NHWC", outputs_collections=None,
               scope=None):
    return _pool(tf.nn.max_pool, "MaxPool2D", "MaxPool", inputs, kernel_size, stride, padding, data_format,
                 outputs_collections, scope)


def avg_pool2d(inputs, kernel_size, stride=2, padding="VALID", data_format="NHWC", outputs_collections=None,
               scope=None):
    return _pool(tf.nn.avg_pool, "AvgPool2D", "AvgPool", inputs, kernel_size, stride, padding, data_format,
                 outputs_collections, scope)


def flatten(inputs, outputs_collections=None, scope=None):
    with tf.name_scope(scope, "Flatten", [inputs]):
        return _collect(outputs_collections, core.flatten(tf.convert_to_tensor(inputs)))


contrib = types.SimpleNamespace(
    layers=types.SimpleNamespace(
        xavier_initializer=xavier_initializer, xavier_initializer_conv2d=xavier_initializer,
        variance_scaling_initializer=variance_scaling_initializer, l1_regularizer=l1_regularizer,
        l2_regularizer=l2_regularizer, l1_l2_regularizer=l1_l2_regularizer, sum_regularizer=sum_regularizer,
        apply_regularization=apply_regularization, fully_connected=fully_connected, conv2d=conv2d,
        max_pool2d=max_pool2d, avg_pool2d=avg_pool2d, flatten=flatten,
        linear=lambda inputs, num_outputs, **kw: fully_connected(inputs, num_outputs, activation_fn=None, **kw)),
    framework=types.SimpleNamespace(get_or_create_global_step=tf.train.get_or_create_global_step,
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


def main():
    errors = {name: programs.error_message(tf, contrib, s) for name, s in programs.ERRORS.items()}
    assert None not in errors.values(), errors
    result = {"programs": {name: record(build) for name, build in programs.PROGRAMS.items()}, "errors": errors}
    with open(OUT, "w") as f:
        json.dump(result, f, separators=(",", ":"))
        f.write("\n")
    print("recorded", len(result["programs"]), "programs,", len(errors), "errors")


if __name__ == "__main__":
    main()
