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
from minitf.framework.meta_graph import export_meta_graph
from minitf.train.checkpoint_management import (checkpoint_exists, get_checkpoint_mtimes, get_checkpoint_state,
                                                latest_checkpoint, remove_checkpoint, update_checkpoint_state)
from minitf.train.checkpoint_utils import (NewCheckpointReader, init_from_checkpoint, list_variables,
                                           load_checkpoint, load_variable)
from minitf.train.graph_io_util import write_graph
from minitf.train.saver import Saver, import_meta_graph


def __getattr__(name):
    """``tf.train.SaverDef``, a protobuf class, loaded on first use so that ``import minitf`` stays fast."""
    if name != "SaverDef":
        raise AttributeError(f"module 'minitf.train' has no attribute '{name}'")
    from minitf.proto.saver_pb2 import SaverDef
    globals()[name] = SaverDef
    return SaverDef
