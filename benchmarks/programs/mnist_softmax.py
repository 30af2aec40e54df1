"""TensorFlow's "MNIST for ML Beginners" (tutorials/mnist/mnist_softmax.py) on generated MNIST-like data:
softmax regression, 1000 steps of batch 100, then the test accuracy."""
from framework import batches, mnist_like, tf

train_images, train_labels = mnist_like(10000)
test_images, test_labels = mnist_like(2000, seed=1)

x = tf.placeholder(tf.float32, [None, 784])
W = tf.Variable(tf.zeros([784, 10]))
b = tf.Variable(tf.zeros([10]))
y = tf.matmul(x, W) + b
y_ = tf.placeholder(tf.float32, [None, 10])
cross_entropy = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=y))
train_step = tf.train.GradientDescentOptimizer(0.5).minimize(cross_entropy)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    data = batches(train_images, train_labels, 100)
    for _ in range(1000):
        batch_xs, batch_ys = next(data)
        sess.run(train_step, feed_dict={x: batch_xs, y_: batch_ys})
    correct_prediction = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
    print(sess.run(accuracy, feed_dict={x: test_images, y_: test_labels}))
