"""Core engine benchmarks, runnable under minitf (default) or TensorFlow (--tf, with ~/tfref/bin/python).

Workloads (issue 6): import time; the seeds/000 linear-regression train step (2000 sess.run(train) calls);
a trivial fetch; building a 10,000-op chain. Prints JSON with medians of --repeat runs.

    python benchmarks/bench_core.py                 # minitf
    ~/tfref/bin/python benchmarks/bench_core.py --tf
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np


def load(use_tf):
    if use_tf:
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        return tf
    import minitf as tf
    return tf


def import_time(use_tf):
    """Seconds to import in a fresh interpreter, with bytecode caches warm (as after a normal install)."""
    module = "tensorflow.compat.v1" if use_tf else "minitf"
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    run = lambda: subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                 env=env).stdout.strip().splitlines()[-1]
    run()
    return float(run())


def train_step(tf, steps=2000):
    tf.reset_default_graph()
    x_data = np.random.rand(100).astype(np.float32)
    y_data = x_data * 0.1 + 0.3
    weight = tf.Variable(tf.random_uniform(shape=[1], minval=-1.0, maxval=1.0), dtype=np.float32, name="weight")
    bias = tf.Variable(tf.zeros(shape=[1]), dtype=np.float32, name="bias")
    y = weight * x_data + bias
    loss = tf.reduce_mean(tf.square(y - y_data))
    training = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(training)
        t = time.perf_counter()
        for _ in range(steps):
            sess.run(training)
        return (time.perf_counter() - t) / steps


def trivial_fetch(tf, n=5000):
    tf.reset_default_graph()
    c = tf.constant(1.0)
    with tf.Session() as sess:
        sess.run(c)
        t = time.perf_counter()
        for _ in range(n):
            sess.run(c)
        return (time.perf_counter() - t) / n


def build_chain(tf, n=10000):
    tf.reset_default_graph()
    t = time.perf_counter()
    x = tf.constant(1.0)
    for _ in range(n):
        x = tf.identity(x)
    return (time.perf_counter() - t) / n


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tf", action="store_true", help="run the workloads under TensorFlow")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    tf = load(args.tf)
    results = {"framework": "tensorflow" if args.tf else "minitf"}
    for name, fn in [("import_s", lambda: import_time(args.tf)), ("train_step_s", lambda: train_step(tf)),
                     ("trivial_fetch_s", lambda: trivial_fetch(tf)), ("build_per_op_s", lambda: build_chain(tf))]:
        results[name] = statistics.median(fn() for _ in range(args.repeat))
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
