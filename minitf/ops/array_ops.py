"""TensorFlow's ``array_ops``: tensor creation (fill, zeros, ones, *_like), and every array op of the families
below, under the one name TensorFlow programs and the other op modules use (``array_ops.reshape``).

The ops live op by op in their families: ``shape_ops`` (identity, placeholders, shapes, reshape), ``join_ops``
(concat, stack, split), ``slicing_ops`` (transpose, slice, strided_slice, ``tensor[...]``) and ``selection_ops``
(gather, tile, pad, where, one_hot, broadcast); their gradients are in ``array_grad``.
"""

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape, tensor_util
from minitf.framework.op_def_lib import apply_op_1, invalid_argument, no_gradient, pure, register, same_as_input
from minitf.ops import constant_op
from minitf.ops.shape_ops import (convert_to_tensor, elements_of, expand_dims, identity, identity_n, placeholder,
                                  placeholder_with_default, rank, reshape, shape, shape_internal, shape_n, size,
                                  squeeze, stop_gradient, TensorShape, unknown_shape)  # noqa: F401
from minitf.ops.join_ops import concat, split, stack, unstack  # noqa: F401
from minitf.ops.slicing_ops import (_slice_helper, invert_permutation, matrix_transpose, slice, strided_slice,  # noqa: F401
                                    transpose)
from minitf.ops.selection_ops import (broadcast_to, check_numerics, dynamic_stitch, gather, one_hot, pad, tile,
                                      unsorted_segment_sum, where, where_v2)  # noqa: F401
from minitf.ops.cwise_ops import range  # noqa: F401
from minitf.ops.space_to_batch_ops import batch_to_space_nd, space_to_batch_nd  # noqa: F401


# -- creation -----------------------------------------------------------------------------------------------------

def _fill_infer(op):
    dims_t, value = op.inputs
    return [(value.dtype.base_dtype, tensor_util.constant_value_as_shape(dims_t))]


def _fill_kernel(dims, value):
    if np.any(np.asarray(dims) < 0):
        raise invalid_argument(f"dims must be non-negative: {list(dims)}")
    return np.full([int(d) for d in dims], value, dtype=value.dtype)


register("Fill", _fill_infer, pure(_fill_kernel), input_names=("dims", "value"))


def fill(dims, value, name=None):
    """``tf.fill``: its arguments converted inside the op's name scope (``Fill/dims``, ``Fill/value``)."""
    with ops.name_scope(name, "Fill", [dims, value]) as scope:
        if not isinstance(dims, ops.Tensor):  # a list of ints is int32, one holding tensors keeps their dtype
            holds_tensor = isinstance(dims, (list, tuple)) and any(isinstance(d, ops.Tensor) for d in dims)
            dims = convert_to_tensor(dims, name="dims", preferred_dtype=None if holds_tensor else dtypes.int32)
        value = convert_to_tensor(value, name="value")
        return apply_op_1("Fill", [dims, value], {"T": value.dtype.base_dtype}, scope, index_attrs={0: "index_type"})


def _like_kernel(fn):
    return pure(lambda x: fn(x))


register("ZerosLike", same_as_input(), _like_kernel(np.zeros_like), input_names=("x",))
register("OnesLike", same_as_input(), _like_kernel(np.ones_like), input_names=("x",))
no_gradient("ZerosLike")
no_gradient("OnesLike")


def _filled(value, shape, dtype, name, default_name):
    dtype = dtypes.as_dtype(dtype).base_dtype
    with ops.name_scope(name, default_name, [shape]) as scope:
        if isinstance(shape, ops.Tensor) or (isinstance(shape, (list, tuple))
                                             and any(isinstance(d, ops.Tensor) for d in shape)):
            shape_t = convert_to_tensor(shape, dtype=dtypes.int32)  # a list holding tensors: Pack named `packed`
            if shape_t.shape.ndims in (None, 0):  # a scalar (or unknown) shape becomes a vector, as in TensorFlow
                shape_t = reshape(shape_t, [-1])
            return fill(shape_t, constant_op.constant(value, dtype=dtype), name=scope)
        dims = tensor_shape.as_shape(shape).as_list() if not isinstance(shape, (int, np.integer)) else [shape]
        # TensorFlow's constant() refuses a bare int shape, so ones(3) is a Fill like a large shape.
        if int(np.prod(dims, dtype=np.int64)) < 1000 and not isinstance(shape, (int, np.integer)):
            return constant_op.constant(np.full(dims, value, dtype=dtype.as_numpy_dtype), dtype=dtype, name=scope)
        return fill(constant_op.constant(dims, dtype=dtypes.int32, name="shape_as_tensor"),
                    constant_op.constant(value, dtype=dtype), name=scope)


def zeros(shape, dtype=dtypes.float32, name=None):
    """``tf.zeros``: a Const for small shapes, else Fill (as TensorFlow)."""
    dtype = dtypes.as_dtype(dtype)
    return _filled(b"" if dtype == dtypes.string else 0, shape, dtype, name, "zeros")


def ones(shape, dtype=dtypes.float32, name=None):
    return _filled(True if dtypes.as_dtype(dtype) == dtypes.bool else 1, shape, dtype, name, "ones")


def zeros_like(tensor, dtype=None, name=None, optimize=True):
    with ops.name_scope(name, "zeros_like", [tensor]) as scope:
        x = convert_to_tensor(tensor, name="tensor")
        if optimize and x.shape.is_fully_defined() and x.dtype != dtypes.variant:
            return zeros(x.shape.as_list(), dtype or x.dtype.base_dtype, name=scope)
        if dtype is not None and dtypes.as_dtype(dtype) != x.dtype.base_dtype:
            return zeros(shape_internal(x, optimize=optimize), dtype=dtype, name=scope)
        return apply_op_1("ZerosLike", [x], {"T": x.dtype.base_dtype}, scope)


def ones_like(tensor, dtype=None, name=None, optimize=True):
    with ops.name_scope(name, "ones_like", [tensor]) as scope:
        x = convert_to_tensor(tensor, name="tensor")
        dtype = dtypes.as_dtype(dtype) if dtype is not None else x.dtype.base_dtype
        return ones(shape_internal(x, optimize=optimize), dtype=dtype, name=scope)  # a Fill, also for known shapes


def boolean_mask(tensor, mask, name="boolean_mask", axis=None):
    """The entries of ``tensor`` where ``mask`` is true, ``mask`` covering the dimensions from ``axis`` on: as
    TensorFlow, those dimensions are flattened into one (Prod, Reshape) and gathered at ``where(mask)``."""
    with ops.name_scope(name, values=[tensor, mask]):
        tensor = convert_to_tensor(tensor, name="tensor")
        mask = convert_to_tensor(mask, name="mask")
        shape_mask, shape_tensor = mask.shape, tensor.shape
        ndims_mask = shape_mask.ndims
        if ndims_mask == 0:
            raise ValueError("mask cannot be scalar.")
        if ndims_mask is None:
            raise ValueError("Number of mask dimensions must be specified, even if some dimensions are None.  "
                             "E.g. shape=[None] is ok, but shape=None is not.")
        axis = 0 if axis is None else axis
        axis_value = tensor_util.constant_value(axis)
        if axis_value is not None:
            axis = int(axis_value)
            shape_tensor[axis:axis + ndims_mask].assert_is_compatible_with(shape_mask)
        masked = shape(tensor)[axis:axis + ndims_mask]
        leading_size = elements_of(masked)
        tensor = reshape(tensor, concat([shape(tensor)[:axis], [leading_size], shape(tensor)[axis + ndims_mask:]],
                                        0))
        if axis_value is not None:
            first_dim = shape_tensor[axis:axis + ndims_mask].num_elements()
            tensor.set_shape(tensor_shape.as_shape(shape_tensor[:axis]).concatenate([first_dim]).concatenate(
                shape_tensor[axis + ndims_mask:]))
        mask = reshape(mask, [-1])
        indices = squeeze(where_v2(mask), axis=[1])
        return gather(tensor, indices, axis=axis)


newaxis = None
