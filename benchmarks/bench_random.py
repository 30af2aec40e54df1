"""Random kernel speed: minitf's Philox kernels against TensorFlow's RandomUniform / RandomStandardNormal.

    python3 benchmarks/bench_random.py                         # minitf alone
    ~/tfref/bin/python benchmarks/bench_random.py --tf         # TensorFlow's raw ops in a Session alone
    python3 benchmarks/bench_random.py --tf-python ~/tfref/bin/python   # both, with ratios minitf / TF

Workload: 10 million float32 values from each kernel (uniform in [0, 1), standard normal, and truncated normal
as a third, informative line), drawn from one op that runs repeatedly, so every run continues the op's stream.
Each figure is the median of 5 runs after 5 warm-up runs (this machine takes a few runs to reach a steady
speed), in seconds. TensorFlow's times include copying the result out of the Session; both sides use every
core. Target: minitf within 3x of TensorFlow.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

SIZE = 10_000_000
RUNS = 5
WARMUP = 5
SEED, SEED2 = 87654321, 5
KERNELS = ("uniform", "normal", "truncated_normal")


def median_time(action, runs=RUNS, warmup=WARMUP):
    for _ in range(warmup):
        action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_minitf():
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from minitf.ops.philox import PhiloxStream

    report = {}
    for kernel in KERNELS:
        stream = PhiloxStream(SEED, SEED2)
        sample = getattr(stream, kernel)
        report[kernel + "_s"] = median_time(lambda: sample(stream.reserve(SIZE), [SIZE], np.float32))
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
        with tf.Session() as sess:
            for kernel in KERNELS:
                report[kernel + "_s"] = median_time(lambda: sess.run(ops[kernel]))
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
                                           for kernel in KERNELS}
        report["targets_met"] = {f"{kernel}_within_3x": ratio <= 3.0
                                 for kernel, ratio in report["ratios_minitf_over_tf"].items()}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
