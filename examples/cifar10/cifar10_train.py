"""Trains the CIFAR-10 tutorial model (TensorFlow's cifar10_train.py), writing summaries and checkpoints.

    python examples/cifar10/cifar10_train.py --max_steps=600            # the bundled digits, a few minutes
    python examples/cifar10/cifar10_train.py --data_dir=cifar-10-batches-bin
"""

import os
import shutil
import sys
import time
from datetime import datetime

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import minitf as tf  # noqa: E402

import cifar10  # noqa: E402
import cifar10_input  # noqa: E402

FLAGS = tf.app.flags.FLAGS
tf.app.flags.DEFINE_string("train_dir", "/tmp/cifar10_train", """Directory for event logs and checkpoints.""")
tf.app.flags.DEFINE_integer("max_steps", 600, """Number of batches to run.""")
tf.app.flags.DEFINE_integer("log_frequency", 20, """How often to log results to the console.""")
tf.app.flags.DEFINE_integer("seed", 1, """Graph-level random seed.""")


def train():
    images_np, labels_np = cifar10_input.load(FLAGS.data_dir, eval_data=False)
    feed = cifar10_input.batches(images_np, labels_np, FLAGS.batch_size, distort=True, seed=FLAGS.seed)
    with tf.Graph().as_default():
        tf.set_random_seed(FLAGS.seed)
        global_step = tf.train.get_or_create_global_step()
        images, labels = cifar10.placeholder_inputs(FLAGS.batch_size)
        logits = cifar10.inference(images)
        loss = cifar10.loss(logits, labels)
        train_op = cifar10.train(loss, global_step, examples_per_epoch=len(images_np))
        saver = tf.train.Saver(tf.global_variables())
        summary_op = tf.summary.merge_all()

        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            summary_writer = tf.summary.FileWriter(FLAGS.train_dir, sess.graph)
            start = time.time()
            for step in range(FLAGS.max_steps):
                batch_images, batch_labels = next(feed)
                fetches = {"train": train_op, "loss": loss}
                if step % 100 == 0:
                    fetches["summary"] = summary_op
                out = sess.run(fetches, {images: batch_images, labels: batch_labels})
                assert not np.isnan(out["loss"]), "Model diverged with loss = NaN"
                if step % FLAGS.log_frequency == 0:
                    duration = (time.time() - start) / (FLAGS.log_frequency if step else 1)
                    start = time.time()
                    print("%s: step %d, loss = %.2f (%.1f examples/sec; %.3f sec/batch)"
                          % (datetime.now(), step, out["loss"], FLAGS.batch_size / duration, duration))
                if "summary" in out:
                    summary_writer.add_summary(out["summary"], step)
                if step % 1000 == 0 or step + 1 == FLAGS.max_steps:
                    saver.save(sess, os.path.join(FLAGS.train_dir, "model.ckpt"), global_step=step)
            summary_writer.close()


def main(argv=None):
    if os.path.exists(FLAGS.train_dir):
        shutil.rmtree(FLAGS.train_dir)
    os.makedirs(FLAGS.train_dir)
    train()


if __name__ == "__main__":
    tf.app.run()
