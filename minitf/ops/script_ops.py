"""``tf.py_func`` and ``tf.numpy_function``: a Python callable as an op (PyFunc / PyFuncStateless), as TensorFlow's
script_ops.py builds them; and the numerics checks ``tf.verify_tensor_all_finite`` and ``tf.add_check_numerics_ops``.

The op carries only a ``token`` attr; the callable lives in a process-wide registry under that token (weakly) and in
the graph that uses it (strongly), so it lives as long as the graph, as in TensorFlow.
"""

import threading
import weakref

import numpy as np

from minitf.framework import dtypes, errors, ops, tensor_shape
from minitf.framework.op_def_lib import apply_op, no_gradient, register
from minitf.ops import array_ops, control_flow_ops


class FuncRegistry:
    """Python callables by unique token (``pyfunc_<n>``)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._unique_id = 0
        self._funcs = weakref.WeakValueDictionary()

    def insert(self, func):
        with self._lock:
            token = "pyfunc_%d" % self._unique_id
            self._unique_id += 1
        self._funcs[token] = func
        return token

    def remove(self, token):
        self._funcs.pop(token, None)

    def get(self, token, default=None):
        return self._funcs.get(token, default)

    def size(self):
        return len(self._funcs)

    def __call__(self, token, args):
        func = self.get(token)
        if func is None:
            raise ValueError(f"Could not find callback with key={token} in the registry.")
        ret = func(*args)
        if isinstance(ret, bytes):
            ret = [ret]
        if isinstance(ret, (tuple, list)):
            return [_convert(x) for x in ret]
        return _convert(ret)


def _convert(value):
    """A returned value as a numpy array; text becomes an object array of bytes (TensorFlow's string tensors)."""
    result = np.asarray(value, order="C")
    if result.dtype.char == "S":
        return np.asarray(value, order="C", dtype=object)
    if result.dtype.char == "U":
        return np.vectorize(lambda x: x.encode("utf8"), otypes=[object])(value) if result.ndim else \
            np.array(result.item().encode("utf8"), dtype=object)
    return result


_py_funcs = FuncRegistry()

# Python exception classes and the tf.errors class each one becomes (py_func.cc); any other is UnknownError.
_ERROR_CLASSES = ((ValueError, errors.InvalidArgumentError), (TypeError, errors.InvalidArgumentError),
                  (StopIteration, errors.OutOfRangeError), (MemoryError, errors.ResourceExhaustedError),
                  (NotImplementedError, errors.UnimplementedError))


def _as_op_error(exc):
    """A failure of the callable as TensorFlow reports it: the class the exception maps to, with the exception's
    type name, message and traceback."""
    import traceback  # imported when a py_func first fails
    error_class = next((cls for py_class, cls in _ERROR_CLASSES if isinstance(exc, py_class)), errors.UnknownError)
    text = f"{type(exc).__name__}: {exc}\n" + "Traceback (most recent call last):\n\n" + \
        "".join(traceback.format_tb(exc.__traceback__)) + "\n"
    return error_class(None, None, text)


def _dtype_text(dtype):
    return {"float32": "float", "float64": "double"}.get(dtype.name, dtype.name)


def _value_dtype(value):
    if value.dtype == object:
        return dtypes.string
    try:
        return dtypes.as_dtype(value.dtype)
    except TypeError:
        return None


def _py_func_kernel(op, state):
    token = op.get_attr("token")
    out_types = [dtypes.as_dtype(t) for t in op.get_attr("Tout")]

    def kernel(*args):
        try:
            ret = _py_funcs(token, args)
        except Exception as exc:  # noqa: BLE001 -- the callable's failure becomes a tf.errors class
            raise _as_op_error(exc) from exc
        if ret is None or (isinstance(ret, np.ndarray) and ret.dtype == object and ret.ndim == 0
                           and ret.item() is None):
            ret = []
        values = ret if isinstance(ret, list) else [ret]
        if len(values) != len(out_types):
            raise errors.InvalidArgumentError(
                None, None, f"{token} returns {len(values)} values, but expects to see {len(out_types)} values.")
        for i, (value, want) in enumerate(zip(values, out_types)):
            got = _value_dtype(value)
            if got != want:
                got_text = _dtype_text(got) if got is not None else str(value.dtype)
                raise errors.InvalidArgumentError(
                    None, None, f"{i}-th value returned by {token} is {got_text}, but expects {_dtype_text(want)}")
        return values[0] if len(values) == 1 else tuple(values)
    return kernel


def _py_func_infer(op):
    return [(dtypes.as_dtype(t), tensor_shape.unknown_shape()) for t in op.get_attr("Tout")]


# PyFunc is stateful; PyFuncStateless may be folded like any pure op when its inputs are constant, as TensorFlow's
# constant folding does (the callable then runs once per execution plan).
register("PyFunc", _py_func_infer, _py_func_kernel, stateful=True, input_names=("input",))
register("PyFuncStateless", _py_func_infer, _py_func_kernel, input_names=("input",))
no_gradient("PyFunc")
no_gradient("PyFuncStateless")


def _internal_py_func(func, inp, Tout, stateful=True, name=None):
    if not callable(func):
        raise ValueError(f"Expected func to be callable. Received func={func} of type {type(func)}.")
    is_list_or_tuple = isinstance(Tout, (list, tuple))
    out_types = [dtypes.as_dtype(t) for t in (Tout if is_list_or_tuple else [Tout])]
    graph = ops.get_default_graph()
    inputs = [ops.convert_to_tensor(x) for x in inp]
    original_func = func

    def func(*args):  # a wrapper can be weakly referenced, whatever the callable (a numpy ufunc cannot)
        return original_func(*args)
    token = _py_funcs.insert(func)
    if not hasattr(graph, "_py_funcs_used_in_graph"):
        graph._py_funcs_used_in_graph = []
    graph._py_funcs_used_in_graph.append(func)
    op_type = "PyFunc" if stateful else "PyFuncStateless"
    attrs = {"token": token, "Tin": [t.dtype.base_dtype for t in inputs], "Tout": out_types}
    op = apply_op(op_type, inputs, attrs, name)
    if not op.outputs:
        return op  # TensorFlow's op wrappers return the Operation of an op without outputs
    return list(op.outputs) if is_list_or_tuple else op.outputs[0]


def py_func(func, inp, Tout, stateful=True, name=None):  # noqa: N803 -- TensorFlow's argument name
    """Wraps ``func`` (numpy arrays in, numpy arrays out) as an op; ``Tout`` is a dtype or a list of dtypes."""
    return _internal_py_func(func, inp, Tout, stateful=stateful, name=name)


def numpy_function(func=None, inp=None, Tout=None, stateful=True, name=None):  # noqa: N803
    """``tf.numpy_function``: ``tf.py_func`` under its TensorFlow 2 name (in graph mode the same PyFunc op)."""
    return py_func(func, inp, Tout, stateful=stateful, name=name)


# -- numerics checks -----------------------------------------------------------------------------------------------

def verify_tensor_all_finite(t=None, msg=None, name=None, x=None, message=None):
    """``t`` passed through an Identity that waits for a CheckNumerics of it (raises on NaN or Inf)."""
    x = t if x is None else x
    message = msg if message is None else message
    with ops.name_scope(name, "VerifyFinite", [x]) as name:
        x = ops.convert_to_tensor(x, name="x")
        verify_input = array_ops.check_numerics(x, message=message)
        return control_flow_ops.with_dependencies([verify_input], x)


def add_check_numerics_ops():
    """A CheckNumerics on every half, float and double tensor of the default graph, chained so that an op's inputs
    are checked before its outputs, and a group of the last one."""
    check_op = []
    for op in ops.get_default_graph().get_operations():
        for output in op.outputs:
            if output.dtype in (dtypes.float16, dtypes.float32, dtypes.float64):
                if getattr(op, "_control_flow_context", None) is not None:
                    raise ValueError("`tf.add_check_numerics_ops() is not compatible with TensorFlow control flow "
                                     "operations such as `tf.cond()` or `tf.while_loop()`.")
                message = op.name + ":" + str(output.value_index)
                with ops.control_dependencies(check_op):
                    check_op = [array_ops.check_numerics(output, message=message)]
    return control_flow_ops.group(*check_op)
