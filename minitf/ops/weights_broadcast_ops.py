"""TensorFlow's ``weights_broadcast_ops``: checks that loss and metric weights broadcast to their values.

Where the shapes are static the check is made while the graph is built (a NoOp, or ValueError); otherwise it is a
run-time ``Assert``, guarded by conds on the ranks and a set difference of the dimensions, as TensorFlow builds it.
"""

from minitf.framework import ops, tensor_util
from minitf.ops import array_ops, control_flow_ops, math_ops, set_ops
from minitf.ops.cond import cond
from minitf.ops.control_flow_assert import Assert

_BROADCAST_ERROR = "weights can not be broadcast to values."


def _has_valid_dims(weights_shape, values_shape):
    """Whether every dimension of the weights is 1 or the values' dimension (a set difference per dimension)."""
    with ops.name_scope(None, "has_invalid_dims", (weights_shape, values_shape)) as scope:
        values_shape_2d = array_ops.expand_dims(values_shape, -1)
        valid_dims = array_ops.concat((values_shape_2d, array_ops.ones_like(values_shape_2d)), axis=1)
        weights_shape_2d = array_ops.expand_dims(weights_shape, -1)
        invalid_dims = set_ops.set_difference(weights_shape_2d, valid_dims)
        num_invalid_dims = array_ops.size(invalid_dims.values, name="num_invalid_dims")
        return math_ops.equal(0, num_invalid_dims, name=scope)


def _has_valid_nonscalar_shape(weights_rank, weights_shape, values_rank, values_shape):
    with ops.name_scope(None, "has_valid_nonscalar_shape",
                        (weights_rank, weights_shape, values_rank, values_shape)) as scope:
        is_same_rank = math_ops.equal(values_rank, weights_rank, name="is_same_rank")
        return cond(is_same_rank, lambda: _has_valid_dims(weights_shape, values_shape), lambda: is_same_rank,
                    name=scope)


def assert_broadcastable(weights, values):
    """TensorFlow's ``assert_broadcastable``: a NoOp when the shapes are known to broadcast, ValueError when they
    are known not to, else an Assert that checks at run time."""
    with ops.name_scope(None, "assert_broadcastable", (weights, values)) as scope:
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
            return _run_time_check(scope, weights, weights_rank, weights_shape, values, values_rank, values_shape)
        if weights_rank_static == 0:
            return control_flow_ops.no_op(name="static_scalar_check_success")
        if weights_rank_static != values_rank_static:
            raise ValueError(f"{_BROADCAST_ERROR} values.rank={values_rank_static}. weights.rank={weights_rank_static}."
                             f" values.shape={values.shape}. weights.shape={weights.shape}. Received "
                             f"weights={weights}, values={values}")
        weights_static = tensor_util.constant_value(weights_shape)
        values_static = tensor_util.constant_value(values_shape)
        if weights_static is None or values_static is None:
            return _run_time_check(scope, weights, weights_rank, weights_shape, values, values_rank, values_shape)
        for i, (w, v) in enumerate(zip(weights_static.tolist(), values_static.tolist())):
            if w not in (1, v):  # the shapes print as numpy arrays, "[4 3]", as in TensorFlow's message
                raise ValueError(f"{_BROADCAST_ERROR} Mismatch at dim {i}. values.shape={values_static}, "
                                 f"weights.shape={weights_static}. Received weights={weights}, values={values}")
        return control_flow_ops.no_op(name="static_dims_check_success")


def _run_time_check(scope, weights, weights_rank, weights_shape, values, values_rank, values_shape):
    is_scalar = math_ops.equal(0, weights_rank, name="is_scalar")
    data = (_BROADCAST_ERROR, "weights.shape=", weights.name, weights_shape, "values.shape=", values.name,
            values_shape, "is_scalar=", is_scalar)
    is_valid_shape = cond(is_scalar, lambda: is_scalar,
                          lambda: _has_valid_nonscalar_shape(weights_rank, weights_shape, values_rank, values_shape),
                          name="is_valid_shape")
    return Assert(is_valid_shape, data, name=scope)


def broadcast_weights(weights, values):
    """TensorFlow's ``broadcast_weights``: ``weights`` itself when its static shape equals ``values``', else
    ``weights * ones_like(values)`` after ``assert_broadcastable``."""
    with ops.name_scope(None, "broadcast_weights", (weights, values)) as scope:
        values = ops.convert_to_tensor(values, name="values")
        weights = ops.convert_to_tensor(weights, dtype=values.dtype.base_dtype, name="weights")
        if (weights.shape.is_fully_defined() and values.shape.is_fully_defined()
                and weights.shape.is_compatible_with(values.shape)):
            return weights
        with ops.control_dependencies([assert_broadcastable(weights, values)]):
            return math_ops.multiply(weights, array_ops.ones_like(values), name=scope)
