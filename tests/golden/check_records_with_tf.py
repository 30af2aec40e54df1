"""Checks that TensorFlow reads the TFRecord files minitf writes.

Two steps, each in its own interpreter (minitf never runs beside TensorFlow):

    python3 tests/golden/check_records_with_tf.py write DIR          # minitf writes DIR/*.tfrecord + expected.json
    ~/tfref/bin/python tests/golden/check_records_with_tf.py check DIR  # TensorFlow reads them and compares

minitf writes ``tf.train.Example`` records (every feature kind, empty lists, large values) with no compression,
ZLIB and GZIP, and a file flushed but never closed. ``check`` reads each with ``tf_record_iterator`` and with a
``TFRecordReader`` + ``parse_single_example`` graph, prints one line per file, and exits non-zero on a mismatch.
"""

import json
import os
import sys

FILES = [("plain.tfrecord", ""), ("zlib.tfrecord", "ZLIB"), ("gzip.tfrecord", "GZIP")]


def write(directory):
    import minitf as tf
    os.makedirs(directory, exist_ok=True)
    expected = []
    writers = [tf.python_io.TFRecordWriter(os.path.join(directory, name), options=compression or None)
               for name, compression in FILES]
    for i in range(50):
        example = tf.train.Example(features=tf.train.Features(feature={
            "id": tf.train.Feature(int64_list=tf.train.Int64List(value=[i])),
            "values": tf.train.Feature(float_list=tf.train.FloatList(value=[i * 0.25] * (i % 4))),
            "blob": tf.train.Feature(bytes_list=tf.train.BytesList(value=[bytes([i]) * (i * 37)])),
        }))
        expected.append({"id": i, "values": [i * 0.25] * (i % 4), "blob": (bytes([i]) * (i * 37)).hex()})
        for writer in writers:
            writer.write(example.SerializeToString())
    for writer in writers:
        writer.close()
    unclosed = tf.python_io.TFRecordWriter(os.path.join(directory, "flushed.gzip.tfrecord"), options="GZIP")
    for i in range(3):
        unclosed.write(b"record %d" % i)
    unclosed.flush()  # never closed: TensorFlow must still read the flushed records
    with open(os.path.join(directory, "expected.json"), "w") as f:
        json.dump(expected, f)
    os._exit(0)  # leave the GZIP writer unclosed


def check(directory):
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    expected = json.load(open(os.path.join(directory, "expected.json")))
    failures = 0
    for name, compression in FILES:
        path = os.path.join(directory, name)
        got = []
        for record in tf.python_io.tf_record_iterator(path, options=compression or None):
            example = tf.train.Example.FromString(record)
            feature = example.features.feature
            got.append({"id": feature["id"].int64_list.value[0], "values": list(feature["values"].float_list.value),
                        "blob": feature["blob"].bytes_list.value[0].hex()})
        with tf.Graph().as_default():
            options = tf.python_io.TFRecordOptions(compression or None)
            _, serialized = tf.TFRecordReader(options=options).read(
                tf.train.string_input_producer([path], num_epochs=1, shuffle=False))
            parsed = tf.parse_single_example(serialized, {"id": tf.FixedLenFeature([], tf.int64),
                                                          "values": tf.VarLenFeature(tf.float32)})
            with tf.Session() as sess:
                sess.run(tf.local_variables_initializer())
                coord = tf.train.Coordinator()
                threads = tf.train.start_queue_runners(sess, coord)
                ids = [int(sess.run(parsed)["id"]) for _ in expected]
                coord.request_stop()
                coord.join(threads)
        ok = got == expected and ids == [e["id"] for e in expected]
        failures += not ok
        print(f"{name}: {len(got)} records, {'ok' if ok else 'MISMATCH'}")
    flushed = list(tf.python_io.tf_record_iterator(os.path.join(directory, "flushed.gzip.tfrecord"),
                                                   options="GZIP"))
    ok = flushed == [b"record 0", b"record 1", b"record 2"]
    failures += not ok
    print(f"flushed.gzip.tfrecord (never closed): {'ok' if ok else 'MISMATCH ' + repr(flushed)}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    {"write": write, "check": check}[sys.argv[1]](sys.argv[2])
