"""The functions that convert Python values, numpy arrays, variables and lists to Tensors
(``tf.register_tensor_conversion_function``, TensorFlow's ``framework/tensor_conversion_registry.py``).

``ops.convert_to_tensor`` passes Tensors through itself and asks these for everything else, by priority: variables
(0), lists holding tensors (99, auto-packing), lists of plain values (111) and every other object (200, constants).
"""

from minitf.framework import dtypes

_conversion_functions = []  # (base_type, fn, priority), sorted by priority


def register_tensor_conversion_function(base_type, conversion_func, priority=100):
    _conversion_functions.append((base_type, conversion_func, priority))
    _conversion_functions.sort(key=lambda entry: entry[2])


def convert(value, dtype=None, name=None, preferred_dtype=None, as_ref=False):
    """``value`` (not a Tensor) as a Tensor, from the first registered function for its type that does not return
    NotImplemented; ``preferred_dtype`` is tried first and dropped when the function rejects it."""
    for base_type, fn, _ in _conversion_functions:  # a function returns NotImplemented to pass to the next one
        if not isinstance(value, base_type):
            continue
        if dtype is None and preferred_dtype is not None:
            try:
                result = fn(value, dtype=dtypes.as_dtype(preferred_dtype), name=name, as_ref=as_ref)
            except (TypeError, ValueError):
                result = NotImplemented
            if result is not NotImplemented:
                return result
        result = fn(value, dtype=dtype, name=name, as_ref=as_ref)
        if result is not NotImplemented:
            return result
    raise TypeError(f"Failed to convert object of type {type(value)} to Tensor. Contents: {value}. Consider "
                    "casting elements to a supported type.")
