"""Records TensorFlow 2.21's error classes for tests/longtail_error_cases.py.

    ~/tfref/bin/python tests/golden/make_longtail_errors.py     # -> tests/golden/longtail_errors.json
"""
import json
import os
import sys

import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import longtail_error_cases  # noqa: E402

results = {name: longtail_error_cases.run(tf, case) for name, case in longtail_error_cases.CASES.items()}
with open(os.path.join(HERE, "longtail_errors.json"), "w") as f:
    json.dump(results, f, indent=1, sort_keys=True)
print(results)
