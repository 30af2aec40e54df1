"""``tf.data.Iterator`` for graphs: one-shot, initializable, reinitializable (``from_structure``) and feedable
(``from_string_handle``) iterators, with TensorFlow's ops and node names."""

import itertools

from minitf.data import nest
from minitf.data.function import _SessionShim
from minitf.framework import dtypes, ops, tensor_shape
from minitf.ops import iterator_ops as _kernels  # noqa: F401 -- registers the iterator ops
from minitf.data.dataset_ops import ElementStructure, types_text
from minitf.ops.dataset_ops import attach

_one_shot_ids = itertools.count()


def _structure_attrs(spec):
    flat = nest.flatten(spec)
    return {"output_types": [leaf.dtype for leaf in flat], "output_shapes": [leaf.shape for leaf in flat]}


class Iterator(ElementStructure):
    """An iterator over a dataset's elements: ``get_next()`` gives the next element's tensors in a Session."""

    def __init__(self, iterator_resource, initializer, spec):
        self._iterator_resource = iterator_resource
        self._initializer = initializer
        self._spec = spec
        self._get_next_call_count = 0
        self._string_handle = ops.get_default_graph().create_op(  # TensorFlow makes it with every iterator
            "IteratorToStringHandle", [iterator_resource], None, "IteratorToStringHandle")._outputs[0]

    # -- constructors ----------------------------------------------------------------------------------------

    @staticmethod
    def from_structure(output_types, output_shapes=None, shared_name=None, output_classes=None):
        """An iterator for datasets of this structure, initialised with ``make_initializer(dataset)``."""
        if output_shapes is None:
            output_shapes = nest.map_structure(lambda _: tensor_shape.unknown_shape(), output_types)
        nest.assert_same_structure(output_types, output_shapes)
        spec = _spec_of(output_types, output_shapes)
        resource = ops.get_default_graph().create_op(
            "IteratorV2", [], {"shared_name": shared_name or "", "container": "", **_structure_attrs(spec)},
            "IteratorV2")._outputs[0]
        return Iterator(resource, None, spec)

    @staticmethod
    def from_string_handle(string_handle, output_types, output_shapes=None, output_classes=None):
        """A feedable iterator: ``string_handle`` (a string placeholder) names the iterator to read from."""
        if output_shapes is None:
            output_shapes = nest.map_structure(lambda _: tensor_shape.unknown_shape(), output_types)
        spec = _spec_of(output_types, output_shapes)
        string_handle = ops.convert_to_tensor(string_handle, dtype=dtypes.string)
        resource = ops.get_default_graph().create_op(
            "IteratorFromStringHandleV2", [string_handle], _structure_attrs(spec),
            "IteratorFromStringHandleV2")._outputs[0]
        return Iterator(resource, None, spec)

    @property
    def initializer(self):
        if self._initializer is None:
            raise ValueError("The iterator does not have an initializer. This means it was likely created using "
                             "`tf.data.Dataset.make_one_shot_iterator()`. For an initializable iterator, use "
                             "`tf.data.Dataset.make_initializable_iterator()` instead.")
        return self._initializer

    # -- ops -------------------------------------------------------------------------------------------------

    def make_initializer(self, dataset, name=None):
        """A ``MakeIterator`` op that (re)starts this iterator on ``dataset``."""
        with ops.name_scope(name, "make_initializer") as scope:
            if [leaf.dtype for leaf in nest.flatten(dataset._spec)] != \
                    [leaf.dtype for leaf in nest.flatten(self._spec)]:
                raise TypeError(f"Expected output types {types_text(self.output_types)} but got dataset with output "
                                f"types {types_text(dataset.output_types)}.")
            for mine, theirs in zip(nest.flatten(self._spec), nest.flatten(dataset._spec)):
                if not mine.shape.is_compatible_with(theirs.shape):
                    raise TypeError(f"Expected output shapes compatible with {self.output_shapes!r} but got "
                                    f"dataset with output shapes {dataset.output_shapes!r}.")
            return ops.get_default_graph().create_op(
                "MakeIterator", [dataset._variant_tensor, self._iterator_resource], None, scope)

    def get_next(self, name=None):
        """The next element's tensors (TensorFlow's ``IteratorGetNext``); ``OutOfRangeError`` at the end."""
        self._get_next_call_count += 1
        op = ops.get_default_graph().create_op("IteratorGetNext", [self._iterator_resource],
                                               _structure_attrs(self._spec), name or "IteratorGetNext")
        return nest.pack_sequence_as(self._spec, list(op.outputs))

    def string_handle(self, name=None):
        """A string tensor naming this iterator, to feed to an iterator made by ``from_string_handle``."""
        if name is None:
            return self._string_handle
        return ops.get_default_graph().create_op("IteratorToStringHandle", [self._iterator_resource], None,
                                                 name)._outputs[0]


def _spec_of(output_types, output_shapes):
    types = [dtypes.as_dtype(t) for t in nest.flatten(output_types)]
    shapes = [tensor_shape.as_shape(s) for s in nest.flatten(output_shapes)]
    return nest.pack_sequence_as(output_types, [nest.Spec(t, s) for t, s in zip(types, shapes)])


def initializable_iterator(dataset, shared_name=None):
    graph = ops.get_default_graph()
    resource = graph.create_op("IteratorV2", [], {"shared_name": shared_name or "", "container": "",
                                                  **_structure_attrs(dataset._spec)}, "IteratorV2")._outputs[0]
    initializer = graph.create_op("MakeIterator", [dataset._variant_tensor, resource], None, "MakeIterator")
    return Iterator(resource, initializer, dataset._spec)


def one_shot_iterator(dataset):
    """A ``OneShotIterator``: it evaluates ``dataset`` on first use. TensorFlow names a ``dataset_factory``
    function holding a copy of the dataset's ops; minitf runs the dataset's own ops instead."""
    from minitf.data.dataset_ops import _func_attr
    graph = ops.get_default_graph()
    factory_name = f"_make_dataset_{next(_one_shot_ids)}"
    attrs = {"dataset_factory": _func_attr(factory_name), "container": "", "shared_name": "",
             **_structure_attrs(dataset._spec)}
    attrs["dataset_factory"].func.attr.clear()
    resource = graph.create_op("OneShotIterator", [], attrs, "OneShotIterator")._outputs[0]
    attach(resource.op, dataset_factory=_factory(dataset._variant_tensor))
    return Iterator(resource, None, dataset._spec)


def _factory(variant_tensor):
    """The one-shot iterator's dataset, made from the ops ``variant_tensor`` reads. TensorFlow copies them into
    the ``dataset_factory`` function by value, following data inputs only, so control dependencies (such as
    ``list_files``' assert that some file matched) do not run."""
    from minitf.client.session import _PlanBuilder, _op_error

    class ByValuePlanBuilder(_PlanBuilder):
        def needed_ops(self):
            needed, stack = set(), [variant_tensor.op]
            while stack:
                op = stack.pop()
                if op not in needed:
                    needed.add(op)
                    stack.extend(t._op for t in op._inputs)
            return sorted(needed, key=lambda op: op._id)

    def make(state):
        plan = ByValuePlanBuilder(_SessionShim(state), (variant_tensor,), (), ()).build()
        slots = plan.template.copy()
        for fn, ins, out, _, op in plan.steps:
            try:
                values = fn(*[slots[i] for i in ins])
            except Exception as exc:  # noqa: BLE001 -- a kernel failure becomes a tf.errors class naming its op
                raise _op_error(exc, op) from exc
            if type(out) is int:
                slots[out] = values
            else:
                for o, v in zip(out, values):
                    slots[o] = v
        return slots[plan.fetch_slots[0]]
    return make


def make_one_shot_iterator(dataset):
    return dataset.make_one_shot_iterator()


def make_initializable_iterator(dataset, shared_name=None):
    return dataset.make_initializable_iterator(shared_name)


def get_output_types(dataset_or_iterator):
    return dataset_or_iterator.output_types


def get_output_shapes(dataset_or_iterator):
    return dataset_or_iterator.output_shapes


def get_output_classes(dataset_or_iterator):
    return dataset_or_iterator.output_classes
