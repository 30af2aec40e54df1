"""Reads a corpus in the Penn Treebank language-modelling format (ptb.{train,valid,test}.txt: words separated by
spaces, one sentence a line, ``<eos>`` for each line end) and serves it as TensorFlow's PTB tutorial does: the word
ids cut into ``batch_size`` rows, and one ``[batch_size, num_steps]`` window (inputs, and targets one word later)
per dequeue of a ``range_input_producer`` over the windows."""

import collections
import os

import tensorflow as tf


def words(path):
    with tf.gfile.GFile(path, "rb") as f:
        return f.read().decode("utf-8").replace("\n", "<eos>").split()


def vocabulary(path):
    """Word -> id, the most frequent word first (ties alphabetically)."""
    counts = collections.Counter(words(path))
    ranked = sorted(counts, key=lambda word: (-counts[word], word))
    return {word: i for i, word in enumerate(ranked)}


def corpus(data_path):
    """(train ids, valid ids, test ids, vocabulary size); words not in the training vocabulary are dropped."""
    paths = [os.path.join(data_path, "ptb.%s.txt" % part) for part in ("train", "valid", "test")]
    vocab = vocabulary(paths[0])
    ids = [[vocab[word] for word in words(path) if word in vocab] for path in paths]
    return ids[0], ids[1], ids[2], len(vocab)


def windows(ids, batch_size, num_steps, name=None):
    """(inputs, targets), each ``[batch_size, num_steps]`` int32: the next window of each row on each run."""
    with tf.name_scope(name, "Windows", [ids]):
        ids = tf.convert_to_tensor(ids, dtype=tf.int32, name="ids")
        row_length = tf.size(ids) // batch_size
        rows = tf.reshape(ids[:batch_size * row_length], [batch_size, row_length])
        count = (row_length - 1) // num_steps
        check = tf.assert_positive(count, message="no window fits: decrease batch_size or num_steps")
        with tf.control_dependencies([check]):
            count = tf.identity(count, name="window_count")
        i = tf.train.range_input_producer(count, shuffle=False).dequeue()
        inputs = tf.strided_slice(rows, [0, i * num_steps], [batch_size, (i + 1) * num_steps])
        targets = tf.strided_slice(rows, [0, i * num_steps + 1], [batch_size, (i + 1) * num_steps + 1])
        inputs.set_shape([batch_size, num_steps])
        targets.set_shape([batch_size, num_steps])
        return inputs, targets
