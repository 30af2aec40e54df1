"""TensorBoard's embedding projector: TF1's ``tf.contrib.tensorboard.plugins.projector``.

``visualize_embeddings`` writes ``projector_config.pbtxt`` into the writer's logdir, byte for byte as TensorFlow
does. TensorBoard's projector plugin then finds the embeddings in two ways:

* from the latest checkpoint of the logdir (``tf.train.Saver().save``): the plugin reads checkpoints only when
  TensorFlow itself is installed where TensorBoard runs. With ``tensorboard`` alone the plugin never looks for a
  checkpoint, and a run whose config names no ``tensor_path`` is not shown at all;
* from a tensor file named by ``EmbeddingInfo.tensor_path``: works with ``tensorboard`` alone.
  ``save_embedding_tsv`` writes that file and sets the field.

Typical use::

    config = projector.ProjectorConfig()
    emb = config.embeddings.add(); emb.tensor_name = embedding_var.name; emb.metadata_path = 'metadata.tsv'
    projector.save_embedding_tsv(emb, sess.run(embedding_var), summary_writer)  # viewable without TensorFlow
    projector.visualize_embeddings(summary_writer, config)
    saver.save(sess, LOGDIR + '/model.ckpt', step)
"""

import os
import re

import numpy as np
from google.protobuf import text_format

from minitf.proto.projector_config_pb2 import EmbeddingInfo, ProjectorConfig, SpriteMetadata

__all__ = ["EmbeddingInfo", "ProjectorConfig", "SpriteMetadata", "save_embedding_tsv", "visualize_embeddings"]

PROJECTOR_FILENAME = "projector_config.pbtxt"  # the name TensorBoard's projector plugin reads


def _logdir_of(logdir_or_writer):
    logdir = getattr(logdir_or_writer, "get_logdir", lambda: logdir_or_writer)()
    if logdir is None:
        raise ValueError("Expected logdir to be a path, but got None")
    return os.fspath(logdir)


def visualize_embeddings(summary_writer, config):
    """Stores ``config`` (a ``ProjectorConfig``) as ``projector_config.pbtxt`` in the writer's logdir.

    ``summary_writer`` is a ``tf.summary.FileWriter`` or, as in TensorBoard's own version, the logdir path.
    """
    path = os.path.join(_logdir_of(summary_writer), PROJECTOR_FILENAME)
    # as_utf8: non-ASCII text unescaped, as TensorFlow 2.21's protobuf writes it (older runtimes default to octal).
    with open(path, "wb") as f:
        f.write(text_format.MessageToString(config, as_utf8=True).encode("utf-8"))


def save_embedding_tsv(embedding, values, summary_writer, filename=None):
    """Writes ``values`` (the embedding's 2-D value) as a TSV file in the logdir and sets ``embedding.tensor_path``.

    ``embedding`` is an ``EmbeddingInfo`` of the config later passed to ``visualize_embeddings``. The file holds one
    row per line, tab-separated, each number written so that it parses back to exactly the same value: TensorBoard
    serves the same float32 values it would read from the checkpoint. ``filename`` (relative to the logdir, which
    TensorBoard requires) defaults to the tensor name with ``:0`` dropped and other non-word characters as ``_``.
    Returns the file's path.
    """
    values = np.asarray(values)
    if values.ndim != 2 or values.shape[1] == 0 or values.dtype.kind not in "biuf":
        raise ValueError("The projector shows 2-D real tensors with at least one column, got shape %s of %s"
                         % (values.shape, values.dtype))
    if filename is None:
        if not embedding.tensor_name:
            raise ValueError("filename is required when embedding.tensor_name is empty")
        filename = re.sub(r"\W", "_", re.sub(r":0$", "", embedding.tensor_name)) + ".tsv"
    path = os.path.join(_logdir_of(summary_writer), filename)
    rows = values.astype(np.float64).tolist()  # Python floats: repr round-trips exactly
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.writelines("\t".join(map(repr, row)) + "\n" for row in rows)
    embedding.tensor_path = filename
    return path
