"""Summary programs shared by tests/golden/make_summary.py (TensorFlow) and tests/test_summary.py (minitf).

Each case is ``fn(tf) -> summary tensor``; the golden holds the serialized Summary bytes and the graph's node names.
"""
import numpy as np


def _rng(seed):
    return np.random.default_rng(seed)


def _images(dtype, shape, seed, low=0.0, high=1.0, nan=False):
    x = _rng(seed).uniform(low, high, size=shape)
    if nan:
        x[0, 0, 0, 0] = np.nan
        x[0, 1, 1, -1] = np.inf
    return x.astype(dtype)


def scoped_scalars(tf):
    loss = tf.constant(0.25, name="loss")
    with tf.name_scope("train"):
        a = tf.summary.scalar("loss", loss)
        b = tf.summary.scalar("loss", loss * 2)
    c = tf.summary.scalar("loss", tf.constant(3, tf.int32))
    d = tf.summary.scalar("lr", 0.1, family="opt")
    e = tf.summary.scalar("bad name!", loss)
    return tf.summary.merge([a, b, c, d, e])


def histograms(tf):
    small = tf.summary.histogram("small", tf.constant([0.5, -1.0, 2.0, 100.0, 0.0, np.float32(-3e-13)]))
    big = tf.summary.histogram("big", tf.constant(_rng(1).standard_normal(100000).astype(np.float32) * 50))
    ints = tf.summary.histogram("ints", tf.constant(_rng(2).integers(-1000, 1000, 500).astype(np.int32)))
    f64 = tf.summary.histogram("f64", tf.constant(_rng(3).uniform(1e-9, 1e9, 300)))
    empty = tf.summary.histogram("empty", tf.zeros([0]))
    return tf.summary.merge([small, big, ints, f64, empty])


def images(tf):
    return tf.summary.merge([
        tf.summary.image("gray_u8", tf.constant(_rng(4).integers(0, 256, (2, 5, 7, 1)).astype(np.uint8))),
        tf.summary.image("rgb_f32", tf.constant(_images(np.float32, (4, 6, 5, 3), 5)), max_outputs=2),
        tf.summary.image("rgba_mixed", tf.constant(_images(np.float32, (1, 4, 4, 4), 6, -2, 3))),
        tf.summary.image("nan_f64", tf.constant(_images(np.float64, (1, 3, 3, 3), 7, nan=True)), max_outputs=1),
        tf.summary.image("big", tf.constant(_images(np.float32, (1, 200, 300, 3), 8))),
    ])


def audio(tf):
    mono = _rng(9).uniform(-1.2, 1.2, (2, 100)).astype(np.float32)
    stereo = _rng(10).uniform(-1, 1, (3, 50, 2)).astype(np.float32)
    return tf.summary.merge([tf.summary.audio("mono", tf.constant(mono), 8000),
                             tf.summary.audio("stereo", tf.constant(stereo), 22050.0, max_outputs=1)])


def text_and_tensors(tf):
    return tf.summary.merge([
        tf.summary.text("note", tf.constant("hello **world**")),
        tf.summary.text("notes", tf.constant([["a", "b"], ["c", "d"]])),
        tf.summary.tensor_summary("t", tf.constant([[1, 2], [3, 4]])),
        tf.summary.tensor_summary("f", tf.constant(2.5), summary_description="desc"),
    ])


def seed000_listing(tf):
    """seeds/000's summary listing: scalars, histograms and images under name scopes, merged with merge_all."""
    x_data = np.linspace(0, 1, 100).astype(np.float32)
    with tf.name_scope("linear"):
        weight = tf.Variable(tf.constant([-0.4]), name="weight")
        bias = tf.Variable(tf.zeros([1]), name="bias")
        y = weight * x_data + bias
        tf.summary.histogram("weight", weight)
        tf.summary.histogram("bias", bias)
    with tf.name_scope("loss"):
        loss = tf.reduce_mean(tf.square(y - (x_data * 0.1 + 0.3)))
        tf.summary.scalar("loss", loss)
    tf.summary.image("input", tf.reshape(tf.constant(x_data), [1, 10, 10, 1]))
    return tf.summary.merge_all()


def cifar_activation_summaries(tf):
    """seeds/004's _activation_summary and loss-average summaries (examples/cifar10/cifar10.py)."""
    import re
    def _activation_summary(x):
        tensor_name = re.sub("tower_[0-9]*/", "", x.op.name)
        tf.summary.histogram(tensor_name + "/activations", x)
        tf.summary.scalar(tensor_name + "/sparsity", tf.nn.zero_fraction(x))
    with tf.variable_scope("conv1") as scope:
        conv1 = tf.nn.relu(tf.constant(_rng(11).standard_normal((2, 3, 3, 4)).astype(np.float32)), name=scope.name)
        _activation_summary(conv1)
    with tf.variable_scope("local3") as scope:
        local3 = tf.nn.relu(tf.constant(_rng(12).standard_normal((2, 5)).astype(np.float32)), name=scope.name)
        _activation_summary(local3)
    total_loss = tf.add_n([tf.constant(1.5), tf.constant(0.25)], name="total_loss")
    tf.summary.scalar(total_loss.op.name + " (raw)", total_loss)
    tf.summary.scalar("learning_rate", tf.constant(0.1))
    return tf.summary.merge_all()


CASES = {f.__name__: f for f in (scoped_scalars, histograms, images, audio, text_and_tensors, seed000_listing,
                                 cifar_activation_summaries)}
