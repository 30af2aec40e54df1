"""TFRecord speed: writing and reading ``tf.train.Example`` records, and parsing them with ``parse_single_example``
in a plain Python loop, minitf against TensorFlow.

    python3 benchmarks/bench_records.py                         # minitf alone
    ~/tfref/bin/python benchmarks/bench_records.py --tf         # TensorFlow alone
    python3 benchmarks/bench_records.py --tf-python ~/tfref/bin/python   # both, with ratios minitf / TF

Workloads (the same records and calls on both sides, ``tf.compat.v1`` for TensorFlow):

- ``write``: 2,000 Examples (a 3,072-byte image, an int64 label, 10 float scores) serialized and written with
  ``tf.python_io.TFRecordWriter``, uncompressed and GZIP; records per second.
- ``read``: the same files read back with ``tf.python_io.tf_record_iterator``; records per second.
- ``parse``: each record of the uncompressed file fed to a ``parse_single_example`` graph (FixedLenFeature for
  the image bytes and label, VarLenFeature for the scores) and run with ``Session.run`` one record at a time,
  as a plain feed loop does; records per second.

Each figure is the median of 3 repetitions after one warm-up repetition.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

from timing import median_seconds

RECORDS = 2_000
REPEATS = 3


def import_framework(use_tensorflow):
    if use_tensorflow:
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        return tf
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import minitf as tf
    return tf


def examples(tf):
    for i in range(RECORDS):
        feature = {"image": tf.train.Feature(bytes_list=tf.train.BytesList(value=[bytes([i % 256]) * 3072])),
                   "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[i % 10])),
                   "scores": tf.train.Feature(float_list=tf.train.FloatList(value=[i * 0.5] * 10))}
        yield tf.train.Example(features=tf.train.Features(feature=feature))


def bench(tf, directory):
    result = {}
    for compression in ("", "GZIP"):
        path = os.path.join(directory, f"records{compression}.tfrecord")
        options = tf.python_io.TFRecordOptions(compression or None)

        def write():
            with tf.python_io.TFRecordWriter(path, options=options) as writer:
                for example in examples(tf):
                    writer.write(example.SerializeToString())

        def read():
            assert sum(1 for _ in tf.python_io.tf_record_iterator(path, options=options)) == RECORDS
        label = compression.lower() or "plain"
        result[f"write_{label}_records_per_s"] = RECORDS / median_seconds(write, REPEATS, warmup=1)
        result[f"read_{label}_records_per_s"] = RECORDS / median_seconds(read, REPEATS, warmup=1)
    records = list(tf.python_io.tf_record_iterator(os.path.join(directory, "records.tfrecord")))
    with tf.Graph().as_default():
        serialized = tf.placeholder(tf.string, [])
        parsed = tf.parse_single_example(serialized, {"image": tf.FixedLenFeature([], tf.string),
                                                      "label": tf.FixedLenFeature([], tf.int64),
                                                      "scores": tf.VarLenFeature(tf.float32)})
        with tf.Session() as sess:
            def parse():
                for record in records:
                    sess.run(parsed, {serialized: record})
            result["parse_single_example_records_per_s"] = RECORDS / median_seconds(parse, REPEATS, warmup=1)
    return result


def run(use_tensorflow):
    tf = import_framework(use_tensorflow)
    with tempfile.TemporaryDirectory() as directory:
        return bench(tf, directory)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tf", action="store_true", help="time TensorFlow only (run under TF's python)")
    parser.add_argument("--tf-python", help="also run this interpreter with --tf and report ratios")
    args = parser.parse_args()

    report = {"workload": {"records": RECORDS, "repeats": REPEATS, "statistic": "median"}}
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
        report["ratios_minitf_over_tf"] = {key: report["minitf"][key] / tensorflow[key] for key in tensorflow}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
