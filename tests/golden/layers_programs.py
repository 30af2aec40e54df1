"""The ``tf.layers`` programs of tests/golden/make_layers.py (TensorFlow, tf_keras 2.21's legacy layers) and
tests/test_layers.py (minitf). Each takes the library as ``tf``, builds a graph under a graph-level seed and returns
(inputs, {name: output tensor}); the sum of the outputs is differentiated wrt the trainable variables and the
inputs.
"""
import numpy as np


def _data(shape, seed):
    return np.random.default_rng(seed).uniform(-1.0, 1.0, size=shape).astype(np.float32)


def dense_layers(tf):
    """Dense layers: default names and their numbering, ``name=``, activation, use_bias, initializers,
    regularizers, trainable, reuse by ``reuse=``, by a reusing variable scope and by AUTO_REUSE, a name scope around
    a layer."""
    tf.set_random_seed(7)
    x = tf.constant(_data([5, 6], 1), name="x")
    out = {"hidden": tf.layers.dense(x, 8, activation=tf.nn.relu)}
    out["no_bias"] = tf.layers.dense(out["hidden"], 3, use_bias=False)
    out["logits"] = tf.layers.dense(out["no_bias"], 4, name="logits", kernel_regularizer=tf.nn.l2_loss,
                                    bias_regularizer=lambda b: tf.multiply(0.5, tf.reduce_sum(b), name="half_sum"),
                                    bias_initializer=tf.constant_initializer(0.1))
    out["reused"] = tf.layers.dense(x, 8, activation=tf.nn.relu, name="dense", reuse=True)
    with tf.variable_scope("tower"):
        out["tower"] = tf.layers.dense(x, 2, activation=tf.tanh)
    with tf.variable_scope("tower", reuse=True):
        out["tower_reused"] = tf.layers.dense(x, 2, activation=tf.tanh)
    with tf.name_scope("ns"):
        out["in_name_scope"] = tf.layers.dense(x, 2, kernel_regularizer=tf.nn.l2_loss)
    out["frozen"] = tf.layers.dense(x, 3, trainable=False, name="frozen",
                                    kernel_initializer=tf.truncated_normal_initializer(stddev=0.5))
    out["activity"] = tf.layers.dense(x, 2, activity_regularizer=tf.nn.l2_loss, name="activity")
    out["sigmoid"] = tf.layers.dense(x, 1, activation=tf.sigmoid)
    for step in range(2):
        with tf.variable_scope("shared", reuse=tf.AUTO_REUSE):
            out[f"auto_reuse_{step}"] = tf.layers.dense(x, 2, name="fc", kernel_regularizer=tf.nn.l2_loss)
    return [x], out


def conv_layers(tf):
    """conv2d, max_pooling2d, average_pooling2d, flatten and dropout (seeded, unseeded, noise_shape, training off)
    on a batch of images."""
    tf.set_random_seed(3)
    x = tf.constant(_data([2, 9, 9, 3], 2), name="x")
    out = {"conv_same": tf.layers.conv2d(x, 4, 3, padding="same", activation=tf.nn.relu)}
    out["max_pool"] = tf.layers.max_pooling2d(out["conv_same"], 2, 2)
    out["conv_valid"] = tf.layers.conv2d(out["max_pool"], 5, (2, 3), strides=(1, 2), padding="valid",
                                         kernel_regularizer=tf.nn.l2_loss)
    out["avg_pool_same"] = tf.layers.average_pooling2d(out["conv_same"], 3, 2, padding="same")
    out["max_pool_same"] = tf.layers.max_pooling2d(out["conv_same"], (3, 2), (2, 1), padding="SAME")
    out["avg_pool_valid"] = tf.layers.average_pooling2d(x, (2, 3), (2, 2), name="pool")
    out["pointwise"] = tf.layers.conv2d(x, 2, 1, use_bias=False, name="pointwise")
    out["conv_reused"] = tf.layers.conv2d(x, 4, 3, padding="same", activation=tf.nn.relu, name="conv2d", reuse=True)
    out["strided"] = tf.layers.conv2d(x, 3, [3, 3], strides=2, padding="same", bias_initializer=tf.ones_initializer())
    flat = tf.layers.flatten(out["avg_pool_same"])
    out["flat"] = flat
    out["flat_conv"] = tf.layers.flatten(out["conv_valid"])
    out["dropout"] = tf.layers.dropout(flat, 0.4, training=True, seed=11)
    out["dropout_off"] = tf.layers.dropout(flat, 0.4)
    out["dropout_unseeded"] = tf.layers.dropout(flat, training=True)
    out["dropout_noise_shape"] = tf.layers.dropout(flat, rate=0.25, noise_shape=[None, 1], training=True, seed=4,
                                                   name="column_dropout")
    out["dropout_zero_rate"] = tf.layers.dropout(flat, rate=0.0, training=True)
    out["logits"] = tf.layers.dense(out["dropout"], 3)
    return [x], out


def channels_first_layers(tf):
    """conv2d, max_pooling2d, average_pooling2d and flatten on NCHW images (data_format="channels_first"), then
    dense."""
    tf.set_random_seed(5)
    x = tf.constant(_data([2, 3, 9, 8], 6), name="x")
    out = {"conv_same": tf.layers.conv2d(x, 4, 3, padding="same", activation=tf.nn.relu,
                                         data_format="channels_first")}
    out["max_pool"] = tf.layers.max_pooling2d(out["conv_same"], 2, 2, data_format="channels_first")
    out["conv_strided"] = tf.layers.conv2d(out["max_pool"], 5, (2, 3), strides=(1, 2), padding="valid",
                                           data_format="channels_first", bias_initializer=tf.ones_initializer())
    out["avg_pool_same"] = tf.layers.average_pooling2d(out["conv_same"], 3, 2, padding="same",
                                                       data_format="channels_first")
    out["flat"] = tf.layers.flatten(out["avg_pool_same"], data_format="channels_first")
    out["logits"] = tf.layers.dense(out["flat"], 3)
    return [x], out


def flatten_shapes(tf):
    """flatten of inputs whose batch size, or spatial size, or both, are known only at run time, and of a vector."""
    images = tf.constant(_data([2, 3, 4, 2], 3), name="images")
    inputs = [tf.placeholder_with_default(images, shape) for shape in ([None, 3, 4, 2], [2, None, None, 2],
                                                                        [None, None, 4, 2])]
    inputs.append(tf.constant(_data([2], 4), name="vector"))
    out = {name: tf.layers.flatten(t) for name, t in zip(["unknown_batch", "unknown_spatial", "unknown_both",
                                                           "vector"], inputs)}
    return inputs, out


def dense_rank3(tf):
    """Dense on a rank-3 input: a tensordot over the last axis."""
    tf.set_random_seed(5)
    x = tf.constant(_data([2, 3, 4], 4), name="x")
    return [x], {"sequence": tf.layers.dense(x, 5, activation=tf.nn.relu)}


def graph_differs(tf):
    """A layer minitf builds with other ops than TensorFlow (same values): dense on a rank-3 input of unknown batch
    size (TensorFlow: a general tensordot graph)."""
    tf.set_random_seed(9)
    sequences = tf.placeholder_with_default(tf.constant(_data([2, 7, 3], 7)), [None, 7, 3])
    return [sequences], {"sequence": tf.layers.dense(sequences, 4)}


def dropout_training_tensor(tf):
    """dropout with a boolean tensor ``training``: a cond between dropout and the inputs (seeded, with a noise
    shape, on and off), and a constant ``training`` that needs no cond."""
    tf.set_random_seed(5)
    x = tf.constant(_data([4, 6], 6), name="x")
    on = tf.placeholder_with_default(tf.constant(True), [], name="on")
    off = tf.placeholder_with_default(tf.constant(False), [], name="off")
    out = {"on": tf.layers.dropout(x, 0.5, training=on, seed=3), "off": tf.layers.dropout(x, 0.3, training=off),
           "constant": tf.layers.dropout(x, 0.3, training=tf.constant(True), seed=8),
           "noise_shape": tf.layers.dropout(x, 0.5, noise_shape=[None, 1], training=on, name="columns")}
    out["dense"] = tf.layers.dense(out["on"], 2)
    return [x], out


def batch_norm_layers(tf):
    """batch_normalization on a matrix and on images (fused), with a boolean tensor training, Python True and
    False, and options; the update ops run with the outputs."""
    x = tf.constant(_data([5, 4], 7) * 3.0 + 1.0, name="x")
    images = tf.constant(_data([2, 3, 3, 2], 8) * 2.0 - 0.5, name="images")
    on = tf.placeholder_with_default(tf.constant(True), [], name="on")
    out = {"tensor": tf.layers.batch_normalization(x, training=on),
           "python_true": tf.layers.batch_normalization(x, training=True, momentum=0.9, name="bn_true"),
           "python_false": tf.layers.batch_normalization(x, center=False, epsilon=0.1),
           "images_tensor": tf.layers.batch_normalization(images, training=on),
           "images_true": tf.layers.batch_normalization(images, training=True, scale=False),
           "images_false": tf.layers.batch_normalization(images, gamma_initializer=tf.constant_initializer(2.0))}
    moving = {v.op.name: v for v in tf.global_variables() if "moving" in v.op.name}
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        out["after_updates"] = tf.identity(out["tensor"])
        for name in ("batch_normalization/moving_variance", "bn_true/moving_mean",
                     "batch_normalization_2/moving_mean", "batch_normalization_3/moving_variance"):
            out[name + "_updated"] = tf.identity(moving[name].read_value() if hasattr(moving[name], "read_value")
                                                 else moving[name])
    return [x, images], out


def conv_family_layers(tf):
    """conv1d (strides, same, causal and dilated), dilated conv2d (space-to-batch), conv2d_transpose (same and
    valid, unknown batch size, unknown height and width), separable_conv2d (depth multiplier, strides, dilation)
    and the 1-D poolings."""
    tf.set_random_seed(13)
    seq = tf.constant(_data([2, 9, 3], 9), name="seq")
    x = tf.constant(_data([2, 7, 6, 3], 10), name="x")
    small = tf.placeholder_with_default(tf.constant(_data([2, 3, 4, 2], 11)), [None, 3, 4, 2], name="small")
    out = {"conv1d": tf.layers.conv1d(seq, 4, 3)}
    out["conv1d_strided_same"] = tf.layers.conv1d(seq, 2, 2, strides=2, padding="same", activation=tf.nn.relu,
                                                  kernel_regularizer=tf.nn.l2_loss)
    out["conv1d_causal_dilated"] = tf.layers.conv1d(seq, 3, 3, padding="causal", dilation_rate=2, use_bias=False,
                                                    name="causal")
    out["conv2d_dilated_same"] = tf.layers.conv2d(x, 2, 3, dilation_rate=2, padding="same")
    out["conv2d_dilated_valid"] = tf.layers.conv2d(x, 3, (2, 3), dilation_rate=(2, 1), activation=tf.tanh)
    out["transpose_same"] = tf.layers.conv2d_transpose(x, 4, 3, strides=2, padding="same", activation=tf.nn.relu)
    out["transpose_valid"] = tf.layers.conv2d_transpose(small, 2, (3, 2), strides=(2, 3), use_bias=False,
                                                        name="deconv")
    unknown = tf.placeholder_with_default(tf.constant(_data([2, 3, 4, 2], 15)), [None, None, None, 2],
                                          name="unknown")
    out["transpose_unknown_size"] = tf.layers.conv2d_transpose(unknown, 3, (2, 3), strides=(2, 2), name="up")
    out["transpose_unknown_size_same"] = tf.layers.conv2d_transpose(unknown, 2, 3, strides=3, padding="same")
    out["transpose_default"] = tf.layers.conv2d_transpose(x, 2, (2, 2),
                                                          bias_initializer=tf.constant_initializer(0.5))
    out["separable"] = tf.layers.separable_conv2d(x, 4, 3)
    out["separable_multiplier"] = tf.layers.separable_conv2d(x, 2, (3, 2), strides=2, padding="same",
                                                             depth_multiplier=2, activation=tf.nn.relu)
    out["separable_dilated"] = tf.layers.separable_conv2d(x, 3, 2, dilation_rate=2, padding="same",
                                                          pointwise_regularizer=tf.nn.l2_loss)
    out["max_pool1d"] = tf.layers.max_pooling1d(seq, 2, 2)
    out["avg_pool1d_same"] = tf.layers.average_pooling1d(seq, 3, 2, padding="same", name="avg")
    out["conv1d_reused"] = tf.layers.conv1d(seq, 4, 3, name="conv1d", reuse=True)
    return [seq, x, small, unknown], out


def layer_objects(tf, layers=None):
    """Layer objects called twice (the second call reuses the variables, ops in the first scope), in a variable
    scope and outside it, with ``apply``, positional call arguments, a frozen one, two objects of one name,
    functional layers between them, and a subclass of tf.layers.Layer. ``layers`` (a dict) receives the objects."""
    tf.set_random_seed(17)
    layers = {} if layers is None else layers
    x = tf.constant(_data([4, 6], 12), name="x")
    images = tf.constant(_data([2, 6, 6, 3], 13), name="images")
    seq = tf.constant(_data([2, 8, 3], 14), name="seq")

    class Scale(tf.layers.Layer):
        def build(self, input_shape):
            self.scale = self.add_weight("scale", [int(input_shape[-1])], initializer=tf.constant_initializer(1.5))
            super().build(input_shape)

        def call(self, inputs):
            return inputs * self.scale

    out = {"functional_first": tf.layers.dense(x, 2)}
    layers["dense"] = tf.layers.Dense(3, activation=tf.nn.relu)
    out["dense_1"] = layers["dense"](x)
    out["dense_2"] = layers["dense"](x * 2.0)
    layers["fc"] = tf.layers.Dense(2, name="fc", kernel_regularizer=tf.nn.l2_loss)
    out["fc"] = layers["fc"].apply(out["dense_1"])
    layers["fc_again"] = tf.layers.Dense(2, name="fc")
    out["fc_again"] = layers["fc_again"](x)
    out["functional_between"] = tf.layers.dense(x, 2)
    layers["frozen"] = tf.layers.Dense(2, trainable=False, use_bias=False)
    out["frozen"] = layers["frozen"](x)
    with tf.variable_scope("tower"):
        layers["conv"] = tf.layers.Conv2D(4, 3, padding="same", activation=tf.nn.relu)
        out["conv_1"] = layers["conv"](images)
    out["conv_2"] = layers["conv"](images + 1.0)
    layers["conv1d"] = tf.layers.Conv1D(2, 3, strides=2)
    out["conv1d"] = layers["conv1d"](seq)
    layers["deconv"] = tf.layers.Conv2DTranspose(2, 3, strides=2, padding="same")
    out["deconv_1"] = layers["deconv"](out["conv_1"])
    out["deconv_2"] = layers["deconv"](out["conv_2"])
    layers["separable"] = tf.layers.SeparableConv2D(3, 3, depth_multiplier=2)
    out["separable"] = layers["separable"](images)
    layers["max_pool"] = tf.layers.MaxPooling2D(2, 2)
    out["max_pool"] = layers["max_pool"](out["conv_1"])
    layers["avg_pool"] = tf.layers.AveragePooling2D(3, 2, padding="same")
    out["avg_pool"] = layers["avg_pool"](out["conv_2"])
    layers["max_pool1d"] = tf.layers.MaxPooling1D(2, 2)
    out["max_pool1d"] = layers["max_pool1d"](seq)
    layers["avg_pool1d"] = tf.layers.AveragePooling1D(2, 1)
    out["avg_pool1d"] = layers["avg_pool1d"](seq)
    layers["flatten"] = tf.layers.Flatten("channels_last")
    out["flat_1"] = layers["flatten"](out["max_pool"])
    out["flat_2"] = layers["flatten"](out["avg_pool"])
    layers["dropout"] = tf.layers.Dropout(0.3, seed=5)
    out["dropout_on"] = layers["dropout"](out["flat_1"], training=True)
    out["dropout_off"] = layers["dropout"](out["flat_1"])
    layers["bn"] = tf.layers.BatchNormalization(momentum=0.9)
    out["bn_training"] = layers["bn"](x, training=True)
    out["bn_inference"] = layers["bn"](x, False)
    layers["bn_images"] = tf.layers.BatchNormalization(center=False)
    out["bn_images"] = layers["bn_images"](images, training=True)
    layers["scale"] = Scale()
    out["scale_1"] = layers["scale"](x)
    out["scale_2"] = layers["scale"](out["scale_1"])
    return [x, images, seq], out


def layer_facts(tf):
    """What the layer objects of ``layer_objects`` say about themselves. Only the number of ``losses``: TensorFlow
    builds new regularizer ops (``kernel/Regularizer/L2Loss``) each time ``losses`` is read, minitf returns those
    of REGULARIZATION_LOSSES."""
    def name(v):
        return None if v is None else v.name
    with tf.Graph().as_default():
        layers = {}
        layer_objects(tf, layers)
        return {key: {"name": layer.name, "scope_name": layer.scope_name, "built": layer.built,
                      "variables": [v.name for v in layer.variables],
                      "trainable_variables": [v.name for v in layer.trainable_variables],
                      "non_trainable_variables": [v.name for v in layer.non_trainable_variables],
                      "weights": [v.name for v in layer.weights],
                      "kernel": name(getattr(layer, "kernel", None)), "bias": name(getattr(layer, "bias", None)),
                      "updates": [u.name for u in layer.updates], "losses": len(layer.losses)}
                for key, layer in layers.items()} | {"configuration": configuration(tf)}


def configuration(tf):
    """Layer objects' attributes before they are called, and a keyword argument no layer takes."""
    conv, pool = tf.layers.Conv2D(3, 2, padding="SAME"), tf.layers.MaxPooling1D(2, 3)
    try:
        tf.layers.Dense(2, foo=1)
    except TypeError as e:
        unknown = str(e)
    return {"conv": [list(conv.kernel_size), list(conv.strides), list(conv.dilation_rate), conv.padding,
                     conv.filters, conv.built, hasattr(conv, "kernel"), hasattr(conv, "bias")],
            "pool": [list(pool.pool_size), list(pool.strides), pool.padding], "unknown_keyword": unknown,
            "dense_units": tf.layers.Dense(7).units}


PROGRAMS = {"dense_layers": dense_layers, "conv_layers": conv_layers, "channels_first_layers": channels_first_layers,
            "flatten_shapes": flatten_shapes,
            "dense_rank3": dense_rank3, "graph_differs": graph_differs,
            "dropout_training_tensor": dropout_training_tensor, "batch_norm_layers": batch_norm_layers,
            "conv_family_layers": conv_family_layers, "layer_objects": layer_objects}

# Calls that raise a ValueError, evaluated with ``tf``, ``np`` and ``x`` (a [2, 4, 4, 3] float32 constant).
ERRORS = {
    "dense_unknown_last_dim": "tf.layers.dense(tf.placeholder(tf.float32, [None, None]), 2)",
    "dense_twice": "tf.layers.dense(x, 2, name='fc'); tf.layers.dense(x, 2, name='fc')",
    "dense_reuse_missing": "tf.layers.dense(x, 2, name='nothing', reuse=True)",
    "conv_padding": "tf.layers.conv2d(x, 2, 3, padding='full')",
    "conv_data_format": "tf.layers.conv2d(x, 2, 3, data_format='NHWC')",
    "conv_kernel_size": "tf.layers.conv2d(x, 2, (3, 3, 3))",
    "pool_strides": "tf.layers.max_pooling2d(x, 2, None)",
    "pool_padding": "tf.layers.average_pooling2d(x, 2, 2, padding='full')",
    "conv_causal": "tf.layers.conv2d(x, 2, 3, padding='causal')",
    "conv_unknown_channels": "tf.layers.conv2d(tf.placeholder(tf.float32, [None, 4, 4, None]), 2, 3)",
    "dropout_rate": "tf.layers.dropout(x, 1.5)",
    "batch_norm_axis": "tf.layers.batch_normalization(x, axis=4)",
    "conv1d_kernel_size": "tf.layers.conv1d(tf.zeros([2, 5, 3]), 2, (3, 3))",
    "conv2d_transpose_causal": "tf.layers.conv2d_transpose(x, 2, 3, padding='causal')",
    "separable_strides": "tf.layers.separable_conv2d(x, 2, 3, strides=(1, 2, 1))",
    "pool1d_padding": "tf.layers.max_pooling1d(tf.zeros([2, 5, 3]), 2, 2, padding='full')",
    "dense_object_other_depth": "d = tf.layers.Dense(2); d(x); d(tf.zeros([2, 4, 4, 5]))",
    "conv_strides_and_dilation": "tf.layers.conv2d(x, 2, 3, strides=2, dilation_rate=2)",
    "atrous_rate_zero": "tf.nn.atrous_conv2d(x, tf.zeros([3, 3, 3, 2]), 0, 'SAME')",
    "batch_norm_undefined_axis": "tf.layers.batch_normalization(tf.placeholder(tf.float32, [None, None]))",
}


def error_message(tf, statements):
    """The message of the ValueError the statements raise in a fresh graph (None when they raise none); for an
    existing variable, the message up to TensorFlow's traceback of where it was defined."""
    with tf.Graph().as_default():
        namespace = {"tf": tf, "np": np, "x": tf.constant(_data([2, 4, 4, 3], 5))}
        try:
            exec(statements, namespace)  # noqa: S102 - the fixed programs above
        except ValueError as e:
            return str(e).split(" Originally defined at:")[0]
    return None
