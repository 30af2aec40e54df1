"""Records what examples/word2vec/word2vec.py logs under TensorFlow 2.21 (tf.compat.v1): the same program, corpus
(CPython's pydoc_data.topics), seeds and batches. TensorFlow's own tutorial word2vec_basic.py cannot be run here
unmodified: its ``maybe_download`` accepts only the real text8.zip (size and sha256 checked), so this example is the
same model (skip-gram, nce_loss with 64 log-uniform negatives, SGD at 1.0, cosine nearest words) under both.

Run:  ~/tfref/bin/python tests/golden/make_word2vec.py   (writes tests/golden/word2vec.json)
"""
import hashlib
import json
import os
import sys

import tensorflow.compat.v1 as tf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "examples", "word2vec"))
import word2vec  # noqa: E402

tf.disable_v2_behavior()

STEPS, LOG_EVERY = 201, 1

if __name__ == "__main__":
    corpus = hashlib.sha256(" ".join(word2vec.load_corpus()).encode()).hexdigest()
    lines = list(word2vec.train(tf, STEPS, log_every=LOG_EVERY))
    with open(os.path.join(HERE, "word2vec.json"), "w") as f:
        json.dump({"steps": STEPS, "log_every": LOG_EVERY, "corpus_sha256": corpus, "lines": lines}, f, indent=1)
        f.write("\n")
    print("\n".join(lines[:5] + lines[-9:]))
