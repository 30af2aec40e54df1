"""Records TensorFlow 2.21's tf.compat.v1 ``py_func``, ``numpy_function``, ``verify_tensor_all_finite`` and
``add_check_numerics_ops`` for tests/test_py_func.py.

Run:  ~/tfref/bin/python tests/golden/make_py_func.py
Runs the programs of tests/golden/py_func_programs.py (see program_runs.py) and writes tests/golden/py_func.json.
"""
import json
import os

import tensorflow.compat.v1 as tf

import program_runs
import py_func_programs as programs
from tf_sessions import kernels_only_config

tf.disable_v2_behavior()
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "py_func.json")

if __name__ == "__main__":
    result = program_runs.record(tf, programs.PROGRAMS, programs.ERRORS, kernels_only_config())
    with open(OUT, "w") as f:
        json.dump(result, f, indent=0, sort_keys=False)
        f.write("\n")
    print("recorded", len(result["programs"]), "programs,", len(result["errors"]), "errors")
