"""TensorFlow 1.x's "Save and Restore" guide: train a small logistic regression (300 steps), save it with
tf.train.Saver every 100 steps, then restore the latest checkpoint in a new graph and evaluate it."""
import shutil
import tempfile

from framework import batches, mnist_like, tf

train_images, train_labels = mnist_like(5000)
directory = tempfile.mkdtemp()


def model():
    x = tf.placeholder(tf.float32, [None, 784], name="x")
    y = tf.placeholder(tf.float32, [None, 10], name="y")
    W = tf.get_variable("W", [784, 10], initializer=tf.zeros_initializer())
    b = tf.get_variable("b", [10], initializer=tf.zeros_initializer())
    logits = tf.matmul(x, W) + b
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), tf.argmax(y, 1)), tf.float32))
    return x, y, loss, accuracy


with tf.Graph().as_default():
    x, y, loss, _ = model()
    global_step = tf.train.get_or_create_global_step()
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss, global_step=global_step)
    saver = tf.train.Saver(max_to_keep=3)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        data = batches(train_images, train_labels, 100)
        for step in range(1, 301):
            batch_x, batch_y = next(data)
            sess.run(train, {x: batch_x, y: batch_y})
            if step % 100 == 0:
                print("saved", saver.save(sess, directory + "/model", global_step=global_step))

with tf.Graph().as_default():
    x, y, loss, accuracy = model()
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, tf.train.latest_checkpoint(directory))
        print("restored accuracy", sess.run(accuracy, {x: train_images[:1000], y: train_labels[:1000]}))

shutil.rmtree(directory)
