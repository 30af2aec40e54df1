"""The embedding projector: projector_config.pbtxt as TensorFlow writes it (tests/golden/make_projector.py), and a
minitf run served by TensorBoard's real projector plugin with TensorFlow absent (tensorboard's ``tf`` stub)."""
import json
import os

import numpy as np
import pytest
from google.protobuf import json_format
from tensorboard.backend.event_processing import data_provider, plugin_event_multiplexer
from tensorboard.compat import tf as tensorboard_tf
from tensorboard.plugins import base_plugin
from tensorboard.plugins.projector import projector_plugin
from werkzeug.test import Client
from werkzeug.wrappers import Response

import minitf as tf
from minitf import projector as minitf_projector
from minitf.contrib.tensorboard.plugins import projector
from helpers import golden

GOLDEN = golden("golden/projector.json")


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_config_file_bytes_match_tensorflow(tmp_path, name):
    config = json_format.ParseDict(GOLDEN[name]["config"], projector.ProjectorConfig())
    writer = tf.summary.FileWriter(str(tmp_path))
    projector.visualize_embeddings(writer, config)
    writer.close()
    assert (tmp_path / "projector_config.pbtxt").read_bytes() == GOLDEN[name]["pbtxt"].encode("utf-8")
    minitf_projector.visualize_embeddings(str(tmp_path / ""), config)  # a logdir path works too
    assert (tmp_path / "projector_config.pbtxt").read_bytes() == GOLDEN[name]["pbtxt"].encode("utf-8")


def _serve(logdir):
    """TensorBoard's ProjectorPlugin on ``logdir``, as ``tensorboard --logdir`` builds it; returns GET(route, **q)."""
    multiplexer = plugin_event_multiplexer.EventMultiplexer()
    multiplexer.AddRunsFromDirectory(logdir)
    multiplexer.Reload()
    provider = data_provider.MultiplexerDataProvider(multiplexer, logdir)
    plugin = projector_plugin.ProjectorPlugin(base_plugin.TBContext(logdir=logdir, data_provider=provider))
    apps = plugin.get_plugin_apps()

    def get(route, **query):
        response = Client(apps[route], Response).get("/", query_string=query)
        return response.status_code, response.get_data()
    return get


def _tutorial_run(logdir, values, with_tsv):
    """The TF1 tutorial program: an embedding variable, its metadata, the projector config and a checkpoint."""
    tf.reset_default_graph()
    with tf.variable_scope("model"):
        embedding_var = tf.Variable(values, name="word_embedding")
    saver = tf.train.Saver()
    writer = tf.summary.FileWriter(logdir)
    metadata = "Word\tFrequency\n" + "".join("w%d\t%d\n" % (i, 100 - i) for i in range(len(values)))
    with open(os.path.join(logdir, "metadata.tsv"), "w") as f:
        f.write(metadata)
    config = projector.ProjectorConfig()
    embedding = config.embeddings.add()
    embedding.tensor_name = embedding_var.name
    embedding.metadata_path = "metadata.tsv"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        if with_tsv:
            projector.save_embedding_tsv(embedding, sess.run(embedding_var), writer)
        projector.visualize_embeddings(writer, config)
        saver.save(sess, os.path.join(logdir, "model.ckpt"), 7)
    writer.close()
    return metadata


def test_plugin_serves_minitf_embedding_without_tensorflow(tmp_path):
    assert tensorboard_tf.__version__ == "stub"  # tensorboard runs on its stub: TensorFlow is not importable
    values = np.random.RandomState(0).standard_normal((6, 5)).astype(np.float32)
    metadata = _tutorial_run(str(tmp_path), values, with_tsv=True)
    assert (tmp_path / "model.ckpt-7.index").exists() and (tmp_path / "model_word_embedding.tsv").exists()
    get = _serve(str(tmp_path))
    assert get("/runs") == (200, b'["."]')
    status, info = get("/info", run=".")
    assert status == 200
    assert json.loads(info) == {"embeddings": [{"tensorName": "model/word_embedding", "metadataPath": "metadata.tsv",
                                                "tensorShape": [6, 5], "tensorPath": "model_word_embedding.tsv"}]}
    assert get("/tensor", run=".", name="model/word_embedding") == (200, values.tobytes())
    assert get("/tensor", run=".", name="model/word_embedding:0", num_rows=2) == (200, values[:2].tobytes())
    assert get("/metadata", run=".", name="model/word_embedding") == (200, metadata.encode())


def test_checkpoint_alone_is_not_read_without_tensorflow(tmp_path):
    """Without TensorFlow the plugin never opens checkpoints: a config without tensor_path shows nothing."""
    _tutorial_run(str(tmp_path), np.ones((3, 2), np.float32), with_tsv=False)
    get = _serve(str(tmp_path))
    assert get("/runs") == (200, b"[]")
    assert get("/tensor", run=".", name="model/word_embedding")[0] == 400


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_tsv_gives_the_plugin_exactly_the_float32_values(tmp_path, dtype):
    if dtype == np.float32:  # every finite float32 bit pattern class: subnormals, extremes, signed zero
        bits = np.random.RandomState(1).randint(0, 2 ** 32, size=(500, 8), dtype=np.uint64).astype(np.uint32)
        values = bits.view(np.float32)
        values = np.where(np.isfinite(values), values, np.float32(-0.0))
        values[0, :4] = [np.inf, -np.inf, np.finfo(np.float32).tiny / 8, np.finfo(np.float32).max]
    elif dtype == np.float64:
        values = np.random.RandomState(2).standard_normal((50, 3)) * 10.0 ** np.arange(-40, 50, 30)
    else:
        values = np.arange(-2 ** 40, 2 ** 40, 2 ** 37, dtype=np.int64).reshape(-1, 2)
    embedding = projector.EmbeddingInfo()
    path = projector.save_embedding_tsv(embedding, values, str(tmp_path), filename="values.tsv")
    assert embedding.tensor_path == "values.tsv" and path == str(tmp_path / "values.tsv")
    served = projector_plugin._read_tensor_tsv_file(path)  # what /tensor returns for a tensor_path
    assert served.tobytes() == values.astype(np.float32).tobytes()


def test_save_embedding_tsv_rejects_what_the_projector_cannot_show(tmp_path):
    embedding = projector.EmbeddingInfo(tensor_name="v:0")
    for bad in (np.zeros(3), np.zeros((3, 0)), np.zeros((2, 2), np.complex64), np.array([["a"]])):
        with pytest.raises(ValueError):
            projector.save_embedding_tsv(embedding, bad, str(tmp_path))
    with pytest.raises(ValueError, match="filename is required"):
        projector.save_embedding_tsv(projector.EmbeddingInfo(), np.zeros((2, 2)), str(tmp_path))
    assert embedding.tensor_path == ""
