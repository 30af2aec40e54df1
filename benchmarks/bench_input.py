"""Input-pipeline throughput: raw CIFAR-10 binary records (1 label byte + 3072 image bytes) through
tf.train.string_input_producer -> tf.FixedLengthRecordReader -> tf.train.shuffle_batch under queue runners.

    python3 benchmarks/bench_input.py                                   # minitf
    ~/tfref/bin/python benchmarks/bench_input.py --tf                   # TensorFlow alone
    python3 benchmarks/bench_input.py --tf-python ~/tfref/bin/python    # both, with the ratio

Workload: 2 files of 2500 synthetic records (7.7 MB), one epoch, batches of 100 from a RandomShuffleQueue
(capacity 2000, min_after_dequeue 1000, 2 reader threads), the record strings themselves batched (decoding them
is decode_raw's work, another branch's). Each figure is records/second, the median of 3 runs of a whole epoch,
each in a new graph and Session (start of the queue runners included). Target: minitf within 2x of TensorFlow.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

from timing import median_seconds

RECORD_BYTES = 3073
FILES = 2
RECORDS_PER_FILE = 2500
BATCH = 100
RUNS = 3


def write_files(directory):
    rng = np.random.default_rng(0)
    paths = []
    for i in range(FILES):
        path = os.path.join(directory, f"data_batch_{i + 1}.bin")
        rng.integers(0, 256, RECORDS_PER_FILE * RECORD_BYTES, dtype=np.uint8).tofile(path)
        paths.append(path)
    return paths


def one_epoch(tf, paths):
    with tf.Graph().as_default():
        filenames = tf.train.string_input_producer(paths, num_epochs=1, seed=1)
        _, value = tf.FixedLengthRecordReader(RECORD_BYTES).read(filenames)
        batch = tf.train.shuffle_batch([value], BATCH, capacity=2000, min_after_dequeue=1000, num_threads=2,
                                       seed=2, allow_smaller_final_batch=True)
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess=sess, coord=coord)
            count = 0
            try:
                while True:
                    count += len(sess.run(batch))
            except tf.errors.OutOfRangeError:
                coord.request_stop()
            coord.join(threads)
    assert count == FILES * RECORDS_PER_FILE, count


def records_per_second(use_tf):
    if use_tf:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        tf.logging.set_verbosity(tf.logging.ERROR)
    else:
        import minitf as tf
    with tempfile.TemporaryDirectory() as directory:
        paths = write_files(directory)
        seconds = median_seconds(lambda: one_epoch(tf, paths), RUNS, warmup=1)
    return FILES * RECORDS_PER_FILE / seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tf", action="store_true", help="run the workload under TensorFlow")
    parser.add_argument("--tf-python", help="a Python with TensorFlow, to run both side by side")
    args = parser.parse_args()
    if args.tf:
        print(json.dumps({"tensorflow_records_per_s": round(records_per_second(True))}))
        return
    result = {"minitf_records_per_s": round(records_per_second(False))}
    if args.tf_python:
        done = subprocess.run([args.tf_python, os.path.abspath(__file__), "--tf"], capture_output=True, text=True,
                              check=True)
        result.update(json.loads(done.stdout.strip().splitlines()[-1]))
        result["tf_over_minitf"] = round(result["tensorflow_records_per_s"] / result["minitf_records_per_s"], 2)
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
