"""The ``tf.assert_*`` checks of TensorFlow 1.x (check_ops.py): a check that can be decided at graph construction
(constant values, static ranks and dtypes) raises there; otherwise it is a ``tf.Assert`` that raises
InvalidArgumentError with the check's message when the graph runs.
"""

import numpy as np

from minitf.framework import dtypes, errors, ops, tensor_util
from minitf.ops import array_ops, control_flow_ops, math_ops
from minitf.ops.control_flow_assert import Assert

NUMERIC_TYPES = frozenset([
    dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64,
    dtypes.uint8, dtypes.uint16, dtypes.uint32, dtypes.uint64, dtypes.complex64, dtypes.complex128, dtypes.bfloat16])


def _message_prefix(message):
    return "%s.  " % message if message else ""


def _maybe_constant_value_string(t):
    if not isinstance(t, ops.Tensor):
        return str(t)
    const_t = tensor_util.constant_value(t)
    return str(const_t) if const_t is not None else t


def _assert_static(condition, data):
    """Raises InvalidArgumentError with the data, constants shown by value, when a static check fails."""
    if not condition:
        data_static = [_maybe_constant_value_string(x) for x in data]
        raise errors.InvalidArgumentError(node_def=None, op=None, message="\n".join(str(d) for d in data_static))


def _binary_assert(sym, opname, op_func, static_func, x, y, data, summarize, message, name):
    with ops.name_scope(name, opname, [x, y, data]):
        x = ops.convert_to_tensor(x, name="x")
        y = ops.convert_to_tensor(y, name="y")
        if data is None:
            data = ["Condition x %s y did not hold element-wise:" % sym, "x (%s) = " % x.name, x,
                    "y (%s) = " % y.name, y]
        if message is not None:
            data = [message] + list(data)
        condition = math_ops.reduce_all(op_func(x, y))
        x_static = tensor_util.constant_value(x)
        y_static = tensor_util.constant_value(y)
        if x_static is not None and y_static is not None:
            _assert_static(np.all(static_func(x_static, y_static)), data)
        return Assert(condition, data, summarize=summarize)


def assert_equal(x, y, data=None, summarize=None, message=None, name=None):
    """Checks ``x == y`` element-wise."""
    with ops.name_scope(name, "assert_equal", [x, y, data]):
        if x is y:
            return control_flow_ops.no_op()
    return _binary_assert("==", "assert_equal", math_ops.equal, np.equal, x, y, data, summarize, message, name)


def assert_none_equal(x, y, data=None, summarize=None, message=None, name=None):
    """Checks ``x != y`` element-wise."""
    return _binary_assert("!=", "assert_none_equal", math_ops.not_equal, np.not_equal, x, y, data, summarize,
                          message, name)


def assert_less(x, y, data=None, summarize=None, message=None, name=None):
    """Checks ``x < y`` element-wise."""
    return _binary_assert("<", "assert_less", math_ops.less, np.less, x, y, data, summarize, message, name)


def assert_less_equal(x, y, data=None, summarize=None, message=None, name=None):
    """Checks ``x <= y`` element-wise."""
    return _binary_assert("<=", "assert_less_equal", math_ops.less_equal, np.less_equal, x, y, data, summarize,
                          message, name)


def assert_greater(x, y, data=None, summarize=None, message=None, name=None):
    """Checks ``x > y`` element-wise."""
    return _binary_assert(">", "assert_greater", math_ops.greater, np.greater, x, y, data, summarize, message,
                          name)


def assert_greater_equal(x, y, data=None, summarize=None, message=None, name=None):
    """Checks ``x >= y`` element-wise."""
    return _binary_assert(">=", "assert_greater_equal", math_ops.greater_equal, np.greater_equal, x, y, data,
                          summarize, message, name)


def _sign_assert(opname, sym, x, data, summarize, message, name, compare):
    """``compare(x, zero, data)``: x against zero, with the message TensorFlow writes for the sign check."""
    message = _message_prefix(message)
    with ops.name_scope(name, opname, [x, data]):
        x = ops.convert_to_tensor(x, name="x")
        if data is None:
            data = [message, "Condition x %s 0 did not hold element-wise:" % sym, "x (%s) = " % x.name, x]
            if opname == "assert_non_positive":  # TensorFlow's message misses a comma here: two items run together
                data = [data[0], data[1] + data[2], data[3]]
        zero = ops.convert_to_tensor(0, dtype=x.dtype)
        return compare(x, zero, data)


def assert_negative(x, data=None, summarize=None, message=None, name=None):
    """Checks ``x < 0`` element-wise."""
    return _sign_assert("assert_negative", "<", x, data, summarize, message, name,
                        lambda x, zero, data: assert_less(x, zero, data=data, summarize=summarize))


def assert_positive(x, data=None, summarize=None, message=None, name=None):
    """Checks ``x > 0`` element-wise."""
    return _sign_assert("assert_positive", ">", x, data, summarize, message, name,
                        lambda x, zero, data: assert_less(zero, x, data=data, summarize=summarize))


def assert_non_negative(x, data=None, summarize=None, message=None, name=None):
    """Checks ``x >= 0`` element-wise."""
    return _sign_assert("assert_non_negative", ">=", x, data, summarize, message, name,
                        lambda x, zero, data: assert_less_equal(zero, x, data=data, summarize=summarize))


def assert_non_positive(x, data=None, summarize=None, message=None, name=None):
    """Checks ``x <= 0`` element-wise."""
    return _sign_assert("assert_non_positive", "<=", x, data, summarize, message, name,
                        lambda x, zero, data: assert_less_equal(x, zero, data=data, summarize=summarize))


class _StaticRankFailed(Exception):
    def __init__(self, actual, given):
        super().__init__(actual, given)
        self.actual, self.given = actual, given


def _assert_rank_condition(x, rank, static_condition, dynamic_condition, data, summarize):
    assert_type(rank, dtypes.int32)
    rank_static = tensor_util.constant_value(rank)
    if rank_static is not None:
        if rank_static.ndim != 0:
            raise ValueError("Rank must be a scalar.")
        x_rank_static = x.shape.ndims
        if x_rank_static is not None:
            if not static_condition(x_rank_static, rank_static):
                raise _StaticRankFailed(x_rank_static, rank_static)
            return control_flow_ops.no_op(name="static_checks_determined_all_ok")
    condition = dynamic_condition(array_ops.rank(x), rank)
    if rank_static is None:
        rank_check = assert_rank(rank, 0, data=["Rank must be a scalar. Received rank: ", rank])
        condition = control_flow_ops.with_dependencies([rank_check], condition)
    return Assert(condition, data, summarize=summarize)


def _rank_assert(opname, words, static_condition, dynamic_condition, x, rank, data, summarize, message, name):
    with ops.name_scope(name, opname, (x, rank) + tuple(data or [])):
        x = ops.convert_to_tensor(x, name="x")
        rank = ops.convert_to_tensor(rank, name="rank")
        message = _message_prefix(message)
        if data is None:
            data = [message, "Tensor %s must have %s" % (x.name, words), rank, "Received shape: ",
                    array_ops.shape(x)]
        try:
            return _assert_rank_condition(x, rank, static_condition, dynamic_condition, data, summarize)
        except _StaticRankFailed as e:
            raise ValueError("%sTensor %s must have %s %d.  Received rank %d, shape %s"
                             % (message, x.name, words, e.given, e.actual, x.shape)) from None


def assert_rank(x, rank, data=None, summarize=None, message=None, name=None):
    """Checks that ``x`` has rank ``rank``."""
    return _rank_assert("assert_rank", "rank", lambda actual, given: actual == given, math_ops.equal, x, rank,
                        data, summarize, message, name)


def assert_rank_at_least(x, rank, data=None, summarize=None, message=None, name=None):
    """Checks that ``x`` has rank ``rank`` or more."""
    return _rank_assert("assert_rank_at_least", "rank at least", lambda actual, given: actual >= given,
                        math_ops.greater_equal, x, rank, data, summarize, message, name)


def assert_integer(x, message=None, name=None):
    """Checks at construction that ``x`` has an integer dtype."""
    with ops.name_scope(name, "assert_integer", [x]):
        x = ops.convert_to_tensor(x, name="x")
        if not x.dtype.is_integer:
            raise TypeError('%sExpected "x" to be integer type.  Found: %s of dtype %s'
                            % (_message_prefix(message), x.name, f"<dtype: '{x.dtype.name}'>"))
        return control_flow_ops.no_op("statically_determined_was_integer")


def _dtype_repr(dtype):
    return f"tf.{dtype.name}"


def assert_type(tensor, tf_type, message=None, name=None):
    """Checks at construction that ``tensor`` has dtype ``tf_type``."""
    tf_type = dtypes.as_dtype(tf_type)
    with ops.name_scope(name, "assert_type", [tensor]):
        tensor = ops.convert_to_tensor(tensor, name="tensor")
        if tensor.dtype != tf_type:
            raise TypeError(f"{_message_prefix(message)}{getattr(tensor, 'name', 'tensor')} must be of type "
                            f"{_dtype_repr(tf_type)}; got {_dtype_repr(tensor.dtype)}")
        return control_flow_ops.no_op("statically_determined_correct_type")


def assert_scalar(tensor, name=None, message=None):
    """``tensor`` itself, after checking at construction that it is a scalar."""
    with ops.name_scope(name, "assert_scalar", [tensor]) as name_scope:
        tensor = ops.convert_to_tensor(tensor, name=name_scope)
        shape = tensor.shape
        if shape.ndims != 0:
            raise ValueError("%sExpected scalar shape for %s, saw shape: %s."
                             % (_message_prefix(message), tensor.name, shape))
        return tensor


def is_numeric_tensor(tensor):
    """Whether ``tensor`` is a Tensor of a numeric dtype."""
    return isinstance(tensor, ops.Tensor) and tensor.dtype in NUMERIC_TYPES
