"""Records TensorFlow 2.21's sparse ops for tests/test_sparse_ops.py.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_sparse_ops.py
Runs every case of tests/golden/sparse_programs.py through tests/golden/program_cases.py and writes
tests/golden/sparse_ops.json: per case, the graph's nodes, the fetches' static dtypes and shapes, their values or
the error (class and message) raised at construction or at run time.
"""
import json
import os

import tensorflow.compat.v1 as tf

import program_cases
import sparse_programs

tf.disable_v2_behavior()
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sparse_ops.json")


def main():
    record = {name: program_cases.record(tf, build) for name, build in sparse_programs.CASES.items()}
    with open(OUT, "w") as f:
        json.dump(record, f, separators=(",", ":"), sort_keys=True)
        f.write("\n")
    print("recorded", len(record), "cases")


main()
