"""Gradient graphs whose node names, op types and inputs must equal TensorFlow's, shared by
tests/golden/make_gradient_nodes.py (TensorFlow) and tests/test_gradient_nodes.py (minitf).

Each case is ``fn(tf) -> (output, [inputs])``; the golden lists the ops ``tf.gradients(reduce_sum(output * w),
inputs)`` adds. ``LONGTAIL`` names cases of tests/longtail_cases.py checked the same way."""
from op_cases import _v

CASES = {
    "pow": lambda tf: (lambda x, y: (x ** y, [x, y]))(_v(tf, 1, 3, seed=1, low=0.5, high=2.0),
                                                     _v(tf, 2, 1, seed=2, low=0.5, high=2.0)),
    "pow_same_shape": lambda tf: (lambda x, y: (tf.pow(x, y), [x, y]))(_v(tf, 2, 3, seed=1, low=0.5, high=2.0),
                                                                       _v(tf, 2, 3, seed=2)),
    "pow_python_exponent": lambda tf: (lambda x: (x ** 2.0, [x]))(_v(tf, 2, 3, low=0.5, high=2.0)),
    "pow_unknown_shape": lambda tf: (lambda x, y: (tf.reshape(tf.placeholder_with_default(x, [None, 3]) ** y, [2, 3]),
                                                   [x, y]))(_v(tf, 2, 3, seed=1, low=0.5, high=2.0),
                                                            _v(tf, 3, seed=2)),
}

LONGTAIL = ["digamma", "polygamma", "cholesky", "cholesky_batch", "unsorted_segment_prod",
            "unsorted_segment_prod_zeros", "tensor_scatter_nd_update", "tensor_scatter_nd_add_dup",
            "tensor_scatter_nd_sub", "einsum_matmul", "einsum_batch", "einsum_transpose", "einsum_reduce",
            "einsum_reduce_transpose", "einsum_diag", "einsum_outer", "einsum_contract_and_reduce",
            "einsum_batch_outer_transposed", "einsum_implicit", "einsum_unknown_batch", "meshgrid_xy",
            "meshgrid_ij_3d", "linspace_nd_axis", "unsorted_segment_max", "unsorted_segment_min", "gather_nd",
            "gather_axis1", "gather_axis_negative", "gather_batch_dims", "gather_batch_dims_axis2",
            "gather_batch_dims_negative", "boolean_mask_axis1", "boolean_mask_2d_mask", "gather_nd_batch_dims",
            "scatter_nd", "segment_prod", "tensordot_axes", "triangular_solve",
            "triangular_solve_upper_adjoint_bcast", "einsum_ellipsis_matmul", "einsum_ellipsis_broadcast",
            "einsum_ellipsis_bcast_batch", "einsum_ellipsis_reduce", "einsum_ellipsis_implicit"]


def gradient_nodes(tf, case):
    """[name, type, [input names]] of each op tf.gradients adds for ``case``."""
    from op_cases import data
    tf.reset_default_graph()
    out, xs = case(tf)
    if not xs:
        return []
    before = len(tf.get_default_graph().get_operations())
    weights = tf.constant(data(*out.shape.as_list(), seed=99, low=0.5, high=1.5).astype(out.dtype.as_numpy_dtype))
    tf.gradients(tf.reduce_sum(out * weights), xs)
    return [[op.name, op.type, [t.name for t in op.inputs]]
            for op in tf.get_default_graph().get_operations()[before:] if op.name.startswith("gradients")]
