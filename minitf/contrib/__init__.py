"""The parts of TF1's ``tf.contrib`` that minitf provides: ``tf.contrib.tensorboard.plugins.projector`` and
``tf.contrib.rnn``."""

from minitf.contrib import rnn, tensorboard  # noqa: F401
