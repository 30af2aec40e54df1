"""Random kernel speed: minitf's Philox kernels against TensorFlow's RandomUniform / RandomStandardNormal.

    python3 benchmarks/bench_random.py                         # minitf alone
    ~/tfref/bin/python benchmarks/bench_random.py --tf         # TensorFlow's raw ops in a Session alone
    python3 benchmarks/bench_random.py --tf-python ~/tfref/bin/python   # both, with ratios minitf / TF

Workload: 10 million float32 values from each kernel (uniform in [0, 1), standard normal, and truncated normal
as a third, informative line), drawn from one op that runs repeatedly, so every run continues the op's stream.
Each figure is the median of 5 runs after 5 warm-up runs (this machine takes a few runs to reach a steady
speed), in seconds. TensorFlow's times include copying the result out of the Session; both sides use every
core. Target: minitf within 3x of TensorFlow.

Informative extra lines (no target): RandomShuffle of a 1,000,000-element vector (a sequential Fisher-Yates loop
in Python on minitf's side), Multinomial drawing 100 samples for each of 1000 rows of 100 classes, RandomGamma
drawing 100,000 samples for each of 3 alphas, RandomPoissonV2 likewise for 3 rates (median of 3 runs after one
warm-up run).
"""

import argparse
import json
import os
import subprocess
import sys

import numpy as np

from timing import median_seconds

SIZE = 10_000_000
RUNS = 5
WARMUP = 5
SEED, SEED2 = 87654321, 5
KERNELS = ("uniform", "normal", "truncated_normal")
EXTRAS = ("shuffle", "multinomial", "gamma", "poisson")
SHUFFLE_SIZE = 1_000_000
LOGITS = np.random.default_rng(0).normal(size=(1000, 100)).astype(np.float32)
MULTINOMIAL_SAMPLES = 100
GAMMA_SHAPE, ALPHAS, RATES = [100_000], np.array([0.5, 2.0, 9.0], np.float32), np.array([0.5, 4.0, 25.0], np.float32)


def bench_minitf():
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from minitf.ops import random_kernels
    from minitf.ops.philox import PhiloxStream

    report = {}
    for kernel in KERNELS:
        stream = PhiloxStream(SEED, SEED2)
        sample = getattr(stream, kernel)
        report[kernel + "_s"] = median_seconds(lambda: sample(stream.reserve(SIZE), [SIZE], np.float32), RUNS, WARMUP)
    stream = random_kernels.BlockStream(SEED, SEED2)
    vector = np.arange(SHUFFLE_SIZE, dtype=np.int32)
    threads = random_kernels.tensorflow_cpu_threads()
    extras = {
        "shuffle": lambda: random_kernels.random_shuffle(stream, vector),
        "multinomial": lambda: random_kernels.multinomial(stream, LOGITS, MULTINOMIAL_SAMPLES, np.int64, threads),
        "gamma": lambda: random_kernels.random_gamma(stream, GAMMA_SHAPE, ALPHAS, np.float32),
        "poisson": lambda: random_kernels.random_poisson(stream, GAMMA_SHAPE, RATES, np.float32),
    }
    for name, action in extras.items():
        report[name + "_s"] = median_seconds(action, 3, warmup=1)
    return report


def bench_tensorflow():
    import tensorflow.compat.v1 as tf
    from tensorflow.python.ops import gen_random_ops

    tf.disable_v2_behavior()
    functions = {"uniform": gen_random_ops.random_uniform, "normal": gen_random_ops.random_standard_normal,
                 "truncated_normal": gen_random_ops.truncated_normal}
    report = {}
    with tf.Graph().as_default():
        ops = {kernel: functions[kernel]([SIZE], tf.float32, seed=SEED, seed2=SEED2) for kernel in KERNELS}
        extras = {
            "shuffle": gen_random_ops.random_shuffle(np.arange(SHUFFLE_SIZE, dtype=np.int32), seed=SEED, seed2=SEED2),
            "multinomial": gen_random_ops.multinomial(LOGITS, MULTINOMIAL_SAMPLES, seed=SEED, seed2=SEED2),
            "gamma": gen_random_ops.random_gamma(GAMMA_SHAPE, ALPHAS, seed=SEED, seed2=SEED2),
            "poisson": gen_random_ops.random_poisson_v2(GAMMA_SHAPE, RATES, seed=SEED, seed2=SEED2,
                                                        dtype=tf.float32),
        }
        with tf.Session() as sess:
            for kernel in KERNELS:
                report[kernel + "_s"] = median_seconds(lambda: sess.run(ops[kernel]), RUNS, WARMUP)
            for name in EXTRAS:
                report[name + "_s"] = median_seconds(lambda: sess.run(extras[name]), 3, warmup=1)
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tf", action="store_true", help="time TensorFlow's raw ops only (run under TF's python)")
    parser.add_argument("--tf-python", help="also run this interpreter with --tf and report ratios")
    args = parser.parse_args()
    report = {"workload": {"elements": SIZE, "dtype": "float32", "runs": RUNS, "warmup_runs": WARMUP,
                           "statistic": "median",
                           "cpu_count": os.cpu_count()}}
    if args.tf:
        report["tensorflow"] = bench_tensorflow()
        print(json.dumps(report, indent=1))
        return
    report["minitf"] = bench_minitf()
    if args.tf_python:
        tf_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # TF's interpreter has its own
        tf_env["TF_CPP_MIN_LOG_LEVEL"] = "3"
        output = subprocess.run([args.tf_python, os.path.abspath(__file__), "--tf"], check=True,
                                capture_output=True, text=True, env=tf_env).stdout
        report["tensorflow"] = json.loads(output)["tensorflow"]
        report["ratios_minitf_over_tf"] = {kernel: report["minitf"][kernel + "_s"] / report["tensorflow"][kernel + "_s"]
                                           for kernel in KERNELS + EXTRAS}
        report["targets_met"] = {f"{kernel}_within_3x": report["ratios_minitf_over_tf"][kernel] <= 3.0
                                 for kernel in KERNELS}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
