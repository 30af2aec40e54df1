"""TFRecord files: each record is ``u64 length | u32 masked CRC32C of the length | data | u32 masked CRC32C of data``
(little endian), with no file header. Event files are TFRecord files of serialized ``Event`` protos.

A file may be compressed as a whole, as one ZLIB or GZIP stream (``TFRecordOptions``); offsets in error messages
count bytes of the uncompressed stream, as TensorFlow's do. ``tf.python_io`` exposes the writer, the iterator and
the options.
"""

import os
import struct
import zlib

from minitf.framework import errors
from minitf.io.crc32c import masked_crc32c

_HEADER = struct.Struct("<QI")
_FOOTER = struct.Struct("<I")
_CHUNK = 256 * 1024  # TensorFlow's default zlib input and output buffer size


class TFRecordCompressionType:
    """``tf.python_io.TFRecordCompressionType``: the compression of a whole TFRecord file."""
    NONE = 0
    ZLIB = 1
    GZIP = 2


_TYPE_STRINGS = {TFRecordCompressionType.NONE: "", TFRecordCompressionType.ZLIB: "ZLIB",
                 TFRecordCompressionType.GZIP: "GZIP"}
_TYPES_BY_STRING = {"": TFRecordCompressionType.NONE, "ZLIB": TFRecordCompressionType.ZLIB,
                    "GZIP": TFRecordCompressionType.GZIP}


class TFRecordOptions:
    """``tf.python_io.TFRecordOptions``: compression type and zlib parameters (None means zlib's defaults, as
    TensorFlow's ``ZlibCompressionOptions``: level -1, window bits 15, memory level 9, default strategy)."""

    compression_type_map = {TFRecordCompressionType.ZLIB: "ZLIB", TFRecordCompressionType.GZIP: "GZIP",
                            TFRecordCompressionType.NONE: ""}

    def __init__(self, compression_type=None, flush_mode=None, input_buffer_size=None, output_buffer_size=None,
                 window_bits=None, compression_level=None, compression_method=None, mem_level=None,
                 compression_strategy=None):
        if isinstance(compression_type, str):
            if compression_type not in _TYPES_BY_STRING:
                raise ValueError(f'Not a valid compression_type: "{compression_type}"')
            compression_type = _TYPES_BY_STRING[compression_type]
        elif compression_type not in (None, *_TYPE_STRINGS):
            raise ValueError(f'Not a valid compression_type: "{compression_type}"')
        self.compression_type = compression_type
        self.flush_mode = flush_mode
        self.input_buffer_size = input_buffer_size
        self.output_buffer_size = output_buffer_size
        self.window_bits = window_bits
        self.compression_level = compression_level
        self.compression_method = compression_method
        self.mem_level = mem_level
        self.compression_strategy = compression_strategy

    @classmethod
    def get_compression_type_string(cls, options):
        """``""``, ``"ZLIB"`` or ``"GZIP"`` for ``options`` (None, a string, or TFRecordOptions)."""
        if not options:
            return ""
        if not isinstance(options, cls):
            options = cls(options)
        return _TYPE_STRINGS[options.compression_type or TFRecordCompressionType.NONE]

    def _window_bits(self):
        bits = zlib.MAX_WBITS if self.window_bits is None else self.window_bits
        return bits + 16 if self.compression_type == TFRecordCompressionType.GZIP else bits

    def _compressor(self):
        return zlib.compressobj(
            zlib.Z_DEFAULT_COMPRESSION if self.compression_level is None else self.compression_level,
            zlib.DEFLATED if self.compression_method is None else self.compression_method,
            self._window_bits(), 9 if self.mem_level is None else self.mem_level,
            zlib.Z_DEFAULT_STRATEGY if self.compression_strategy is None else self.compression_strategy)


def as_options(options):
    """``options`` (None, ``""``/``"ZLIB"``/``"GZIP"``, a compression type or TFRecordOptions) as TFRecordOptions."""
    return options if isinstance(options, TFRecordOptions) else TFRecordOptions(options or None)


def encode_record(data):
    """The framed bytes of one record."""
    length = struct.pack("<Q", len(data))
    return length + _FOOTER.pack(masked_crc32c(length)) + data + _FOOTER.pack(masked_crc32c(data))


def _open(path, mode):
    try:
        return open(path, mode)
    except FileNotFoundError:
        raise errors.NotFoundError(None, None, f"{path}; No such file or directory") from None
    except IsADirectoryError:
        raise errors.FailedPreconditionError(None, None, f"{path}; Is a directory") from None


class TFRecordWriter:
    """``tf.python_io.TFRecordWriter(path, options=None)``: ``write(bytes)``, ``flush()``, ``close()``; also a
    context manager. ``mode="ab"`` appends (the summary writer's reopening)."""

    def __init__(self, path, options=None, mode="wb"):
        options = as_options(options)
        self._file = _open(path, mode)
        compressed = options.compression_type in (TFRecordCompressionType.ZLIB, TFRecordCompressionType.GZIP)
        self._compressor = options._compressor() if compressed else None
        self._closed = False

    def write(self, record):
        if self._closed:
            raise errors.FailedPreconditionError(None, None, "Writer is closed.")
        framed = encode_record(bytes(record))
        self._file.write(self._compressor.compress(framed) if self._compressor else framed)

    def flush(self):
        """Writes everything so far to the file (a compressed stream is flushed to a byte boundary)."""
        if self._closed:
            raise errors.FailedPreconditionError(None, None, "Writer is closed.")
        if self._compressor:
            self._file.write(self._compressor.flush(zlib.Z_SYNC_FLUSH))
        self._file.flush()

    def close(self):
        if self._closed:
            return
        if self._compressor:
            self._file.write(self._compressor.flush())
        self._file.close()
        self._closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class _Inflater:
    """``read(n)`` over a zlib or gzip stream, inflating ``_CHUNK`` compressed bytes at a time."""

    def __init__(self, file, window_bits):
        self._file = file
        self._inflater = zlib.decompressobj(window_bits)
        self._buffer = b""
        self._position = 0  # bytes of _buffer already read: slicing once per chunk, not once per read

    def read(self, n):
        while len(self._buffer) - self._position < n:
            data = self._file.read(_CHUNK)
            if not data:
                break
            try:
                self._buffer = self._buffer[self._position:] + self._inflater.decompress(data)
            except zlib.error as e:  # "Error -3 while decompressing data: incorrect header check"
                code, _, reason = str(e).partition(" while decompressing data: ")
                raise errors.DataLossError(
                    None, None, f"inflate() failed with error {code.replace('Error ', '')}: {reason}") from None
            self._position = 0
        data = self._buffer[self._position:self._position + n]
        self._position += len(data)
        return data


def _data_loss(message, path):
    """TensorFlow's message, followed by the file it is about (TensorFlow's names only the offset)."""
    return errors.DataLossError(None, None, f"{message}, in {path}")


def _records(f, path, size, truncated_ok):
    offset = 0
    while True:
        header = f.read(_HEADER.size)
        if len(header) < _HEADER.size:  # end of file, or a header cut short: TensorFlow ends quietly too
            return
        length, length_crc = _HEADER.unpack(header)
        if masked_crc32c(header[:8]) != length_crc:
            hint = " (Is this even a TFRecord file?)" if offset == 0 else ""
            raise _data_loss(f"corrupted record at {offset}{hint}", path)
        if size is not None and offset + _HEADER.size + length + _FOOTER.size > size:
            data, footer = b"", b""  # cut short; never allocate past the file
        else:
            body = f.read(length + _FOOTER.size)
            data, footer = body[:length], body[length:]
        if len(data) < length or len(footer) < _FOOTER.size:
            if truncated_ok:
                return
            raise _data_loss(f"truncated record at {offset}' failed with Read less bytes than requested", path)
        if masked_crc32c(data) != _FOOTER.unpack(footer)[0]:
            raise _data_loss(f"corrupted record at {offset + _HEADER.size}", path)
        yield offset, data
        offset += _HEADER.size + length + _FOOTER.size


def read_records(path, options=None, truncated_ok=False):
    """Yields ``(offset, record)`` for each record of the TFRecord file ``path``; ``offset`` is where the record
    starts in the (uncompressed) stream, as TensorFlow's TFRecordReader keys records ``"path:offset"``.

    A checksum that does not match raises ``DataLossError`` naming the record's offset and the file; so does a
    record whose data is cut short, unless ``truncated_ok`` (TensorBoard's loader, and minitf's summary iterator,
    read an event file that is still being written up to its last complete record).
    """
    options = as_options(options)
    with _open(path, "rb") as f:
        if options.compression_type in (TFRecordCompressionType.ZLIB, TFRecordCompressionType.GZIP):
            yield from _records(_Inflater(f, options._window_bits()), path, None, truncated_ok)
        else:
            yield from _records(f, path, os.fstat(f.fileno()).st_size, truncated_ok)


def tf_record_iterator(path, options=None, truncated_ok=False):
    """Yields the records of the TFRecord file ``path`` (``tf.python_io.tf_record_iterator``); see
    ``read_records`` for errors and ``truncated_ok``."""
    for _, record in read_records(path, options, truncated_ok):
        yield record
