"""Skip-gram word2vec with noise-contrastive estimation (tf.nn.nce_loss), trained on a real corpus that ships with
every Python: the text of CPython's own documentation kept in the standard library module ``pydoc_data.topics``
(the help() topics, about 65,000 words). Plain TF1 code, the model of TensorFlow's word2vec_basic.py tutorial:
``import tensorflow.compat.v1 as tf`` runs it the same way (tests/golden/make_word2vec.py does).

It logs the average loss, prints the nearest words (cosine similarity) of a few frequent words, saves a checkpoint
and writes what TensorBoard's embedding projector reads: metadata.tsv (one word a line), projector_config.pbtxt
and the embedding as a TSV file (viewable with tensorboard alone, without TensorFlow).

    python examples/word2vec/word2vec.py                    # 10001 steps, about 30 s on 2 cores
    python examples/word2vec/word2vec.py --steps 20001 --log_dir /tmp/w2v
    tensorboard --logdir /tmp/w2v                           # the PROJECTOR tab
"""
import argparse
import collections
import os
import re

import numpy as np

VOCABULARY_SIZE = 3000
BATCH_SIZE = 128
EMBEDDING_SIZE = 64
SKIP_WINDOW = 1  # words considered left and right of the centre word
NUM_SKIPS = 2  # (centre, context) pairs taken from each window
NUM_SAMPLED = 64  # negative classes drawn per batch by nce_loss's log-uniform sampler
VALID_SIZE, VALID_WINDOW = 8, 100  # nearest words are shown for 8 of the 100 most frequent words


def load_corpus():
    """The help() topics of CPython's documentation as text8 does it: lower-case runs of letters."""
    import pydoc_data.topics
    return re.findall(r"[a-z]+", " ".join(pydoc_data.topics.topics.values()).lower())


def build_dataset(words, n_words):
    """Word ids (0 is 'UNK', every word outside the ``n_words - 1`` most common), counts and the id -> word list."""
    count = [["UNK", -1]] + [list(pair) for pair in collections.Counter(words).most_common(n_words - 1)]
    dictionary = {word: index for index, (word, _) in enumerate(count)}
    data = np.array([dictionary.get(word, 0) for word in words], dtype=np.int32)
    count[0][1] = int(np.sum(data == 0))
    return data, count, [word for word, _ in count]


class SkipGramBatches:
    """(centre words [batch], context words [batch, 1]) from a sliding window, the pairs picked by a seeded stream."""

    def __init__(self, data, seed=0):
        self.data, self.position, self.random = data, 0, np.random.RandomState(seed)
        self.span = 2 * SKIP_WINDOW + 1
        self.context = np.array([w for w in range(self.span) if w != SKIP_WINDOW])

    def next(self, batch_size=BATCH_SIZE):
        n = batch_size // NUM_SKIPS
        starts = (self.position + np.arange(n)) % (len(self.data) - self.span)
        self.position = (self.position + n) % (len(self.data) - self.span)
        picks = np.array([self.random.choice(self.context, NUM_SKIPS, replace=False) for _ in range(n)])
        centre = np.repeat(self.data[starts + SKIP_WINDOW], NUM_SKIPS)
        context = self.data[starts[:, None] + picks].reshape(-1, 1)
        return centre, context


def build_model(tf, vocabulary_size):
    """The tutorial's graph: embeddings, NCE weights and biases, the mean NCE loss, SGD and cosine similarity."""
    with tf.name_scope("inputs"):
        train_inputs = tf.placeholder(tf.int32, shape=[BATCH_SIZE])
        train_labels = tf.placeholder(tf.int32, shape=[BATCH_SIZE, 1])
        valid_examples = np.random.RandomState(1).choice(VALID_WINDOW, VALID_SIZE, replace=False)
        valid_dataset = tf.constant(valid_examples, dtype=tf.int32)
    with tf.name_scope("embeddings"):
        embeddings = tf.Variable(tf.random_uniform([vocabulary_size, EMBEDDING_SIZE], -1.0, 1.0))
        embed = tf.nn.embedding_lookup(embeddings, train_inputs)
    with tf.name_scope("weights"):
        nce_weights = tf.Variable(tf.truncated_normal([vocabulary_size, EMBEDDING_SIZE],
                                                      stddev=1.0 / np.sqrt(EMBEDDING_SIZE)))
    with tf.name_scope("biases"):
        nce_biases = tf.Variable(tf.zeros([vocabulary_size]))
    with tf.name_scope("loss"):
        loss = tf.reduce_mean(tf.nn.nce_loss(weights=nce_weights, biases=nce_biases, labels=train_labels,
                                             inputs=embed, num_sampled=NUM_SAMPLED, num_classes=vocabulary_size))
    tf.summary.scalar("loss", loss)
    with tf.name_scope("optimizer"):
        optimizer = tf.train.GradientDescentOptimizer(1.0).minimize(loss)
    norm = tf.sqrt(tf.reduce_sum(tf.square(embeddings), 1, keepdims=True))
    normalized_embeddings = embeddings / norm
    valid_embeddings = tf.nn.embedding_lookup(normalized_embeddings, valid_dataset)
    similarity = tf.matmul(valid_embeddings, normalized_embeddings, transpose_b=True)
    return dict(inputs=train_inputs, labels=train_labels, loss=loss, optimizer=optimizer, embeddings=embeddings,
                similarity=similarity, valid_examples=valid_examples, summary=tf.summary.merge_all())


def nearest_words(similarity, valid_examples, words, top_k=8):
    """'Nearest to <word>: w1, w2, ...' for each validation word, by descending cosine similarity."""
    for row, example in zip(similarity, valid_examples):
        nearest = (-row).argsort(kind="stable")[1:top_k + 1]
        yield "Nearest to %s: %s" % (words[example], ", ".join(words[k] for k in nearest))


def train(tf, steps, log_dir=None, log_every=1000, seed=0, vocabulary_size=VOCABULARY_SIZE):
    """Trains for ``steps`` steps; yields the log lines. With ``log_dir``: summaries, checkpoint and projector files."""
    data, count, words = build_dataset(load_corpus(), vocabulary_size)
    yield "Data size %d, vocabulary %d, most common %s" % (len(data), vocabulary_size, count[:5])
    tf.reset_default_graph()
    tf.set_random_seed(seed)
    model = build_model(tf, vocabulary_size)
    batches = SkipGramBatches(data, seed)
    writer = tf.summary.FileWriter(log_dir, tf.get_default_graph()) if log_dir else None
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        average_loss = 0.0
        for step in range(steps):
            centre, context = batches.next()
            feed = {model["inputs"]: centre, model["labels"]: context}
            _, summary, loss_val = sess.run([model["optimizer"], model["summary"], model["loss"]], feed)
            average_loss += loss_val
            if writer is not None and step % 100 == 0:
                writer.add_summary(summary, step)
            if step % log_every == 0:
                yield "Average loss at step %d: %.6f" % (step, average_loss / (log_every if step else 1))
                average_loss = 0.0
        yield from nearest_words(sess.run(model["similarity"]), model["valid_examples"], words)
        if log_dir:
            _save(tf, sess, model, words, log_dir, writer, steps)
    if writer is not None:
        writer.close()


def _save(tf, sess, model, words, log_dir, writer, steps):
    """Checkpoint, metadata.tsv and the projector config (with the embedding as a TSV file) in ``log_dir``."""
    from minitf.contrib.tensorboard.plugins import projector  # tensorflow.contrib is gone from TensorFlow 2
    with open(os.path.join(log_dir, "metadata.tsv"), "w", encoding="utf-8") as f:
        f.writelines(word + "\n" for word in words)
    tf.train.Saver().save(sess, os.path.join(log_dir, "model.ckpt"), steps)
    config = projector.ProjectorConfig()
    embedding = config.embeddings.add()
    embedding.tensor_name = model["embeddings"].name
    embedding.metadata_path = "metadata.tsv"
    projector.save_embedding_tsv(embedding, sess.run(model["embeddings"]), writer)
    projector.visualize_embeddings(writer, config)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=10001)
    parser.add_argument("--log_every", type=int, default=1000)
    parser.add_argument("--log_dir", default=os.path.join(os.getcwd(), "word2vec_log"))
    args = parser.parse_args()
    import minitf as tf
    os.makedirs(args.log_dir, exist_ok=True)
    for line in train(tf, args.steps, args.log_dir, args.log_every):
        print(line, flush=True)
    print("Checkpoint, metadata.tsv and projector_config.pbtxt written to", args.log_dir)


if __name__ == "__main__":
    main()
