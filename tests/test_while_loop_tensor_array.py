"""tf.while_loop with TensorArray loop variables (in a nested structure) as TensorFlow 2.21 builds and runs it
(tests/golden/make_while_loop_tensor_array.py): the same nodes, the loop's TensorArrays, result and gradient."""
import os
import sys

import numpy as np

import minitf as tf
from helpers import golden

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden"))
import make_while_loop_tensor_array as program  # noqa: E402

GOLDEN = golden("golden/while_loop_tensor_array.json")


def test_tensor_array_loop_variables_as_tensorflow():
    ours = program.run(tf)
    assert ours["kind"] == GOLDEN["kind"] == "TensorArray"
    assert ours["nodes"] == GOLDEN["nodes"]
    np.testing.assert_array_equal(ours["result"], GOLDEN["result"])
    np.testing.assert_array_equal(ours["grad"], GOLDEN["grad"])
