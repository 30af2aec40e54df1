"""Sparse ops (tf.sparse.* and the tf.sparse_* aliases): cases shared by tests/golden/make_sparse_ops.py
(TensorFlow) and tests/test_sparse_ops.py (minitf), run through tests/golden/program_cases.py. Each case builds a
graph and returns its fetches (and a feed): values, gradients, and errors at construction and at run time.
"""
import numpy as np


def _sp(tf, indices=((0, 1), (1, 0), (1, 2), (3, 1)), values=(1.0, -2.0, 3.0, 0.5), shape=(4, 3)):
    return tf.SparseTensor(indices=list(indices), values=tf.constant(values, tf.float32), dense_shape=list(shape))


_DENSE = np.arange(12, dtype=np.float32).reshape(3, 4) / 4.0 - 1.0


def _matmul(adjoint_a, adjoint_b):
    """sparse_tensor_dense_matmul with the adjoints, and its gradients w.r.t. the sparse values and the matrix."""
    def case(tf):
        values = tf.constant([1.0, -2.0, 3.0, 0.5], name="values")
        sp = tf.SparseTensor([[0, 1], [1, 0], [1, 2], [3, 1]], values, [4, 3])
        b = tf.constant(_b_for(adjoint_a, adjoint_b), name="b")
        product = tf.sparse_tensor_dense_matmul(sp, b, adjoint_a=adjoint_a, adjoint_b=adjoint_b)
        grads = tf.gradients(tf.reduce_sum(product * product), [values, b])
        return {"product": product, "d_values": grads[0], "d_b": grads[1]}
    return case


def _b_for(adjoint_a, adjoint_b):
    """A dense operand fitting the 4x3 sparse matrix: [3, 4] (or [4, 3] with adjoint_a), transposed for adjoint_b."""
    b = _DENSE if not adjoint_a else np.arange(8, dtype=np.float32).reshape(4, 2) - 3.0
    return b.T.copy() if adjoint_b else b


def matmul_sparse_dense_b(tf):
    """A dense matrix times a SparseTensor (the sparse operand second: transposes around the op)."""
    a = tf.constant(np.arange(8, dtype=np.float32).reshape(2, 4))
    return {"product": tf.sparse.sparse_dense_matmul(a, _sp(tf))}


def matmul_errors_shape(tf):
    """Inner dimensions that do not agree, known only at run time."""
    b = tf.placeholder(tf.float32, [None, 2])
    return {"product": tf.sparse_tensor_dense_matmul(_sp(tf), b)}, {b: np.ones((5, 2), np.float32)}


def matmul_errors_static(tf):
    return {"product": tf.sparse_tensor_dense_matmul(_sp(tf), tf.ones([5, 2]))}


def matmul_errors_out_of_range(tf):
    sp = tf.SparseTensor([[0, 1], [2, 5]], [1.0, 2.0], [4, 3])
    return {"product": tf.sparse_tensor_dense_matmul(sp, tf.ones([3, 2]))}


def matmul_errors_types(tf):
    sp = tf.SparseTensor([[0, 1]], [1], [4, 3])
    return {"product": tf.sparse_tensor_dense_matmul(sp, tf.ones([3, 2]))}


def reduce_sum_all(tf):
    return {"sum": tf.sparse_reduce_sum(_sp(tf)), "sum_v2": tf.sparse.reduce_sum(_sp(tf))}


def reduce_sum_axis(tf):
    sp = _sp(tf)
    return {"rows": tf.sparse_reduce_sum(sp, axis=1), "cols_kept": tf.sparse.reduce_sum(sp, axis=0, keepdims=True),
            "neg": tf.sparse_reduce_sum(sp, axis=-1, keep_dims=True), "both": tf.sparse_reduce_sum(sp, [0, 1])}


def reduce_sum_3d(tf):
    sp = tf.SparseTensor([[0, 0, 1], [0, 2, 0], [1, 1, 1], [1, 2, 0]], tf.constant([1, 2, 3, 4]), [2, 3, 2])
    return {"a0": tf.sparse_reduce_sum(sp, 0), "a12": tf.sparse_reduce_sum(sp, [1, 2], keepdims=True),
            "reduction_axes": tf.sparse_reduce_sum(sp, reduction_axes=2)}


def reduce_sum_gradient(tf):
    values = tf.constant([1.0, -2.0, 3.0, 0.5], name="values")
    sp = tf.SparseTensor([[0, 1], [1, 0], [1, 2], [3, 1]], values, [4, 3])
    total = tf.sparse_reduce_sum(sp, axis=1)
    return {"grad": tf.gradients(tf.reduce_sum(total * tf.constant([1.0, 2.0, 3.0, 4.0])), values)[0]}


def reduce_sum_errors_axis(tf):
    return {"sum": tf.sparse_reduce_sum(_sp(tf), axis=2)}


def reorder(tf):
    sp = tf.SparseTensor([[2, 1], [0, 3], [1, 0], [0, 1]], tf.constant([1.0, 2.0, 3.0, 4.0]), [3, 4])
    reordered = tf.sparse_reorder(sp)
    return {"reordered": reordered, "v2": tf.sparse.reorder(sp), "dense": tf.sparse_tensor_to_dense(reordered)}


def reorder_unknown_shape(tf):
    shape = tf.placeholder(tf.int64, [2], name="shape")
    sp = tf.SparseTensor([[2, 1], [0, 3]], tf.constant([1.0, 2.0]), shape)
    return {"reordered": tf.sparse_reorder(sp)}, {shape: [3, 4]}


def reorder_gradient(tf):
    values = tf.constant([1.0, 2.0, 3.0, 4.0], name="values")
    sp = tf.SparseTensor([[2, 1], [0, 3], [1, 0], [0, 1]], values, [3, 4])
    reordered = tf.sparse_reorder(sp)
    loss = tf.reduce_sum(reordered.values * tf.constant([1.0, 10.0, 100.0, 1000.0]))
    return {"grad": tf.gradients(loss, values)[0]}


def unordered_to_dense(tf):
    """An unordered SparseTensor made dense: SparseToDense's error, tf.sparse_reorder's advice."""
    sp = tf.SparseTensor([[2, 1], [0, 3]], tf.constant([1.0, 2.0]), [3, 4])
    return {"dense": tf.sparse_tensor_to_dense(sp)}


def reshape(tf):
    sp = _sp(tf)
    return {"r": tf.sparse_reshape(sp, [2, 6]), "implied": tf.sparse.reshape(sp, [-1, 2, 2]),
            "flat": tf.sparse_reshape(sp, [12])}


def reshape_dynamic(tf):
    shape = tf.placeholder(tf.int64, [2], name="new_shape")
    return {"r": tf.sparse_reshape(_sp(tf), shape)}, {shape: [6, -1]}


def reshape_errors_static(tf):
    return {"r": tf.sparse_reshape(_sp(tf), [5, 2])}


def reshape_errors_two_implied(tf):
    return {"r": tf.sparse_reshape(_sp(tf), [-1, -1])}


def reshape_errors_run(tf):
    shape = tf.placeholder(tf.int64, [2], name="new_shape")
    return {"r": tf.sparse_reshape(_sp(tf), shape)}, {shape: [5, -1]}


def add_sparse(tf):
    a = _sp(tf)
    b = tf.SparseTensor([[0, 0], [1, 0], [2, 2], [3, 1]], tf.constant([5.0, 2.0, 0.1, 0.25]), [4, 3])
    return {"sum": tf.sparse_add(a, b), "v2": tf.sparse.add(a, b), "thresh": tf.sparse_add(a, b, threshold=0.8),
            "thresh_old": tf.sparse_add(a, b, thresh=0.8)}


def add_sparse_gradient(tf):
    va = tf.constant([1.0, -2.0, 3.0, 0.5], name="va")
    vb = tf.constant([5.0, 2.0, 0.25], name="vb")
    a = tf.SparseTensor([[0, 1], [1, 0], [1, 2], [3, 1]], va, [4, 3])
    b = tf.SparseTensor([[0, 0], [1, 0], [3, 1]], vb, [4, 3])
    total = tf.sparse_add(a, b)
    loss = tf.reduce_sum(total.values * tf.range(1.0, 6.0))
    grads = tf.gradients(loss, [va, vb])
    return {"d_a": grads[0], "d_b": grads[1]}


def add_dense(tf):
    dense = tf.constant(_DENSE.T.copy())
    return {"sd": tf.sparse_add(_sp(tf), dense), "ds": tf.sparse.add(dense, _sp(tf))}


def add_dense_gradient(tf):
    values = tf.constant([1.0, -2.0, 3.0, 0.5], name="values")
    dense = tf.constant(_DENSE.T.copy(), name="dense")
    total = tf.sparse_add(tf.SparseTensor([[0, 1], [1, 0], [1, 2], [3, 1]], values, [4, 3]), dense)
    grads = tf.gradients(tf.reduce_sum(total * total), [values, dense])
    return {"d_values": grads[0], "d_dense": grads[1]}


def add_errors_no_sparse(tf):
    return {"sum": tf.sparse_add(tf.ones([2]), tf.ones([2]))}


def add_errors_shapes(tf):
    a = tf.SparseTensor([[0, 1]], [1.0], [4, 3])
    b = tf.SparseTensor([[0, 1]], [1.0], [3, 3])
    return {"sum": tf.sparse_add(a, b)}


def add_errors_run_shapes(tf):
    shape = tf.placeholder(tf.int64, [2], name="shape")
    a = tf.SparseTensor([[0, 1]], [1.0], [4, 3])
    b = tf.SparseTensor([[0, 1]], [1.0], shape)
    return {"sum": tf.sparse_add(a, b)}, {shape: [3, 3]}


def concat(tf):
    a = _sp(tf)
    b = tf.SparseTensor([[0, 0], [2, 1]], tf.constant([7.0, 8.0]), [3, 3])
    c = tf.SparseTensor([[0, 2], [3, 0]], tf.constant([9.0, 10.0]), [4, 4])
    return {"rows": tf.sparse_concat(0, [a, b]), "cols": tf.sparse.concat(1, [a, c]),
            "neg": tf.sparse_concat(-1, [a, c]), "one": tf.sparse_concat(1, [a])}


def concat_expand(tf):
    a = _sp(tf)
    b = tf.SparseTensor([[0, 0], [4, 1]], tf.constant([7.0, 8.0]), [5, 2])
    return {"expand": tf.sparse_concat(1, [a, b], expand_nonconcat_dim=True)}


def concat_errors(tf):
    a = _sp(tf)
    b = tf.SparseTensor([[0, 0]], tf.constant([7.0]), [3, 3])
    return {"cols": tf.sparse_concat(1, [a, b])}


def retain(tf):
    sp = _sp(tf)
    return {"kept": tf.sparse_retain(sp, [True, False, True, False]),
            "v2": tf.sparse.retain(sp, tf.constant([False, False, False, True]))}


def retain_errors(tf):
    return {"kept": tf.sparse_retain(_sp(tf), [True, False])}


def fill_empty_rows(tf):
    sp = _sp(tf, shape=(6, 3))
    filled, empty = tf.sparse_fill_empty_rows(sp, -1.0)
    return {"filled": filled, "empty": empty}


def fill_empty_rows_gradient(tf):
    values = tf.constant([1.0, -2.0, 3.0, 0.5], name="values")
    default = tf.constant(-1.0, name="default")
    filled, _ = tf.sparse.fill_empty_rows(tf.SparseTensor([[0, 1], [1, 0], [1, 2], [3, 1]], values, [6, 3]), default)
    loss = tf.reduce_sum(filled.values * tf.range(1.0, 8.0))
    grads = tf.gradients(loss, [values, default])
    return {"d_values": grads[0], "d_default": grads[1]}


def fill_empty_rows_errors(tf):
    sp = tf.SparseTensor([[0, 1], [7, 0]], tf.constant([1.0, 2.0]), [6, 3])
    return {"filled": tf.sparse_fill_empty_rows(sp, 0.0)[0]}


def invert_permutation(tf):
    return {"inverse": tf.invert_permutation([2, 0, 3, 1])}


def sparse_placeholder(tf):
    sp = tf.sparse_placeholder(tf.float32, shape=[None, 3], name="sp")
    other = tf.sparse_placeholder(tf.int32)
    feed = {sp: tf.SparseTensorValue([[0, 1], [2, 2]], [1.5, 2.5], [4, 3]),
            other: tf.SparseTensorValue([[1]], [7], [3])}
    return {"sum": tf.sparse_reduce_sum(sp, axis=1), "other": other, "sp": sp}, feed


def matmul_unsorted_duplicates(tf):
    """Unordered and repeated indices: each nonzero added in its turn."""
    sp = tf.SparseTensor([[3, 1], [0, 2], [3, 1], [1, 0]], tf.constant([0.1, 0.2, 0.3, 0.4]), [4, 3])
    big = tf.constant(np.linspace(-3, 3, 3 * 70, dtype=np.float32).reshape(3, 70))
    return {"product": tf.sparse.matmul(sp, tf.constant(_DENSE)), "wide": tf.sparse_tensor_dense_matmul(sp, big)}


def matmul_ints_and_unknown_shape(tf):
    shape = tf.placeholder(tf.int64, [2], name="shape")
    sp = tf.SparseTensor([[0, 1], [2, 0]], tf.constant([2, 3]), shape)
    return {"product": tf.sparse_tensor_dense_matmul(sp, tf.constant([[1, 2], [3, 4]]), adjoint_a=True)}, \
        {shape: [3, 2]}


def matmul_errors_m_out_of_range(tf):
    sp = tf.SparseTensor([[0, 1], [4, 2]], [1.0, 2.0], [4, 3])
    return {"product": tf.sparse_tensor_dense_matmul(sp, tf.ones([3, 2]))}


def matmul_errors_rank(tf):
    return {"product": tf.sparse_tensor_dense_matmul(_sp(tf), tf.ones([3]))}


def reduce_sum_unsorted_long(tf):
    """Unordered indices, and a group of 40 values (Eigen's packet order)."""
    rng = np.random.RandomState(0)
    cols = rng.permutation(50)[:40]
    indices = [[1, int(c)] for c in cols] + [[0, 3]]
    values = (rng.standard_normal(41) * 10).astype(np.float32)
    sp = tf.SparseTensor(indices, tf.constant(values), [2, 50])
    return {"rows": tf.sparse_reduce_sum(sp, 1), "all": tf.sparse_reduce_sum(sp)}


def reduce_sum_unknown_shape(tf):
    shape = tf.placeholder(tf.int64, [None], name="shape")
    sp = tf.SparseTensor(tf.constant([[0, 1, 1], [1, 0, 0]], tf.int64), tf.constant([1.5, 2.5]), shape)
    return {"all": tf.sparse_reduce_sum(sp), "kept": tf.sparse_reduce_sum(sp, [0, 2], keepdims=True)}, \
        {shape: [2, 2, 3]}


def reduce_sum_3d_gradient(tf):
    values = tf.constant([1.0, 2.0, 3.0, 4.0], name="values")
    sp = tf.SparseTensor([[0, 0, 1], [0, 2, 0], [1, 1, 1], [1, 2, 0]], values, [2, 3, 2])
    total = tf.sparse_reduce_sum(sp, [0, 2], keepdims=True)
    return {"grad": tf.gradients(tf.reduce_sum(total * tf.constant([[[1.0]], [[2.0]], [[3.0]]])), values)[0]}


def reorder_3d_ints(tf):
    sp = tf.SparseTensor([[1, 0, 1], [0, 2, 0], [1, 0, 0], [0, 0, 3]], tf.constant([1, 2, 3, 4], tf.int64), [2, 3, 4])
    return {"reordered": tf.sparse_reorder(sp)}


def reshape_3d_and_zero(tf):
    sp = tf.SparseTensor([[0, 1, 1], [1, 0, 2], [1, 1, 0]], tf.constant([1, 2, 3]), [2, 2, 3])
    empty = tf.SparseTensor(tf.zeros([0, 2], tf.int64), tf.zeros([0]), [0, 3])
    return {"r": tf.sparse_reshape(sp, [3, -1]), "e": tf.sparse_reshape(empty, [3, 0])}


def reshape_errors_two_unknown_run(tf):
    shape = tf.placeholder(tf.int64, [2], name="new_shape")
    return {"r": tf.sparse_reshape(_sp(tf), shape)}, {shape: [-1, -1]}


def add_sparse_3d_ints(tf):
    a = tf.SparseTensor([[0, 0, 1], [1, 1, 0]], tf.constant([1, 2]), [2, 2, 2])
    b = tf.SparseTensor([[0, 0, 1], [0, 1, 1], [1, 1, 0]], tf.constant([-1, 5, 3]), [2, 2, 2])
    return {"sum": tf.sparse_add(a, b), "thresh": tf.sparse_add(a, b, 4)}


def add_sparse_unknown_shape(tf):
    shape = tf.placeholder(tf.int64, [2], name="shape")
    a = tf.SparseTensor([[0, 1]], [1.0], shape)
    b = tf.SparseTensor([[0, 0]], [2.0], [2, 3])
    return {"sum": tf.sparse_add(a, b)}, {shape: [2, 3]}


def add_dense_errors(tf):
    dense = tf.placeholder(tf.float32, [None, 3], name="dense")
    return {"sum": tf.sparse_add(_sp(tf), dense)}, {dense: np.ones((3, 3), np.float32)}


def concat_three_unknown(tf):
    shape = tf.placeholder(tf.int64, [2], name="shape")
    a = _sp(tf)
    b = tf.SparseTensor([[0, 0], [1, 1]], tf.constant([7.0, 8.0]), shape)
    c = tf.SparseTensor([[1, 0]], tf.constant([9.0]), [4, 1])
    return {"cols": tf.sparse_concat(1, [a, b, c]), "rows": tf.sparse_concat(0, [a, b, a])}, {shape: [4, 2]}


def concat_errors_rank(tf):
    a = _sp(tf)
    b = tf.SparseTensor([[0, 0, 0]], tf.constant([7.0]), [4, 3, 1])
    return {"cols": tf.sparse_concat(1, [a, b])}


def retain_placeholder(tf):
    keep = tf.placeholder(tf.bool, [None], name="keep")
    return {"kept": tf.sparse_retain(_sp(tf), keep)}, {keep: [False, True, True, False]}


def retain_errors_type(tf):
    return {"kept": tf.sparse_retain(tf.ones([2]), [True])}


def fill_empty_rows_cases(tf):
    full = _sp(tf, indices=((0, 1), (1, 0), (2, 2), (3, 1)))
    empty = tf.SparseTensor(tf.zeros([0, 3], tf.int64), tf.zeros([0], tf.int32), [3, 2, 2])
    unordered = tf.SparseTensor([[3, 1], [0, 1], [3, 0]], tf.constant([1.0, 2.0, 3.0]), [5, 2])
    a, a_empty = tf.sparse_fill_empty_rows(full, 0.0)
    b, b_empty = tf.sparse.fill_empty_rows(empty, 7)
    c, c_empty = tf.sparse_fill_empty_rows(unordered, -5.0)
    return {"a": a, "a_empty": a_empty, "b": b, "b_empty": b_empty, "c": c, "c_empty": c_empty}


def fill_empty_rows_errors_negative(tf):
    sp = tf.SparseTensor([[0, 1], [-1, 0]], tf.constant([1.0, 2.0]), [6, 3])
    return {"filled": tf.sparse_fill_empty_rows(sp, 0.0)[0]}


def invert_permutation_errors_range(tf):
    return {"inverse": tf.invert_permutation(tf.constant([0, 4, 1], tf.int64))}


def invert_permutation_errors_duplicate(tf):
    x = tf.placeholder(tf.int32, [None], name="x")
    return {"inverse": tf.invert_permutation(x)}, {x: [1, 0, 1]}


def sparse_placeholder_unknown(tf):
    sp = tf.sparse_placeholder(tf.string, name="words")
    ragged = tf.sparse_placeholder(tf.float32, shape=tf.constant([2, 5], tf.int64))
    feed = {sp: ([[0, 0], [1, 2]], [b"a", b"b"], [2, 3]), ragged: ([[1, 4]], [1.0], [2, 5])}
    return {"sp": sp, "dense": tf.sparse_tensor_to_dense(ragged)}, feed


def to_dense_gradient(tf):
    """SparseToDense's gradient: the values' where they were put, the default's the rest."""
    values = tf.constant([1.0, -2.0, 3.0], name="values")
    default = tf.constant(0.5, name="default")
    dense = tf.sparse_to_dense([[0, 1], [1, 0], [2, 2]], [3, 3], values, default)
    grads = tf.gradients(tf.reduce_sum(dense * tf.reshape(tf.range(9.0), [3, 3])), [values, default])
    return {"d_values": grads[0], "d_default": grads[1]}


def unchecked_indices(tf):
    """Indices the kernels do not check: out of a reduced dimension, unordered operands of SparseAdd, a column out
    of range through fill_empty_rows, concat and reshape (TensorFlow computes on)."""
    def sp(indices, values, shape):
        return tf.SparseTensor(indices, tf.constant(values, tf.float32), shape)
    return {"reduce": tf.sparse_reduce_sum(sp([[0, 5], [1, -1]], [1.0, 2.0], [2, 3]), 1),
            "add": tf.sparse_add(sp([[1, 0], [0, 0]], [1.0, 2.0], [2, 3]), sp([[0, 0]], [1.0], [2, 3])),
            "fill": tf.sparse_fill_empty_rows(sp([[1, 7]], [1.0], [3, 3]), 0.0)[0],
            "concat": tf.sparse_concat(0, [sp([[1, 7]], [1.0], [2, 3]), sp([[0, 0]], [1.0], [2, 3])]),
            "reshape": tf.sparse_reshape(sp([[1, 7]], [1.0], [2, 3]), [3, 2])}


def dense_add_errors_out_of_range(tf):
    return {"sum": tf.sparse_add(tf.SparseTensor([[1, 7]], [1.0], [2, 3]), tf.ones([2, 3]))}


def matmul_errors_negative(tf):
    return {"product": tf.sparse_tensor_dense_matmul(tf.SparseTensor([[-1, 0]], [1.0], [2, 3]), tf.ones([3, 2]))}


def reduce_max(tf):
    sp = tf.SparseTensor([[0, 0], [1, 0], [1, 1], [3, 2]], tf.constant([-7, 4, 3, -1]), [4, 3])
    fsp = tf.SparseTensor([[0, 1, 0], [0, 1, 1], [1, 0, 0]], tf.constant([-2.5, -3.0, 1.5]), [2, 2, 2])
    return {"rows": tf.sparse_reduce_max(sp, 1), "cols": tf.sparse.reduce_max(sp, 0, keepdims=True),
            "all": tf.sparse_reduce_max(sp), "f": tf.sparse_reduce_max(fsp, [0, 2], keep_dims=True),
            "neg": tf.sparse_reduce_max(fsp, reduction_axes=-1)}


def transpose(tf):
    sp = tf.SparseTensor([[0, 1, 0], [0, 1, 3], [1, 0, 2], [1, 2, 1]], tf.constant([1.0, 2.0, 3.0, 4.0]), [2, 3, 4])
    return {"reversed": tf.sparse_transpose(sp), "batch": tf.sparse.transpose(sp, [0, 2, 1]),
            "matrix": tf.sparse_transpose(_sp(tf))}


def transpose_unknown_shape(tf):
    shape = tf.placeholder(tf.int64, [None], name="shape")
    sp = tf.SparseTensor(tf.constant([[0, 1, 0], [1, 0, 2]], tf.int64), tf.constant([1.0, 2.0]), shape)
    return {"reversed": tf.sparse_transpose(sp), "perm": tf.sparse_transpose(sp, [1, 0, 2])}, {shape: [2, 3, 4]}


def transpose_gradient(tf):
    values = tf.constant([1.0, 2.0, 3.0, 4.0], name="values")
    sp = tf.SparseTensor([[0, 1], [0, 2], [1, 0], [2, 1]], values, [3, 3])
    transposed = tf.sparse_transpose(sp)
    return {"grad": tf.gradients(tf.reduce_sum(transposed.values * tf.range(1.0, 5.0)), values)[0]}


def slice_cases(tf):
    sp = tf.SparseTensor([[0, 0], [0, 3], [1, 1], [2, 4], [3, 2]], tf.constant([1.0, 2.0, 3.0, 4.0, 5.0]), [4, 5])
    return {"inner": tf.sparse_slice(sp, [1, 1], [2, 3]), "cut": tf.sparse.slice(sp, [2, 0], [5, 10]),
            "outside": tf.sparse_slice(sp, [5, 0], [2, 2]), "empty": tf.sparse_slice(sp, [0, 1], [1, 2])}


def slice_gradient(tf):
    values = tf.constant([1.0, 2.0, 3.0, 4.0, 5.0], name="values")
    sp = tf.SparseTensor([[0, 0], [0, 3], [1, 1], [2, 4], [3, 2]], values, [4, 5])
    part = tf.sparse_slice(sp, [0, 1], [3, 4])
    return {"grad": tf.gradients(tf.reduce_sum(part.values * tf.range(1.0, 4.0)), values)[0]}


def slice_errors(tf):
    return {"part": tf.sparse_slice(_sp(tf), [1], [2, 2])}


def merge_and_indicator(tf):
    ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0], [2, 0], [2, 1]], tf.constant([3, 1, 0, 2, 3]), [3, 2])
    weights = tf.SparseTensor([[0, 0], [0, 1], [1, 0], [2, 0], [2, 1]], tf.constant([0.5, 1.5, 2.0, 1.0, 3.0]),
                              [3, 2])
    ids64 = tf.SparseTensor([[0, 0], [1, 0], [1, 1]], tf.constant([1, 0, 2], tf.int64), [2, 2])
    return {"merged": tf.sparse_merge(ids, weights, 4), "sorted": tf.sparse_merge(ids, weights, 4,
                                                                                    already_sorted=True),
            "indicator": tf.sparse_to_indicator(ids, 4), "indicator64": tf.sparse.to_indicator(ids64, 3)}


def merge_errors(tf):
    ids = tf.SparseTensor([[0, 0]], tf.constant([3]), [1, 1])
    return {"merged": tf.sparse_merge(ids, ids, 4.0)}


def cwise_operators(tf):
    """SparseTensor * dense, / dense (true division: integers as floats), the dense side broadcast."""
    sp = _sp(tf)
    ints = tf.SparseTensor([[0, 1], [2, 0]], tf.constant([7, -9]), [3, 2])
    return {"mul_row": sp * tf.constant([1.0, 2.0, -3.0]), "mul_scalar": sp * 2.0, "div_col": sp / [[2.0], [4.0],
                                                                                                  [8.0], [1.0]],
            "div_matrix": sp / tf.constant(_DENSE.T + 5.0), "int_div": ints / 2, "int_mul": ints * [[1, 10]]}


def cwise_gradients(tf):
    values = tf.constant([1.0, -2.0, 3.0, 0.5], name="values")
    row = tf.constant([1.0, 2.0, -3.0], name="row")
    column = tf.constant([[2.0], [4.0], [8.0], [1.0]], name="column")
    sp = tf.SparseTensor([[0, 1], [1, 0], [1, 2], [3, 1]], values, [4, 3])
    loss = tf.reduce_sum((sp * row).values * tf.range(1.0, 5.0)) + tf.reduce_sum((sp / column).values)
    grads = tf.gradients(loss, [values, row, column])
    return {"d_values": grads[0], "d_row": grads[1], "d_column": grads[2]}


def cwise_errors_broadcast(tf):
    dense = tf.placeholder(tf.float32, None, name="dense")
    return {"out": (_sp(tf) * dense).values}, {dense: np.ones((2, 3), np.float32)}


def cwise_errors_types(tf):
    return {"out": (tf.SparseTensor([[0, 1]], [1], [2, 2]) / tf.constant(2.0)).values}


def softmax(tf):
    """sparse_softmax over each innermost row's stored values; unordered indices keep their order, the values are
    the sorted ones' (as TensorFlow's kernel)."""
    sp = tf.SparseTensor([[0, 0], [0, 2], [1, 1], [3, 0], [3, 1], [3, 2]],
                         tf.constant([1.0, 2.0, -3.0, 0.5, 0.25, 4.0]), [4, 3])
    unordered = tf.SparseTensor([[1, 0], [0, 1], [0, 0]], tf.constant([1.0, 3.0, 2.0]), [2, 2])
    cube = tf.SparseTensor([[0, 0, 1], [0, 0, 2], [1, 1, 0]], tf.constant([0.1, 0.2, 0.3], tf.float64), [2, 2, 3])
    return {"rows": tf.sparse_softmax(sp), "unordered": tf.sparse.softmax(unordered), "cube": tf.sparse_softmax(cube)}


def softmax_gradient(tf):
    values = tf.constant([1.0, 2.0, -3.0, 0.5, 0.25, 4.0], name="values")
    sp = tf.SparseTensor([[0, 0], [0, 2], [1, 1], [3, 0], [3, 1], [3, 2]], values, [4, 3])
    out = tf.sparse_softmax(sp)
    return {"grad": tf.gradients(tf.reduce_sum(out.values * tf.range(1.0, 7.0)), values)[0]}


def softmax_errors(tf):
    shape = tf.placeholder(tf.int64, [1], name="shape")
    sp = tf.SparseTensor([[0]], [1.0], shape)
    return {"out": tf.sparse_softmax(sp).values}, {shape: [3]}


def maximum_minimum(tf):
    a = tf.SparseTensor([[0, 0], [0, 2], [1, 1], [2, 0]], tf.constant([1, -2, 3, -4]), [3, 3])
    b = tf.SparseTensor([[0, 0], [1, 1], [1, 2], [2, 2]], tf.constant([5, -1, -6, 7]), [3, 3])
    return {"max": tf.sparse_maximum(a, b), "min": tf.sparse.minimum(a, b), "max_v1": tf.sparse.maximum(b, a)}


def maximum_gradient_errors(tf):
    values = tf.constant([1.0, 2.0], name="values")
    a = tf.SparseTensor([[0, 0], [1, 1]], values, [2, 2])
    return {"grad": tf.gradients(tf.reduce_sum(tf.sparse_maximum(a, a).values), values)[0]}


def maximum_errors(tf):
    shape = tf.placeholder(tf.int64, [2], name="shape")
    a = tf.SparseTensor([[0, 0]], [1.0], [2, 2])
    return {"max": tf.sparse_maximum(a, tf.SparseTensor([[0, 1]], [2.0], shape))}, {shape: [2, 3]}


def from_dense(tf):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    return {"sp": tf.sparse.from_dense(tf.constant([[0, 3, 0], [-1, 0, 2]])), "fed": tf.sparse.from_dense(x),
            "strings": tf.sparse.from_dense(tf.constant([b"", b"a", b"b"]))}, \
        {x: np.array([[0.0, 1.5, 0.0], [0.0, 0.0, 0.0], [2.0, 0.0, -0.0]], np.float32)}


# Malformed SparseTensors fed at run time: (the op applied to the fed SparseTensor, its indices, values, shape).
_MALFORMED = {
    "fill_columns": (lambda tf, sp: tf.sparse_fill_empty_rows(sp, 0.0)[0].indices, [[0, 1, 2]], [1.0], [3, 3]),
    "fill_values": (lambda tf, sp: tf.sparse_fill_empty_rows(sp, 0.0)[0].indices, [[0, 1]], [1.0, 2.0], [3, 3]),
    "fill_empty_shape": (lambda tf, sp: tf.sparse_fill_empty_rows(sp, 0.0)[0].indices, np.zeros((0, 0)), [],
                         np.zeros(0)),
    "reduce_values": (lambda tf, sp: tf.sparse_reduce_sum(sp, 1), [[0, 1]], [1.0, 2.0], [3, 3]),
    "reduce_columns": (lambda tf, sp: tf.sparse_reduce_sum(sp, 1), [[0, 1, 1]], [1.0], [3, 3]),
    "reorder_columns": (lambda tf, sp: tf.sparse_reorder(sp).indices, [[0, 1]], [1.0], [3, 3, 1]),
    "reorder_values": (lambda tf, sp: tf.sparse_reorder(sp).indices, [[0, 1]], [1.0, 2.0], [3, 3]),
    "add_values": (lambda tf, sp: tf.sparse_add(sp, tf.SparseTensor([[0, 0]], [1.0], [3, 3])).values, [[0, 1]],
                   [1.0, 2.0], [3, 3]),
    "add_columns": (lambda tf, sp: tf.sparse_add(sp, tf.SparseTensor([[0, 0]], [1.0], [3, 3])).values,
                    [[0, 1, 1]], [1.0], [3, 3, 1]),
    "dense_add_values": (lambda tf, sp: tf.sparse_add(sp, tf.ones([3, 3])), [[0, 1]], [1.0, 2.0], [3, 3]),
    "dense_add_columns": (lambda tf, sp: tf.sparse_add(sp, tf.ones([3, 3])), [[0, 1, 0]], [1.0], [3, 3]),
    "dense_add_rank": (lambda tf, sp: tf.sparse_add(sp, tf.ones([3, 3])), [[0, 1, 0]], [1.0], [3, 3, 1]),
    "matmul_rank": (lambda tf, sp: tf.sparse_tensor_dense_matmul(sp, tf.ones([3, 2])), [[0, 1, 0]], [1.0],
                    [3, 3, 1]),
    "matmul_values": (lambda tf, sp: tf.sparse_tensor_dense_matmul(sp, tf.ones([3, 2])), [[0, 1]], [1.0, 2.0],
                      [3, 3]),
    "reshape_columns": (lambda tf, sp: tf.sparse_reshape(sp, [9]).indices, [[0, 1, 1]], [1.0], [3, 3]),
    "cwise_out_of_range": (lambda tf, sp: (sp * tf.ones([3, 3])).values, [[0, 5]], [1.0], [3, 3]),
    "cwise_values": (lambda tf, sp: (sp * tf.ones([3, 3])).values, [[0, 1]], [1.0, 2.0], [3, 3]),
    "cwise_columns": (lambda tf, sp: (sp / tf.ones([3])).values, [[0, 1, 1]], [1.0], [3, 3]),
    "concat_values": (lambda tf, sp: tf.sparse_concat(0, [sp, tf.SparseTensor([[0, 0]], [1.0], [3, 3])]).indices,
                      [[0, 1]], [1.0, 2.0], [3, 3]),
    "concat_columns": (lambda tf, sp: tf.sparse_concat(0, [sp, tf.SparseTensor([[0, 0]], [1.0], [3, 3])]).indices,
                       [[0, 1, 1]], [1.0], [3, 3]),
}


def _malformed(apply, indices, values, shape):
    def case(tf):
        parts = [tf.placeholder(tf.int64, None, name="indices"), tf.placeholder(tf.float32, None, name="values"),
                 tf.placeholder(tf.int64, None, name="shape")]
        return {"out": apply(tf, tf.SparseTensor(*parts))}, dict(zip(parts, (indices, values, shape)))
    return case


def fill_empty_rows_errors_default(tf):
    return {"filled": tf.sparse_fill_empty_rows(_sp(tf), [0.0, 1.0])[0]}


CASES = {name: fn for name, fn in dict(globals()).items()
         if callable(fn) and not name.startswith("_") and fn.__module__ == __name__}
CASES.update({f"matmul_{a}_{b}": _matmul(a, b) for a in (False, True) for b in (False, True)})
CASES.update({f"malformed_{name}": _malformed(*args) for name, args in _MALFORMED.items()})
