"""TF1's ``tf.contrib.tensorboard``."""

from minitf.contrib.tensorboard import plugins  # noqa: F401
