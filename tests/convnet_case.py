"""A small conv net trained 10 steps from seeded initial weights; shared by tests/golden/make_convnet.py
(TensorFlow) and tests/test_convnet.py (minitf)."""
import numpy as np


def train_losses(tf, steps=10):
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(42)
        rng = np.random.default_rng(3)
        images = tf.constant(rng.uniform(0, 1, (8, 9, 9, 3)).astype(np.float32))
        labels = tf.constant(rng.integers(0, 4, 8).astype(np.int32))
        with tf.variable_scope("conv1"):
            kernel = tf.get_variable("weights", [3, 3, 3, 6], initializer=tf.truncated_normal_initializer(stddev=0.1))
            biases = tf.get_variable("biases", [6], initializer=tf.constant_initializer(0.1))
            conv = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(images, kernel, [1, 1, 1, 1], "SAME"), biases))
        pool = tf.nn.max_pool(conv, [1, 3, 3, 1], [1, 2, 2, 1], "SAME")
        norm = tf.nn.lrn(pool, 2, bias=1.0, alpha=0.001 / 9.0, beta=0.75)
        with tf.variable_scope("local"):
            flat = tf.reshape(norm, [8, -1])
            weights = tf.get_variable("weights", [flat.shape[1], 4], initializer=tf.glorot_uniform_initializer())
            logits = tf.matmul(flat, weights)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
        loss += 0.01 * tf.nn.l2_loss(weights)
        train = tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss)
        losses = []
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(steps):
                losses.append(float(sess.run([loss, train])[0]))
    return losses
