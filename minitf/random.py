"""The ``tf.random`` namespace of TensorFlow 1.x (``tf.compat.v1.random``): seeded random ops and seeds.

Every op here reproduces TensorFlow's values bit for bit for the same graph-level and op-level seeds; see
docs/seeds.md for how the seeds combine.
"""

from minitf._missing import missing_names as _missing_names
from minitf.framework.random_seed import get_seed, set_random_seed
from minitf.ops.random_ops import categorical, multinomial
from minitf.ops.random_ops import random_gamma as gamma
from minitf.ops.random_ops import random_normal as normal
from minitf.ops.random_ops import random_poisson as poisson
from minitf.ops.random_ops import random_shuffle as shuffle
from minitf.ops.random_ops import random_uniform as uniform
from minitf.ops.random_ops import truncated_normal

__all__ = ["categorical", "gamma", "get_seed", "multinomial", "normal", "poisson", "set_random_seed", "shuffle",
           "truncated_normal", "uniform"]


__getattr__ = _missing_names("tf.random")
