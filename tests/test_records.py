"""TFRecord files through ``tf.python_io``, compared with files and errors recorded from TensorFlow.

tests/golden/make_records.py wrote the fixtures (tests/fixtures/records/) and records.json with TensorFlow;
TensorFlow reading minitf's files is checked by tests/golden/check_records_with_tf.py.
"""

import base64
import json
import os
import subprocess
import sys

import pytest
from google.protobuf import text_format

import minitf as tf
from minitf.framework import errors
from minitf.io import tfrecord

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures", "records")
GOLDEN = json.load(open(os.path.join(HERE, "golden", "records.json")))
W = tf.python_io


def _records():
    """The fixture's records, as TensorFlow serialized them (map entries in its order)."""
    return [base64.b64decode(data) for _, _, data in GOLDEN["records"]]


@pytest.mark.parametrize("name", sorted(GOLDEN["files"]))
def test_reads_the_files_tensorflow_wrote(name):
    compression = GOLDEN["files"][name]
    read = list(W.tf_record_iterator(os.path.join(FIXTURES, name), options=compression or None))
    assert read == _records()
    for (kind, text, _), record in zip(GOLDEN["records"], read):
        assert text_format.MessageToString(getattr(tf.train, kind).FromString(record), as_utf8=False) == text


@pytest.mark.parametrize("name", sorted(GOLDEN["files"]))
def test_writes_the_bytes_tensorflow_writes(tmp_path, name):
    compression = GOLDEN["files"][name]
    path = str(tmp_path / name)
    with W.TFRecordWriter(path, options=W.TFRecordOptions(compression or None)) as writer:
        for record in _records():
            writer.write(record)
    assert open(path, "rb").read() == open(os.path.join(FIXTURES, name), "rb").read()


def test_options_and_compression_types():
    assert [W.TFRecordCompressionType.NONE, W.TFRecordCompressionType.ZLIB,
            W.TFRecordCompressionType.GZIP] == GOLDEN["constants"]
    options = {"None": None, "''": "", "'ZLIB'": "ZLIB", "'GZIP'": "GZIP",
               "TFRecordOptions('ZLIB')": W.TFRecordOptions("ZLIB"),
               "TFRecordOptions(NONE)": W.TFRecordOptions(W.TFRecordCompressionType.NONE),
               "TFRecordOptions(GZIP)": W.TFRecordOptions(W.TFRecordCompressionType.GZIP)}
    for label, expected in GOLDEN["compression_strings"].items():
        assert W.TFRecordOptions.get_compression_type_string(options[label]) == expected, label
    assert W.TFRecordOptions("GZIP").compression_type == W.TFRecordCompressionType.GZIP


def _assert_error(call, golden, path=None):
    kind, message = golden
    with pytest.raises(getattr(errors, kind, None) or getattr(__builtins__, kind, ValueError)) as info:
        call()
    text = str(info.value)
    if path is None:
        assert text == message
    else:  # TensorFlow's message, then the file it is about
        assert text == f"{message}, in {path}"


@pytest.mark.parametrize("case", ["second_record_data", "first_length", "second_length_crc"])
def test_damaged_record_is_data_loss_naming_offset_and_file(tmp_path, case):
    golden = GOLDEN["errors"][case]
    data = bytearray(open(os.path.join(FIXTURES, "examples.tfrecord"), "rb").read())
    data[golden["offset"]] ^= 0x40
    path = str(tmp_path / case)
    open(path, "wb").write(bytes(data))
    iterator = W.tf_record_iterator(path)
    assert len([next(iterator) for _ in range(golden["before"])]) == golden["before"]
    _assert_error(lambda: next(iterator), golden["error"], path)


@pytest.mark.parametrize("case", ["cut_in_data", "cut_in_header", "cut_at_record"])
def test_truncated_files(tmp_path, case):
    golden = GOLDEN["errors"][case]
    path = str(tmp_path / case)
    open(path, "wb").write(open(os.path.join(FIXTURES, "examples.tfrecord"), "rb").read()[:golden["cut"]])
    iterator = W.tf_record_iterator(path)
    assert len([next(iterator) for _ in range(golden["before"])]) == golden["before"]
    if golden["error"] is None:
        assert list(iterator) == []
    else:
        _assert_error(lambda: next(iterator), golden["error"], path)
    # The summary iterator reads an event file still being written up to its last complete record.
    assert len(list(tfrecord.tf_record_iterator(path, truncated_ok=True))) == golden["before"]


def test_wrong_compression_and_missing_files(tmp_path):
    for case, name, options in [("plain_read_as_gzip", "examples.tfrecord", "GZIP"),
                                ("gzip_read_as_zlib", "examples.gzip.tfrecord", "ZLIB")]:
        _assert_error(lambda: list(W.tf_record_iterator(os.path.join(FIXTURES, name), options=options)),
                      GOLDEN["errors"][case]["error"])
    kind, message = GOLDEN["errors"]["missing"]["error"]
    missing = str(tmp_path / "nope")
    _assert_error(lambda: list(W.tf_record_iterator(missing)), [kind, f"{missing}; No such file or directory"])
    assert message.endswith("/nope; No such file or directory")
    kind, message = GOLDEN["errors"]["writer_missing_dir"]["error"]
    target = str(tmp_path / "a" / "b")
    _assert_error(lambda: W.TFRecordWriter(target), [kind, f"{target}; No such file or directory"])
    _assert_error(lambda: W.TFRecordOptions("BZIP2"), GOLDEN["errors"]["bad_type"]["error"])
    writer = W.TFRecordWriter(str(tmp_path / "closed"))
    writer.close()
    _assert_error(lambda: writer.write(b"x"), GOLDEN["errors"]["write_after_close"]["error"])


@pytest.mark.parametrize("compression", ["ZLIB", "GZIP"])
def test_flushed_compressed_records_are_readable_before_close(tmp_path, compression):
    path = str(tmp_path / "f")
    writer = W.TFRecordWriter(path, options=compression)
    writer.write(b"one")
    writer.write(b"two" * 1000)
    writer.flush()
    assert list(W.tf_record_iterator(path, options=compression, truncated_ok=True)) == [b"one", b"two" * 1000]
    writer.write(b"three")
    writer.close()
    assert list(W.tf_record_iterator(path, options=compression)) == [b"one", b"two" * 1000, b"three"]


def test_example_protos_are_loaded_on_first_use():
    code = ("import sys, minitf as tf; assert 'minitf.proto.example_pb2' not in sys.modules; "
            "e = tf.train.Example(); e.features.feature['x'].float_list.value.append(1.5); "
            "print(tf.train.SequenceExample.__module__, e.SerializeToString().hex())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": os.path.dirname(HERE)}).stdout.split()
    assert out == ["minitf.proto.example_pb2", "0a0f0a0d0a0178120812060a040000c03f"]


def test_read_records_gives_each_records_offset_in_the_uncompressed_stream():
    for name, compression in GOLDEN["files"].items():
        records = list(tfrecord.read_records(os.path.join(FIXTURES, name), compression))
        assert [r for _, r in records] == _records()
        starts = [0]
        for record in _records()[:-1]:
            starts.append(starts[-1] + 16 + len(record))
        assert [offset for offset, _ in records] == starts
