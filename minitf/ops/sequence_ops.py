"""Evenly spaced values and coordinate grids: ``tf.linspace`` (``tf.lin_space``) and ``tf.meshgrid``, built as
TensorFlow 2.21's ``math_ops.linspace_nd`` and ``array_ops.meshgrid`` build them (no LinSpace op: TensorFlow's
``tf.linspace`` is a composite of BroadcastArgs, BroadcastTo, Range, ConcatV2 and Slice, differentiable in start
and stop); ``tf.broadcast_dynamic_shape``."""

from minitf.framework import dtypes, ops
from minitf.framework.op_def_lib import apply_op_1
from minitf.ops import array_ops, cwise_ops, join_ops

# -- broadcast_dynamic_shape (BroadcastArgs is registered in random_ops, its first user) ------------------------


def broadcast_dynamic_shape(shape_x, shape_y):
    """``tf.broadcast_dynamic_shape``: the broadcast of two 1-D shape tensors (a BroadcastArgs op)."""
    shape_x = ops.convert_to_tensor(shape_x, name="s0")
    return apply_op_1("BroadcastArgs", [shape_x, shape_y], {"T": shape_x.dtype.base_dtype})


# -- linspace ------------------------------------------------------------------------------------------------------


def _convert_to_int_tensor(tensor, name, dtype=dtypes.int32):
    """TensorFlow's ``array_ops.convert_to_int_tensor``: an integer tensor, always cast to ``dtype`` (a Cast op
    even when it already has that dtype, as TensorFlow's gen_math_ops.cast)."""
    tensor = ops.convert_to_tensor(tensor, name=name, preferred_dtype=dtype)
    if not tensor.dtype.is_integer:
        raise TypeError(f"Argument `tensor` (name: {name}) must be of type integer. Received `tensor` = {tensor} of "
                        f"dtype: {tensor.dtype}")
    return apply_op_1("Cast", [tensor], {"SrcT": tensor.dtype.base_dtype, "DstT": dtype, "Truncate": False}, "Cast")


def linspace(start, stop, num, name=None, axis=0):
    """``tf.linspace``: ``num`` evenly spaced values from ``start`` to ``stop`` (both included) along ``axis``;
    ``start`` and ``stop`` may be N-D (broadcast against each other)."""
    with ops.name_scope(name, "linspace", [start, stop]):
        start = ops.convert_to_tensor(start, name="start")
        stop = ops.convert_to_tensor(stop, name="stop", dtype=start.dtype)
        num_int = _convert_to_int_tensor(num, name="num")
        cwise_ops.cast(num_int, dtype=start.dtype)  # TensorFlow casts num and leaves the result unused

        broadcast_shape = broadcast_dynamic_shape(array_ops.shape(start), array_ops.shape(stop))
        start = array_ops.broadcast_to(start, broadcast_shape)
        stop = array_ops.broadcast_to(stop, broadcast_shape)

        expanded_start = array_ops.expand_dims(start, axis=axis)
        expanded_stop = array_ops.expand_dims(stop, axis=axis)

        shape = array_ops.shape(expanded_start)
        ndims = array_ops.shape(shape)[0]

        axis = array_ops.where_v2(axis >= 0, axis, ndims + axis)

        # num_fill repeats the range without negative counts; n_steps avoids a division by zero (num == 1); the
        # result is sliced to num values at the end, which also makes num == 0 and num == 1 right.
        num_fill = cwise_ops.maximum(num_int - 2, 0)
        n_steps = cwise_ops.maximum(num_int - 1, 1)
        delta = (expanded_stop - expanded_start) / cwise_ops.cast(n_steps, expanded_stop.dtype)
        expanded_start = cwise_ops.cast(expanded_start, delta.dtype)
        expanded_stop = cwise_ops.cast(expanded_stop, delta.dtype)
        range_end = array_ops.where_v2(num_int >= 0, n_steps, -1)  # num < 0 fails in Range
        desired_range = cwise_ops.cast(cwise_ops.range(1, range_end, dtype=dtypes.int64), delta.dtype)
        mask = cwise_ops.equal(axis, cwise_ops.range(ndims))
        desired_range_shape = array_ops.where_v2(mask, num_fill, 1)  # [1, ..., num_fill, ..., 1] at axis
        desired_range = array_ops.reshape(desired_range, desired_range_shape)

        res = expanded_start + delta * desired_range

        concatenated = array_ops.concat((expanded_start, res, expanded_stop), axis=axis)
        begin = array_ops.zeros_like(shape)
        size = array_ops.concat((shape[0:axis], array_ops.reshape(num_int, [1]), shape[axis + 1:]), axis=0)
        return array_ops.slice(concatenated, begin, size)


lin_space = linspace


# -- meshgrid ------------------------------------------------------------------------------------------------------


def meshgrid(*args, **kwargs):
    """``tf.meshgrid``: N-D coordinate arrays from 1-D ``args``; ``indexing`` "xy" (Cartesian, the default: the
    first two output axes swapped) or "ij" (matrix)."""
    indexing = kwargs.pop("indexing", "xy")
    name = kwargs.pop("name", "meshgrid")
    if kwargs:
        raise TypeError(f"'{list(kwargs)[0]}' is an invalid keyword argument for this function")
    if indexing not in ("xy", "ij"):
        raise ValueError(f"Argument `indexing` parameter must be either 'xy' or 'ij', got '{indexing}'")

    with ops.name_scope(name, "meshgrid", args):
        ndim = len(args)
        s0 = (1,) * ndim
        if not ndim:
            return []
        output = []
        for i, x in enumerate(args):
            stacked = ops.convert_to_tensor(x) if isinstance(x, ops.Tensor) else join_ops.stack(x)
            output.append(array_ops.reshape(stacked, s0[:i] + (-1,) + s0[i + 1:]))
        shapes = [array_ops.size(x) for x in args]
        output_dtype = ops.convert_to_tensor(args[0]).dtype.base_dtype
        if indexing == "xy" and ndim > 1:
            output[0] = array_ops.reshape(output[0], (1, -1) + (1,) * (ndim - 2))
            output[1] = array_ops.reshape(output[1], (-1, 1) + (1,) * (ndim - 2))
            shapes[0], shapes[1] = shapes[1], shapes[0]
        mult_fact = array_ops.ones(shapes, output_dtype)
        return [x * mult_fact for x in output]

