"""Records tf.compat's helpers, the v2 behaviour switches and tf.arg_max/arg_min/floor_div for tests/test_compat.py.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_compat.py  (writes tests/golden/compat.json)
"""
import json
import os
import sys

import tensorflow.compat.v1 as tf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compat_programs import PROGRAMS  # noqa: E402

tf.disable_v2_behavior()
out = {name: program(tf) for name, program in PROGRAMS.items()}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "compat.json"), "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
