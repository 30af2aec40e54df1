"""TensorFlow's "Deep MNIST for Experts" (tutorials/mnist/mnist_deep.py) on generated MNIST-like data: two 5x5
conv + max-pool layers (32, 64), a 1024-unit dense layer with dropout, Adam 1e-4; 60 steps of batch 50."""
from framework import batches, mnist_like, tf

train_images, train_labels = mnist_like(3000)
test_images, test_labels = mnist_like(500, seed=1)


def weight_variable(shape):
    return tf.Variable(tf.truncated_normal(shape, stddev=0.1, seed=len(shape)))


def bias_variable(shape):
    return tf.Variable(tf.constant(0.1, shape=shape))


def conv2d(x, W):
    return tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding="SAME")


def max_pool_2x2(x):
    return tf.nn.max_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")


x = tf.placeholder(tf.float32, [None, 784])
y_ = tf.placeholder(tf.float32, [None, 10])
x_image = tf.reshape(x, [-1, 28, 28, 1])
h_pool1 = max_pool_2x2(tf.nn.relu(conv2d(x_image, weight_variable([5, 5, 1, 32])) + bias_variable([32])))
h_pool2 = max_pool_2x2(tf.nn.relu(conv2d(h_pool1, weight_variable([5, 5, 32, 64])) + bias_variable([64])))
h_fc1 = tf.nn.relu(tf.matmul(tf.reshape(h_pool2, [-1, 7 * 7 * 64]), weight_variable([7 * 7 * 64, 1024]))
                   + bias_variable([1024]))
keep_prob = tf.placeholder(tf.float32)
h_fc1_drop = tf.nn.dropout(h_fc1, keep_prob, seed=1)
y_conv = tf.matmul(h_fc1_drop, weight_variable([1024, 10])) + bias_variable([10])
cross_entropy = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=y_conv))
train_step = tf.train.AdamOptimizer(1e-4).minimize(cross_entropy)
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(y_conv, 1), tf.argmax(y_, 1)), tf.float32))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    data = batches(train_images, train_labels, 50)
    for i in range(60):
        batch = next(data)
        if i % 20 == 0:
            print("step %d, training accuracy %g" % (i, accuracy.eval(feed_dict={x: batch[0], y_: batch[1],
                                                                                 keep_prob: 1.0})))
        train_step.run(feed_dict={x: batch[0], y_: batch[1], keep_prob: 0.5})
    print("test accuracy %g" % accuracy.eval(feed_dict={x: test_images, y_: test_labels, keep_prob: 1.0}))
