"""tf.sparse ops against TensorFlow 2.21: sparse_tensor_dense_matmul (adjoints, gradients w.r.t. the values and
the matrix), sparse_reduce_sum (axes, keepdims, gradient), sparse_reorder (gradient), sparse_reshape, sparse_add
(sparse + sparse with threshold and gradients, sparse + dense), sparse_concat, sparse_retain,
sparse_fill_empty_rows (gradient), invert_permutation and sparse_placeholder: node for node, static shapes, values,
and the errors TensorFlow raises (class and message) at construction and at run time.

The cases are tests/golden/sparse_programs.py; goldens come from tests/golden/make_sparse_ops.py.
"""
import json
import os

import pytest

import minitf as tf
from golden import program_cases, sparse_programs

RECORD = json.load(open(os.path.join(os.path.dirname(__file__), "golden", "sparse_ops.json")))


@pytest.mark.parametrize("name", sorted(sparse_programs.CASES))
def test_matches_tensorflow(name):
    program_cases.compare(program_cases.record(tf, sparse_programs.CASES[name]), RECORD[name])
