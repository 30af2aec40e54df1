"""``tf.train``: optimizers, the global step and (in ``saver``) checkpoints."""

from minitf.train.optimizer import Optimizer
from minitf.train.optimizers import (AdadeltaOptimizer, AdagradOptimizer, AdamOptimizer, GradientDescentOptimizer,
                                     MomentumOptimizer, RMSPropOptimizer)
from minitf.train.training_util import (create_global_step, get_global_step, get_or_create_global_step,
                                        global_step)
from minitf.train.learning_rate_decay import (exponential_decay, inverse_time_decay, natural_exp_decay,
                                             piecewise_constant, polynomial_decay)
from minitf.train.moving_averages import ExponentialMovingAverage
from minitf.summary.writer import summary_iterator
