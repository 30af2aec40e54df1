"""``tf.DType``: TensorFlow's data types, with TensorFlow's enum numbers (types.proto)."""

import builtins

import numpy as np

_REF_OFFSET = 100


class DType:
    """A TensorFlow element type. Instances are interned: compare with ``==`` or ``is``."""

    __slots__ = ("_enum", "_name", "_np")

    def __init__(self, enum, name, np_type):
        self._enum = enum
        self._name = name
        self._np = np_type

    @property
    def name(self):
        return self._name

    @property
    def as_datatype_enum(self):
        return self._enum

    @property
    def is_ref_dtype(self):
        return self._enum > _REF_OFFSET

    @property
    def base_dtype(self):
        return _BY_ENUM[self._enum - _REF_OFFSET] if self.is_ref_dtype else self

    @property
    def _as_ref(self):
        return self if self.is_ref_dtype else _BY_ENUM[self._enum + _REF_OFFSET]

    @property
    def real_dtype(self):
        base = self.base_dtype
        return {complex64: float32, complex128: float64}.get(base, base)

    @property
    def as_numpy_dtype(self):
        if self.base_dtype._np is None:
            raise TypeError(f"{self.base_dtype.name} has no numpy equivalent")
        return self.base_dtype._np

    @property
    def is_floating(self):
        return self.base_dtype in (float16, float32, float64, bfloat16)

    @property
    def is_complex(self):
        return self.base_dtype in (complex64, complex128)

    @property
    def is_integer(self):
        return self.base_dtype in (int8, int16, int32, int64, uint8, uint16, uint32, uint64)

    @property
    def is_unsigned(self):
        return self.base_dtype in (uint8, uint16, uint32, uint64)

    @property
    def is_bool(self):
        return self.base_dtype == bool

    @property
    def is_numeric(self):
        return self.is_floating or self.is_complex or self.is_integer

    @property
    def min(self):
        if self.is_floating and self.base_dtype != bfloat16:
            return float(np.finfo(self.as_numpy_dtype).min)
        if self.is_integer:
            return int(np.iinfo(self.as_numpy_dtype).min)
        raise TypeError(f"Cannot find minimum value of {self}.")

    @property
    def max(self):
        if self.is_floating and self.base_dtype != bfloat16:
            return float(np.finfo(self.as_numpy_dtype).max)
        if self.is_integer:
            return int(np.iinfo(self.as_numpy_dtype).max)
        raise TypeError(f"Cannot find maximum value of {self}.")

    @property
    def size(self):
        if self.base_dtype in (string, resource, variant):
            return 1
        return np.dtype(self.as_numpy_dtype).itemsize

    def is_compatible_with(self, other):
        other = as_dtype(other)
        return self._enum in (other.as_datatype_enum, other.base_dtype.as_datatype_enum)

    def __eq__(self, other):
        if other is None:
            return False
        if isinstance(other, DType):
            return self._enum == other._enum
        try:
            return self._enum == as_dtype(other)._enum
        except TypeError:
            return False

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return self._enum

    def __repr__(self):
        return f"tf.{self._name}"

    def __str__(self):
        return f"<dtype: {self._name!r}>"

    def __reduce__(self):
        return as_dtype, (self._name,)


_BY_ENUM = {}


def _make(enum, name, np_type):
    base = DType(enum, name, np_type)
    _BY_ENUM[enum] = base
    _BY_ENUM[enum + _REF_OFFSET] = DType(enum + _REF_OFFSET, name + "_ref", np_type)
    return base


float32 = _make(1, "float32", np.float32)
float64 = _make(2, "float64", np.float64)
int32 = _make(3, "int32", np.int32)
uint8 = _make(4, "uint8", np.uint8)
int16 = _make(5, "int16", np.int16)
int8 = _make(6, "int8", np.int8)
string = _make(7, "string", np.object_)
complex64 = _make(8, "complex64", np.complex64)
int64 = _make(9, "int64", np.int64)
bool = _make(10, "bool", np.bool_)  # noqa: A001 -- TensorFlow's public name
bfloat16 = _make(14, "bfloat16", None)
uint16 = _make(17, "uint16", np.uint16)
complex128 = _make(18, "complex128", np.complex128)
float16 = _make(19, "float16", np.float16)
resource = _make(20, "resource", None)
variant = _make(21, "variant", None)
uint32 = _make(22, "uint32", np.uint32)
uint64 = _make(23, "uint64", np.uint64)

half = float16
float = float32  # noqa: A001
double = float64

_BY_NAME = {d.name: d for d in _BY_ENUM.values()}
_BY_NAME.update({"half": float16, "float": float32, "double": float64})
_BY_NUMPY = {np.dtype(d._np): d for e, d in _BY_ENUM.items() if e < _REF_OFFSET and d._np is not None}
_BY_NUMPY[np.dtype("U")] = string
_BY_NUMPY[np.dtype("S")] = string
_BY_PYTHON = {builtins.float: float32, builtins.bool: bool, builtins.object: string}


def as_dtype(type_value):
    """Converts a DType, enum number, name, numpy dtype or Python type to a ``DType``."""
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, (builtins.int, np.integer)) and not isinstance(type_value, builtins.bool):
        if type_value in _BY_ENUM:
            return _BY_ENUM[type_value]
    elif isinstance(type_value, builtins.str):
        if type_value in _BY_NAME:
            return _BY_NAME[type_value]
    elif isinstance(type_value, type) and type_value in _BY_PYTHON:
        return _BY_PYTHON[type_value]
    elif type_value is not builtins.int:
        try:
            np_dtype = np.dtype(type_value)
        except TypeError:
            np_dtype = None
        if np_dtype is not None:
            if np_dtype.kind in "US":
                return string
            if np_dtype in _BY_NUMPY:
                return _BY_NUMPY[np_dtype]
    raise TypeError(f"Cannot convert {type_value!r} to a dtype.")
