"""``tf.contrib.framework``: the global step helpers TF1 tutorials import from it."""

from minitf._missing import missing_names as _missing_names
from minitf.train.training_util import get_global_step, get_or_create_global_step

__getattr__ = _missing_names("tf.contrib.framework")
