"""Programs of tests/golden/make_sampled_losses.py (TensorFlow) and tests/test_sampled_losses.py (minitf): the
candidate samplers' seeded streams over several runs, accidental hits, nce_loss and sampled_softmax_loss (values,
gradients, three training steps). Each takes the library as ``tf`` and returns ({name: fetch}, runs): the fetches
are run ``runs`` times in one session (a "train" fetch runs between them).
"""
import numpy as np


def samplers(tf):
    """Each sampler, unique and not, op seeds and graph seeds: the stream moves on at each run."""
    tf.set_random_seed(1)
    labels = tf.constant([[1, 7], [3, 0], [99, 2]], tf.int64)
    return {"log_uniform": tf.nn.log_uniform_candidate_sampler(labels, 2, 10, True, 100, seed=3),
            "log_uniform_repeats": tf.nn.log_uniform_candidate_sampler(labels, 2, 20, False, 100),
            "uniform": tf.nn.uniform_candidate_sampler(labels % 7, 2, 6, True, 7),
            "uniform_repeats": tf.nn.uniform_candidate_sampler(labels, 2, 9, False, 1000, seed=8),
            "all": tf.nn.all_candidate_sampler(labels % 5, 2, 5, True),
            "hits": tf.nn.compute_accidental_hits(labels, tf.constant([7, 5, 1, 2], tf.int64), 2)}, 3


def _model(tf, num_true=1):
    tf.set_random_seed(5)
    vocab, dim = 50, 4
    emb = tf.Variable(tf.random_uniform([vocab, dim], -1.0, 1.0), name="emb")
    weights = tf.Variable(tf.truncated_normal([vocab, dim], stddev=0.5), name="weights")
    biases = tf.Variable(tf.zeros([vocab]), name="biases")
    inputs = tf.nn.embedding_lookup(emb, tf.constant([1, 3, 5, 7, 2, 3]))
    labels = tf.constant(np.array([[2, 4], [4, 4], [5, 9], [0, 1], [9, 3], [1, 1]])[:, :num_true])
    return weights, biases, labels, inputs, vocab


def nce(tf):
    """nce_loss: one true class, training the embeddings and the NCE weights by gradient descent."""
    weights, biases, labels, inputs, vocab = _model(tf)
    loss = tf.reduce_mean(tf.nn.nce_loss(weights, biases, labels, inputs, 8, vocab))
    train = tf.train.GradientDescentOptimizer(1.0).minimize(loss)
    return {"loss": loss, "train": train, "weights": weights}, 3


def sampled_softmax(tf):
    """sampled_softmax_loss: two true classes, accidental hits removed, Adagrad."""
    weights, biases, labels, inputs, vocab = _model(tf, num_true=2)
    loss = tf.reduce_mean(tf.nn.sampled_softmax_loss(weights, biases, labels, inputs, 12, vocab, num_true=2))
    train = tf.train.AdagradOptimizer(0.5).minimize(loss)
    return {"loss": loss, "train": train, "biases": biases}, 3


PROGRAMS = {"samplers": samplers, "nce": nce, "sampled_softmax": sampled_softmax}


def run(tf, build):
    """(nodes, [{name: value} per run])."""
    with tf.Graph().as_default() as graph:
        fetches, runs = build(tf)
        nodes = [[op.name, op.type] for op in graph.get_operations()]
        fetch = {k: v for k, v in fetches.items() if k != "train"}
        results = []
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(runs):
                results.append(sess.run(fetch))
                if "train" in fetches:
                    sess.run(fetches["train"])
    return nodes, results


def label_out_of_range(tf):
    """The InvalidArgumentError of a label past num_classes."""
    with tf.Graph().as_default():
        weights, biases, labels, inputs, vocab = _model(tf)
        loss = tf.nn.nce_loss(weights, biases, labels + 60, inputs, 8, vocab)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            try:
                sess.run(loss)
            except tf.errors.InvalidArgumentError as e:
                return e.message
    return None
