"""CRC32C (Castagnoli) and the "masked" form TensorFlow stores in TFRecords, checkpoints and tables.

``crc32c(b"123456789") == 0xE3069283``. The native ``google-crc32c`` package does the work when it is
installed; otherwise a table-driven numpy implementation gives the same numbers (much slower, but fine for
event files and small checkpoints).

Masking (TensorFlow's ``crc32c::Mask``) rotates the CRC right by 15 bits and adds a constant, so that a CRC
stored next to data that itself contains CRCs does not look like a checksum of it.
"""

import functools

import numpy as np

_MASK_DELTA = 0xA282EAD8
_POLYNOMIAL = 0x82F63B78  # CRC-32C, reflected


def mask_crc32c(crc):
    """Mask an already computed CRC32C: ``((crc >> 15 | crc << 17) + 0xa282ead8) mod 2**32``."""
    rotated = ((crc >> 15) | (crc << 17)) & 0xFFFFFFFF
    return (rotated + _MASK_DELTA) & 0xFFFFFFFF


def unmask_crc32c(masked):
    """Invert ``mask_crc32c``: the plain CRC32C stored in a masked field."""
    rotated = (masked - _MASK_DELTA) & 0xFFFFFFFF
    return ((rotated >> 17) | (rotated << 15)) & 0xFFFFFFFF


def masked_crc32c(data):
    """The masked CRC32C of ``data``, as TFRecord framing and tensor bundles store it."""
    return mask_crc32c(crc32c(data))


def crc32c(data, crc=0):
    """CRC32C of ``data`` (bytes-like). Pass the CRC of earlier bytes as ``crc`` to continue it over ``data``."""
    native = _native()
    if native is not None:
        return native.extend(crc, _read_only(data))
    return _numpy_crc32c(memoryview(data).cast("B"), crc)


@functools.lru_cache(maxsize=None)
def _native():
    """The ``google_crc32c`` module, imported on first use (not at ``import minitf``), or None without it."""
    try:
        import google_crc32c
    except ImportError:  # the wheel is a declared dependency, but minitf keeps working without it
        return None
    return google_crc32c


def _read_only(data):
    """``data`` as a buffer the native extension accepts (it takes only read-only ones) without copying it."""
    if isinstance(data, bytes):
        return data
    view = np.frombuffer(data, np.uint8)
    view.flags.writeable = False
    return view


# ---- fallback without the native package ---------------------------------------------------------------------
#
# The CRC register update for one byte, ``reg -> TABLE[(reg ^ byte) & 0xFF] ^ (reg >> 8)``, is linear over GF(2).
# So the data can be cut into equal lanes whose CRCs (each started from a zero register) numpy computes side by
# side, one byte position per step; the lanes are then chained with the linear map "feed L zero bytes".

def _byte_table():
    table = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        table = np.where(table & 1, (table >> 1) ^ np.uint32(_POLYNOMIAL), table >> 1).astype(np.uint32)
    return table


_TABLE = _byte_table()
_TABLE_LIST = _TABLE.tolist()
_BYTE_SHIFTS = np.arange(4, dtype=np.uint32) * 8
_SMALL = 4096  # below this many bytes a plain Python loop is faster than setting up lanes


class _ZeroBytesOperator:
    """The linear map of the CRC register produced by feeding it a run of zero bytes.

    Stored as four 256-entry tables, one per register byte, whose entries are XORed together.
    """

    def __init__(self, tables):
        self.tables = tables

    @classmethod
    def one_byte(cls):
        values = (np.arange(256, dtype=np.uint32)[None, :] << _BYTE_SHIFTS[:, None]).astype(np.uint32)
        return cls(_TABLE[values & 0xFF] ^ (values >> 8))

    def apply(self, registers):
        t = self.tables
        return (t[0][registers & 0xFF] ^ t[1][(registers >> 8) & 0xFF]
                ^ t[2][(registers >> 16) & 0xFF] ^ t[3][registers >> 24])

    def squared(self):
        """The map for twice as many zero bytes."""
        return _ZeroBytesOperator(self.apply(self.tables))


def _bytewise(register, data):
    table = _TABLE_LIST
    for byte in data:
        register = table[(register ^ byte) & 0xFF] ^ (register >> 8)
    return register


def _numpy_crc32c(data, crc):
    register = crc ^ 0xFFFFFFFF
    size = len(data)
    if size < _SMALL:
        return _bytewise(register, data) ^ 0xFFFFFFFF
    lane_length = 1 << (int(size ** 0.5).bit_length() - 1)  # a power of two near sqrt(size)
    head = size % lane_length
    register = _bytewise(register, data[:head])
    lanes = np.frombuffer(data[head:], dtype=np.uint8).reshape(-1, lane_length)
    lane_crcs = np.zeros(len(lanes), dtype=np.uint32)
    for column in lanes.T:
        lane_crcs = _TABLE[(lane_crcs ^ column) & 0xFF] ^ (lane_crcs >> 8)
    advance = _ZeroBytesOperator.one_byte()
    for _ in range(lane_length.bit_length() - 1):
        advance = advance.squared()
    tables = [t.tolist() for t in advance.tables]
    for lane_crc in lane_crcs.tolist():
        register = (tables[0][register & 0xFF] ^ tables[1][(register >> 8) & 0xFF]
                    ^ tables[2][(register >> 16) & 0xFF] ^ tables[3][register >> 24]) ^ lane_crc
    return register ^ 0xFFFFFFFF
