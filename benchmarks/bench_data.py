"""tf.data throughput: records per second through TFRecord -> map(decode) -> shuffle -> batch -> get_next, and a
training step fed from that pipeline against the same step fed with feed_dict from numpy; minitf and TensorFlow.

    python3 benchmarks/bench_data.py                                   # minitf
    ~/tfref/bin/python benchmarks/bench_data.py --tf                   # TensorFlow's tf.compat.v1 alone
    python3 benchmarks/bench_data.py --tf-python ~/tfref/bin/python    # both, with ratios

Workload: 20000 MNIST-sized records (784 uint8 pixels and a label byte) written with minitf.io.tfrecord; the
pipeline reads them, decodes each record (``tf.decode_raw`` and a cast when the framework has it, else the map
only splits nothing and passes the string on: the report says which), shuffles with a buffer of 1000, batches by
64. ``pipeline_records_per_s`` is the median of 3 full passes. The training figures are the median time of one
step of a 784x10 softmax regression (batch 64) over 200 steps: ``train_pipeline_s`` takes its batches from an
iterator over the images (fed once to its initializer, then shuffle -> repeat -> batch -> map, the map scaling
whole batches as TensorFlow's performance guide advises), ``train_pipeline_map_per_element_s`` maps each image
before batching, and ``train_feed_dict_s`` feeds batches of the same data gathered in a shuffled order and scaled the same way in
numpy. Target: minitf within 2x of TensorFlow's
throughput, and the pipeline-fed step no slower than the feed_dict step.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

from timing import median_seconds

RECORDS = 20000
PIXELS = 784
BATCH = 64
BUFFER = 1000
RUNS = 3
STEPS = 200


def write_records(path):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    from minitf.io.tfrecord import TFRecordWriter
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(RECORDS, PIXELS), dtype=np.uint8)
    labels = rng.integers(0, 10, size=RECORDS, dtype=np.uint8)
    with TFRecordWriter(path) as writer:
        for image, label in zip(images, labels):
            writer.write(image.tobytes() + label.tobytes())
    return images, labels


def decoder(tf, use_decode):
    def decode(record):
        raw = tf.decode_raw(record, tf.uint8)
        image = tf.cast(raw[:PIXELS], tf.float32) * (1.0 / 255)
        label = tf.cast(raw[PIXELS], tf.int32)
        return image, label
    return decode if use_decode else (lambda record: record)


def bench_pipeline(tf, path, use_decode):
    with tf.Graph().as_default():
        dataset = tf.data.TFRecordDataset(path).map(decoder(tf, use_decode)).shuffle(BUFFER, seed=1).batch(BATCH)
        iterator = dataset.make_initializable_iterator()
        element = iterator.get_next()
        with tf.Session() as sess:
            def one_pass():
                sess.run(iterator.initializer)
                count = 0
                while True:
                    try:
                        batch = sess.run(element)
                    except tf.errors.OutOfRangeError:
                        return count
                    count += len(batch[0] if use_decode else batch)
            assert one_pass() == RECORDS
            seconds = median_seconds(one_pass, RUNS)
    return {"pipeline_records_per_s": RECORDS / seconds, "pipeline_pass_s": seconds}


def softmax_step(tf, images, labels):
    w = tf.Variable(tf.zeros([PIXELS, 10]))
    b = tf.Variable(tf.zeros([10]))
    logits = tf.matmul(images, w) + b
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    return tf.train.GradientDescentOptimizer(0.1).minimize(loss)


def bench_training(tf, path, images, labels, use_decode):
    """A softmax-regression step fed from two pipeline layouts and with feed_dict slices."""
    result = {}
    data_x = images.astype(np.float32) / 255
    data_y = labels.astype(np.int32)
    def normalize(image, label):
        return image * 2.0 - 1.0, label

    layouts = {"train_pipeline_s": lambda d: d.shuffle(BUFFER, seed=1).repeat().batch(BATCH).map(normalize),
               "train_pipeline_map_per_element_s":
                   lambda d: d.map(normalize).shuffle(BUFFER, seed=1).repeat().batch(BATCH)}
    for name, layout in layouts.items():
        with tf.Graph().as_default():
            source_x = tf.placeholder(tf.float32, [None, PIXELS])
            source_y = tf.placeholder(tf.int32, [None])
            iterator = layout(tf.data.Dataset.from_tensor_slices((source_x, source_y))).make_initializable_iterator()
            x, y = iterator.get_next()
            train = softmax_step(tf, x, y)
            with tf.Session() as sess:
                sess.run([tf.global_variables_initializer(), iterator.initializer],
                         {source_x: data_x, source_y: data_y})
                result[name] = median_seconds(lambda: sess.run(train), STEPS, warmup=5)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, PIXELS])
        y = tf.placeholder(tf.int32, [None])
        train = softmax_step(tf, x, y)
        order = np.random.default_rng(1).permutation(RECORDS)
        position = [0]

        def step():
            start = position[0]
            position[0] = (start + BATCH) % (RECORDS - BATCH)
            batch = order[start:start + BATCH]
            sess.run(train, {x: data_x[batch] * 2.0 - 1.0, y: data_y[batch]})
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            result["train_feed_dict_s"] = median_seconds(step, STEPS, warmup=5)
    return result


def bench(tf, use_decode):
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "records.tfrecord")
        images, labels = write_records(path)
        report = {"decode": use_decode, **bench_pipeline(tf, path, use_decode)}
        report.update(bench_training(tf, path, images, labels, use_decode))
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tf", action="store_true", help="time TensorFlow only (run under TF's python)")
    parser.add_argument("--no-decode", action="store_true", help="pass records on undecoded")
    parser.add_argument("--tf-python", help="also run this interpreter with --tf and report ratios")
    args = parser.parse_args()
    report = {"workload": {"records": RECORDS, "record_bytes": PIXELS + 1, "batch": BATCH, "shuffle_buffer": BUFFER,
                           "pipeline_runs": RUNS, "train_steps": STEPS, "statistic": "median"}}
    if args.tf:
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        report["tensorflow"] = bench(tf, not args.no_decode)
        print(json.dumps(report, indent=1))
        return
    import minitf as tf
    use_decode = hasattr(tf, "decode_raw") and not args.no_decode
    started = time.perf_counter()
    report["minitf"] = bench(tf, use_decode)
    report["minitf"]["total_s"] = time.perf_counter() - started
    if args.tf_python:
        tf_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # TF's interpreter has its own
        command = [args.tf_python, os.path.abspath(__file__), "--tf"] + ([] if use_decode else ["--no-decode"])
        output = subprocess.run(command, check=True, capture_output=True, text=True, env=tf_env).stdout
        report["tensorflow"] = json.loads(output)["tensorflow"]
        mine, theirs = report["minitf"], report["tensorflow"]
        report["ratios"] = {"throughput_vs_tensorflow": mine["pipeline_records_per_s"] /
                            theirs["pipeline_records_per_s"],
                            "pipeline_step_vs_tensorflow": mine["train_pipeline_s"] / theirs["train_pipeline_s"],
                            "pipeline_map_per_element_step_vs_tensorflow": mine["train_pipeline_map_per_element_s"] /
                            theirs["train_pipeline_map_per_element_s"],
                            "feed_dict_step_vs_tensorflow": mine["train_feed_dict_s"] / theirs["train_feed_dict_s"]}
    for name, figures in list(report.items()):
        if "train_pipeline_s" in figures:
            figures["pipeline_step_vs_feed_dict"] = figures["train_pipeline_s"] / figures["train_feed_dict_s"]
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
