"""Trains the MNIST model on data preloaded into constants (as TensorFlow 1.x's
how_tos/reading_data/fully_connected_preloaded.py): slice_input_producer over two constants pinned to the CPU,
tf.train.batch, queue runners under a Coordinator, summaries and checkpoints."""

import argparse
import sys
import time

import tensorflow as tf

from tensorflow.examples.tutorials.mnist import input_data
from tensorflow.examples.tutorials.mnist import mnist

FLAGS = None


def run_training():
    data_sets = input_data.read_data_sets(FLAGS.train_dir, FLAGS.fake_data)
    with tf.Graph().as_default():
        with tf.name_scope("input"):
            with tf.device("/cpu:0"):
                input_images = tf.constant(data_sets.train.images)
                input_labels = tf.constant(data_sets.train.labels)
            image, label = tf.train.slice_input_producer([input_images, input_labels], num_epochs=FLAGS.num_epochs)
            label = tf.cast(label, tf.int32)
            images, labels = tf.train.batch([image, label], batch_size=FLAGS.batch_size)

        logits = mnist.inference(images, FLAGS.hidden1, FLAGS.hidden2)
        loss = mnist.loss(logits, labels)
        train_op = mnist.training(loss, FLAGS.learning_rate)
        eval_correct = mnist.evaluation(logits, labels)
        summary_op = tf.summary.merge_all()
        saver = tf.train.Saver()
        init_op = tf.group(tf.global_variables_initializer(), tf.local_variables_initializer())

        sess = tf.Session()
        sess.run(init_op)
        summary_writer = tf.summary.FileWriter(FLAGS.train_dir, sess.graph)

        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess=sess, coord=coord)
        try:
            step = 0
            while not coord.should_stop():
                start_time = time.time()
                _, loss_value = sess.run([train_op, loss])
                duration = time.time() - start_time
                if step % 100 == 0:
                    print("Step %d: loss = %.2f (%.3f sec)" % (step, loss_value, duration))
                    summary_str = sess.run(summary_op)
                    summary_writer.add_summary(summary_str, step)
                    step += 1
                if (step + 1) % 1000 == 0:
                    print("Saving")
                    saver.save(sess, FLAGS.train_dir, global_step=step)
                step += 1
        except tf.errors.OutOfRangeError:
            print("Saving")
            saver.save(sess, FLAGS.train_dir, global_step=step)
            print("Done training for %d epochs, %d steps." % (FLAGS.num_epochs, step))
        finally:
            coord.request_stop()
        coord.join(threads)
        sess.close()


def main(_):
    run_training()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--learning_rate", type=float, default=0.01, help="Initial learning rate.")
    parser.add_argument("--num_epochs", type=int, default=2, help="Number of epochs to run trainer.")
    parser.add_argument("--hidden1", type=int, default=128, help="Number of units in hidden layer 1.")
    parser.add_argument("--hidden2", type=int, default=32, help="Number of units in hidden layer 2.")
    parser.add_argument("--batch_size", type=int, default=100,
                        help="Batch size.  Must divide evenly into the dataset sizes.")
    parser.add_argument("--train_dir", type=str, default="/tmp/data", help="Directory to put the training data.")
    parser.add_argument("--fake_data", default=False, action="store_true",
                        help="If true, uses fake data for unit testing.")
    FLAGS, unparsed = parser.parse_known_args()
    tf.app.run(main=main, argv=[sys.argv[0]] + unparsed)
