"""Records tf.nn.fixed_unigram_candidate_sampler and learned_unigram_candidate_sampler under TensorFlow 2.21:
the outputs of several runs of one session (seeded: graph seed and op seeds), from unigrams and from a CSV
vocab_file with reserved ids and shards, and the run-time errors of a bad configuration. tests/test_sampled_losses.py
runs the same ``run(tf, directory)`` under minitf.

Run:  ~/tfref/bin/python tests/golden/make_unigram_samplers.py   (writes tests/golden/unigram_samplers.json)
"""
import json
import os
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
RUNS = 6


def run(tf, directory):
    """{"runs": [[sampled, true_expected, sampled_expected] per sampler] per run, "errors": [message, ...]}."""
    vocab = os.path.join(directory, "vocab.csv")
    with open(vocab, "w") as f:
        f.write("the,3\nof,0.5\nand,7\nto,1\nin,2\n")
    counts = np.random.RandomState(0).randint(1, 200, size=50).tolist()
    tf.reset_default_graph()
    tf.set_random_seed(3)
    labels = tf.constant([[1, 2], [4, 0]], tf.int64)
    big_labels = tf.constant([[7], [3], [7], [41]], tf.int64)
    samplers = [
        tf.nn.fixed_unigram_candidate_sampler(labels, 2, 6, False, 5, unigrams=[3, 0.5, 7, 1, 2]),
        tf.nn.fixed_unigram_candidate_sampler(labels, 2, 4, True, 5, unigrams=[3, 0.5, 7, 1, 2], distortion=0.75,
                                              seed=5),
        tf.nn.fixed_unigram_candidate_sampler(labels % 4, 2, 3, True, 4, vocab_file=vocab, num_reserved_ids=2,
                                              num_shards=2, shard=1),
        tf.nn.fixed_unigram_candidate_sampler(big_labels, 1, 20, True, 50, unigrams=counts, distortion=0.75),
        tf.nn.learned_unigram_candidate_sampler(labels, 2, 5, False, 7),
        tf.nn.learned_unigram_candidate_sampler(labels, 2, 4, True, 7, seed=9),
        tf.nn.learned_unigram_candidate_sampler(big_labels, 1, 12, True, 50),
    ]
    bad = [tf.nn.fixed_unigram_candidate_sampler(labels, 2, 3, False, 6, unigrams=[1, 2, 3, 4, 5], name="short"),
           tf.nn.fixed_unigram_candidate_sampler(labels, 2, 3, False, 5, name="nothing")]
    result = {"runs": [], "errors": []}
    with tf.Session() as sess:
        for _ in range(RUNS):
            result["runs"].append([[x.tolist() for x in out] for out in sess.run(samplers)])
        for op in bad:
            try:
                sess.run(op)
            except tf.errors.InvalidArgumentError as e:
                # TensorFlow 2.21 puts "Graph execution error:" and where the node was defined first
                lines = [line for line in e.message.split("\n") if line and not line.startswith((" ", "\t"))]
                result["errors"].append([line for line in lines if not line.startswith(("Graph", "Detected",
                                                                                         "Node:"))][0])
    return result


if __name__ == "__main__":
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    with tempfile.TemporaryDirectory() as tmp:
        golden = run(tf, tmp)
    with open(os.path.join(HERE, "unigram_samplers.json"), "w") as f:
        json.dump(golden, f)
    print(golden["runs"][0][3][0], golden["errors"])
