"""String ops input pipelines use: ``string_split`` / ``strings.split`` (``StringSplit``, ``StringSplitV2``:
SparseTensors of tokens), ``substr``, ``string_join``, ``regex_replace`` and ``regex_full_match``
(``StaticRegexReplace``, ``StaticRegexFullMatch``; Python's ``re`` standing in for RE2 on the patterns they share),
``strings.strip`` / ``length`` / ``lower`` / ``upper`` and ``as_string``. String tensors are numpy object arrays of
``bytes``.
"""

import re

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape
from minitf.framework.op_def_lib import invalid_argument, no_gradient, register
from minitf.framework.sparse_tensor import SparseTensor


def _strings(value, name):
    return ops.convert_to_tensor(value, dtype=dtypes.string, name=name)


def _create(op_type, inputs, attrs, name, names=()):
    """Adds ``op_type`` as TensorFlow's generated wrapper does: Python inputs become Consts named ``names``."""
    graph = ops._graph_of(inputs) or ops.get_default_graph()
    names = list(names) + [(None, None)] * (len(inputs) - len(names))
    with graph.as_default(), graph.name_scope(name or op_type) as scope:
        tensors = [value if isinstance(value, ops.Tensor) else converter(value, arg)
                   for value, (arg, converter) in zip(inputs, names)]
        return graph.create_op(op_type, tensors, attrs, scope).outputs


def _map_bytes(fn, out_dtype=object):
    """A kernel applying ``fn`` to each string."""
    def kernel(strings):
        flat = [fn(s) for s in strings.reshape(-1).tolist()]
        out = np.empty(len(flat), dtype=out_dtype)
        out[:] = flat
        return out.reshape(strings.shape)
    return kernel


def _same_shape(dtype):
    return lambda op: [(dtype, op.inputs[0].shape)]


# -- split -----------------------------------------------------------------------------------------------------------

def _split_infer(op):
    op.inputs[0].shape.with_rank(1)
    return [(dtypes.int64, tensor_shape.TensorShape([None, 2])), (dtypes.string, tensor_shape.TensorShape([None])),
            (dtypes.int64, tensor_shape.TensorShape([2]))]


def _tokens_to_sparse(rows):
    indices = [[i, j] for i, row in enumerate(rows) for j in range(len(row))]
    values = np.empty(len(indices), dtype=object)
    values[:] = [token for row in rows for token in row]
    width = max((len(row) for row in rows), default=0)
    return (np.array(indices, np.int64).reshape(-1, 2), values, np.array([len(rows), width], np.int64))


def _split_kernel(op, state):
    skip_empty = op.get_attr("skip_empty")

    def kernel(source, delimiter):
        delimiter = bytes(delimiter.reshape(()).item())
        rows = []
        for text in source.tolist():
            if not delimiter:
                tokens = [bytes([b]) for b in text]
            else:
                tokens = re.split(b"[" + re.escape(delimiter) + b"]", text)
            rows.append([t for t in tokens if t or not skip_empty])
        return _tokens_to_sparse(rows)
    return kernel


def _split_v2_kernel(op, state):
    maxsplit = op.get_attr("maxsplit")

    def kernel(source, sep):
        sep = bytes(sep.reshape(()).item()) or None
        rows = [text.split(sep, maxsplit) for text in source.tolist()]
        return _tokens_to_sparse(rows)
    return kernel


register("StringSplit", _split_infer, _split_kernel, input_names=("input", "delimiter"))
register("StringSplitV2", _split_infer, _split_v2_kernel, input_names=("input", "sep"))
no_gradient("StringSplit")
no_gradient("StringSplitV2")


def string_split(source, sep=None, skip_empty=True, delimiter=None, result_type="SparseTensor", name=None):
    """``tf.string_split``: each string cut at any character of ``sep`` (default a space), as a SparseTensor."""
    if result_type != "SparseTensor":
        raise ValueError("minitf's string_split returns a SparseTensor only")
    sep = delimiter if sep is None else sep
    with ops.name_scope(name, "StringSplit", [source]):
        sep = _strings(" " if sep is None else sep, None)
        source = _strings(source, None)
        outputs = _create("StringSplit", [source, sep], {"skip_empty": bool(skip_empty)}, None)
        return SparseTensor(*outputs)


def strings_split(input=None, sep=None, maxsplit=-1, result_type="SparseTensor", source=None, name=None):  # noqa: A002
    """``tf.strings.split``: Python's ``str.split`` on each string (runs of whitespace when ``sep`` is None)."""
    if result_type != "SparseTensor":
        raise ValueError("minitf's strings.split returns a SparseTensor only")
    with ops.name_scope(name, "StringSplit", [input]):
        sep = _strings("" if sep is None else sep, None)
        source = _strings(source if input is None else input, None)
        return SparseTensor(*_create("StringSplitV2", [source, sep], {"maxsplit": maxsplit}, None))


# -- element-wise ---------------------------------------------------------------------------------------------------

def _substr_kernel(op, state):
    def kernel(strings, pos, length):
        strings, pos, length = np.broadcast_arrays(strings, pos, length)
        out = np.empty(strings.shape, dtype=object)
        for index in np.ndindex(strings.shape):
            text, start, size = strings[index], int(pos[index]), int(length[index])
            if start < 0:
                start += len(text)
            if not 0 <= start <= len(text):
                raise invalid_argument(f"pos {int(pos[index])} out of range for string b'{text.decode('latin-1')}' "
                                       f"at index {int(np.ravel_multi_index(index, strings.shape))}")
            out[index] = text[start:start + max(size, 0)]
        return out
    return kernel


def _broadcast_infer(op):
    shape = op.inputs[0].shape
    for t in op.inputs[1:]:
        shape = _broadcast(shape, t.shape)
    return [(dtypes.string, shape)]


def _broadcast(a, b):
    from minitf.framework.op_def_lib import broadcast_shapes
    return broadcast_shapes(a, b)


register("Substr", _broadcast_infer, _substr_kernel, input_names=("input", "pos", "len"))
no_gradient("Substr")


def substr(input, pos, len, name=None, unit="BYTE"):  # noqa: A002 -- TensorFlow's argument names
    if unit != "BYTE":
        raise ValueError("minitf's substr counts bytes only (unit='BYTE')")
    graph = ops._graph_of([input, pos, len]) or ops.get_default_graph()
    with graph.as_default(), graph.name_scope(name or "Substr") as scope:
        tensors = [_strings(input, "input"), ops.convert_to_tensor(pos, name="pos")]
        tensors.append(ops.convert_to_tensor(len, dtype=tensors[1].dtype, name="len"))
        attrs = {"T": tensors[1].dtype.base_dtype, "unit": unit}
        return graph.create_op("Substr", tensors, attrs, scope).outputs[0]


def _join_kernel(op, state):
    separator = _text(op.get_attr("separator")).encode()

    def kernel(*inputs):
        arrays = np.broadcast_arrays(*inputs)
        out = np.empty(arrays[0].shape, dtype=object)
        for index in np.ndindex(out.shape):
            out[index] = separator.join(a[index] for a in arrays)
        return out
    return kernel


register("StringJoin", _broadcast_infer, _join_kernel, input_names=("inputs",))
no_gradient("StringJoin")


def string_join(inputs, separator="", name=None):
    """``tf.string_join``: the strings of ``inputs`` (broadcast) joined by ``separator``."""
    graph = ops._graph_of(inputs) or ops.get_default_graph()
    with graph.as_default(), graph.name_scope(name or "StringJoin") as scope:
        tensors = [_strings(t, "inputs_%d" % i) for i, t in enumerate(inputs)]
        return graph.create_op("StringJoin", tensors, {"N": len(tensors), "separator": separator},
                               scope).outputs[0]


def _regex_kernel(op, state):
    pattern = re.compile(_text(op.get_attr("pattern")).encode())
    rewrite = _text(op.get_attr("rewrite")).encode()
    count = 0 if op.get_attr("replace_global") else 1
    return _map_bytes(lambda s: pattern.sub(rewrite, s, count=count))


register("StaticRegexReplace", _same_shape(dtypes.string), _regex_kernel, input_names=("input",))
no_gradient("StaticRegexReplace")


def regex_replace(input, pattern, rewrite, replace_global=True, name=None):  # noqa: A002
    """``tf.regex_replace`` with a Python string pattern and rewrite (``StaticRegexReplace``)."""
    if not (isinstance(pattern, str) and isinstance(rewrite, str)):
        raise ValueError("minitf's regex_replace takes the pattern and rewrite as Python strings")
    attrs = {"pattern": pattern, "rewrite": rewrite, "replace_global": bool(replace_global)}
    return _create("StaticRegexReplace", [input], attrs, name, [("input", _strings)])[0]


def _full_match_kernel(op, state):
    pattern = re.compile(_text(op.get_attr("pattern")).encode())
    return _map_bytes(lambda s: pattern.fullmatch(s) is not None, np.bool_)


register("StaticRegexFullMatch", _same_shape(dtypes.bool), _full_match_kernel, input_names=("input",))
no_gradient("StaticRegexFullMatch")


def regex_full_match(input, pattern, name=None):  # noqa: A002
    """``tf.strings.regex_full_match`` with a Python string pattern (``StaticRegexFullMatch``)."""
    if not isinstance(pattern, (str, bytes)):
        raise ValueError("minitf's regex_full_match takes the pattern as a Python string")
    return _create("StaticRegexFullMatch", [input], {"pattern": _text(pattern)}, name, [("input", _strings)])[0]


def _text(value):
    return value.decode() if isinstance(value, bytes) else value


_ELEMENTWISE = {"StringStrip": (lambda s: s.strip(b" \t\n\v\f\r"), dtypes.string),
                "StringLower": (lambda s: s.lower(), dtypes.string),
                "StringUpper": (lambda s: s.upper(), dtypes.string),
                "StringLength": (len, dtypes.int32)}
for _type, (_fn, _dtype) in _ELEMENTWISE.items():
    register(_type, _same_shape(_dtype),
             (lambda fn, dtype: lambda op, state: _map_bytes(fn, dtype.as_numpy_dtype if dtype != dtypes.string
                                                             else object))(_fn, _dtype),
             input_names=("input",))
    no_gradient(_type)


def strip(input, name=None):  # noqa: A002
    return _create("StringStrip", [input], {}, name, [("input", _strings)])[0]


def lower(input, encoding="", name=None):  # noqa: A002
    return _create("StringLower", [input], {"encoding": encoding}, name, [("input", _strings)])[0]


def upper(input, encoding="", name=None):  # noqa: A002
    return _create("StringUpper", [input], {"encoding": encoding}, name, [("input", _strings)])[0]


def length(input, name=None, unit="BYTE"):  # noqa: A002
    if unit != "BYTE":
        raise ValueError("minitf's strings.length counts bytes only (unit='BYTE')")
    return _create("StringLength", [input], {"unit": unit}, name, [("input", _strings)])[0]


# -- as_string -------------------------------------------------------------------------------------------------------

def _as_string_kernel(op, state):
    precision, width = op.get_attr("precision"), op.get_attr("width")
    fill = _text(op.get_attr("fill"))
    dtype = op.inputs[0].dtype.base_dtype
    if dtype.is_floating:
        spec = ("." + str(precision) if precision > -1 else "") + (
            "e" if op.get_attr("scientific") else "g" if op.get_attr("shortest") else "f")
    else:
        spec = "d"
    pad = "%" + (fill if fill else "") + (str(width) if width > -1 else "")

    def convert(value):
        if dtype == dtypes.bool:
            text = "true" if value else "false"
            return (("%" + (str(width) if width > -1 else "") + "s") % text).encode()
        return ((pad + spec) % value).encode()
    return lambda x: _map_bytes(convert)(x.astype(object) if x.dtype != object else x)


register("AsString", _same_shape(dtypes.string), _as_string_kernel, input_names=("input",))
no_gradient("AsString")


def as_string(input, precision=-1, scientific=False, shortest=False, width=-1, fill="", name=None):  # noqa: A002
    """``tf.as_string``: numbers and booleans formatted as C's printf does (``%f`` for floats by default)."""
    if fill and fill not in (" ", "0"):
        raise ValueError("minitf's as_string pads with spaces or zeros only")
    attrs = {"precision": precision, "scientific": scientific, "shortest": shortest, "width": width, "fill": fill}
    tensor = input if isinstance(input, ops.Tensor) else None
    graph = ops._graph_of([input]) or ops.get_default_graph()
    with graph.as_default(), graph.name_scope(name or "AsString") as scope:
        tensor = tensor if tensor is not None else ops.convert_to_tensor(input, name="input")
        if tensor.dtype.base_dtype == dtypes.string:
            raise TypeError("Value passed to parameter 'input' has DataType string not in list of allowed values")
        attrs["T"] = tensor.dtype.base_dtype
        return graph.create_op("AsString", [tensor], attrs, scope).outputs[0]
