"""Tensor contractions and norms built from other ops as TensorFlow builds them: ``tf.tensordot`` (Transpose,
Reshape, MatMul), ``tf.norm`` (vector and Frobenius norms), and the Einsum op behind ``tf.einsum`` (its gradient
is in ``matrix_grad``)."""

import builtins
import collections
import re

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape
from minitf.framework.op_def_lib import apply_op_1, broadcast_shapes, pure_with_attrs, register
from minitf.ops import array_ops, linalg_ops, math_ops


convert_to_tensor = ops.convert_to_tensor


# -- tensordot -----------------------------------------------------------------------------------------------------

def _tensordot_reshape(a, axes, flipped=False):
    """``a`` transposed and reshaped to a matrix whose rows (columns if ``flipped``) are the free axes; returns it,
    the free dimensions (a list, or an int32 Tensor when the shape is partly unknown) and their static values."""
    shape_a = a.shape.as_list()
    axes = [i if i >= 0 else i + len(shape_a) for i in axes]
    free = [i for i in builtins.range(len(shape_a)) if i not in axes]
    free_dims = [shape_a[i] for i in free]
    if a.shape.is_fully_defined():
        prod_free = int(np.prod([shape_a[i] for i in free]))
        prod_axes = int(np.prod([shape_a[i] for i in axes]))
        perm = list(axes) + free if flipped else free + list(axes)
        new_shape = [prod_axes, prod_free] if flipped else [prod_free, prod_axes]
        a_trans = array_ops.transpose(a, perm) if perm != list(builtins.range(len(shape_a))) else a
        reshaped = array_ops.reshape(a_trans, new_shape) if a_trans.shape.as_list() != new_shape else a_trans
        return reshaped, free_dims, free_dims
    free_dims_static = free_dims
    axes = convert_to_tensor(axes, dtype=dtypes.int32, name="axes")
    free = convert_to_tensor(free, dtype=dtypes.int32, name="free")
    shape_a = array_ops.shape(a)
    free_dims = array_ops.gather(shape_a, free)
    axes_dims = array_ops.gather(shape_a, axes)
    prod_free_dims = math_ops.reduce_prod(free_dims)
    prod_axes_dims = math_ops.reduce_prod(axes_dims)
    if flipped:
        perm = array_ops.concat([axes, free], 0)
        new_shape = array_ops.stack([prod_axes_dims, prod_free_dims])
    else:
        perm = array_ops.concat([free, axes], 0)
        new_shape = array_ops.stack([prod_free_dims, prod_axes_dims])
    return array_ops.reshape(array_ops.transpose(a, perm), new_shape), free_dims, free_dims_static


def _tensordot_axes(a, axes):
    if isinstance(axes, (int, np.integer)):
        if axes < 0:
            raise ValueError(f"`axes` must be at least 0. Received: {axes}.")
        if axes > a.shape.ndims:
            raise ValueError(f"`axes` must not be larger than the number of dimensions of tensor {a}.  Received "
                             f"{axes}, vs tensor dimensions {a.shape.ndims}.")
        return list(builtins.range(a.shape.ndims - axes, a.shape.ndims)), list(builtins.range(axes))
    if isinstance(axes, (list, tuple)):
        if len(axes) != 2:
            raise ValueError(f"`axes` must be an integer or have length 2. Received {axes}.")
        a_axes, b_axes = axes
        if isinstance(a_axes, (int, np.integer)) and isinstance(b_axes, (int, np.integer)):
            a_axes, b_axes = [a_axes], [b_axes]
        if len(a_axes) != len(b_axes):
            raise ValueError(f"Different number of contraction axes `a` and `b`, {len(a_axes)} != {len(b_axes)}.")
        return list(a_axes), list(b_axes)
    raise TypeError("minitf's tensordot takes `axes` as a Python integer or a pair of lists")


def tensordot(a, b, axes, name=None):
    """``tf.tensordot``: sums the products of ``a`` and ``b`` over the given axes. The ranks must be known."""
    with ops.name_scope(name, "Tensordot", [a, b, axes]) as name:
        a = convert_to_tensor(a, name="a")
        b = convert_to_tensor(b, name="b")
        if a.shape.ndims is None or b.shape.ndims is None:
            raise ValueError("minitf's tensordot needs operands of known rank")
        a_axes, b_axes = _tensordot_axes(a, axes)
        a_reshape, a_free_dims, a_free_static = _tensordot_reshape(a, a_axes)
        b_reshape, b_free_dims, b_free_static = _tensordot_reshape(b, b_axes, True)
        ab_matmul = linalg_ops.matmul(a_reshape, b_reshape)
        if isinstance(a_free_dims, list) and isinstance(b_free_dims, list):
            if ab_matmul.shape.is_fully_defined() and ab_matmul.shape.as_list() == a_free_dims + b_free_dims:
                return ab_matmul
            return array_ops.reshape(ab_matmul, a_free_dims + b_free_dims, name=name)
        a_free_dims = convert_to_tensor(a_free_dims, dtype=dtypes.int32)
        b_free_dims = convert_to_tensor(b_free_dims, dtype=dtypes.int32)
        product = array_ops.reshape(ab_matmul, array_ops.concat([a_free_dims, b_free_dims], 0), name=name)
        product.set_shape(a_free_static + b_free_static)
        return product


# -- norm ----------------------------------------------------------------------------------------------------------

def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None, keep_dims=None):  # noqa: A002
    """``tf.norm``: vector norms (``ord`` 'euclidean', 1, 2, np.inf or any p > 0) over ``axis`` or all elements,
    and matrix norms ('euclidean'/'fro', 1, np.inf) over a pair of axes. The matrix 2-norm needs SVD, which
    minitf does not have."""
    if keep_dims is not None:
        keepdims = keep_dims
    keepdims = bool(keepdims)
    is_matrix_norm = isinstance(axis, (tuple, list)) and len(axis) == 2
    if is_matrix_norm:
        axis = tuple(axis)
        if not isinstance(axis[0], int) or not isinstance(axis[1], int) or axis[0] == axis[1]:
            raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis}")
        supported = ["euclidean", "fro", 1, 2, np.inf]
        if ord not in supported:
            raise ValueError(f"'ord' must be a supported matrix norm in {supported}, got {ord}")
        if ord == 2:
            raise ValueError("minitf does not implement the matrix 2-norm (it needs SVD)")
    else:
        if not (isinstance(axis, int) or axis is None):
            raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis}")
        if (not np.isreal(ord) or ord <= 0) and ord not in ["euclidean", 1, 2, np.inf]:
            raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
        if axis is not None:
            axis = (axis,)
    with ops.name_scope(name, "norm", [tensor]):
        tensor = convert_to_tensor(tensor)
        if ord in ["fro", "euclidean", 2, 2.0]:
            result = math_ops.sqrt(math_ops.reduce_sum(tensor * math_ops.conj(tensor), axis, keepdims=True))
        else:
            result = math_ops.abs(tensor)
            if ord == 1:
                result = math_ops.reduce_sum(result, None if axis is None else axis[0], keepdims=True)
                if is_matrix_norm:
                    result = math_ops.reduce_max(result, axis[-1], keepdims=True)
            elif ord == np.inf:
                if is_matrix_norm:
                    result = math_ops.reduce_sum(result, axis[1], keepdims=True)
                result = math_ops.reduce_max(result, None if axis is None else axis[0], keepdims=True)
            else:
                result = math_ops.pow(math_ops.reduce_sum(math_ops.pow(result, ord), axis, keepdims=True), 1.0 / ord)
        if not keepdims:
            result = array_ops.squeeze(result, axis)
        return result


# -- Einsum --------------------------------------------------------------------------------------------------------

def parse_equation(equation):
    """The input subscripts and the output subscript of ``equation`` (a str, or bytes from a GraphDef)."""
    equation = (equation.decode() if isinstance(equation, bytes) else equation).replace(" ", "")
    if "->" not in equation:
        raise ValueError(f"minitf's einsum needs an explicit output ('->'), got '{equation}'")
    inputs, output = equation.split("->")
    return inputs.split(","), output


def _labelled_dims(op, subs, shape):
    """{label: dim} of one operand and the dims its ellipsis covers (a TensorShape; empty without one)."""
    start = subs.find("...")
    named = subs.replace("...", "")
    if shape.ndims != len(named) and (start == -1 or shape.ndims < len(named)):
        raise ValueError(f"Expected input {subs} to have rank {len(named)} but got: {shape.ndims} for '{op.name}' "
                         "(op: 'Einsum')")
    dims = shape.as_list()
    if start == -1:
        return list(zip(subs, dims)), tensor_shape.TensorShape([])
    after = len(subs) - start - 3
    return (list(zip(subs[:start], dims[:start])) + list(zip(subs[start + 3:], dims[len(dims) - after:])),
            tensor_shape.TensorShape(dims[start:len(dims) - after]))


def _einsum_infer(op):
    inputs, output = parse_equation(op.get_attr("equation"))
    if len(inputs) != len(op.inputs):
        raise ValueError(f"Expecting {len(inputs)} inputs but got {len(op.inputs)} for '{op.name}' (op: 'Einsum')")
    dtype = op.inputs[0].dtype.base_dtype
    if any(t.shape.ndims is None for t in op.inputs):
        return [(dtype, tensor_shape.unknown_shape() if "..." in output else tensor_shape.unknown_shape(len(output)))]
    sizes, batch = {}, tensor_shape.TensorShape([])
    for subs, t in zip(inputs, op.inputs):
        labelled, ellipsis_dims = _labelled_dims(op, subs, t.shape)
        batch = broadcast_shapes(batch, ellipsis_dims)
        for label, dim in labelled:
            if dim is not None:
                if sizes.get(label) not in (None, dim):
                    raise ValueError(f"Expected dimension {sizes[label]} at axis of the input shaped "
                                     f"{t.shape} but got dimension {dim} for '{op.name}' (op: 'Einsum')")
                sizes[label] = dim
    start = output.find("...")
    if start == -1:
        return [(dtype, tensor_shape.TensorShape([sizes.get(label) for label in output]))]
    return [(dtype, tensor_shape.TensorShape([sizes.get(label) for label in output[:start]]).concatenate(batch)
             .concatenate([sizes.get(label) for label in output[start + 3:]]))]


def _einsum_kernel(op):
    """numpy's einsum; an output with a repeated label ("i->ii", from gradients of traces) gets the result of the
    unique labels on its diagonals and zeros elsewhere."""
    inputs, output = parse_equation(op.get_attr("equation"))
    unique = "".join(dict.fromkeys(output.replace("...", "0"))).replace("0", "...")  # "0": the ellipsis, as TF
    equation = ",".join(inputs) + "->" + unique

    def kernel(*xs):
        value = np.asarray(np.einsum(equation, *xs), dtype=xs[0].dtype)
        if unique == output:
            return value
        labels = unique.replace("...", "0")
        n_batch = value.ndim - len(labels) + 1
        sizes, position = {}, 0
        for label in labels:
            width = n_batch if label == "0" else 1
            sizes[label] = value.shape[position:position + width]
            position += width
        out = np.zeros(sum((sizes[label] for label in output.replace("...", "0")), ()), dtype=value.dtype)
        np.einsum(f"{output}->{unique}", out)[...] = value  # a writable view of the diagonals
        return out
    return kernel


register("Einsum", _einsum_infer, pure_with_attrs(_einsum_kernel), input_names=("inputs",),
         attrs=("equation", "N", "T"))


def _resolve_equation(equation, n_inputs):
    """TensorFlow's _einsum_v2_parse_and_resolve_equation: the equation without spaces, checked, with its implicit
    output (the labels that occur once, sorted, the ellipsis first) made explicit."""
    resolved = equation.replace(" ", "")
    if "0" in resolved:
        raise ValueError(f'Invalid character "0" in equation: {equation}.')
    resolved = resolved.replace("...", "0")  # the ellipsis is one label while checking
    match = re.match(r"^([a-zA-Z0,]*)(->[a-zA-Z0]*)?$", resolved)
    if not match:
        raise ValueError(f"Subscripts have incorrect format: {resolved}")
    input_labels = match.group(1).split(",")
    if n_inputs != len(input_labels):
        raise ValueError(f'Got {n_inputs} inputs for equation "{equation}", expecting {len(input_labels)}')
    if match.group(2) is None:
        counts = collections.Counter(match.group(1))
        resolved += "->" + "".join(x for x in sorted(counts) if x != "," and counts[x] == 1)
    output_labels = resolved.split("->")[1]
    if len(set(output_labels)) != len(output_labels):
        raise ValueError(f"Output subscripts contain a label appearing more than once: {equation}")
    for label in output_labels:
        if label != "0" and label not in match.group(1):
            raise ValueError(f"Output subscripts contain the label {label} not present in the input subscripts.")
    return resolved.replace("0", "...")


def einsum(equation, *inputs, **kwargs):
    """``tf.einsum``: the Einstein summation ``equation`` over ``inputs`` (``...`` broadcasts batch dims)."""
    name = kwargs.pop("name", None)
    kwargs.pop("optimize", None)  # opt_einsum's contraction order for three operands or more: minitf has one op
    if kwargs:
        raise TypeError(f"Invalid keyword arguments for einsum: {', '.join(kwargs)}. Valid arguments: name, "
                        "optimize, greedy.")
    with ops.name_scope(name, "einsum", [equation, inputs]):
        inputs = [convert_to_tensor(x) for x in inputs]
        equation = _resolve_equation(equation, len(inputs))
        return apply_op_1("Einsum", inputs, {"equation": equation, "N": len(inputs),
                                              "T": inputs[0].dtype.base_dtype})
