"""The two-hidden-layer MNIST model of TensorFlow 1.x's tutorials (tensorflow/examples/tutorials/mnist/mnist.py):
inference, loss, training and evaluation with that file's names, scopes and initialisers."""

import math

import tensorflow as tf

NUM_CLASSES = 10
IMAGE_SIZE = 28
IMAGE_PIXELS = IMAGE_SIZE * IMAGE_SIZE


def _layer(inputs, in_units, out_units, name, activation=None):
    """A dense layer in scope ``name``: truncated-normal ``weights`` (stddev 1/sqrt(in_units)), zero ``biases``."""
    with tf.name_scope(name):
        weights = tf.Variable(tf.truncated_normal([in_units, out_units], stddev=1.0 / math.sqrt(float(in_units))),
                              name="weights")
        biases = tf.Variable(tf.zeros([out_units]), name="biases")
        outputs = tf.matmul(inputs, weights) + biases
        return activation(outputs) if activation else outputs


def inference(images, hidden1_units, hidden2_units):
    """Logits [batch, NUM_CLASSES] of images [batch, IMAGE_PIXELS] through two ReLU layers."""
    hidden1 = _layer(images, IMAGE_PIXELS, hidden1_units, "hidden1", tf.nn.relu)
    hidden2 = _layer(hidden1, hidden1_units, hidden2_units, "hidden2", tf.nn.relu)
    return _layer(hidden2, hidden2_units, NUM_CLASSES, "softmax_linear")


def loss(logits, labels):
    """Mean sparse softmax cross entropy of int labels [batch]."""
    labels = tf.to_int64(labels)
    return tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)


def training(loss, learning_rate):
    """A gradient-descent step that also counts ``global_step``; logs the loss as a scalar summary."""
    tf.summary.scalar("loss", loss)
    optimizer = tf.train.GradientDescentOptimizer(learning_rate)
    global_step = tf.Variable(0, name="global_step", trainable=False)
    return optimizer.minimize(loss, global_step=global_step)


def evaluation(logits, labels):
    """The number of examples whose label is the top logit."""
    correct = tf.nn.in_top_k(logits, labels, 1)
    return tf.reduce_sum(tf.cast(correct, tf.int32))
