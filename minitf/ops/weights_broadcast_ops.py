"""TensorFlow's ``weights_broadcast_ops``: checks that loss and metric weights broadcast to their values."""

from minitf.framework import ops, tensor_util
from minitf.ops import array_ops, control_flow_ops

_BROADCAST_ERROR = "weights can not be broadcast to values."


def assert_broadcastable(weights, values):
    """TensorFlow's static ``assert_broadcastable``: a NoOp when the shapes are known to broadcast, ValueError when
    they are known not to, and None (no run-time check, see the module docstring) when they are not static."""
    with ops.name_scope(None, "assert_broadcastable", (weights, values)):
        with ops.name_scope(None, "weights", (weights,)) as weights_scope:
            weights = ops.convert_to_tensor(weights, name=weights_scope)
            weights_shape = array_ops.shape(weights, name="shape")
            weights_rank = array_ops.rank(weights, name="rank")
        with ops.name_scope(None, "values", (values,)) as values_scope:
            values = ops.convert_to_tensor(values, name=values_scope)
            values_shape = array_ops.shape(values, name="shape")
            values_rank = array_ops.rank(values, name="rank")
        weights_rank_static = tensor_util.constant_value(weights_rank)
        values_rank_static = tensor_util.constant_value(values_rank)
        if weights_rank_static is None or values_rank_static is None:
            return None
        if weights_rank_static == 0:
            return control_flow_ops.no_op(name="static_scalar_check_success")
        if weights_rank_static != values_rank_static:
            raise ValueError(f"{_BROADCAST_ERROR} values.rank={values_rank_static}. weights.rank={weights_rank_static}."
                             f" values.shape={values.shape}. weights.shape={weights.shape}. Received "
                             f"weights={weights}, values={values}")
        weights_static = tensor_util.constant_value(weights_shape)
        values_static = tensor_util.constant_value(values_shape)
        if weights_static is None or values_static is None:
            return None
        for i, (w, v) in enumerate(zip(weights_static.tolist(), values_static.tolist())):
            if w not in (1, v):  # the shapes print as numpy arrays, "[4 3]", as in TensorFlow's message
                raise ValueError(f"{_BROADCAST_ERROR} Mismatch at dim {i}. values.shape={values_static}, "
                                 f"weights.shape={weights_static}. Received weights={weights}, values={values}")
        return control_flow_ops.no_op(name="static_dims_check_success")
