"""Checkpoint save/restore speed: minitf's tf.train.Saver (and its tensor bundle alone) against np.save/np.load
and TensorFlow's Saver.

    python3 benchmarks/bench_checkpoint.py                      # minitf and numpy
    ~/tfref/bin/python benchmarks/bench_checkpoint.py --tf      # TensorFlow's tf.train.Saver alone
    python3 benchmarks/bench_checkpoint.py --tf-python ~/tfref/bin/python   # all three, with ratios

Workload: 25 float32 arrays of 2**20 elements (100 MiB). Each figure is the median of 5 runs, in seconds.
``np.save`` does not fsync; minitf's writer does (durability), so ``numpy_fsync`` (np.save, then fsync of
every file) is reported too. Reads follow writes, so both sides read from the page cache.
``minitf_saver`` (what the ratios use) goes through ``tf.train.Saver.save``/``restore`` in a Session, as the
TensorFlow figure does; ``minitf`` is ``write_bundle``/``BundleReader`` alone.
Targets: minitf save within 1.5x of np.save, restore within 2x of np.load.
"""

import argparse
import json
import os
import subprocess
import tempfile

import numpy as np

from timing import median_seconds

NUM_ARRAYS = 25
ARRAY_SIZE = 2**20
RUNS = 5


def make_arrays():
    rng = np.random.default_rng(0)
    return {"layer_%02d/kernel" % i: rng.standard_normal(ARRAY_SIZE, dtype=np.float32) for i in range(NUM_ARRAYS)}


def bench_numpy(arrays, directory, fsync):
    paths = {name: os.path.join(directory, name.replace("/", "_") + ".npy") for name in arrays}

    def save():
        for name, array in arrays.items():
            with open(paths[name], "wb") as out:
                np.save(out, array)
                if fsync:
                    out.flush()
                    os.fsync(out.fileno())

    def restore():
        return {name: np.load(path) for name, path in paths.items()}

    return {"save_s": median_seconds(save, RUNS), "restore_s": median_seconds(restore, RUNS)}


def bench_minitf(arrays, directory):
    from minitf.io.bundle import BundleReader, write_bundle

    prefix = os.path.join(directory, "model")

    def restore():
        reader = BundleReader(prefix)
        return {name: reader.get_tensor(name) for name in reader.keys()}

    result = {"save_s": median_seconds(lambda: write_bundle(prefix, arrays), RUNS), "restore_s": median_seconds(restore, RUNS)}
    restored = restore()
    assert all(np.array_equal(restored[name], array) for name, array in arrays.items())
    return result


def bench_saver(tf, arrays, directory):
    """The same workload through ``tf.train.Saver`` of ``tf`` (minitf, or TensorFlow's compat.v1): one variable
    per array, save() and restore() in a Session. No meta graph (it would hold the 100 MiB of initial values), and
    a restore is timed with the fetch of every variable, which must give the arrays back."""
    prefix = os.path.join(directory, "model_saver")
    with tf.Graph().as_default():
        variables = [tf.Variable(array, name=name.split("/")[0]) for name, array in arrays.items()]
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            save_s = median_seconds(lambda: saver.save(sess, prefix, write_meta_graph=False), RUNS)
            restore_s = median_seconds(lambda: (saver.restore(sess, prefix), sess.run(variables)), RUNS)
            restored = sess.run(variables)
    assert all(np.array_equal(value, array) for value, array in zip(restored, arrays.values()))
    return {"save_s": save_s, "restore_s": restore_s}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tf", action="store_true", help="time TensorFlow's Saver only (run under TF's python)")
    parser.add_argument("--tf-python", help="also run this interpreter with --tf and report ratios")
    args = parser.parse_args()

    arrays = make_arrays()
    report = {"workload": {"arrays": NUM_ARRAYS, "dtype": "float32", "elements_each": ARRAY_SIZE,
                           "total_mib": NUM_ARRAYS * ARRAY_SIZE * 4 / 2**20, "runs": RUNS, "statistic": "median"}}
    with tempfile.TemporaryDirectory() as directory:
        if args.tf:
            import tensorflow.compat.v1 as tf
            tf.disable_v2_behavior()
            report["tensorflow"] = bench_saver(tf, arrays, directory)
            print(json.dumps(report, indent=1))
            return
        report["minitf"] = bench_minitf(arrays, directory)
        import minitf
        report["minitf_saver"] = bench_saver(minitf, arrays, directory)
        report["numpy"] = bench_numpy(arrays, directory, fsync=False)
        report["numpy_fsync"] = bench_numpy(arrays, directory, fsync=True)
    minitf, numpy = report["minitf_saver"], report["numpy"]
    report["ratios"] = {
        "save_vs_np_save": minitf["save_s"] / numpy["save_s"],
        "save_vs_np_save_fsync": minitf["save_s"] / report["numpy_fsync"]["save_s"],
        "restore_vs_np_load": minitf["restore_s"] / numpy["restore_s"],
        "bundle_save_vs_np_save": report["minitf"]["save_s"] / numpy["save_s"],
        "bundle_restore_vs_np_load": report["minitf"]["restore_s"] / numpy["restore_s"],
    }
    report["targets_met"] = {"save_within_1.5x_np_save": report["ratios"]["save_vs_np_save"] <= 1.5,
                             "restore_within_2x_np_load": report["ratios"]["restore_vs_np_load"] <= 2.0}
    if args.tf_python:
        tf_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # TF's interpreter has its own
        output = subprocess.run([args.tf_python, os.path.abspath(__file__), "--tf"], check=True,
                                capture_output=True, text=True, env=tf_env).stdout
        report["tensorflow"] = json.loads(output)["tensorflow"]
        report["ratios"]["save_vs_tensorflow"] = minitf["save_s"] / report["tensorflow"]["save_s"]
        report["ratios"]["restore_vs_tensorflow"] = minitf["restore_s"] / report["tensorflow"]["restore_s"]
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
