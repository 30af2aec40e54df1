"""TensorFlow's CIFAR-10 tutorial as published (tests/tutorials/cifar10): time per training step and precision @ 1
on a stated, learnable data set in CIFAR-10's binary format, under minitf and, side by side, TensorFlow
(``--tf-python``). The real CIFAR-10 cannot be fetched here (no network).

The data set (seeded numpy, ``--seed``): each of the 10 classes has a fixed template, a 4 x 4 x 3 grid of colours
drawn uniformly from 0 - 255 and enlarged to 32 x 32 x 3 (blocks of 8 x 8 pixels, so the tutorial's random 24 x 24
crops and flips keep part of it); each image is its class's template plus independent Gaussian noise of standard
deviation ``--noise`` (default 400: most pixels clip to 0 or 255, the template shifting their odds) per pixel,
rounded and clipped to 0 - 255. Labels are uniform over the 10 classes.
``--train-records`` records in each of data_batch_1..5.bin, ``--test-records`` in test_batch.bin (1 label byte and
3072 pixel bytes, channel-major, per record), and the tarball maybe_download_and_extract looks for.

Each framework runs cifar10_train.py for ``--steps`` steps of 128 images, then cifar10_eval.py --run_once on
test_batch.bin, each in a fresh process through tests/cifar10_tutorial_cases.py's runner, as the tests do (so
NUM_EXAMPLES_PER_EPOCH_FOR_TRAIN is 100 there: the learning rate drops from 0.1 to 0.01 after 273 steps). Reported:
seconds per training step, the median of the tutorial's own ``sec/batch`` log lines after the first window (which
includes filling the queue), and the precision @ 1 cifar10_eval.py prints (from the moving averages).
Measured here (2 cores, load average 1.7 - 2.3, two runs): minitf 0.261 - 0.297 s per step, precision @ 1
0.906 - 0.916; TensorFlow 0.114 - 0.117 s, 0.903 - 0.911.

    python benchmarks/bench_cifar10_precision.py                                  # minitf only
    python benchmarks/bench_cifar10_precision.py --tf-python ~/tfref/bin/python   # both
"""
import argparse
import json
import os
import re
import statistics
import sys
import tarfile
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests"))
import busy  # noqa: E402
import cifar10_tutorial_cases as cases  # noqa: E402


def write_learnable_cifar10(root, args):
    """The data set described above, in ``root``."""
    data = os.path.join(root, "cifar-10-batches-bin")
    os.makedirs(data)
    rng = np.random.RandomState(args.seed)
    templates = rng.uniform(0, 255, (10, 3, 4, 4)).repeat(8, axis=2).repeat(8, axis=3).reshape(10, 3072)
    files = [("data_batch_%d.bin" % i, args.train_records) for i in range(1, 6)]
    for name, records in files + [("test_batch.bin", args.test_records)]:
        labels = rng.randint(0, 10, records)
        images = templates[labels] + rng.normal(0, args.noise, (records, 3072))
        images = np.clip(np.round(images), 0, 255).astype(np.uint8)
        with open(os.path.join(data, name), "wb") as f:
            f.write(np.concatenate([labels.astype(np.uint8)[:, None], images], 1).tobytes())
    with tarfile.open(os.path.join(root, "cifar-10-binary.tar.gz"), "w:gz") as tar:
        tar.add(data, arcname="cifar-10-batches-bin")


def with_flags(args, **flags):
    args = list(args)
    for flag, value in flags.items():
        args[args.index("--" + flag) + 1] = str(value)
    return args


def measure(setup, python, args):
    with tempfile.TemporaryDirectory() as root:
        write_learnable_cifar10(os.path.join(root, "data"), args)
        train_out = cases.run(root, "cifar10_train.py", with_flags(
            cases.train_args(root), max_steps=args.steps, batch_size=128, log_frequency=args.log_frequency), setup,
            python=python)
        eval_out = cases.run(root, "cifar10_eval.py", with_flags(
            cases.eval_args(root), batch_size=128, num_examples=args.test_records), setup, python=python)
    windows = [float(s) for s in re.findall(r"; (\d+\.\d+) sec/batch\)", train_out)]
    losses = [float(s) for s in re.findall(r"loss = (\d+\.\d+)", train_out)]
    return {"sec_per_step": statistics.median(windows[1:]), "first_loss": losses[0], "last_loss": losses[-1],
            "precision_at_1": float(re.search(r"precision @ 1 = (\d+\.\d+)", eval_out).group(1))}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tf-python", help="a Python with TensorFlow, to run the same tutorial under it")
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--log-frequency", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--noise", type=float, default=400.0)
    parser.add_argument("--train-records", type=int, default=1000)
    parser.add_argument("--test-records", type=int, default=1000)
    busy.add_argument(parser)
    args = parser.parse_args()
    result = {"data_set": {"seed": args.seed, "noise": args.noise, "train_records": 5 * args.train_records,
                           "test_records": args.test_records}, "steps": args.steps, "batch_size": 128}
    with busy.machine(args.busy) as conditions:
        result["minitf"] = measure(cases.MINITF, sys.executable, args)
        if args.tf_python:
            result["tensorflow"] = measure(cases.TENSORFLOW, args.tf_python, args)
    result["conditions"] = conditions
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
