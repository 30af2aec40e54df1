"""Transpose, Slice and StridedSlice, and Python indexing of tensors (``tensor[...]``)."""

import builtins

import numpy as np

from minitf.framework import dtypes, errors, ops, tensor_util
from minitf.framework.op_def_lib import apply_op_1, invalid_argument, no_gradient, pure, pure_with_attrs, register, same_as_input
from minitf.ops import constant_op, cwise_ops
from minitf.ops.join_ops import stack
from minitf.ops.shape_ops import TensorShape, _static, convert_to_tensor, rank, unknown_shape


# -- transpose, slicing -------------------------------------------------------------------------------------------

def _transpose_infer(op):
    x, perm_t = op.inputs
    perm = tensor_util.evaluate_constant(perm_t)  # as TF's shape function, which evaluates a constant subgraph
    dtype = x.dtype.base_dtype
    if x.shape.ndims is None or perm is None:
        return [(dtype, unknown_shape(x.shape.ndims))]
    dims = x.shape.as_tuple()
    perm = [int(p) for p in perm]
    if sorted(perm) != list(builtins.range(len(dims))):
        raise ValueError(f"{perm} is not a valid permutation of {len(dims)} dimensions")
    return [(dtype, TensorShape([dims[p] for p in perm]))]


register("Transpose", _transpose_infer, pure(lambda x, perm: np.transpose(x, [int(p) for p in perm])),
         input_names=("x", "perm"))
register("ConjugateTranspose", _transpose_infer,
         pure(lambda x, perm: np.conj(np.transpose(x, [int(p) for p in perm]))), input_names=("x", "perm"))


def _invert_permutation(x):
    """``y[x[i]] = i``, with TensorFlow's errors for a vector that is not a permutation of ``0 .. n-1``."""
    if x.ndim != 1:
        raise invalid_argument("invert_permutation expects a 1D vector.")
    n = len(x)
    bad = np.flatnonzero((x < 0) | (x >= n))
    seen = np.zeros(n, bool)
    for i, d in enumerate(x[:bad[0] + 1 if bad.size else n].tolist()):
        if not 0 <= d < n:
            raise invalid_argument(f"{d} is not between 0 and {n}")
        if seen[d]:
            raise invalid_argument(f"{d} is duplicated in the input.")
        seen[d] = True
    return np.argsort(x).astype(x.dtype)


register("InvertPermutation", same_as_input(), pure(_invert_permutation), input_names=("x",))
no_gradient("InvertPermutation")


def invert_permutation(x, name=None):
    """``tf.invert_permutation``: the inverse of the permutation ``x`` (int32 or int64)."""
    return apply_op_1("InvertPermutation", [x], {}, name, index_attrs={0: "T"})


def transpose(a, perm=None, name="transpose", conjugate=False):
    """``tf.transpose``; with ``conjugate`` a complex ``a`` is also conjugated (ConjugateTranspose), as TF's."""
    with ops.name_scope(name, "transpose", [a]) as scope:
        x = convert_to_tensor(a, name="a")
        op_type = "ConjugateTranspose" if conjugate and x.dtype.is_complex else "Transpose"
        if perm is None:
            if x.shape.ndims is not None:
                perm = np.arange(x.shape.ndims - 1, -1, -1, dtype=np.int32)
            else:
                r = rank(x)
                perm = cwise_ops.subtract(cwise_ops.subtract(r, 1), cwise_ops.range(0, r, 1))
        return apply_op_1(op_type, [x, perm], {"T": x.dtype.base_dtype}, scope, index_attrs={1: "Tperm"})


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    with ops.name_scope(name, values=[a]):
        x = convert_to_tensor(a, name="a")
        nd = x.shape.ndims
        if nd is None:
            raise ValueError("matrix_transpose needs a known rank")
        return transpose(x, list(builtins.range(nd - 2)) + [nd - 1, nd - 2], conjugate=conjugate)


def _slice_infer(op):
    x, begin_t, size_t = op.inputs
    begin, sizes = tensor_util.evaluate_constant(begin_t), tensor_util.evaluate_constant(size_t)
    dtype = x.dtype.base_dtype
    if x.shape.ndims is None:
        return [(dtype, unknown_shape())]
    if begin is None or sizes is None:  # partly known begin and size (Pack of constants and tensors), as TensorFlow
        begin_partial = tensor_util.constant_value_as_shape(begin_t)
        size_partial = tensor_util.constant_value_as_shape(size_t)
        if begin_partial.ndims is None or size_partial.ndims is None:
            return [(dtype, unknown_shape(x.shape.ndims))]
        out = [(None if d is None or b is None else d - b) if s == -1 else s
               for d, b, s in zip(x.shape.as_list(), begin_partial.as_list(), _partial_sizes(size_t, size_partial))]
        return [(dtype, TensorShape(out))]
    dims = x.shape.as_tuple()
    out = []
    for d, b, s in zip(dims, begin, sizes):
        if s == -1:
            out.append(None if d is None else d - int(b))
        else:
            if d is not None and int(b) + int(s) > d:
                raise ValueError(f"Expected size[i] in [0, {d - int(b)}], but got {int(s)}")
            out.append(int(s))
    return [(dtype, TensorShape(out))]


def _partial_sizes(size_t, size_partial):
    """A Slice's sizes: a constant's values (-1: the rest), else the partial shape's (-1 there is unknown)."""
    value = _static(size_t)
    return [int(v) for v in value] if value is not None else size_partial.as_list()


def _slice_kernel(x, begin, sizes):
    index = []
    for d, b, s in zip(x.shape, begin, sizes):
        b, s = int(b), int(s)
        end = d if s == -1 else b + s
        if b < 0 or end > d:
            raise invalid_argument(f"Expected begin[i] in [0, {d}] and size[i] in [0, {d - b}], but got "
                                   f"{b} and {s}")
        index.append(builtins.slice(b, end))
    return x[tuple(index)]


register("Slice", _slice_infer, pure(_slice_kernel), input_names=("input", "begin", "size"))


def slice(input_, begin, size, name=None):  # noqa: A001
    x = convert_to_tensor(input_, name="input")
    return apply_op_1("Slice", [x, begin, size], {"T": x.dtype.base_dtype, "Index": dtypes.int32}, name)


STRIDED_SLICE_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")


class _StridedSpec:
    """A StridedSlice's begin/end/strides and masks, resolved against a concrete input shape."""

    def __init__(self, op):
        self.masks = {k: op.get_attr(k) for k in STRIDED_SLICE_MASKS}

    def index(self, dims, begin, end, strides):
        """The numpy index equivalent to this slice for an input of ``dims`` (ints or None)."""
        m = self.masks
        n = len(begin)
        index = []
        ellipsis_seen = False
        n_real = sum(1 for i in builtins.range(n) if not (m["new_axis_mask"] >> i) & 1 and
                     not (m["ellipsis_mask"] >> i) & 1)
        axis = 0
        for i in builtins.range(n):
            if (m["ellipsis_mask"] >> i) & 1:
                if ellipsis_seen:
                    raise ValueError("Multiple ellipses in slice spec not allowed")
                ellipsis_seen = True
                span = len(dims) - n_real
                for _ in builtins.range(span):
                    index.append(builtins.slice(None))
                    axis += 1
                continue
            if (m["new_axis_mask"] >> i) & 1:
                index.append(None)
                continue
            if axis >= len(dims):
                raise ValueError(f"Index out of range using input dim {axis}; input has only {len(dims)} dims")
            stride = int(strides[i])
            if stride == 0:
                raise ValueError("strides[{}] must be non-zero".format(i))
            if (m["shrink_axis_mask"] >> i) & 1:
                b = int(begin[i])
                d = dims[axis]
                if d is not None and not -d <= b < d:
                    raise ValueError(f"slice index {b + d if b < 0 else b} of dimension {axis} out of bounds.")
                index.append(b)
            else:
                b = None if (m["begin_mask"] >> i) & 1 else int(begin[i])
                e = None if (m["end_mask"] >> i) & 1 else int(end[i])
                index.append(builtins.slice(b, e, stride))
            axis += 1
        while axis < len(dims):
            index.append(builtins.slice(None))
            axis += 1
        return tuple(index)


def _strided_slice_infer(op):
    x, begin_t, end_t, strides_t = op.inputs
    begin, end, strides = _static(begin_t), _static(end_t), _static(strides_t)
    dtype = x.dtype.base_dtype
    if x.shape.ndims is None or begin is None or end is None or strides is None:
        return [(dtype, unknown_shape())]
    dims = x.shape.as_tuple()
    spec = _StridedSpec(op)
    index = spec.index(dims, begin, end, strides)
    out = []
    axis = 0
    for item in index:
        if item is None:
            out.append(1)
            continue
        d = dims[axis]
        axis += 1
        if isinstance(item, int):
            continue
        out.append(None if d is None else len(builtins.range(*item.indices(d))))
    return [(dtype, TensorShape(out))]


def _strided_slice_kernel(op):
    spec = _StridedSpec(op)

    def kernel(x, begin, end, strides):
        try:
            return x[spec.index(x.shape, begin, end, strides)]
        except IndexError as e:
            raise invalid_argument(str(e)) from None
    return kernel


def _strided_slice_static_value(op):
    """The slice of a constant (``tf.shape(x)[axis]`` of a known shape), as TensorFlow's shape inference
    evaluates such small constant subgraphs."""
    values = [tensor_util.constant_value(t) for t in op.inputs]
    if any(v is None for v in values) or values[0].size > 1000:
        return None
    try:
        return _strided_slice_kernel(op)(*values)
    except (ValueError, IndexError, errors.OpError):
        return None


def _strided_slice_static_shape(op):
    """``shape(x)[i]`` as the one-dimensional partial shape ``[x.shape[i]]`` (known or not), for a Pack of such
    scalars; None for other slices."""
    source = op.inputs[0]
    index = tensor_util.constant_value(op.inputs[1])
    described = tensor_util.constant_value_as_shape(source) if source.op._op_def.static_shape else None
    if (described is None or described.ndims is None or index is None or not op.get_attr("shrink_axis_mask") & 1
            or np.size(index) != 1 or not -described.ndims <= int(np.reshape(index, -1)[0]) < described.ndims):
        return None
    return TensorShape([described.as_list()[int(np.reshape(index, -1)[0])]])


register("StridedSlice", _strided_slice_infer, pure_with_attrs(_strided_slice_kernel),
         input_names=("input", "begin", "end", "strides"), attrs=("T", "Index") + STRIDED_SLICE_MASKS,
         static_value=_strided_slice_static_value, static_shape=_strided_slice_static_shape)


def _strided_slice_grad_kernel(op):
    spec = _StridedSpec(op)

    def kernel(shape_value, begin, end, strides, dy):
        out = np.zeros([int(d) for d in shape_value], dtype=dy.dtype)
        out[spec.index(out.shape, begin, end, strides)] = dy
        return out
    return kernel


def _strided_slice_grad_infer(op):
    return [(op.inputs[4].dtype.base_dtype, tensor_util.constant_value_as_shape(op.inputs[0]))]


register("StridedSliceGrad", _strided_slice_grad_infer, pure_with_attrs(_strided_slice_grad_kernel),
         input_names=("shape", "begin", "end", "strides", "dy"), attrs=("T", "Index") + STRIDED_SLICE_MASKS)


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0, new_axis_mask=0,
                  shrink_axis_mask=0, var=None, name=None):
    if strides is None:
        strides = [1] * len(begin)
    x = convert_to_tensor(input_, name="input")
    attrs = {"begin_mask": begin_mask, "end_mask": end_mask, "ellipsis_mask": ellipsis_mask,
             "new_axis_mask": new_axis_mask, "shrink_axis_mask": shrink_axis_mask,
             "T": x.dtype.base_dtype, "Index": dtypes.int32}
    return apply_op_1("StridedSlice", [x, begin, end, strides], attrs, name)


def _slice_helper(tensor, slice_spec, var=None):
    """``tensor[...]``: Python indexing turned into one StridedSlice, as TensorFlow does."""
    if not isinstance(slice_spec, (list, tuple)):
        slice_spec = [slice_spec]
    begin, end, strides = [], [], []
    begin_mask = end_mask = ellipsis_mask = new_axis_mask = shrink_axis_mask = 0
    for index, s in enumerate(slice_spec):
        if isinstance(s, builtins.slice):
            for value in (s.start, s.stop, s.step):
                if value is not None and not isinstance(value, (int, np.integer, ops.Tensor)):
                    raise TypeError("slice indices must be integers or None or have an __index__ method")
            # A missing bound beside a tensor bound is a Const of the tensor's dtype, made here (TensorFlow's order).
            tensor_dtypes = [t.dtype for t in (s.start, s.stop, s.step) if isinstance(t, ops.Tensor)]
            dtype = dtypes.int64 if dtypes.int64 in tensor_dtypes else (tensor_dtypes or [None])[0]
            for bounds, value, default in ((begin, s.start, 0), (end, s.stop, 0), (strides, s.step, 1)):
                bounds.append(value if value is not None else
                              default if dtype is None else constant_op.constant(default, dtype=dtype))
            if s.start is None:
                begin_mask |= 1 << index
            if s.stop is None:
                end_mask |= 1 << index
        elif s is Ellipsis:
            begin.append(0)
            end.append(0)
            strides.append(1)
            ellipsis_mask |= 1 << index
        elif s is None:
            begin.append(0)
            end.append(0)
            strides.append(1)
            new_axis_mask |= 1 << index
        else:
            if isinstance(s, ops.Tensor):
                if s.dtype not in (dtypes.int32, dtypes.int64):
                    raise TypeError("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and "
                                    "scalar tf.int32/tf.int64 tensors are valid indices, got "
                                    f"{s!r}")
            elif not isinstance(s, (int, np.integer)):
                raise TypeError("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
                                f"tf.int32/tf.int64 tensors are valid indices, got {s!r}")
            begin.append(s)
            end.append(s + 1)
            strides.append(1)
            shrink_axis_mask |= 1 << index
    with ops.name_scope(None, "strided_slice", [tensor] + begin + end + strides) as name:
        if begin:
            packed_begin, packed_end, packed_strides = stack(begin), stack(end), stack(strides)
        else:
            packed_begin = packed_end = packed_strides = np.zeros([0], dtype=np.int32)
        return strided_slice(tensor, packed_begin, packed_end, packed_strides, begin_mask=begin_mask,
                             end_mask=end_mask, shrink_axis_mask=shrink_axis_mask,
                             new_axis_mask=new_axis_mask, ellipsis_mask=ellipsis_mask, var=var, name=name)


ops.Tensor.__getitem__ = _slice_helper
