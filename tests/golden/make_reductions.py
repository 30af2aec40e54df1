"""Records TensorFlow 2.21's float sums and means for tests/test_eigen_sum.py.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_reductions.py
Inputs come from numpy's seeded generator (the test regenerates them and checks their hash); inputs are fed
through placeholders so that grappler cannot fold the reductions at graph-optimisation time.
Writes tests/golden/reductions.json: per case, the input hash and the raw bytes (hex) of Sum and Mean.
"""
import hashlib
import json
import os

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

# (shape, axis): full sums around Eigen's packet, unroll, leaf and thread thresholds; inner, outer, middle and
# first-and-last reductions; size-1 axes; more than three runs (TensorFlow transposes).
CASES = [
    ((1,), None), ((7,), None), ((8,), None), ((17,), None), ((31,), None), ((33,), None), ((100,), None),
    ((1000,), None), ((8192,), None), ((8193,), None), ((16385,), None), ((129231,), None), ((262147,), None),
    ((1000001,), None), ((40, 3), None),
    ((7, 33), 1), ((3, 1000), 1), ((2, 9001), 1), ((33, 7), 0), ((100, 10), 0), ((128, 10), 0), ((5, 17), 0),
    ((1000, 384), 0), ((4, 20, 9), 1), ((4, 20, 16), 1), ((3, 5, 7), (0, 2)), ((2, 3, 4, 5), (1, 3)),
    ((2, 3, 4, 5), (0, 1, 2)), ((6, 1, 40), 0), ((1, 1, 5), (0, 1)), ((64, 12, 12, 16), (0, 1, 2)),
]


def make_input(index, shape, dtype):
    return (np.random.default_rng(index).standard_normal(shape) * 3 + 1).astype(dtype)


def main():
    records = []
    with tf.Session() as sess:
        for index, (shape, axis) in enumerate(CASES):
            for dtype in (np.float32, np.float64):
                x = make_input(index, shape, dtype)
                p = tf.placeholder(dtype, [None] * len(shape))
                total, mean = sess.run([tf.reduce_sum(p, axis), tf.reduce_mean(p, axis)], {p: x})
                records.append({"shape": list(shape), "axis": axis, "dtype": np.dtype(dtype).name,
                                "input_sha256": hashlib.sha256(x.tobytes()).hexdigest(),
                                "sum": np.asarray(total).tobytes().hex(), "mean": np.asarray(mean).tobytes().hex()})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reductions.json")
    with open(path, "w") as f:
        json.dump(records, f, indent=0)
    print("wrote", path)


if __name__ == "__main__":
    main()
