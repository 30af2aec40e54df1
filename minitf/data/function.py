"""Functions of dataset elements (``map``'s, ``filter``'s, ...): traced into a graph once, run from a cached plan.

TensorFlow traces a ``tf.data`` function once into a ``FuncGraph`` and stores it as a ``FunctionDef`` in the
graph's function library; the dataset op names it in an attr (``f``, ``predicate``). minitf traces the same way
into a :class:`FuncGraph` and keeps it beside the op (``minitf.ops.dataset_ops.attach``); an exported GraphDef gets
its FunctionDef in ``library`` (``minitf.data.function_def``).

Tensors of the enclosing graph that the function uses are *captured*: each becomes a placeholder inside the
function and an extra input (``other_arguments``) of the dataset op, evaluated when the iterator is initialised,
as in TensorFlow.
"""

import itertools
import re

from minitf.client.state import SessionState
from minitf.data import nest
from minitf.framework import errors, ops, tensor_shape

_function_ids = itertools.count(1)


class FuncGraph(ops.Graph):
    """A graph that a Python function is traced into; it captures the tensors of ``outer_graph`` it uses."""

    def __init__(self, name, outer_graph):
        super().__init__()
        self.name = name
        self.outer_graph = outer_graph
        self.seed = outer_graph.seed
        self._building_function = True
        self.captures = []  # (outer tensor, placeholder) in order of first use
        self.capture_names = {}  # placeholder -> "<name scope at capture>/<outer op>", TF's placeholder name
        self._captured = {}

    def capture(self, tensor):
        placeholder = self._captured.get(tensor)
        if placeholder is None:
            if ops.innermost_graph(tensor.graph) is not self:
                raise ValueError(f"Tensor {tensor.name} must be from the same graph as the function "
                                 f"'{self.name}'.")
            if isinstance(tensor.graph, FuncGraph) and tensor.graph is not self.outer_graph:
                tensor = self.outer_graph.capture(tensor)
            saved = self._name_stack, self._control_dependencies_stack
            scope_name = "/".join(filter(None, [self._name_stack, tensor.op.name]))
            self._name_stack, self._control_dependencies_stack = "", []
            try:
                placeholder = super().create_op(
                    "Placeholder", [], {"dtype": tensor.dtype.base_dtype, "shape": tensor.shape},
                    "Placeholder")._outputs[0]
            finally:
                self._name_stack, self._control_dependencies_stack = saved
            self._captured[tensor] = placeholder
            self.capture_names[placeholder] = scope_name
            self.captures.append((tensor, placeholder))
        return placeholder

    def create_op(self, op_type, inputs, attrs=None, name=None):
        inputs = [t if t._op._graph is self else self.capture(t) for t in inputs]
        return super().create_op(op_type, inputs, attrs, name)


class TracedFunction:
    """A Python function of dataset elements traced once: its graph, its argument placeholders, its outputs.

    ``output_structure`` nests the outputs as the Python function returned them; ``captured`` are the outer
    tensors it uses, the dataset op's ``other_arguments``.
    """

    def __init__(self, graph, arguments, outputs, output_structure):
        self.graph = graph
        self.name = graph.name
        self.arguments = arguments
        self.outputs = outputs
        self.output_structure = output_structure
        self.captured = [outer for outer, _ in graph.captures]
        self._placeholders = [inner for _, inner in graph.captures]

    @property
    def output_types(self):
        return [t.dtype.base_dtype for t in self.outputs]

    @property
    def output_shapes(self):
        return [t.shape for t in self.outputs]

    def bind(self, state, owner):
        """The function compiled for one session (its random streams and resources are the session's)."""
        return state.resource(owner, lambda: _BoundFunction(self))


def _function_name(kind, fn):
    """TensorFlow's ``__inference_<transformation>_<function>_<number>``: the transformation is ``Dataset_<kind>``
    for a Dataset method, or ``kind`` itself when it names another (``tf_data_experimental_map_and_batch``)."""
    base = getattr(fn, "__name__", type(fn).__name__)
    base = re.sub(r"[^A-Za-z0-9_]", "", base) or "fn"
    transformation = kind if kind.startswith("tf_data_") else "Dataset_" + kind
    return f"__inference_{transformation}_{base}_{next(_function_ids)}"


def trace(fn, kind, element_spec, unpack_tuples=True):
    """Traces ``fn`` (a Python function of one dataset element) into a new :class:`FuncGraph`.

    ``element_spec`` nests ``(dtype, shape)`` pairs; a tuple element is passed as separate arguments, as
    ``Dataset.map`` does.
    """
    outer = ops.get_default_graph()
    graph = FuncGraph(_function_name(kind, fn), outer)
    flat_spec = nest.flatten(element_spec) if nest.is_sequence(element_spec) else [element_spec]
    with graph.as_default():
        arguments = [graph.create_op("Placeholder", [], {"dtype": dtype, "shape": tensor_shape.as_shape(shape)},
                                     f"args_{i}")._outputs[0] for i, (dtype, shape) in enumerate(flat_spec)]
        structured = nest.pack_sequence_as(element_spec, arguments) if nest.is_sequence(element_spec) \
            else arguments[0]
        if unpack_tuples and isinstance(structured, tuple) and not hasattr(structured, "_fields"):
            result = fn(*structured)
        else:
            result = fn(structured)
        if isinstance(result, list):  # a list of tensors is a tuple of components, as TensorFlow's map treats it
            result = tuple(result)
        flat = [_as_tensor(value) for value in nest.flatten(result)]
        outputs = [graph.capture(t) if t.graph is not graph else t for t in flat]
    traced = TracedFunction(graph, arguments, outputs, nest.pack_sequence_as(result, outputs))
    traced.returned = result
    return traced


def _as_tensor(value):
    if hasattr(value, "_variant_tensor"):  # a dataset (flat_map, interleave)
        return value._variant_tensor
    if hasattr(value, "_as_graph_element") and not isinstance(value, ops.Tensor):
        value = value._as_graph_element()
    if isinstance(value, ops.Operation):
        raise TypeError(f"To return an operation from a dataset function, wrap it in tf.control_dependencies "
                        f"and return a tensor instead: {value.name}")
    if value is None:
        raise TypeError("A dataset function must return tensors, not None.")
    return ops.convert_to_tensor(value)


class _SessionShim:
    """What the plan builder needs of a session: its state."""

    def __init__(self, state):
        self._state = state


class _BoundFunction:
    """A traced function's execution plan in one session, built on first call: later calls only run kernels."""

    def __init__(self, traced):
        self._traced = traced
        self._state = SessionState(traced.graph)
        self._plan = None
        self._passthrough = None

    def _build(self):
        from minitf.client.session import _PlanBuilder
        feeds = tuple(self._traced.arguments) + tuple(self._traced._placeholders)
        builder = _PlanBuilder(_SessionShim(self._state), tuple(self._traced.outputs), (), feeds)
        plan = builder.build()
        argument_slots = plan.feed_slots[:len(self._traced.arguments)]
        if not plan.steps and all(i in argument_slots for i in plan.fetch_slots):
            self._passthrough = [argument_slots.index(i) for i in plan.fetch_slots]
        self._plan = plan
        return plan

    def __call__(self, arguments, captured):
        """The flat outputs for flat ``arguments`` (numpy values) and the captured tensors' values."""
        from minitf.client.session import _op_error
        plan = self._plan or self._build()
        if self._passthrough is not None:  # the outputs are some of the arguments: no kernel to run
            return [arguments[i] for i in self._passthrough]
        slots = plan.template.copy()
        feed_slots = plan.feed_slots
        for slot, value in zip(feed_slots, arguments):
            slots[slot] = value
        if captured:
            for slot, value in zip(feed_slots[len(arguments):], captured):
                slots[slot] = value
        op = None
        try:
            for fn, ins, out, frees, op in plan.steps:
                if type(out) is int:
                    slots[out] = fn(*[slots[i] for i in ins])
                else:
                    for o, v in zip(out, fn(*[slots[i] for i in ins])):
                        slots[o] = v
        except Exception as exc:  # noqa: BLE001 -- a kernel failure becomes a tf.errors class naming its op
            if op is None or isinstance(exc, errors.OutOfRangeError):
                raise
            raise _op_error(exc, op) from exc
        return [slots[i] for i in plan.fetch_slots]

    def close_for_session(self):
        self._state.close()


def check_types(traced, expected, what):
    """``TypeError`` unless ``traced`` returns one tensor of dtype ``expected`` (a predicate's bool)."""
    if len(traced.outputs) != 1 or traced.outputs[0].dtype.base_dtype != expected or \
            traced.outputs[0].shape.ndims not in (None, 0):
        spec = ", ".join(f"TensorSpec(shape={t.shape}, dtype=tf.{t.dtype.name}, name=None)" for t in traced.outputs)
        raise ValueError(f"Invalid `{what}`. `{what}` must return a `tf.bool` scalar tensor, but its return type is "
                         f"{spec}.")
