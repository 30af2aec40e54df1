"""Records TensorFlow 2.21's IndexedSlices gradients and sparse optimizer updates for tests/test_indexed_slices.py.

Run:  ~/tfref/bin/python tests/golden/make_indexed_slices.py   (writes tests/golden/indexed_slices.json)
For each program of tests/golden/indexed_slices_programs.py: the graph's nodes and the fetched values (an
IndexedSlicesValue as [values, indices, dense_shape]).
"""
import json
import os

import numpy as np
import tensorflow.compat.v1 as tf

import indexed_slices_programs as programs

tf.disable_v2_behavior()
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "indexed_slices.json")


def plain(value):
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return np.asarray(value).tolist()


if __name__ == "__main__":
    result = {}
    for name, build in programs.PROGRAMS.items():
        nodes, values = programs.run(tf, build)
        result[name] = {"nodes": nodes, "values": {k: plain(v) for k, v in values.items()}}
    with open(OUT, "w") as f:
        json.dump(result, f, separators=(",", ":"))
        f.write("\n")
    print("recorded", len(result), "programs")
