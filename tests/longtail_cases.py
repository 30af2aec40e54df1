"""Cases for the less common TF1 ops (special functions, scans, coordinate indexing, linear algebra ...), shared by
tests/golden/make_ops.py (run under TensorFlow) and tests/test_ops.py (minitf); same format as tests/op_cases.py.
tests/golden/longtail_nodes.json also records each case's forward graph (node names and op types)."""
import numpy as np

from op_cases import _v, data, unary


def _wellconditioned(tf, n, seed=0, batch=()):
    a = data(*batch, n, n, seed=seed) + 4 * np.eye(n, dtype=np.float32)
    return tf.constant(a)


def _spd(tf, n):
    a = data(n, n, seed=5)
    return tf.constant((a @ a.T + n * np.eye(n)).astype(np.float32))


def _int(tf, values):
    return tf.constant(np.asarray(values, dtype=np.int32))


CASES = {
    "erf": unary("erf"), "erfc": unary("erfc"), "lgamma": unary("lgamma", 0.3, 4.0),
    "digamma": lambda tf: (lambda x: (tf.digamma(x), [x]))(_v(tf, 3, 4, low=0.3, high=4.0)),
    "polygamma": lambda tf: (lambda n, x: (tf.polygamma(n, x), [n, x]))(
        tf.constant([[0.0], [1.0], [2.0]]), _v(tf, 3, 4, low=0.3, high=4.0)),
    "polygamma_poles": lambda tf: (tf.polygamma([0.0, 1.0, 2.0, 3.0, 1.5, 1.0, 2.0, 4.0],
                                                [2.5, 0.3, 1.7, -1.5, 2.0, -2.0, 0.0, -3.25]), []),
    "cumsum": lambda tf: (lambda x: (tf.cumsum(x, axis=1), [x]))(_v(tf, 3, 4)),
    "cumsum_excl_rev": lambda tf: (lambda x: (tf.cumsum(x, 0, exclusive=True, reverse=True), [x]))(_v(tf, 3, 4)),
    "cumsum_int": lambda tf: (tf.cumsum(_int(tf, [[1, 2, 3], [4, 5, 6]]), -1, exclusive=True), []),
    "cumprod": lambda tf: (lambda x: (tf.cumprod(x), [x]))(_v(tf, 3, 4, low=0.5, high=2.0)),
    "cumprod_excl_rev": lambda tf: (lambda x: (tf.cumprod(x, 1, exclusive=True, reverse=True), [x]))(
        _v(tf, 3, 4, low=0.5, high=2.0)),
    "gather_nd": lambda tf: (lambda x: (tf.gather_nd(x, [[1, 2], [0, 0], [1, 2]]), [x]))(_v(tf, 3, 4)),
    "gather_nd_slices": lambda tf: (lambda x: (tf.gather_nd(x, [[[1], [0]], [[2], [2]]]), [x]))(_v(tf, 3, 4, 2)),
    "gather_axis1": lambda tf: (lambda x: (tf.gather(x, [2, 0, 2], axis=1), [x]))(_v(tf, 3, 4, 2)),
    "gather_axis_negative": lambda tf: (lambda x: (tf.gather(x, [[1, 0], [3, 3]], axis=-1), [x]))(_v(tf, 3, 4)),
    "gather_batch_dims": lambda tf: (lambda x: (tf.gather(x, [[0, 2], [1, 1]], batch_dims=1), [x]))(_v(tf, 2, 3, 4)),
    "gather_batch_dims_axis2": lambda tf: (lambda x: (tf.gather(x, [[0, 3, 3], [1, 2, 0]], axis=2, batch_dims=1),
                                                      [x]))(_v(tf, 2, 3, 4)),
    "gather_batch_dims_negative": lambda tf: (lambda x: (tf.gather(x, [[[0], [1]], [[1], [1]]], axis=2,
                                                                   batch_dims=-1), [x]))(_v(tf, 2, 2, 3)),
    # (the masked size is known only when the graph runs: reshaped to it, for the gradient's weights)
    "boolean_mask_1d": lambda tf: (lambda x: (tf.reshape(tf.boolean_mask(x, [True, False, True, True]), [3, 2]),
                                              [x]))(_v(tf, 4, 2)),
    "boolean_mask_2d_mask": lambda tf: (lambda x: (tf.reshape(tf.boolean_mask(x, [[True, False, True, False],
                                                                                  [False, False, True, True],
                                                                                  [True, True, False, False]]),
                                                              [6]), [x]))(_v(tf, 3, 4)),
    "boolean_mask_axis1": lambda tf: (lambda x: (tf.reshape(tf.boolean_mask(x, [True, False, True], axis=1),
                                                            [2, 2, 4]), [x]))(_v(tf, 2, 3, 4)),
    "gather_nd_batch_dims": lambda tf: (lambda x: (tf.gather_nd(x, [[[1], [0]], [[2], [2]]], batch_dims=1), [x]))(
        _v(tf, 2, 3, 4)),
    "gather_nd_batch_dims2": lambda tf: (lambda x: (tf.gather_nd(x, [[[[1, 0]], [[0, 1]]], [[[1, 1]], [[0, 0]]]],
                                                                 batch_dims=2), [x]))(_v(tf, 2, 2, 2, 2, 3)),
    "transpose_conjugate": lambda tf: (tf.transpose(tf.constant(np.array([[1 + 2j, 3 - 1j], [0.5j, -2]],
                                                                         np.complex64)), conjugate=True), []),
    "matrix_transpose_conjugate": lambda tf: (tf.matrix_transpose(tf.constant(np.array(
        [[[1 + 2j, 3 - 1j, 2j]], [[0.5j, -2, 1]]], np.complex64)), conjugate=True), []),
    "transpose_conjugate_real": lambda tf: (lambda x: (tf.transpose(x, [1, 0], conjugate=True), [x]))(_v(tf, 2, 3)),
    "conj_complex": lambda tf: (tf.conj(tf.constant(np.array([1 + 2j, -3j], np.complex64))), []),
    "scatter_nd": lambda tf: (lambda u: (tf.scatter_nd([[1], [3], [1]], u, [5, 3]), [u]))(_v(tf, 3, 3)),
    "scatter_nd_scalars": lambda tf: (lambda u: (tf.scatter_nd([[0, 1], [2, 2]], u, tf.constant([3, 4])), [u]))(
        _v(tf, 2)),
    "sequence_mask": lambda tf: (tf.sequence_mask([1, 3, 2]), []),
    "sequence_mask_maxlen": lambda tf: (tf.sequence_mask(_int(tf, [[1, 0], [4, 2]]), 5, dtype=tf.float32), []),
    "reverse_v2": lambda tf: (lambda x: (tf.reverse_v2(x, [0, -1]), [x]))(_v(tf, 2, 3, 4)),
    "eye": lambda tf: (tf.eye(3), []),
    "eye_rect_batch": lambda tf: (tf.eye(2, 4, batch_shape=[2], dtype=tf.int32), []),
    "diag": lambda tf: (lambda x: (tf.diag(x), [x]))(_v(tf, 2, 3)),
    "diag_part": lambda tf: (lambda x: (tf.diag_part(x), [x]))(_v(tf, 3, 3)),
    "matrix_diag": lambda tf: (lambda x: (tf.matrix_diag(x), [x]))(_v(tf, 2, 3)),
    "matrix_diag_part": lambda tf: (lambda x: (tf.matrix_diag_part(x), [x]))(_v(tf, 2, 3, 4)),
    "matrix_set_diag": lambda tf: (lambda x, d: (tf.matrix_set_diag(x, d), [x, d]))(_v(tf, 2, 4, 3, seed=1),
                                                                                  _v(tf, 2, 3, seed=2)),
    "band_part_upper": lambda tf: (lambda x: (tf.matrix_band_part(x, 0, -1), [x]))(_v(tf, 4, 4)),
    "band_part_band": lambda tf: (lambda x: (tf.matrix_band_part(x, 1, 2), [x]))(_v(tf, 2, 4, 5)),
    "matrix_inverse": lambda tf: (lambda x: (tf.matrix_inverse(x), [x]))(_wellconditioned(tf, 3)),
    "matrix_inverse_adjoint": lambda tf: (lambda x: (tf.matrix_inverse(x, adjoint=True), [x]))(
        _wellconditioned(tf, 3, batch=(2,))),
    "matrix_determinant": lambda tf: (lambda x: (tf.matrix_determinant(x), [x]))(
        _wellconditioned(tf, 3, batch=(2,))),
    "matrix_solve": lambda tf: (lambda a, b: (tf.matrix_solve(a, b), [a, b]))(_wellconditioned(tf, 3),
                                                                             _v(tf, 3, 2, seed=3)),
    "matrix_solve_adjoint": lambda tf: (lambda a, b: (tf.matrix_solve(a, b, adjoint=True), [a, b]))(
        _wellconditioned(tf, 3), _v(tf, 3, 2, seed=3)),
    "cholesky": lambda tf: (lambda x: (tf.cholesky(x), [x]))(_spd(tf, 4)),
    "cholesky_batch": lambda tf: (lambda x: (tf.cholesky(x), [x]))(tf.stack([_spd(tf, 3), 2 * _spd(tf, 3)])),
    "triangular_solve": lambda tf: (lambda a, b: (tf.matrix_triangular_solve(a, b), [a, b]))(
        _wellconditioned(tf, 3), _v(tf, 3, 2, seed=3)),
    "triangular_solve_upper_adjoint_bcast": lambda tf: (lambda a, b: (tf.linalg.triangular_solve(
        a, b, lower=False, adjoint=True), [a, b]))(_wellconditioned(tf, 3), _v(tf, 2, 3, 2, seed=3)),
    "trace": lambda tf: (lambda x: (tf.trace(x), [x]))(_v(tf, 2, 3, 3)),
    "tensordot_int": lambda tf: (lambda a, b: (tf.tensordot(a, b, 1), [a, b]))(_v(tf, 2, 3, 4, seed=1),
                                                                              _v(tf, 4, 5, seed=2)),
    "tensordot_axes": lambda tf: (lambda a, b: (tf.tensordot(a, b, [[1, 0], [0, 2]]), [a, b]))(
        _v(tf, 2, 3, 4, seed=1), _v(tf, 3, 5, 2, seed=2)),
    "tensordot_unknown_batch": lambda tf: (lambda a, b: (tf.reshape(tf.tensordot(
        tf.placeholder_with_default(a, [None, 4]), b, [[1], [0]]), [3, 2]), [a, b]))(_v(tf, 3, 4, seed=1),
                                                                            _v(tf, 4, 2, seed=2)),
    "norm": lambda tf: (lambda x: (tf.norm(x), [x]))(_v(tf, 3, 4)),
    "norm_axis": lambda tf: (lambda x: (tf.norm(x, axis=1, keepdims=True), [x]))(_v(tf, 3, 4)),
    "norm_ord1": lambda tf: (lambda x: (tf.norm(x, ord=1, axis=0), [x]))(_v(tf, 3, 4)),
    "norm_inf_matrix": lambda tf: (lambda x: (tf.norm(x, ord=np.inf, axis=[-2, -1]), [x]))(_v(tf, 2, 3, 4)),
    "norm_p3": lambda tf: (lambda x: (tf.norm(x, ord=3), [x]))(_v(tf, 3, 4, low=0.5, high=2.0)),
    "einsum_matmul": lambda tf: (lambda a, b: (tf.einsum("ij,jk->ik", a, b), [a, b]))(_v(tf, 2, 3, seed=1),
                                                                                      _v(tf, 3, 4, seed=2)),
    "einsum_batch": lambda tf: (lambda a, b: (tf.einsum("bij,bkj->bik", a, b), [a, b]))(
        _v(tf, 2, 2, 3, seed=1), _v(tf, 2, 4, 3, seed=2)),
    "einsum_transpose": lambda tf: (lambda a: (tf.einsum("ijk->kij", a), [a]))(_v(tf, 2, 3, 4)),
    "einsum_reduce": lambda tf: (lambda a: (tf.einsum("ij->i", a), [a]))(_v(tf, 2, 3)),
    "einsum_reduce_transpose": lambda tf: (lambda a: (tf.einsum("ijk->ki", a), [a]))(_v(tf, 2, 3, 4)),
    "einsum_trace": lambda tf: (lambda a: (tf.einsum("ii->", a), [a]))(_v(tf, 3, 3)),
    "einsum_diag": lambda tf: (lambda a: (tf.einsum("ii->i", a), [a]))(_v(tf, 3, 3)),
    "einsum_outer": lambda tf: (lambda a, b: (tf.einsum("i,j->ij", a, b), [a, b]))(_v(tf, 2, seed=1),
                                                                                   _v(tf, 3, seed=2)),
    "einsum_dot": lambda tf: (lambda a, b: (tf.einsum("ij,ij->", a, b), [a, b]))(_v(tf, 2, 3, seed=1),
                                                                                 _v(tf, 2, 3, seed=2)),
    "einsum_contract_and_reduce": lambda tf: (lambda a, b: (tf.einsum("ijk,jl->il", a, b), [a, b]))(
        _v(tf, 2, 3, 4, seed=1, low=0.5, high=2.0), _v(tf, 3, 5, seed=2, low=0.5, high=2.0)),
    "einsum_batch_outer_transposed": lambda tf: (lambda a, b: (tf.einsum("bi,bj->jbi", a, b), [a, b]))(
        _v(tf, 2, 3, seed=1), _v(tf, 2, 4, seed=2)),
    "einsum_implicit": lambda tf: (lambda a, b: (tf.einsum("ij, jk", a, b), [a, b]))(_v(tf, 2, 3, seed=1),
                                                                                     _v(tf, 3, 4, seed=2)),
    "einsum_ellipsis_matmul": lambda tf: (lambda a, b: (tf.einsum("...ij,...jk->...ik", a, b), [a, b]))(
        _v(tf, 2, 2, 3, seed=1), _v(tf, 2, 3, 4, seed=2)),
    "einsum_ellipsis_broadcast": lambda tf: (lambda a, b: (tf.einsum("...ij,jk->...ik", a, b), [a, b]))(
        _v(tf, 2, 2, 3, seed=1), _v(tf, 3, 4, seed=2)),
    "einsum_ellipsis_bcast_batch": lambda tf: (lambda a, b: (tf.einsum("...ij,...jk->...ik", a, b), [a, b]))(
        _v(tf, 2, 1, 2, 3, seed=1), _v(tf, 3, 3, 4, seed=2)),
    "einsum_ellipsis_reduce": lambda tf: (lambda a: (tf.einsum("i...j->...i", a), [a]))(_v(tf, 2, 3, 4)),
    "einsum_ellipsis_implicit": lambda tf: (lambda a: (tf.einsum("...ba", a), [a]))(_v(tf, 2, 3, 4)),
    "einsum_unknown_batch": lambda tf: (lambda a, b: (tf.reshape(tf.einsum(
        "bij,jk->bk", tf.placeholder_with_default(a, [None, 2, 3]), b), [2, 4]), [a, b]))(
        _v(tf, 2, 2, 3, seed=1), _v(tf, 3, 4, seed=2)),
    "segment_sum": lambda tf: (lambda x: (tf.reshape(tf.segment_sum(x, [0, 0, 1, 3]), [4, 2]), [x]))(_v(tf, 4, 2)),
    "segment_mean": lambda tf: (lambda x: (tf.reshape(tf.segment_mean(x, [0, 0, 0, 2]), [3, 2]), [x]))(_v(tf, 4, 2)),
    "segment_max": lambda tf: (lambda x: (tf.reshape(tf.segment_max(x, [0, 1, 1, 3]), [4, 2]), [x]))(_v(tf, 4, 2)),
    "segment_min": lambda tf: (lambda x: (tf.reshape(tf.segment_min(x, [0, 0, 1, 1]), [2, 3]), [x]))(_v(tf, 4, 3)),
    "segment_prod": lambda tf: (lambda x: (tf.reshape(tf.segment_prod(x, [0, 0, 1, 2]), [3, 2]), [x]))(_v(tf, 4, 2)),
    "segment_prod_zeros": lambda tf: (lambda x: (tf.reshape(tf.segment_prod(
        x * tf.constant([[0.0], [1.0], [0.0], [0.0]]), [0, 0, 1, 1]), [2, 2]), [x]))(_v(tf, 4, 2)),
    "unsorted_segment_max": lambda tf: (lambda x: (tf.unsorted_segment_max(x, [2, 0, 2, -1], 4), [x]))(_v(tf, 4, 3)),
    "unsorted_segment_min": lambda tf: (lambda x: (tf.unsorted_segment_min(x, [[1, 0], [1, 1]], 3), [x]))(
        _v(tf, 2, 2, 3)),
    "unsorted_segment_prod": lambda tf: (lambda x: (tf.unsorted_segment_prod(x, [2, 0, 2, 1], 4), [x]))(
        _v(tf, 4, 3)),
    "unsorted_segment_prod_zeros": lambda tf: (lambda x: (tf.unsorted_segment_prod(
        x * tf.constant([[0.0], [1.0], [0.0], [0.0], [1.0]]), [1, 1, 0, 0, -1], 3), [x]))(_v(tf, 5, 2)),
    "unsorted_segment_mean": lambda tf: (lambda x: (tf.unsorted_segment_mean(x, [2, 0, 2, 1], 4), [x]))(
        _v(tf, 4, 3)),
    "unique": lambda tf: (tf.unique(_int(tf, [4, 1, 4, 2, 1, 7]))[0], []),
    "unique_idx": lambda tf: (tf.unique(_int(tf, [4, 1, 4, 2, 1, 7]), out_idx=tf.int64)[1], []),
    "unique_counts": lambda tf: (tf.unique_with_counts(tf.constant([3.0, 1.0, 3.0, 3.0]))[2], []),
    "setdiff1d": lambda tf: (tf.setdiff1d([5, 1, 3, 1, 8], [1, 8])[0], []),
    "setdiff1d_idx": lambda tf: (tf.setdiff1d([5, 1, 3, 1, 8], [1, 8])[1], []),
    "sort": lambda tf: (lambda x: (tf.sort(x), [x]))(_v(tf, 3, 4)),
    "sort_axis0_desc": lambda tf: (lambda x: (tf.sort(x, axis=0, direction="DESCENDING"), [x]))(_v(tf, 3, 4)),
    "sort_int": lambda tf: (tf.sort(_int(tf, [3, -1, 2, 2])), []),
    "argsort": lambda tf: (tf.argsort(_v(tf, 3, 4), axis=1), []),
    "argsort_axis0": lambda tf: (tf.argsort(_int(tf, [[3, 1], [1, 1], [2, 5]]), axis=0, direction="DESCENDING"), []),
    "linspace": lambda tf: (lambda a, b: (tf.linspace(a, b, 5), [a, b]))(tf.constant(-1.5), tf.constant(2.0)),
    "linspace_nd_axis": lambda tf: (lambda a, b: (tf.linspace(a, b, 4, axis=-1), [a, b]))(_v(tf, 2, 3, seed=1),
                                                                                         _v(tf, 3, seed=2)),
    "linspace_one": lambda tf: (tf.lin_space(0.0, 3.0, 1), []),
    "linspace_unknown_num": lambda tf: (tf.linspace(1.0, 2.0, tf.placeholder_with_default(3, [])), []),
    "meshgrid_xy": lambda tf: (lambda x, y: (tf.meshgrid(x, y)[1], [x, y]))(_v(tf, 3, seed=1), _v(tf, 2, seed=2)),
    "meshgrid_ij_3d": lambda tf: (lambda x, y, z: (tf.meshgrid(x, y, z, indexing="ij")[0], [x, y, z]))(
        _v(tf, 3, seed=1), _v(tf, 2, seed=2), _v(tf, 4, seed=3)),
    "meshgrid_lists": lambda tf: (tf.meshgrid([1, 2, 3], [4, 5])[0], []),
    "bincount": lambda tf: (tf.bincount(_int(tf, [1, 2, 2, 5, 0, 2])), []),
    "bincount_weights_minlength": lambda tf: (tf.bincount(_int(tf, [[1, 2], [2, 0]]), weights=_v(tf, 2, 2),
                                                          minlength=6), []),
    "bincount_maxlength_dtype": lambda tf: (tf.bincount(_int(tf, [3, 1, 4, 1, 5]), maxlength=4, dtype=tf.float64),
                                            []),
    "bincount_empty": lambda tf: (tf.bincount(tf.zeros([0], tf.int32)), []),
    "bincount_unknown_size": lambda tf: (tf.bincount(tf.placeholder_with_default(_int(tf, [0, 3, 3]), [None])), []),
    "tensor_scatter_nd_update": lambda tf: (lambda x, u: (tf.tensor_scatter_nd_update(x, [[1], [3]], u), [x, u]))(
        _v(tf, 4, 3, seed=1), _v(tf, 2, 3, seed=2)),
    "tensor_scatter_nd_add_dup": lambda tf: (lambda x, u: (tf.tensor_scatter_nd_add(x, [[0, 1], [2, 0], [0, 1]], u),
                                                           [x, u]))(_v(tf, 3, 2, seed=1), _v(tf, 3, seed=2)),
    "tensor_scatter_nd_sub": lambda tf: (lambda x, u: (tf.tensor_scatter_nd_sub(x, [[[1]], [[0]]], u), [x, u]))(
        _v(tf, 3, 2, seed=1), _v(tf, 2, 1, 2, seed=2)),
    "tensor_scatter_update_alias": lambda tf: (tf.tensor_scatter_update(_int(tf, [1, 2, 3]), [[2]], [9]), []),
}
