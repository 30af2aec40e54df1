"""``tf.initializers`` (TF1's ``tf.compat.v1.initializers``): initializer classes under their short names."""

from minitf._missing import missing_names as _missing_names
from minitf.ops.init_ops import Constant as constant
from minitf.ops.init_ops import GlorotNormal as glorot_normal
from minitf.ops.init_ops import GlorotUniform as glorot_uniform
from minitf.ops.init_ops import Ones as ones
from minitf.ops.init_ops import Orthogonal as orthogonal
from minitf.ops.init_ops import RandomNormal as random_normal
from minitf.ops.init_ops import RandomUniform as random_uniform
from minitf.ops.init_ops import TruncatedNormal as truncated_normal
from minitf.ops.init_ops import UniformUnitScaling as uniform_unit_scaling
from minitf.ops.init_ops import VarianceScaling as variance_scaling
from minitf.ops.init_ops import Zeros as zeros
from minitf.ops.init_ops import he_normal, he_uniform, lecun_normal, lecun_uniform
from minitf.ops.variables import global_variables_initializer as global_variables
from minitf.ops.variables import local_variables_initializer as local_variables
from minitf.ops.variables import variables_initializer as variables


__getattr__ = _missing_names("tf.initializers")
