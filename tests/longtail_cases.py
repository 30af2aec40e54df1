"""Cases for the less common TF1 ops (special functions, scans, coordinate indexing, linear algebra ...), shared by
tests/golden/make_ops.py (run under TensorFlow) and tests/test_ops.py (minitf); same format as tests/op_cases.py.
tests/golden/longtail_nodes.json also records each case's forward graph (node names and op types)."""
import numpy as np

from op_cases import _v, data, unary


def _int(tf, values):
    return tf.constant(np.asarray(values, dtype=np.int32))


CASES = {
    "erf": unary("erf"), "erfc": unary("erfc"), "lgamma": unary("lgamma", 0.3, 4.0),
    "digamma": lambda tf: (tf.digamma(_v(tf, 3, 4, low=0.3, high=4.0)), []),
    "cumsum": lambda tf: (lambda x: (tf.cumsum(x, axis=1), [x]))(_v(tf, 3, 4)),
    "cumsum_excl_rev": lambda tf: (lambda x: (tf.cumsum(x, 0, exclusive=True, reverse=True), [x]))(_v(tf, 3, 4)),
    "cumsum_int": lambda tf: (tf.cumsum(_int(tf, [[1, 2, 3], [4, 5, 6]]), -1, exclusive=True), []),
    "cumprod": lambda tf: (lambda x: (tf.cumprod(x), [x]))(_v(tf, 3, 4, low=0.5, high=2.0)),
    "cumprod_excl_rev": lambda tf: (lambda x: (tf.cumprod(x, 1, exclusive=True, reverse=True), [x]))(
        _v(tf, 3, 4, low=0.5, high=2.0)),
    "gather_nd": lambda tf: (lambda x: (tf.gather_nd(x, [[1, 2], [0, 0], [1, 2]]), [x]))(_v(tf, 3, 4)),
    "gather_nd_slices": lambda tf: (lambda x: (tf.gather_nd(x, [[[1], [0]], [[2], [2]]]), [x]))(_v(tf, 3, 4, 2)),
    "scatter_nd": lambda tf: (lambda u: (tf.scatter_nd([[1], [3], [1]], u, [5, 3]), [u]))(_v(tf, 3, 3)),
    "scatter_nd_scalars": lambda tf: (lambda u: (tf.scatter_nd([[0, 1], [2, 2]], u, tf.constant([3, 4])), [u]))(
        _v(tf, 2)),
    "sequence_mask": lambda tf: (tf.sequence_mask([1, 3, 2]), []),
    "sequence_mask_maxlen": lambda tf: (tf.sequence_mask(_int(tf, [[1, 0], [4, 2]]), 5, dtype=tf.float32), []),
    "reverse_v2": lambda tf: (lambda x: (tf.reverse_v2(x, [0, -1]), [x]))(_v(tf, 2, 3, 4)),
}
del data
