"""``tf.contrib.framework``: arg_scope and the global step helpers TF1 tutorials import from it."""

from minitf._missing import missing_names as _missing_names
from minitf.contrib.framework.arg_scope import add_arg_scope, arg_scope, arg_scoped_arguments, has_arg_scope
from minitf.train.training_util import get_global_step, get_or_create_global_step

__getattr__ = _missing_names("tf.contrib.framework")
