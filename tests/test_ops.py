"""Every case in tests/op_cases.py: value, dtype, static shape and gradients equal TensorFlow 2.21's.

Goldens come from tests/golden/make_ops.py. Element-wise float32 results must match exactly; results that pass
through a float reduction or a matrix product (reductions, matmul, gradients that sum over broadcast axes) are
compared at float32 rounding level, because numpy and Eigen add in different orders.
"""
import json
import os

import numpy as np
import pytest

import minitf as tf
from op_cases import CASES, data

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = np.load(os.path.join(HERE, "golden", "ops.npz"))
META = json.load(open(os.path.join(HERE, "golden", "ops.json")))


@pytest.mark.parametrize("name", sorted(CASES))
def test_op_case(name):
    tf.reset_default_graph()
    out, xs = CASES[name](tf)
    meta = META[name]
    assert out.dtype.name == meta["dtype"]
    assert (out.shape.as_list() if out.shape.ndims is not None else None) == meta["shape"]
    fetches = {"out": out}
    grads = []
    if xs:
        weights = tf.constant(data(*out.shape.as_list(), seed=99, low=0.5, high=1.5)
                              .astype(out.dtype.as_numpy_dtype))
        grads = tf.gradients(tf.reduce_sum(out * weights), xs)
        fetches["grads"] = {i: g for i, g in enumerate(grads) if g is not None}
    assert [g is not None for g in grads] == meta["grads"]
    with tf.Session() as sess:
        values = sess.run(fetches)
    expected = GOLDEN[f"{name}/out"]
    assert np.asarray(values["out"]).dtype == expected.dtype
    np.testing.assert_allclose(values["out"], expected, rtol=2e-6, atol=1e-6)
    for i, g in values.get("grads", {}).items():
        np.testing.assert_allclose(g, GOLDEN[f"{name}/grad{i}"], rtol=2e-6, atol=1e-6, err_msg=f"grad {i}")
