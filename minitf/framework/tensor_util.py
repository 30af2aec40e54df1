"""Conversion between Python/numpy values, TensorProtos and static values of tensors."""

import numbers

import numpy as np

from minitf.framework import dtypes, tensor_shape


def _python_dtype(value):
    """TensorFlow's default dtype for a Python scalar or nested list of scalars (None if not one)."""
    kinds = set()

    def visit(v):
        if isinstance(v, (list, tuple)):
            for item in v:
                visit(item)
        elif isinstance(v, (bool, np.bool_)):
            kinds.add("bool")
        elif isinstance(v, (np.generic, np.ndarray)):
            kinds.add(np.asarray(v).dtype)
        elif isinstance(v, numbers.Integral):
            kinds.add("int64" if not -2**31 <= int(v) < 2**31 else "int")
        elif isinstance(v, numbers.Real):
            kinds.add("float")
        elif isinstance(v, numbers.Complex):
            kinds.add("complex")
        elif isinstance(v, (str, bytes)):
            kinds.add("string")
        else:
            raise TypeError(f"Failed to convert elements of {value!r} to Tensor. Consider casting elements to a "
                            "supported type.")

    visit(value)
    if not kinds:
        return dtypes.float32
    if "string" in kinds:
        if len(kinds) > 1:
            raise TypeError(f"Failed to convert elements of {value!r} to Tensor: mixed strings and numbers.")
        return dtypes.string
    numpy_kinds = [k for k in kinds if isinstance(k, np.dtype)]
    if numpy_kinds and len(kinds) == len(numpy_kinds):
        return dtypes.as_dtype(np.result_type(*numpy_kinds))
    if "complex" in kinds:
        return dtypes.complex128
    if "float" in kinds or any(isinstance(k, np.dtype) and k.kind == "f" for k in kinds):
        return dtypes.float32
    if "int64" in kinds:
        return dtypes.int64
    if "int" in kinds or any(isinstance(k, np.dtype) and k.kind in "iu" for k in kinds):
        return dtypes.int32
    return dtypes.bool


def _to_bytes(v):
    return v.encode("utf-8") if isinstance(v, str) else bytes(v)


def to_numpy(value, dtype=None):
    """Converts a Python/numpy value to a numpy array of a TensorFlow dtype, with TensorFlow's type checks."""
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype).base_dtype
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        array = np.asarray(value)
        if array.dtype.kind in "USO":
            array = np.vectorize(_to_bytes, otypes=[object])(array) if array.size else array.astype(object)
            inferred = dtypes.string
        else:
            inferred = dtypes.as_dtype(array.dtype)
    else:
        inferred = _python_dtype(value)
        if inferred == dtypes.string:
            array = np.empty(np.shape(value), dtype=object) if isinstance(value, (list, tuple)) else None
            if array is None:
                array = np.array(_to_bytes(value), dtype=object)
            else:
                flat = array.reshape(-1)
                for i, item in enumerate(_flatten(value)):
                    flat[i] = _to_bytes(item)
        else:
            try:
                array = np.array(value, dtype=inferred.as_numpy_dtype)
            except ValueError as e:
                raise ValueError(f"Can't convert non-rectangular Python sequence to Tensor: {e}") from None
    if dtype is None or dtype == inferred:
        return array
    _check_compatible(value, inferred, dtype)
    if dtype == dtypes.string:
        raise TypeError(f"Expected string, got {_describe(value)} instead.")
    if not isinstance(value, (np.ndarray, np.generic)) and not (inferred.is_integer and dtype.is_integer):
        return np.array(value, dtype=dtype.as_numpy_dtype)  # Python numbers go straight to the wanted precision
    return array.astype(dtype.as_numpy_dtype)


def _flatten(value):
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from _flatten(item)
    else:
        yield value


def _describe(value):
    return f"{value!r} of type '{type(value).__name__}'"


def _check_compatible(value, inferred, wanted):
    """TensorFlow refuses lossy conversions of Python values (a float where an int is expected)."""
    if isinstance(value, (list, tuple)) and not any(True for _ in _flatten(value)):
        return
    if isinstance(value, (np.ndarray, np.generic)):
        if inferred == dtypes.string or (wanted == dtypes.string):
            raise TypeError(f"Expected {wanted.name}, got {_describe(value)} instead.")
        return
    ok = {
        dtypes.bool: wanted.is_bool,
        dtypes.int32: wanted.is_integer or wanted.is_floating or wanted.is_complex,
        dtypes.int64: wanted.is_integer or wanted.is_floating or wanted.is_complex,
        dtypes.float32: wanted.is_floating or wanted.is_complex,
        dtypes.complex128: wanted.is_complex,
        dtypes.string: wanted == dtypes.string,
    }.get(inferred, True)
    if not ok:
        raise TypeError(f"Expected {wanted.name}, got {_describe(value)} instead.")
    # Python integers outside a narrower integer dtype wrap around, as in TensorFlow (tf.constant(300, tf.uint8)
    # is 44).


def make_tensor_proto(values, dtype=None, shape=None):
    """A TensorProto of ``values`` as TensorFlow encodes it (``tensor_content`` for more than one element)."""
    from minitf.proto import tensor_pb2
    array = values if isinstance(values, np.ndarray) and dtype is None else to_numpy(values, dtype)
    if shape is not None:
        array = broadcast_to_shape(array, shape)
    dtype = dtypes.as_dtype(array.dtype) if array.dtype != object else dtypes.string
    proto = tensor_pb2.TensorProto(dtype=dtype.as_datatype_enum)
    proto.tensor_shape.CopyFrom(tensor_shape.TensorShape(array.shape).as_proto())
    if dtype == dtypes.string:
        proto.string_val.extend(_to_bytes(v) for v in array.reshape(-1))
    elif array.size > 1:
        proto.tensor_content = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes()
    elif array.size == 1:
        _append_scalar(proto, dtype, array.reshape(-1)[0])
    return proto


def _append_scalar(proto, dtype, v):
    if dtype == dtypes.float32:
        proto.float_val.append(float(v))
    elif dtype == dtypes.float64:
        proto.double_val.append(float(v))
    elif dtype == dtypes.float16:
        proto.half_val.append(int(np.asarray(v, np.float16).view(np.uint16)))
    elif dtype in (dtypes.int32, dtypes.int16, dtypes.int8, dtypes.uint8, dtypes.uint16):
        proto.int_val.append(int(v))
    elif dtype == dtypes.int64:
        proto.int64_val.append(int(v))
    elif dtype == dtypes.uint32:
        proto.uint32_val.append(int(v))
    elif dtype == dtypes.uint64:
        proto.uint64_val.append(int(v))
    elif dtype == dtypes.bool:
        proto.bool_val.append(bool(v))
    elif dtype == dtypes.complex64:
        proto.scomplex_val.extend([float(v.real), float(v.imag)])
    elif dtype == dtypes.complex128:
        proto.dcomplex_val.extend([float(v.real), float(v.imag)])
    else:
        raise TypeError(f"Unsupported dtype {dtype.name} in a TensorProto")


_VAL_FIELDS = {
    dtypes.float32: "float_val", dtypes.float64: "double_val", dtypes.int32: "int_val", dtypes.int16: "int_val",
    dtypes.int8: "int_val", dtypes.uint8: "int_val", dtypes.uint16: "int_val", dtypes.int64: "int64_val",
    dtypes.uint32: "uint32_val", dtypes.uint64: "uint64_val", dtypes.bool: "bool_val",
    dtypes.float16: "half_val", dtypes.complex64: "scomplex_val", dtypes.complex128: "dcomplex_val",
}


def MakeNdarray(proto):  # noqa: N802 -- TensorFlow's public name
    """The numpy array a TensorProto holds."""
    dtype = dtypes.as_dtype(proto.dtype)
    shape = tuple(tensor_shape.shape_from_proto(proto.tensor_shape).as_list())
    n = int(np.prod(shape, dtype=np.int64))
    if dtype == dtypes.string:
        values = np.empty(n, dtype=object)
        strings = list(proto.string_val)
        if strings:
            values[:len(strings)] = strings
            values[len(strings):] = strings[-1]
        return values.reshape(shape)
    np_dtype = np.dtype(dtype.as_numpy_dtype)
    if proto.tensor_content:
        return np.frombuffer(proto.tensor_content, dtype=np_dtype.newbyteorder("<")).astype(np_dtype).reshape(shape)
    field = _VAL_FIELDS.get(dtype)
    if field is None:
        raise TypeError(f"Unsupported dtype {dtype.name} in a TensorProto")
    raw = list(getattr(proto, field))
    if dtype == dtypes.float16:
        values = np.array(raw, dtype=np.uint16).view(np.float16)
    elif dtype.is_complex:
        values = np.array(raw[0::2], dtype=np_dtype) + 1j * np.array(raw[1::2], dtype=np_dtype)
    else:
        values = np.array(raw, dtype=np_dtype)
    if values.size == n:
        return values.reshape(shape)
    if values.size == 0:
        return np.zeros(shape, dtype=np_dtype)
    out = np.empty(n, dtype=np_dtype)
    out[:values.size] = values
    out[values.size:] = values[-1]
    return out.reshape(shape)


def broadcast_to_shape(array, shape):
    """``tf.constant(value, shape=...)``: a scalar or one-element value fills the shape; else sizes must match."""
    shape = tuple(int(d) for d in shape)
    n = int(np.prod(shape, dtype=np.int64))
    if array.size == n:
        return array.reshape(shape)
    if array.size == 1:
        return np.full(shape, array.reshape(-1)[0], dtype=array.dtype)
    raise TypeError(f"Eager execution of tf.constant with unsupported shape. Tried to convert a value with "
                    f"{array.size} elements to a tensor of shape {list(shape)} ({n} elements).")


def constant_value(tensor):
    """The value of ``tensor`` if it can be computed at graph-construction time, else None."""
    from minitf.framework import ops
    if not isinstance(tensor, ops.Tensor):
        return np.asarray(tensor)
    static_value = tensor.op._op_def.static_value  # Const, Shape, Identity, Pack, Cast ... (op_registry.OpDef)
    return None if static_value is None else static_value(tensor.op)


_NOT_CONSTANT = ("Placeholder", "PlaceholderWithDefault")


def evaluate_constant(tensor, depth=24):
    """The value of ``tensor`` computed from the constants it depends on, or None: TensorFlow's C++ shape inference
    (``EvaluateConstantTensor``) runs the small subgraph of stateless ops behind an input a shape function reads
    (a Reshape's or Slice's shape, DenseBincount's size ...), where the Python-side ``constant_value`` knows a few
    op types only."""
    from minitf.framework import ops
    value = constant_value(tensor)
    if value is not None or not isinstance(tensor, ops.Tensor) or depth == 0:
        return value
    op = tensor.op
    op_def = op._op_def
    if (op_def.stateful or op_def.kernel is None or op_def.ref_inputs or op_def.dataflow or op.type in _NOT_CONSTANT
            or tensor.dtype.is_ref_dtype):
        return None
    inputs = []
    for t in op.inputs:
        inputs.append(evaluate_constant(t, depth - 1))
        if inputs[-1] is None:
            return None
    try:
        out = op_def.kernel(op, None)(*inputs)
    except Exception:  # noqa: BLE001 -- a kernel error means "not evaluable at graph construction", as TensorFlow
        return None
    return np.asarray(out[tensor.value_index] if isinstance(out, tuple) else out)


def constant_value_as_shape(tensor):
    """The TensorShape described by a 1-D int tensor, with unknown dims where its value is not static."""
    from minitf.framework import ops
    if isinstance(tensor, ops.Tensor) and tensor.op._op_def.static_shape is not None:  # Shape, Pack, ConcatV2
        shape = tensor.op._op_def.static_shape(tensor.op)
        if shape is not None:  # None: the op knows nothing beyond its value
            return shape
    value = evaluate_constant(tensor)  # as TensorFlow's shape functions, which evaluate constant subgraphs
    if value is None:
        if isinstance(tensor, ops.Tensor):
            n = tensor.shape[0].value if tensor.shape.ndims == 1 else None
            return tensor_shape.unknown_shape(n)
        return tensor_shape.unknown_shape()
    if value.ndim == 0:
        raise ValueError("Shape must be rank 1 but is rank 0")
    return tensor_shape.TensorShape([None if d < 0 else int(d) for d in value.tolist()])

