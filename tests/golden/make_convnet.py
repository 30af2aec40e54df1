"""Records TensorFlow 2.21's loss curve for tests/convnet_case.py (writes tests/golden/convnet.json).

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_convnet.py
"""
import json
import os
import sys

import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from convnet_case import train_losses  # noqa: E402

losses = train_losses(tf)
with open(os.path.join(HERE, "convnet.json"), "w") as f:
    json.dump({"losses": losses}, f, indent=1)
print(losses)
