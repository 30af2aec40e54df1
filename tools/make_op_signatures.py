"""Writes minitf/framework/op_signatures.py: TensorFlow 2.21's OpDef of every op minitf registers, in the compact
form the GraphDef importer validates untrusted NodeDefs with (run with ~/tfref/bin/python; re-run after adding ops).

Each op maps to ``(summary, inputs, attrs)``: ``summary`` is TensorFlow's ``SummarizeOpDef`` text (``Op<name=...>``)
that its import errors quote; each input is ``(name, number_attr, type_attr, type_list_attr, dtype enum, is_ref)``;
each attr is ``(name, type, serialized default AttrValue or None, allowed dtype enums or None, minimum or None)``.
The script checks its summaries against the ones TensorFlow's own errors print.
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from minitf.framework import op_registry  # noqa: E402
import minitf  # noqa: E402,F401 -- registers the ops

import tensorflow.compat.v1 as tf  # noqa: E402
from tensorflow.core.framework import types_pb2  # noqa: E402
from tensorflow.python.framework import op_def_registry  # noqa: E402

tf.disable_v2_behavior()


def dtype_name(enum):
    return types_pb2.DataType.Name(enum)


def short_dtype(enum):
    """``DataTypeString``: float, int32, float_ref ..."""
    ref = enum > 100
    name = dtype_name(enum - 100 if ref else enum)[3:].lower()
    return name + ("_ref" if ref else "")


def summarize_value(value):
    """TensorFlow's ``SummarizeAttrValue`` for the defaults that occur in OpDefs."""
    kind = value.WhichOneof("value")
    if kind == "b":
        return "true" if value.b else "false"
    if kind == "i":
        return str(value.i)
    if kind == "f":
        return "%g" % value.f if value.f != int(value.f) else ("%g" % value.f)
    if kind == "s":
        return '"%s"' % value.s.decode()
    if kind == "type":
        return dtype_name(value.type)
    if kind == "shape":
        if value.shape.unknown_rank:
            return "<unknown>"
        return "[" + ",".join("?" if d.size < 0 else str(d.size) for d in value.shape.dim) + "]"
    if kind == "list":
        items = ([dtype_name(t) for t in value.list.type] or [str(i) for i in value.list.i] or
                 ['"%s"' % s.decode() for s in value.list.s] or ["%g" % f for f in value.list.f])
        return "[" + ", ".join(items) + "]"
    if kind == "tensor":
        array = tf.make_ndarray(value.tensor)
        values = " ".join(str(v) for v in array.reshape(-1)[:3]) + ("..." if array.size > 3 else "")
        return f"Tensor<type: {array.dtype.name} shape: {list(array.shape)} values: {values}>"
    return str(value).strip()


def summarize_arg(arg):
    if arg.number_attr:
        kind = f"{arg.number_attr}*{arg.type_attr or short_dtype(arg.type)}"
    elif arg.type_list_attr:
        kind = ""  # TensorFlow prints nothing for a list of types
    elif arg.type_attr:
        kind = arg.type_attr
    else:
        kind = short_dtype(arg.type)
    return f"{arg.name}:{'Ref(' + kind + ')' if arg.is_ref else kind}"


def summarize(op_def):
    """``SummarizeOpDef``."""
    text = f"Op<name={op_def.name}; signature=" + ", ".join(summarize_arg(a) for a in op_def.input_arg)
    text += " -> " + ", ".join(summarize_arg(a) for a in op_def.output_arg)
    for attr in op_def.attr:
        text += f"; attr={attr.name}:{attr.type}"
        if attr.HasField("default_value"):
            text += ",default=" + summarize_value(attr.default_value)
        if attr.has_minimum:
            text += f",min={attr.minimum}"
        if attr.HasField("allowed_values"):
            text += ",allowed=" + summarize_value(attr.allowed_values)
    for flag in ("is_commutative", "is_aggregate", "is_stateful", "allows_uninitialized_input"):
        if getattr(op_def, flag):
            text += f"; {flag}=true"
    return text + ">"


def signature(op_def):
    inputs = tuple((a.name, a.number_attr or None, a.type_attr or None, a.type_list_attr or None, a.type,
                    a.is_ref) for a in op_def.input_arg)
    attrs = tuple((a.name, a.type,
                   a.default_value.SerializeToString(deterministic=True) if a.HasField("default_value") else None,
                   tuple(a.allowed_values.list.type) if a.HasField("allowed_values") and a.type == "type"
                   else None,
                   a.minimum if a.has_minimum else None) for a in op_def.attr)
    return summarize(op_def), inputs, attrs


def tensorflow_summary(op_def):
    """The ``Op<...>`` text TensorFlow prints when a NodeDef of ``op_def`` has 1000 inputs."""
    from tensorflow.core.framework import graph_pb2
    graph_def = graph_pb2.GraphDef()
    graph_def.node.add(name="x", op="Placeholder").attr["dtype"].type = types_pb2.DT_FLOAT
    node = graph_def.node.add(name="n", op=op_def.name)
    node.input.extend(["x"] * 1000)
    try:
        with tf.Graph().as_default():
            tf.import_graph_def(graph_def, name="")
    except ValueError as exc:
        text = str(exc)
        start = text.find("Op<name=")
        return text[start:text.index(">; NodeDef", start) + 1] if "; NodeDef" in text[start:] else None
    return None


signatures = {}
mismatches = []
checked = 0
for name in op_registry.registered_ops():
    op_def = op_def_registry.get(name)
    if op_def is None:
        continue
    signatures[name] = signature(op_def)
    expected = tensorflow_summary(op_def)
    checked += expected is not None
    if expected is not None and expected != signatures[name][0]:
        mismatches.append((name, expected, signatures[name][0]))
for name, expected, got in mismatches:
    print(f"summary differs for {name}:\n  TF:  {expected}\n  ours: {got}", file=sys.stderr)

with open(os.path.join(ROOT, "minitf", "framework", "op_signatures.py"), "w") as f:
    f.write('"""TensorFlow 2.21\'s OpDefs of the ops minitf registers, for validating imported NodeDefs. Generated by\n'
            'tools/make_op_signatures.py (see there for the layout); do not edit."""\n\n')
    f.write("# flake8: noqa\nSIGNATURES = {\n")
    for name in sorted(signatures):
        f.write(f"    {name!r}: {signatures[name]!r},\n")
    f.write("}\n")
print(f"{len(signatures)} ops, {checked} summaries checked against TensorFlow's, {len(mismatches)} differ")
