"""The parts of TF1's ``tf.contrib`` that minitf provides: ``tf.contrib.layers`` (initializers, regularizers, the basic
layers), ``tf.contrib.framework``'s global step, ``tf.contrib.rnn``,
``tf.contrib.seq2seq.sequence_loss`` and ``tf.contrib.tensorboard.plugins.projector``."""

from minitf._missing import missing_names as _missing_names
from minitf.contrib import framework, layers, rnn, seq2seq, tensorboard  # noqa: F401


__getattr__ = _missing_names("tf.contrib")
