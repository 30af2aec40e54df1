"""The parts of TF1's ``tf.contrib`` that minitf provides: ``tf.contrib.tensorboard.plugins.projector``."""

from minitf.contrib import tensorboard  # noqa: F401
