"""The kernel of ``ParseExampleV2``: serialized ``tf.train.Example`` protos to dense arrays and sparse triples.

Checks and messages are TensorFlow's (example_proto_fast_parsing.cc): a batch names the example
(``Name: <unknown>, Key: a, Index: 1.``), a single example (a scalar input) only the key.
"""

import math

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

    def _prefix(self, single, names, key, index):
        """The start of an error message about ``key`` of example ``index``: a function, called only when an
        error is raised (most records have none, and formatting is a good part of parsing one)."""
        return lambda: f"Key: {key}.  " if single else f"Name: {names[index]}, Key: {key}, Index: {index}.  "

    def _values(self, feature, dtype, prefix, sparse):
        """The values of ``feature`` as a numpy array of ``dtype``'s type, checking the list kind."""
        kind = feature.WhichOneof("kind")
        wanted = _KINDS[dtype]
        if kind is not None and kind != wanted:
            if sparse:
                raise invalid_argument(f"{prefix()}Data types don't match. Expected type: {_TYPE_NAMES[wanted]}, "
                                       f"Actual type: {_TYPE_NAMES[kind]}")
            raise invalid_argument(f"{prefix()}Data types don't match. Data type: {_TYPE_NAMES[kind]} but expected "
                                   f"type: {_TYPE_NAMES[wanted]}")
        # A list first: np.array of the protobuf container probes it as a sequence (~50 us for one value).
        values = list(getattr(feature, wanted).value) if kind is not None else []
        if dtype == dtypes.string:
            array = np.empty(len(values), dtype=object)
            array[:] = values
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
        example_names = _ExampleNames(names)
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
                rows.append(self._values(feature_map[key], dtype, self._prefix(single, names, key, i), True))
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
        size = math.prod(shape)
        rows = []
        for i, feature_map in enumerate(features):
            prefix = self._prefix(single, names, key, i)
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
                raise invalid_argument(f"{prefix()}Number of {_dtype_name(dtype)} values != expected.  Values size: "
                                       f"{values.size} but output shape: [{','.join(map(str, shape))}]")
            rows.append(values.reshape(shape))
        return _stack(rows, shape, dtype, single)

    def _sequence(self, key, dtype, shape, default, features, names, single):
        stride = math.prod(shape[1:])
        rows = []
        for i, feature_map in enumerate(features):
            if key not in feature_map:
                rows.append(np.zeros([0] + shape[1:], _NUMPY[dtype]))
                continue
            prefix = self._prefix(single, names, key, i)
            values = self._values(feature_map[key], dtype, prefix, False)
            if values.size % stride:
                raise invalid_argument(f"{prefix()}Number of {_dtype_name(dtype)} values is not a multiple of stride "
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


class _ExampleNames:
    """The examples' names for messages, decoded when a message needs one: ``<unknown>`` without names."""

    def __init__(self, names):
        self._names = names

    def __getitem__(self, index):
        return "<unknown>" if self._names is None else self._names[index].decode("utf-8", "replace")


def _stack(rows, shape, dtype, single):
    if single:
        return rows[0].astype(_NUMPY[dtype])
    if not rows:
        return np.zeros([0] + list(shape), _NUMPY[dtype])
    return np.stack(rows).astype(_NUMPY[dtype])


def _dtype_name(dtype):
    return "float" if dtype == dtypes.float32 else dtype.name


class SequenceExampleParser:
    """Parses one serialized ``tf.train.SequenceExample``: context features as an Example's, feature lists into
    ``[time, ...]`` dense arrays (with their lengths) and ``[time, position]`` sparse triples. Messages are those of
    TensorFlow's ParseSequenceExampleV2 kernel."""

    def __init__(self, context_sparse_types, context_dense_types, context_dense_shapes, list_sparse_types,
                 list_dense_types, list_dense_shapes):
        self.context_sparse_types = context_sparse_types
        self.context_dense = list(zip(context_dense_types, [s.as_list() for s in context_dense_shapes]))
        self.list_sparse_types = list_sparse_types
        self.list_dense = list(zip(list_dense_types, [s.as_list() for s in list_dense_shapes]))
        from minitf.proto.example_pb2 import SequenceExample
        self._proto = SequenceExample

    def __call__(self, serialized, keys, missing_assumed_empty, context_defaults):
        context_sparse_keys, context_dense_keys, list_sparse_keys, list_dense_keys = keys
        example = self._proto()
        try:
            example.ParseFromString(bytes(serialized.reshape(()).item()))
        except Exception:  # noqa: BLE001 -- protobuf's DecodeError, whatever the runtime
            raise invalid_argument("Could not parse example input, value: '"
                                   + bytes(serialized.reshape(()).item()).decode("utf-8", "replace") + "'") from None
        context = example.context.feature
        lists = example.feature_lists.feature_list
        sparse = [self._context_values(context, key, dtype) for key, dtype in zip(context_sparse_keys,
                                                                                  self.context_sparse_types)]
        outputs = [np.arange(len(v), dtype=np.int64).reshape(-1, 1) for v in sparse] + sparse
        outputs += [np.array([len(v)], np.int64) for v in sparse]
        for key, (dtype, shape), default in zip(context_dense_keys, self.context_dense, context_defaults):
            outputs.append(self._context_dense(context, key, dtype, shape, default))
        rows = [[self._list_values(lists, key, t, dtype) for t in range(len(lists[key].feature))]
                if key in lists else [] for key, dtype in zip(list_sparse_keys, self.list_sparse_types)]
        outputs += [np.array([[t, j] for t, row in enumerate(feature) for j in range(len(row))],
                             np.int64).reshape(-1, 2) for feature in rows]
        outputs += [_concat(feature, dtype) for feature, dtype in zip(rows, self.list_sparse_types)]
        outputs += [np.array([len(feature), max((len(r) for r in feature), default=0)], np.int64)
                    for feature in rows]
        dense = [self._list_dense(lists, key, dtype, shape, bool(empty_ok))
                 for key, (dtype, shape), empty_ok in zip(list_dense_keys, self.list_dense, missing_assumed_empty)]
        return tuple(outputs + dense + [np.int64(len(d)) for d in dense])

    def _context_values(self, context, key, dtype):
        if key not in context:
            return np.zeros(0, _NUMPY[dtype])
        kind = context[key].WhichOneof("kind")
        if kind is not None and kind != _KINDS[dtype]:
            raise invalid_argument(f"Name: <unknown>, Context feature: {key}.  Data types don't match. Expected "
                                   f"type: {_dtype_name(dtype)}")
        return _array(getattr(context[key], _KINDS[dtype]).value if kind else [], dtype)

    def _context_dense(self, context, key, dtype, shape, default):
        size = int(np.prod(shape))
        values = self._context_values(context, key, dtype) if key in context else None
        if values is None and default.size:
            return np.asarray(default).reshape(shape).astype(_NUMPY[dtype])
        found = 0 if values is None else values.size
        if found != size:
            raise invalid_argument(f"Inconsistent max number of elements for feature {key}: expected {size}, but "
                                   f"found {found}")
        return values.reshape(shape)

    def _list_values(self, lists, key, index, dtype):
        feature = lists[key].feature[index]
        kind = feature.WhichOneof("kind")
        if kind is not None and kind != _KINDS[dtype]:
            raise invalid_argument(f"Name: <unknown>, Feature list: {key}, Index: {index}.  Data types don't match. "
                                   f"Expected type: {_dtype_name(dtype)}")
        return _array(getattr(feature, _KINDS[dtype]).value if kind else [], dtype)

    def _list_dense(self, lists, key, dtype, shape, empty_ok):
        if key not in lists:
            if not empty_ok:
                raise invalid_argument(f"Name: <unknown>, Feature list '{key}' is required but could not be found.  "
                                       "Did you mean to include it in feature_list_dense_missing_assumed_empty or "
                                       "feature_list_dense_defaults?")
            return np.zeros([0] + shape, _NUMPY[dtype])
        rows = [self._list_values(lists, key, t, dtype) for t in range(len(lists[key].feature))]
        values = _concat(rows, dtype)
        stride = int(np.prod(shape))
        if values.size != len(rows) * stride:
            raise invalid_argument(f"Feature list '{key}' has an unexpected number of values.  Total values size: "
                                   f"{values.size} is not consistent with output shape: "
                                   f"[?,{','.join(map(str, shape))}]".replace("[?,]", "[?]"))
        return values.reshape([len(rows)] + shape)


def _array(values, dtype):
    if dtype == dtypes.string:
        array = np.empty(len(values), dtype=object)
        array[:] = list(values)
        return array
    return np.array(values, dtype=_NUMPY[dtype])


def _concat(rows, dtype):
    return np.concatenate(rows).astype(_NUMPY[dtype]) if rows else np.zeros(0, _NUMPY[dtype])
