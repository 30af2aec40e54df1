"""``tf.math``: TensorFlow 1.x's element-wise, reduction and segment functions under their ``tf.math`` names."""

from minitf.ops.bincount_ops import bincount
from minitf.ops.cwise_ops import (abs, add, add_n, ceil, conj, cos, divide, equal, exp, expm1, floor, floordiv,
                                  floormod, greater, greater_equal, is_finite, is_inf, is_nan, less, less_equal, log,
                                  log1p, logical_and, logical_not, logical_or, logical_xor, maximum, minimum, mod,
                                  multiply, negative, not_equal, pow, reciprocal, rint, round, rsqrt, scalar_mul,
                                  sigmoid, sign, sin, sqrt, square, squared_difference, subtract, tan, tanh, truediv)
from minitf.ops.confusion_matrix import confusion_matrix
from minitf.ops.cwise_ops import div_no_nan as divide_no_nan
from minitf.ops.math_ops import (argmax, argmin, count_nonzero, reduce_all, reduce_any, reduce_logsumexp, reduce_max,
                                 reduce_mean, reduce_min, reduce_prod, reduce_sum)
from minitf.ops.nn_ops import in_top_k, l2_normalize, softplus, top_k
from minitf.ops.segment_ops import (segment_max, segment_mean, segment_min, segment_prod, segment_sum,
                                    unsorted_segment_max, unsorted_segment_mean, unsorted_segment_min,
                                    unsorted_segment_prod)
from minitf.ops.selection_ops import unsorted_segment_sum
from minitf.ops.special_math_ops import cumprod, cumsum, digamma, erf, erfc, lgamma, polygamma
