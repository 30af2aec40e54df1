"""Records TensorFlow 2.21's tf.compat.v1 ``assert_*`` checks (``tf.assert_equal`` ... ``tf.assert_scalar``,
``tf.debugging``) for tests/test_asserts.py.

Run:  ~/tfref/bin/python tests/golden/make_asserts.py
Runs the programs of tests/golden/assert_programs.py (see program_runs.py) and writes tests/golden/asserts.json.
"""
import json
import os

import tensorflow.compat.v1 as tf

import assert_programs as programs
import program_runs
from tf_sessions import kernels_only_config

tf.disable_v2_behavior()
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "asserts.json")

if __name__ == "__main__":
    result = program_runs.record(tf, programs.PROGRAMS, programs.ERRORS, kernels_only_config())
    with open(OUT, "w") as f:
        json.dump(result, f, indent=0)
        f.write("\n")
    print("recorded", len(result["programs"]), "programs,", len(result["errors"]), "errors")
