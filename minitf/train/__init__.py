"""``tf.train``: optimizers, the global step and (in ``saver``) checkpoints."""

from minitf._missing import lazy_names as _lazy_names
from minitf.train.optimizer import Optimizer
from minitf.train.optimizers import (AdadeltaOptimizer, AdagradOptimizer, AdamOptimizer, GradientDescentOptimizer,
                                     MomentumOptimizer, RMSPropOptimizer)
from minitf.train.proximal_optimizers import (AdagradDAOptimizer, FtrlOptimizer, ProximalAdagradOptimizer,
                                              ProximalGradientDescentOptimizer)
from minitf.train.training_util import (assert_global_step, create_global_step, get_global_step,
                                        get_or_create_global_step, global_step)
from minitf.train.learning_rate_decay import (exponential_decay, inverse_time_decay, natural_exp_decay,
                                             piecewise_constant, polynomial_decay)
from minitf.train.moving_averages import ExponentialMovingAverage
from minitf.framework.meta_graph import export_meta_graph
from minitf.train.checkpoint_management import (checkpoint_exists, get_checkpoint_mtimes, get_checkpoint_state,
                                                latest_checkpoint, remove_checkpoint, update_checkpoint_state)
from minitf.train.input import (batch, batch_join, input_producer, limit_epochs, match_filenames_once,
                                maybe_batch, maybe_batch_join, maybe_shuffle_batch, maybe_shuffle_batch_join,
                                range_input_producer, shuffle_batch, shuffle_batch_join, slice_input_producer,
                                string_input_producer)
from minitf.train.queue_runner import QueueRunner, add_queue_runner, start_queue_runners
from minitf.train import queue_runner
from minitf.train.graph_io_util import write_graph
from minitf.train.saver import Saver, import_meta_graph

# tf.train.Example and its parts, and SaverDef (protocol buffers), loaded on first use so that ``import minitf``
# stays fast; so are the parts only some programs use (the coordinator, hooks, MonitoredSession, Supervisor,
# checkpoint reading, the event-file reader). None of these modules registers an op or a proto function (tests/test_lazy_import.py).
_LAZY_NAMES = {
    "BytesList": "minitf.proto.feature_pb2",
    "Example": "minitf.proto.example_pb2",
    "Feature": "minitf.proto.feature_pb2",
    "FeatureList": "minitf.proto.feature_pb2",
    "FeatureLists": "minitf.proto.feature_pb2",
    "Features": "minitf.proto.feature_pb2",
    "FloatList": "minitf.proto.feature_pb2",
    "Int64List": "minitf.proto.feature_pb2",
    "SaverDef": "minitf.proto.saver_pb2",
    "SequenceExample": "minitf.proto.example_pb2",
}
_LAZY_NAMES.update({name: module for module, names in {
    "minitf.train.basic_session_run_hooks": (
        "CheckpointSaverHook", "CheckpointSaverListener", "FeedFnHook", "FinalOpsHook", "GlobalStepWaiterHook",
        "LoggingTensorHook", "NanLossDuringTrainingError", "NanTensorHook", "ProfilerHook", "SecondOrStepTimer",
        "StepCounterHook", "StopAtStepHook", "SummarySaverHook"),
    "minitf.train.checkpoint_utils": (
        "NewCheckpointReader", "init_from_checkpoint", "list_variables", "load_checkpoint", "load_variable"),
    "minitf.train.coordinator": ("Coordinator", "LooperThread"),
    "minitf.train.monitored_session": (
        "ChiefSessionCreator", "MonitoredSession", "MonitoredTrainingSession", "Scaffold", "SessionCreator",
        "SingularMonitoredSession", "WorkerSessionCreator"),
    "minitf.train.session_manager": ("SessionManager",),
    "minitf.train.session_run_hook": ("SessionRunArgs", "SessionRunContext", "SessionRunHook", "SessionRunValues"),
    "minitf.train.supervisor": ("Supervisor",),
    "minitf.summary.writer": ("summary_iterator",),
}.items() for name in names})


__getattr__, __dir__ = _lazy_names("tf.train", globals(), _LAZY_NAMES)
