"""SpaceToBatchND and BatchToSpaceND: the rearrangement behind TensorFlow's atrous (dilated) convolutions.

``space_to_batch_nd`` zero-pads the M spatial dimensions after the batch and splits each into ``block_shape[i]``
interleaved phases that become extra batch entries, so that a dilated window over the input is a dense window over
each phase; ``batch_to_space_nd`` is its inverse (interleave the phases back, then crop). Each op's gradient is the
other op (``space_to_batch_grad``).
"""

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape, tensor_util
from minitf.framework.op_def_lib import apply_op_1, invalid_argument, pure, register
from minitf.ops import space_to_batch_grad  # noqa: F401 -- registers the gradients

TensorShape = tensor_shape.TensorShape


def _constant_ints(tensor):
    value = tensor_util.constant_value(tensor)
    return None if value is None else np.asarray(value, np.int64)


def _not_divisible(divisor, size, block, pads):
    """TensorFlow's shape error, which shows the constant block shape and paddings it computed with."""
    error = ValueError(f"Dimension size must be evenly divisible by {divisor} but is {size}")
    rows = "".join("[" + " ".join(str(v) for v in row) + "]" for row in pads)
    error.computed_inputs = f"input[1] = <{' '.join(str(v) for v in block)}>, input[2] = <{rows}>"
    return error


def _infer(to_batch):
    """Static shapes when the block shape and the paddings (crops) are constants; checks their shapes."""
    def infer(op):
        x, block, pads = op.inputs
        if block.shape.ndims not in (None, 1):
            raise ValueError(f"Shape must be rank 1 but is rank {block.shape.ndims}")
        if pads.shape.ndims not in (None, 2):
            raise ValueError(f"Shape must be rank 2 but is rank {pads.shape.ndims}")
        block_value, pads_value = _constant_ints(block), _constant_ints(pads)
        if x.shape.ndims is None or block_value is None or pads_value is None:
            return [(x.dtype.base_dtype, tensor_shape.unknown_shape())]
        m = len(block_value)
        dims = list(x.shape.as_tuple())
        if len(dims) < m + 1:
            raise ValueError(f"Shape must be at least rank {m + 1} but is rank {len(dims)}")
        if np.any(block_value < 1):
            raise ValueError(f"All values in block_shape must be positive, got value, {block_value.tolist()}")
        batch = dims[0]
        for i in range(m):
            size, b = dims[1 + i], int(block_value[i])
            if to_batch:
                if size is not None:
                    padded = size + int(pads_value[i, 0]) + int(pads_value[i, 1])
                    if padded % b:
                        raise _not_divisible(b, padded, block_value, pads_value)
                    size = padded // b
                batch = None if batch is None else batch * b
            else:
                if size is not None:
                    size = size * b - int(pads_value[i, 0]) - int(pads_value[i, 1])
            dims[1 + i] = size
        if not to_batch and batch is not None:
            blocks = int(np.prod(block_value))
            if batch % blocks:
                raise _not_divisible(blocks, batch, block_value, pads_value)
            batch //= blocks
        return [(x.dtype.base_dtype, TensorShape([batch] + dims[1:]))]
    return infer


def _space_to_batch(x, block, paddings):
    block, paddings = [int(b) for b in block], np.asarray(paddings, np.int64)
    m = len(block)
    if np.any(paddings < 0):
        raise invalid_argument("Negative paddings are not supported")
    widths = [(0, 0)] + [tuple(int(p) for p in row) for row in paddings] + [(0, 0)] * (x.ndim - 1 - m)
    padded = np.pad(x, widths)
    for i in range(m):
        if padded.shape[1 + i] % block[i]:
            raise invalid_argument(f"padded_shape[{i}]={padded.shape[1 + i]} is not divisible by "
                                   f"block_shape[{i}]={block[i]}")
    batch, rest = padded.shape[0], padded.shape[1 + m:]
    split = [batch]
    for i in range(m):
        split += [padded.shape[1 + i] // block[i], block[i]]
    # [B, s1/b1, b1, ..., sM/bM, bM, rest] -> [b1, ..., bM, B, s1/b1, ..., sM/bM, rest]
    order = [2 + 2 * i for i in range(m)] + [0] + [1 + 2 * i for i in range(m)]
    order += list(range(1 + 2 * m, 1 + 2 * m + len(rest)))
    out = padded.reshape(split + list(rest)).transpose(order)
    return np.ascontiguousarray(out).reshape([batch * int(np.prod(block))] + split[1::2] + list(rest))


def _batch_to_space(x, block, crops):
    block, crops = [int(b) for b in block], np.asarray(crops, np.int64)
    m = len(block)
    blocks = int(np.prod(block))
    if np.any(crops < 0):
        raise invalid_argument("Negative crops are not supported")
    if x.shape[0] % blocks:
        raise invalid_argument(f"Input batch dimension ({x.shape[0]}) is not divisible by product of block sizes "
                               f"({blocks})")
    batch, spatial, rest = x.shape[0] // blocks, x.shape[1:1 + m], x.shape[1 + m:]
    # [b1, ..., bM, B, s1, ..., sM, rest] -> [B, s1, b1, ..., sM, bM, rest]
    order = [m]
    for i in range(m):
        order += [m + 1 + i, i]
    order += list(range(2 * m + 1, 2 * m + 1 + len(rest)))
    out = x.reshape(block + [batch] + list(spatial) + list(rest)).transpose(order)
    out = out.reshape([batch] + [s * b for s, b in zip(spatial, block)] + list(rest))
    index = (slice(None),) + tuple(slice(int(c[0]), out.shape[1 + i] - int(c[1])) for i, c in enumerate(crops))
    return np.ascontiguousarray(out[index])


register("SpaceToBatchND", _infer(True), pure(_space_to_batch), input_names=("input", "block_shape", "paddings"),
         attr_defaults={"Tblock_shape": dtypes.int32, "Tpaddings": dtypes.int32})
register("BatchToSpaceND", _infer(False), pure(_batch_to_space), input_names=("input", "block_shape", "crops"),
         attr_defaults={"Tblock_shape": dtypes.int32, "Tcrops": dtypes.int32})


def space_to_batch_nd(input, block_shape, paddings, name=None):  # noqa: A002 -- TensorFlow's argument name
    """``tf.space_to_batch_nd``: zero-pads the spatial dimensions, then moves ``block_shape`` blocks into the
    batch."""
    with ops.name_scope(name, "SpaceToBatchND", [input, block_shape, paddings]) as scope:
        x = ops.convert_to_tensor(input, name="input")
        return apply_op_1("SpaceToBatchND", [x, block_shape, paddings], {"T": x.dtype.base_dtype}, scope,
                          index_attrs={1: "Tblock_shape", 2: "Tpaddings"})


def batch_to_space_nd(input, block_shape, crops, name=None):  # noqa: A002 -- TensorFlow's argument name
    """``tf.batch_to_space_nd``: the inverse of ``space_to_batch_nd``, cropping at the end."""
    with ops.name_scope(name, "BatchToSpaceND", [input, block_shape, crops]) as scope:
        x = ops.convert_to_tensor(input, name="input")
        return apply_op_1("BatchToSpaceND", [x, block_shape, crops], {"T": x.dtype.base_dtype}, scope,
                          index_attrs={1: "Tblock_shape", 2: "Tcrops"})
