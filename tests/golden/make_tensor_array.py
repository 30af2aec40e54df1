"""Records TensorFlow 2.21's tf.compat.v1 ``TensorArray`` (v1 control flow: TensorArrayV3 and its ops) for
tests/test_tensor_array.py.

Run:  ~/tfref/bin/python tests/golden/make_tensor_array.py
Runs the programs of tests/golden/tensor_array_programs.py (see program_runs.py) and writes
tests/golden/tensor_array.json.
"""
import json
import os

import tensorflow.compat.v1 as tf

import program_runs
import tensor_array_programs as programs
from tf_sessions import kernels_only_config

tf.disable_v2_behavior()
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tensor_array.json")

if __name__ == "__main__":
    result = program_runs.record(tf, programs.PROGRAMS, programs.ERRORS, kernels_only_config())
    with open(OUT, "w") as f:
        json.dump(result, f, indent=0)
        f.write("\n")
    print("recorded", len(result["programs"]), "programs,", len(result["errors"]), "errors")
