"""Records what TensorFlow 2.21's tf.compat.v1.train.Saver and checkpoint helpers do, for tests/test_saver*.py.

Run with the reference TensorFlow (never imported by the test suite):

    ~/tfref/bin/python tests/golden/make_saver_fixtures.py [CASE ...]   # only CASE...: updates golden.json

Writes, under tests/fixtures/saver/:
- ``golden.json``: the result of every case in tests/saver_cases.py (files left on disk after each save, state
  file texts, restored values, error classes and messages, the nodes a Saver adds), plus what TensorFlow does
  with the two fixtures below.
- ``seed000/``: the checkpoints seeds/000's first listing leaves that its second listing restores
  (``checkpoint/linear.ckpt-100``, ``checkpoint/linear.ckpt``, ``weight/linear.ckpt-80``, both state files and
  ``checkpoint/linear.ckpt-100.meta``).
- ``tf_model/``: ``model-7.{index,data-00000-of-00001,meta}`` and ``checkpoint`` of tests/saver_cases.py's
  ``build_linear_model`` after 7 training steps.
"""

import json
import os
import re
import shutil
import sys
import tempfile

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import saver_cases  # noqa: E402

FIXTURES = os.path.join(HERE, "..", "fixtures", "saver")


def run_case(case, directory=None):
    """Runs ``case(tf)`` with a fresh temporary directory (or ``directory``) as the working directory."""
    start = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(directory or tmp)
        try:
            return case(tf)
        finally:
            os.chdir(start)


def clean_message(message):
    """A TensorFlow run-time error message without the stack traces: ``<Saver's wrapper text><kernel message>``.

    TensorFlow's message is ``<wrapper>Graph execution error:\n\nDetected at node ... Node: 'name'\n<kernel
    message>\n\t [[{{node name}}]]\n\nOriginal stack trace ...``.
    """
    match = re.search(r"Graph execution error:.*?\nNode: '([^']*)'\n(.*?)\n\t \[\[\{\{node ", message, re.S)
    if match is None:
        return message, None
    return message[:message.index("Graph execution error:")] + match.group(2), match.group(1)


def clean_errors(value):
    """Replaces every recorded error's message by its clean form, adding the failing node's name if any."""
    if isinstance(value, dict):
        if set(value) == {"class", "message"}:
            message, node = clean_message(value["message"])
            return dict(value, message=message, **({"node": node} if node else {}))
        return {key: clean_errors(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clean_errors(item) for item in value]
    return value


def copy_files(source, names, target):
    os.makedirs(target, exist_ok=True)
    for name in names:
        os.makedirs(os.path.dirname(os.path.join(target, name)) or target, exist_ok=True)
        shutil.copyfile(os.path.join(source, name), os.path.join(target, name))


def seed000(golden):
    """Both listings of seeds/000 in one directory; keeps the checkpoints the second listing reads."""
    with tempfile.TemporaryDirectory() as tmp:
        golden["seed000_save"] = run_case(saver_cases.seed000_save, tmp)
        golden["seed000_restore"] = run_case(saver_cases.seed000_restore, tmp)
        target = os.path.join(FIXTURES, "seed000")
        shutil.rmtree(target, ignore_errors=True)
        data = ".data-00000-of-00001"
        copy_files(tmp, ["checkpoint/checkpoint", "checkpoint/linear.ckpt-100.index",
                         "checkpoint/linear.ckpt-100" + data, "checkpoint/linear.ckpt-100.meta",
                         "checkpoint/linear.ckpt.index", "checkpoint/linear.ckpt" + data,
                         "weight/checkpoint", "weight/linear.ckpt-80.index", "weight/linear.ckpt-80" + data],
                   target)


def describe_meta_graph(meta_graph_def):
    return {"saver_def": str(meta_graph_def.saver_def),
            "collections": {key: str(value.WhichOneof("kind")) for key, value in
                            sorted(meta_graph_def.collection_def.items())},
            "train_op": list(meta_graph_def.collection_def["train_op"].node_list.value),
            "nodes": [node.name for node in meta_graph_def.graph_def.node]}


def tf_model(golden):
    """Trains build_linear_model 7 steps, saves it (with meta graph and state file), and records one more step."""
    target = os.path.join(FIXTURES, "tf_model")
    shutil.rmtree(target, ignore_errors=True)
    start = os.getcwd()
    os.chdir(FIXTURES)
    try:
        with tf.Graph().as_default():
            loss, train_op, global_step = saver_cases.build_linear_model(tf)
            saver = tf.train.Saver(max_to_keep=3)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                for _ in range(7):
                    sess.run(train_op)
                path = saver.save(sess, "tf_model/model", global_step=global_step)
                meta = saver.export_meta_graph()
    finally:
        os.chdir(start)
    prefix = os.path.join(FIXTURES, path)
    reader = tf.train.load_checkpoint(prefix)
    saved = {name: saver_cases.as_json(reader.get_tensor(name)) for name in reader.get_variable_to_shape_map()}
    with tf.Graph().as_default():
        state = tf.train.get_checkpoint_state(target)
        imported = tf.train.import_meta_graph(state.model_checkpoint_path + ".meta")
        with tf.Session() as sess:
            imported.restore(sess, state.model_checkpoint_path)
            step_loss, _ = sess.run([tf.get_collection("loss")[0], tf.get_collection("train_op")[0]])
            after = {name: saver_cases.as_json(sess.run(name + ":0"))
                     for name in ("linear/weight", "linear/bias", "global_step")}
    golden["tf_model"] = {"path": path, "saved": saved, "state": saver_cases.read_text(os.path.join(target,
                                                                                                    "checkpoint")),
                          "loss_at_step_7": float(step_loss), "after_one_step": after,
                          "meta_graph": describe_meta_graph(meta)}


def main(names):
    """Records every case (and rewrites the fixtures), or only the cases ``names`` into the existing golden.json."""
    if names:
        with open(os.path.join(FIXTURES, "golden.json")) as f:
            golden = json.load(f)
        for name in names:
            golden[name] = clean_errors(run_case(saver_cases.CASES[name]))
        with open(os.path.join(FIXTURES, "golden.json"), "w") as out:
            json.dump(golden, out, indent=1, sort_keys=True)
            out.write("\n")
        return
    golden = {}
    seed000(golden)
    for name, case in saver_cases.CASES.items():
        if name != "seed000_save":
            golden[name] = run_case(case)
    tf_model(golden)
    with open(os.path.join(FIXTURES, "golden.json"), "w") as out:
        json.dump(clean_errors(golden), out, indent=1, sort_keys=True)
        out.write("\n")


if __name__ == "__main__":
    np.set_printoptions(precision=17)
    main(sys.argv[1:])
