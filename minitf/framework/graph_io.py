"""GraphDef export and import: ``Graph.as_graph_def``, ``Operation.node_def`` and ``tf.import_graph_def``.

Attr values live on operations as Python values (DType, bool, int, float, bytes, TensorShape, numpy arrays and
lists of these); this module is the one place that maps them to and from ``AttrValue`` protos.

Export writes nodes as TensorFlow 2.21's ``Graph.as_graph_def`` does: in creation order, data inputs as
``op`` or ``op:i``, then control inputs ``^op`` sorted by name, every attr (private ones such as ``_class``
included), ``_output_shapes`` on request for ops that have outputs, and the full type TensorFlow records on
``Shape`` nodes. Import follows TensorFlow's C++ importer (graph_constructor.cc): nodes are added in topological
order, smallest GraphDef index first; names get the import prefix, or a ``_1`` suffix where they clash with the
graph; missing attrs get their OpDef defaults; recorded ``_output_shapes`` refine the inferred shapes.
"""

import bisect
import contextlib
import heapq
import re

import numpy as np

from minitf.framework import dtypes, node_def_check, op_registry, ops, tensor_shape, tensor_util

GRAPH_DEF_VERSION = 2474  # TensorFlow 2.21's GraphDef producer version
GRAPH_DEF_VERSION_MIN_CONSUMER = 0
_COLOCATION_PREFIX = b"loc:@"


# -- attrs ------------------------------------------------------------------------------------------------------

# dtypes TensorFlow's make_tensor_proto writes as repeated values, not tensor_content (complex as re, im pairs)
_REPEATED_FIELDS = {dtypes.bool: ("bool_val", None), dtypes.uint16: ("int_val", None),
                    dtypes.complex64: ("scomplex_val", np.float32), dtypes.complex128: ("dcomplex_val", np.float64)}


def _tensor_proto(array):
    """A TensorProto as TensorFlow's make_tensor_proto writes it.

    A zero-stride array (a Const made from one value and a shape) is written as that one value plus the shape,
    as ``tf.constant(0.0, shape=[4])`` is in TensorFlow; bool, uint16 and complex arrays as repeated values.
    """
    if array.dtype == object or array.size <= 1:
        return tensor_util.make_tensor_proto(array)
    if not any(array.strides):
        proto = tensor_util.make_tensor_proto(array.reshape(-1)[:1])
        proto.tensor_shape.CopyFrom(tensor_shape.TensorShape(array.shape).as_proto())
        return proto
    dtype = dtypes.as_dtype(array.dtype)
    if dtype not in _REPEATED_FIELDS:
        return tensor_util.make_tensor_proto(array)
    from minitf.proto import tensor_pb2
    field, component = _REPEATED_FIELDS[dtype]
    proto = tensor_pb2.TensorProto(dtype=dtype.as_datatype_enum,
                                   tensor_shape=tensor_shape.TensorShape(array.shape).as_proto())
    flat = np.ascontiguousarray(array).reshape(-1)
    getattr(proto, field).extend((flat.view(component) if component else flat).tolist())
    return proto


def _list_item(lst, item):
    if isinstance(item, dtypes.DType):
        lst.type.append(item.as_datatype_enum)
    elif isinstance(item, bool):
        lst.b.append(item)
    elif isinstance(item, (int, np.integer)):
        lst.i.append(int(item))
    elif isinstance(item, (float, np.floating)):
        lst.f.append(float(item))
    elif isinstance(item, str):
        lst.s.append(item.encode())
    elif isinstance(item, bytes):
        lst.s.append(item)
    elif isinstance(item, tensor_shape.TensorShape):
        lst.shape.add().CopyFrom(item.as_proto())
    elif isinstance(item, np.ndarray):
        lst.tensor.add().CopyFrom(_tensor_proto(item))
    else:
        raise TypeError(f"Unsupported attr list item {item!r}")


def attr_value(value):
    """The AttrValue proto of a Python attr value."""
    from minitf.proto import attr_value_pb2
    proto = attr_value_pb2.AttrValue()
    if isinstance(value, attr_value_pb2.AttrValue):
        proto.CopyFrom(value)
    elif isinstance(value, dtypes.DType):
        proto.type = value.as_datatype_enum
    elif isinstance(value, bool):
        proto.b = value
    elif isinstance(value, (int, np.integer)):
        proto.i = int(value)
    elif isinstance(value, (float, np.floating)):
        proto.f = float(value)
    elif isinstance(value, str):
        proto.s = value.encode()
    elif isinstance(value, bytes):
        proto.s = value
    elif isinstance(value, tensor_shape.TensorShape):
        proto.shape.CopyFrom(value.as_proto())
    elif isinstance(value, np.ndarray):
        proto.tensor.CopyFrom(_tensor_proto(value))
    elif type(value).__name__ == "TensorProto":
        proto.tensor.CopyFrom(value)
    elif isinstance(value, (list, tuple)):
        proto.list.SetInParent()
        for item in value:
            _list_item(proto.list, item)
    elif type(value).__name__ == "NameAttrList":
        proto.func.CopyFrom(value)
    else:
        raise TypeError(f"Unsupported attr value {value!r}")
    return proto


# The most bytes import builds from a TensorProto whose few values are repeated to fill a larger shape (1 < values
# < elements). One value (or none) for any shape costs nothing: it becomes a zero-stride view.
_MAX_EXPANDED_BYTES = 1 << 26


def _ndarray(tensor_proto):
    """The value of a TensorProto from an untrusted file, allocating no more than the data it holds: one value
    (or none) for a larger shape becomes a zero-stride view (see _tensor_proto), as TensorFlow keeps such a
    constant unexpanded until it runs; bytes that cannot fill the shape are a ValueError."""
    dims = [d.size for d in tensor_proto.tensor_shape.dim]
    if tensor_proto.tensor_shape.unknown_rank or any(d < 0 for d in dims):
        raise ValueError(f"Shape {_dims_text(dims)} is not fully defined")
    n = 1
    for d in dims:
        n *= d
    if n >= 1 << 62:
        raise ValueError(f"Shape {_dims_text(dims)} has too many elements ({n})")
    dtype = dtypes.as_dtype(tensor_proto.dtype)
    itemsize = 8 if dtype == dtypes.string else np.dtype(dtype.as_numpy_dtype).itemsize
    count = _count_values(tensor_proto)
    if tensor_proto.tensor_content:
        if len(tensor_proto.tensor_content) != n * itemsize:
            raise ValueError(f"Tensor of shape {_dims_text(dims)} and dtype {dtype.name} needs {n * itemsize} "
                             f"bytes of tensor_content, got {len(tensor_proto.tensor_content)}")
        value = tensor_util.MakeNdarray(tensor_proto)
    elif count > n:
        raise ValueError(f"Tensor of shape {_dims_text(dims)} holds {count} values, more than its {n} elements")
    elif n > 1 and count <= 1 and dtype != dtypes.string:
        one = type(tensor_proto)()
        one.CopyFrom(tensor_proto)
        one.tensor_shape.Clear()
        value = np.broadcast_to(tensor_util.MakeNdarray(one), dims)
    elif n * itemsize > max(_MAX_EXPANDED_BYTES, count * itemsize):
        raise ValueError(f"Tensor of shape {_dims_text(dims)} spells out {count} values: minitf does not expand "
                         f"them to {n * itemsize} bytes")
    else:
        value = tensor_util.MakeNdarray(tensor_proto)
    value.flags.writeable = False
    return value


def _dims_text(dims):
    return "[" + ",".join(str(d) for d in dims) + "]"


def _count_values(tensor_proto):
    """How many elements a TensorProto spells out in its repeated ``*_val`` field (0 for tensor_content)."""
    for field, values in tensor_proto.ListFields():
        if field.name.endswith("_val"):
            return len(values) // (2 if field.name in ("scomplex_val", "dcomplex_val") else 1)
    return 0


def attr_from_proto(proto):
    """The Python value of an AttrValue, as ``Operation.get_attr`` returns it."""
    kind = proto.WhichOneof("value")
    if kind == "type":
        return dtypes.as_dtype(proto.type)
    if kind in ("b", "i", "f", "s"):
        return getattr(proto, kind)
    if kind == "shape":
        return tensor_shape.shape_from_proto(proto.shape)
    if kind == "tensor":
        return _ndarray(proto.tensor)
    if kind == "list":
        lst = proto.list
        if lst.type:
            return [dtypes.as_dtype(t) for t in lst.type]
        if lst.shape:
            return [tensor_shape.shape_from_proto(s) for s in lst.shape]
        if lst.tensor:
            return [_ndarray(t) for t in lst.tensor]
        for field in ("s", "f", "b", "func"):
            if getattr(lst, field):
                return list(getattr(lst, field))
        return list(lst.i)
    if kind == "func":
        return proto.func
    return None


# -- export -----------------------------------------------------------------------------------------------------

def node_def(op, add_shapes=False):
    """The NodeDef of an Operation (``Operation.node_def``)."""
    from minitf.proto import node_def_pb2
    node = node_def_pb2.NodeDef(name=op.name, op=op.type, device=op.device)
    for t in op.inputs:
        node.input.append(t.op.name if t.value_index == 0 else f"{t.op.name}:{t.value_index}")
    node.input.extend(sorted({"^" + c.name for c in op.control_inputs}))
    for key, value in op._attrs.items():
        node.attr[key].CopyFrom(attr_value(value))
    if add_shapes and op.outputs:
        node.attr["_output_shapes"].CopyFrom(attr_value([t.shape for t in op.outputs]))
    if op._op_def.full_type is not None:  # TensorFlow's type constructor for the op (Shape's)
        op._op_def.full_type(op, node)
    return node


_library_sources = []


def register_library_source(source):
    """Registers ``source(graph) -> [FunctionDef]``: functions an exported GraphDef's ``library`` holds (the
    tf.data layer registers its traced functions' FunctionDefs)."""
    _library_sources.append(source)


def graph_to_graph_def(graph, add_shapes=False):
    """``Graph.as_graph_def``: a GraphDef of every operation, in creation order, with TensorFlow 2.21's versions
    and the function library."""
    from minitf.proto import graph_pb2
    graph_def = graph_pb2.GraphDef()
    graph_def.versions.producer = GRAPH_DEF_VERSION
    graph_def.versions.min_consumer = GRAPH_DEF_VERSION_MIN_CONSUMER
    graph_def.node.extend(node_def(op, add_shapes) for op in graph.get_operations())
    functions = [fdef for source in _library_sources for fdef in source(graph)]
    if functions:  # no empty ``library {}`` in a GraphDef without functions, as TensorFlow writes it
        graph_def.library.function.extend(functions)
    return graph_def


# -- import -----------------------------------------------------------------------------------------------------

_NODE_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_>./-]*$")


def _parse_tensor_name(name):
    """``'op:1'`` -> ('op', 1); ``'op'`` -> ('op', 0), as TensorFlow's importer reads input and return names."""
    components = name.split(":")
    if len(components) == 1:
        return name, 0
    if len(components) == 2:
        try:
            return components[0], int(components[1])
        except ValueError:
            raise ValueError(f"Cannot convert {name!r} to a tensor name. Second component of the name following "
                             f"the `:` should be an int. Got {components[1]}.") from None
    raise ValueError(f"Cannot convert '{name}' to a tensor name. Tensor names should not contain more than 1 `:`. "
                     f"Obtained {len(components) - 1}")


def _is_back_edge(node, src):
    """A loop's NextIteration -> Merge edge, the only cycle a GraphDef may have (wired after the import)."""
    return (op_registry.dataflow_role(node.op) == "merge"
            and op_registry.dataflow_role(src.op) == "next_iteration")


def _input_name(name):
    """``'op:1'`` -> ('op', 1), ``'op'`` and ``'^op'`` -> ('op', 0), as TensorFlow's ParseTensorName reads a
    NodeDef's inputs: what does not end in ``:<digits>`` is all node name (so ``'op:-1'`` names no node)."""
    body = name[1:] if name.startswith("^") else name
    node, colon, index = body.rpartition(":")
    if colon and not name.startswith("^") and index.isascii() and index.isdigit() and len(index) < 10:
        return node, int(index)
    return body, 0


def _import_order(nodes):
    """Indices of ``nodes`` in TensorFlow's import order: a topological order taking the smallest ready index."""
    index = {}
    for i, node in enumerate(nodes):
        if not _NODE_NAME.match(node.name):
            raise ValueError(f"Node '{node.name}': Node name contains invalid characters")
        if node.name in index:
            raise ValueError(f"Node '{node.name}' is not unique")
        index[node.name] = i
    pending = [0] * len(nodes)
    consumers = [[] for _ in nodes]
    for i, node in enumerate(nodes):
        seen_control = False
        for inp in node.input:
            is_control = inp.startswith("^")
            if seen_control and not is_control:
                raise ValueError(f"Node '{node.name}': Control dependencies must come after regular dependencies")
            seen_control = is_control
            src = index.get(_input_name(inp)[0])
            if src is not None and not _is_back_edge(node, nodes[src]):
                pending[i] += 1
                consumers[src].append(i)
    ready = [i for i in range(len(nodes)) if pending[i] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        i = heapq.heappop(ready)
        order.append(i)
        for j in consumers[i]:
            pending[j] -= 1
            if pending[j] == 0:
                heapq.heappush(ready, j)
    if len(order) < len(nodes):
        raise ValueError(f"{len(nodes) - len(order)} nodes in a cycle")
    return order


class _Names:
    """Names of imported nodes: the prefix, then TensorFlow's uniquify rule (``name_1``, ``name_2``... while the
    name or a scope of that name exists in the graph, or, for a generated name, in the GraphDef).

    "A scope of that name exists" means some name starts with ``name/``: a binary search in the sorted names, so a
    name thousands of scopes deep costs time linear in its length, never a set of all its prefixes."""

    def __init__(self, graph, graph_def, prefix):
        self._prefix = prefix + "/" if prefix else ""
        self._graph_names = sorted(graph._nodes_by_name)
        self._def_names = sorted(self._prefix + n.name for n in graph_def.node)
        self.renamed = {}

    @staticmethod
    def _taken(name, sorted_names):
        """Whether ``name`` is in ``sorted_names`` or is a scope of one of them."""
        i = bisect.bisect_left(sorted_names, name)
        if i < len(sorted_names) and sorted_names[i] == name:
            return True
        scope = name + "/"
        i = bisect.bisect_left(sorted_names, scope, i)
        return i < len(sorted_names) and sorted_names[i].startswith(scope)

    def new_name(self, original):
        name = self._prefix + original
        if self._taken(name, self._graph_names):
            base, count = name, 0
            while self._taken(name, self._graph_names) or (count > 0 and self._taken(name, self._def_names)):
                count += 1
                name = f"{base}_{count}"
        self.renamed[original] = name
        return name

    def colocation(self, node_name, values):
        """``_class`` values with imported names; the target must be in the GraphDef, as TensorFlow checks."""
        if not isinstance(values, list) or not all(isinstance(v, bytes) for v in values):
            raise ValueError(f"Node '{node_name}': the _class attr must be a list of strings")
        result = []
        for v in values:
            if v.startswith(_COLOCATION_PREFIX):
                target = v[len(_COLOCATION_PREFIX):].decode()
                if target not in self.renamed:
                    raise ValueError(f"Node '{node_name}' expects to be colocated with unknown node '{target}'")
                v = _COLOCATION_PREFIX + self.renamed[target].encode()
            result.append(v)
        return result


def _check_params(graph_def, input_map, return_elements):
    from minitf.proto import graph_pb2
    if isinstance(graph_def, (bytes, bytearray)):
        graph_def = graph_pb2.GraphDef.FromString(bytes(graph_def))
    if not hasattr(graph_def, "node") or not hasattr(graph_def, "versions"):
        raise TypeError("Argument `graph_def` must be a GraphDef proto.")
    if input_map is None:
        input_map = {}
    elif not isinstance(input_map, dict):
        raise TypeError(f"Argument `input_map` must be a dictionary. Obtained {type(input_map).__name__}")
    elif not all(isinstance(k, (str, bytes)) for k in input_map):
        raise TypeError(f"All keys for argument `input_map` must be strings. Obtained keys: {list(input_map)}")
    if return_elements is not None:
        if not all(isinstance(x, (str, bytes)) for x in return_elements):
            raise TypeError(f"Argument `return_elements` must be a list of strings. Obtained {return_elements}.")
        return_elements = [x.decode() if isinstance(x, bytes) else x for x in return_elements]
    input_map = {(k.decode() if isinstance(k, bytes) else k): v for k, v in input_map.items()}
    return graph_def, input_map, return_elements


def _input_map_keys(input_map):
    """``input_map`` keyed by ``(op name, index)`` for tensors and ``('^op', None)`` for control inputs."""
    keyed = {}
    for key, value in input_map.items():
        keyed[(key, None) if key.startswith("^") else _parse_tensor_name(key)] = (key, value)
    return keyed


def import_graph_def(graph_def, input_map=None, return_elements=None, name=None, op_dict=None,
                     producer_op_list=None):
    """``tf.import_graph_def``: adds the nodes of ``graph_def`` to the default graph under the prefix ``name``
    (default ``import``, made unique; ``""`` for none).

    ``input_map`` replaces imported tensors (``'op:0'`` or ``'op'``) or control inputs (``'^op'``) with existing
    ones; ``return_elements`` names operations (``'op'``) or tensors (``'op:0'``) to return. The current control
    dependencies and device apply to every imported op, as in TensorFlow. ``op_dict`` and ``producer_op_list``
    are accepted for TensorFlow's signature and not needed: minitf fills missing attrs from its op registry.
    """
    graph_def, input_map, return_elements = _check_params(graph_def, input_map, return_elements)
    graph = ops.get_default_graph()
    with ops.name_scope(name, "import", list(input_map.values())) as scope:
        prefix = scope[:-1] if scope else ""
        if not all(isinstance(v, ops.Tensor) for v in input_map.values()):
            if name == "":
                raise ValueError("tf.import_graph_def() requires a non-empty `name` if `input_map` contains "
                                 "non-Tensor values. Try calling tf.convert_to_tensor() on `input_map` values "
                                 "before calling tf.import_graph_def().")
            with ops.name_scope("_inputs"):
                input_map = {k: ops.convert_to_tensor(v) for k, v in input_map.items()}
    mapped = _input_map_keys(input_map)
    nodes = list(graph_def.node)
    order = _import_order(nodes)
    names = _Names(graph, graph_def, prefix)
    for i in order:
        names.new_name(nodes[i].name)
    controllers = list(graph._control_dependencies_stack)
    outer_controls = list(dict.fromkeys(c for ctl in controllers for c in ctl.control_inputs))
    used_keys, created, back_edges = set(), {}, []
    by_name = {node.name: node for node in nodes}
    with graph.as_default():
        for i in order:
            node, written = _with_default_attrs(nodes[i]), nodes[i]
            op_registry.get(node.op)  # an unknown op type is the first error, as in TensorFlow
            back = [(k, inp) for k, inp in enumerate(node.input) if not inp.startswith("^")
                    and _input_name(inp)[0] in by_name and _input_name(inp)[0] not in created
                    and _is_back_edge(node, by_name[_input_name(inp)[0]])]
            wired = node
            if back:  # a loop Merge: its back edge is wired once the NextIteration exists
                wired = type(node)()
                wired.CopyFrom(node)
                for k, _ in back:
                    wired.input[k] = node.input[0]
                back_edges.extend((node.name, k, inp) for k, inp in back)
            inputs, control_inputs = _resolve_inputs(wired, created, mapped, used_keys)
            expected_types = node_def_check.check_node(node)
            if expected_types is not None:
                node_def_check.check_input_types(node, expected_types, inputs)
            device = graph.device(node.device) if node.device else contextlib.nullcontext()
            with graph.control_dependencies(None), device:
                op = _create_op(graph, written, node, inputs, names)
            if "_output_shapes" in node.attr:
                _refine_output_shapes(op, node.attr["_output_shapes"].list.shape)
            op._add_control_inputs(control_inputs + outer_controls)
            for ctl in controllers:
                ctl.seen_ops.add(op)
            created[node.name] = op
        for name, k, inp in back_edges:
            src_name, src_index = _input_name(inp)
            created[name]._update_input(k, created[src_name]._outputs[src_index])
    _check_input_map_used(mapped, names, used_keys)
    if return_elements is None:
        return None
    return [_return_element(element, created, mapped) for element in return_elements]


def _with_default_attrs(node):
    """``node``, or a copy of it with the attrs it omits that TensorFlow's OpDef gives a default, as TensorFlow's
    importer adds them before validating (the caller's GraphDef is never changed)."""
    missing = {k: v for k, v in node_def_check.default_attrs(node.op).items() if k not in node.attr}
    if not missing:
        return node
    node = type(node).FromString(node.SerializeToString())
    for key, value in missing.items():
        node.attr[key].CopyFrom(value)
    return node


def _imported_attrs(node, op_def):
    """The Python values of a node's attrs; a value that cannot be one (a tensor whose bytes do not fill its shape,
    a negative dimension) is a ValueError naming the node."""
    try:
        return {key: _imported_attr(op_def, key, value) for key, value in node.attr.items()
                if key != "_output_shapes"}
    except (ValueError, TypeError, OverflowError) as exc:
        raise ValueError(f"{exc}; NodeDef: {{{{node {node.name}}}}}") from None


def _create_op(graph, written, defaulted, inputs, names):
    """Creates the op of an imported node from the attrs the GraphDef wrote (plus minitf's registered defaults),
    so that it exports as it was written; only if its shape function needs an attr the node omits is it created
    again with TensorFlow's defaults for all of them (``defaulted``). What the shape function cannot make of the
    attrs is a ValueError naming the node (shape errors already are), never an IndexError or KeyError."""
    op_def = op_registry.get(written.op)
    for node in (written, defaulted):
        attrs = dict(op_def.attr_defaults)
        attrs.update(_imported_attrs(node, op_def))
        if "_class" in attrs:
            attrs["_class"] = names.colocation(node.name, attrs["_class"])
        try:
            return graph.create_op(node.op, inputs, attrs, names.renamed[node.name] + "/")
        except ValueError as exc:
            if node is defaulted or "has no attr named" not in str(exc):
                raise
        except (IndexError, KeyError, TypeError, AttributeError, OverflowError) as exc:
            raise ValueError(f"{type(exc).__name__}: {exc}; NodeDef: {{{{node {node.name}}}}}") from None


def _imported_attr(op_def, key, proto):
    """An attr's value; a tensor equal to the op's registered default is the default itself, so that it is
    exported again in the default's own encoding."""
    default = op_def.attr_defaults.get(key)
    if proto.WhichOneof("value") == "tensor" and default is not None and attr_value(default) == proto:
        return default
    return attr_from_proto(proto)


def _shape_text(shape):
    return "?" if shape.ndims is None else "[" + ",".join("?" if d is None else str(d) for d in shape.as_list()) + "]"


def _refine_output_shapes(op, shape_protos):
    """Merges the GraphDef's recorded output shapes into the inferred ones, as TensorFlow's importer does."""
    if len(shape_protos) < len(op.outputs):
        raise ValueError(f"Node '{op.name}' has {len(op.outputs)} outputs but the _output_shapes attribute "
                         f"specifies shapes for {len(shape_protos)} outputs")
    for i, (tensor, proto) in enumerate(zip(op.outputs, shape_protos)):
        inferred, recorded = tensor.shape, tensor_shape.shape_from_proto(proto)
        if not inferred.is_compatible_with(recorded):
            if inferred.ndims != recorded.ndims:
                reason = f"Shapes must be equal rank, but are {inferred.ndims} and {recorded.ndims}"
            else:
                dim = next(j for j, (a, b) in enumerate(zip(inferred.as_list(), recorded.as_list()))
                           if a is not None and b is not None and a != b)
                reason = (f"Dimension {dim} in both shapes must be equal, but are {inferred.as_list()[dim]} and "
                          f"{recorded.as_list()[dim]}. Shapes are {_shape_text(inferred)} and "
                          f"{_shape_text(recorded)}.")
            raise ValueError(f"Node '{op.name}' has an _output_shapes attribute inconsistent with the GraphDef for "
                             f"output #{i}: {reason}")
        tensor.set_shape(recorded)


def _resolve_inputs(node, created, mapped, used_keys):
    """The input Tensors and control-input Operations of ``node``, through ``input_map``."""
    inputs, control_inputs = [], []
    for inp in node.input:
        if inp.startswith("^"):
            if (inp, None) in mapped:
                used_keys.add((inp, None))
                target = mapped[(inp, None)][1]
                control_inputs.append(target.op if isinstance(target, ops.Tensor) else target)
            elif _input_name(inp)[0] in created:
                control_inputs.append(created[_input_name(inp)[0]])
            else:
                raise ValueError(f"Node '{node.name}': Unknown input node '{inp}'")
            continue
        key = _input_name(inp)
        if key in mapped:
            used_keys.add(key)
            inputs.append(mapped[key][1])
            continue
        src, index = key
        if src not in created:
            raise ValueError(f"Node '{node.name}': Unknown input node '{inp}'")
        outputs = created[src].outputs
        if index >= len(outputs):
            raise ValueError(f"Node '{node.name}': Connecting to invalid output {index} of source node {src} which "
                             f"has {len(outputs)} outputs.")
        inputs.append(outputs[index])
    return inputs, control_inputs


def _check_input_map_used(mapped, names, used_keys):
    """Input-map keys must name a node of the GraphDef (mapping an output nobody consumes is allowed)."""
    missing = [original for key, (original, _) in mapped.items()
               if key not in used_keys and (key[0][1:] if key[1] is None else key[0]) not in names.renamed]
    if missing:
        raise ValueError(f"Attempted to map inputs that were not found in graph_def: [{', '.join(missing)}]")


def _return_element(element, created, mapped):
    if ":" in element:
        key = _parse_tensor_name(element)
        if key in mapped:
            return mapped[key][1]
        op = created.get(key[0])
        if op is None:
            raise ValueError(f"Requested return tensor '{element}' not found in graph def")
        if key[1] >= len(op.outputs):
            raise ValueError(f"Invalid return output {key[1]} of node '{key[0]}', which has {len(op.outputs)} "
                             "output(s)")
        return op.outputs[key[1]]
    op = created.get(element)
    if op is None:
        raise ValueError(f"Requested return node '{element}' not found in graph def")
    return op
