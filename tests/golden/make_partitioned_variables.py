"""Records TensorFlow 2.21's tf.compat.v1 partitioned variables for tests/test_partitioned_variables.py.

Run:  ~/tfref/bin/python tests/golden/make_partitioned_variables.py   (writes tests/golden/partitioned_variables.json)
Runs the programs of tests/golden/partitioned_programs.py (see program_runs.py) and records their facts.
"""
import json
import os

import tensorflow.compat.v1 as tf

import partitioned_programs as programs
import program_runs

tf.disable_v2_behavior()
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "partitioned_variables.json")

if __name__ == "__main__":
    result = program_runs.record(tf, programs.PROGRAMS, programs.ERRORS)
    result["facts"] = {name: fact(tf) for name, fact in programs.FACTS.items()}
    with open(OUT, "w") as f:
        json.dump(result, f, indent=0)
        f.write("\n")
    print("recorded", len(result["programs"]), "programs,", len(result["errors"]), "errors")
