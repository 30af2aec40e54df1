"""Sparse tensors, parse_example / parse_single_example, decode_raw, decode_csv and string_to_number against
TensorFlow 2.21: graph nodes, static dtypes and shapes, values, and errors (class and message).

The programs are tests/golden/parsing_programs.py; goldens come from tests/golden/make_parsing_ops.py.
"""
import json
import os

import pytest

import minitf as tf
from golden import parsing_programs, program_cases

RECORD = json.load(open(os.path.join(os.path.dirname(__file__), "golden", "parsing_ops.json")))


@pytest.mark.parametrize("name", sorted(parsing_programs.CASES))
def test_matches_tensorflow(name):
    program_cases.compare(program_cases.record(tf, parsing_programs.CASES[name]), RECORD[name])
