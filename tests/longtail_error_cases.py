"""Bad input to the long-tail ops, shared by tests/golden/make_longtail_errors.py (TensorFlow) and
tests/test_longtail.py (minitf): each case builds and runs a graph; the golden records the error class (or "ok").
Also the program whose control-dependency attrs tests/golden/make_graph_attrs.py records."""
import numpy as np

CASES = {
    "gather_nd_out_of_range": lambda tf: tf.gather_nd(tf.zeros([3, 4]), [[0, 1], [5, 0]]),
    "scatter_nd_out_of_range": lambda tf: tf.scatter_nd([[7]], [1.0], [3]),
    "matrix_inverse_singular": lambda tf: tf.matrix_inverse(tf.zeros([2, 2])),
    "matrix_solve_singular": lambda tf: tf.matrix_solve(tf.zeros([2, 2]), tf.ones([2, 1])),
    "segment_ids_decreasing": lambda tf: tf.segment_sum([1.0, 2.0], [1, 0]),
    "unsorted_segment_id_too_large": lambda tf: tf.unsorted_segment_max([1.0, 2.0], [0, 3], 2),
    "cumsum_axis_out_of_range": lambda tf: tf.cumsum(tf.placeholder_with_default([1.0], None), 3),
    "tensordot_axes_mismatch": lambda tf: tf.tensordot(tf.zeros([2, 3]), tf.zeros([3, 2]), [[0], [0, 1]]),
    "einsum_rank_mismatch": lambda tf: tf.einsum("ij,jk->ik", tf.zeros([2, 3, 1]), tf.zeros([3, 2])),
    "gather_nd_depth_too_large": lambda tf: tf.gather_nd(tf.zeros([3]), [[0, 1]]),
    # TensorFlow gathers along axis 0 without batch_dims
    "gather_axis0_drops_batch_dims": lambda tf: tf.gather(tf.reshape(tf.range(24.0), [2, 3, 4]), [[0, 1], [1, 1]],
                                                          axis=0, batch_dims=1),
    "gather_batch_dims_beyond_axis": lambda tf: tf.gather(tf.zeros([2, 3, 4]), [[0, 1], [1, 1]], axis=1,
                                                          batch_dims=2),
    "gather_batch_dims_beyond_indices_rank": lambda tf: tf.gather(tf.zeros([2, 3, 4]), [[0, 1]], axis=2,
                                                                  batch_dims=3),
    "gather_axis_out_of_range": lambda tf: tf.gather(tf.zeros([2, 3]), [0], axis=-3),
    "gather_axis_out_of_range_at_run": lambda tf: tf.gather(tf.zeros([2, 3]), [0],
                                                            axis=tf.placeholder_with_default(2, [])),
    "gather_grad_axis_tensor": lambda tf: (lambda x: tf.gradients(tf.reduce_sum(tf.gather(
        x, [2, 0, 2], axis=tf.placeholder_with_default(1, [])) * [[1.0, 2.0, 3.0]]), x)[0])(
        tf.reshape(tf.range(12.0), [4, 3])),
    "boolean_mask_scalar_mask": lambda tf: tf.boolean_mask([1.0, 2.0], True),
    "boolean_mask_unknown_rank_mask": lambda tf: tf.boolean_mask([1.0, 2.0], tf.placeholder_with_default(
        [True, False], None)),
    "boolean_mask_incompatible": lambda tf: tf.boolean_mask(tf.zeros([2, 3]), [True, False], axis=1),
    "gather_nd_negative_batch_dims": lambda tf: tf.gather_nd(tf.zeros([2, 3]), [[0], [1]], batch_dims=-1),
    "gather_nd_batch_dims_beyond_indices": lambda tf: tf.gather_nd(tf.zeros([2, 3, 4]), [[0], [1]], batch_dims=2),
    # ops with a list of outputs, given one: its value is an array, not a 1-tuple
    "unstack_one": lambda tf: tf.unstack(tf.constant([[1, 2]]))[0],
    "identity_n_one": lambda tf: tf.identity_n([tf.constant([1, 2])])[0],
    "dynamic_partition_one": lambda tf: tf.dynamic_partition([1, 2], [0, 0], 1)[0],
    "decode_csv_one_column": lambda tf: tf.decode_csv(["1", "2"], [[0]])[0],
    "erf_of_int": lambda tf: tf.erf(tf.constant([1, 2])),
    "sort_axis_tensor": lambda tf: tf.sort([3.0, 1.0], axis=tf.placeholder(tf.int32, [])),
    # TensorFlow leaves the upper triangle of a failed factorisation uninitialised: compare the NaNs below it.
    "cholesky_not_positive_definite": lambda tf: tf.is_nan(tf.matrix_band_part(tf.cholesky(tf.constant(
        [[[1.0, 2.0], [2.0, 1.0]], [[4.0, 2.0], [2.0, 3.0]]])), -1, 0)),
    "bincount_negative": lambda tf: tf.bincount([1, -2, 3]),
    "bincount_weights_shape": lambda tf: tf.bincount([1, 2, 3], weights=[1.0, 2.0]),
    "linspace_negative_num": lambda tf: tf.linspace(0.0, 1.0, tf.placeholder_with_default(-2, [])),
    "linspace_int_num_float": lambda tf: tf.linspace(0.0, 1.0, 2.5),
    "meshgrid_bad_indexing": lambda tf: tf.meshgrid([1, 2], [3], indexing="yx"),
    "tensor_scatter_out_of_range": lambda tf: tf.tensor_scatter_nd_update(tf.zeros([3]), [[5]], [1.0]),
    "tensor_scatter_updates_shape": lambda tf: tf.tensor_scatter_nd_add(tf.zeros([3, 2]), [[1]], [[5.0]]),
    "tensor_scatter_updates_shape_at_run": lambda tf: tf.tensor_scatter_nd_add(
        tf.zeros([3, 2]), [[1]], tf.placeholder_with_default([[5.0]], None)),
    "scatter_nd_add_variable": lambda tf: _on_variable(tf, lambda v: tf.scatter_nd_add(v, [[1], [3], [1]], [
        [1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])),
    "scatter_nd_sub_variable": lambda tf: _on_variable(tf, lambda v: tf.scatter_nd_sub(v, [[0, 1], [2, 0]],
                                                                                        [1.5, 2.5])),
    "scatter_nd_update_variable": lambda tf: _on_variable(tf, lambda v: tf.scatter_nd_update(v, [[2]], [[7.0, 8.0]])),
    "scatter_nd_update_out_of_range": lambda tf: _on_variable(tf, lambda v: tf.scatter_nd_update(v, [[7]],
                                                                                              [[1.0, 2.0]])),
    "scatter_nd_add_negative_index": lambda tf: _on_variable(tf, lambda v: tf.scatter_nd_add(v, [[-1]], [[1.0, 2.0]])),
    # TensorFlow 2.21 passes `name` positionally into bad_indices_policy: an unknown policy fails at run time.
    "scatter_nd_sub_named": lambda tf: _on_variable(tf, lambda v: tf.scatter_nd_sub(v, [[1, 0]], [5.0], name="s")),
    "scatter_nd_add_of_tensor": lambda tf: tf.scatter_nd_add(tf.zeros([2]), [[0]], [1.0]),
    "polygamma_int_order": lambda tf: tf.polygamma(1, 2.0),
    "polygamma_dtype_mismatch": lambda tf: tf.polygamma(1.0, tf.constant([2.0], tf.float64)),
    "triangular_solve_not_square": lambda tf: tf.matrix_triangular_solve(tf.ones([2, 3]), tf.ones([2, 1])),
    "triangular_solve_zero_diagonal": lambda tf: tf.is_finite(tf.matrix_triangular_solve(
        tf.constant([[1.0, 0.0], [1.0, 0.0]]), tf.ones([2, 1]))),
    "einsum_repeated_output_label": lambda tf: tf.einsum("ij->ii", tf.zeros([2, 2])),
    "einsum_unknown_output_label": lambda tf: tf.einsum("ij->ik", tf.zeros([2, 2])),
    "einsum_bad_format": lambda tf: tf.einsum("ij-k", tf.zeros([2, 2])),
    "einsum_operand_count": lambda tf: tf.einsum("ij,jk->ik", tf.zeros([2, 2])),
    "einsum_ellipsis_batch_mismatch": lambda tf: tf.einsum("...ij,...jk->...ik", tf.zeros([2, 2, 3]),
                                                           tf.zeros([3, 3, 4])),
    "constant_int_wraps": lambda tf: tf.constant(np.int64(300) * 0 + 300, tf.uint8) * tf.constant(1, tf.uint8),
}


def _on_variable(tf, update):
    """``update(v)`` of a [4, 2] variable, run after its initializer."""
    v = tf.Variable(np.arange(8, dtype=np.float32).reshape(4, 2), name="v")
    with tf.control_dependencies([v.initializer]):
        return update(v)


def run(tf, case):
    """The error class name a case raises (at construction or at run time), or ("ok", value)."""
    tf.reset_default_graph()
    try:
        out = case(tf)
        with tf.Session() as sess:
            return "ok", np.asarray(sess.run(out)).tolist()
    except Exception as e:  # noqa: BLE001 -- the class is what is compared
        return type(e).__name__, None


def manual_control_dependencies_program(tf):
    """Control dependencies set by hand, by tf.group, by tf.tuple inside gradients and by an optimizer."""
    v = tf.Variable([1.0, 2.0], name="v")
    w = tf.Variable([0.5, 0.5], name="w")
    a = tf.assign(v, [3.0, 4.0])
    with tf.control_dependencies([a]):
        tf.identity(v, name="c")
        with tf.control_dependencies([a]):  # already a control input here: not marked again
            tf.no_op(name="n")
    tf.group(a, tf.assign_add(w, [1.0, 1.0]), name="grp")
    tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(v * w))
    tf.global_variables_initializer()
