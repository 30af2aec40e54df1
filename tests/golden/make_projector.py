"""Records the projector_config.pbtxt bytes TensorFlow 2.21 / TensorBoard 2.21 write for tests/test_projector.py.

Each config is built from a JSON description, passed to ``visualize_embeddings`` with a TF1 ``FileWriter`` (TF2's
home of TF1's ``tf.contrib.tensorboard.plugins.projector`` is ``tensorboard.plugins.projector``), and the written
file is stored next to its description. The first config is the TF1 tutorial's, with the name of a real variable.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_projector.py   (writes tests/golden/projector.json)
"""
import json
import os
import tempfile

import tensorflow.compat.v1 as tf
from google.protobuf import json_format
from tensorboard.plugins import projector

tf.disable_v2_behavior()
HERE = os.path.dirname(os.path.abspath(__file__))

with tf.variable_scope("model"):
    embedding_var = tf.Variable(tf.zeros([10, 4]), name="word_embedding")
CONFIGS = {
    "tutorial": {"embeddings": [{"tensorName": embedding_var.name, "metadataPath": "metadata.tsv"}]},
    "empty": {},
    "all_fields": {
        "modelCheckpointPath": "/tmp/run/model.ckpt-7",
        "modelCheckpointDir": "/tmp/run",
        "embeddings": [
            {"tensorName": "a:0", "metadataPath": "meta a.tsv", "bookmarksPath": "bookmarks.json",
             "tensorShape": [10, 4], "tensorPath": "a.tsv",
             "sprite": {"imagePath": "sprite.png", "singleImageDim": [28, 28]}},
            {"tensorName": "b", "sprite": {}},
            {"tensorPath": "only_path.bytes", "tensorShape": [3, 2]},
        ]},
    "escaping": {"embeddings": [{"tensorName": "q\"uo\\te\ttab", "metadataPath": "données/métadonnées.tsv"}]},
}

golden = {}
with tempfile.TemporaryDirectory() as logdir:
    writer = tf.summary.FileWriter(logdir)
    for name, description in CONFIGS.items():
        config = json_format.ParseDict(description, projector.ProjectorConfig())
        projector.visualize_embeddings(writer, config)
        with open(os.path.join(logdir, "projector_config.pbtxt"), "rb") as f:
            golden[name] = {"config": description, "pbtxt": f.read().decode("utf-8")}
    writer.close()
with open(os.path.join(HERE, "projector.json"), "w") as f:
    json.dump(golden, f, indent=1, ensure_ascii=False)
print("recorded", len(golden), "configs")
