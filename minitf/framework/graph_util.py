"""``tf.graph_util``: GraphDef surgery as TensorFlow 2.21's ``graph_util_impl.py`` and ``convert_to_constants.py``
do it for reference variables: extracting the subgraph that feeds some nodes, freezing variables into constants,
and splicing out training-only nodes.
"""

import copy
import re

from minitf.framework import graph_io, tensor_util
from minitf.framework.graph_io import import_graph_def  # noqa: F401 -- the same function as tf.import_graph_def

_VARIABLE_OPS = ("Variable", "VariableV2", "VarHandleOp")
_PASS_THROUGH_OPS = ("Enter", "Exit", "Identity", "NextIteration", "Switch", "_SwitchN")


def _node_name(name):
    return name[1:] if name.startswith("^") else name.split(":")[0]


def _colocated_name(value):
    value = value.decode("utf-8")
    return value[5:] if value.startswith("loc:@") else value


def extract_sub_graph(graph_def, dest_nodes):
    """The nodes of ``graph_def`` that ``dest_nodes`` reach through inputs, control inputs and colocation, in
    their original order, with the GraphDef's versions and library."""
    from minitf.proto import graph_pb2
    if not isinstance(graph_def, graph_pb2.GraphDef):
        raise TypeError(f"graph_def must be a graph_pb2.GraphDef proto, but got type {type(graph_def)}.")
    if isinstance(dest_nodes, str):
        raise TypeError(f"dest_nodes must be an iterable of strings, but got type {type(dest_nodes)}.")
    inputs_of, node_of, position = {}, {}, {}
    for i, node in enumerate(graph_def.node):
        name = _node_name(node.name)
        node_of[name] = node
        inputs_of[name] = [_node_name(x) for x in node.input]
        if "_class" in node.attr:
            inputs_of[name].extend(_colocated_name(v) for v in node.attr["_class"].list.s)
        position[name] = i
    for name in dest_nodes:
        if name not in node_of:
            raise AssertionError(f"{name} is not in graph")
    keep, to_visit = set(), list(dest_nodes)
    while to_visit:
        name = to_visit.pop(0)
        if name in keep:
            continue
        keep.add(name)
        to_visit.extend(inputs_of.get(name, ()))
    out = graph_pb2.GraphDef()
    out.node.extend(copy.deepcopy(node_of[n]) for n in sorted(keep, key=position.__getitem__))
    out.library.CopyFrom(graph_def.library)
    out.versions.CopyFrom(graph_def.versions)
    return out


def convert_variables_to_constants(sess, input_graph_def, output_node_names, variable_names_whitelist=None,
                                   variable_names_blacklist=None):
    """The subgraph feeding ``output_node_names`` with each variable replaced by a ``Const`` of its value in
    ``sess`` (only variables named in the whitelist, if given, and none in the blacklist)."""
    graph_def = extract_sub_graph(input_graph_def, output_node_names)
    convert = [node for node in graph_def.node if node.op in _VARIABLE_OPS
               and (variable_names_whitelist is None or node.name in variable_names_whitelist)
               and (variable_names_blacklist is None or node.name not in variable_names_blacklist)]
    values = sess.run([node.name + ":0" for node in convert]) if convert else []
    consumers = {}
    for node in graph_def.node:
        for inp in node.input:
            if not inp.startswith("^"):
                consumers.setdefault(_node_name(inp), []).append(node)
    for node, value in zip(convert, values):
        name, dtype = node.name, node.attr["dtype"].type
        node.Clear()
        node.name = name
        node.op = "Const"
        node.attr["dtype"].type = dtype
        node.attr["value"].tensor.CopyFrom(tensor_util.make_tensor_proto(value))
        _retype_pass_through_consumers(name, dtype, consumers)
    return graph_def


def _retype_pass_through_consumers(name, dtype, consumers):
    """Identity-like consumers of a frozen variable take its (non-reference) dtype and lose their recorded output
    shapes, and so on down a chain of them, as TensorFlow's converter does."""
    for node in consumers.get(name, ()):
        if node.op in _PASS_THROUGH_OPS:
            node.attr["T"].type = dtype
            if "_output_shapes" in node.attr:
                del node.attr["_output_shapes"]
            _retype_pass_through_consumers(node.name, dtype, consumers)


def remove_training_nodes(input_graph, protected_nodes=None):
    """``input_graph`` without CheckNumerics nodes, and with Identity and StopGradient nodes spliced out unless
    protected, colocated with, or involved in control edges."""
    from minitf.proto import graph_pb2, node_def_pb2
    protected = set(protected_nodes or ())
    removed = {node.name for node in input_graph.node if node.op == "CheckNumerics" and node.name not in protected}
    kept = []
    for node in input_graph.node:
        if node.name in removed:
            continue
        new_node = node_def_pb2.NodeDef()
        new_node.CopyFrom(node)
        del new_node.input[:]
        new_node.input.extend(i for i in node.input if re.sub(r"^\^", "", i) not in removed)
        kept.append(new_node)
    control_inputs, with_control_inputs, colocated = set(), set(), set()
    for node in kept:
        for inp in node.input:
            if "^" in inp:
                control_inputs.add(inp.replace("^", ""))
                with_control_inputs.add(node.name)
        if "_class" in node.attr:
            colocated.update(_colocated_name(v) for v in node.attr["_class"].list.s)
    splice = {node.name: node.input[0] for node in kept
              if node.op in ("Identity", "StopGradient") and node.name not in protected
              and node.name not in colocated and node.name not in with_control_inputs}
    splice = {name: source for name, source in splice.items() if name not in control_inputs}
    output = graph_pb2.GraphDef()
    for node in kept:
        if node.name in splice:
            continue
        new_node = output.node.add()
        new_node.CopyFrom(node)
        del new_node.input[:]
        for full_name in node.input:
            name = re.sub(r"^\^", "", full_name)
            while name in splice:
                full_name = splice[name]
                name = re.sub(r"^\^", "", full_name)
            new_node.input.append(full_name)
    return output


def tensor_shape_from_node_def_name(graph, input_name):
    """The static shape of the tensor a NodeDef input string names (``'op'`` means ``'op:0'``)."""
    return graph.get_tensor_by_name(input_name if ":" in input_name else input_name + ":0").get_shape()
