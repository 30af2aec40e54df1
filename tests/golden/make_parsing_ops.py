"""Records TensorFlow 2.21's sparse tensors, parsing ops, decode_raw, decode_csv and string_to_number for
tests/test_parsing_ops.py.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_parsing_ops.py
Runs every case of tests/golden/parsing_programs.py through tests/golden/program_cases.py and writes
tests/golden/parsing_ops.json: per case, the graph's nodes, the fetches' static dtypes and shapes, their values or
the error (class and message) raised at construction or at run time.
"""
import json
import os

import tensorflow.compat.v1 as tf

import parsing_programs
import program_cases

tf.disable_v2_behavior()
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "parsing_ops.json")


def main():
    record = {name: program_cases.record(tf, build) for name, build in parsing_programs.CASES.items()}
    with open(OUT, "w") as f:
        json.dump(record, f, separators=(",", ":"), sort_keys=True)


main()
