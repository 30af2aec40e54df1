"""Every case in tests/op_cases.py and tests/nn_cases.py: value, dtype, static shape and gradients equal
TensorFlow 2.21's.

Goldens come from tests/golden/make_ops.py. Element-wise float32 results match exactly; results that pass through
a matrix product or a kernel's own reduction (matmul, convolutions, softmax, pooling gradients) are compared at
float32 rounding level, because BLAS and oneDNN/Eigen add in different orders (see docs/exactness.md).
"""
import os

import numpy as np
import pytest

import minitf as tf
import longtail_cases
import nn_cases
import op_cases
from helpers import golden

HERE = os.path.dirname(os.path.abspath(__file__))
SETS = {
    # stem: (cases, rtol, atol)
    "ops": (op_cases.CASES, 2e-6, 1e-6),
    "nn": (nn_cases.CASES, 1e-5, 1e-5),
    "longtail": (longtail_cases.CASES, 2e-6, 1e-6),
}
GOLDEN = {stem: golden(f"golden/{stem}.npz") for stem in SETS}
META = {stem: golden(f"golden/{stem}.json") for stem in SETS}
NODES = {"longtail": golden("golden/longtail_nodes.json")}


@pytest.mark.parametrize("stem,name", [(stem, name) for stem, (cases, _, _) in SETS.items() for name in sorted(cases)])
def test_op_case(stem, name):
    cases, rtol, atol = SETS[stem]
    tf.reset_default_graph()
    out, xs = cases[name](tf)
    meta = META[stem][name]
    assert out.dtype.name == meta["dtype"]
    assert (out.shape.as_list() if out.shape.ndims is not None else None) == meta["shape"]
    if stem in NODES:
        assert [[op.name, op.type] for op in tf.get_default_graph().get_operations()] == NODES[stem][name]
    fetches = {"out": out}
    grads = []
    if xs:
        weights = tf.constant(op_cases.data(*out.shape.as_list(), seed=99, low=0.5, high=1.5)
                              .astype(out.dtype.as_numpy_dtype))
        grads = tf.gradients(tf.reduce_sum(out * weights), xs)
        fetches["grads"] = {i: tf.convert_to_tensor(g) for i, g in enumerate(grads) if g is not None}  # as make_ops
    assert [g is not None for g in grads] == meta["grads"]
    with tf.Session() as sess:
        values = sess.run(fetches)
    expected = GOLDEN[stem][f"{name}/out"]
    assert np.asarray(values["out"]).dtype == expected.dtype
    np.testing.assert_allclose(values["out"], expected, rtol=rtol, atol=atol)
    for i, g in values.get("grads", {}).items():
        np.testing.assert_allclose(g, GOLDEN[stem][f"{name}/grad{i}"], rtol=rtol, atol=atol, err_msg=f"grad {i}")
