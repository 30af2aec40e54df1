"""Summary speed: minitf's summary ops and FileWriter against TensorFlow's, on the same two training-loop workloads.

    python3 benchmarks/bench_summary.py                         # minitf alone
    ~/tfref/bin/python benchmarks/bench_summary.py --tf         # TensorFlow alone
    python3 benchmarks/bench_summary.py --tf-python ~/tfref/bin/python   # both, with ratios minitf / TF

Workloads (the same graph and calls on both sides, ``tf.compat.v1`` for TensorFlow):

- ``scalar``: a scalar summary of a fed placeholder, ``merge_all``, then 10,000 times
  ``writer.add_summary(sess.run(merged, {x: step}), step)``; the figure is the time per event, ``close()``
  (which writes out whatever is still queued) included.
- ``histogram``: a histogram summary of a 1,000,000-element float32 variable (``random_normal`` with fixed seeds,
  bit-identical on both sides), then 100 times ``writer.add_summary(sess.run(summary), step)``; the figure is
  the time per histogram, ``close()`` included. The serialized bytes of the last summary are hashed on both sides:
  ``same_histogram_bytes`` says whether minitf produced exactly TensorFlow's summary.

Each figure is the median of 3 repetitions after one warm-up repetition. Measured on this machine before this
script existed: TensorFlow 145 us per scalar event and 44 ms per histogram. Target: minitf faster on both.
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile

from timing import median_seconds

SCALAR_EVENTS = 10_000
HISTOGRAMS = 100
HISTOGRAM_SIZE = 1_000_000
REPEATS = 3
GRAPH_SEED, OP_SEED = 1234, 5


def import_framework(use_tensorflow):
    if use_tensorflow:
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        return tf
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import minitf as tf
    return tf


def bench_scalars(tf, logdir):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [], name="x")
        tf.summary.scalar("loss", x)
        merged = tf.summary.merge_all()
        with tf.Session() as sess:
            def loop():
                writer = tf.summary.FileWriter(logdir)
                for step in range(SCALAR_EVENTS):
                    writer.add_summary(sess.run(merged, {x: float(step)}), step)
                writer.close()
            seconds = median_seconds(loop, REPEATS, warmup=1)
    return {"us_per_event": seconds / SCALAR_EVENTS * 1e6, "events": SCALAR_EVENTS}


def bench_histograms(tf, logdir):
    with tf.Graph().as_default():
        tf.set_random_seed(GRAPH_SEED)
        values = tf.Variable(tf.random_normal([HISTOGRAM_SIZE], seed=OP_SEED), name="weights")
        summary = tf.summary.histogram("weights", values)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            last = []

            def loop():
                writer = tf.summary.FileWriter(logdir)
                for step in range(HISTOGRAMS):
                    serialized = sess.run(summary)
                    writer.add_summary(serialized, step)
                writer.close()
                last[:] = [serialized]
            seconds = median_seconds(loop, REPEATS, warmup=1)
    return {"ms_per_histogram": seconds / HISTOGRAMS * 1e3, "histograms": HISTOGRAMS,
            "values_each": HISTOGRAM_SIZE, "summary_sha256": hashlib.sha256(last[0]).hexdigest()}


def run(use_tensorflow):
    tf = import_framework(use_tensorflow)
    with tempfile.TemporaryDirectory() as scalar_dir, tempfile.TemporaryDirectory() as histogram_dir:
        return {"scalar": bench_scalars(tf, scalar_dir), "histogram": bench_histograms(tf, histogram_dir)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tf", action="store_true", help="time TensorFlow only (run under TF's python)")
    parser.add_argument("--tf-python", help="also run this interpreter with --tf and report ratios")
    args = parser.parse_args()

    report = {"workload": {"scalar_events": SCALAR_EVENTS, "histograms": HISTOGRAMS,
                           "histogram_values": HISTOGRAM_SIZE, "repeats": REPEATS, "statistic": "median"}}
    if args.tf:
        report["tensorflow"] = run(use_tensorflow=True)
        print(json.dumps(report, indent=1))
        return
    report["minitf"] = run(use_tensorflow=False)
    if args.tf_python:
        tf_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # TF's interpreter has its own
        output = subprocess.run([args.tf_python, os.path.abspath(__file__), "--tf"], check=True,
                                capture_output=True, text=True, env=tf_env).stdout
        report["tensorflow"] = tensorflow = json.loads(output)["tensorflow"]
        minitf = report["minitf"]
        report["ratios"] = {
            "scalar_minitf_over_tf": minitf["scalar"]["us_per_event"] / tensorflow["scalar"]["us_per_event"],
            "histogram_minitf_over_tf": (minitf["histogram"]["ms_per_histogram"]
                                         / tensorflow["histogram"]["ms_per_histogram"]),
        }
        report["same_histogram_bytes"] = (minitf["histogram"]["summary_sha256"]
                                          == tensorflow["histogram"]["summary_sha256"])
        report["targets_met"] = {"scalar_faster_than_tf": report["ratios"]["scalar_minitf_over_tf"] < 1.0,
                                 "histogram_faster_than_tf": report["ratios"]["histogram_minitf_over_tf"] < 1.0}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
