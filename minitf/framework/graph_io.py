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

import contextlib
import heapq
import re

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape, tensor_util

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


def _ndarray(tensor_proto):
    """The value of a TensorProto; one value for a larger shape becomes a zero-stride view (see _tensor_proto)."""
    value = tensor_util.MakeNdarray(tensor_proto)
    if value.size > 1 and value.dtype != object and _count_values(tensor_proto) == 1:
        value = np.broadcast_to(value.reshape(-1)[:1].reshape(()), value.shape)
    value.flags.writeable = False
    return value


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

def _full_type(op, node):
    """The ``experimental_type`` TensorFlow's type constructors give a node (among minitf's ops, only Shape's)."""
    if op.type == "Shape":
        from minitf.proto import full_type_pb2
        element = {dtypes.int32: full_type_pb2.TFT_INT32, dtypes.int64: full_type_pb2.TFT_INT64}
        shape_tensor = node.experimental_type.args.add(type_id=full_type_pb2.TFT_SHAPE_TENSOR)
        shape_tensor.args.add(type_id=element[op._attrs.get("out_type", dtypes.int32)])
        node.experimental_type.type_id = full_type_pb2.TFT_PRODUCT


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
    _full_type(op, node)
    return node


def graph_to_graph_def(graph, add_shapes=False):
    """``Graph.as_graph_def``: a GraphDef of every operation, in creation order, with TensorFlow 2.21's versions."""
    from minitf.proto import graph_pb2
    graph_def = graph_pb2.GraphDef()
    graph_def.versions.producer = GRAPH_DEF_VERSION
    graph_def.versions.min_consumer = GRAPH_DEF_VERSION_MIN_CONSUMER
    graph_def.node.extend(node_def(op, add_shapes) for op in graph.get_operations())
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
    return node.op in ("Merge", "RefMerge") and src.op in ("NextIteration", "RefNextIteration")


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
            src = index.get(_parse_tensor_name(inp.lstrip("^"))[0])
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
    name or a scope of that name exists in the graph, or, for a generated name, in the GraphDef)."""

    def __init__(self, graph, graph_def, prefix):
        self._prefix = prefix + "/" if prefix else ""
        self._graph = graph
        self._scopes = {name.rsplit("/", i)[0] for name in graph._nodes_by_name for i in range(1, name.count("/") + 1)}
        names = [self._prefix + n.name for n in graph_def.node]
        self._def_names = set(names)
        self._def_scopes = {n.rsplit("/", i)[0] for n in names for i in range(1, n.count("/") + 1)}
        self.renamed = {}

    def _in_graph(self, name):
        return name in self._graph._nodes_by_name or name in self._scopes

    def new_name(self, original):
        name = self._prefix + original
        if self._in_graph(name):
            base, count = name, 0
            while self._in_graph(name) or (count > 0 and (name in self._def_names or name in self._def_scopes)):
                count += 1
                name = f"{base}_{count}"
        self.renamed[original] = name
        return name

    def colocation(self, node_name, values):
        """``_class`` values with imported names; the target must be in the GraphDef, as TensorFlow checks."""
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
    from minitf.framework import op_registry
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
            node = nodes[i]
            op_def = op_registry.get(node.op)
            pending_inputs = [(k, inp) for k, inp in enumerate(node.input)
                              if not inp.startswith("^") and _parse_tensor_name(inp)[0] in by_name
                              and _parse_tensor_name(inp)[0] not in created
                              and _is_back_edge(node, by_name[_parse_tensor_name(inp)[0]])]
            if pending_inputs:  # a loop Merge: its back edge is wired once the NextIteration exists
                stand_in = type(node)()
                stand_in.CopyFrom(node)
                for k, _ in pending_inputs:
                    stand_in.input[k] = node.input[0]
                back_edges.extend((node.name, k, inp) for k, inp in pending_inputs)
                node = stand_in
            inputs, control_inputs = _resolve_inputs(node, created, mapped, used_keys)
            attrs = dict(op_def.attr_defaults)
            attrs.update((key, _imported_attr(op_def, key, value)) for key, value in node.attr.items()
                         if key != "_output_shapes")
            if "_class" in attrs:
                attrs["_class"] = names.colocation(node.name, attrs["_class"])
            device = graph.device(node.device) if node.device else contextlib.nullcontext()
            with graph.control_dependencies(None), device:
                op = graph.create_op(node.op, inputs, attrs, names.renamed[node.name] + "/")
            if "_output_shapes" in node.attr:
                _refine_output_shapes(op, node.attr["_output_shapes"].list.shape)
            op._add_control_inputs(control_inputs + outer_controls)
            for ctl in controllers:
                ctl.seen_ops.add(op)
            created[node.name] = op
        for name, k, inp in back_edges:
            src_name, src_index = _parse_tensor_name(inp)
            created[name]._update_input(k, created[src_name]._outputs[src_index])
    _check_input_map_used(mapped, names, used_keys)
    if return_elements is None:
        return None
    return [_return_element(element, created, mapped) for element in return_elements]


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
            elif inp[1:] in created:
                control_inputs.append(created[inp[1:]])
            else:
                raise ValueError(f"Node '{node.name}': Unknown input node '{inp}'")
            continue
        key = _parse_tensor_name(inp)
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
