"""Records TensorFlow 2.21's behaviour for tests/test_ptb_tutorial.py: the ops TensorFlow's PTB tutorial
(tutorials/rnn/ptb of tensorflow/models) needed that minitf lacked (ptb_ops_programs.py: ``tf.nn.xw_plus_b`` and
TensorFlow 1.15's ``tf.contrib.seq2seq.sequence_loss``, rebuilt in ptb_tf_contrib.py; the gradients of reductions
and the static values of Ranges that sequence_loss's graph showed), and what the PTB
language-model program of tests/tutorials/ptb prints and the exact cost of each of its steps, seeded, for its tiny
and dropout configurations (tests/ptb_tutorial_cases.py), with TensorFlow's graph rewriting on (its default) and off;
and the files it saves with --save_path.

Needs tf_keras in the reference venv (TensorFlow 1's rnn cells).
Run:  ~/tfref/bin/python tests/golden/make_ptb_tutorial.py   (writes tests/golden/ptb_tutorial.json)
"""
import json
import os
import sys

os.environ["TF_USE_LEGACY_KERAS"] = "1"

import tensorflow.compat.v1 as tf  # noqa: E402
from tensorflow.python.framework import tensor_util  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import ptb_ops_programs as programs  # noqa: E402
import ptb_tutorial_cases as cases  # noqa: E402
import ptb_tf_contrib  # noqa: E402
from tf_sessions import kernels_only_config  # noqa: E402

tf.disable_v2_behavior()

if __name__ == "__main__":
    result = {"ops": programs.record(tf, ptb_tf_contrib.contrib(tf), tensor_util.constant_value,
                                     kernels_only_config()),
              "tutorial": cases.record(cases.TENSORFLOW),
              "tutorial_without_grappler": cases.record(cases.TENSORFLOW, grappler=False),
              "saved": cases.saved_files(cases.TENSORFLOW, tf.train.list_variables)}
    with open(os.path.join(HERE, "ptb_tutorial.json"), "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
        f.write("\n")
