"""``tf.contrib.layers``, the part TF1 tutorials use: initializers, regularizers, the basic layers, batch_norm,
the arg_scope they take part in, and optimize_loss."""

from minitf._missing import missing_names as _missing_names
from minitf.contrib.framework.arg_scope import arg_scope
from minitf.contrib.layers.initializers import (variance_scaling_initializer, xavier_initializer,
                                                xavier_initializer_conv2d)
from minitf.contrib.layers.layers import (avg_pool2d, conv2d, convolution2d, flatten, fully_connected,
                                          max_pool2d)
from minitf.contrib.layers.normalization import batch_norm
from minitf.contrib.layers.optimizers import OPTIMIZER_CLS_NAMES, OPTIMIZER_SUMMARIES, optimize_loss
from minitf.contrib.layers.regularizers import (apply_regularization, l1_l2_regularizer, l1_regularizer,
                                                l2_regularizer, sum_regularizer)


def linear(inputs, num_outputs, **kwargs):
    """``fully_connected`` with ``activation_fn=None``."""
    return fully_connected(inputs, num_outputs, activation_fn=None, **kwargs)


__getattr__ = _missing_names("tf.contrib.layers")
