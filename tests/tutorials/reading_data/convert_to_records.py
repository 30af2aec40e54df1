"""Converts MNIST to TFRecords files of tf.train.Example protos (as TensorFlow 1.x's
how_tos/reading_data/convert_to_records.py): train, validation and test, each example with its height, width,
depth, label and raw uint8 image bytes."""

import argparse
import os
import sys

import tensorflow as tf

from tensorflow.contrib.learn.python.learn.datasets import mnist

FLAGS = None


def _int64_feature(value):
    return tf.train.Feature(int64_list=tf.train.Int64List(value=[value]))


def _bytes_feature(value):
    return tf.train.Feature(bytes_list=tf.train.BytesList(value=[value]))


def convert_to(data_set, name):
    """Writes ``data_set`` to DIRECTORY/<name>.tfrecords."""
    images, labels, num_examples = data_set.images, data_set.labels, data_set.num_examples
    if images.shape[0] != num_examples:
        raise ValueError("Images size %d does not match label size %d." % (images.shape[0], num_examples))
    rows, cols, depth = images.shape[1], images.shape[2], images.shape[3]
    filename = os.path.join(FLAGS.directory, name + ".tfrecords")
    print("Writing", filename)
    with tf.python_io.TFRecordWriter(filename) as writer:
        for index in range(num_examples):
            example = tf.train.Example(features=tf.train.Features(feature={
                "height": _int64_feature(rows),
                "width": _int64_feature(cols),
                "depth": _int64_feature(depth),
                "label": _int64_feature(int(labels[index])),
                "image_raw": _bytes_feature(images[index].tobytes())}))
            writer.write(example.SerializeToString())


def main(unused_argv):
    data_sets = mnist.read_data_sets(FLAGS.directory, dtype=tf.uint8, reshape=False,
                                     validation_size=FLAGS.validation_size)
    convert_to(data_sets.train, "train")
    convert_to(data_sets.validation, "validation")
    convert_to(data_sets.test, "test")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--directory", type=str, default="/tmp/data",
                        help="Directory of the MNIST files and the converted result")
    parser.add_argument("--validation_size", type=int, default=5000,
                        help="Number of training examples set aside for validation.")
    FLAGS, unparsed = parser.parse_known_args()
    tf.app.run(main=main, argv=[sys.argv[0]] + unparsed)
