"""TF1's ``tf.contrib.tensorboard.plugins.projector``: see ``minitf.projector``."""

from minitf.projector import (EmbeddingInfo, ProjectorConfig, SpriteMetadata, save_embedding_tsv,  # noqa: F401
                              visualize_embeddings)
