"""The graph model: ``Graph``, ``Operation``, ``Tensor``, name scopes, collections and control dependencies.

Naming follows TensorFlow exactly (``../shared/reference/tf_formats.md`` §5): names are made unique
case-insensitively, ops and name scopes share one namespace, and a scope name ending in ``/`` is re-entered as is.
"""

import contextlib
import re
import threading

import numpy as np

from minitf.framework import (control_flow_graph, dtypes, messages, op_registry, stack, tensor_conversion_registry,
                              tensor_shape)
from minitf.framework.graph_keys import GraphKeys  # noqa: F401 -- tf.GraphKeys, ops.GraphKeys as in TensorFlow

_VALID_OP_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$")
_VALID_SCOPE_NAME = re.compile(r"^[A-Za-z0-9_.\\/>-]*$")


class Tensor:
    """A symbolic handle to one output of an ``Operation``; its value exists only inside ``Session.run``."""

    __slots__ = ("_op", "_value_index", "_dtype", "_shape", "__weakref__")
    # Makes numpy defer to Tensor's reflected operators (np.float32(2) * t builds a graph op).
    __array_priority__ = 100

    def __init__(self, op, value_index, dtype, shape):
        self._op = op
        self._value_index = value_index
        self._dtype = dtype
        self._shape = shape

    @property
    def op(self):
        return self._op

    @property
    def value_index(self):
        return self._value_index

    @property
    def dtype(self):
        return self._dtype

    @property
    def graph(self):
        return self._op._graph

    @property
    def name(self):
        return f"{self._op._name}:{self._value_index}"

    @property
    def device(self):
        return self._op.device

    @property
    def shape(self):
        return self._shape

    def get_shape(self):
        return self._shape

    def _shape_tuple(self):
        return self._shape.as_tuple()

    def set_shape(self, shape):
        self._shape = self._shape.merge_with(shape)

    def consumers(self):
        return [op for op in self._op._graph._nodes if self in op._inputs]

    def eval(self, feed_dict=None, session=None):
        return _run_using_default_session(self, feed_dict, self.graph, session)

    def __repr__(self):
        return f"<tf.Tensor '{self.name}' shape={self._shape} dtype={self._dtype.name}>"

    def __str__(self):
        return f'Tensor("{self.name}", shape={self._shape}, dtype={self._dtype.name})'

    def __hash__(self):
        return id(self)

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    def __bool__(self):
        raise TypeError("Using a `tf.Tensor` as a Python `bool` is not allowed in Graph execution. "
                        "Use Eager execution or decorate this function with @tf.function.")

    def __len__(self):
        raise TypeError(f"len is not well defined for a symbolic Tensor ({self.name}). "
                        "Please call `x.shape` rather than `len(x)` for shape information.")

    def __array__(self, dtype=None, copy=None):
        raise NotImplementedError(f"Cannot convert a symbolic tf.Tensor ({self.name}) to a numpy array. "
                                  "Run it in a Session to get its value.")

    # Python operators (+, -, [], ...) are attached by minitf.ops.math_ops / array_ops, as in TensorFlow.


class Operation(control_flow_graph.OperationControlFlow):
    """A node of the graph: an op type, its inputs, attrs and outputs."""

    __slots__ = ("_graph", "_name", "_type", "_inputs", "_outputs", "_control_inputs", "_attrs", "_id",
                 "_traceback", "_device", "_op_def", "_control_flow_context", "__weakref__")

    def __init__(self, graph, op_type, name, inputs, attrs, control_inputs, device):
        self._graph = graph
        self._name = name
        self._type = op_type
        self._inputs = tuple(inputs)
        self._attrs = attrs
        self._control_inputs = list(control_inputs)
        self._device = device
        self._op_def = op_registry.get(op_type)
        self._traceback = messages.user_frame()
        self._outputs = ()
        self._id = None

    @property
    def name(self):
        return self._name

    @property
    def type(self):
        return self._type

    @property
    def graph(self):
        return self._graph

    @property
    def inputs(self):
        return self._inputs

    @property
    def outputs(self):
        return list(self._outputs)

    @property
    def control_inputs(self):
        return list(self._control_inputs)

    @property
    def device(self):
        return self._device

    @property
    def traceback(self):
        return [self._traceback]

    @property
    def node_def(self):
        from minitf.framework import graph_io
        return graph_io.node_def(self)

    def values(self):
        return tuple(self._outputs)

    def get_attr(self, name):
        if name not in self._attrs:
            raise ValueError(f"Operation '{self._name}' has no attr named '{name}'.")
        return self._attrs[name]

    def _set_attr(self, name, value):
        self._attrs[name] = value

    def _add_control_input(self, op):
        if op not in self._control_inputs:
            self._control_inputs.append(op)

    def _add_control_inputs(self, ops):
        for op in ops:
            self._add_control_input(op)

    def run(self, feed_dict=None, session=None):
        _run_using_default_session(self, feed_dict, self.graph, session)

    def __repr__(self):
        return f"<tf.Operation '{self._name}' type={self._type}>"

    def __str__(self):
        return str(self.node_def)


class _ControlDependenciesController:
    """One ``control_dependencies`` block: its control inputs and the ops created inside it."""

    def __init__(self, graph, control_inputs):
        self._graph = graph
        self.control_inputs = control_inputs if control_inputs is not None else []
        self._new_stack = control_inputs is None
        self.seen_ops = set()  # (_old_stack and _old_control_flow_context are saved by __enter__ for a new stack)

    def __enter__(self):
        if self._new_stack:  # control_dependencies(None) also leaves the control-flow context, as TensorFlow's
            self._old_stack, self._graph._control_dependencies_stack = self._graph._control_dependencies_stack, []
            self._old_control_flow_context, self._graph._control_flow_context = self._graph._control_flow_context, None
        self._graph._control_dependencies_stack.append(self)
        return self

    def __exit__(self, *exc):
        self._graph._control_dependencies_stack.pop()
        if self._new_stack:
            self._graph._control_dependencies_stack = self._old_stack
            self._graph._control_flow_context = self._old_control_flow_context
        return False


class Graph(control_flow_graph.GraphControlFlow):
    """A TensorFlow computation: a set of ``Operation``s connected by ``Tensor``s."""

    def __init__(self):
        self._nodes = []
        self._nodes_by_name = {}
        self._names_in_use = {}
        self._name_stack = ""
        self._control_dependencies_stack = []
        self._device_stack = []
        self._collections = {}
        self._finalized = False
        self._seed = None
        self._seed_counter = 0
        self._variable_scope_stores = {}
        self._reduced_shape_cache = {}
        self._gradient_override_map = {}
        self._building_function = False
        self._lock = threading.RLock()

    # -- identity -------------------------------------------------------------------------------------------

    @property
    def version(self):
        return len(self._nodes)

    @property
    def finalized(self):
        return self._finalized

    def finalize(self):
        self._finalized = True

    def _unsafe_unfinalize(self):
        self._finalized = False

    def _check_not_finalized(self):
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")

    @property
    def seed(self):
        return self._seed

    @seed.setter
    def seed(self, seed):
        self._seed = seed

    @contextlib.contextmanager
    def as_default(self):
        _default_graph_stack.append(self)
        try:
            yield self
        finally:
            _default_graph_stack.pop()

    # -- names ----------------------------------------------------------------------------------------------

    def get_name_scope(self):
        return self._name_stack

    def unique_name(self, name, mark_as_used=True):
        """TensorFlow's unique_name: ``name``, then ``name_1``, ``name_2``... compared case-insensitively."""
        if self._name_stack:
            name = self._name_stack + "/" + name
        key = name.lower()
        i = self._names_in_use.get(key, 0)
        if mark_as_used:
            self._names_in_use[key] = i + 1
        if i > 0:
            base_key = key
            while key in self._names_in_use:
                key = f"{base_key}_{i}"
                i += 1
            if mark_as_used:
                self._names_in_use[key] = 1
            name = f"{name}_{i - 1}"
        return name

    @contextlib.contextmanager
    def name_scope(self, name):
        """Opens a name scope; yields the scope string ending in ``/`` (or ``""`` at the root)."""
        old_stack = self._name_stack
        if not name:
            new_stack = ""
            returned = ""
        elif name[-1] == "/":
            new_stack = name[:-1]
            returned = name
        else:
            if not (_VALID_SCOPE_NAME if old_stack else _VALID_OP_NAME).match(name):
                raise ValueError(f"'{name}' is not a valid scope name")
            new_stack = self.unique_name(name)
            returned = new_stack + "/"
        self._name_stack = new_stack
        try:
            yield returned
        finally:
            self._name_stack = old_stack

    # -- devices --------------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def device(self, device_name_or_function):
        self._device_stack.append(device_name_or_function)
        try:
            yield
        finally:
            self._device_stack.pop()

    def _current_device(self, op):
        """The device of a new op: the innermost ``device`` block's string, or what a device function returns when
        given the op (as TensorFlow calls it, once the op exists)."""
        device = ""
        for spec in self._device_stack:
            if spec is None:
                device = ""
            elif callable(spec):
                device = spec(op) or ""
            else:
                device = str(spec)
        return device

    # -- control dependencies ---------------------------------------------------------------------------------

    def control_dependencies(self, control_inputs):
        if control_inputs is None:
            return _ControlDependenciesController(self, None)
        ops = []
        current = {c for controller in self._control_dependencies_stack for c in controller.control_inputs or ()}
        for c in control_inputs:
            if callable(c) and not isinstance(c, (Tensor, Operation)):
                c = c()
            c = self.as_graph_element(c)
            if isinstance(c, Tensor):
                c = c.op
            if not isinstance(c, Operation):
                raise TypeError(f"Control input must be Operation or Tensor: {c}")
            if c not in ops:
                ops.append(c)
            if c not in current:
                # TensorFlow marks an op used as a manual control dependency (its GraphDefs carry the attr).
                c._set_attr("_has_manual_control_dependencies", True)
        return _ControlDependenciesController(self, ops)

    def _control_dependencies_for_inputs(self, input_ops):
        result = []
        for controller in self._control_dependencies_stack:
            if any(op in controller.seen_ops for op in input_ops):
                continue
            result.extend(c for c in controller.control_inputs if c not in input_ops and c not in result)
        return result

    # -- ops ------------------------------------------------------------------------------------------------

    def create_op(self, op_type, inputs, attrs=None, name=None):
        """Adds an op. ``name`` follows op wrappers: made unique, or taken as is when it ends in ``/``.

        Output dtypes and static shapes come from the op's registered shape function, which raises
        ``ValueError`` for inputs that cannot work (as TensorFlow's shape inference does at construction).
        """
        self._check_not_finalized()
        op_def = op_registry.get(op_type)
        if name is None:
            name = op_type
        if name.endswith("/"):
            op_name = name[:-1]
        else:
            if not (_VALID_SCOPE_NAME if self._name_stack else _VALID_OP_NAME).match(name):
                raise ValueError(f"'{name}' is not a valid node name")
            op_name = self.unique_name(name)
        for t in inputs:
            if t._op._graph is not self:
                raise ValueError(f"Tensor {t.name} must be from the same graph as the op being created "
                                 f"('{op_name}').")
        input_ops = {t._op for t in inputs}
        control_inputs = self._control_dependencies_for_inputs(input_ops)
        op = Operation(self, op_type, op_name, inputs, dict(attrs) if attrs else {}, control_inputs, "")
        if op_type in self._gradient_override_map:
            op._attrs["_gradient_op_type"] = self._gradient_override_map[op_type]
        try:
            specs = op_def.infer(op)
        except ValueError as e:
            node = f"{op_type}[{messages.attr_summary(op._attrs)}]({', '.join(t.op.name for t in inputs)})"
            raise ValueError(f"{e} for '{{{{node {op_name}}}}} = {node}' with input shapes: "
                             + ", ".join(f"[{','.join('?' if d is None else str(d) for d in t.shape.as_tuple())}]"
                                         if t.shape.as_tuple() is not None else "?" for t in inputs)
                             + (f" and with computed input tensors: {e.computed_inputs}"
                                if getattr(e, "computed_inputs", None) else "")
                             + (f" and with input tensors computed as partial shapes: {e.partial_shapes}"
                                if getattr(e, "partial_shapes", None) else "") + ".") from None
        op._outputs = tuple(Tensor(op, i, dt, shape) for i, (dt, shape) in enumerate(specs))
        op._device = self._current_device(op)
        self._add_op(op)
        self._add_op_to_control_flow_context(op)  # inside tf.cond / tf.while_loop, the context rewires inputs
        return op

    def _add_op(self, op):
        if op._name in self._nodes_by_name:
            raise ValueError(f"Duplicate node name in graph: '{op._name}'")
        self._names_in_use.setdefault(op._name.lower(), 1)
        op._id = len(self._nodes) + 1
        self._nodes.append(op)
        self._nodes_by_name[op._name] = op
        for controller in self._control_dependencies_stack:
            controller.seen_ops.add(op)

    def get_operations(self):
        return list(self._nodes)

    def get_operation_by_name(self, name):
        if not isinstance(name, str):
            raise TypeError(f"Operation names are strings (or similar), not {type(name).__name__}.")
        op = self.as_graph_element(name, allow_tensor=False, allow_operation=True)
        return op

    def get_tensor_by_name(self, name):
        if not isinstance(name, str):
            raise TypeError(f"Tensor names are strings (or similar), not {type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=True, allow_operation=False)

    def as_graph_element(self, obj, allow_tensor=True, allow_operation=True):
        """Resolves a Tensor, Operation, variable or a name (``'op'`` or ``'op:0'``) to an element of this graph."""
        if hasattr(obj, "_as_graph_element") and not isinstance(obj, (Tensor, Operation)):
            obj = obj._as_graph_element()
        if isinstance(obj, str):
            if ":" in obj:
                if not allow_tensor:
                    raise ValueError(f"Name '{obj}' appears to refer to a Tensor, not an Operation.")
                op_name, _, index = obj.rpartition(":")
                try:
                    index = int(index)
                except ValueError:
                    raise ValueError(f"The name '{obj}' looks a like a Tensor name, but is not a valid one. "
                                     "Tensor names must be of the form \"<op_name>:<output_index>\".") from None
                op = self._nodes_by_name.get(op_name)
                if op is None:
                    raise KeyError(f"The name '{obj}' refers to a Tensor which does not exist. The operation, "
                                   f"'{op_name}', does not exist in the graph.")
                if index >= len(op._outputs):
                    raise KeyError(f"The name '{obj}' refers to a Tensor which does not exist. The operation, "
                                   f"'{op_name}', exists but only has {len(op._outputs)} outputs.")
                return op._outputs[index]
            if not allow_operation:
                raise ValueError(f"The name '{obj}' looks like an (invalid) Operation name, not a Tensor. "
                                 "Tensor names must be of the form \"<op_name>:<output_index>\".")
            op = self._nodes_by_name.get(obj)
            if op is None:
                raise KeyError(f"The name '{obj}' refers to an Operation not in the graph.")
            return op
        if isinstance(obj, Tensor) and allow_tensor:
            if obj.graph is not self:
                raise ValueError(f"Tensor {obj} is not an element of this graph.")
            return obj
        if isinstance(obj, Operation) and allow_operation:
            if obj._graph is not self:
                raise ValueError(f"Operation {obj} is not an element of this graph.")
            return obj
        kinds = " or ".join(k for k, ok in (("Tensor", allow_tensor), ("Operation", allow_operation)) if ok)
        raise TypeError(f"Can not convert a {type(obj).__name__} into a {kinds}.")

    # -- collections ------------------------------------------------------------------------------------------

    def add_to_collection(self, name, value):
        self._check_not_finalized()
        self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names, value):
        names = (names,) if isinstance(names, str) else set(names)
        for name in names:
            self.add_to_collection(name, value)

    def get_collection_ref(self, name):
        return self._collections.setdefault(name, [])

    def get_collection(self, name, scope=None):
        items = self._collections.get(name, [])
        if scope is None:
            return list(items)
        pattern = re.compile(scope)
        return [item for item in items
                if getattr(item, "name", None) is not None and pattern.match(item.name)]

    def get_all_collection_keys(self):
        return [k for k, v in self._collections.items() if isinstance(k, str)]

    def clear_collection(self, name):
        self._check_not_finalized()
        self._collections.pop(name, None)

    # -- gradients ---------------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def gradient_override_map(self, op_type_map):
        saved = dict(self._gradient_override_map)
        self._gradient_override_map.update(op_type_map)
        try:
            yield
        finally:
            self._gradient_override_map = saved

    # -- serialization -------------------------------------------------------------------------------------------

    def as_graph_def(self, from_version=None, add_shapes=False):
        from minitf.framework import graph_io
        return graph_io.graph_to_graph_def(self, add_shapes=add_shapes)

    def _repr_svg_(self):
        """Jupyter shows a Graph as ``graph_export.show(graph)`` draws it: top-level name scopes as boxes, fitted
        to the notebook's width (``show(graph, expand=[...])`` or ``depth=None`` open it up)."""
        from minitf.tools import graph_export
        return graph_export.show(self)._repr_svg_()

    def _repr_html_(self):
        """Without graphviz's ``dot``, a notebook shows why there is no picture and how to get one."""
        from minitf.tools import graph_export
        return graph_export.show(self)._repr_html_()


# -- the default graph -----------------------------------------------------------------------------------------

_default_graph_stack = []
_global_default_graph = None


def get_default_graph():
    global _global_default_graph
    if _default_graph_stack:
        return _default_graph_stack[-1]
    if _global_default_graph is None:
        _global_default_graph = Graph()
    return _global_default_graph


def reset_default_graph():
    global _global_default_graph
    if _default_graph_stack:
        raise AssertionError("Do not use tf.reset_default_graph() to clear nested graphs. If you need a cleared "
                             "graph, exit the nesting and create a new graph.")
    _global_default_graph = Graph()
    _default_session_stack.reset()


# -- default session ----------------------------------------------------------------------------------------------

_default_session_stack = stack.DefaultStack()  # client/session.py pushes a Session here in Session.as_default()


def get_default_session():
    """``tf.get_default_session``: the innermost session entered with ``as_default()`` (or ``with``), or None."""
    return _default_session_stack.get_default()


def _run_using_default_session(fetches, feed_dict, graph, session=None):
    """``Tensor.eval()`` and ``Operation.run()``: ``session.run`` on the given or the default session."""
    if session is None:
        session = get_default_session()
        if session is None:
            raise ValueError("Cannot evaluate tensor using `eval()`: No default session is registered. Use "
                             "`with sess.as_default()` or pass an explicit session to `eval(session=sess)`")
        if session.graph is not graph:
            raise ValueError("Cannot use the default session to evaluate tensor: the tensor's graph is different "
                             "from the session's graph. Pass an explicit session to `eval(session=sess)`.")
    elif session.graph is not graph:
        raise ValueError("Cannot use the given session to evaluate tensor: the tensor's graph is different from "
                         "the session's graph.")
    return session.run(fetches, feed_dict)


def _graph_of(values):
    for v in values:
        g = getattr(v, "graph", None)
        if isinstance(g, Graph):
            return innermost_graph(g)
    return None


def innermost_graph(graph):
    """``graph``, or the function being traced in it (the default graph), which captures its tensors."""
    default = get_default_graph()
    if default is not graph and default._building_function:
        outer = getattr(default, "outer_graph", None)
        while outer is not None:
            if outer is graph:
                return default
            outer = getattr(outer, "outer_graph", None)
    return graph


@contextlib.contextmanager
def name_scope(name, default_name=None, values=None):
    """``tf.name_scope``: a scope for op names in the graph of ``values`` (or the default graph)."""
    if not (default_name is None or isinstance(default_name, str)):
        raise TypeError(f"`default_name` type ({type(default_name)}) is not a string type.")
    name = default_name if name is None else name
    graph = (values and _graph_of(values)) or get_default_graph()
    if values and graph is not get_default_graph():
        with graph.as_default(), graph.name_scope(name) as scope:
            yield scope
    else:
        with graph.name_scope(name) as scope:
            yield scope


def control_dependencies(control_inputs):
    return get_default_graph().control_dependencies(control_inputs)


def device(device_name_or_function):
    return get_default_graph().device(device_name_or_function)


def add_to_collection(name, value):
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names, value):
    get_default_graph().add_to_collections(names, value)


def get_collection(key, scope=None):
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key):
    return get_default_graph().get_collection_ref(key)


# -- conversion to tensors (the functions that convert other values: tensor_conversion_registry) -------------

register_tensor_conversion_function = tensor_conversion_registry.register_tensor_conversion_function


def convert_to_tensor(value, dtype=None, name=None, preferred_dtype=None, as_ref=False):
    """Returns ``value`` as a Tensor: Tensors pass through (dtype-checked), variables read, constants are made."""
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    if isinstance(value, Tensor):
        if dtype is not None and not dtype.is_compatible_with(value.dtype):
            raise ValueError(f"Tensor conversion requested dtype {dtype.name} for Tensor with dtype "
                             f"{value.dtype.name}: {value!r}")
        return value
    return tensor_conversion_registry.convert(value, dtype, name, preferred_dtype, as_ref)


def convert_n_to_tensor(values, dtype=None, name=None):
    return [convert_to_tensor(v, dtype=dtype, name=None if name is None else f"{name}_{i}")
            for i, v in enumerate(values)]


def is_tensor_like(value):
    return isinstance(value, Tensor) or hasattr(value, "_as_graph_element")


def numpy_value_dtype(value):
    """The TensorFlow dtype a Python or numpy value converts to (float -> float32, int -> int32, as TF)."""
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        return dtypes.as_dtype(value.dtype)
    return None
