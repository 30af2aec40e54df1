"""``tf.debugging``: checks and numerics debugging (TensorFlow 1.x's names)."""

from minitf.ops.array_ops import check_numerics
from minitf.ops.check_ops import (assert_equal, assert_greater, assert_greater_equal, assert_integer, assert_less,
                                  assert_less_equal, assert_negative, assert_non_negative, assert_non_positive,
                                  assert_none_equal, assert_positive, assert_rank, assert_rank_at_least,
                                  assert_scalar, assert_type, is_numeric_tensor)
from minitf.ops.control_flow_assert import Assert
from minitf.ops.script_ops import verify_tensor_all_finite as assert_all_finite
