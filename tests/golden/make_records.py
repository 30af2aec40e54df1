"""Writes the TFRecord fixtures and goldens used by tests/test_records.py.

Run with the reference TensorFlow (never imported by the test suite):

    ~/tfref/bin/python tests/golden/make_records.py

Produces, in tests/fixtures/records/, ``examples.tfrecord``, ``examples.zlib.tfrecord`` and
``examples.gzip.tfrecord``: the same serialized ``tf.train.Example`` / ``SequenceExample`` records written by
``tf.python_io.TFRecordWriter`` with no compression, ZLIB and GZIP; and in tests/golden/records.json each record's
text format and bytes, the compression type strings, and what ``tf_record_iterator`` raises (class and message) for damaged,
truncated, missing and wrongly decompressed files.
"""

import base64
import json
import os
import shutil
import tempfile

import tensorflow.compat.v1 as tf
from google.protobuf import text_format

tf.disable_v2_behavior()

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures", "records")
W = tf.python_io


def examples():
    """A few Examples covering every feature kind, empty lists, UTF-8 keys, and a SequenceExample."""
    records = []
    for i in range(5):
        features = {
            "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[i, -(2 ** 63) + i])),
            "image": tf.train.Feature(bytes_list=tf.train.BytesList(value=[bytes(range(i * 7, i * 7 + 20))])),
            "scores": tf.train.Feature(float_list=tf.train.FloatList(value=[0.5 * i, -1e-30, 3.4e38])),
            "empty": tf.train.Feature(int64_list=tf.train.Int64List()),
            "n\u00e4me": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"", "h\u00e9".encode()] * i)),
        }
        records.append(tf.train.Example(features=tf.train.Features(feature=features)))
    sequence = tf.train.SequenceExample()
    sequence.context.feature["length"].int64_list.value.append(3)
    for t in range(3):
        sequence.feature_lists.feature_list["tokens"].feature.add().int64_list.value.extend([t, t + 1])
    records.append(sequence)
    return records


def error_of(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - recording whatever TensorFlow raises
        return [type(e).__name__, str(e)]
    return None


def main():
    os.makedirs(FIXTURES, exist_ok=True)
    records = examples()
    files = {}
    for name, options in [("examples.tfrecord", None), ("examples.zlib.tfrecord", "ZLIB"),
                          ("examples.gzip.tfrecord", W.TFRecordOptions(W.TFRecordCompressionType.GZIP))]:
        path = os.path.join(FIXTURES, name)
        with W.TFRecordWriter(path, options=options) as writer:
            for record in records:
                writer.write(record.SerializeToString())
        read = list(W.tf_record_iterator(path, options=options))
        assert read == [r.SerializeToString() for r in records]
        files[name] = W.TFRecordOptions.get_compression_type_string(options)
    golden = {
        "files": files,
        "records": [[type(r).__name__, text_format.MessageToString(r, as_utf8=False),
                     base64.b64encode(r.SerializeToString()).decode()] for r in records],
        "compression_strings": {label: W.TFRecordOptions.get_compression_type_string(o) for label, o in [
            ("None", None), ("''", ""), ("'ZLIB'", "ZLIB"), ("'GZIP'", "GZIP"),
            ("TFRecordOptions('ZLIB')", W.TFRecordOptions("ZLIB")),
            ("TFRecordOptions(NONE)", W.TFRecordOptions(W.TFRecordCompressionType.NONE)),
            ("TFRecordOptions(GZIP)", W.TFRecordOptions(W.TFRecordCompressionType.GZIP))]},
        "constants": [W.TFRecordCompressionType.NONE, W.TFRecordCompressionType.ZLIB,
                      W.TFRecordCompressionType.GZIP],
        "errors": {},
    }
    tmp = tempfile.mkdtemp()
    plain = open(os.path.join(FIXTURES, "examples.tfrecord"), "rb").read()
    first = 16 + len(records[0].SerializeToString())
    damage = {
        "second_record_data": first + 12 + 3,  # a byte inside the second record's data
        "first_length": 0,                      # the first length: not a TFRecord file at all?
        "second_length_crc": first + 9,
    }
    errors = golden["errors"]
    for case, offset in damage.items():
        data = bytearray(plain)
        data[offset] ^= 0x40
        path = os.path.join(tmp, case)
        open(path, "wb").write(bytes(data))
        errors[case] = {"offset": offset, "error": error_of(lambda: list(W.tf_record_iterator(path))),
                        "before": len([1 for _ in _prefix(path)])}
    for case, cut in [("cut_in_data", first + 12 + 5), ("cut_in_header", first + 5), ("cut_at_record", first)]:
        path = os.path.join(tmp, case)
        open(path, "wb").write(plain[:cut])
        errors[case] = {"cut": cut, "error": error_of(lambda: list(W.tf_record_iterator(path))),
                        "before": len([1 for _ in _prefix(path)])}
    errors["missing"] = {"error": error_of(lambda: list(W.tf_record_iterator(os.path.join(tmp, "nope"))))}
    errors["plain_read_as_gzip"] = {"error": error_of(
        lambda: list(W.tf_record_iterator(os.path.join(FIXTURES, "examples.tfrecord"), options="GZIP")))}
    errors["gzip_read_as_zlib"] = {"error": error_of(
        lambda: list(W.tf_record_iterator(os.path.join(FIXTURES, "examples.gzip.tfrecord"), options="ZLIB")))}
    errors["bad_type"] = {"error": error_of(lambda: W.TFRecordOptions("BZIP2"))}
    errors["writer_missing_dir"] = {"error": error_of(lambda: W.TFRecordWriter(os.path.join(tmp, "a", "b")))}
    closed = W.TFRecordWriter(os.path.join(tmp, "closed"))
    closed.close()
    errors["write_after_close"] = {"error": error_of(lambda: closed.write(b"x"))}
    shutil.rmtree(tmp)
    with open(os.path.join(HERE, "records.json"), "w") as f:
        json.dump(golden, f, indent=1, sort_keys=True)


def _prefix(path):
    """The records TensorFlow yields before it raises."""
    iterator = W.tf_record_iterator(path)
    while True:
        try:
            yield next(iterator)
        except StopIteration:
            return
        except tf.errors.OpError:
            return


main()
