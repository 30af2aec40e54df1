"""Records TensorFlow 2.21's tf.image ops for
tests/test_image_ops.py.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_image_ops.py
Runs every case of tests/golden/image_programs.py through tests/golden/program_cases.py and writes
tests/golden/image_ops.json: per case, the graph's nodes, the fetches' static dtypes and shapes, their values or
the error (class and message) raised at construction or at run time.
"""
import json
import os

import tensorflow.compat.v1 as tf

import image_programs
import program_cases

tf.disable_v2_behavior()
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "image_ops.json")


def main():
    record = {name: program_cases.record(tf, build) for name, build in image_programs.CASES.items()}
    with open(OUT, "w") as f:
        json.dump(record, f, separators=(",", ":"), sort_keys=True)


main()
