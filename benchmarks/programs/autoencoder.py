"""TensorFlow-Examples' autoencoder.py (A. Damien): 784-256-128 sigmoid encoder and decoder, RMSProp 0.01, batch
256; 300 steps on generated MNIST-like data."""
from framework import batches, mnist_like, tf

train_images, _ = mnist_like(10000)
num_hidden_1, num_hidden_2, num_input = 256, 128, 784

X = tf.placeholder("float", [None, num_input])
weights = {
    "encoder_h1": tf.Variable(tf.random_normal([num_input, num_hidden_1], seed=1)),
    "encoder_h2": tf.Variable(tf.random_normal([num_hidden_1, num_hidden_2], seed=2)),
    "decoder_h1": tf.Variable(tf.random_normal([num_hidden_2, num_hidden_1], seed=3)),
    "decoder_h2": tf.Variable(tf.random_normal([num_hidden_1, num_input], seed=4)),
}
biases = {
    "encoder_b1": tf.Variable(tf.random_normal([num_hidden_1], seed=5)),
    "encoder_b2": tf.Variable(tf.random_normal([num_hidden_2], seed=6)),
    "decoder_b1": tf.Variable(tf.random_normal([num_hidden_1], seed=7)),
    "decoder_b2": tf.Variable(tf.random_normal([num_input], seed=8)),
}


def encoder(x):
    layer_1 = tf.nn.sigmoid(tf.add(tf.matmul(x, weights["encoder_h1"]), biases["encoder_b1"]))
    return tf.nn.sigmoid(tf.add(tf.matmul(layer_1, weights["encoder_h2"]), biases["encoder_b2"]))


def decoder(x):
    layer_1 = tf.nn.sigmoid(tf.add(tf.matmul(x, weights["decoder_h1"]), biases["decoder_b1"]))
    return tf.nn.sigmoid(tf.add(tf.matmul(layer_1, weights["decoder_h2"]), biases["decoder_b2"]))


y_pred = decoder(encoder(X))
loss = tf.reduce_mean(tf.pow(X - y_pred, 2))
optimizer = tf.train.RMSPropOptimizer(0.01).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    data = batches(train_images, train_images, 256)
    for i in range(1, 301):
        batch_x, _ = next(data)
        _, l = sess.run([optimizer, loss], feed_dict={X: batch_x})
        if i % 100 == 0:
            print("Step %i: Minibatch Loss: %f" % (i, l))
