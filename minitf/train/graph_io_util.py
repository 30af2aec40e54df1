"""``tf.train.write_graph``: a GraphDef written as text (pbtxt) or binary, atomically."""

import os

from minitf.framework import ops


def write_graph(graph_or_graph_def, logdir, name, as_text=True):
    """Writes the GraphDef of a Graph (or a GraphDef) to ``logdir/name``; returns the path."""
    from google.protobuf import text_format
    from minitf.train.checkpoint_management import atomic_write
    graph_def = graph_or_graph_def.as_graph_def() if isinstance(graph_or_graph_def, ops.Graph) else graph_or_graph_def
    os.makedirs(logdir, exist_ok=True)
    path = os.path.join(logdir, name)
    contents = (text_format.MessageToString(graph_def) if as_text
                else graph_def.SerializeToString(deterministic=True))
    atomic_write(path, contents)
    return path
