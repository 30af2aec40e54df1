"""Records TensorFlow 2.21's tf.compat.v1 ``map_fn``, ``scan``, ``foldl`` and ``foldr`` (v1 control flow:
TensorArrays in a while loop) for tests/test_functional.py.

Run:  ~/tfref/bin/python tests/golden/make_functional.py
Runs the programs of tests/golden/functional_programs.py (see program_runs.py) and writes
tests/golden/functional.json.
"""
import json
import os

import tensorflow.compat.v1 as tf

import functional_programs as programs
import program_runs
from tf_sessions import kernels_only_config

tf.disable_v2_behavior()
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "functional.json")

if __name__ == "__main__":
    result = program_runs.record(tf, {**programs.PROGRAMS, **programs.GRADIENT_PROGRAMS}, programs.ERRORS,
                                 kernels_only_config())
    with open(OUT, "w") as f:
        json.dump(result, f, indent=0)
        f.write("\n")
    print("recorded", len(result["programs"]), "programs,", len(result["errors"]), "errors")
