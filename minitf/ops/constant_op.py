"""``tf.constant`` and the ``Const`` op."""

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape, tensor_util
from minitf.framework.op_def_lib import register, no_gradient


def _infer_const(op):
    value = op.get_attr("value")
    return [(op.get_attr("dtype"), tensor_shape.TensorShape(value.shape))]


def _const_kernel(op, state):
    value = op.get_attr("value")
    return lambda: value


register("Const", _infer_const, _const_kernel, static_value=lambda op: op.get_attr("value"))
no_gradient("Const")


def constant(value, dtype=None, shape=None, name="Const", verify_shape=False):
    """``tf.constant``: a tensor with a fixed value, stored in the graph."""
    array = tensor_util.to_numpy(value, dtype)
    if shape is not None:
        shape = tensor_shape.as_shape(shape).as_list()
        if verify_shape and list(array.shape) != shape:
            raise TypeError(f"Expected Tensor's shape: {tuple(shape)}, got {array.shape}.")
        if array.size == 1 and array.dtype != object:  # one value for a shape: a zero-stride view, no allocation
            array = np.broadcast_to(np.array(array.reshape(()), copy=True), shape)
        else:
            array = tensor_util.broadcast_to_shape(array, shape)
    if any(array.strides) or array.size <= 1:
        array = np.array(array, copy=True)
    array.flags.writeable = False
    dtype = dtypes.string if array.dtype == object else dtypes.as_dtype(array.dtype)
    graph = ops.get_default_graph()
    return graph.create_op("Const", [], {"value": array, "dtype": dtype}, name)._outputs[0]


def _constant_conversion(value, dtype=None, name=None, as_ref=False):
    return constant(value, dtype=dtype, name=name or "Const")


ops.register_tensor_conversion_function((list, tuple), _constant_conversion, 111)
ops.register_tensor_conversion_function(object, _constant_conversion, 200)
