"""Partitioned variables against TensorFlow 2.21's tf.compat.v1: get_variable / variable_scope with
fixed_size_partitioner, variable_axis_size_partitioner and min_max_variable_partitioner make TensorFlow's parts
(names, shapes, which parts get the extra rows, per-part initial values of seeded initializers), nodes, collections
and slice specs; reuse returns the same PartitionedVariable; embedding_lookup ("mod" and "div") gives each part an
IndexedSlices gradient and optimizers update the parts as TensorFlow's do.

The programs are tests/golden/partitioned_programs.py; goldens come from
tests/golden/make_partitioned_variables.py.
"""
import json
import os

import pytest

import minitf as tf
from golden import partitioned_programs as programs
from golden import program_runs

RECORD = json.load(open(os.path.join(os.path.dirname(__file__), "golden", "partitioned_variables.json")))


@pytest.mark.parametrize("name", list(programs.PROGRAMS))
def test_program_matches_tensorflow(name):
    got = program_runs.run(tf, programs.PROGRAMS[name])
    program_runs.assert_same_run(got, RECORD["programs"][name])


@pytest.mark.parametrize("name", list(programs.FACTS))
def test_python_view_matches_tensorflow(name):
    assert json.loads(json.dumps(programs.FACTS[name](tf))) == RECORD["facts"][name]


@pytest.mark.parametrize("name", list(programs.ERRORS))
def test_construction_error_matches_tensorflow(name):
    assert program_runs.construction_error(tf, programs.ERRORS[name]) == RECORD["errors"][name]
