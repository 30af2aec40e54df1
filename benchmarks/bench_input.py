"""Input-pipeline throughput, minitf against TensorFlow in one run (issue 19), and a training loop fed from a queue
pipeline against the same loop fed with feed_dict from numpy.

    python3 benchmarks/bench_input.py                                   # minitf
    ~/tfref/bin/python benchmarks/bench_input.py --tf                   # TensorFlow alone
    python3 benchmarks/bench_input.py --tf-python ~/tfref/bin/python    # both, alternating, with the ratios

Workloads, the same calls on both sides (``tf.compat.v1`` for TensorFlow), batches of 100:

- ``queue_tfrecord``: 5,000 ``tf.train.Example`` records (a 3,072-byte image, an int64 label) in one TFRecord
  file through string_input_producer -> TFRecordReader -> parse_single_example -> decode_raw and a cast to
  float32 -> shuffle_batch (capacity 2,000, min_after_dequeue 1,000, 2 threads) under queue runners, one epoch;
- ``data_tfrecord``: the same records through TFRecordDataset -> map(the same parsing) -> shuffle(1,000) ->
  batch -> get_next, one epoch;
- ``queue_cifar``: CIFAR-10's binary format (2 files of 2,500 records of a label byte and 3,072 image bytes)
  through FixedLengthRecordReader -> decode_raw -> the label cast and the image reshaped and transposed to
  [32, 32, 3] as the CIFAR-10 tutorial's read_cifar10 does -> shuffle_batch, one epoch;
- ``train_queue_step`` / ``train_feed_dict_step``: a 3072-256-10 MLP training step (batch 100) fed by the
  queue_tfrecord pipeline (num_epochs unbounded), and the same step fed with the decoded images from numpy
  through feed_dict; median of 60 steps after 10 warm-up steps.

Throughputs are records/second over a whole epoch, each in a new graph and Session (start of the queue runners
included). Each framework runs ``--repeat`` times in a fresh process, the two alternating so that both see the
same machine load; reported are the medians. Targets: minitf within 2x of TensorFlow's throughput, and the
queue-fed step no slower than the feed_dict step.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
RECORDS = 5000
IMAGE_BYTES = 3072
CIFAR_FILES = 2
BATCH = 100
STEPS = 60
WARMUP_STEPS = 10


def write_data(directory):
    """The TFRecord file of Examples, the CIFAR-10-format files, and the decoded images and labels."""
    sys.path.insert(0, os.path.dirname(HERE))
    from minitf.io.tfrecord import TFRecordWriter
    from minitf.proto import example_pb2, feature_pb2
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (RECORDS, IMAGE_BYTES), dtype=np.uint8)
    labels = rng.integers(0, 10, RECORDS, dtype=np.uint8)
    tfrecord = os.path.join(directory, "examples.tfrecord")
    with TFRecordWriter(tfrecord) as writer:
        for image, label in zip(images, labels):
            feature = {"image": feature_pb2.Feature(bytes_list=feature_pb2.BytesList(value=[image.tobytes()])),
                       "label": feature_pb2.Feature(int64_list=feature_pb2.Int64List(value=[int(label)]))}
            writer.write(example_pb2.Example(features=feature_pb2.Features(feature=feature)).SerializeToString())
    cifar = []
    records = np.concatenate([labels[:, None], images], axis=1)
    for i, part in enumerate(np.split(records, CIFAR_FILES)):
        cifar.append(os.path.join(directory, f"data_batch_{i + 1}.bin"))
        part.tofile(cifar[-1])
    return tfrecord, cifar, images.astype(np.float32) / 255, labels.astype(np.int32)


def parse(tf, serialized):
    features = tf.parse_single_example(serialized, {"image": tf.FixedLenFeature([], tf.string),
                                                    "label": tf.FixedLenFeature([], tf.int64)})
    image = tf.cast(tf.decode_raw(features["image"], tf.uint8), tf.float32) * (1.0 / 255)
    image.set_shape([IMAGE_BYTES])
    return image, tf.cast(features["label"], tf.int32)


def queue_tfrecord_batch(tf, path, num_epochs):
    filenames = tf.train.string_input_producer([path], num_epochs=num_epochs, seed=1)
    _, serialized = tf.TFRecordReader().read(filenames)
    return tf.train.shuffle_batch(list(parse(tf, serialized)), BATCH, capacity=2000, min_after_dequeue=1000,
                                  num_threads=2, seed=2, allow_smaller_final_batch=True)


def queue_cifar_batch(tf, paths):
    filenames = tf.train.string_input_producer(paths, num_epochs=1, seed=1)
    _, value = tf.FixedLengthRecordReader(IMAGE_BYTES + 1).read(filenames)
    record = tf.decode_raw(value, tf.uint8)
    label = tf.cast(tf.strided_slice(record, [0], [1]), tf.int32)
    label.set_shape([1])
    image = tf.transpose(tf.reshape(tf.strided_slice(record, [1], [IMAGE_BYTES + 1]), [3, 32, 32]), [1, 2, 0])
    return tf.train.shuffle_batch([image, label], BATCH, capacity=2000, min_after_dequeue=1000, num_threads=2,
                                  seed=2, allow_smaller_final_batch=True)


def epoch_records_per_s(tf, build):
    """Builds a one-epoch pipeline in a new graph, drains it in a Session; records per second."""
    with tf.Graph().as_default():
        batch = build()
        start = time.perf_counter()
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess=sess, coord=coord)
            count = 0
            try:
                while True:
                    count += len(sess.run(batch)[0])
            except tf.errors.OutOfRangeError:
                coord.request_stop()
            coord.join(threads)
        seconds = time.perf_counter() - start
    assert count == RECORDS, count
    return RECORDS / seconds


def data_tfrecord_batch(tf, path):
    dataset = tf.data.TFRecordDataset(path).map(lambda record: parse(tf, record)).shuffle(1000, seed=1)
    return dataset.batch(BATCH).make_one_shot_iterator().get_next()


def mlp_step(tf, images, labels):
    def dense(x, units, seed):
        weights = tf.Variable(tf.truncated_normal([int(x.shape[1]), units], stddev=0.01, seed=seed))
        return tf.matmul(x, weights) + tf.Variable(tf.zeros([units]))
    logits = dense(tf.nn.relu(dense(images, 256, 1)), 10, 2)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    return tf.train.GradientDescentOptimizer(0.1).minimize(loss)


def median_step(sess, train, feeds):
    times = []
    for step in range(WARMUP_STEPS + STEPS):
        start = time.perf_counter()
        sess.run(train, feeds(step))
        times.append(time.perf_counter() - start)
    return statistics.median(times[WARMUP_STEPS:])


def train_steps(tf, path, data_x, data_y):
    """The MLP step fed from the queue pipeline, then fed with feed_dict from numpy: median seconds per step."""
    result = {}
    with tf.Graph().as_default():
        images, labels = queue_tfrecord_batch(tf, path, None)
        train = mlp_step(tf, images, labels)
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess=sess, coord=coord)
            result["train_queue_step_s"] = median_step(sess, train, lambda step: None)
            coord.request_stop()
            coord.join(threads)
    with tf.Graph().as_default():
        images = tf.placeholder(tf.float32, [None, IMAGE_BYTES])
        labels = tf.placeholder(tf.int32, [None])
        train = mlp_step(tf, images, labels)
        order = np.random.default_rng(1).permutation(RECORDS)

        def feeds(step):
            batch = order[step * BATCH % (RECORDS - BATCH):][:BATCH]
            return {images: data_x[batch], labels: data_y[batch]}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            result["train_feed_dict_step_s"] = median_step(sess, train, feeds)
    return result


def measure(use_tf):
    """One measurement of every workload in this process."""
    if use_tf:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        tf.logging.set_verbosity(tf.logging.ERROR)
    else:
        sys.path.insert(0, os.path.dirname(HERE))
        import minitf as tf
    with tempfile.TemporaryDirectory() as directory:
        tfrecord, cifar, data_x, data_y = write_data(directory)
        epoch_records_per_s(tf, lambda: queue_tfrecord_batch(tf, tfrecord, 1))  # warm-up: imports, caches
        result = {"queue_tfrecord_records_per_s": epoch_records_per_s(
                      tf, lambda: queue_tfrecord_batch(tf, tfrecord, 1)),
                  "data_tfrecord_records_per_s": epoch_records_per_s(tf, lambda: data_tfrecord_batch(tf, tfrecord)),
                  "queue_cifar_records_per_s": epoch_records_per_s(tf, lambda: queue_cifar_batch(tf, cifar))}
        result.update(train_steps(tf, tfrecord, data_x, data_y))
    result["queue_step_over_feed_dict_step"] = result["train_queue_step_s"] / result["train_feed_dict_step_s"]
    return result


def run(python, flag):
    env = dict(os.environ)
    if flag == "--tf":
        env.pop("PYTHONPATH", None)  # TensorFlow's interpreter has its own
    done = subprocess.run([python, os.path.abspath(__file__), flag], capture_output=True, text=True, check=True,
                          env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def medians(results):
    return {key: round(statistics.median(r[key] for r in results), 5) for key in results[0]}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tf", action="store_true", help="one measurement under TensorFlow")
    parser.add_argument("--once", action="store_true", help="one measurement under minitf")
    parser.add_argument("--tf-python", help="a Python with TensorFlow, to run both side by side")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.tf or args.once:
        print(json.dumps(measure(args.tf)))
        return
    runs = {"minitf": [], "tensorflow": []}
    for _ in range(args.repeat):
        runs["minitf"].append(run(sys.executable, "--once"))
        if args.tf_python:
            runs["tensorflow"].append(run(args.tf_python, "--tf"))
    report = {"workload": {"records": RECORDS, "batch": BATCH, "train_steps": STEPS, "repeat": args.repeat,
                           "statistic": "median"},
              "minitf": medians(runs["minitf"])}
    if args.tf_python:
        report["tensorflow"] = theirs = medians(runs["tensorflow"])
        mine = report["minitf"]
        report["tf_over_minitf_throughput"] = {key: round(theirs[key] / mine[key], 2) for key in mine
                                               if key.endswith("records_per_s")}
        report["minitf_over_tf_step"] = {key: round(mine[key] / theirs[key], 2) for key in mine
                                         if key.endswith("step_s")}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    sys.exit(main())
