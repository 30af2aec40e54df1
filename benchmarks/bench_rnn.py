"""RNN and word2vec benchmarks (issue 21), minitf vs TensorFlow 1.x, each a training step (forward, backward,
gradient-descent update): an LSTM, batch 64, 28 time steps of 28 inputs, 128 units (a BasicLSTMCell and a dense
layer on the last output), unrolled by tf.nn.static_rnn and looped by tf.nn.dynamic_rnn; and word2vec's skip-gram
step (embedding 128, batch 128, nce_loss with 64 sampled classes) for vocabularies of 10,000, 50,000 and 200,000
words, whose sparse gradients should keep the step's time nearly flat in the vocabulary. Each workload runs in its
own process, so its peak memory (the process's maximum resident set size) is its own. Medians of RUNS steps (of RUNS
runs of 50 steps for word2vec, after a first untimed run: the steady state of a long training loop), JSON.

    python benchmarks/bench_rnn.py                                 # minitf only
    python benchmarks/bench_rnn.py --tf-python ~/tfref/bin/python  # and TensorFlow, with ratios

No environment variable is needed: during Session.run minitf gives each matrix product one BLAS thread (see
minitf/client/threading_policy.py). Measured on a quiet 2-core machine (2026-12-06 06:40 UTC, two runs, minitf /
TensorFlow): word2vec 0.60 - 0.63, 0.64, 0.68 - 0.74 ms / 0.44 - 0.54, 0.56 - 0.58, 0.44 - 0.61 ms for 10k, 50k,
200k words (1.2 - 1.4, 1.1, 1.1 - 1.7; flat in the vocabulary: sparse updates write the looked-up rows in place);
LSTM: see below. Timed one step at a time, the word2vec medians scatter between 0.7 and 1.3 ms from run to run.
What is left of a word2vec step (CPU time, 50k words): the log-uniform sampler 0.13 ms (mostly glibc's expm1f through ctypes for each class and number of tries
not seen before; numpy's float32 expm1 differs from glibc's), two row scatters 0.05 ms each, four matrix products
0.1 ms, about 70 small ops at 2 - 7 us each. Peak RSS: LSTM 57 - 60 MB / 590 - 620 MB; word2vec 86 / 145 / 365 MB
against 584 / 625 / 779 MB.

Since the Session keeps freed heap memory (client/heap.py: a static LSTM step faulted 1,500 - 3,000 fresh pages
in) and AddN, Sigmoid, Split and TensorArray writes are cheaper, interleaved with the code before and TensorFlow
(3 rounds, 2026-12-06, load 1.5 - 1.7): LSTM static 16.4 - 19.2 ms (before: 20.1 - 28.3 ms) / 16.9 - 17.6 ms
(0.9 - 1.1), dynamic 18.1 - 20.7 ms (19.7 - 20.8 ms) / 16.1 - 16.8 ms (1.1 - 1.3). Of a static step's ~17 ms, the
86 matrix products take 11 - 13 ms (115 - 140 us each alone, single-core BLAS at its peak), the 1,400 other kernels
~4 ms and the executor ~1.5 us per op. On the quiet machine with all of this (07:06 UTC, two runs): LSTM static
16.4 ms / 11.9 - 13.0 ms (1.26 - 1.38), dynamic 19.0 - 21.0 ms / 13.5 - 13.6 ms (1.41 - 1.54); word2vec 0.58 - 0.64
ms / 0.42 - 0.55 ms (1.16 - 1.48).
"""
import argparse
import json
import os
import resource
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import median_seconds  # noqa: E402

RUNS = 7
BATCH, STEPS, INPUTS, UNITS = 64, 28, 28, 128
WORKLOADS = ("lstm_static", "lstm_dynamic", "word2vec_10k", "word2vec_50k", "word2vec_200k")
EMBEDDING, W2V_BATCH, NUM_SAMPLED = 128, 128, 64
W2V_STEPS_PER_RUN = 50  # a word2vec step is about a millisecond: each timed run is the mean of 50 steps


def load(use_tf):
    if use_tf:
        os.environ["TF_USE_LEGACY_KERAS"] = "1"
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        return tf
    import minitf as tf
    return tf


def lstm_step(tf, static):
    """Seconds per training step of the LSTM classifier."""
    tf.set_random_seed(0)
    rng = np.random.RandomState(0)
    x = rng.uniform(0, 1, (BATCH, STEPS, INPUTS)).astype(np.float32)
    y = rng.randint(0, 10, BATCH).astype(np.int32)
    inputs = tf.placeholder(tf.float32, [BATCH, STEPS, INPUTS])
    labels = tf.placeholder(tf.int32, [BATCH])
    cell = tf.nn.rnn_cell.BasicLSTMCell(UNITS)
    if static:
        outputs, _ = tf.nn.static_rnn(cell, tf.unstack(inputs, axis=1), dtype=tf.float32)
        last = outputs[-1]
    else:
        outputs, state = tf.nn.dynamic_rnn(cell, inputs, dtype=tf.float32)
        last = state.h
    logits = tf.layers.dense(last, 10)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return median_seconds(lambda: sess.run(train_op, {inputs: x, labels: y}), RUNS, warmup=2)


def word2vec_step(tf, vocabulary):
    """Seconds per skip-gram step of word2vec_basic.py's model (nce_loss, gradient descent at 1.0)."""
    import math
    tf.set_random_seed(0)
    rng = np.random.RandomState(0)
    inputs = tf.placeholder(tf.int32, [W2V_BATCH])
    labels = tf.placeholder(tf.int32, [W2V_BATCH, 1])
    embeddings = tf.Variable(tf.random_uniform([vocabulary, EMBEDDING], -1.0, 1.0))
    nce_weights = tf.Variable(tf.truncated_normal([vocabulary, EMBEDDING], stddev=1.0 / math.sqrt(EMBEDDING)))
    nce_biases = tf.Variable(tf.zeros([vocabulary]))
    loss = tf.reduce_mean(tf.nn.nce_loss(nce_weights, nce_biases, labels, tf.nn.embedding_lookup(embeddings, inputs),
                                         NUM_SAMPLED, vocabulary))
    train_op = tf.train.GradientDescentOptimizer(1.0).minimize(loss)
    feed = {inputs: rng.randint(0, 1000, W2V_BATCH), labels: rng.randint(0, 1000, (W2V_BATCH, 1))}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())

        def steps():
            for _ in range(W2V_STEPS_PER_RUN):
                sess.run(train_op, feed)
        return median_seconds(steps, RUNS, warmup=1) / W2V_STEPS_PER_RUN


def run_one(use_tf, workload):
    tf = load(use_tf)
    if workload.startswith("word2vec"):
        seconds = word2vec_step(tf, int(workload.split("_")[1][:-1]) * 1000)
    else:
        seconds = lstm_step(tf, static=workload == "lstm_static")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return {"step_s": seconds, "peak_rss_mb": peak_mb}


def run_all(python, use_tf):
    env = {k: v for k, v in os.environ.items() if not (use_tf and k == "PYTHONPATH")}
    result = {}
    for workload in WORKLOADS:
        command = [python, os.path.abspath(__file__), "--one", workload] + (["--tf"] if use_tf else [])
        output = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
        result[workload] = json.loads(output.strip().splitlines()[-1])
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tf", action="store_true", help="with --one: time TensorFlow (run under TF's python)")
    parser.add_argument("--one", choices=WORKLOADS, help="time one workload in this process and print its JSON")
    parser.add_argument("--tf-python", help="also run this interpreter and report ratios")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.tf, args.one)))
        return
    report = {"workload": {"lstm": {"batch": BATCH, "time_steps": STEPS, "inputs": INPUTS, "units": UNITS},
                           "word2vec": {"embedding": EMBEDDING, "batch": W2V_BATCH, "num_sampled": NUM_SAMPLED},
                           "runs": RUNS, "statistic": "median"},
              "minitf": run_all(sys.executable, False)}
    if args.tf_python:
        report["tensorflow"] = run_all(args.tf_python, True)
        report["ratios_minitf_over_tf"] = {w: report["minitf"][w]["step_s"] / report["tensorflow"][w]["step_s"]
                                           for w in WORKLOADS}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
