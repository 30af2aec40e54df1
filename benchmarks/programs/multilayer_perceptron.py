"""TensorFlow-Examples' multilayer_perceptron.py (A. Damien): 784-256-256-10, Adam 0.001, batch 100; 500 steps on
generated MNIST-like data, then the test accuracy."""
from framework import batches, mnist_like, tf

train_images, train_labels = mnist_like(10000)
test_images, test_labels = mnist_like(2000, seed=1)
n_hidden_1, n_hidden_2, n_input, n_classes = 256, 256, 784, 10

X = tf.placeholder("float", [None, n_input])
Y = tf.placeholder("float", [None, n_classes])
weights = {
    "h1": tf.Variable(tf.random_normal([n_input, n_hidden_1], seed=1)),
    "h2": tf.Variable(tf.random_normal([n_hidden_1, n_hidden_2], seed=2)),
    "out": tf.Variable(tf.random_normal([n_hidden_2, n_classes], seed=3)),
}
biases = {
    "b1": tf.Variable(tf.random_normal([n_hidden_1], seed=4)),
    "b2": tf.Variable(tf.random_normal([n_hidden_2], seed=5)),
    "out": tf.Variable(tf.random_normal([n_classes], seed=6)),
}


def multilayer_perceptron(x):
    layer_1 = tf.add(tf.matmul(x, weights["h1"]), biases["b1"])
    layer_2 = tf.add(tf.matmul(layer_1, weights["h2"]), biases["b2"])
    return tf.matmul(layer_2, weights["out"]) + biases["out"]


logits = multilayer_perceptron(X)
loss_op = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=Y))
train_op = tf.train.AdamOptimizer(learning_rate=0.001).minimize(loss_op)
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(tf.nn.softmax(logits), 1), tf.argmax(Y, 1)), tf.float32))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    data = batches(train_images, train_labels, 100)
    for step in range(1, 501):
        batch_x, batch_y = next(data)
        _, loss = sess.run([train_op, loss_op], feed_dict={X: batch_x, Y: batch_y})
        if step % 100 == 0:
            print("Step " + str(step) + ", Minibatch Loss= " + "{:.4f}".format(loss))
    print("Testing Accuracy:", sess.run(accuracy, feed_dict={X: test_images, Y: test_labels}))
