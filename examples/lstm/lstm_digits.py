"""Sequence classification with an LSTM: each bundled 8x8 handwritten digit (examples/cifar10/data) is read row by
row, eight time steps of eight pixels, by tf.nn.dynamic_rnn over a BasicLSTMCell; a dense layer on the last output
gives the class. Plain TF1 code: ``import tensorflow.compat.v1 as tf`` runs it the same way.

    python examples/lstm/lstm_digits.py                 # 600 steps, about a minute
    python examples/lstm/lstm_digits.py --steps 50 --static   # static_rnn instead of dynamic_rnn
"""
import argparse
import gzip
import os

import numpy as np

DIGITS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "cifar10", "data", "digits.csv.gz")
UNITS, BATCH = 32, 64


def load_digits():
    """(images [n, 8, 8] in [0, 1], labels): every fifth digit is the test set."""
    with gzip.open(DIGITS, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.float32)
    images, labels = table[:, :64].reshape(-1, 8, 8) / 16.0, table[:, 64].astype(np.int32)
    test = np.arange(len(images)) % 5 == 0
    return (images[~test], labels[~test]), (images[test], labels[test])


def train(tf, steps, static=False, log_every=50):
    """Builds and trains the classifier; yields a log line every ``log_every`` steps and the test accuracy."""
    (train_x, train_y), (test_x, test_y) = load_digits()
    tf.reset_default_graph()
    tf.set_random_seed(0)
    rows = tf.placeholder(tf.float32, [None, 8, 8], name="rows")
    labels = tf.placeholder(tf.int32, [None], name="labels")
    cell = tf.nn.rnn_cell.BasicLSTMCell(UNITS)
    if static:
        outputs, state = tf.nn.static_rnn(cell, tf.unstack(rows, axis=1), dtype=tf.float32)
        last = outputs[-1]
    else:
        outputs, state = tf.nn.dynamic_rnn(cell, rows, dtype=tf.float32)
        last = state.h
    logits = tf.layers.dense(last, 10)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    train_op = tf.train.AdamOptimizer(0.01).minimize(loss)
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1, output_type=tf.int32), labels), tf.float32))
    order = np.random.RandomState(0).permutation(len(train_x))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(steps):
            batch = order[(step * BATCH + np.arange(BATCH)) % len(order)]
            value, _ = sess.run([loss, train_op], {rows: train_x[batch], labels: train_y[batch]})
            if step % log_every == 0 or step == steps - 1:
                yield "step %d, loss = %.6f" % (step, value)
        yield "test accuracy = %.4f" % sess.run(accuracy, {rows: test_x, labels: test_y})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=600)
    parser.add_argument("--static", action="store_true", help="unroll with static_rnn")
    args = parser.parse_args()
    import minitf as tf
    for line in train(tf, args.steps, args.static):
        print(line, flush=True)


if __name__ == "__main__":
    main()
