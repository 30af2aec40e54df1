"""The kernel of ``DecodeCSV`` and the number parsing ``StringToNumber`` shares with it.

Field splitting, quoting and the error messages follow TensorFlow's decode_csv_op.cc; numbers parse as its
``safe_strto32`` / ``safe_strtof`` do (surrounding whitespace allowed, nothing else after the number).
"""

import math

import numpy as np

from minitf.framework import dtypes
from minitf.framework.op_def_lib import invalid_argument

_INT_RANGES = {dtypes.int32: (-2 ** 31, 2 ** 31 - 1), dtypes.int64: (-2 ** 63, 2 ** 63 - 1)}


def parse_number(text, dtype):
    """``text`` as a number of ``dtype`` (int32, int64, float32, float64), or None if it is not one."""
    text = text.strip()
    if not text or "_" in text:
        return None
    if dtype in _INT_RANGES:
        body = text[1:] if text[0] in "+-" else text
        if not body.isdigit() or not body.isascii():
            return None
        value = int(text)
        low, high = _INT_RANGES[dtype]
        return value if low <= value <= high else None
    try:
        value = float(text)
    except ValueError:
        try:
            value = float.fromhex(text) if "0x" in text.lower() else None
        except ValueError:
            value = None
    if value is None:
        return None
    if dtype == dtypes.float32 and math.isfinite(value) and abs(value) > 3.4028234663852886e38:
        return None  # strtof reports the overflow
    return value


def split_fields(record, delim, use_quote):
    """The fields of one record, as TensorFlow's ``ExtractFields``."""
    fields = []
    position, end = 0, len(record)
    while True:
        if use_quote and position < end and record[position] == '"':
            field, position = _quoted(record, position + 1, delim)
        else:
            stop = record.find(delim, position)
            stop = end if stop < 0 else stop
            field = record[position:stop]
            if use_quote and ('"' in field or "\n" in field or "\r" in field):
                raise invalid_argument("Unquoted fields cannot have quotes/CRLFs inside")
            position = stop
        fields.append(field)
        if position >= end:
            return fields
        position += 1  # the delimiter
        if position == end:  # a trailing delimiter ends in an empty field
            fields.append("")
            return fields


def _quoted(record, position, delim):
    out = []
    end = len(record)
    while True:
        if position >= end:
            raise invalid_argument("Quoted field has to end with quote followed by delim or end")
        char = record[position]
        if char == '"':
            if position + 1 < end and record[position + 1] == '"':
                out.append('"')
                position += 2
                continue
            position += 1
            if position < end and record[position] != delim:
                raise invalid_argument("Quote inside a string has to be escaped by another quote")
            return "".join(out), position
        out.append(char)
        position += 1


_TYPE_NAMES = {dtypes.int32: "int32", dtypes.int64: "int64", dtypes.float32: "float", dtypes.float64: "double"}


def decode(records, defaults, out_types, delim, use_quote, na_value, select_cols):
    """The column arrays of ``records`` (any shape; each output has its shape)."""
    if len(delim) != 1:
        raise invalid_argument("field_delim should be only 1 char")
    for i, default in enumerate(defaults):
        if default.size > 1:
            raise invalid_argument(f"There should only be 1 default per field but field {i} has {default.size}")
    flat = records.reshape(-1)
    columns = [np.empty(flat.shape, object if t == dtypes.string else t.as_numpy_dtype) for t in out_types]
    wanted = len(out_types)
    for r, record in enumerate(flat.tolist()):
        fields = split_fields(record.decode("utf-8", "surrogateescape"), delim, use_quote)
        if select_cols:
            if len(fields) <= select_cols[-1]:
                raise invalid_argument(f"Expect {select_cols[-1] + 1} fields but have {len(fields)} in record {r}")
            fields = [fields[c] for c in select_cols]
        if len(fields) != wanted:
            raise invalid_argument(f"Expect {wanted} fields but have {len(fields)} in record {r}")
        for f, (field, dtype, default) in enumerate(zip(fields, out_types, defaults)):
            if field == "" or field == na_value:
                if default.size == 0:
                    raise invalid_argument(f"Field {f} is required but missing in record {r}!")
                columns[f][r] = default.reshape(-1)[0]
            elif dtype == dtypes.string:
                columns[f][r] = field.encode("utf-8", "surrogateescape")
            else:
                value = parse_number(field, dtype)
                if value is None:
                    raise invalid_argument(f"Field {f} in record {r} is not a valid {_TYPE_NAMES[dtype]}: {field}")
                columns[f][r] = value
    return tuple(c.reshape(records.shape) for c in columns)
