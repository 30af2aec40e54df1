"""``tf.reverse`` (ReverseV2) and ``tf.reverse_sequence`` (ReverseSequence) with their gradients, as TensorFlow's
array_ops.py and array_grad.py. Bidirectional RNNs reverse their inputs and outputs with them."""

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape
from minitf.framework.op_def_lib import RegisterGradient, apply_op_1, as_int_list, invalid_argument, register


def _reverse_kernel(op, state):
    def kernel(tensor, axis):
        axes = as_int_list(axis)
        for a in axes:
            if not -tensor.ndim <= a < tensor.ndim:
                raise invalid_argument(f"'axis'[{axes.index(a)}] = {a} is out of valid range [0, {tensor.ndim - 1}")
        return np.flip(tensor, axis=tuple(a % tensor.ndim for a in axes)) if axes else tensor
    return kernel


register("ReverseV2", lambda op: [(op.inputs[0].dtype.base_dtype, op.inputs[0].shape)], _reverse_kernel,
         input_names=("tensor", "axis"))


@RegisterGradient("ReverseV2")
def _reverse_v2_grad(op, grad):
    return reverse(grad, op.inputs[1]), None


def reverse(tensor, axis, name=None):
    """``tf.reverse``: ``tensor`` with the dimensions in ``axis`` reversed; Python values become ``ReverseV2/tensor``
    and ``ReverseV2/axis``, as TensorFlow's op wrapper names them."""
    graph = ops._graph_of([tensor, axis]) or ops.get_default_graph()
    with graph.as_default(), graph.name_scope(name or "ReverseV2") as scope:
        tensor = ops.convert_to_tensor(tensor, name="tensor")
        axis = ops.convert_to_tensor(axis, name="axis", preferred_dtype=dtypes.int32)
        attrs = {"T": tensor.dtype.base_dtype, "Tidx": axis.dtype.base_dtype}
        return graph.create_op("ReverseV2", [tensor, axis], attrs, scope).outputs[0]


def _reverse_sequence_infer(op):
    x, lengths = op.inputs
    seq_dim, batch_dim = op.get_attr("seq_dim"), op.get_attr("batch_dim")
    lengths.shape.with_rank(1)
    shape = x.shape
    if shape.ndims is not None:
        shape = shape.with_rank_at_least(max(seq_dim, batch_dim) + 1)
        if seq_dim == batch_dim:
            raise ValueError(f"seq_dim and batch_dim must not be the same: {seq_dim}")
        if seq_dim >= shape.ndims:
            raise ValueError(f"seq_dim must be < input rank ( {seq_dim} vs. {shape.ndims})")
        dims = shape.as_list()
        batch = tensor_shape.Dimension(dims[batch_dim]).merge_with(lengths.shape[0])
        dims[batch_dim] = batch.value
        shape = tensor_shape.TensorShape(dims)
    return [(x.dtype.base_dtype, shape)]


def _reverse_sequence_kernel(op, state):
    seq_dim, batch_dim = op.get_attr("seq_dim"), op.get_attr("batch_dim")

    def kernel(x, lengths):
        if lengths.shape[0] != x.shape[batch_dim]:
            raise invalid_argument(f"Length of seq_lengths != input.dims({batch_dim}), ({lengths.shape[0]} vs. "
                                   f"{x.shape[batch_dim]})")
        out = np.array(x, copy=True)
        for b, length in enumerate(lengths.tolist()):
            if length < 0 or length > x.shape[seq_dim]:
                raise invalid_argument(f"seq_lens(0) > input.dims({seq_dim})" if length > 0
                                       else f"seq_lens({b}) < 0")
            index = [slice(None)] * x.ndim
            index[batch_dim] = b
            index[seq_dim] = slice(0, length)
            out[tuple(index)] = np.flip(x[tuple(index)], axis=seq_dim - (1 if batch_dim < seq_dim else 0))
        return out
    return kernel


register("ReverseSequence", _reverse_sequence_infer, _reverse_sequence_kernel, input_names=("input", "seq_lengths"),
         attr_defaults={"batch_dim": 0})


@RegisterGradient("ReverseSequence")
def _reverse_sequence_grad(op, grad):
    return [reverse_sequence(grad, op.inputs[1], seq_axis=op.get_attr("seq_dim"),
                             batch_axis=op.get_attr("batch_dim")), None]


def reverse_sequence(input, seq_lengths, seq_axis=None, batch_axis=None, name=None, seq_dim=None,  # noqa: A002
                     batch_dim=None):
    """``tf.reverse_sequence``: the first ``seq_lengths[b]`` slices along ``seq_axis`` of each batch entry ``b``
    reversed."""
    seq_axis = seq_axis if seq_axis is not None else seq_dim
    batch_axis = batch_axis if batch_axis is not None else (batch_dim if batch_dim is not None else 0)
    x = ops.convert_to_tensor(input, name="input")
    return apply_op_1("ReverseSequence", [x, seq_lengths],
                      {"seq_dim": int(seq_axis), "batch_dim": int(batch_axis), "T": x.dtype.base_dtype},
                      name, index_attrs={1: "Tlen"})


__all__ = ["reverse", "reverse_sequence"]
