"""Evaluates the latest checkpoint with the variables' moving averages (TensorFlow's cifar10_eval.py).

    python examples/cifar10/cifar10_eval.py            # after cifar10_train.py
"""

import math
import os
import sys
from datetime import datetime

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import minitf as tf  # noqa: E402

import cifar10  # noqa: E402
import cifar10_input  # noqa: E402

FLAGS = tf.app.flags.FLAGS
tf.app.flags.DEFINE_string("eval_dir", "/tmp/cifar10_eval", """Directory where to write event logs.""")
tf.app.flags.DEFINE_string("checkpoint_dir", "/tmp/cifar10_train", """Directory where to read model checkpoints.""")


def eval_once(saver, summary_writer, top_k_op, summary_op, images, labels, feed, num_examples):
    with tf.Session() as sess:
        ckpt = tf.train.get_checkpoint_state(FLAGS.checkpoint_dir)
        if ckpt and ckpt.model_checkpoint_path:
            saver.restore(sess, ckpt.model_checkpoint_path)
            # model_checkpoint_path looks like /tmp/cifar10_train/model.ckpt-599: its step is the suffix.
            global_step = ckpt.model_checkpoint_path.split("/")[-1].split("-")[-1]
        else:
            print("No checkpoint file found")
            return None
        num_iter = int(math.ceil(num_examples / FLAGS.batch_size))
        true_count = 0
        total_sample_count = num_iter * FLAGS.batch_size
        for _ in range(num_iter):
            batch_images, batch_labels = next(feed)
            predictions = sess.run(top_k_op, {images: batch_images, labels: batch_labels})
            true_count += np.sum(predictions)
        precision = true_count / total_sample_count
        print("%s: precision @ 1 = %.3f" % (datetime.now(), precision))

        summary = tf.Summary()
        summary.ParseFromString(sess.run(summary_op, {images: batch_images, labels: batch_labels}))
        summary.value.add(tag="Precision @ 1", simple_value=precision)
        summary_writer.add_summary(summary, int(global_step))
        return precision


def evaluate():
    images_np, labels_np = cifar10_input.load(FLAGS.data_dir, eval_data=True)
    feed = cifar10_input.batches(images_np, labels_np, FLAGS.batch_size, distort=False)
    with tf.Graph().as_default() as g:
        images, labels = cifar10.placeholder_inputs(FLAGS.batch_size)
        logits = cifar10.inference(images)
        top_k_op = tf.nn.in_top_k(logits, labels, 1)
        variable_averages = tf.train.ExponentialMovingAverage(cifar10.MOVING_AVERAGE_DECAY)
        saver = tf.train.Saver(variable_averages.variables_to_restore())
        summary_op = tf.summary.merge_all()
        summary_writer = tf.summary.FileWriter(FLAGS.eval_dir, g)
        precision = eval_once(saver, summary_writer, top_k_op, summary_op, images, labels, feed, len(images_np))
        summary_writer.close()
        return precision


def main(argv=None):
    evaluate()


if __name__ == "__main__":
    tf.app.run()
