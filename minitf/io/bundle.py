"""TensorFlow's V2 checkpoint format (the "tensor bundle"), both directions.

A checkpoint with prefix ``p`` is two files (TensorFlow's ``util/tensor_bundle/tensor_bundle.cc``):

- ``p.data-00000-of-00001``: the tensors' bytes, one after another in key order, without padding.
  Numeric and bool tensors are their little-endian C-order bytes. A string tensor is the varint64 length of
  every element, the masked CRC32C of those lengths (each as u32 LE, or u64 when over 2**32 - 1), then the
  element bytes.
- ``p.index``: an SSTable (see ``sstable.py``) mapping ``""`` to a BundleHeaderProto and each tensor name to a
  BundleEntryProto (dtype, shape, shard, offset, size, masked CRC32C of the bytes as stored; for strings the
  CRC runs over the u32/u64 lengths, the stored length checksum and the element bytes).

The writer produces the same bytes as TensorFlow's ``BundleWriter`` and replaces files atomically. The reader
treats files as untrusted: it checks every checksum, allocates nothing larger than the bytes that back it, and
opens only the checkpoint's own data files.
"""

import math
import os
import random
import struct

import numpy as np

from minitf.framework import dtypes, errors
from minitf.io import sstable
from minitf.io.crc32c import crc32c, mask_crc32c, masked_crc32c, unmask_crc32c

TENSOR_BUNDLE_VERSION = 1  # kTensorBundleVersion: the producer version written, the consumer version read
TENSOR_BUNDLE_MIN_PRODUCER = 0
MAX_DIMENSIONS = 254  # TensorShape::kMaxDimensions
_MAX_INT64 = 2**63 - 1
_MAX_UINT32 = 2**32 - 1
_BIG_ENDIAN = 1  # BundleHeaderProto.BIG; the protobuf modules load when a bundle is read or written

# The DataType numbers of TensorFlow 2.21 (types.proto: DT_FLOAT = 1 ... DT_FLOAT4_E2M1FN = 33). Those missing
# from _NUMPY_DATA_TYPES (quantized, bfloat16, resource, variant, float8, 4- and 2-bit types) are listed by the
# reader but not restored.
_KNOWN_DATA_TYPES = frozenset(range(1, 34))
_NUMPY_DATA_TYPES = {
    d.as_datatype_enum: d for d in (
        dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64,
        dtypes.uint8, dtypes.uint16, dtypes.uint32, dtypes.uint64, dtypes.bool, dtypes.complex64,
        dtypes.complex128, dtypes.string)
}


def data_filename(prefix, shard_id=0, num_shards=1):
    """``prefix.data-0000K-of-0000N`` (TensorFlow's ``DataFilename``)."""
    return "%s.data-%05d-of-%05d" % (prefix, shard_id, num_shards)


def index_filename(prefix):
    """``prefix.index`` (TensorFlow's ``MetaFilename``)."""
    return "%s.index" % prefix


def _data_loss(message):
    return errors.DataLossError(None, None, message)


def _os_error(error, path):
    """Converts an OSError raised while opening ``path`` into TensorFlow's error class for it."""
    message = "%s; %s" % (path, error.strerror or error)
    if isinstance(error, (FileNotFoundError, NotADirectoryError)):
        return errors.NotFoundError(None, None, message)
    if isinstance(error, PermissionError):
        return errors.PermissionDeniedError(None, None, message)
    return errors.UnknownError(None, None, message)


# ----------------------------------------------------------------------------------------------------------
# Writing


def _u32_or_u64(lengths):
    """The element lengths as TensorFlow checksums them: u32 LE each, or u64 LE for a length over 2**32 - 1."""
    if all(length <= _MAX_UINT32 for length in lengths):
        return np.asarray(lengths, dtype="<u4").tobytes()
    return b"".join(struct.pack("<I" if n <= _MAX_UINT32 else "<Q", n) for n in lengths)


def _string_payload(elements):
    """Returns (stored bytes, masked entry CRC) of a string tensor given its elements as bytes."""
    varints = bytearray()
    for element in elements:
        sstable.put_varint(varints, len(element))
    lengths_crc = crc32c(_u32_or_u64([len(e) for e in elements]))
    length_checksum = struct.pack("<I", mask_crc32c(lengths_crc))
    content = b"".join(elements)
    entry_crc = crc32c(content, crc32c(length_checksum, lengths_crc))
    return bytes(varints) + length_checksum + content, mask_crc32c(entry_crc)


def _as_bytes_element(name, element):
    if isinstance(element, bytes):
        return element
    if isinstance(element, str):
        return element.encode("utf-8")
    if isinstance(element, (bytearray, memoryview, np.bytes_)):
        return bytes(element)
    raise errors.InvalidArgumentError(
        None, None, "Tensor %s: string tensors hold bytes or str, got %s" % (name, type(element).__name__))


def _prepare(name, value):
    """Returns (DataType enum, shape, payload, masked CRC) of one tensor; payload is bytes or a 1-D uint8 array."""
    array = np.asarray(value)
    if array.dtype.kind in "OSU":
        elements = [_as_bytes_element(name, e) for e in array.reshape(-1).tolist()]
        payload, crc = _string_payload(elements)
        return dtypes.string.as_datatype_enum, array.shape, payload, crc
    try:
        dtype = dtypes.as_dtype(array.dtype.newbyteorder("="))
    except TypeError:
        dtype = None
    if dtype is None or dtype.as_datatype_enum not in _NUMPY_DATA_TYPES:
        raise errors.InvalidArgumentError(
            None, None, "Tensor %s: cannot save numpy dtype %s in a checkpoint" % (name, array.dtype))
    payload = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<")).reshape(-1).view(np.uint8)
    return dtype.as_datatype_enum, array.shape, payload, masked_crc32c(payload)


def _header_bytes():
    from minitf.proto import tensor_bundle_pb2
    header = tensor_bundle_pb2.BundleHeaderProto(num_shards=1, endianness=tensor_bundle_pb2.BundleHeaderProto.LITTLE)
    header.version.producer = TENSOR_BUNDLE_VERSION
    return header.SerializeToString(deterministic=True)


def _entry_bytes(dtype_enum, shape, offset, size, crc):
    from minitf.proto import tensor_bundle_pb2
    entry = tensor_bundle_pb2.BundleEntryProto(dtype=dtype_enum, shard_id=0, offset=offset, size=size, crc32c=crc)
    entry.shape.SetInParent()
    for dim in shape:
        entry.shape.dim.add(size=dim)
    return entry.SerializeToString(deterministic=True)


def _temp_name(final_path):
    """TensorFlow's name for a file being written: ``final_path.tempstate<random u64>``."""
    return "%s.tempstate%d" % (final_path, random.SystemRandom().getrandbits(64))


def _write_temp_file(final_path, write_contents):
    """Writes a new temporary file beside ``final_path`` with ``write_contents(file)``, fsynced; returns its path."""
    temp_path = _temp_name(final_path)
    try:
        fd = os.open(temp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as error:
        raise _os_error(error, temp_path) from None
    try:
        with os.fdopen(fd, "wb") as out:
            write_contents(out)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        os.remove(temp_path)
        raise
    return temp_path


def _link_aside(path):
    """Gives an existing file at ``path`` a second (temporary) name and returns it, or None if there is no file.

    While the old file keeps a name, replacing ``path`` does not free its blocks. Freeing the blocks of a large
    file takes milliseconds, and doing it later keeps the two renames of a save microseconds apart.
    """
    aside = _temp_name(path)
    try:
        os.link(path, aside)
    except OSError:  # no previous file, or a file system without hard links
        return None
    return aside


def _fsync_directory(directory):
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_directory(directory):
    """Creates ``directory`` if it is missing, but not its parents, as TensorFlow's writers call ``CreateDir``
    (NotFoundError ``<directory>; No such file or directory`` when its parent is missing)."""
    try:
        os.mkdir(directory)
    except FileExistsError:
        pass
    except OSError as error:
        raise _os_error(error, directory) from None


def write_bundle(prefix, tensors):
    """Saves ``tensors`` (a mapping of tensor name to array-like) as the checkpoint ``prefix``.

    Writes ``prefix.data-00000-of-00001`` and ``prefix.index`` byte for byte as TensorFlow's ``SaveV2`` does
    for key-sorted input. Both files are first written in full to temporary files beside their final names and
    fsynced; then the data file and then the index are renamed into place, back to back, and the directory is
    fsynced. A crash therefore never leaves a partly written file under a final name. Two files cannot be
    replaced in one atomic step: a crash in the microseconds between the two renames leaves the new data file
    beside the old index, which the reader reports as ``DataLossError`` (the new index is then complete in its
    temporary file). A crash can also leave ``*.tempstate*`` files behind, as TensorFlow's writer does.
    """
    _check_names(tensors)
    names = sorted(tensors)  # code point order, which is the byte order of the UTF-8 keys
    _write_files(os.fspath(prefix), [(name.encode("utf-8"), _prepare(name, tensors[name])) for name in names], {})


def write_sliced_bundle(prefix, items):
    """Saves ``items``, (name, slice, array) triples in the order ``SaveV2`` gets them, as the checkpoint ``prefix``.

    ``slice`` is None for a whole tensor, else (full shape, extents) (see ``tensor_slices``): the array is then
    stored under its slice key and listed in the full tensor's entry, as TensorFlow's ``BundleWriter::AddSlice``.
    The data file holds the tensors in the given order.
    """
    from minitf.io import tensor_slices
    from minitf.proto import tensor_bundle_pb2
    _check_names(dict.fromkeys(name for name, _, _ in items))
    adds, full_entries, taken = [], {}, set()
    for name, sliced, value in items:
        prepared = _prepare(name, value)
        key = name.encode("utf-8")
        if key in taken or sliced is None and key in full_entries:
            raise errors.InvalidArgumentError(None, None, "Adding duplicate key: %s" % name)
        if sliced is not None:
            full_shape, extents = sliced
            entry = full_entries.setdefault(name.encode("utf-8"), tensor_bundle_pb2.BundleEntryProto())
            entry.dtype = prepared[0]
            entry.shape.Clear()
            for dim in full_shape:
                entry.shape.dim.add(size=dim)
            tensor_slices.to_proto(extents, entry.slices.add())
            key = tensor_slices.encode_tensor_name_slice(name, extents)
            if key in taken:
                raise errors.InvalidArgumentError(None, None, "Adding duplicate key: %s" % name)
        taken.add(key)
        adds.append((key, prepared))
    _write_files(os.fspath(prefix), adds, full_entries)


def _check_names(names):
    for name in names:
        if not isinstance(name, str) or not name:
            raise errors.InvalidArgumentError(
                None, None, "Tensor names must be non-empty strings (\"\" holds the header), got %r" % (name,))


def _write_files(prefix, adds, full_entries):
    """Writes the data file (the ``adds``' payloads in order) and the index (their entries and ``full_entries``,
    the entries of sliced tensors, by key)."""
    entries = {}
    offset = 0
    for key, (dtype_enum, shape, payload, crc) in adds:
        entries[key] = _entry_bytes(dtype_enum, shape, offset, len(payload), crc)
        offset += len(payload)
    entries.update((key, entry.SerializeToString(deterministic=True)) for key, entry in full_entries.items())
    entries = [(b"", _header_bytes())] + sorted(entries.items())

    def write_data(out):
        for _, (_, _, payload, _) in adds:
            out.write(payload)

    directory = os.path.dirname(prefix) or "."
    make_directory(directory)
    data_path, index_path = data_filename(prefix), index_filename(prefix)
    data_temp = _write_temp_file(data_path, write_data)
    try:
        index_temp = _write_temp_file(index_path, lambda out: sstable.write_table(out, entries))
    except BaseException:
        os.remove(data_temp)
        raise
    old_data = _link_aside(data_path)
    os.replace(data_temp, data_path)
    os.replace(index_temp, index_path)
    if old_data is not None:
        os.remove(old_data)
    _fsync_directory(directory)


# ----------------------------------------------------------------------------------------------------------
# Reading


def _check_versions(version):
    """TensorFlow's ``CheckVersions`` for the bundle format."""
    if version.producer < TENSOR_BUNDLE_MIN_PRODUCER:
        raise errors.InvalidArgumentError(
            None, None, "Checkpoint producer version %d below min producer %d supported by minitf.  Please "
            "regenerate your checkpoint." % (version.producer, TENSOR_BUNDLE_MIN_PRODUCER))
    if version.min_consumer > TENSOR_BUNDLE_VERSION:
        raise errors.InvalidArgumentError(
            None, None, "Checkpoint min consumer version %d above current version %d for minitf.  Please upgrade "
            "minitf." % (version.min_consumer, TENSOR_BUNDLE_VERSION))
    if TENSOR_BUNDLE_VERSION in version.bad_consumers:
        raise errors.InvalidArgumentError(
            None, None, "Checkpoint disallows consumer version %d." % TENSOR_BUNDLE_VERSION)


def _valid_shape(shape_proto):
    """The dims of a TensorShapeProto, or None where TensorFlow's ``TensorShape::IsValid`` rejects it."""
    if shape_proto.unknown_rank or len(shape_proto.dim) > MAX_DIMENSIONS:
        return None
    dims = [dim.size for dim in shape_proto.dim]
    num_elements = 1
    for size in dims:
        if size < 0:
            return None
        num_elements *= size
        if num_elements > _MAX_INT64:
            return None
    return dims


class BundleReader:
    """Reads the checkpoint with prefix ``prefix`` (what ``tf.train.load_checkpoint`` returns for a V2 checkpoint).

    The index is read and checked when the reader is made; each ``get_tensor`` reads and checks one tensor.
    Missing files raise ``NotFoundError``; damaged files raise ``DataLossError``.
    """

    def __init__(self, prefix):
        self._prefix = os.fspath(prefix)
        index_path = index_filename(self._prefix)
        try:
            with open(index_path, "rb") as index_file:
                table = sstable.TableReader(index_file.read())
        except FileNotFoundError:
            raise errors.NotFoundError(
                None, None, "Unsuccessful TensorSliceReader constructor: Failed to find any matching files for "
                + self._prefix) from None
        except OSError as error:
            raise _os_error(error, index_path) from None
        items = iter(table)
        header_key, header_bytes = next(items, (None, None))
        if header_key != b"":
            raise _data_loss("Unable to read file (%s): failed to seek to header entry" % index_path)
        from google.protobuf.message import DecodeError
        from minitf.proto import tensor_bundle_pb2
        try:
            header = tensor_bundle_pb2.BundleHeaderProto.FromString(header_bytes)
        except DecodeError:
            raise _data_loss("Unable to read file (%s): unable to parse header" % index_path) from None
        if header.num_shards < 1:
            raise _data_loss("Unable to read file (%s): bad number of shards %d" % (index_path, header.num_shards))
        if header.endianness == _BIG_ENDIAN:
            raise errors.UnimplementedError(None, None, "Big-endian checkpoint %s is not supported" % self._prefix)
        _check_versions(header.version)
        self._num_shards = header.num_shards
        entries = {key: self._parse_entry(key, value) for key, value in items}
        # The data of a partitioned tensor's slices sits under binary keys, listed by the full tensor's entry.
        from minitf.io import tensor_slices
        slice_keys = {tensor_slices.encode_tensor_name_slice(key.decode("utf-8", "replace"),
                                                             _valid_slice(key, proto, dims))
                      for key, (entry, dims) in entries.items() for proto in entry.slices}
        self._slices = {key: entries.pop(key) for key in slice_keys if key in entries}
        self._entries = {self._parse_name(key): entry for key, entry in entries.items()}

    @staticmethod
    def _parse_name(key):
        try:
            return key.decode("utf-8")
        except UnicodeDecodeError:
            raise _data_loss("Tensor name %r is not valid UTF-8" % key) from None

    def _parse_entry(self, key, value):
        """Parses and checks one BundleEntryProto; returns (entry, dims)."""
        from google.protobuf.message import DecodeError
        from minitf.proto import tensor_bundle_pb2
        try:
            entry = tensor_bundle_pb2.BundleEntryProto.FromString(value)
        except DecodeError:
            raise _data_loss("Entry for key %s not parseable." % key.decode("utf-8", "replace")) from None
        dims = _valid_shape(entry.shape)
        if dims is None:
            raise _data_loss("Invalid tensor shape: %s" % key.decode("utf-8", "replace"))
        if entry.dtype not in _KNOWN_DATA_TYPES:
            raise _data_loss("Invalid dtype %d for key %s" % (entry.dtype, key.decode("utf-8", "replace")))
        if not 0 <= entry.shard_id < self._num_shards or entry.offset < 0 or entry.size < 0:
            raise _data_loss("Invalid shard, offset or size in bundle entry for key %s"
                             % key.decode("utf-8", "replace"))
        return entry, dims

    def _lookup(self, name):
        try:
            return self._entries[name]
        except (KeyError, TypeError):
            raise errors.NotFoundError(None, None, "Key %s not found in checkpoint" % name) from None

    @staticmethod
    def _dtype(entry):
        try:
            return dtypes.as_dtype(entry.dtype)
        except TypeError:
            raise errors.UnimplementedError(None, None, "DataType %d is not supported by minitf" % entry.dtype) \
                from None

    def keys(self):
        """The tensor names, sorted."""
        return list(self._entries)

    def has_tensor(self, name):
        return name in self._entries

    def dtype_and_shape(self, name):
        """(DType, list of dims) of tensor ``name``."""
        entry, dims = self._lookup(name)
        return self._dtype(entry), list(dims)

    def variable_to_shape_map(self):
        return {name: list(dims) for name, (_, dims) in self._entries.items()}

    def variable_to_dtype_map(self):
        return {name: self._dtype(entry) for name, (entry, _) in self._entries.items()}

    def get_tensor(self, name):
        """Reads tensor ``name``, checking its CRC.

        Like TensorFlow's reader: a numpy array (an object array of bytes for strings), and for a 0-d tensor a
        numpy scalar (``bytes`` for a string).
        """
        entry, dims = self._lookup(name)
        if len(entry.slices):
            from minitf.io import tensor_slices
            return self.get_slice(name, [(0, tensor_slices.FULL_EXTENT)] * len(dims))
        return self._read(name, entry, dims)

    def get_slice(self, name, extents):
        """The slice ``extents`` (see ``tensor_slices``) of tensor ``name``, which is stored whole or as slices
        (TensorFlow's ``BundleReader::LookupSlice``): each stored slice that overlaps it is read and copied in."""
        from minitf.io import tensor_slices
        entry, dims = self._lookup(name)
        if not len(entry.slices):
            whole = np.asarray(self._read(name, entry, dims))
            return whole[tensor_slices.index(extents, dims)]
        pieces = {}  # slice key -> (common extents, stored extents, values): read before the result is allocated
        for proto in entry.slices:
            stored = tensor_slices.from_proto(proto)
            common = tensor_slices.intersect(stored, extents, dims)
            key = tensor_slices.encode_tensor_name_slice(name, stored)
            if common is None or key in pieces:
                continue
            if key not in self._slices:
                raise _data_loss("Tensor %s: the data of slice %s is missing" % (name, _slice_text(stored)))
            pieces[key] = common, stored, np.asarray(self._read(name, *self._slices[key]))
        shape = tensor_slices.slice_shape(extents, dims)
        if sum(math.prod(n for _, n in common) for common, _, _ in pieces.values()) != math.prod(shape):
            raise errors.NotFoundError(None, None, "Does not have sufficient slices for partitioned tensor %s to "
                                       "restore in slice_spec: %s" % (name, _slice_text(extents)))
        result = np.empty(shape, dtype=_NUMPY_DATA_TYPES[entry.dtype].as_numpy_dtype)
        for common, stored, values in pieces.values():
            result[_relative(common, extents)] = values[_relative(common, stored)]
        return result

    def _read(self, name, entry, dims):
        """The tensor of one entry that holds data (a whole tensor or one slice)."""
        dtype = _NUMPY_DATA_TYPES.get(entry.dtype)
        if dtype is None:
            raise errors.UnimplementedError(
                None, None, "Cannot restore tensor %s of DataType %d as a numpy array" % (name, entry.dtype))
        num_elements = math.prod(dims)
        if dtype == dtypes.string:
            if entry.size < num_elements:  # every element takes at least its one-byte length
                raise _data_loss("Invalid size in bundle entry: key %s; stored size %d; expected size is at least %d"
                                 % (name, entry.size, num_elements))
        else:
            expected = num_elements * np.dtype(dtype.as_numpy_dtype).itemsize
            if entry.size != expected:
                raise _data_loss("Invalid size in bundle entry: key %s; stored size %d; expected size %d"
                                 % (name, entry.size, expected))
        stored = self._read_stored_bytes(name, entry)
        if dtype == dtypes.string:
            values = self._decode_strings(name, entry, stored, num_elements).reshape(dims)
        else:
            if crc32c(stored) != unmask_crc32c(entry.crc32c):
                raise self._checksum_error(entry)
            values = stored.view(np.dtype(dtype.as_numpy_dtype).newbyteorder("<")).reshape(dims)
            if dtype == dtypes.bool:
                values = values != 0  # a stored byte other than 0 or 1 still yields a proper numpy bool
            values = values.astype(values.dtype.newbyteorder("="), copy=False)
        return values if dims else values[()]

    def _read_stored_bytes(self, name, entry):
        """The ``entry.size`` bytes at ``entry.offset`` of the entry's data file, as a uint8 array."""
        path = data_filename(self._prefix, entry.shard_id, self._num_shards)
        try:
            data_file = open(path, "rb")
        except OSError as error:
            raise _os_error(error, path) from None
        with data_file:
            file_size = os.fstat(data_file.fileno()).st_size
            if entry.offset + entry.size > file_size:
                raise _data_loss("Tensor %s: bytes [%d, %d) lie beyond the end of %s (%d bytes); the file is "
                                 "truncated" % (name, entry.offset, entry.offset + entry.size, path, file_size))
            stored = np.empty(entry.size, dtype=np.uint8)
            data_file.seek(entry.offset)
            if data_file.readinto(stored) != entry.size:
                raise _data_loss("Tensor %s: read less bytes than requested from %s" % (name, path))
        return stored

    def _checksum_error(self, entry):
        return _data_loss("TensorBundle at %s shard %d (%d bytes): Checksum does not match"
                          % (self._prefix, entry.shard_id, entry.size))

    def _decode_strings(self, name, entry, stored, num_elements):
        elements = np.empty(num_elements, dtype=object)
        if entry.size == 0:  # TensorFlow accepts an empty string tensor stored without its length checksum
            return elements
        stored = stored.tobytes()
        lengths = []
        pos = 0
        for _ in range(num_elements):
            length, pos = sstable.get_varint(stored, pos, len(stored), 64)
            lengths.append(length)
        if pos + 4 > len(stored) or sum(lengths) != len(stored) - pos - 4:
            raise _data_loss("Tensor %s: string lengths disagree with the stored size %d" % (name, entry.size))
        lengths_crc = crc32c(_u32_or_u64(lengths))
        (length_checksum,) = struct.unpack_from("<I", stored, pos)
        if unmask_crc32c(length_checksum) != lengths_crc:
            raise _data_loss("Tensor %s: the length checksum does not match" % name)
        if crc32c(stored[pos + 4:], crc32c(stored[pos:pos + 4], lengths_crc)) != unmask_crc32c(entry.crc32c):
            raise self._checksum_error(entry)
        pos += 4
        for i, length in enumerate(lengths):
            elements[i] = stored[pos:pos + length]
            pos += length
        return elements


def _valid_slice(key, proto, dims):
    """The extents of a slice listed by the entry of tensor ``key`` of shape ``dims``, if they lie inside it."""
    from minitf.io import tensor_slices
    extents = tensor_slices.from_proto(proto)
    if len(extents) != len(dims) or any(
            start < 0 or length != tensor_slices.FULL_EXTENT and (length < 0 or start + length > size)
            for (start, length), size in zip(extents, dims)):
        raise _data_loss("Invalid slice in bundle entry for key %s" % key.decode("utf-8", "replace"))
    return extents


def _relative(extents, within):
    """The numpy index of the slice ``extents`` inside the slice ``within`` (both fully specified)."""
    return tuple(slice(start - outer, start - outer + length)
                 for (start, length), (outer, _) in zip(extents, within))


def _slice_text(extents):
    return ":".join("-" if length < 0 else "%d,%d" % (start, length) for start, length in extents)
