"""GraphDef export and import: ``Graph.as_graph_def``, ``Operation.node_def`` and ``tf.import_graph_def``.

Attr values live on operations as Python values (DType, bool, int, float, bytes, TensorShape, numpy arrays and
lists of these); this module is the one place that maps them to and from ``AttrValue`` protos.
"""

import re

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape, tensor_util

GRAPH_DEF_VERSION = 2474  # TensorFlow 2.21's GraphDef producer version
GRAPH_DEF_VERSION_MIN_CONSUMER = 0


def _attr_value(value):
    from minitf.proto import attr_value_pb2
    proto = attr_value_pb2.AttrValue()
    if isinstance(value, dtypes.DType):
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
        proto.tensor.CopyFrom(tensor_util.make_tensor_proto(value))
    elif isinstance(value, (list, tuple)):
        proto.list.SetInParent()
        for item in value:
            if isinstance(item, dtypes.DType):
                proto.list.type.append(item.as_datatype_enum)
            elif isinstance(item, bool):
                proto.list.b.append(item)
            elif isinstance(item, (int, np.integer)):
                proto.list.i.append(int(item))
            elif isinstance(item, (float, np.floating)):
                proto.list.f.append(float(item))
            elif isinstance(item, (str, bytes)):
                proto.list.s.append(item.encode() if isinstance(item, str) else item)
            elif isinstance(item, tensor_shape.TensorShape):
                proto.list.shape.add().CopyFrom(item.as_proto())
            else:
                raise TypeError(f"Unsupported attr list item {item!r}")
    else:
        raise TypeError(f"Unsupported attr value {value!r}")
    return proto


def attr_from_proto(proto):
    """The Python value of an AttrValue, as ``Operation.get_attr`` returns it."""
    kind = proto.WhichOneof("value")
    if kind == "type":
        return dtypes.as_dtype(proto.type)
    if kind == "b":
        return proto.b
    if kind == "i":
        return proto.i
    if kind == "f":
        return proto.f
    if kind == "s":
        return proto.s
    if kind == "shape":
        return tensor_shape.shape_from_proto(proto.shape)
    if kind == "tensor":
        value = tensor_util.MakeNdarray(proto.tensor)
        value.flags.writeable = False
        return value
    if kind == "list":
        lst = proto.list
        if lst.type:
            return [dtypes.as_dtype(t) for t in lst.type]
        if lst.shape:
            return [tensor_shape.shape_from_proto(s) for s in lst.shape]
        if lst.s:
            return list(lst.s)
        if lst.f:
            return list(lst.f)
        if lst.b:
            return list(lst.b)
        return list(lst.i)
    if kind == "func":
        return proto.func
    return None


def node_def(op, add_shapes=False):
    from minitf.proto import node_def_pb2
    node = node_def_pb2.NodeDef(name=op.name, op=op.type, device=op.device)
    for t in op.inputs:
        node.input.append(t.op.name if t.value_index == 0 else f"{t.op.name}:{t.value_index}")
    node.input.extend(sorted("^" + c.name for c in op.control_inputs))
    for key in sorted(op._attrs):
        if key.startswith("_") and key != "_class":
            continue
        node.attr[key].CopyFrom(_attr_value(op._attrs[key]))
    if add_shapes:
        node.attr["_output_shapes"].CopyFrom(_attr_value([t.shape for t in op.outputs]))
    return node


def graph_to_graph_def(graph, add_shapes=False):
    from minitf.proto import graph_pb2
    graph_def = graph_pb2.GraphDef()
    graph_def.versions.producer = GRAPH_DEF_VERSION
    graph_def.versions.min_consumer = GRAPH_DEF_VERSION_MIN_CONSUMER
    graph_def.node.extend(node_def(op, add_shapes) for op in graph.get_operations())
    return graph_def


_INPUT = re.compile(r"^(\^)?([^:]+)(?::(\d+))?$")


def _topological(nodes):
    """GraphDef nodes in an order where every node follows its inputs (GraphDefs need not be sorted)."""
    by_name = {n.name: n for n in nodes}
    order, state = [], {}
    for root in nodes:
        if root.name in state:
            continue
        stack = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                state[node.name] = "done"
                order.append(node)
                continue
            if state.get(node.name) == "done":
                continue
            if state.get(node.name) == "open":
                raise ValueError(f"GraphDef has a cycle through node '{node.name}'")
            state[node.name] = "open"
            stack.append((node, True))
            for inp in node.input:
                match = _INPUT.match(inp)
                src = by_name.get(match.group(2)) if match else None
                if src is not None and state.get(src.name) != "done":
                    if state.get(src.name) == "open":
                        raise ValueError(f"GraphDef has a cycle through node '{src.name}'")
                    stack.append((src, False))
    return order


def import_graph_def(graph_def, input_map=None, return_elements=None, name=None, op_dict=None, producer_op_list=None):
    """``tf.import_graph_def``: adds the nodes of ``graph_def`` to the default graph under the prefix ``name``.

    ``input_map`` replaces imported tensors (by ``'name:0'``) with existing ones; ``return_elements`` lists
    operation or tensor names to return.
    """
    from minitf.framework import op_registry
    from minitf.proto import graph_pb2
    if isinstance(graph_def, (bytes, bytearray)):
        graph_def = graph_pb2.GraphDef.FromString(bytes(graph_def))
    if not hasattr(graph_def, "node"):
        raise TypeError(f"graph_def must be a GraphDef proto, got {type(graph_def).__name__}.")
    graph = ops.get_default_graph()
    input_map = {(_normalize_tensor_name(k)): v for k, v in (input_map or {}).items()}
    used_inputs = set()
    prefix = ""
    with ops.name_scope(name, "import", list(input_map.values())) as scope:
        prefix = scope
    created = {}
    for node in _topological(list(graph_def.node)):
        op_def = op_registry.get(node.op)
        inputs, control_inputs = [], []
        for inp in node.input:
            match = _INPUT.match(inp)
            if match is None:
                raise ValueError(f"Node '{node.name}': malformed input '{inp}'")
            is_control, src, index = match.group(1), match.group(2), int(match.group(3) or 0)
            if is_control:
                if src not in created:
                    raise ValueError(f"Node '{node.name}': input '{inp}' is not in the graph_def")
                control_inputs.append(created[src])
                continue
            key = f"{src}:{index}"
            if key in input_map:
                used_inputs.add(key)
                inputs.append(ops.convert_to_tensor(input_map[key]))
                continue
            if src not in created:
                raise ValueError(f"Node '{node.name}': input '{inp}' is not in the graph_def")
            outputs = created[src].outputs
            if index >= len(outputs):
                raise ValueError(f"Node '{node.name}': input '{inp}' refers to output {index} of an op with "
                                 f"{len(outputs)} outputs")
            inputs.append(outputs[index])
        attrs = dict(op_def.attr_defaults)
        for key, value in node.attr.items():
            if key == "_output_shapes":
                continue
            attrs[key] = attr_from_proto(value)
        op = graph.create_op(node.op, inputs, attrs, prefix + node.name + "/")
        if node.device:
            op._device = node.device
        for c in control_inputs:
            op._add_control_input(c)
        created[node.name] = op
    unused = set(input_map) - used_inputs
    if unused:
        raise ValueError(f"Attempted to map inputs that were not found in graph_def: [{', '.join(sorted(unused))}]")
    if return_elements is None:
        return None
    result = []
    for element in return_elements:
        result.append(graph.as_graph_element(prefix + element))
    return result


def _normalize_tensor_name(name):
    if hasattr(name, "name"):
        name = name.name
    return name if ":" in name else name + ":0"
