"""Readers (``tf.FixedLengthRecordReader``, ``tf.TFRecordReader``, ``tf.TextLineReader``, ``tf.WholeFileReader``,
``tf.IdentityReader``) and the file ops ``tf.read_file``, ``tf.write_file``, ``tf.matching_files``.

A reader is a resource op (``FixedLengthRecordReaderV2``, ...) whose value in a Session is a reader object. Its
``read`` takes work items (file names) from a queue and returns ``(key, value)`` records, as TensorFlow's
``ReaderBase`` does: a new file is dequeued when the current one ends; a file that cannot be opened or read keeps
being the current work, so every later read fails the same way (NotFoundError, DataLossError) until ``reset``.
A fixed-length file whose body is not a whole number of records silently drops the rest, as TensorFlow's reader
does. Keys are ``file:record_index`` (fixed length), ``file:offset`` (TFRecord), ``file:line_number`` (text lines,
counting from 1 and including skipped header lines), ``file`` (whole file) and the work item itself (identity).
"""

import collections
import struct
import threading
import zlib

import numpy as np

from minitf.framework import dtypes, errors, ops, tensor_shape
from minitf.framework.op_def_lib import apply_op, apply_op_1, no_gradient, register
from minitf.io.crc32c import masked_crc32c
from minitf.ops import queue_impl

_SCALAR = tensor_shape.TensorShape([])
_RECORD_HEADER = struct.Struct("<QI")


def _read_bytes(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        raise errors.NotFoundError(None, None, f"{path}; No such file or directory") from None
    except IsADirectoryError:
        raise errors.FailedPreconditionError(None, None, f"{path}; Is a directory") from None


def _decompress(data, encoding):
    if encoding == "GZIP":
        import gzip  # imported when a reader first meets a compressed file
        return gzip.decompress(data)
    if encoding == "ZLIB":
        return zlib.decompress(data)
    return data


def _text(value):
    return value.decode() if isinstance(value, bytes) else value


# -- the reader objects ----------------------------------------------------------------------------------------------

class _Reader:
    """TensorFlow's ReaderBase: records of the current work item, the next item from the queue at its end."""

    def __init__(self):
        self._lock = threading.Lock()
        self.work = None
        self._records = None
        self.produced = 0
        self.completed = 0

    def _open(self, work):
        """The records of work item ``work`` (a file name, as bytes): an iterator of ``(key, value)``."""
        raise NotImplementedError

    def _next_record(self, queue, deadline):
        """The next record, dequeuing work as needed; OutOfRangeError when the queue is closed and empty."""
        while True:
            if self.work is None:
                element = queue.dequeue(deadline)
                self.work = element[0].item()
            if self._records is None:
                self._records = self._open(self.work)
            try:
                record = next(self._records, None)
            except errors.OpError as e:  # a damaged file: every later read fails the same way, as in TensorFlow
                self._records = _failing(e)
                raise
            if record is not None:
                self.produced += 1
                return record
            self.work = self._records = None
            self.completed += 1

    def read(self, queue, deadline):
        with self._lock:
            key, value = self._next_record(queue, deadline)
        return np.array(key, dtype=object), np.array(value, dtype=object)

    def read_up_to(self, queue, num_records, deadline):
        """Up to ``num_records`` records, all from one work item."""
        keys, values = [], []
        with self._lock:
            if num_records > 0:
                key, value = self._next_record(queue, deadline)
                keys.append(key)
                values.append(value)
                work = self.work
                while len(keys) < num_records and self.work is work:
                    try:
                        record = next(self._records, None)
                    except errors.OpError as e:
                        self._records = _failing(e)
                        break
                    if record is None:
                        self.work = self._records = None
                        self.completed += 1
                        break
                    self.produced += 1
                    keys.append(record[0])
                    values.append(record[1])
        return np.array(keys, dtype=object).reshape(-1), np.array(values, dtype=object).reshape(-1)

    def reset(self):
        with self._lock:
            self.work = self._records = None
            self.produced = self.completed = 0


def _failing(error):
    """The records of a file that failed with ``error`` at the current position: the same error again."""
    while True:
        raise error
        yield


class _FixedLengthRecordReader(_Reader):
    def __init__(self, header_bytes, record_bytes, footer_bytes, hop_bytes, encoding):
        super().__init__()
        self.header, self.record, self.footer, self.hop = header_bytes, record_bytes, footer_bytes, hop_bytes
        self.encoding = encoding

    def _open(self, work):
        data = _decompress(_read_bytes(_text(work)), self.encoding)
        return self._records_of(work, data)

    def _records_of(self, work, data):
        limit = len(data) - self.footer
        step = self.hop or self.record
        for index, start in enumerate(range(self.header, max(limit - self.record + 1, self.header), step)):
            yield b"%s:%d" % (work, index), data[start:start + self.record]


class _TextLineReader(_Reader):
    def __init__(self, skip_header_lines):
        super().__init__()
        self.skip = skip_header_lines

    def _open(self, work):
        lines = _read_bytes(_text(work)).split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        return ((b"%s:%d" % (work, number), line[:-1] if line.endswith(b"\r") else line)
                for number, line in enumerate(lines, start=1) if number > self.skip)


class _TFRecordReader(_Reader):
    def __init__(self, compression_type):
        super().__init__()
        self.compression = compression_type

    def _open(self, work):
        data = _decompress(_read_bytes(_text(work)), self.compression)
        return self._records_of(work, data)

    @staticmethod
    def _records_of(work, data):
        offset = 0
        while offset < len(data):
            if offset + _RECORD_HEADER.size > len(data):
                raise _truncated(offset)
            length, length_crc = _RECORD_HEADER.unpack_from(data, offset)
            end = offset + _RECORD_HEADER.size + length + 4
            if masked_crc32c(data[offset:offset + 8]) != length_crc:
                raise errors.DataLossError(None, None, f"corrupted record at {offset}")
            if end > len(data):
                raise _truncated(offset)
            value = data[offset + _RECORD_HEADER.size:end - 4]
            if masked_crc32c(value) != struct.unpack_from("<I", data, end - 4)[0]:  # TF names the data's offset
                raise errors.DataLossError(None, None, f"corrupted record at {offset + _RECORD_HEADER.size}")
            yield b"%s:%d" % (work, offset), value
            offset = end


def _truncated(offset):
    """TensorFlow's message for a record cut short by the end of the file (its odd quote included)."""
    return errors.DataLossError(None, None, f"truncated record at {offset}' failed with Read less bytes than "
                                "requested")


class _WholeFileReader(_Reader):
    def _open(self, work):
        return iter([(work, _read_bytes(_text(work)))])


class _IdentityReader(_Reader):
    def _open(self, work):
        return iter([(work, work)])


# -- the reader ops ----------------------------------------------------------------------------------------------------

def _reader_kernel(make):
    def kernel(op, state):
        def handle():
            def make_named():
                queue_impl.resource_name(op)  # readers take a resource id too, which later queue names show
                return make(op)
            return state.resource(op, make_named)
        return handle
    return kernel


def _attr_text(op, name):
    return _text(op.get_attr(name))


_READERS = {
    "FixedLengthRecordReaderV2": (lambda op: _FixedLengthRecordReader(
        op.get_attr("header_bytes"), op.get_attr("record_bytes"), op.get_attr("footer_bytes"),
        op.get_attr("hop_bytes"), _attr_text(op, "encoding")),
        {"header_bytes": 0, "footer_bytes": 0, "hop_bytes": 0, "encoding": b""}),
    "TextLineReaderV2": (lambda op: _TextLineReader(op.get_attr("skip_header_lines")), {"skip_header_lines": 0}),
    "TFRecordReaderV2": (lambda op: _TFRecordReader(_attr_text(op, "compression_type")), {"compression_type": b""}),
    "WholeFileReaderV2": (lambda op: _WholeFileReader(), {}),
    "IdentityReaderV2": (lambda op: _IdentityReader(), {}),
}
for _type, (_make, _defaults) in _READERS.items():
    register(_type, lambda op: [(dtypes.resource, _SCALAR)], _reader_kernel(_make), stateful=True,
             per_session=True, attr_defaults={"container": b"", "shared_name": b"", **_defaults})
    no_gradient(_type)


def _read_kernel(op, state):
    return lambda reader, queue: reader.read(queue, state.deadline())


def _read_up_to_kernel(op, state):
    def kernel(reader, queue, num_records):
        return reader.read_up_to(queue, int(num_records), state.deadline())
    return kernel


_VECTOR = tensor_shape.TensorShape([None])
register("ReaderReadV2", lambda op: [(dtypes.string, _SCALAR)] * 2, _read_kernel, stateful=True,
         input_names=("reader_handle", "queue_handle"))
register("ReaderReadUpToV2", lambda op: [(dtypes.string, _VECTOR)] * 2, _read_up_to_kernel, stateful=True,
         input_names=("reader_handle", "queue_handle", "num_records"))
register("ReaderNumRecordsProducedV2", lambda op: [(dtypes.int64, _SCALAR)],
         lambda op, state: lambda reader: np.array(reader.produced, np.int64), stateful=True,
         input_names=("reader_handle",))
register("ReaderNumWorkUnitsCompletedV2", lambda op: [(dtypes.int64, _SCALAR)],
         lambda op, state: lambda reader: np.array(reader.completed, np.int64), stateful=True,
         input_names=("reader_handle",))
register("ReaderResetV2", lambda op: [], lambda op, state: lambda reader: reader.reset() or (), stateful=True,
         input_names=("reader_handle",))
for _type in ("ReaderReadV2", "ReaderReadUpToV2", "ReaderNumRecordsProducedV2", "ReaderNumWorkUnitsCompletedV2",
              "ReaderResetV2"):
    no_gradient(_type)


class ReaderBase:
    """Base class for readers: ``read``, ``read_up_to``, counters and ``reset`` over a reader resource handle."""

    def __init__(self, reader_ref, supports_serialize=False):
        self._reader_ref = reader_ref
        self._supports_serialize = supports_serialize

    @property
    def reader_ref(self):
        return self._reader_ref

    @property
    def supports_serialize(self):
        return self._supports_serialize

    @staticmethod
    def _queue_ref(queue):
        return queue if isinstance(queue, ops.Tensor) else queue.queue_ref

    def read(self, queue, name=None):
        """The next ``(key, value)`` record, taking file names from ``queue`` as needed."""
        op = apply_op("ReaderReadV2", [self._reader_ref, self._queue_ref(queue)], None, name)
        return _ReadResult(*op.outputs)

    def read_up_to(self, queue, num_records, name=None):
        """Up to ``num_records`` records from one file: ``(keys, values)`` vectors."""
        with ops.get_default_graph().name_scope(name or "ReaderReadUpToV2") as scope:
            num_records = ops.convert_to_tensor(num_records, dtype=dtypes.int64, name="num_records")
        op = ops.get_default_graph().create_op(
            "ReaderReadUpToV2", [self._reader_ref, self._queue_ref(queue), num_records], None, scope)
        return _ReadUpToResult(*op.outputs)

    def num_records_produced(self, name=None):
        return apply_op_1("ReaderNumRecordsProducedV2", [self._reader_ref], None, name)

    def num_work_units_completed(self, name=None):
        return apply_op_1("ReaderNumWorkUnitsCompletedV2", [self._reader_ref], None, name)

    def reset(self, name=None):
        return apply_op("ReaderResetV2", [self._reader_ref], None, name)


# TensorFlow's result tuples of the read ops (fetching one gives the same named tuple of values).
_ReadResult = collections.namedtuple("ReaderReadV2", ["key", "value"])
_ReadUpToResult = collections.namedtuple("ReaderReadUpToV2", ["keys", "values"])


def _reader_op(op_type, attrs, name):
    attrs = {**attrs, "container": b"", "shared_name": b""}
    return ops.get_default_graph().create_op(op_type, [], attrs, name or op_type)._outputs[0]


def _bytes(value):
    return (value or "").encode() if not isinstance(value, bytes) else value


class FixedLengthRecordReader(ReaderBase):
    """Records of ``record_bytes`` bytes after ``header_bytes``, each ``hop_bytes`` apart (0: back to back)."""

    def __init__(self, record_bytes, header_bytes=None, footer_bytes=None, hop_bytes=None, name=None,
                 encoding=None):
        super().__init__(_reader_op("FixedLengthRecordReaderV2", {
            "header_bytes": header_bytes or 0, "record_bytes": record_bytes, "footer_bytes": footer_bytes or 0,
            "hop_bytes": hop_bytes or 0, "encoding": _bytes(encoding)}, name))


class TextLineReader(ReaderBase):
    """The lines of text files (without the newline), after ``skip_header_lines`` lines of each."""

    def __init__(self, skip_header_lines=None, name=None):
        super().__init__(_reader_op("TextLineReaderV2", {"skip_header_lines": skip_header_lines or 0}, name))


class TFRecordReader(ReaderBase):
    """The records of TFRecord files; ``options`` a TFRecordOptions (or compression name) for GZIP/ZLIB files."""

    def __init__(self, name=None, options=None):
        compression = getattr(options, "compression_type", options)
        compression = {0: "", 1: "ZLIB", 2: "GZIP"}.get(compression, compression)
        super().__init__(_reader_op("TFRecordReaderV2", {"compression_type": _bytes(compression)}, name))


class WholeFileReader(ReaderBase):
    """Each file as one record: the key is the file name, the value its contents."""

    def __init__(self, name=None):
        super().__init__(_reader_op("WholeFileReaderV2", {}, name), supports_serialize=True)


class IdentityReader(ReaderBase):
    """Each work item as one record, as its key and its value."""

    def __init__(self, name=None):
        super().__init__(_reader_op("IdentityReaderV2", {}, name), supports_serialize=True)


# -- files -------------------------------------------------------------------------------------------------------------

def _write_file_kernel(op, state):
    def kernel(filename, contents):
        path = _text(filename.item())
        try:
            with open(path, "wb") as f:
                f.write(contents.item())
        except FileNotFoundError:
            raise errors.NotFoundError(None, None, f"{path}; No such file or directory") from None
        return ()
    return kernel


def _matching_files_kernel(op, state):
    import glob  # imported when a plan first holds MatchingFiles

    def kernel(pattern):
        names = sorted({name for p in np.asarray(pattern).reshape(-1).tolist() for name in glob.glob(_text(p))})
        return np.array([name.encode() for name in names], dtype=object).reshape(-1)
    return kernel


register("ReadFile", lambda op: [(dtypes.string, _SCALAR)],
         lambda op, state: lambda filename: np.array(_read_bytes(_text(filename.item())), dtype=object),
         stateful=True, input_names=("filename",))
register("WriteFile", lambda op: [], _write_file_kernel, stateful=True, input_names=("filename", "contents"))
register("MatchingFiles", lambda op: [(dtypes.string, _VECTOR)], _matching_files_kernel, stateful=True,
         input_names=("pattern",))
for _type in ("ReadFile", "WriteFile", "MatchingFiles"):
    no_gradient(_type)


def read_file(filename, name=None):
    """The contents of the file ``filename``, as a string scalar."""
    return apply_op_1("ReadFile", [filename], None, name)


def write_file(filename, contents, name=None):
    """An op that writes ``contents`` to ``filename``, replacing it."""
    return apply_op("WriteFile", [filename, contents], None, name)


def matching_files(pattern, name=None):
    """The sorted file names matching the glob ``pattern`` (a string or a vector of them)."""
    return apply_op_1("MatchingFiles", [pattern], None, name)
