"""Slices of checkpointed tensors, as TensorFlow's ``util/tensor_slice.cc`` and ``util/saved_tensor_slice_util.cc``.

A Saver saves each part of a partitioned variable as a slice of the full variable: ``SaveV2`` gets the spec
``"<full dims> <start>,<length>:<start>,<length>..."`` (``-`` for a whole dimension). The bundle then holds one
entry under the full name, with the full shape and the list of slices (``TensorSliceProto``) but no data, and one
data entry per slice under a binary key: ``EncodeTensorNameSlice``, the name and the extents in TensorFlow's
``OrderedCode`` (each key starts with a 0 byte, so slice keys sort before every name).
"""

from minitf.framework import errors

FULL_EXTENT = -1  # TensorSlice::kFullExtent: the length of a whole dimension


def _invalid(message):
    return errors.InvalidArgumentError(None, None, message)


def parse_slice(text, rank=None):
    """The extents ``[(start, length)]`` of a slice spec ``"0,4:-"`` (length FULL_EXTENT for ``-``)."""
    extents = []
    for item in text.split(":"):
        if item == "-":
            extents.append((0, FULL_EXTENT))
            continue
        parts = item.split(",")
        try:
            start, length = (int(p) for p in parts)
        except ValueError:
            raise _invalid(f"Expected a pair of numbers or '-' but got '{item}': string = {text}") from None
        if start < 0 or length <= 0:
            raise _invalid(f"Expected non-negative start and positive length but got start = {start}, length = "
                           f"{length}: string = {text}")
        extents.append((start, length))
    if rank is not None and len(extents) != rank:
        raise _invalid(f"Expected {rank} dimensions in the slice spec, got {len(extents)}: string = {text}")
    return extents


def parse_shape_and_slice(spec):
    """(full shape, extents) of a SaveV2 / RestoreV2 ``shape_and_slices`` entry such as ``"10 4 0,4:0,4"``."""
    fields = spec.split(" ")
    if len(fields) < 2:
        raise _invalid(f"Need least two elements in shape_and_slice specification: {spec}")
    try:
        shape = [int(d) for d in fields[:-1]]
    except ValueError:
        raise _invalid(f"Non numerical dimension in shape_and_slice: {spec}") from None
    extents = parse_slice(fields[-1], len(shape))
    for dim, ((start, length), size) in enumerate(zip(extents, shape)):
        if length != FULL_EXTENT and start + length > size:
            raise errors.InternalError(None, None, f"Extent in dimension {dim} out of bounds: shape = "
                                       f"{shape_text(shape)}, slice = {fields[-1]}")
    return shape, extents


def shape_text(dims):
    """TensorShape::DebugString: ``[10,4]``."""
    return "[" + ",".join(str(d) for d in dims) + "]"


def slice_shape(extents, full_shape):
    return [size if length == FULL_EXTENT else length for (_, length), size in zip(extents, full_shape)]


def index(extents, full_shape):
    """The numpy index of the slice in the full tensor."""
    return tuple(slice(start, start + n) for (start, _), n in zip(extents, slice_shape(extents, full_shape)))


def to_proto(extents, proto):
    """Fills a TensorSliceProto (``TensorSlice::AsProto``: a whole dimension is an empty extent)."""
    for start, length in extents:
        extent = proto.extent.add()
        if length != FULL_EXTENT:
            extent.start = start
            extent.length = length
    return proto


def from_proto(proto):
    return [(e.start, e.length) if e.HasField("length") else (0, FULL_EXTENT) for e in proto.extent]


def intersect(a, b, full_shape):
    """The extents common to the slices ``a`` and ``b``, or None when they do not overlap."""
    result = []
    for (sa, na), (sb, nb), size in zip(a, b, full_shape):
        ea = size if na == FULL_EXTENT else sa + na
        eb = size if nb == FULL_EXTENT else sb + nb
        start, end = max(sa, sb), min(ea, eb)
        if end <= start:
            return None
        result.append((start, end - start))
    return result


# -- the slice keys ---------------------------------------------------------------------------------------------

def _num_increasing(value):
    """OrderedCode::WriteNumIncreasing: a length byte, then the value big-endian without leading zeros."""
    body = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return bytes([len(body)]) + body


def _string(text):
    """OrderedCode::WriteString: 0x00 and 0xff escaped, then the separator 0x00 0x01."""
    escaped = bytearray()
    for byte in text:
        escaped += {0x00: b"\x00\xff", 0xff: b"\xff\x00"}.get(byte, bytes([byte]))
    return bytes(escaped) + b"\x00\x01"


def _signed_num_increasing(value):
    """OrderedCode::WriteSignedNumIncreasing: the sign-extended value in the fewest bytes whose leading bits (one
    per byte) count them."""
    x = ~value if value < 0 else value
    length = (x.bit_length() + 7) // 7
    buf = bytearray(value.to_bytes(10, "big", signed=True)[10 - length:])
    header = (0xff00 >> min(length, 8)) & 0xff if length <= 8 else 0xff
    buf[0] ^= header
    if length > 8:
        buf[1] ^= (0xff00 >> (length - 8)) & 0xff
    return bytes(buf)


def encode_tensor_name_slice(name, extents):
    """The bundle key of one slice of tensor ``name`` (checkpoint::EncodeTensorNameSlice)."""
    key = _num_increasing(0) + _string(name.encode("utf-8")) + _num_increasing(len(extents))
    for start, length in extents:
        key += _signed_num_increasing(start) + _signed_num_increasing(length)
    return key
