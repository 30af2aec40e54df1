"""Records which ops of a small training program TensorFlow 2.21 marks `_has_manual_control_dependencies`
(the ops used as control inputs) for tests/test_longtail.py.

    ~/tfref/bin/python tests/golden/make_graph_attrs.py     # -> tests/golden/graph_attrs.json
"""
import json
import os
import sys

import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from longtail_error_cases import manual_control_dependencies_program  # noqa: E402

manual_control_dependencies_program(tf)
marked = sorted(node.name for node in tf.get_default_graph().as_graph_def().node
                if node.attr["_has_manual_control_dependencies"].b)
with open(os.path.join(HERE, "graph_attrs.json"), "w") as f:
    json.dump({"manual_control_dependencies": marked}, f, indent=1)
print(marked)
