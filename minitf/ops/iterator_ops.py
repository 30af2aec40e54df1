"""Iterator ops: ``IteratorV2``, ``OneShotIterator``, ``MakeIterator``, ``IteratorGetNext`` and string handles.

An iterator is a per-session resource (``SessionState.resource``): an :class:`IteratorResource` holding the
Python iterator of the dataset it was last initialised with. ``IteratorGetNext`` takes the next element from it,
and raises ``OutOfRangeError`` at the end, as TensorFlow does.

As in TensorFlow, shapes are checked at run time against the iterator's ``output_shapes``: ``MakeIterator`` and
``IteratorFromStringHandleV2`` compare the dataset's (or iterator's) static shapes, ``IteratorGetNext`` every element.
"""

import threading

import numpy as np

from minitf.framework import dtypes, errors, tensor_shape
from minitf.framework.op_def_lib import no_gradient, register
from minitf.ops.dataset_ops import attached

_NOT_INITIALIZED = ("GetNext() failed because the iterator has not been initialized. Ensure that you have run the "
                    "initializer operation for this iterator before getting the next element.")


class IteratorResource:
    """The state of one iterator in one session. ``make_dataset`` (one-shot iterators) gives the dataset to
    iterate on first use."""

    def __init__(self, key, output_types, output_shapes, make_dataset=None):
        self.key = key
        self.output_types = output_types
        self.output_shapes = output_shapes
        self._checks = [(i, _dims(shape)) for i, shape in enumerate(output_shapes) if shape.ndims is not None]
        self._make_dataset = make_dataset
        self._iterator = None
        self._lock = threading.Lock()

    def initialize(self, dataset):
        with self._lock:
            self._iterator = iter(dataset)

    def get_next(self):
        with self._lock:
            if self._iterator is None:
                if self._make_dataset is None:
                    raise errors.FailedPreconditionError(None, None, _NOT_INITIALIZED)
                self._iterator = iter(self._make_dataset())
                self._make_dataset = None
            element = next(self._iterator, None)
            if element is None:
                raise errors.OutOfRangeError(None, None, "End of sequence")
        for i, dims in self._checks:
            actual = np.shape(element[i])
            if len(actual) != len(dims) or any(d is not None and d != a for d, a in zip(dims, actual)):
                raise _incompatible(i, self.output_shapes[i], tensor_shape.TensorShape(actual))
        return element


def _dims(shape):
    return tuple(d if d is None else int(d) for d in shape.as_list())


def _shape_text(shape):
    """A shape as TensorFlow's ``PartialTensorShape::DebugString`` writes it: ``[?,2]``, ``<unknown>``."""
    if shape.ndims is None:
        return "<unknown>"
    return "[" + ",".join("?" if d is None else str(d) for d in shape.as_list()) + "]"


def _incompatible(index, expected, got):
    return errors.InvalidArgumentError(None, None, f"Incompatible shapes at component {index}: expected "
                                       f"{_shape_text(expected)} but got {_shape_text(got)}.")


def check_shapes(expected, got):
    """``InvalidArgumentError`` unless each shape in ``got`` is compatible with the one in ``expected``."""
    for index, (want, have) in enumerate(zip(expected, got)):
        if not want.is_compatible_with(have):
            raise _incompatible(index, want, have)


def _resource(op):
    return [(dtypes.resource, tensor_shape.TensorShape([]))]


def _iterator_kernel(op, state):
    """The iterator's resource, made once per session (the op is ``per_session``)."""
    key = op.get_attr("shared_name") or op.name

    def make_dataset():
        return attached(op, "dataset_factory")(state)
    factory = make_dataset if op.type == "OneShotIterator" else None
    return lambda: state.resource(op, lambda: IteratorResource(key, op.get_attr("output_types"),
                                                              _shapes(op.get_attr("output_shapes")), factory))


def _shapes(shapes):
    return [tensor_shape.as_shape(s) for s in shapes]


register("IteratorV2", _resource, _iterator_kernel, stateful=True, per_session=True)
register("OneShotIterator", _resource, _iterator_kernel, stateful=True, per_session=True,
         attr_defaults={"container": "", "shared_name": ""})


def _make_iterator_kernel(op, state):
    """The dataset's static shapes (its op's ``output_shapes``) must fit the iterator's, as TensorFlow checks."""
    source = op.inputs[0].op
    shapes = _shapes(source.get_attr("output_shapes")) if "output_shapes" in source.node_def.attr else None

    def kernel(dataset, iterator):
        if shapes is not None:
            check_shapes(iterator.output_shapes, shapes)
        iterator.initialize(dataset)
        return ()
    return kernel


register("MakeIterator", lambda op: [], _make_iterator_kernel, stateful=True, input_names=("dataset", "iterator"))


def _get_next_infer(op):
    return list(zip(op.get_attr("output_types"), op.get_attr("output_shapes")))


def _get_next_kernel(op, state):
    if len(op.get_attr("output_types")) == 1:
        return lambda iterator: iterator.get_next()[0]
    return lambda iterator: iterator.get_next()


register("IteratorGetNext", _get_next_infer, _get_next_kernel, stateful=True, input_names=("iterator",))


# -- string handles -----------------------------------------------------------------------------------------------

_HANDLE_PREFIX = b"minitf-iterator:"


def _to_handle_kernel(op, state):
    """The handle names the iterator's resource in this session (opaque to programs, as TensorFlow's is)."""
    def kernel(iterator):
        return np.array(_HANDLE_PREFIX + iterator.key.encode(), dtype=object)
    return kernel


register("IteratorToStringHandle", lambda op: [(dtypes.string, tensor_shape.TensorShape([]))], _to_handle_kernel,
         stateful=True, input_names=("resource_handle",))


def _from_handle_kernel(op, state):
    expected = op.get_attr("output_types")
    expected_shapes = _shapes(op.get_attr("output_shapes"))

    def kernel(handle):
        handle = np.asarray(handle).item()
        iterator = None
        if isinstance(handle, bytes) and handle.startswith(_HANDLE_PREFIX):
            iterator = state.resources.get(handle[len(_HANDLE_PREFIX):].decode())
        if not isinstance(iterator, IteratorResource):
            raise errors.InvalidArgumentError(None, None, f"Could not parse string handle {handle!r} as an "
                                              "iterator created in this session.")
        if expected and list(iterator.output_types) != list(expected):
            raise errors.InvalidArgumentError(
                None, None, "Expected types " + _types(expected) + " but got " + _types(iterator.output_types))
        if expected_shapes:
            check_shapes(expected_shapes, iterator.output_shapes)
        return iterator
    return kernel


def _types(types):
    return "(" + ", ".join(t.name for t in types) + ")"


register("IteratorFromStringHandleV2", _resource, _from_handle_kernel, stateful=True, input_names=("string_handle",),
         attr_defaults={"output_types": [], "output_shapes": []})
for _name in ("IteratorV2", "OneShotIterator", "MakeIterator", "IteratorGetNext", "IteratorToStringHandle",
              "IteratorFromStringHandleV2"):
    no_gradient(_name)
