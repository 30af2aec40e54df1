"""TensorFlow's CIFAR-10 tutorial as published (tests/tutorials/cifar10): its queue-fed training step through
MonitoredTrainingSession, under minitf and, side by side, under TensorFlow (``--tf-python``).

Each run is a fresh process executing cifar10_train.py on the generated CIFAR-10-format data set of
tests/cifar10_tutorial_cases.py (the reader, distortions, shuffle queue and hooks all run): ``--steps`` steps of
``--batch-size`` images, logged every ``--log-frequency`` steps. The tutorial prints sec/batch averaged over each
logging window; reported is the median over the windows after the first (which includes filling the queue), the
median over ``--repeat`` processes. Measured here (2 cores, load average 2 - 3): 0.36 s per batch under minitf,
0.19 s under TensorFlow, the input pipeline alone 0.039 s and 0.020 s; before each product got one BLAS thread
while Session.run executes, queue runners included (minitf/client/threading_policy.py), the step was 1.6 s (4.0 s
on a busier machine).

The input pipeline alone is measured too (``input_sec_per_batch``): the tutorial's ``distorted_inputs`` (reader,
per-image distortions under its runner threads, shuffle queue) drained batch after batch with no model, the median
of ``--input-batches`` batches after the first.

    python benchmarks/bench_monitored.py                                  # minitf only
    python benchmarks/bench_monitored.py --tf-python ~/tfref/bin/python   # both, with the ratio
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests"))
import cifar10_tutorial_cases as cases  # noqa: E402


def sec_per_batch(setup, python, args):
    with tempfile.TemporaryDirectory() as root:
        cases.write_cifar10(os.path.join(root, "data"))
        train_args = ["--data_dir", os.path.join(root, "data"), "--train_dir", os.path.join(root, "train"),
                      "--max_steps", str(args.steps), "--batch_size", str(args.batch_size),
                      "--log_frequency", str(args.log_frequency)]
        out = cases.run(root, "cifar10_train.py", train_args, setup, python=python)
    windows = [float(s) for s in re.findall(r"; (\d+\.\d+) sec/batch\)", out)]
    return statistics.median(windows[1:])


DRAIN = """
{setup}
import statistics, sys, time
sys.modules["tensorflow"] = tf
sys.path.insert(0, {tutorial!r})
import cifar10_input
cifar10_input.NUM_EXAMPLES_PER_EPOCH_FOR_TRAIN = 100
images, labels = cifar10_input.distorted_inputs({data!r}, {batch_size})
with tf.Session() as sess:
    coord = tf.train.Coordinator()
    threads = tf.train.start_queue_runners(sess, coord)
    sess.run([images, labels])
    times = []
    for _ in range({batches}):
        start = time.perf_counter()
        sess.run([images, labels])
        times.append(time.perf_counter() - start)
    coord.request_stop()
    coord.join(threads, stop_grace_period_secs=10)
print(statistics.median(times))
"""


def input_sec_per_batch(setup, python, args):
    """The tutorial's distorted_inputs drained without a model, in a fresh process: median seconds per batch."""
    with tempfile.TemporaryDirectory() as root:
        data = cases.write_cifar10(os.path.join(root, "data"))
        code = DRAIN.format(setup=setup, tutorial=cases.TUTORIAL, data=data, batch_size=args.batch_size,
                            batches=args.input_batches)
        env = dict(os.environ, PYTHONPATH=os.path.dirname(HERE))
        done = subprocess.run([python, "-c", code], cwd=root, env=env, capture_output=True, text=True, timeout=600,
                              check=True)
    return float(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tf-python", help="a Python with TensorFlow, to run the same tutorial under it")
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--log-frequency", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--input-batches", type=int, default=40)
    args = parser.parse_args()
    result = {"batch_size": args.batch_size, "steps": args.steps,
              "minitf_sec_per_batch": statistics.median(
                  sec_per_batch(cases.MINITF, sys.executable, args) for _ in range(args.repeat)),
              "minitf_input_sec_per_batch": statistics.median(
                  input_sec_per_batch(cases.MINITF, sys.executable, args) for _ in range(args.repeat))}
    if args.tf_python:
        result["tensorflow_sec_per_batch"] = statistics.median(
            sec_per_batch(cases.TENSORFLOW, args.tf_python, args) for _ in range(args.repeat))
        result["ratio"] = round(result["minitf_sec_per_batch"] / result["tensorflow_sec_per_batch"], 2)
        result["tensorflow_input_sec_per_batch"] = statistics.median(
            input_sec_per_batch(cases.TENSORFLOW, args.tf_python, args) for _ in range(args.repeat))
        result["input_ratio"] = round(result["minitf_input_sec_per_batch"] /
                                      result["tensorflow_input_sec_per_batch"], 2)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
