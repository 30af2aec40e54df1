"""Helpers to define ops (shape functions, kernel factories) and to add them to a graph from Python wrappers."""

import numpy as np

from minitf.framework import dtypes, errors, ops, op_registry, tensor_shape

TensorShape = tensor_shape.TensorShape


def graph_of(values):
    """The graph of the Tensors among ``values`` (else the default graph); they must all share it."""
    graph = None
    first = None
    for v in values:
        if isinstance(v, ops.Tensor) or hasattr(v, "_as_graph_element"):
            g = ops.innermost_graph(v.graph)
            if graph is None:
                graph, first = g, v
            elif g is not graph:
                raise ValueError(f"Tensor {v.name} must be from the same graph as Tensor {first.name}.")
    return graph if graph is not None else ops.get_default_graph()


def apply_op(op_type, inputs, attrs=None, name=None, index_attrs=None):
    """Creates an op of ``op_type`` in the graph of ``inputs`` (or the default graph); returns the Operation.

    ``name`` is the op wrapper's name (None means the op type). Inputs that are not Tensors are converted inside
    the op's name scope and named after TensorFlow's argument names, as TensorFlow's op wrappers do.
    ``index_attrs`` maps the position of a shape, axis or multiples input to its type attr (``Tshape``, ``Tidx``...):
    a Python value there becomes int32 as in TensorFlow (an empty list too, which alone would be float32; a list
    holding tensors keeps their dtype), and the attr is the input's dtype, int32 or int64.
    """
    graph = graph_of(inputs)
    if all(type(t) is ops.Tensor for t in inputs):
        check_allowed_types(op_type, inputs)
        return graph.create_op(op_type, inputs, _with_index_types(attrs, inputs, index_attrs), name)
    arg_names = op_registry.get(op_type).input_names
    index_attrs = index_attrs or {}
    with graph.as_default(), graph.name_scope(name or op_type) as scope:
        converted = [t if isinstance(t, ops.Tensor)
                     else ops.convert_to_tensor(t, name=arg_names[i] if i < len(arg_names) else None,
                                                preferred_dtype=dtypes.int32 if i in index_attrs
                                                and not _holds_tensor(t) else None)
                     for i, t in enumerate(inputs)]
        check_allowed_types(op_type, converted)
        return graph.create_op(op_type, converted, _with_index_types(attrs, converted, index_attrs), scope)


def _holds_tensor(value):
    """Whether a (nested) list or tuple holds a Tensor: packed, it keeps the tensors' dtype (``[n64, -1]`` is an
    int64 shape), as in TensorFlow."""
    return isinstance(value, (list, tuple)) and any(
        isinstance(v, ops.Tensor) or _holds_tensor(v) for v in value)


def check_allowed_types(op_type, inputs):
    """TypeError, as TensorFlow's op wrappers raise it, if an input's dtype is not among those TensorFlow's OpDef
    allows for its type attr (``tf.nn.softmax`` of integers, ``tf.reduce_sum`` of strings). Inputs after a list
    argument are not checked (their positions depend on the list's length)."""
    from minitf.framework.op_signatures import SIGNATURES
    signature = SIGNATURES.get(op_type)
    if signature is None:
        return
    allowed = {name: types for name, _, _, types, _ in signature[2] if types is not None}
    for (arg, number_attr, type_attr, type_list_attr, _, _), tensor in zip(signature[1], inputs):
        if number_attr or type_list_attr:
            return
        if type_attr in allowed and tensor.dtype.base_dtype.as_datatype_enum not in allowed[type_attr]:
            names = ", ".join(_python_dtype_name(t) for t in allowed[type_attr])
            raise TypeError(f"Value passed to parameter '{arg}' has DataType {tensor.dtype.base_dtype.name} not in "
                            f"list of allowed values: {names}")


def _python_dtype_name(enum):
    """TensorFlow's Python name of a dtype enum (``float32`` for DT_FLOAT), also for dtypes minitf lacks."""
    try:
        return dtypes.as_dtype(enum).name
    except TypeError:
        from minitf.proto import types_pb2
        return types_pb2.DataType.Name(enum)[3:].lower()


def _with_index_types(attrs, inputs, index_attrs):
    if not index_attrs:
        return attrs
    return {**(attrs or {}), **{attr: inputs[i].dtype.base_dtype for i, attr in index_attrs.items()}}


def apply_op_1(op_type, inputs, attrs=None, name=None, index_attrs=None):
    """``apply_op`` for single-output ops: returns the output Tensor."""
    return apply_op(op_type, inputs, attrs, name, index_attrs)._outputs[0]


# -- shape functions --------------------------------------------------------------------------------------------

def same_as_input(index=0):
    def infer(op):
        t = op.inputs[index]
        return [(t.dtype.base_dtype, t.shape)]
    return infer


def broadcast_shapes(a, b):
    """Static broadcast of two TensorShapes as TensorFlow's BroadcastBinaryOpShapeFn does."""
    if a.ndims is None or b.ndims is None:
        return tensor_shape.unknown_shape()
    da, db = a.as_tuple(), b.as_tuple()
    n = max(len(da), len(db))
    da = (1,) * (n - len(da)) + da
    db = (1,) * (n - len(db)) + db
    out = []
    for x, y in zip(da, db):
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None or y is None:
            out.append(x if y is None else y)
        elif x == y:
            out.append(x)
        else:
            raise ValueError(f"Dimensions must be equal, but are {x} and {y}")
    return TensorShape(out)


def check_same_dtype(op):
    first = op.inputs[0].dtype.base_dtype
    for t in op.inputs[1:]:
        if t.dtype.base_dtype != first:
            raise TypeError(f"Input 'y' of '{op.type}' Op has type {t.dtype.base_dtype.name} that does not match "
                            f"type {first.name} of argument 'x'.")
    return first


def binary_infer(out_dtype=None):
    def infer(op):
        dtype = check_same_dtype(op)
        shape = broadcast_shapes(op.inputs[0].shape, op.inputs[1].shape)
        return [(out_dtype or dtype, shape)]
    return infer


def fixed(dtype, shape):
    shape = tensor_shape.as_shape(shape)
    return lambda op: [(dtype, shape)]


# -- kernels -----------------------------------------------------------------------------------------------------

def pure(fn):
    """A kernel factory for a stateless op whose kernel is ``fn(*inputs)``."""
    return lambda op, state: fn


def pure_with_attrs(make):
    """A kernel factory for a stateless op whose kernel depends on attrs: ``make(op) -> fn(*inputs)``."""
    return lambda op, state: make(op)


def invalid_argument(message, op=None):
    return errors.InvalidArgumentError(None, op, message)


def as_int_list(value):
    return [int(v) for v in np.asarray(value).reshape(-1)]


def declared_attrs(op):
    """The op's values of the attrs its registration declares (``attrs=``), e.g. for its gradient op."""
    return {k: op.get_attr(k) for k in op._op_def.attrs}


def dtype_attr(op, name="T"):
    return dtypes.as_dtype(op.get_attr(name))


register = op_registry.register
no_gradient = op_registry.no_gradient
RegisterGradient = op_registry.RegisterGradient
