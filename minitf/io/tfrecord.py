"""TFRecord files: each record is ``u64 length | u32 masked CRC32C of the length | data | u32 masked CRC32C of data``
(little endian), with no file header. Event files are TFRecord files of serialized ``Event`` protos."""

import os
import struct

from minitf.framework import errors
from minitf.io.crc32c import masked_crc32c

_HEADER = struct.Struct("<QI")
_FOOTER = struct.Struct("<I")


def encode_record(data):
    """The framed bytes of one record."""
    length = struct.pack("<Q", len(data))
    return length + _FOOTER.pack(masked_crc32c(length)) + data + _FOOTER.pack(masked_crc32c(data))


class TFRecordWriter:
    """``tf.io.TFRecordWriter(path)``: ``write(bytes)``, ``flush()``, ``close()``; also a context manager."""

    def __init__(self, path, mode="wb"):
        self._file = open(path, mode)

    def write(self, record):
        self._file.write(encode_record(bytes(record)))

    def flush(self):
        self._file.flush()

    def close(self):
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def tf_record_iterator(path):
    """Yields the records of the TFRecord file ``path``.

    A record cut short at the end of the file (a writer still writing, or killed) ends the iteration quietly,
    as TensorBoard's loader treats it; a checksum that does not match raises ``DataLossError``.
    """
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        raise errors.NotFoundError(None, None, f"{path}; No such file or directory") from None
    with f:
        size = os.fstat(f.fileno()).st_size
        offset = 0
        while True:
            header = f.read(_HEADER.size)
            if len(header) < _HEADER.size:
                return
            length, length_crc = _HEADER.unpack(header)
            if masked_crc32c(header[:8]) != length_crc:
                raise errors.DataLossError(None, None, f"corrupted record at {offset} in {path}: length checksum")
            if offset + _HEADER.size + length + _FOOTER.size > size:  # cut short; never allocate past the file
                return
            data = f.read(length)
            footer = f.read(_FOOTER.size)
            if len(data) < length or len(footer) < _FOOTER.size:
                return
            if masked_crc32c(data) != _FOOTER.unpack(footer)[0]:
                raise errors.DataLossError(None, None, f"corrupted record at {offset} in {path}: data checksum")
            offset += _HEADER.size + length + _FOOTER.size
            yield data
