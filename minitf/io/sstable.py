"""LevelDB's table format ("SSTable"), as TensorFlow writes a checkpoint's ``.index`` file.

A table is an immutable, sorted map from byte keys to byte values. Layout (TensorFlow's
``lib/io/table_builder.cc``, ``block_builder.cc``, ``format.cc``, with ``kNoCompression``)::

    data block 0 | trailer | data block 1 | trailer | ... | metaindex block | trailer | index block | trailer | footer

- A **block** is a run of entries ``varint32 shared, varint32 non_shared, varint32 value_len, key[shared:],
  value``. Keys are prefix-compressed against the previous key, except at a *restart point* (every 16th entry
  in data blocks, every entry in the index block) where ``shared == 0``. The block ends with the restart
  offsets (u32 LE each) and their count (u32 LE).
- The **trailer** after each block is the compression type byte (0) and the masked CRC32C of the block
  contents followed by that type byte (u32 LE).
- A data block is closed once its estimated size reaches 256 KiB, or before an entry of 512 KiB or more.
- The **metaindex block** is empty. The **index block** has one entry per data block: a key ``>=`` every key in
  that block and ``<`` every key of the next, and the block's handle ``varint64 offset, varint64 size``.
- The 48-byte **footer** holds the metaindex and index handles, zero padding to 40 bytes, and a magic number.

The writer reproduces TensorFlow's bytes exactly. The reader checks every block's checksum and every length
against the bytes that hold it, and reports damage as ``DataLossError``.
"""

import os
import struct

from minitf.framework import errors
from minitf.io.crc32c import masked_crc32c

BLOCK_SIZE = 262144
RESTART_INTERVAL = 16
OVERLY_LARGE_BLOCK_RATIO = 2
TABLE_MAGIC = 0xDB4775248B80FB57
FOOTER_SIZE = 48
HANDLES_SIZE = 40  # two BlockHandles of at most 10 + 10 varint bytes each, zero padded
BLOCK_TRAILER_SIZE = 5
NO_COMPRESSION = 0
SNAPPY_COMPRESSION = 1

_U32 = struct.Struct("<I")


def _data_loss(message):
    return errors.DataLossError(None, None, message)


def put_varint(out, value):
    """Appends ``value`` (a non-negative int) to the bytearray ``out`` as a LevelDB/protobuf varint."""
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def get_varint(buf, pos, limit, max_bits):
    """Decodes a varint of at most ``max_bits`` bits from ``buf[pos:limit]``; returns (value, next position).

    A varint that runs past ``limit`` or exceeds ``max_bits`` raises ``DataLossError``.
    """
    result = 0
    shift = 0
    while pos < limit and shift < max_bits:
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            if result >> max_bits:
                break
            return result, pos
        shift += 7
    raise _data_loss("bad varint")


def _encode_handle(offset, size):
    out = bytearray()
    put_varint(out, offset)
    put_varint(out, size)
    return bytes(out)


def _shortest_separator(start, limit):
    """A short key ``k`` with ``start <= k < limit`` (LevelDB's bytewise ``FindShortestSeparator``)."""
    shared = len(os.path.commonprefix([start, limit]))
    if shared < min(len(start), len(limit)):
        diff_byte = start[shared]
        if diff_byte < 0xFF and diff_byte + 1 < limit[shared]:
            return start[:shared] + bytes([diff_byte + 1])
    return start


def _short_successor(key):
    """A short key ``>= key`` (LevelDB's bytewise ``FindShortSuccessor``): bump the first byte that is not 0xFF."""
    for i, byte in enumerate(key):
        if byte != 0xFF:
            return key[:i] + bytes([byte + 1])
    return key


class _BlockBuilder:
    """Accumulates prefix-compressed entries of one block (LevelDB's ``BlockBuilder``)."""

    def __init__(self, restart_interval):
        self._restart_interval = restart_interval
        self._buffer = bytearray()
        self._restarts = [0]
        self._counter = 0
        self._last_key = b""

    def empty(self):
        return not self._buffer

    def size_estimate(self):
        return len(self._buffer) + 4 * len(self._restarts) + 4

    def add(self, key, value):
        if self._counter < self._restart_interval:
            shared = len(os.path.commonprefix([self._last_key, key]))
        else:
            self._restarts.append(len(self._buffer))
            self._counter = 0
            shared = 0
        put_varint(self._buffer, shared)
        put_varint(self._buffer, len(key) - shared)
        put_varint(self._buffer, len(value))
        self._buffer += key[shared:]
        self._buffer += value
        self._last_key = key
        self._counter += 1

    def finish(self):
        tail = struct.pack("<%dI" % (len(self._restarts) + 1), *self._restarts, len(self._restarts))
        return bytes(self._buffer) + tail


def encode_table(sorted_items):
    """Returns the bytes of a table holding ``sorted_items``: (key, value) pairs of bytes, keys strictly ascending."""
    out = bytearray()

    def write_block(block):
        contents = block.finish()
        handle = (len(out), len(contents))
        out.extend(contents)
        out.append(NO_COMPRESSION)
        out.extend(_U32.pack(masked_crc32c(contents + bytes([NO_COMPRESSION]))))
        return handle

    data_block = _BlockBuilder(RESTART_INTERVAL)
    index_block = _BlockBuilder(1)
    pending_handle = None  # handle of the last flushed data block, indexed once the next key is known
    last_key = None
    for key, value in sorted_items:
        key = bytes(key)
        if last_key is not None:
            if key <= last_key:
                raise ValueError("table keys must be strictly ascending: %r after %r" % (key, last_key))
            if len(key) + len(value) >= OVERLY_LARGE_BLOCK_RATIO * BLOCK_SIZE and not data_block.empty():
                pending_handle = write_block(data_block)
                data_block = _BlockBuilder(RESTART_INTERVAL)
        if pending_handle is not None:
            index_block.add(_shortest_separator(last_key, key), _encode_handle(*pending_handle))
            pending_handle = None
        last_key = key
        data_block.add(key, value)
        if data_block.size_estimate() >= BLOCK_SIZE:
            pending_handle = write_block(data_block)
            data_block = _BlockBuilder(RESTART_INTERVAL)
    if not data_block.empty():
        pending_handle = write_block(data_block)
    metaindex_handle = write_block(_BlockBuilder(RESTART_INTERVAL))
    if pending_handle is not None:
        index_block.add(_short_successor(last_key), _encode_handle(*pending_handle))
    index_handle = write_block(index_block)
    handles = _encode_handle(*metaindex_handle) + _encode_handle(*index_handle)
    out += handles.ljust(HANDLES_SIZE, b"\0")
    out += struct.pack("<Q", TABLE_MAGIC)
    return bytes(out)


def write_table(path_or_fileobj, sorted_items):
    """Writes a table holding ``sorted_items`` to a path or to a binary file object."""
    table = encode_table(sorted_items)
    if hasattr(path_or_fileobj, "write"):
        path_or_fileobj.write(table)
    else:
        with open(path_or_fileobj, "wb") as out:
            out.write(table)


def _parse_block(contents, what):
    """Decodes every entry of an uncompressed block into a list of (key, value) bytes pairs."""
    size = len(contents)
    if size < 4:
        raise _data_loss("bad %s block: too short" % what)
    (num_restarts,) = _U32.unpack_from(contents, size - 4)
    if num_restarts > (size - 4) // 4:
        raise _data_loss("bad %s block: restart array too long" % what)
    entries_end = size - 4 - 4 * num_restarts
    restarts = struct.unpack_from("<%dI" % num_restarts, contents, entries_end)
    items = []
    restart_candidates = set()
    pos = 0
    key = b""
    while pos < entries_end:
        entry_start = pos
        shared, pos = get_varint(contents, pos, entries_end, 32)
        non_shared, pos = get_varint(contents, pos, entries_end, 32)
        value_len, pos = get_varint(contents, pos, entries_end, 32)
        if shared > len(key) or non_shared + value_len > entries_end - pos:
            raise _data_loss("bad entry in %s block" % what)
        if shared == 0:
            restart_candidates.add(entry_start)
        key = key[:shared] + contents[pos:pos + non_shared]
        pos += non_shared
        items.append((key, contents[pos:pos + value_len]))
        pos += value_len
    if items and (not restarts or restarts[0] != 0 or not restart_candidates.issuperset(restarts)):
        raise _data_loss("bad restart array in %s block" % what)
    return items


class TableReader:
    """Reads a whole table from its bytes, checking its structure and every block checksum.

    Iterating yields the (key, value) pairs, as bytes, in key order. Any inconsistency raises
    ``DataLossError``; a block compressed with Snappy (never written by TensorFlow >= 1.2) raises
    ``UnimplementedError``.
    """

    def __init__(self, data):
        self._data = bytes(data)
        if len(self._data) < FOOTER_SIZE:
            raise _data_loss("file is too short to be an sstable")
        footer_start = len(self._data) - FOOTER_SIZE
        (magic,) = struct.unpack_from("<Q", self._data, len(self._data) - 8)
        if magic != TABLE_MAGIC:
            raise _data_loss("not an sstable (bad magic number)")
        footer = self._data[footer_start:footer_start + HANDLES_SIZE]
        metaindex_handle, pos = self._decode_handle(footer, 0, footer_start)
        index_handle, pos = self._decode_handle(footer, pos, footer_start)
        if any(footer[pos:]):
            raise _data_loss("bad table footer: nonzero padding")
        if _parse_block(self._read_block(metaindex_handle), "metaindex"):
            raise _data_loss("unexpected entries in the metaindex block")
        self._items = []
        for _, handle_bytes in _parse_block(self._read_block(index_handle), "index"):
            handle, end = self._decode_handle(handle_bytes, 0, footer_start)
            if end != len(handle_bytes):
                raise _data_loss("bad block handle")
            for key, value in _parse_block(self._read_block(handle), "data"):
                if self._items and key <= self._items[-1][0]:
                    raise _data_loss("table keys out of order")
                self._items.append((key, value))

    @staticmethod
    def _decode_handle(buf, pos, limit):
        """Decodes a BlockHandle at ``buf[pos:]`` whose block (with trailer) must end before ``limit``."""
        offset, pos = get_varint(buf, pos, len(buf), 64)
        size, pos = get_varint(buf, pos, len(buf), 64)
        if offset + size + BLOCK_TRAILER_SIZE > limit:
            raise _data_loss("truncated block read")
        return (offset, size), pos

    def _read_block(self, handle):
        offset, size = handle
        block = self._data[offset:offset + size + 1]
        (stored_crc,) = _U32.unpack_from(self._data, offset + size + 1)
        if masked_crc32c(block) != stored_crc:
            raise _data_loss("block checksum mismatch")
        block_type = block[size]
        if block_type == SNAPPY_COMPRESSION:
            raise errors.UnimplementedError(None, None, "Snappy-compressed table blocks are not supported")
        if block_type != NO_COMPRESSION:
            raise _data_loss("bad block type")
        return block[:size]

    def __iter__(self):
        return iter(self._items)

    def __len__(self):
        return len(self._items)
