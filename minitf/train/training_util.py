"""The global step: the int64 ``global_step`` variable that optimizers increment."""

from minitf.framework import dtypes, ops
from minitf.ops import init_ops, variable_scope, variables

GLOBAL_STEP_READ_KEY = "global_step_read_op_cache"


def get_global_step(graph=None):
    graph = graph or ops.get_default_graph()
    steps = graph.get_collection(ops.GraphKeys.GLOBAL_STEP)
    if len(steps) == 1:
        return steps[0]
    if len(steps) > 1:
        raise TypeError("Multiple tensors in global_step collection.")
    try:
        return graph.get_tensor_by_name("global_step:0")
    except KeyError:
        return None


def assert_global_step(global_step_tensor):
    """TypeError unless ``global_step_tensor`` is an integer Variable or Tensor that may be a scalar."""
    if not isinstance(global_step_tensor, (variables.Variable, ops.Tensor)):
        raise TypeError(f'Existing "global_step" must be a Variable or Tensor: {global_step_tensor}.')
    dtype = global_step_tensor.dtype
    if not dtype.base_dtype.is_integer:
        raise TypeError(f'Existing "global_step" does not have integer type: {dtype}')
    shape = global_step_tensor.shape
    if shape.ndims != 0 and shape.is_fully_defined():
        raise TypeError(f'Existing "global_step" is not scalar: {shape}')


def create_global_step(graph=None):
    graph = graph or ops.get_default_graph()
    if get_global_step(graph) is not None:
        raise ValueError("\"global_step\" already exists.")
    with graph.as_default(), ops.name_scope(None):
        return variable_scope.get_variable(
            ops.GraphKeys.GLOBAL_STEP, shape=[], dtype=dtypes.int64, initializer=init_ops.zeros_initializer(),
            trainable=False, collections=[ops.GraphKeys.GLOBAL_VARIABLES, ops.GraphKeys.GLOBAL_STEP])


def get_or_create_global_step(graph=None):
    graph = graph or ops.get_default_graph()
    step = get_global_step(graph)
    if step is None:
        step = create_global_step(graph)
    return step


def _get_global_step_read(graph=None):
    graph = graph or ops.get_default_graph()
    reads = graph.get_collection(GLOBAL_STEP_READ_KEY)
    if len(reads) > 1:
        raise RuntimeError("There are multiple items in collection {}. There should be only one."
                           .format(GLOBAL_STEP_READ_KEY))
    return reads[0] if reads else None


def _get_or_create_global_step_read(graph=None):
    """The global step as a copy read once per run (``global_step/add``, cached in a collection), as TensorFlow
    builds it: ``global_step/cond`` (its value once initialized, else its initial value) plus 0."""
    graph = graph or ops.get_default_graph()
    read = _get_global_step_read(graph)
    if read is not None:
        return read
    step = get_global_step(graph)
    if step is None:
        return None
    with graph.as_default(), ops.name_scope(None), ops.name_scope(step.op.name + "/"):
        value = step.initialized_value() if isinstance(step, variables.Variable) else step
        ops.add_to_collection(GLOBAL_STEP_READ_KEY, value + 0)
    return _get_global_step_read(graph)


def global_step(sess, global_step_tensor):
    return int(sess.run(global_step_tensor))
