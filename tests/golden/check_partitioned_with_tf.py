"""Checks that TensorFlow restores minitf's checkpoints of partitioned variables.

Two steps, each in its own interpreter (minitf never runs beside TensorFlow):

    python3 tests/golden/check_partitioned_with_tf.py write DIR          # minitf trains saver_model and saves
    ~/tfref/bin/python tests/golden/check_partitioned_with_tf.py check DIR  # TensorFlow reads and restores it

``check`` has TensorFlow read every key of minitf's checkpoint and restore it into saver_model partitioned as
each of RESTORE_SHARDS, comparing with what TensorFlow restores from its own checkpoint
(tests/golden/partitioned_variables.json). It prints one line per check and exits non-zero on a mismatch.
"""
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import partitioned_programs as programs  # noqa: E402


def write(directory):
    sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))
    import minitf as tf
    programs.train_and_save(tf, os.path.join(directory, "model"))
    print("minitf saved", os.path.join(directory, "model"))


def check(directory):
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    record = json.load(open(os.path.join(HERE, "partitioned_variables.json")))
    prefix = os.path.join(directory, "model")
    reader = tf.train.load_checkpoint(prefix)
    for name, want in record["checkpoint"].items():
        np.testing.assert_allclose(reader.get_tensor(name), want, rtol=1e-6, atol=1e-7, err_msg=name)
        print("ok: TensorFlow reads", name)
    for case, shards in programs.RESTORE_SHARDS.items():
        restored = programs.restore(tf, prefix, shards)
        assert sorted(restored) == sorted(record["restores"][case])
        for name, want in record["restores"][case].items():
            np.testing.assert_allclose(restored[name], want, rtol=1e-6, atol=1e-7, err_msg=name)
        print("ok: TensorFlow restores it partitioned as", case)


if __name__ == "__main__":
    {"write": write, "check": check}[sys.argv[1]](sys.argv[2])
