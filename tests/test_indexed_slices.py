"""tf.IndexedSlices against TensorFlow 2.21: the sparse gradients of gathers and embedding lookups (node for node,
values, indices, dense shape, fetched as IndexedSlicesValue), their aggregation (concatenated alone, AddN with a
dense gradient), conversion to dense with TensorFlow's warning, and every optimizer's sparse update after three
steps (only the looked-up rows change, except Adam's dense moment decay).

The programs are tests/golden/indexed_slices_programs.py; goldens come from tests/golden/make_indexed_slices.py.
"""
import json
import os
import warnings

import numpy as np
import pytest

import minitf as tf
from golden import indexed_slices_programs as programs

RECORD = json.load(open(os.path.join(os.path.dirname(__file__), "golden", "indexed_slices.json")))


def _assert_close(value, want, key):
    if isinstance(value, (list, tuple)):
        assert len(value) == len(want), key
        for i, (v, w) in enumerate(zip(value, want)):
            _assert_close(v, w, f"{key}/{i}")
        return
    np.testing.assert_allclose(np.asarray(value), np.asarray(want), rtol=1e-6, atol=1e-7, err_msg=key)


@pytest.mark.parametrize("name", list(programs.PROGRAMS))
def test_matches_tensorflow(name):
    nodes, values = programs.run(tf, programs.PROGRAMS[name])
    golden = RECORD[name]
    if name not in ("clipping", "max_norm_lookup"):
        assert nodes == golden["nodes"]
    assert sorted(values) == sorted(golden["values"])
    for key, want in golden["values"].items():
        _assert_close(values[key], want, key)


def test_gradient_is_fetched_as_indexed_slices_value():
    _, values = programs.run(tf, programs.gather_gradients)
    assert isinstance(values["grad"], tf.IndexedSlicesValue)
    assert values["grad"].indices.tolist() == [4, 2, 1, 4, 1, 0]


def test_untouched_rows_keep_their_values():
    before = np.arange(18, dtype=np.float32).reshape(6, 3) / 10.0 - 0.5
    _, values = programs.run(tf, programs.PROGRAMS["optimizer_momentum"])
    np.testing.assert_array_equal(values["table"][[3, 5]], before[[3, 5]])


def test_dense_conversion_of_unknown_shape_warns_as_tensorflow():
    with tf.Graph().as_default():
        slices = tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([1]),
                                  tf.placeholder(tf.int32, [2], name="shape"))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            dense = tf.convert_to_tensor(slices)
        assert "Converting sparse IndexedSlices" in str(caught[0].message)
        assert str(caught[0].message).endswith("to a dense Tensor of unknown shape. This may consume a large "
                                               "amount of memory.")
        with tf.Session() as sess:
            assert sess.run(dense, {"shape:0": [3, 2]}).tolist() == [[0, 0], [1, 2], [0, 0]]
