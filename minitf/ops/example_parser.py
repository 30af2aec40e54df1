"""The kernel of ``ParseExampleV2``: serialized ``tf.train.Example`` protos to dense arrays and sparse triples.

Checks and messages are TensorFlow's (example_proto_fast_parsing.cc): a batch names the example
(``Name: <unknown>, Key: a, Index: 1.``), a single example (a scalar input) only the key.
"""

import numpy as np

from minitf.framework import dtypes
from minitf.framework.op_def_lib import invalid_argument

_KINDS = {dtypes.int64: "int64_list", dtypes.float32: "float_list", dtypes.string: "bytes_list"}
_TYPE_NAMES = {"int64_list": "int64", "float_list": "float", "bytes_list": "string"}
_NUMPY = {dtypes.int64: np.int64, dtypes.float32: np.float32, dtypes.string: object}


def _example_type():
    from minitf.proto.example_pb2 import Example
    return Example


class ExampleParser:
    """Parses one batch (or one scalar) of serialized Examples for fixed keys, types, shapes and defaults."""

    def __init__(self, sparse_keys, sparse_types, dense_keys, dense_types, dense_shapes):
        self.sparse = list(zip(sparse_keys, sparse_types))
        self.dense = [(key, dtype, shape.as_list()) for key, dtype, shape in zip(dense_keys, dense_types,
                                                                                 dense_shapes)]
        self._example = _example_type()

    def _prefix(self, single, name, key, index):
        return f"Key: {key}.  " if single else f"Name: {name}, Key: {key}, Index: {index}.  "

    def _values(self, feature, dtype, prefix, sparse):
        """The values of ``feature`` as a numpy array of ``dtype``'s type, checking the list kind."""
        kind = feature.WhichOneof("kind")
        wanted = _KINDS[dtype]
        if kind is not None and kind != wanted:
            if sparse:
                raise invalid_argument(f"{prefix}Data types don't match. Expected type: {_TYPE_NAMES[wanted]}, "
                                       f"Actual type: {_TYPE_NAMES[kind]}")
            raise invalid_argument(f"{prefix}Data types don't match. Data type: {_TYPE_NAMES[kind]} but expected "
                                   f"type: {_TYPE_NAMES[wanted]}")
        values = getattr(feature, wanted).value if kind is not None else []
        if dtype == dtypes.string:
            array = np.empty(len(values), dtype=object)
            array[:] = list(values)
            return array
        return np.array(values, dtype=_NUMPY[dtype])

    def _parse(self, record):
        example = self._example()
        try:
            example.ParseFromString(bytes(record))
        except Exception:  # noqa: BLE001 -- protobuf's DecodeError, whatever the runtime
            text = bytes(record).decode("utf-8", "replace")
            raise invalid_argument(f"Could not parse example input, value: '{text}'") from None
        return example.features.feature

    def __call__(self, serialized, names, defaults):
        single = serialized.ndim == 0
        records = serialized.reshape(-1)
        names = names.reshape(-1) if names.size else None
        features = [self._parse(record) for record in records]
        example_names = ["<unknown>" if names is None else names[i].decode("utf-8", "replace")
                         for i in range(len(records))]
        sparse_out = [self._sparse(key, dtype, features, example_names, single) for key, dtype in self.sparse]
        dense_out = [self._dense(key, dtype, shape, default, features, example_names, single)
                     for (key, dtype, shape), default in zip(self.dense, defaults)]
        indices = [s[0] for s in sparse_out]
        values = [s[1] for s in sparse_out]
        shapes = [s[2] for s in sparse_out]
        return tuple(indices + values + shapes + dense_out)

    def _sparse(self, key, dtype, features, names, single):
        rows = []
        for i, feature_map in enumerate(features):
            if key in feature_map:
                rows.append(self._values(feature_map[key], dtype, self._prefix(single, names[i], key, i), True))
            else:
                rows.append(np.zeros(0, _NUMPY[dtype]))
        width = max((len(r) for r in rows), default=0)
        values = np.concatenate(rows) if rows else np.zeros(0, _NUMPY[dtype])
        if dtype == dtypes.string:
            values = values.astype(object)
        if single:
            return np.arange(len(values), dtype=np.int64).reshape(-1, 1), values, np.array([width], np.int64)
        batch = np.repeat(np.arange(len(rows), dtype=np.int64), [len(r) for r in rows])
        position = np.concatenate([np.arange(len(r), dtype=np.int64) for r in rows]) if rows else batch
        return (np.stack([batch, position], axis=1).reshape(-1, 2), values,
                np.array([len(rows), width], np.int64))

    def _dense(self, key, dtype, shape, default, features, names, single):
        if shape and shape[0] is None:
            return self._sequence(key, dtype, shape, default, features, names, single)
        size = int(np.prod(shape))
        rows = []
        for i, feature_map in enumerate(features):
            prefix = self._prefix(single, names[i], key, i)
            if key not in feature_map:
                if default.size == 0:
                    where = "" if single else f"Name: {names[i]}, "
                    raise invalid_argument(f"{where}Feature: {key} (data type: {_dtype_name(dtype)}) is required "
                                           "but could not be found.")
                rows.append(np.asarray(default).reshape(shape))
                continue
            values = self._values(feature_map[key], dtype, prefix, False)
            if values.size != size:
                if single:
                    raise invalid_argument(f"Key: {key}.  Can't parse serialized Example: Some "
                                           f"{_KINDS[dtype]} slice was not parsed.")
                raise invalid_argument(f"{prefix}Number of {_dtype_name(dtype)} values != expected.  Values size: "
                                       f"{values.size} but output shape: [{','.join(map(str, shape))}]")
            rows.append(values.reshape(shape))
        return _stack(rows, shape, dtype, single)

    def _sequence(self, key, dtype, shape, default, features, names, single):
        stride = int(np.prod(shape[1:]))
        rows = []
        for i, feature_map in enumerate(features):
            if key not in feature_map:
                rows.append(np.zeros([0] + shape[1:], _NUMPY[dtype]))
                continue
            prefix = self._prefix(single, names[i], key, i)
            values = self._values(feature_map[key], dtype, prefix, False)
            if values.size % stride:
                raise invalid_argument(f"{prefix}Number of {_dtype_name(dtype)} values is not a multiple of stride "
                                       f"length. Saw {values.size} values but output shape is: "
                                       f"[?,{','.join(map(str, shape[1:]))}]".replace("[?,]", "[?]"))
            rows.append(values.reshape([-1] + shape[1:]))
        length = max((len(r) for r in rows), default=0)
        padded = []
        for row in rows:
            out = np.full([length] + shape[1:], np.asarray(default).reshape(()), dtype=_NUMPY[dtype])
            out[:len(row)] = row
            padded.append(out)
        return _stack(padded, [length] + shape[1:], dtype, single)


def _stack(rows, shape, dtype, single):
    if single:
        return rows[0].astype(_NUMPY[dtype])
    if not rows:
        return np.zeros([0] + list(shape), _NUMPY[dtype])
    return np.stack(rows).astype(_NUMPY[dtype])


def _dtype_name(dtype):
    return "float" if dtype == dtypes.float32 else dtype.name
