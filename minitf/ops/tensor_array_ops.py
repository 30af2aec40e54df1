"""``tf.TensorArray`` as TensorFlow 1.x builds it (v1 control flow): TensorArrayV3 and its Write, Read, Gather,
Scatter, Concat, Split, Size, Close and Grad ops, chained by float ``flow`` tensors that order them.

Each run of a TensorArrayV3 op makes a fresh array (TensorFlow keeps it in the step's resource manager): the handle's
value is that ``_Array``. Its gradient arrays hang on it by gradient source (``gradients``, ``gradients_1``...), and
add up what is written to one index more than once. The kernels raise TensorFlow's errors with its messages.
"""

import itertools

import numpy as np

from minitf.framework import dtypes, errors, ops, tensor_shape, tensor_util
from minitf.framework.op_def_lib import apply_op, apply_op_1, invalid_argument, no_gradient, register
from minitf.ops import array_ops, math_ops

TensorShape = tensor_shape.TensorShape
_unique_ids = itertools.count()


# -- the run-time array -------------------------------------------------------------------------------------------

def _debug_string(shape):
    """A shape as TensorFlow's C++ prints it: ``[3,2]``, ``[?,2]``, ``<unknown>``."""
    if isinstance(shape, TensorShape):
        if shape.ndims is None:
            return "<unknown>"
        shape = ["?" if d is None else d for d in shape.as_tuple()]
    return "[" + ",".join(str(d) for d in shape) + "]"


def _dtype_text(dtype):
    return {"float32": "float", "float64": "double"}.get(dtype.name, dtype.name)


class _Entry:
    __slots__ = ("value", "shape", "written", "read", "cleared")

    def __init__(self):
        self.value, self.shape, self.written, self.read, self.cleared = None, None, False, False, False


class _Array:
    """One TensorArray during one run."""

    def __init__(self, name, dtype, size, element_shape, dynamic_size, clear_after_read, identical_element_shapes,
                 aggregate_writes=False):
        self.name = name
        self.dtype = dtype
        self.entries = [_Entry() for _ in range(size)]
        self.element_shape = element_shape
        self.dynamic_size = dynamic_size
        self.clear_after_read = clear_after_read
        self.identical_element_shapes = identical_element_shapes
        self.aggregate_writes = aggregate_writes
        self.closed = False
        self.grads = {}
        self._checked = (None, None)  # (element shape, value shape) of the last write that passed the check

    def _error(self, text):
        return invalid_argument(f"TensorArray {self.name}: {text}")

    def check_open(self):
        if self.closed:
            raise invalid_argument(f"TensorArray {self.name} has already been closed.")

    def write(self, index, value):
        self.check_open()
        index = int(index)
        if index < 0 or (not self.dynamic_size and index >= len(self.entries)):
            raise self._error(f"Tried to write to index {index} but array is not resizeable and size is: "
                              f"{len(self.entries)}")
        while index >= len(self.entries):
            self.entries.append(_Entry())
        entry = self.entries[index]
        checked_element_shape, checked_shape = self._checked
        if self.element_shape is not checked_element_shape or value.shape != checked_shape:  # else: checked, merged
            if not self.element_shape.is_compatible_with(value.shape):
                raise self._error(f"Could not write to TensorArray index {index} because the value shape is "
                                  f"{_debug_string(value.shape)} which is incompatible with the TensorArray's "
                                  f"inferred element shape: {_debug_string(self.element_shape)} (consider setting "
                                  "infer_shape=False).")
            if self.identical_element_shapes:
                self.element_shape = self.element_shape.merge_with(value.shape)
            self._checked = (self.element_shape, value.shape)
        if entry.read:
            raise self._error(f"Could not write to TensorArray index {index} because it has already been read.")
        if entry.written and not self.aggregate_writes:
            raise self._error(f"Could not write to TensorArray index {index} because it has already been written "
                              "to.")
        if entry.written:
            if tuple(value.shape) != entry.shape:
                raise self._error(f"Could not aggregate to TensorArray index {index} because the existing shape is "
                                  f"{_debug_string(entry.shape)} but the new input shape is "
                                  f"{_debug_string(value.shape)}.")
            entry.value = value if entry.value is None else entry.value + value
        else:
            entry.value, entry.shape, entry.written = value, tuple(value.shape), True

    def read(self, index):
        self.check_open()
        index = int(index)
        if index < 0 or index >= len(self.entries):
            raise invalid_argument(f"Tried to read from index {index} but array size is: {len(self.entries)}")
        entry = self.entries[index]
        if not entry.written:
            if not self.element_shape.is_fully_defined():
                raise self._error(
                    f"Could not read from TensorArray index {index}.  Furthermore, the element shape is not fully "
                    f"defined: {_debug_string(self.element_shape)}.  It is possible you are working with a "
                    "resizeable TensorArray and stop_gradients is not allowing the gradients to be written.  If you "
                    "set the full element_shape property on the forward TensorArray, the proper all-zeros tensor "
                    "will be returned instead of incurring this error.")
            return np.zeros(self.element_shape.as_list(), self.dtype.as_numpy_dtype)
        if entry.cleared:
            raise self._error(f"Could not read index {index} twice because it was cleared after a previous read "
                              "(perhaps try setting clear_after_read = false?).")
        value = entry.value
        if value is None:  # a gradient entry the forward array wrote: zeros of that shape
            value = np.zeros(entry.shape, self.dtype.as_numpy_dtype)
        if self.clear_after_read:
            entry.value, entry.cleared = None, True
        entry.read = True
        return value

    def size(self):
        self.check_open()
        return len(self.entries)

    def grad(self, source):
        """The gradient array for ``source``, made on first use: same size and the shapes written so far."""
        self.check_open()
        self.dynamic_size = False
        grad = self.grads.get(source)
        if grad is None:
            grad = self.grads[source] = _Array(f"{self.name}@{source}", self.dtype, len(self.entries),
                                               self.element_shape, False, True, self.identical_element_shapes,
                                               aggregate_writes=True)
            for mine, theirs in zip(grad.entries, self.entries):
                if theirs.written:
                    mine.written, mine.shape = True, theirs.shape
        return grad


def _stacked(values, dtype, element_shape, what):
    if not values:
        if not element_shape.is_fully_defined():
            raise errors.UnimplementedError(
                None, None, f"TensorArray has size zero, but element shape {_debug_string(element_shape)} is not "
                f"fully defined. Currently only static shapes are supported when {what} zero-size TensorArrays.")
        return np.zeros([0] + element_shape.as_list(), dtype.as_numpy_dtype)
    first = values[0].shape
    for i, v in enumerate(values[1:], 1):
        if v.shape != first:
            raise invalid_argument(f"TensorArray has inconsistent shapes.  Index 0 has shape: {_debug_string(first)} "
                                   f"but index {i} has shape: {_debug_string(v.shape)}")
    return np.stack(values)


# -- kernels ------------------------------------------------------------------------------------------------------

def _create_kernel(op, state):
    dtype = dtypes.as_dtype(op.get_attr("dtype"))
    name = op.get_attr("tensor_array_name") or op.name
    element_shape = op.get_attr("element_shape")
    dynamic_size, clear_after_read = op.get_attr("dynamic_size"), op.get_attr("clear_after_read")
    identical = op.get_attr("identical_element_shapes")

    def kernel(size):
        if np.ndim(size) != 0:
            raise invalid_argument(f"TensorArray size must be scalar, but had shape: {_debug_string(np.shape(size))}")
        array = _Array(f"{name}_{next(_unique_ids)}", dtype, int(size), element_shape, dynamic_size,
                       clear_after_read, identical)
        return array, np.float32(0.0)
    return kernel


def _write_kernel(op, state):
    def kernel(array, index, value, flow):
        if np.ndim(index) != 0:
            raise invalid_argument(f"TensorArray index must be scalar, but had shape: {_debug_string(np.shape(index))}")
        value = np.asarray(value)
        got = dtypes.as_dtype(value.dtype) if value.dtype != object else dtypes.string
        if got != array.dtype:
            raise invalid_argument(f"TensorArray dtype is {_dtype_text(array.dtype)} but Op is trying to write dtype "
                                   f"{_dtype_text(got)}.")
        array.write(index, value)
        return flow
    return kernel


def _read_kernel(op, state):
    def kernel(array, index, flow):
        if np.ndim(index) != 0:
            raise invalid_argument(f"TensorArray index must be scalar, but had shape: {_debug_string(np.shape(index))}")
        return array.read(index)
    return kernel


def _gather_kernel(op, state):
    element_shape = op.get_attr("element_shape")

    def kernel(array, indices, flow):
        array.check_open()
        return _stacked([array.read(i) for i in np.reshape(indices, -1)], array.dtype, element_shape, "packing")
    return kernel


def _scatter_kernel(op, state):
    def kernel(array, indices, value, flow):
        array.check_open()
        indices = np.reshape(indices, -1)
        value = np.asarray(value)
        if value.ndim == 0 or value.shape[0] != len(indices):
            raise invalid_argument(f"Expected len(indices) == values.shape[0], but saw: {len(indices)} vs. "
                                   f"{value.shape[0] if value.ndim else 0}")
        if len(indices) and not array.dynamic_size and indices.max() >= len(array.entries):
            raise invalid_argument(f"Max scatter index must be < array size ({indices.max()} vs. "
                                   f"{len(array.entries)})")
        for i, index in enumerate(indices):
            array.write(index, value[i])
        return flow
    return kernel


def _concat_kernel(op, state):
    except0 = op.get_attr("element_shape_except0")

    def kernel(array, flow):
        values = [array.read(i) for i in range(array.size())]
        if not values:
            if not except0.is_fully_defined():
                raise errors.UnimplementedError(
                    None, None, f"TensorArray has size zero, but element_shape_except0 {_debug_string(except0)} is "
                    "not fully defined. Currently only static shapes are supported when concatenating zero-size "
                    "TensorArrays.")
            return np.zeros([0] + except0.as_list(), array.dtype.as_numpy_dtype), np.zeros([0], np.int64)
        for i, v in enumerate(values):
            if v.ndim == 0:
                raise invalid_argument(f"Concat saw a scalar shape at index {i} but requires at least vectors.  Did "
                                       "you mean to call concat_v2?")
            if v.shape[1:] != values[0].shape[1:]:
                raise invalid_argument(
                    "TensorArray has inconsistent shapes.  Index 0 has (excepting dimension 0) shape: "
                    f"{_debug_string(values[0].shape[1:])} but index {i} has (excepting dimension 0) shape: "
                    f"{_debug_string(v.shape[1:])}")
        return np.concatenate(values), np.array([v.shape[0] for v in values], np.int64)
    return kernel


def _split_kernel(op, state):
    def kernel(array, value, lengths, flow):
        array.check_open()
        value, lengths = np.asarray(value), np.asarray(lengths)
        if lengths.ndim != 1:
            raise invalid_argument(f"Expected lengths to be a vector, received shape: {_debug_string(lengths.shape)}")
        if value.ndim == 0:
            raise invalid_argument(f"Expected value to be at least a vector, but received shape: "
                                   f"{_debug_string(value.shape)}")
        if lengths.sum() != value.shape[0]:
            raise invalid_argument(f"Expected sum of lengths to be equal to values.shape[0], but sum of lengths is "
                                   f"{lengths.sum()} and value's shape is: {_debug_string(value.shape)}")
        if not array.dynamic_size and len(lengths) != len(array.entries):
            raise invalid_argument(f"TensorArray's size is not equal to the size of lengths ({len(array.entries)} vs. "
                                   f"{len(lengths)}), and the TensorArray is not marked as dynamically resizeable")
        start = 0
        for i, n in enumerate(lengths):
            array.write(i, value[start:start + n])
            start += n
        return flow
    return kernel


def _grad_kernel(op, state):
    source = op.get_attr("source")
    return lambda array, flow: (array.grad(source), flow)


def _close_kernel(op, state):
    def kernel(array):
        array.check_open()
        array.closed = True
        array.entries = []
        return ()
    return kernel


_HANDLE = (dtypes.resource, TensorShape([2]))
_FLOW = (dtypes.float32, TensorShape([]))


def _handle_element_shape(handle):
    """The element shape the array behind ``handle`` was created with (TensorFlow's handle shape data)."""
    op = handle.op
    while op.type in ("Identity", "Enter", "TensorArrayGradV3"):
        op = op.inputs[0].op
    return op.get_attr("element_shape") if op.type == "TensorArrayV3" else tensor_shape.unknown_shape()


def _read_infer(op):
    return [(op.get_attr("dtype"), _handle_element_shape(op.inputs[0]))]


def _gather_infer(op):
    indices = op.inputs[1].shape
    dim0 = indices[0].value if indices.ndims == 1 else None
    return [(op.get_attr("dtype"), TensorShape([dim0]).concatenate(_handle_element_shape(op.inputs[0])))]


def _concat_infer(op):
    shape = op.get_attr("element_shape_except0")
    return [(op.get_attr("dtype"), TensorShape([None]).concatenate(shape)), (dtypes.int64, TensorShape([None]))]


register("TensorArrayV3", lambda op: [_HANDLE, _FLOW], _create_kernel, stateful=True, input_names=("size",),
         attr_defaults={"element_shape": tensor_shape.unknown_shape(), "dynamic_size": False,
                        "clear_after_read": True, "identical_element_shapes": False, "tensor_array_name": ""})
register("TensorArrayWriteV3", lambda op: [_FLOW], _write_kernel, input_names=("handle", "index", "value", "flow_in"))
register("TensorArrayReadV3", _read_infer, _read_kernel,
         input_names=("handle", "index", "flow_in"))
register("TensorArrayGatherV3", _gather_infer, _gather_kernel, input_names=("handle", "indices", "flow_in"),
         attr_defaults={"element_shape": tensor_shape.unknown_shape()})
register("TensorArrayScatterV3", lambda op: [_FLOW], _scatter_kernel,
         input_names=("handle", "indices", "value", "flow_in"))
register("TensorArrayConcatV3", _concat_infer, _concat_kernel, input_names=("handle", "flow_in"),
         attr_defaults={"element_shape_except0": tensor_shape.unknown_shape()})
register("TensorArraySplitV3", lambda op: [_FLOW], _split_kernel,
         input_names=("handle", "value", "lengths", "flow_in"))
register("TensorArraySizeV3", lambda op: [(dtypes.int32, TensorShape([]))],
         lambda op, state: lambda array, flow: np.int32(array.size()), input_names=("handle", "flow_in"))
register("TensorArrayCloseV3", lambda op: [], _close_kernel, stateful=True, input_names=("handle",))
register("TensorArrayGradV3", lambda op: [_HANDLE, _FLOW], _grad_kernel, stateful=True,
         input_names=("handle", "flow_in"))
for _op_type in ("TensorArrayV3", "TensorArrayGradV3", "TensorArraySizeV3", "TensorArrayCloseV3"):
    no_gradient(_op_type)


# -- the Python object --------------------------------------------------------------------------------------------

def _int32_input(value, arg, op_type):
    """``value`` as an int32 tensor, with the TypeError TensorFlow's op wrappers raise for a float."""
    if isinstance(value, ops.Tensor) or isinstance(value, (list, tuple)) and any(
            isinstance(v, ops.Tensor) for v in value):
        return value
    array = np.asarray(value)
    if array.dtype.kind not in "iu":
        raise TypeError(f"Expected int32 passed to parameter '{arg}' of op '{op_type}', got {value!r} of type "
                        f"'{type(value).__name__}' instead. Error: Expected int32, but got {value!r} of type "
                        f"'{type(value).__name__}'.")
    return value


class TensorArray:
    """``tf.TensorArray``: a per-run array of tensors written and read through ops whose ``flow`` orders them.

    Every write returns a new TensorArray object with the new flow; keep using that one.
    """

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None, tensor_array_name=None,
                 handle=None, flow=None, infer_shape=True, element_shape=None, colocate_with_first_write_call=True,
                 name=None):
        if handle is not None and tensor_array_name:
            raise ValueError("Cannot provide both `handle` and `tensor_array_name` arguments at the same time.")
        if handle is not None and not isinstance(handle, ops.Tensor):
            raise TypeError(f"Expected `handle` to be a Tensor, but got `{handle}` of type `{type(handle)}` "
                            "instead.")
        if handle is None and size is None:
            raise ValueError("Argument `size` must be provided if handle is not provided.")
        if handle is not None and size is not None:
            raise ValueError("Cannot provide both a `handle` and `size` arguments at the same time.")
        if handle is not None and element_shape is not None:
            raise ValueError("Cannot provide both `handle` and `element_shape` arguments at the same time.")
        if handle is not None and dynamic_size is not None:
            raise ValueError("Cannot provide both `handle` and `dynamic_size` arguments at the same time.")
        if handle is not None and clear_after_read is not None:
            raise ValueError("Cannot provide both `handle` and `clear_after_read` arguments at the same time.")
        if clear_after_read is None:
            clear_after_read = True
        self._dynamic_size = dynamic_size or False
        self._dtype = dtypes.as_dtype(dtype).base_dtype
        self._colocate_with_first_write_call = colocate_with_first_write_call
        self._element_shape = [tensor_shape.as_shape(element_shape)]  # shared by the arrays of later flows
        self._infer_shape = infer_shape
        self._size = size
        with ops.name_scope(name, "TensorArray", [handle, size, flow]) as scope:
            if handle is not None:
                if flow is None:
                    raise ValueError("flow must not be None if handle is not None.")
                self._handle, self._flow = handle, flow
            else:
                size = _int32_input(size, "size", "TensorArrayV3")
                attrs = {"dtype": self._dtype, "element_shape": self._element_shape[0],
                         "dynamic_size": self._dynamic_size, "clear_after_read": clear_after_read,
                         "identical_element_shapes": infer_shape, "tensor_array_name": tensor_array_name or ""}
                self._handle, self._flow = apply_op("TensorArrayV3", [size], attrs, scope).outputs

    @property
    def flow(self):
        return self._flow

    @property
    def dtype(self):
        return self._dtype

    @property
    def handle(self):
        return self._handle

    @property
    def element_shape(self):
        return self._element_shape[0]

    @property
    def dynamic_size(self):
        return self._dynamic_size

    def _check_element_shape(self, shape):
        if not shape.is_compatible_with(self.element_shape):
            raise ValueError("Inconsistent shapes: saw %s but expected %s " % (shape, self.element_shape))
        if self._infer_shape:
            self._element_shape[0] = self.element_shape.merge_with(shape)

    def _with_flow(self, flow):
        """A TensorArray on the same handle with a new flow, sharing the inferred element shape."""
        ta = TensorArray(self._dtype, handle=self._handle, flow=flow, infer_shape=self._infer_shape,
                         colocate_with_first_write_call=self._colocate_with_first_write_call)
        ta._dynamic_size, ta._size, ta._element_shape = self._dynamic_size, self._size, self._element_shape
        return ta

    def identity(self):
        return self._with_flow(array_ops.identity(self._flow))

    def grad(self, source, flow=None, name=None):
        if flow is None:
            flow = self.flow
        with ops.name_scope(name, "TensorArrayGrad", [self._handle]):
            g_handle, _ = apply_op("TensorArrayGradV3", [self._handle, flow], {"source": source}, name).outputs
            with ops.control_dependencies([g_handle]):
                flow = array_ops.identity(flow, name="gradient_flow")
            g = TensorArray(self._dtype, handle=g_handle, flow=flow, infer_shape=self._infer_shape,
                            colocate_with_first_write_call=False)
            g._element_shape = self._element_shape
            return g

    def read(self, index, name=None):
        index = _int32_input(index, "index", "TensorArrayReadV3")
        value = apply_op_1("TensorArrayReadV3", [self._handle, index, self._flow], {"dtype": self._dtype}, name)
        if self._element_shape:
            value.set_shape(self._element_shape[0])
        return value

    def write(self, index, value, name=None):
        with ops.name_scope(name, "TensorArrayWrite", [self._handle, index, value]):
            value = ops.convert_to_tensor(value, preferred_dtype=self._dtype, name="value")
            self._check_element_shape(value.shape)
            index = _int32_input(index, "index", "TensorArrayWriteV3")
            flow_out = apply_op_1("TensorArrayWriteV3", [self._handle, index, value, self._flow],
                                  {"T": value.dtype.base_dtype}, name)
            return self._with_flow(flow_out)

    def stack(self, name=None):
        with ops.name_scope(name, "TensorArrayStack", [self._handle]):
            value = self.gather(array_ops.range(0, self.size()), name=name)
            if self.element_shape and not self._dynamic_size and self._size is not None:
                value.set_shape(TensorShape([_static_int(self._size)]).concatenate(self.element_shape))
            return value

    def gather(self, indices, name=None):
        indices = _int32_input(indices, "indices", "TensorArrayGatherV3")
        value = apply_op_1("TensorArrayGatherV3", [self._handle, indices, self._flow],
                           {"dtype": self._dtype, "element_shape": self._element_shape[0]}, name)
        if self.element_shape:
            value.set_shape(TensorShape([None]).concatenate(self.element_shape))
        return value

    def concat(self, name=None):
        value, _ = apply_op("TensorArrayConcatV3", [self._handle, self._flow],
                            {"dtype": self._dtype, "element_shape_except0": self.element_shape[1:]}, name).outputs
        if self.element_shape:
            dim0 = None
            if self._infer_shape:
                size = tensor_util.constant_value(self.size())
                if size is not None and self.element_shape[0].value is not None:
                    dim0 = int(size) * self.element_shape[0].value
            value.set_shape(TensorShape([dim0]).concatenate(self.element_shape[1:]))
        return value

    def unstack(self, value, name=None):
        with ops.name_scope(name, "TensorArrayUnstack", [self._handle, value]):
            num_elements = array_ops.shape(value)[0]
            return self.scatter(indices=array_ops.range(0, num_elements), value=value, name=name)

    def scatter(self, indices, value, name=None):
        with ops.name_scope(name, "TensorArrayScatter", [self._handle, value, indices]):
            value = ops.convert_to_tensor(value, preferred_dtype=self._dtype, name="value")
            self._check_element_shape(value.shape[1:])
            indices = _int32_input(indices, "indices", "TensorArrayScatterV3")
            flow_out = apply_op_1("TensorArrayScatterV3", [self._handle, indices, value, self._flow],
                                  {"T": value.dtype.base_dtype}, name)
            return self._with_flow(flow_out)

    def split(self, value, lengths, name=None):
        with ops.name_scope(name, "TensorArraySplit", [self._handle, value, lengths]):
            try:
                value = ops.convert_to_tensor(value, dtype=self._dtype, name="value")
            except ValueError as e:  # TensorFlow's conversion names the argument
                raise ValueError(f"value: {e}") from None
            lengths_64 = math_ops.cast(lengths, dtypes.int64)
            clengths = tensor_util.constant_value(lengths_64)
            if value.shape.ndims is not None and clengths is not None:
                if clengths.shape and clengths.max() == clengths.min():
                    self._check_element_shape(TensorShape([int(clengths[0])]).concatenate(value.shape[1:]))
            flow_out = apply_op_1("TensorArraySplitV3", [self._handle, value, lengths_64, self._flow],
                                  {"T": value.dtype.base_dtype}, name)
            return self._with_flow(flow_out)

    def size(self, name=None):
        if not self._dynamic_size and self._size is not None:
            return ops.convert_to_tensor(self._size, dtype=dtypes.int32)
        return apply_op_1("TensorArraySizeV3", [self._handle, self._flow], None, name)

    def close(self, name=None):
        return apply_op("TensorArrayCloseV3", [self._handle], None, name)


def build_ta_with_new_flow(old_ta, flow):
    """A TensorArray on ``old_ta``'s handle with ``flow`` (what a while loop that carries TensorArrays rebuilds from
    its loop variables, as TensorFlow's tensor_array_ops.build_ta_with_new_flow)."""
    return old_ta._with_flow(flow)


def _static_int(tensor):
    value = tensor_util.constant_value(tensor)
    return None if value is None else int(value)


from minitf.ops import tensor_array_grad  # noqa: E402,F401 -- registers the gradients, which build TensorArrays
