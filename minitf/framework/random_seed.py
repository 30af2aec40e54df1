"""Graph-level and op-level seeds: ``tf.set_random_seed`` and ``get_seed``, as TensorFlow 2.21 derives them.

TensorFlow 2.21 (the reference) gives every random op created without an op seed, in a graph with a seed, the
next value of a per-graph counter. TensorFlow 1.x used the graph's current op count instead: set
``minitf.framework.random_seed.SEED_RULE = "tf1"`` to reproduce 1.x programs (see docs/seeds.md).
"""

from minitf.framework import ops

DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2**31 - 1

SEED_RULE = "tf2"


def _truncate_seed(seed):
    return seed % _MAXINT32


def get_seed(op_seed):
    """The (seed, seed2) attrs of a new random op; (None, None) means nondeterministic."""
    graph = ops.get_default_graph()
    global_seed = graph.seed
    if global_seed is not None:
        if op_seed is None:
            if SEED_RULE == "tf1":
                op_seed = graph.version
            else:
                op_seed = graph._seed_counter
                graph._seed_counter += 1
        seeds = _truncate_seed(global_seed), _truncate_seed(op_seed)
    elif op_seed is not None:
        seeds = DEFAULT_GRAPH_SEED, _truncate_seed(op_seed)
    else:
        seeds = None, None
    if seeds == (0, 0):
        return 0, _MAXINT32
    return seeds


def set_random_seed(seed):
    """``tf.set_random_seed``: the graph-level seed of the default graph."""
    ops.get_default_graph().seed = seed
