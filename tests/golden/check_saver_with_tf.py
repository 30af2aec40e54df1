"""Checks that TensorFlow restores checkpoints and meta graphs written by minitf's tf.train.Saver.

Two steps, each in its own interpreter (minitf never runs beside TensorFlow):

    python3 tests/golden/check_saver_with_tf.py write DIR          # minitf trains, saves, records expectations
    ~/tfref/bin/python tests/golden/check_saver_with_tf.py check DIR  # TensorFlow restores and compares

``write`` runs tests/saver_cases.py's ``build_linear_model`` for 3 steps, saving after each with
``Saver(max_to_keep=2)`` (relative paths, so the state file is as TensorFlow writes it), then one more step whose
values go to ``expected.npz``; it also saves variables of several dtypes under renamed keys. ``check`` has
TensorFlow (1) read the state file, (2) ``import_meta_graph`` the latest ``.meta``, restore it and compare every
variable exactly, then run the imported ``train_op`` and compare with minitf's step (float32 rounding),
(3) restore the same checkpoint into a graph TensorFlow builds itself, (4) restore the renamed-key checkpoint, and
(5) import the meta graph of a ``Saver(sharded=True)`` checkpoint (variables on two devices, two data files) and
restore it.
It prints one line per check and exits non-zero on the first mismatch.
"""

import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import saver_cases  # noqa: E402


def write(directory):
    tf = saver_cases.minitf_namespace()
    os.makedirs(directory, exist_ok=True)
    os.chdir(directory)
    expected = {}
    with tf.Graph().as_default():
        loss, train_op, global_step = saver_cases.build_linear_model(tf)
        saver = tf.train.Saver(max_to_keep=2)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(train_op)
                saver.save(sess, "model/model", global_step=global_step)
            names = saver_cases.MODEL_VARIABLES
            for name, value in zip(names, sess.run([name + ":0" for name in names])):
                expected["saved/" + name] = np.asarray(value)
            expected["loss_at_step_3"] = np.asarray(sess.run(loss))
            sess.run(train_op)
            for name in ("linear/weight", "linear/bias", "global_step"):
                expected["after_step/" + name] = np.asarray(sess.run(name + ":0"))
    with tf.Graph().as_default():
        made = saver_cases.make_variables(tf, saver_cases.several_dtypes())
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            tf.train.Saver({"renamed/" + name: var for name, var in made.items()}).save(sess, "dtypes/model")
    with tf.Graph().as_default():
        with tf.device("/cpu:0"):
            made = saver_cases.make_variables(tf, saver_cases.several_dtypes())
        tf.Variable(np.int64(11), name="on_no_device")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            os.makedirs("sharded")  # a sharded save writes into sharded/model-1_temp/: its parent must exist
            tf.train.Saver(sharded=True).save(sess, "sharded/model", global_step=1)
    np.savez(os.path.join(directory, "expected.npz"), **expected)
    print("minitf wrote", sorted(os.listdir("model")), "and", sorted(os.listdir("dtypes")), "and",
          sorted(os.listdir("sharded")))


def check(directory):
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()
    expected = dict(np.load(os.path.join(directory, "expected.npz"), allow_pickle=True))

    def same(name, actual, wanted, exact=True):
        actual, wanted = np.asarray(actual), np.asarray(wanted)
        ok = actual.shape == wanted.shape and (
            actual.tolist() == wanted.tolist() if exact or actual.dtype.kind not in "fc"
            else np.allclose(actual, wanted, rtol=2e-6, atol=1e-7))
        if not ok:
            sys.exit("MISMATCH %s: TensorFlow %r, minitf %r" % (name, actual, wanted))

    model_dir = os.path.join(directory, "model")
    state = tf.train.get_checkpoint_state(model_dir)
    wanted_paths = [os.path.join(model_dir, "model-2"), os.path.join(model_dir, "model-3")]
    if state.model_checkpoint_path != wanted_paths[1] or list(state.all_model_checkpoint_paths) != wanted_paths:
        sys.exit("MISMATCH state file: %s" % state)
    if tf.train.latest_checkpoint(model_dir) != wanted_paths[1]:
        sys.exit("MISMATCH latest_checkpoint")
    print("OK state file: model-2, model-3 (model-1 deleted by max_to_keep=2)")

    names = saver_cases.MODEL_VARIABLES
    with tf.Graph().as_default():
        saver = tf.train.import_meta_graph(state.model_checkpoint_path + ".meta")
        with tf.Session() as sess:
            saver.restore(sess, state.model_checkpoint_path)
            for name in names:
                same(name, sess.run(name + ":0"), expected["saved/" + name])
            print("OK import_meta_graph + restore: %d variables equal minitf's" % len(names))
            loss = tf.get_collection("loss")[0]
            same("loss", sess.run(loss), expected["loss_at_step_3"], exact=False)
            sess.run(tf.get_collection("train_op")[0])
            for name in ("linear/weight", "linear/bias", "global_step"):
                same("after one step: " + name, sess.run(name + ":0"), expected["after_step/" + name], exact=False)
            print("OK imported train_op runs: one more step matches minitf's (float32 rounding)")

    with tf.Graph().as_default():
        saver_cases.build_linear_model(tf)
        saver = tf.train.Saver()
        with tf.Session() as sess:
            saver.restore(sess, state.model_checkpoint_path)
            for name in names:
                same(name, sess.run(name + ":0"), expected["saved/" + name])
    print("OK TensorFlow's own graph restores minitf's checkpoint")

    values = saver_cases.several_dtypes()
    with tf.Graph().as_default():
        zeros = {name: (np.zeros_like(v) if v.dtype != object else np.array([b"?"] * v.size, dtype=object))
                 for name, v in values.items()}
        made = saver_cases.make_variables(tf, zeros)
        saver = tf.train.Saver({"renamed/" + name: var for name, var in made.items()})
        with tf.Session() as sess:
            saver.restore(sess, os.path.join(directory, "dtypes", "model"))
            for name, var in made.items():
                same(name, sess.run(var), values[name])
    print("OK renamed keys, %d dtypes restored exactly" % len(values))

    sharded = os.path.join(directory, "sharded", "model-1")
    with tf.Graph().as_default():
        saver = tf.train.import_meta_graph(sharded + ".meta")
        if not saver.saver_def.sharded:
            sys.exit("MISMATCH: the sharded Saver's SaverDef is not sharded")
        with tf.Session() as sess:
            saver.restore(sess, sharded)
            for name in values:
                same(name, sess.run(name + ":0"), values[name])
            same("on_no_device", sess.run("on_no_device:0"), 11)
    print("OK Saver(sharded=True) on two devices: TensorFlow imports its meta graph and restores %d variables"
          % (len(values) + 1))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("write", "check"):
        sys.exit(__doc__)
    (write if sys.argv[1] == "write" else check)(os.path.abspath(sys.argv[2]))
