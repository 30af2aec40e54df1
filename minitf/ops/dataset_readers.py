"""File datasets: ``TextLineDataset``, ``TFRecordDataset`` and ``FixedLengthRecordDatasetV2`` ops.

Each reads one file (``tf.data`` reads several by a ``flat_map`` over the file names, as TensorFlow does), with
TensorFlow's compression types ``""``, ``"ZLIB"`` and ``"GZIP"``, and TensorFlow's errors: ``NotFoundError`` for a
missing file, ``DataLossError`` naming the file and offset for a corrupt TFRecord.
"""

import io
import struct
import zlib

import numpy as np

from minitf.framework import errors
from minitf.ops.dataset_ops import Dataset, register_dataset

_LENGTH = struct.Struct("<QI")
_CRC = struct.Struct("<I")


def _text(value):
    value = np.asarray(value).item()
    return value.decode() if isinstance(value, bytes) else str(value)


def _read_file(path, compression):
    """The (decompressed) bytes of ``path``."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise errors.NotFoundError(None, None, f"{path}; No such file or directory") from None
    except IsADirectoryError:
        raise errors.FailedPreconditionError(None, None, f"{path}; Is a directory") from None
    try:
        if compression == "GZIP":
            import gzip  # imported when a dataset first reads a compressed file
            return gzip.GzipFile(fileobj=io.BytesIO(data)).read()
        if compression == "ZLIB":
            return zlib.decompress(data)
    except (OSError, EOFError, zlib.error) as e:
        raise errors.DataLossError(None, None, f"{path}: {compression} decompression failed: {e}") from None
    if compression:
        raise errors.InvalidArgumentError(None, None, f"Unsupported compression_type: {compression}.")
    return data


class _FileDataset(Dataset):
    def __init__(self, path, compression):
        self._path, self._compression = path, compression

    def __iter__(self):
        yield from self._records(_read_file(self._path, self._compression))


class _TextLines(_FileDataset):
    def _records(self, data):
        for line in data.splitlines():
            yield (np.array(line[:-1] if line.endswith(b"\r") else line, dtype=object),)


class _TFRecords(_FileDataset):
    def _records(self, data):
        from minitf.io.crc32c import crc32c, unmask_crc32c  # google_crc32c loads on first use
        offset, size = 0, len(data)
        length_format, crc_format = _LENGTH, _CRC
        while offset < size:
            if offset + 12 > size:
                raise self._truncated(offset)
            length, length_crc = length_format.unpack_from(data, offset)
            if crc32c(data[offset:offset + 8]) != unmask_crc32c(length_crc):
                raise errors.DataLossError(None, None, f"corrupted record at {offset}")
            start = offset + 12
            if start + length + 4 > size:
                raise self._truncated(offset)
            record = data[start:start + length]
            if crc32c(record) != unmask_crc32c(crc_format.unpack_from(data, start + length)[0]):
                raise errors.DataLossError(None, None, f"corrupted record at {offset}")
            offset = start + length + 4
            element = np.empty((), dtype=object)
            element[()] = record
            yield (element,)

    def _truncated(self, offset):
        return errors.DataLossError(None, None, f"truncated record at {offset}' failed with Read less bytes than "
                                    f"requested")


class _FixedLengthRecords(_FileDataset):
    def __init__(self, path, compression, header, record, footer):
        super().__init__(path, compression)
        self._header, self._record, self._footer = header, record, footer

    def _records(self, data):
        end = len(data) - self._footer
        body = end - self._header
        if body % self._record:
            raise errors.InvalidArgumentError(
                None, None, f"Excluding the header ({self._header} bytes) and footer ({self._footer} bytes), input "
                f"file \"{self._path}\" has body length {body} bytes, which is not an exact multiple of the record "
                f"length ({self._record} bytes).")
        for offset in range(self._header, end - self._record + 1, self._record):
            yield (np.array(data[offset:offset + self._record], dtype=object),)


def _files(dataset_class, make_args=lambda rest: ()):
    def make(op, state):
        def kernel(filenames, compression_type, *rest):
            compression = _text(compression_type)
            paths = [p.decode() if isinstance(p, bytes) else str(p) for p in np.asarray(filenames).reshape(-1)]
            datasets = [dataset_class(path, compression, *make_args(rest)) for path in paths]
            return datasets[0] if len(datasets) == 1 else _Files(datasets)
        return kernel
    return make


class _Files(Dataset):
    def __init__(self, datasets):
        self._datasets = datasets

    def __iter__(self):
        for dataset in self._datasets:
            yield from dataset


register_dataset("TextLineDataset", _files(_TextLines), ("filenames", "compression_type", "buffer_size"),
                 stateful=True)
register_dataset("TFRecordDataset", _files(_TFRecords), ("filenames", "compression_type", "buffer_size"),
                 stateful=True)


def _fixed_length_kernel(op, state):
    def kernel(filenames, header_bytes, record_bytes, footer_bytes, buffer_size, compression_type):
        header, record, footer = (int(np.asarray(v).item()) for v in (header_bytes, record_bytes, footer_bytes))
        if record <= 0:
            raise errors.InvalidArgumentError(None, None, "record_bytes must be greater than zero.")
        return _files(_FixedLengthRecords, lambda rest: rest)(op, state)(
            filenames, compression_type, header, record, footer)
    return kernel


register_dataset("FixedLengthRecordDatasetV2", _fixed_length_kernel,
                 ("filenames", "header_bytes", "record_bytes", "footer_bytes", "buffer_size", "compression_type"),
                 stateful=True)
