"""Parsing ops: ``tf.parse_example`` / ``tf.parse_single_example`` (TensorFlow's ``ParseExampleV2``) with
``FixedLenFeature``, ``VarLenFeature`` and ``FixedLenSequenceFeature``; ``tf.decode_raw``; ``tf.decode_csv``;
``tf.string_to_number``.

The graphs are TensorFlow 2.21's ``tf.compat.v1`` graphs: ``parse_single_example`` feeds its scalar straight to
``ParseExampleV2`` under ``ParseSingleExample/ParseExample``, features are taken in sorted key order, and each
dense feature's default is a Const (reshaped to the feature's shape when given).
"""

import collections
import re

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape
from minitf.framework.op_def_lib import invalid_argument, no_gradient, register
from minitf.framework.sparse_tensor import SparseTensor
from minitf.ops import csv_parser
from minitf.ops.example_parser import ExampleParser, SequenceExampleParser


class VarLenFeature(collections.namedtuple("VarLenFeature", ["dtype"])):
    """A variable-length feature, parsed into a SparseTensor."""


class FixedLenFeature(collections.namedtuple("FixedLenFeature", ["shape", "dtype", "default_value"])):
    """A feature of fixed shape, parsed into a dense Tensor (``default_value`` when an example lacks it)."""

    def __new__(cls, shape, dtype, default_value=None):
        return super().__new__(cls, shape, dtype, default_value)


class FixedLenSequenceFeature(collections.namedtuple("FixedLenSequenceFeature",
                                                     ["shape", "dtype", "allow_missing", "default_value"])):
    """A feature holding any number of ``shape``-sized items, parsed into a dense Tensor padded with
    ``default_value`` to the longest example of the batch."""

    def __new__(cls, shape, dtype, allow_missing=False, default_value=None):
        return super().__new__(cls, shape, dtype, allow_missing, default_value)


class _ParseParams:
    """The keys, types, shapes and defaults ``ParseExampleV2`` takes, from a dict of features (sorted by key)."""

    def __init__(self, features, allowed=(VarLenFeature, FixedLenFeature, FixedLenSequenceFeature)):
        self.sparse_keys, self.sparse_types = [], []
        self.dense_keys, self.dense_types, self.dense_shapes, self.dense_defaults = [], [], [], {}
        for key in sorted(features or {}):
            feature = features[key]
            if not isinstance(feature, allowed):
                raise ValueError(f"Unsupported {type(feature).__name__} {feature} for key '{key}'")
            if isinstance(feature, VarLenFeature):
                self.sparse_keys.append(key)
                self.sparse_types.append(dtypes.as_dtype(feature.dtype))
            else:
                self._add_dense(key, feature)

    def _add_dense(self, key, feature):
        shape = tensor_shape.as_shape(feature.shape)
        if isinstance(feature, FixedLenFeature):
            if feature.shape and shape.ndims and shape.dims[0].value is None:
                raise ValueError(f"First dimension of shape for feature {key} unknown. Consider using "
                                 f"FixedLenSequenceFeature. Received feature={_feature_text(feature)}.")
            if not shape.is_fully_defined():
                raise ValueError(f"All dimensions of shape for feature {key} need to be known but received "
                                 f"{feature.shape!s}.")
        self.dense_keys.append(key)
        self.dense_types.append(dtypes.as_dtype(feature.dtype))
        self.dense_shapes.append(shape)
        if isinstance(feature, FixedLenSequenceFeature) and feature.allow_missing:
            self.dense_defaults[key] = None  # a feature list that may be missing (parse_single_sequence_example)
        if feature.default_value is not None:
            self.dense_defaults[key] = feature.default_value

    def dense_default_tensors(self):
        """One Const per dense feature, made as TensorFlow's ``_make_dense_default``."""
        from minitf.ops import array_ops
        from minitf.ops.constant_op import constant
        tensors = []
        for key, shape, dtype in zip(self.dense_keys, self.dense_shapes, self.dense_types):
            default = self.dense_defaults.get(key)
            clean = re.sub("[^A-Za-z0-9_.\\-/]", "_", key)
            if shape.ndims and shape.dims[0].value is None:  # a sequence: a scalar padding value
                if default is None:
                    tensors.append(ops.convert_to_tensor("" if dtype == dtypes.string else 0, dtype=dtype))
                else:
                    value = ops.convert_to_tensor(default, dtype=dtype, name="padding_" + clean)
                    tensors.append(_reshape_to_scalar(value))
            elif default is None:
                tensors.append(constant(_empty(dtype), dtype=dtype))
            elif isinstance(default, ops.Tensor):
                tensors.append(default)
            else:
                value = ops.convert_to_tensor(default, dtype=dtype, name="key_" + clean)
                tensors.append(array_ops.reshape(value, shape.as_list()))
        return tensors


def _reshape_to_scalar(value):
    """``array_ops.reshape(value, [])`` as TensorFlow's op wrapper builds it: it first converts ``[]`` as a float32
    Const (``Reshape/shape``), which Reshape's int32/int64 ``Tshape`` rejects, then again as int32
    (``Reshape/shape_1``); the first Const stays in the graph unused."""
    from minitf.ops.constant_op import constant
    graph = value.graph
    with graph.name_scope("Reshape") as scope:
        constant(_empty(dtypes.float32), name="shape")
        shape = constant(_empty(dtypes.int32), name="shape_1")
        attrs = {"T": value.dtype.base_dtype, "Tshape": dtypes.int32}
        return graph.create_op("Reshape", [value, shape], attrs, scope).outputs[0]


def _empty(dtype):
    return np.zeros(0, object if dtype == dtypes.string else dtype.as_numpy_dtype)


def _strings(values, name):
    """A string vector (an empty list too, which would otherwise convert as float32)."""
    if isinstance(values, ops.Tensor):
        return values
    return ops.convert_to_tensor(np.array(values, dtype=object).reshape(-1), dtype=dtypes.string, name=name)


def _feature_text(feature):
    fields = ", ".join(f"{name}={_dtype_text(value)}" for name, value in zip(feature._fields, feature))
    return f"{type(feature).__name__}({fields})"


def _dtype_text(value):
    return f"tf.{value.name}" if isinstance(value, dtypes.DType) else repr(value)


def _prepend_none_dimension(features):
    """FixedLenSequenceFeature shapes gain a leading unknown dimension, as in TensorFlow."""
    result = dict(features)
    for key, feature in features.items():
        if isinstance(feature, FixedLenSequenceFeature):
            if not feature.allow_missing:
                raise ValueError("Unsupported: FixedLenSequenceFeature requires allow_missing to be True.")
            result[key] = FixedLenSequenceFeature([None] + list(feature.shape), feature.dtype,
                                                  feature.allow_missing, feature.default_value)
    return result


# -- ParseExampleV2 ------------------------------------------------------------------------------------------------

_DENSE_TYPES = (dtypes.float32, dtypes.int64, dtypes.string)


def _parse_example_infer(op):
    serialized = op.inputs[0].shape
    num_sparse = op.get_attr("num_sparse")
    rank = serialized.ndims
    index_shape = tensor_shape.TensorShape([None, None if rank is None else rank + 1])
    shape_shape = tensor_shape.TensorShape([None if rank is None else rank + 1])
    specs = [(dtypes.int64, index_shape)] * num_sparse
    specs += [(dtype, tensor_shape.TensorShape([None])) for dtype in op.get_attr("sparse_types")]
    specs += [(dtypes.int64, shape_shape)] * num_sparse
    for dtype, shape in zip(op.get_attr("Tdense"), op.get_attr("dense_shapes")):
        specs.append((dtype, tensor_shape.unknown_shape() if rank is None else serialized.concatenate(shape)))
    return specs


def _parse_example_kernel(op, state):
    parser = None

    def kernel(serialized, names, sparse_keys, dense_keys, ragged_keys, *defaults):
        nonlocal parser
        if parser is None:
            parser = ExampleParser([k.decode() for k in sparse_keys.tolist()], op.get_attr("sparse_types"),
                                   [k.decode() for k in dense_keys.tolist()], op.get_attr("Tdense"),
                                   op.get_attr("dense_shapes"))
        outputs = parser(serialized, names, defaults)
        return outputs[0] if len(outputs) == 1 else outputs  # one output is returned as itself
    return kernel


register("ParseExampleV2", _parse_example_infer, _parse_example_kernel,
         input_names=("serialized", "names", "sparse_keys", "dense_keys", "ragged_keys", "dense_defaults"))
no_gradient("ParseExampleV2")


def _parse_example_raw(serialized, names, params, name):
    if not (params.sparse_keys or params.dense_keys):
        raise ValueError("Must provide at least one feature key.")
    with ops.name_scope(name, "ParseExample", [serialized, names]):
        names = [] if names is None else names
        serialized = ops.convert_to_tensor(serialized, name="serialized")
        defaults = params.dense_default_tensors()
        graph = serialized.graph
        with graph.name_scope(name or "ParseExampleV2") as scope:
            inputs = [serialized, _strings(names, "names")]
            for arg, keys in [("sparse_keys", params.sparse_keys), ("dense_keys", params.dense_keys),
                              ("ragged_keys", [])]:
                inputs.append(_strings(keys, arg))
            for tensor in defaults:
                if tensor.dtype.base_dtype not in _DENSE_TYPES:
                    raise TypeError(f"Value passed to parameter 'dense_defaults' has DataType {tensor.dtype.name} "
                                    "not in list of allowed values: float32, int64, string")
            attrs = {"Tdense": [t.dtype.base_dtype for t in defaults], "num_sparse": len(params.sparse_keys),
                     "sparse_types": params.sparse_types, "ragged_value_types": [], "ragged_split_types": [],
                     "dense_shapes": params.dense_shapes}
            outputs = graph.create_op("ParseExampleV2", inputs + defaults, attrs, scope).outputs
    n = len(params.sparse_keys)
    sparse = [SparseTensor(outputs[i], outputs[n + i], outputs[2 * n + i]) for i in range(n)]
    return dict(zip(params.sparse_keys + params.dense_keys, sparse + list(outputs[3 * n:])))


def parse_example(serialized, features, name=None, example_names=None):
    """``tf.parse_example``: a dict of Tensors and SparseTensors from a batch of serialized Examples."""
    if not features:
        raise ValueError(f"Argument `features` cannot be None or falsy. Got {features}")
    params = _ParseParams(_prepend_none_dimension(features))
    return _parse_example_raw(serialized, example_names, params, name)


def parse_single_example(serialized, features, name=None, example_names=None):
    """``tf.parse_single_example``: ``parse_example`` of a scalar, without the batch dimension."""
    if features is None:
        raise ValueError("Invalid argument: features cannot be None.")
    if not features:
        raise ValueError("Invalid argument: features cannot be empty.")
    with ops.name_scope(name, "ParseSingleExample", [serialized, example_names]):
        serialized = ops.convert_to_tensor(serialized, name="serialized")
        if serialized.shape.ndims is not None and serialized.shape.ndims != 0:
            raise ValueError("Input serialized must be a scalar")
        return parse_example(serialized, features, name, example_names)


# -- ParseSequenceExampleV2 ----------------------------------------------------------------------------------------

_SEQUENCE_ATTRS = ("Ncontext_sparse", "Nfeature_list_sparse", "Nfeature_list_dense")


def _parse_sequence_infer(op):
    rank = op.inputs[0].shape.ndims
    if rank != 0:
        raise ValueError("minitf parses one SequenceExample at a time (a scalar serialized)")
    specs = []
    for prefix, inner in (("context", 1), ("feature_list", 2)):
        count = op.get_attr("Ncontext_sparse" if prefix == "context" else "Nfeature_list_sparse")
        specs += [(dtypes.int64, tensor_shape.TensorShape([None, inner]))] * count
        specs += [(t, tensor_shape.TensorShape([None])) for t in op.get_attr(prefix + "_sparse_types")]
        specs += [(dtypes.int64, tensor_shape.TensorShape([inner]))] * count
        if prefix == "context":
            specs += [(t, tensor_shape.as_shape(s)) for t, s in zip(op.get_attr("Tcontext_dense"),
                                                                     op.get_attr("context_dense_shapes"))]
    shapes = op.get_attr("feature_list_dense_shapes")
    specs += [(t, tensor_shape.TensorShape([None]).concatenate(s))
              for t, s in zip(op.get_attr("feature_list_dense_types"), shapes)]
    specs += [(dtypes.int64, tensor_shape.scalar())] * len(shapes)
    return specs


def _parse_sequence_kernel(op, state):
    parser = SequenceExampleParser(op.get_attr("context_sparse_types"), op.get_attr("Tcontext_dense"),
                                   op.get_attr("context_dense_shapes"), op.get_attr("feature_list_sparse_types"),
                                   op.get_attr("feature_list_dense_types"), op.get_attr("feature_list_dense_shapes"))

    def kernel(serialized, debug_name, context_sparse_keys, context_dense_keys, context_ragged_keys,
               list_sparse_keys, list_dense_keys, list_ragged_keys, missing_assumed_empty, *context_defaults):
        outputs = parser(serialized, [_keys(k) for k in (context_sparse_keys, context_dense_keys,
                                                           list_sparse_keys, list_dense_keys)],
                         missing_assumed_empty, context_defaults)
        return outputs[0] if len(outputs) == 1 else outputs
    return kernel


def _keys(array):
    return [k.decode() for k in array.tolist()]


register("ParseSequenceExampleV2", _parse_sequence_infer, _parse_sequence_kernel,
         input_names=("serialized", "debug_name", "context_sparse_keys", "context_dense_keys", "context_ragged_keys",
                      "feature_list_sparse_keys", "feature_list_dense_keys", "feature_list_ragged_keys",
                      "feature_list_dense_missing_assumed_empty", "context_dense_defaults"))
no_gradient("ParseSequenceExampleV2")


def parse_single_sequence_example(serialized, context_features=None, sequence_features=None, example_name=None,
                                  name=None):
    """``tf.parse_single_sequence_example``: ``(context, feature_lists)`` dicts of Tensors and SparseTensors from one
    serialized SequenceExample (``ParseSequenceExampleV2`` under
    ``ParseSingleSequenceExample/ParseSequenceExample``)."""
    if not (context_features or sequence_features):
        raise ValueError("Both context_features and sequence_features are None, but at least one should have values.")
    context = _ParseParams(context_features, (VarLenFeature, FixedLenFeature))
    lists = _ParseParams(sequence_features, (VarLenFeature, FixedLenSequenceFeature))
    with ops.name_scope(name, "ParseSingleSequenceExample", [serialized, example_name]):
        with ops.name_scope(name, "ParseSingleExample", [serialized, example_name]):
            serialized = ops.convert_to_tensor(serialized, name="serialized")
            if serialized.shape.ndims is not None and serialized.shape.ndims != 0:
                raise ValueError("Input serialized must be a scalar")
        return _parse_sequence_example_raw(serialized, example_name, context, lists, name)


def _parse_sequence_example_raw(serialized, debug_name, context, lists, name):
    if not (context.sparse_keys or context.dense_keys or lists.sparse_keys or lists.dense_keys):
        raise ValueError("Must provide at least one feature key.")
    with ops.name_scope(name, "ParseSequenceExample", [serialized]):
        debug_name = [] if debug_name is None else debug_name
        for key, value in lists.dense_defaults.items():
            if value is not None:
                raise ValueError(f"Value feature_list.dense_defaults[{key}] must be None")
        serialized = ops.convert_to_tensor(serialized, name="serialized")
        defaults = context.dense_default_tensors()
        graph = serialized.graph
        with graph.name_scope(name or "ParseSequenceExampleV2") as scope:
            inputs = [serialized, _strings(debug_name, "debug_name")]
            for arg, keys in [("context_sparse_keys", context.sparse_keys), ("context_dense_keys", context.dense_keys),
                              ("context_ragged_keys", []), ("feature_list_sparse_keys", lists.sparse_keys),
                              ("feature_list_dense_keys", lists.dense_keys), ("feature_list_ragged_keys", [])]:
                inputs.append(_strings(keys, arg))
            assumed_empty = np.array([key in lists.dense_defaults for key in lists.dense_keys], dtype=bool)
            inputs.append(ops.convert_to_tensor(assumed_empty, dtype=dtypes.bool,
                                                name="feature_list_dense_missing_assumed_empty"))
            attrs = {"Ncontext_sparse": len(context.sparse_keys), "Nfeature_list_sparse": len(lists.sparse_keys),
                     "Nfeature_list_dense": len(lists.dense_keys), "context_sparse_types": context.sparse_types,
                     "context_ragged_value_types": [], "context_ragged_split_types": [],
                     "feature_list_dense_types": lists.dense_types, "feature_list_sparse_types": lists.sparse_types,
                     "feature_list_ragged_value_types": [], "feature_list_ragged_split_types": [],
                     "context_dense_shapes": context.dense_shapes, "feature_list_dense_shapes": lists.dense_shapes,
                     "Tcontext_dense": [t.dtype.base_dtype for t in defaults]}
            outputs = list(graph.create_op("ParseSequenceExampleV2", inputs + defaults, attrs, scope).outputs)
    context_out = _take_sparse(outputs, len(context.sparse_keys), context.sparse_keys)
    context_out.update(zip(context.dense_keys, [outputs.pop(0) for _ in context.dense_keys]))
    lists_out = _take_sparse(outputs, len(lists.sparse_keys), lists.sparse_keys)
    lists_out.update(zip(lists.dense_keys, outputs[:len(lists.dense_keys)]))
    return context_out, lists_out


def _take_sparse(outputs, count, keys):
    """SparseTensors from the first ``3 * count`` of ``outputs`` (indices, values, shapes), removed from it."""
    parts = [outputs.pop(0) for _ in range(3 * count)]
    return {key: SparseTensor(parts[i], parts[count + i], parts[2 * count + i]) for i, key in enumerate(keys)}


# -- DecodeRaw, DecodeCSV, StringToNumber --------------------------------------------------------------------------

def _decode_raw_infer(op):
    return [(op.get_attr("out_type"), op.inputs[0].shape.concatenate([None]))]


def _decode_raw_kernel(op, state):
    dtype = np.dtype(op.get_attr("out_type").as_numpy_dtype)
    dtype = dtype.newbyteorder("<" if op.get_attr("little_endian") else ">")
    type_name = op.get_attr("out_type").name

    def kernel(value):
        flat = value.reshape(-1)
        if flat.size == 0:
            return np.zeros(value.shape + (0,), dtype.newbyteorder("="))
        size = len(flat[0])
        if size % dtype.itemsize:
            raise invalid_argument(f"Input to DecodeRaw has length {size} that is not a multiple of "
                                   f"{dtype.itemsize}, the size of {type_name}")
        for i, item in enumerate(flat):
            if len(item) != size:
                raise invalid_argument(f"DecodeRaw requires input strings to all be the same size, but element "
                                       f"{i} has size {size} != {len(item)}")
        data = np.frombuffer(b"".join(flat.tolist()), dtype=dtype).astype(dtype.newbyteorder("="))
        return data.reshape(value.shape + (size // dtype.itemsize,))
    return kernel


register("DecodeRaw", _decode_raw_infer, _decode_raw_kernel, input_names=("bytes",))
no_gradient("DecodeRaw")


def decode_raw(input_bytes=None, out_type=None, little_endian=True, name=None, bytes=None):  # noqa: A002 -- TF's
    """``tf.decode_raw``: the bytes of each string as a vector of ``out_type`` numbers."""
    value = input_bytes if input_bytes is not None else bytes
    out_type = dtypes.as_dtype(out_type)
    graph = ops._graph_of([value]) or ops.get_default_graph()
    with graph.as_default(), graph.name_scope(name or "DecodeRaw") as scope:
        value = ops.convert_to_tensor(value, dtype=dtypes.string, name="bytes")
        return graph.create_op("DecodeRaw", [value], {"out_type": out_type, "little_endian": bool(little_endian)},
                               scope).outputs[0]


def _decode_csv_infer(op):
    shape = op.inputs[0].shape
    return [(dtype, shape) for dtype in op.get_attr("OUT_TYPE")]


def _decode_csv_kernel(op, state):
    delim = _text(op.get_attr("field_delim"))
    quote = op.get_attr("use_quote_delim")
    na_value = _text(op.get_attr("na_value"))
    select = op.get_attr("select_cols")
    out_types = op.get_attr("OUT_TYPE")

    def kernel(records, *defaults):
        columns = csv_parser.decode(records, defaults, out_types, delim, quote, na_value, select)
        return columns[0] if len(columns) == 1 else columns  # one output is its value itself
    return kernel


register("DecodeCSV", _decode_csv_infer, _decode_csv_kernel, input_names=("records", "record_defaults"))
no_gradient("DecodeCSV")


def decode_csv(records, record_defaults, field_delim=",", use_quote_delim=True, name=None, na_value="",
               select_cols=None):
    """``tf.decode_csv``: one tensor per column of the CSV ``records``, ``record_defaults`` filling empty fields
    (an empty default makes the column required)."""
    if select_cols is not None and any(select_cols[i] >= select_cols[i + 1] for i in range(len(select_cols) - 1)):
        raise ValueError("select_cols is not strictly increasing.")
    if select_cols is not None and select_cols[0] < 0:
        raise ValueError("select_cols contains negative values.")
    if select_cols is not None and len(select_cols) != len(record_defaults):
        raise ValueError("Length of select_cols and record_defaults do not match.")
    graph = ops._graph_of([records] + list(record_defaults)) or ops.get_default_graph()
    with graph.as_default(), graph.name_scope(name or "DecodeCSV") as scope:
        records = ops.convert_to_tensor(records, dtype=dtypes.string, name="records")
        defaults = [ops.convert_to_tensor(d, name=f"record_defaults_{i}") for i, d in enumerate(record_defaults)]
        attrs = {"OUT_TYPE": [d.dtype.base_dtype for d in defaults], "field_delim": _text(field_delim),
                 "use_quote_delim": bool(use_quote_delim), "na_value": _text(na_value),
                 "select_cols": list(select_cols or [])}
        return list(graph.create_op("DecodeCSV", [records] + defaults, attrs, scope).outputs)


def _text(value):
    return value.decode() if isinstance(value, bytes) else value


def _string_to_number_kernel(op, state):
    out_type = op.get_attr("out_type")

    def kernel(strings):
        flat = strings.reshape(-1)
        out = np.empty(flat.shape, out_type.as_numpy_dtype)
        for i, text in enumerate(flat.tolist()):
            number = csv_parser.parse_number(text.decode("utf-8", "replace"), out_type)
            if number is None:
                raise invalid_argument(f"StringToNumberOp could not correctly convert string: "
                                       f"{text.decode('utf-8', 'replace')}")
            out[i] = number
        return out.reshape(strings.shape)
    return kernel


register("StringToNumber", lambda op: [(op.get_attr("out_type"), op.inputs[0].shape)], _string_to_number_kernel,
         input_names=("string_tensor",))
no_gradient("StringToNumber")


def string_to_number(string_tensor=None, out_type=dtypes.float32, name=None, input=None):  # noqa: A002 -- TF's
    """``tf.string_to_number``: each string parsed as a number of ``out_type``."""
    value = string_tensor if string_tensor is not None else input
    graph = ops._graph_of([value]) or ops.get_default_graph()
    with graph.as_default(), graph.name_scope(name or "StringToNumber") as scope:
        value = ops.convert_to_tensor(value, dtype=dtypes.string, name="string_tensor")
        return graph.create_op("StringToNumber", [value], {"out_type": dtypes.as_dtype(out_type)},
                               scope).outputs[0]
