"""The ``FunctionDef``s of traced ``tf.data`` functions, written to an exported GraphDef's ``library``.

TensorFlow writes each function a dataset op names (``map``'s ``f``, ``filter``'s ``predicate``, ...) into
``graph_def.library`` as a FunctionDef (``function.proto``); minitf does the same when a graph is exported
(``Graph.as_graph_def``, ``export_meta_graph``). As in TensorFlow: the signature has one ``args_K`` input per
element component, then one input per captured outer tensor (named after the name scope it was captured in and
the outer tensor's op: ``mul_scale``), and one ``identity``, ``identity_1``, ... output per result; each result
passes through an ``Identity`` node; node inputs are written ``op:output_arg:index``; the function carries the
``_tf_data_function`` and ``_construction_context`` attrs, and each input its ``_user_specified_name`` and
``_output_shapes``. TensorFlow's automatic control dependencies are reproduced: stateful ops (a dataset source;
not the legacy random ops) run in creation order, are the function's ``control_output``s, and a ``NoOp`` after them
gates the results. Not as in TensorFlow: the number in a function's name is minitf's own count (TensorFlow's is a
process-wide id); a one-shot iterator's ``dataset_factory`` function and ``from_generator``'s PyFunc functions are
not written. The library is for readers (TensorBoard, tools): importing a GraphDef does not read it back.
"""

import re

from minitf.framework import graph_io, op_registry
from minitf.framework.op_signatures import SIGNATURES
from minitf.ops import dataset_ops as _kernels


def _output_arg_names(op):
    """The output arg name of each output of ``op`` (``Mul``: ``["z"]``), with its index within that arg."""
    signature = SIGNATURES.get(op.type)
    if signature is None:
        return [("output", i) for i in range(len(op.outputs))]
    outputs = signature[0].split("signature=", 1)[1].split(" -> ", 1)[1].split(";", 1)[0]
    names = []
    for arg in filter(None, (a.strip() for a in outputs.split(","))):
        name, _, kind = arg.partition(":")
        if "*" in kind:  # N*T: as many as the number attr says
            count = op.get_attr(kind.split("*")[0])
        elif kind in op._attrs and isinstance(op.get_attr(kind), (list, tuple)):  # one output per listed type
            count = len(op.get_attr(kind))
        else:
            count = 1
        names.extend((name, i) for i in range(count))
    return names


def _input_text(tensor, arguments):
    if tensor in arguments:
        return arguments[tensor]
    names = _output_arg_names(tensor.op)
    name, index = names[tensor.value_index] if tensor.value_index < len(names) else ("output", tensor.value_index)
    return "%s:%s:%d" % (tensor.op.name, name, index)


def _unused_name(base, taken):
    name, count = base, 0
    while name in taken:
        count += 1
        name = "%s_%d" % (base, count)
    taken.add(name)
    return name


def _arg_name(name):
    return re.sub(r"[^a-z0-9_]", "_", name.lower())


def function_def(traced):
    """The FunctionDef of a traced function (``minitf.data.function.TracedFunction``)."""
    from minitf.proto import function_pb2
    fdef = function_pb2.FunctionDef()
    fdef.signature.name = traced.name
    inputs = [(t, t.op.name, t.op.name) for t in traced.arguments]
    inputs += [(inner, _arg_name(traced.graph.capture_names[inner]), outer.op.name)
               for outer, inner in zip(traced.captured, traced._placeholders)]
    arguments = {}
    for index, (tensor, arg_name, user_name) in enumerate(inputs):
        fdef.signature.input_arg.add(name=arg_name, type=tensor.dtype.base_dtype.as_datatype_enum)
        arguments[tensor] = arg_name
        attrs = fdef.arg_attr[index].attr
        attrs["_user_specified_name"].s = user_name.encode("utf-8")
        attrs["_output_shapes"].CopyFrom(graph_io.attr_value([tensor.shape]))
    fdef.attr["_tf_data_function"].b = True
    fdef.attr["_construction_context"].s = b"kEagerRuntime"
    argument_ops = {t.op for t in arguments}
    taken = {op.name for op in traced.graph.get_operations()}
    must_run = []  # TensorFlow's automatic control dependencies: stateful ops run in order, and before returning
    for op in traced.graph.get_operations():
        if op in argument_ops:
            continue
        node = graph_io.node_def(op)
        del node.input[:]
        node.input.extend(_input_text(t, arguments) for t in op.inputs)
        control = {c.name for c in op.control_inputs}
        if _is_stateful(op):
            fdef.signature.is_stateful = True
            if op.type not in _LEGACY_RANDOM_OPS:
                control.update(o.name for o in must_run[-1:])
                must_run.append(op)
        node.input.extend(sorted("^" + name for name in control))
        node.ClearField("device")
        fdef.node_def.append(node)
    returned = []
    for index, tensor in enumerate(traced.outputs):
        suffix = "" if index == 0 else "_%d" % index
        fdef.signature.output_arg.add(name="identity" + suffix, type=tensor.dtype.base_dtype.as_datatype_enum)
        node = fdef.node_def.add(name=_unused_name("Identity", taken), op="Identity")
        node.input.append(_input_text(tensor, arguments))
        node.attr["T"].type = tensor.dtype.base_dtype.as_datatype_enum
        fdef.ret["identity" + suffix] = node.name + ":output:0"
        returned.append(node)
    if must_run:
        no_op = fdef.node_def.add(name=_unused_name("NoOp", taken), op="NoOp")
        no_op.input.extend(sorted("^" + op.name for op in must_run))
        for node in returned:
            node.input.append("^" + no_op.name)
        for op in sorted(must_run, key=lambda op: op.name):
            fdef.signature.control_output.append(op.name)
            fdef.control_ret[op.name] = op.name
    return fdef


# The stateful ops TensorFlow's automatic control dependencies leave unordered (auto_control_deps.py).
_LEGACY_RANDOM_OPS = frozenset([
    "RandomUniform", "RandomUniformInt", "RandomStandardNormal", "ParameterizedTruncatedNormal", "TruncatedNormal",
    "RandomShuffle", "Multinomial", "RandomGamma", "RandomGammaGrad", "RandomPoisson", "RandomPoissonV2"])


def _is_stateful(op):
    """TensorFlow's ``is_stateful`` of the op's OpDef (a dataset source is stateful, a transformation is not)."""
    signature = SIGNATURES.get(op.type)
    if signature is None:
        return op_registry.get(op.type).stateful
    return "is_stateful=true" in signature[0]


def _traced_functions(graph):
    """The traced functions the ops of ``graph`` name, and those their bodies name, each once, in order."""
    from minitf.data.function import TracedFunction
    found = {}
    pending = [graph]
    while pending:
        for op in pending.pop(0).get_operations():
            for value in _kernels._python_data.get(op, {}).values():
                if isinstance(value, TracedFunction) and value.name not in found:
                    found[value.name] = value
                    pending.append(value.graph)
    return list(found.values())


def library_functions(graph):
    """The FunctionDefs of ``graph``'s tf.data functions (``graph_io.register_library_source``)."""
    return [function_def(traced) for traced in _traced_functions(graph)]


graph_io.register_library_source(library_functions)
