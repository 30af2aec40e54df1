"""Records TensorFlow 2.21's v1 control-flow graphs and results for tests/control_flow_cases.py.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_control_flow.py
For each case: the GraphDef node list (name, op, inputs, attrs), and per feed dict the fetched values or the
error class and message; stderr is captured for tf.Print. For each construction error: its class and message.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

import tensorflow.compat.v1 as tf  # noqa: E402

tf.disable_v2_behavior()
import control_flow_cases  # noqa: E402
from tf_sessions import kernels_only_config  # noqa: E402


def main():
    from control_flow_runner import record_case, record_error
    cases = {name: record_case(tf, fn, kernels_only_config()) for name, fn in control_flow_cases.CASES.items()}
    errors = {name: record_error(tf, fn) for name, fn in control_flow_cases.ERRORS.items()}
    with open(os.path.join(HERE, "control_flow.json"), "w") as f:
        json.dump({"cases": cases, "errors": errors}, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
