"""The ``tf.contrib.layers`` / ``tf.contrib.framework`` programs of tests/golden/make_contrib.py (TensorFlow 1.15's
contrib functions rebuilt from TensorFlow 2.21's tf.compat.v1 and tf_keras's legacy layers) and tests/test_contrib.py
(minitf). Each takes the library as ``tf`` and its contrib as ``contrib``, builds a graph under a graph-level seed
and returns (inputs, {name: output tensor}); the sum of the outputs is differentiated wrt the trainable variables
and the inputs.
"""
import numpy as np


def _data(shape, seed):
    return np.random.default_rng(seed).uniform(-1.0, 1.0, size=shape).astype(np.float32)


def initializers(tf, contrib):
    """xavier (uniform, normal, conv2d), variance scaling in each mode, op-level seeds."""
    tf.set_random_seed(5)
    layers = contrib.layers
    out = {}
    for name, shape, init in [
            ("xavier", [6, 4], layers.xavier_initializer()),
            ("xavier_normal", [30, 20], layers.xavier_initializer(uniform=False, seed=3)),
            ("xavier_conv", [3, 3, 2, 5], layers.xavier_initializer_conv2d()),
            ("he", [40, 10], layers.variance_scaling_initializer()),
            ("fan_out", [2, 2, 3, 4], layers.variance_scaling_initializer(factor=1.0, mode="FAN_OUT", uniform=True)),
            ("fan_avg", [7], layers.variance_scaling_initializer(factor=3.0, mode="FAN_AVG", seed=9)),
            ("double", [3, 3], layers.xavier_initializer(dtype=tf.float64))]:
        out[name] = tf.get_variable(name, shape, dtype=tf.float64 if name == "double" else tf.float32,
                                    initializer=init)
    return [], {k: tf.identity(v, name=k + "_out") for k, v in out.items()}


def regularizers(tf, contrib):
    """l1, l2, l1_l2, sum, scale 0, apply_regularization on a list and on the WEIGHTS collection."""
    layers = contrib.layers
    w = tf.constant(_data([4, 3], 1), name="w")
    v = tf.constant(_data([5], 2), name="v")
    tf.add_to_collection(tf.GraphKeys.WEIGHTS, w)
    tf.add_to_collection(tf.GraphKeys.WEIGHTS, v)
    out = {"l1": layers.l1_regularizer(0.5)(w),
           "l2": layers.l2_regularizer(0.25)(w),
           "l2_scoped": layers.l2_regularizer(0.1, scope="my_l2")(v),
           "l1_l2": layers.l1_l2_regularizer(0.1, 0.2)(w),
           "sum": layers.sum_regularizer([layers.l1_regularizer(1.0), None, layers.l2_regularizer(2.0)])(v),
           "applied": layers.apply_regularization(layers.l2_regularizer(0.5), [w, v]),
           "applied_collection": layers.apply_regularization(layers.l1_regularizer(0.3)),
           "with_zero": layers.apply_regularization(layers.l1_regularizer(0.0), [w])}
    return [w, v], out


def dense_layers(tf, contrib):
    """fully_connected: default scope numbering, ReLU default, activation None, regularizers, scope=, reuse,
    no biases, collections, rank-3 inputs."""
    tf.set_random_seed(7)
    layers = contrib.layers
    x = tf.constant(_data([5, 6], 3), name="x")
    out = {"hidden": layers.fully_connected(x, 8)}
    out["logits"] = layers.fully_connected(out["hidden"], 4, activation_fn=None,
                                           weights_regularizer=layers.l2_regularizer(0.01),
                                           biases_regularizer=layers.l1_regularizer(0.1))
    out["named"] = layers.fully_connected(x, 3, activation_fn=tf.tanh, scope="fc",
                                          biases_initializer=tf.constant_initializer(0.2),
                                          variables_collections=["my_vars"], outputs_collections="my_outputs")
    out["reused"] = layers.fully_connected(x, 3, activation_fn=tf.tanh, scope="fc", reuse=True)
    out["no_bias"] = layers.fully_connected(x, 2, biases_initializer=None, activation_fn=tf.sigmoid,
                                            weights_initializer=tf.truncated_normal_initializer(stddev=0.1),
                                            trainable=False)
    with tf.variable_scope("tower"):
        out["in_scope"] = layers.fully_connected(x, 2, variables_collections={"weights": ["tower_weights"]})
    out["rank3"] = layers.fully_connected(tf.reshape(x, [5, 2, 3]), 4)
    out["linear"] = layers.linear(x, 2)
    out["collected"] = tf.add_n([tf.reduce_sum(v) for v in tf.get_collection("my_outputs")
                                 + tf.get_collection("my_vars") + tf.get_collection("tower_weights")])
    out["model_variables"] = tf.constant(len(tf.model_variables()), tf.float32)
    return [x], out


def conv_layers(tf, contrib):
    """conv2d (SAME default, VALID, strides, regularizer, scope; a dilated conv2d is one of the differences the
    README lists), max_pool2d, avg_pool2d, flatten."""
    tf.set_random_seed(3)
    layers = contrib.layers
    x = tf.constant(_data([2, 9, 9, 3], 4), name="x")
    out = {"conv": layers.conv2d(x, 4, 3)}
    out["pool"] = layers.max_pool2d(out["conv"], 2)
    out["conv_valid"] = layers.conv2d(out["pool"], 5, [2, 3], stride=[1, 2], padding="VALID",
                                      weights_regularizer=layers.l2_regularizer(0.05), activation_fn=None)
    out["avg"] = layers.avg_pool2d(out["conv"], 3, stride=2, padding="SAME")
    out["avg_scoped"] = layers.avg_pool2d(x, [2, 3], stride=1, scope="pool")
    out["max_same"] = layers.max_pool2d(out["conv"], [3, 2], stride=[2, 1], padding="SAME")
    out["scoped"] = layers.conv2d(x, 2, 3, scope="conv_a", biases_initializer=tf.ones_initializer())
    out["flat"] = layers.flatten(out["avg"])
    out["flat_again"] = layers.flatten(out["conv_valid"], scope="flat2")
    out["fc"] = layers.fully_connected(out["flat"], 3)
    return [x], out


def global_step(tf, contrib):
    """contrib.framework.get_or_create_global_step / get_global_step."""
    step = contrib.framework.get_or_create_global_step()
    again = contrib.framework.get_or_create_global_step()
    found = contrib.framework.get_global_step()
    assert step is again and found is step
    return [], {"step": tf.identity(step, name="step_out")}


def arg_scopes(tf, contrib):
    """arg_scope over conv2d / fully_connected / max_pool2d: defaults, a call overriding them, nesting (the inner
    value wins), a reused scope, linear (fully_connected underneath), and leaving the scope."""
    tf.set_random_seed(11)
    layers, arg_scope = contrib.layers, contrib.framework.arg_scope
    x = tf.constant(_data([2, 8, 8, 3], 12), name="x")
    out = {}
    with arg_scope([layers.conv2d, layers.fully_connected], activation_fn=tf.nn.tanh,
                   weights_initializer=tf.truncated_normal_initializer(stddev=0.2),
                   biases_initializer=tf.constant_initializer(0.1)) as outer:
        with arg_scope([layers.conv2d], padding="VALID", stride=2):
            out["conv"] = layers.conv2d(x, 4, 3)
            out["conv_same"] = layers.conv2d(x, 2, 3, padding="SAME", activation_fn=None)
        with layers.arg_scope([layers.max_pool2d], padding="SAME", stride=1):
            out["pool"] = layers.max_pool2d(out["conv"], 2)
        out["fc"] = layers.fully_connected(layers.flatten(out["pool"]), 5)
        out["linear"] = layers.linear(out["fc"], 2)
    with arg_scope(outer):
        out["reused"] = layers.conv2d(x, 1, 2, scope="reused_conv")
    out["outside"] = layers.conv2d(x, 1, 2)
    return [x], out


PROGRAMS = {"initializers": initializers, "regularizers": regularizers, "dense_layers": dense_layers,
            "conv_layers": conv_layers, "global_step": global_step, "arg_scopes": arg_scopes}


# -- batch_norm: programs with state. Each returns (feeds, {name: tensor}); ``feeds`` maps a placeholder to its
# value at each of STEPS steps. A step runs the outputs and the gradients of their sum (wrt the trainable variables
# and the placeholders named "x"), then the UPDATE_OPS; the variables are read after the last step.
STEPS = 3


def _steps(shape, seed, scale=1.0, shift=0.0):
    return [(_data(shape, seed + 100 * step) * scale + shift) for step in range(STEPS)]


def batch_norm_paths(tf, contrib):
    """The core layer (rank 4, UPDATE_OPS, fused or not), the fused graph (rank 2, or updates_collections None, or
    zero_debias_moving_mean), the legacy graph (fused=False with updates_collections None, rank 2 and 3), NCHW on
    each path, decay, epsilon, scale, center, initializers, regularizers, variables_collections, a given scope and
    activation."""
    layers = contrib.layers
    x4 = tf.placeholder(tf.float32, [4, 3, 3, 2], name="x")
    x2 = tf.placeholder(tf.float32, [6, 3], name="x2")
    x3 = tf.placeholder(tf.float32, [2, 5, 3], name="x3")
    out = {
        "core_fused": layers.batch_norm(x4),
        "core_plain": layers.batch_norm(x4, fused=False, scale=True, decay=0.9, epsilon=1e-4),
        "fused_rank2": layers.batch_norm(x2, scale=True, decay=0.5, variables_collections=["bn_vars"]),
        "fused_forced": layers.batch_norm(x4, updates_collections=None, center=False, scope="forced",
                                          param_initializers={"moving_variance": tf.constant_initializer(2.0)}),
        "legacy_forced": layers.batch_norm(x2, fused=False, updates_collections=None, scale=True, decay=0.8,
                                           activation_fn=tf.nn.relu),
        "legacy_rank3": layers.batch_norm(x3, scale=True, decay=0.7, epsilon=1e-2,
                                          variables_collections={"gamma": ["gammas"]},
                                          param_initializers={"gamma": tf.constant_initializer(1.5),
                                                              "beta": tf.constant_initializer(-0.5)}),
        "inference": layers.batch_norm(x4, is_training=False, scale=True, scope="eval"),
        "inference_rank2": layers.batch_norm(x2, is_training=False, fused=False),
        "debiased": layers.batch_norm(x4, zero_debias_moving_mean=True, decay=0.6, scope="debiased"),
        "nchw_fused": layers.batch_norm(x4, data_format="NCHW", updates_collections=None, scale=True,
                                        param_regularizers={"gamma": layers.l2_regularizer(0.1),
                                                            "beta": layers.l1_regularizer(0.2)}),
        "nchw_legacy": layers.batch_norm(x4, data_format="NCHW", fused=False, updates_collections=None,
                                         decay=0.5),
        "nchw_rank2": layers.batch_norm(x2, data_format="NCHW", decay=0.5),
        "regularized": layers.batch_norm(x4, scale=True, param_regularizers={"gamma": layers.l2_regularizer(0.3)}),
    }
    out["collected"] = tf.add_n([tf.reduce_sum(v) for v in tf.get_collection("bn_vars")
                                 + tf.get_collection("gammas")])
    feeds = {x4: _steps([4, 3, 3, 2], 20, 2.0, 1.0), x2: _steps([6, 3], 21, 3.0, -1.0),
             x3: _steps([2, 5, 3], 22, 0.5, 0.2)}
    return feeds, out


def batch_norm_switched(tf, contrib):
    """is_training a boolean tensor (training, inference, training at the three steps): the core layer fused and
    not, the fused graph and the legacy graph, with collected and forced updates."""
    layers = contrib.layers
    training = tf.placeholder(tf.bool, [], name="is_training")
    x4 = tf.placeholder(tf.float32, [4, 2, 2, 3], name="x")
    x2 = tf.placeholder(tf.float32, [5, 4], name="x2")
    out = {
        "core_fused": layers.batch_norm(x4, is_training=training, scale=True, decay=0.9),
        "core_plain": layers.batch_norm(x4, is_training=training, fused=False, decay=0.9),
        "fused_collected": layers.batch_norm(x2, is_training=training, decay=0.6),
        "fused_forced": layers.batch_norm(x4, is_training=training, updates_collections=None, scale=True),
        "legacy_collected": layers.batch_norm(x2, is_training=training, fused=False, decay=0.6,
                                              updates_collections=["my_updates"]),
        "legacy_forced": layers.batch_norm(x2, is_training=training, fused=False, updates_collections=None),
    }
    out["my_updates"] = tf.add_n([tf.reduce_sum(u) for u in tf.get_collection("my_updates")])
    feeds = {training: [True, False, True], x4: _steps([4, 2, 2, 3], 30, 2.0, 0.5), x2: _steps([5, 4], 31, 1.5)}
    return feeds, out


def normalizers(tf, contrib):
    """batch_norm as the normalizer_fn of conv2d and fully_connected (no biases then), with normalizer_params, and
    under arg_scope as slim-style code builds it."""
    tf.set_random_seed(13)
    layers, arg_scope = contrib.layers, contrib.framework.arg_scope
    training = tf.placeholder(tf.bool, [], name="is_training")
    x = tf.placeholder(tf.float32, [3, 6, 6, 2], name="x")
    out = {"conv": layers.conv2d(x, 4, 3, normalizer_fn=layers.batch_norm)}
    with arg_scope([layers.conv2d, layers.fully_connected], normalizer_fn=layers.batch_norm,
                   normalizer_params={"is_training": training, "decay": 0.9, "updates_collections": None,
                                      "scale": True}):
        with arg_scope([layers.batch_norm], epsilon=1e-2):
            out["conv_scoped"] = layers.conv2d(out["conv"], 3, 2, stride=2, scope="conv_bn")
        out["fc"] = layers.fully_connected(layers.flatten(out["conv_scoped"]), 4)
    out["fc_plain"] = layers.fully_connected(out["fc"], 2, normalizer_fn=layers.batch_norm,
                                             normalizer_params={"is_training": False}, activation_fn=None)
    feeds = {training: [True, True, False], x: _steps([3, 6, 6, 2], 40, 1.0, 0.3)}
    return feeds, out


BATCH_NORM = {"batch_norm_paths": batch_norm_paths, "batch_norm_switched": batch_norm_switched,
              "normalizers": normalizers}


# -- optimize_loss: each returns (feeds, train tensor); a step runs the train tensor (the loss), then the global
# variables are read.

def _regression(tf, layers, seed):
    """A small model: fully_connected twice on a placeholder ``x``, mean squared error against ``y``."""
    x = tf.placeholder(tf.float32, [6, 4], name="x")
    y = tf.placeholder(tf.float32, [6, 1], name="y")
    hidden = layers.fully_connected(x, 3, activation_fn=tf.tanh,
                                    weights_initializer=tf.truncated_normal_initializer(stddev=0.5, seed=seed))
    prediction = layers.fully_connected(hidden, 1, activation_fn=None,
                                        weights_initializer=tf.truncated_normal_initializer(stddev=0.5, seed=seed))
    loss = tf.reduce_mean(tf.square(prediction - y))
    feeds = {x: _steps([6, 4], seed), y: _steps([6, 1], seed + 1)}
    return feeds, loss


def optimize_sgd(tf, contrib):
    """A string optimizer, a float learning rate (the ``learning_rate`` variable), the default summaries, the
    global step incremented."""
    feeds, loss = _regression(tf, contrib.layers, 1)
    step = contrib.framework.get_or_create_global_step()
    return feeds, contrib.layers.optimize_loss(loss, step, 0.1, "SGD")


def optimize_adam(tf, contrib):
    """An optimizer class, learning_rate_decay_fn, clipping by global norm, every summary, a name, the global step
    found in the graph."""
    feeds, loss = _regression(tf, contrib.layers, 2)
    contrib.framework.get_or_create_global_step()
    return feeds, contrib.layers.optimize_loss(
        loss, None, 0.05, tf.train.AdamOptimizer, clip_gradients=0.5, name="train_scope",
        learning_rate_decay_fn=lambda lr, step: tf.train.exponential_decay(lr, step, 2, 0.5),
        summaries=["learning_rate", "loss", "gradients", "gradient_norm", "global_gradient_norm"])


def optimize_momentum(tf, contrib):
    """An optimizer instance (no learning rate), the UPDATE_OPS (here a counter) run before the loss, gradient
    multipliers by name, some variables only, the global step not incremented, no summaries."""
    tf.set_random_seed(5)
    layers = contrib.layers
    x = tf.placeholder(tf.float32, [5, 3], name="x")
    counter = tf.Variable(0.0, trainable=False, name="counter")
    tf.add_to_collection(tf.GraphKeys.UPDATE_OPS, tf.assign_add(counter, tf.constant(1.0, name="one")))
    hidden = layers.fully_connected(x, 4, activation_fn=tf.nn.relu6, scope="fc")
    loss = tf.reduce_sum(tf.square(layers.fully_connected(hidden, 1, scope="out") - 1.0))
    step = contrib.framework.get_or_create_global_step()
    variables = tf.trainable_variables()[1:]
    return {x: _steps([5, 3], 3)}, layers.optimize_loss(
        loss, step, None, tf.train.MomentumOptimizer(0.05, 0.9), variables=variables,
        gradient_multipliers={"out/weights:0": 0.5}, increment_global_step=False, summaries=[])


def optimize_rmsprop(tf, contrib):
    """A function making the optimizer, a 0-d tensor learning rate, gradient noise under a graph seed, a
    clipping function; the "Momentum" and "Adagrad" names in a second and third optimize_loss, each on a model of
    its own (``variables``)."""
    tf.set_random_seed(17)
    feeds, loss = _regression(tf, contrib.layers, 4)
    step = contrib.framework.get_or_create_global_step()
    train = contrib.layers.optimize_loss(
        loss, step, tf.constant(0.01), lambda lr: tf.train.RMSPropOptimizer(lr, decay=0.8),
        gradient_noise_scale=0.1, summaries=["loss"],
        clip_gradients=lambda pairs: [(tf.clip_by_value(g, -0.2, 0.2), v) for g, v in pairs])
    losses = [train]
    for seed, optimizer, increment in [(5, "Momentum", True), (6, "Adagrad", False)]:
        with tf.variable_scope(optimizer):
            more_feeds, loss = _regression(tf, contrib.layers, seed)
        feeds.update(more_feeds)
        losses.append(contrib.layers.optimize_loss(
            loss, step, 0.02, optimizer, name=optimizer + "_train", summaries=[],
            variables=tf.trainable_variables(optimizer + "/"), increment_global_step=increment))
    return feeds, tf.add_n(losses)


def optimize_ftrl(tf, contrib):
    """The "Ftrl" name: FtrlOptimizer on the ``learning_rate`` variable (its beta term takes the maximum of it),
    the dense and the sparse update (a gather from the second layer's weights), the gradient summaries."""
    feeds, loss = _regression(tf, contrib.layers, 7)
    weights = tf.trainable_variables()[2]
    loss += tf.reduce_sum(tf.square(tf.gather(weights, [2, 0, 2])))
    step = contrib.framework.get_or_create_global_step()
    return feeds, contrib.layers.optimize_loss(loss, step, 0.1, "Ftrl", summaries=["loss", "gradients"])


OPTIMIZE = {"optimize_sgd": optimize_sgd, "optimize_adam": optimize_adam, "optimize_momentum": optimize_momentum,
            "optimize_rmsprop": optimize_rmsprop, "optimize_ftrl": optimize_ftrl}

_OPT_MODEL = "v = tf.Variable([1.0, 2.0]); loss = tf.reduce_sum(v * v); "

ERRORS = {
    "integer_scale": "contrib.layers.l2_regularizer(1)",
    "negative_scale_l1": "contrib.layers.l1_regularizer(-0.5)",
    "negative_scale_l2": "contrib.layers.l2_regularizer(-0.5)",
    "no_weights": "contrib.layers.apply_regularization(contrib.layers.l2_regularizer(0.1))",
    "float_outputs": "contrib.layers.fully_connected(tf.zeros([2, 3]), 2.0)",
    "conv_rank": "contrib.layers.conv2d(tf.zeros([2, 3, 3]), 2, 3)",
    "pool_format": "contrib.layers.max_pool2d(tf.zeros([1, 4, 4, 1]), 2, data_format='NWHC')",
    "bad_mode": "contrib.layers.variance_scaling_initializer(mode='FAN_SUM')",
    "int_dtype": "contrib.layers.xavier_initializer(dtype=tf.int32)",
    "bn_data_format": "contrib.layers.batch_norm(tf.zeros([2, 3, 3, 1]), data_format='NWHC', fused=False)",
    "bn_fused_data_format": "contrib.layers.batch_norm(tf.zeros([2, 3]), data_format='NWHC')",
    "arg_scope_not_a_list": "contrib.framework.arg_scope(contrib.layers.conv2d, padding='SAME').__enter__()",
    "arg_scope_dict_and_kwargs": "contrib.framework.arg_scope({}, padding='SAME').__enter__()",
    "opt_negative_lr": _OPT_MODEL + "contrib.layers.optimize_loss(loss, None, -1.0, 'SGD')",
    "opt_int_lr": _OPT_MODEL + "contrib.layers.optimize_loss(loss, None, 1, 'SGD')",
    "opt_summary": _OPT_MODEL + "contrib.layers.optimize_loss(loss, None, 0.1, 'SGD', summaries=['weights'])",
    "opt_name": _OPT_MODEL + "contrib.layers.optimize_loss(loss, None, 0.1, 'Nesterov')",
    "opt_string_no_lr": _OPT_MODEL + "contrib.layers.optimize_loss(loss, None, None, 'SGD')",
    "opt_bad_optimizer": _OPT_MODEL + "contrib.layers.optimize_loss(loss, None, 0.1, 3)",
    "opt_bad_function": _OPT_MODEL + "contrib.layers.optimize_loss(loss, None, 0.1, lambda lr: 'sgd')",
    "opt_clip_type": _OPT_MODEL + "contrib.layers.optimize_loss(loss, None, 0.1, 'SGD', clip_gradients=1)",
    "opt_decay_no_step": _OPT_MODEL + "contrib.layers.optimize_loss(loss, None, 0.1, 'SGD', "
                                      "learning_rate_decay_fn=lambda lr, step: lr)",
    "opt_loss_not_scalar": "v = tf.Variable([1.0, 2.0]); contrib.layers.optimize_loss(v * v, None, 0.1, 'SGD')",
    "opt_float_step": _OPT_MODEL + "contrib.layers.optimize_loss(loss, tf.Variable(0.0), 0.1, 'SGD')",
}


def error_message(tf, contrib, statement):
    with tf.Graph().as_default():
        try:
            exec(statement, {"tf": tf, "contrib": contrib})
        except (ValueError, TypeError) as e:
            return [type(e).__name__, str(e)]
    return None
