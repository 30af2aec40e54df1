"""TF1's ``tf.contrib.tensorboard.plugins``."""

from minitf.contrib.tensorboard.plugins import projector  # noqa: F401
