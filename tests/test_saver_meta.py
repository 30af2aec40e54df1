"""Meta graphs through the Saver: ``Saver.export_meta_graph`` / the ``.meta`` a save writes, and
``tf.train.import_meta_graph`` of TensorFlow's and minitf's files (seeds/000 and seeds/004's patterns).

TensorFlow's files are tests/fixtures/saver/ (tests/golden/make_saver_fixtures.py); TensorFlow importing minitf's
meta graphs is checked by tests/golden/check_saver_with_tf.py.
"""

import shutil
from pathlib import Path

import numpy as np
from google.protobuf import text_format
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import saver_cases
from minitf.framework import errors
from minitf.proto import meta_graph_pb2, saver_pb2
from helpers import golden

FIXTURES = Path(__file__).parent / "fixtures" / "saver"
GOLDEN = golden("fixtures/saver/golden.json")
tf = saver_cases.minitf_namespace()


def run_values(sess, names):
    return {name: saver_cases.as_json(sess.run(name + ":0")) for name in names}


# -- TensorFlow's meta graphs --------------------------------------------------------------------------------------

def test_seed004_import_tensorflow_meta_graph_restore_and_train(in_tmp):
    """seeds/004: get_checkpoint_state, import_meta_graph(path + '.meta'), restore; then the train_op runs."""
    shutil.copytree(FIXTURES / "tf_model", in_tmp / "cifar10_train")
    golden = GOLDEN["tf_model"]
    ckpt = tf.train.get_checkpoint_state("cifar10_train")
    with tf.Graph().as_default():
        saver = tf.train.import_meta_graph(ckpt.model_checkpoint_path + ".meta")
        assert str(saver.as_saver_def()) == golden["meta_graph"]["saver_def"]
        with tf.Session() as sess:
            saver.restore(sess, ckpt.model_checkpoint_path)
            assert run_values(sess, saver_cases.MODEL_VARIABLES) == golden["saved"]
            loss, _ = sess.run([tf.get_collection("loss")[0], tf.get_collection("train_op")[0]])
            np.testing.assert_allclose(loss, golden["loss_at_step_7"], rtol=2e-6)
            after = run_values(sess, ["linear/weight", "linear/bias", "global_step"])
    assert after["global_step"] == golden["after_one_step"]["global_step"] == 8
    for name in ("linear/weight", "linear/bias"):
        np.testing.assert_allclose(after[name], golden["after_one_step"][name], rtol=2e-6, atol=1e-7)


def test_tensorflow_sharded_saver_meta_graph_saves_and_restores(in_tmp):
    """The graph TensorFlow wrote with a Saver(sharded=True) (tests/graph_io_cases.py's sharded_saver; its meta graph
    holds no SaverDef): minitf runs TensorFlow's save/ nodes (StaticRegexFullMatch, ShardedFilename, SaveV2,
    MergeV2Checkpoints) and its restore_all."""
    meta = Path(__file__).parent / "fixtures" / "graphs" / "graph_io" / "sharded_saver.meta"
    with tf.Graph().as_default():
        tf.train.import_meta_graph(str(meta))
        saver = tf.train.Saver(saver_def=saver_pb2.SaverDef(
            filename_tensor_name="save/Const:0", save_tensor_name="save/Identity:0",
            restore_op_name="save/restore_all", sharded=True, version=saver_pb2.SaverDef.V2))
        with tf.Session() as sess:
            sess.run("init")
            (in_tmp / "ck").mkdir()
            path = saver.save(sess, "ck/model", global_step=2)
            assert path == "ck/model-2"
            assert sorted(p.name for p in (in_tmp / "ck").iterdir()) == [
                "checkpoint", "model-2.data-00000-of-00001", "model-2.index", "model-2.meta"]
            sess.run("weight/Assign", {"weight/initial_value:0": [[0.0, 0.0]]})
            saver.restore(sess, path)
            assert run_values(sess, ["weight", "count"]) == {"weight": [[1.5, -2.0]], "count": 3}


def test_seed000_import_meta_graph_alternative(in_tmp):
    """seeds/000's second way: import_meta_graph('./checkpoint/linear.ckpt-100.meta') and restore."""
    shutil.copytree(FIXTURES / "seed000", in_tmp, dirs_exist_ok=True)
    with tf.Graph().as_default():
        saver = tf.train.import_meta_graph("./checkpoint/linear.ckpt-100.meta")
        with tf.Session() as sess:
            saver.restore(sess, "./checkpoint/linear.ckpt-100")
            weight, bias = sess.run(["weight:0", "bias:0"])
    assert [weight.tolist(), bias.tolist()] == GOLDEN["seed000_restore"]["after_saver_1"]


# -- minitf's meta graphs ---------------------------------------------------------------------------------------

def train_and_save(steps=3):
    """build_linear_model trained ``steps`` steps and saved; returns (prefix, the MetaGraphDef the Saver exports)."""
    with tf.Graph().as_default():
        _, train_op, global_step = saver_cases.build_linear_model(tf)
        saver = tf.train.Saver(max_to_keep=3)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(steps):
                sess.run(train_op)
            prefix = saver.save(sess, "model/model", global_step=global_step)
            return prefix, saver.export_meta_graph(), run_values(sess, saver_cases.MODEL_VARIABLES)


def test_exported_meta_graph_matches_tensorflow(in_tmp):
    """The .meta a save writes has TensorFlow's SaverDef, collections, train_op and node names for the same model."""
    prefix, exported, _ = train_and_save()
    written = meta_graph_pb2.MetaGraphDef.FromString(Path(prefix + ".meta").read_bytes())
    golden = GOLDEN["tf_model"]["meta_graph"]
    for meta_graph_def in (written, exported):
        assert str(meta_graph_def.saver_def) == golden["saver_def"]
        assert {key: value.WhichOneof("kind") for key, value in meta_graph_def.collection_def.items()} == \
            golden["collections"]
        assert list(meta_graph_def.collection_def["train_op"].node_list.value) == golden["train_op"]
        assert [node.name for node in meta_graph_def.graph_def.node] == golden["nodes"]


def test_import_minitf_meta_graph_continues_training_exactly(in_tmp):
    prefix, _, saved = train_and_save(steps=3)
    with tf.Graph().as_default():
        _, train_op, _ = saver_cases.build_linear_model(tf)
        saver = tf.train.Saver()
        with tf.Session() as sess:
            saver.restore(sess, prefix)
            sess.run(train_op)
            continued = run_values(sess, saver_cases.MODEL_VARIABLES)
    with tf.Graph().as_default():
        saver = tf.train.import_meta_graph(prefix + ".meta")
        with tf.Session() as sess:
            saver.restore(sess, tf.train.latest_checkpoint("model"))
            assert run_values(sess, saver_cases.MODEL_VARIABLES) == saved
            sess.run(tf.get_collection("train_op")[0])
            assert run_values(sess, saver_cases.MODEL_VARIABLES) == continued
            # the imported Saver saves again, under the same node names
            assert saver.save(sess, "again/model", global_step=tf.train.get_global_step()) == "again/model-4"
    assert tf.train.list_variables("again") == tf.train.list_variables("model")


def test_import_scope_prefixes_the_saver(in_tmp):
    prefix, _, saved = train_and_save(steps=1)
    with tf.Graph().as_default():
        saver = tf.train.import_meta_graph(prefix + ".meta", import_scope="imported")
        assert saver.as_saver_def().restore_op_name == "imported/save/restore_all"
        assert saver.as_saver_def().filename_tensor_name == "imported/save/Const:0"
        with tf.Session() as sess:
            saver.restore(sess, prefix)
            assert run_values(sess, ["imported/" + n for n in saver_cases.MODEL_VARIABLES]) == \
                {"imported/" + name: value for name, value in saved.items()}


def test_meta_graph_without_saver_def(in_tmp):
    """Without a SaverDef, a Saver is built for the imported variables; without variables there is none."""
    prefix, exported, saved = train_and_save(steps=1)
    exported.ClearField("saver_def")
    with tf.Graph().as_default():
        saver = tf.train.import_meta_graph(exported)
        # as in TensorFlow: importing "save/..." nodes leaves the scope name "save" free, not its op names
        assert saver.as_saver_def().restore_op_name == "save/restore_all_1"
        with tf.Session() as sess:
            saver.restore(sess, prefix)
            assert run_values(sess, saver_cases.MODEL_VARIABLES) == saved
    with tf.Graph().as_default():
        tf.constant(1.0, name="c")
        bare = tf.train.Saver(allow_empty=True).export_meta_graph()
    with tf.Graph().as_default():
        assert tf.train.import_meta_graph(bare) is None


def test_export_meta_graph_as_text_and_to_proto(in_tmp):
    with tf.Graph().as_default():
        with tf.name_scope("outer"):
            tf.Variable([1.0, 2.0], name="v")
            saver = tf.train.Saver(name="s")
        assert saver.to_proto(export_scope="outer").restore_op_name == "s/restore_all"
        assert saver.to_proto(export_scope="elsewhere") is None
        assert saver.to_proto() is saver.as_saver_def()
        assert tf.train.Saver.from_proto(saver_pb2.SaverDef(
            filename_tensor_name="s/Const:0", save_tensor_name="s/control_dependency:0",
            restore_op_name="s/restore_all"), import_scope="outer").as_saver_def().restore_op_name == \
            "outer/s/restore_all"
        meta = saver.export_meta_graph("graph.pbtxt", as_text=True)
    parsed = text_format.Parse(Path("graph.pbtxt").read_text(), meta_graph_pb2.MetaGraphDef())
    assert parsed == meta and parsed.saver_def.restore_op_name == "outer/s/restore_all"


# -- hostile meta graphs -----------------------------------------------------------------------------------------

META_BYTES = (FIXTURES / "tf_model" / "model-7.meta").read_bytes()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_fuzz_meta_graph_file(tmp_path, data):
    """A damaged .meta is rejected with an error (never a crash, a hang or a huge allocation) or imports."""
    blob = bytearray(data.draw(st.sampled_from([META_BYTES, b""]), label="base"))
    for _ in range(data.draw(st.integers(0, 4), label="flips")):
        if blob:
            blob[data.draw(st.integers(0, len(blob) - 1))] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans(), label="truncate") and blob:
        del blob[data.draw(st.integers(0, len(blob) - 1)):]
    blob += data.draw(st.binary(max_size=16), label="tail")
    path = tmp_path / "fuzz.meta"
    path.write_bytes(bytes(blob))
    with tf.Graph().as_default():
        try:
            tf.train.import_meta_graph(str(path))
        except (OSError, ValueError, TypeError, KeyError, errors.OpError):
            pass
