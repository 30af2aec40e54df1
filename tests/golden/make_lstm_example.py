"""Records what examples/lstm/lstm_digits.py prints under TensorFlow 2.21 (tf.compat.v1 with tf_keras's legacy
cells and layers) for tests/test_rnn.py: 101 steps with dynamic_rnn and with static_rnn, same seeds.

Run:  ~/tfref/bin/python tests/golden/make_lstm_example.py   (writes tests/golden/lstm_example.json)
"""
import json
import os
import sys

os.environ["TF_USE_LEGACY_KERAS"] = "1"

import tensorflow.compat.v1 as tf  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "examples", "lstm"))
import lstm_digits  # noqa: E402

tf.disable_v2_behavior()

if __name__ == "__main__":
    result = {mode: list(lstm_digits.train(tf, 101, static=(mode == "static"))) for mode in ("dynamic", "static")}
    with open(os.path.join(HERE, "lstm_example.json"), "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    print(result)
