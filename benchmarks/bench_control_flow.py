"""Control-flow benchmarks (issue 18), minitf vs TensorFlow 1.x control flow.

Workloads: a tf.while_loop of 10,000 scalar iterations (``i < n: i + 1, acc + 0.5``); a 100-step loop over a
256x256 matmul (``x = tanh(x @ w)``); and the linear-regression train step of bench_core (no control flow), to
show that plans without control-flow ops keep the flat path's speed. Medians of RUNS calls, as JSON. The matmul
loop is also timed in plain numpy: its time is numpy's (BLAS threads), so that ratio shows minitf's own overhead.

    python benchmarks/bench_control_flow.py                                 # minitf only
    python benchmarks/bench_control_flow.py --tf-python ~/tfref/bin/python  # and TensorFlow, with ratios
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import median_seconds  # noqa: E402

RUNS = 7


def load(use_tf):
    if use_tf:
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        return tf
    import minitf as tf
    return tf


def scalar_loop(tf, n=10000):
    tf.reset_default_graph()
    limit = tf.placeholder(tf.int32, [])
    _, acc = tf.while_loop(lambda i, a: i < limit, lambda i, a: (i + 1, a + 0.5), [tf.constant(0), tf.constant(0.0)])
    with tf.Session() as sess:
        assert sess.run(acc, {limit: n}) == n * 0.5
        return median_seconds(lambda: sess.run(acc, {limit: n}), RUNS, warmup=1)


def matmul_loop(tf, steps=100, size=256):
    tf.reset_default_graph()
    rng = np.random.RandomState(0)
    w = tf.constant(rng.uniform(-0.1, 0.1, (size, size)).astype(np.float32))
    x0 = tf.constant(rng.uniform(-1, 1, (size, size)).astype(np.float32))
    _, x = tf.while_loop(lambda i, x: i < steps, lambda i, x: (i + 1, tf.tanh(tf.matmul(x, w))), [0, x0])
    with tf.Session() as sess:
        return median_seconds(lambda: sess.run(x), RUNS, warmup=1)


def numpy_matmul_loop(steps=100, size=256):
    """The matmul loop's arithmetic in plain numpy: what the loop would cost with no framework at all."""
    rng = np.random.RandomState(0)
    w = rng.uniform(-0.1, 0.1, (size, size)).astype(np.float32)
    x0 = rng.uniform(-1, 1, (size, size)).astype(np.float32)

    def run():
        x = x0
        for _ in range(steps):
            x = np.tanh(np.matmul(x, w))
        return x
    return median_seconds(run, RUNS, warmup=1)


def train_step(tf, steps=2000):
    from bench_core import train_step as core_train_step
    return core_train_step(tf, steps)


def run_all(tf):
    return {"scalar_loop_10000_s": scalar_loop(tf), "matmul_loop_100x256_s": matmul_loop(tf),
            "linear_regression_step_s": train_step(tf)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tf", action="store_true", help="time TensorFlow only (run under TF's python)")
    parser.add_argument("--tf-python", help="also run this interpreter with --tf and report ratios")
    args = parser.parse_args()
    report = {"workload": {"runs": RUNS, "statistic": "median"}}
    if args.tf:
        report["tensorflow"] = run_all(load(True))
        print(json.dumps(report, indent=1))
        return
    report["minitf"] = run_all(load(False))
    report["numpy_matmul_loop_100x256_s"] = numpy_matmul_loop()
    report["matmul_loop_minitf_over_numpy"] = (report["minitf"]["matmul_loop_100x256_s"]
                                               / report["numpy_matmul_loop_100x256_s"])
    if args.tf_python:
        tf_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        output = subprocess.run([args.tf_python, os.path.abspath(__file__), "--tf"], check=True,
                                capture_output=True, text=True, env=tf_env).stdout
        report["tensorflow"] = json.loads(output)["tensorflow"]
        report["ratios_minitf_over_tf"] = {k: report["minitf"][k] / report["tensorflow"][k]
                                           for k in report["minitf"]}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
