"""Validation of untrusted NodeDefs against TensorFlow's OpDefs, as TensorFlow's importer does it
(node_def_util.cc ``ValidateNodeDef`` and graph_constructor.cc), with TensorFlow's error messages.

A GraphDef read from a file may say anything: a node may miss inputs or attrs, give an attr the wrong kind of
value or a dtype enum that does not exist. ``check_node`` finds these before minitf builds an op, so the import
fails with ``ValueError`` naming the node instead of an IndexError or KeyError from deep inside shape inference.
The OpDefs come from op_signatures.py (generated from TensorFlow by tools/make_op_signatures.py); an op missing
there is checked only by its own shape function.
"""

from minitf.framework import dtypes
from minitf.framework.op_signatures import SIGNATURES

_REF_OFFSET = 100  # DT_FLOAT_REF = DT_FLOAT + 100


def _proto():
    from minitf.proto import attr_value_pb2, types_pb2
    return attr_value_pb2, types_pb2


def dtype_string(enum):
    """TensorFlow's ``DataTypeString``: ``float``, ``int32``, ``float_ref``."""
    _, types_pb2 = _proto()
    try:
        return types_pb2.DataType.Name(enum)[3:].lower()
    except ValueError:
        return f"unknown dtype enum ({enum})"


def _node(node):
    return f"{{{{node {node.name}}}}}"


def _kind(value):
    """The attr type of an AttrValue as TensorFlow names it: ``int``, ``list(type)``, ``list(any)`` ..."""
    kind = value.WhichOneof("value")
    if kind != "list":
        return {"s": "string", "i": "int", "f": "float", "b": "bool", None: "<Unknown AttrValue type>"}.get(kind, kind)
    for field, name in (("s", "string"), ("i", "int"), ("f", "float"), ("b", "bool"), ("type", "type"),
                        ("shape", "shape"), ("tensor", "tensor"), ("func", "func")):
        if len(getattr(value.list, field)):
            return f"list({name})"
    return "list(any)"


def _types_of(value):
    return list(value.list.type) if value.WhichOneof("value") == "list" else [value.type]


def default_attrs(op_type):
    """``{name: AttrValue}`` of the attrs TensorFlow's OpDef gives a default (empty for an unknown op)."""
    attr_value_pb2, _ = _proto()
    signature = SIGNATURES.get(op_type)
    if signature is None:
        return {}
    return {name: attr_value_pb2.AttrValue.FromString(default)
            for name, _, default, _, _ in signature[2] if default is not None}


def check_node(node):
    """Raises ValueError, worded as TensorFlow's importer, if ``node`` does not fit its op's OpDef.

    ``node.attr`` must already hold the defaults (``default_attrs``); unknown attrs are allowed, as in TensorFlow's
    importer. Returns the dtype enums the node's data inputs must have, or None for an op without a signature.
    """
    signature = SIGNATURES.get(node.op)
    if signature is None:
        return None
    summary, inputs, attrs = signature
    for name, attr_type, default, allowed, minimum in attrs:
        if name not in node.attr:
            if default is not None:
                continue  # a default the importer chose not to fill in (see graph_io._UNMODELLED_ATTRS)
            raise ValueError(f"NodeDef missing attr '{name}' from {summary}; NodeDef: {_node(node)}")
        problem = _attr_problem(name, node.attr[name], attr_type, allowed, minimum)
        if problem:
            raise ValueError(f"{problem}\n\t; NodeDef: {_node(node)}; {summary}")
    expected = _input_types(node, inputs)
    given = sum(1 for name in node.input if not name.startswith("^"))
    if given != len(expected):
        raise ValueError(f"NodeDef expected inputs '{', '.join(dtype_string(t) for t in expected)}' do not match "
                         f"{given} inputs specified; {summary}; NodeDef: {_node(node)}")
    return expected


def _attr_problem(name, value, attr_type, allowed, minimum):
    """What is wrong with one attr value, in TensorFlow's words, or None."""
    kind = _kind(value)
    if kind != attr_type and not (kind == "list(any)" and attr_type.startswith("list(")):
        return f"AttrValue had value with type '{kind}' when '{attr_type}' expected\n\t for attr '{name}'"
    if attr_type in ("type", "list(type)"):
        for enum in _types_of(value):
            if not _valid_dtype(enum):
                return f"AttrValue has invalid DataType enum: {enum}\n\t for attr '{name}'"
            if allowed is not None and enum not in allowed:
                return (f"Value for attr '{name}' of {dtype_string(enum)} is not in the list of allowed values: "
                        + ", ".join(dtype_string(t) for t in allowed))
    if minimum is not None:
        if attr_type == "int" and value.i < minimum:
            return f"Value for attr '{name}' of {value.i} must be at least minimum {minimum}"
        if attr_type.startswith("list(") and len(getattr(value.list, _LIST_FIELDS[attr_type])) < minimum:
            return (f"Length for attr '{name}' of {len(getattr(value.list, _LIST_FIELDS[attr_type]))} must be at "
                    f"least minimum {minimum}")
    return None


_LIST_FIELDS = {"list(string)": "s", "list(int)": "i", "list(float)": "f", "list(bool)": "b", "list(type)": "type",
                "list(shape)": "shape", "list(tensor)": "tensor", "list(func)": "func"}


def _valid_dtype(enum):
    if enum % _REF_OFFSET == 0 or enum > 2 * _REF_OFFSET:
        return False
    try:
        dtypes.as_dtype(enum)
    except TypeError:
        return False
    return True


def _input_types(node, inputs):
    """The dtype enums of the data inputs the OpDef expects, given the node's attrs (TensorFlow's
    ``InOutTypesForNode``)."""
    types = []
    for _, number_attr, type_attr, type_list_attr, fixed, is_ref in inputs:
        if type_list_attr:
            arg = list(node.attr[type_list_attr].list.type)
        else:
            one = node.attr[type_attr].type if type_attr else fixed
            arg = [one] * (node.attr[number_attr].i if number_attr else 1)
        types.extend(t + _REF_OFFSET if is_ref else t for t in arg)
    return types


def check_input_types(node, expected, tensors):
    """Raises TensorFlow's ValueError if an input tensor's dtype is not the one the OpDef expects."""
    for i, (enum, tensor) in enumerate(zip(expected, tensors)):
        got = tensor.dtype.as_datatype_enum
        if got == enum or (enum < _REF_OFFSET and got == enum + _REF_OFFSET):
            continue
        raise ValueError(f"Input {i} of node {node.name} was passed {dtype_string(got)} from {tensor.name} "
                         f"incompatible with expected {dtype_string(enum)}.")
