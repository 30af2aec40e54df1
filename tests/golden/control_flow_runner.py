"""Runs one case of tests/control_flow_cases.py under a ``tf`` module and describes what happened, as JSON data.

Shared by tests/golden/make_control_flow.py (TensorFlow) and tests/test_control_flow.py (minitf) so both sides
are recorded the same way.
"""
import contextlib
import io
import os
import sys
import tempfile

import numpy as np

_ATTRS = ("T", "N", "U", "frame_name", "is_constant", "parallel_iterations", "message", "first_n", "summarize")
_CONTROL_FLOW_OPS = {"Switch", "RefSwitch", "Merge", "RefMerge", "Enter", "RefEnter", "Exit", "RefExit",
                     "NextIteration", "RefNextIteration", "LoopCond", "Assert", "Print"}


def _attr_text(value):
    kind = value.WhichOneof("value")
    if kind == "type":
        return int(value.type)
    if kind == "list":
        return [int(t) for t in value.list.type]
    if kind == "s":
        return value.s.decode()
    return getattr(value, kind)


def graph_nodes(graph):
    nodes = []
    for node in graph.as_graph_def().node:
        attrs = {k: _attr_text(node.attr[k]) for k in _ATTRS if k in node.attr and node.op in _CONTROL_FLOW_OPS}
        nodes.append([node.name, node.op, list(node.input), attrs])
    return nodes


def _as_json(value):
    if isinstance(value, (list, tuple)):
        return [_as_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _as_json(v) for k, v in sorted(value.items())}
    if value is None:
        return None
    array = np.asarray(value)
    if array.dtype.kind in "OS":
        return [v.decode() if isinstance(v, bytes) else v for v in array.reshape(-1).tolist()]
    return {"dtype": str(array.dtype), "value": array.tolist()}


@contextlib.contextmanager
def captured_stderr():
    """Captures what C++ or Python writes to file descriptor 2 (TensorFlow's Print writes there)."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as tmp:
        os.dup2(tmp.fileno(), 2)
        box = io.StringIO()
        try:
            with contextlib.redirect_stderr(box):
                yield box
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            tmp.seek(0)
            box.write(tmp.read().decode())


def record_case(tf, fn, config=None):
    tf.reset_default_graph()
    graph = tf.get_default_graph()
    fetches, feeds = fn(tf)
    variables = {k: v for k, v in fetches.items() if k.startswith("var:")}
    init = fetches.pop("init", None)
    runs = []
    with tf.Session(config=config) as sess:
        if init is not None:
            sess.run(init)
        for feed in feeds:
            feed_dict = {graph.get_tensor_by_name(k + ":0"): v for k, v in feed.items()}
            run = {}
            for key in sorted(fetches):
                if key.startswith("var:"):
                    continue
                with captured_stderr() as err:
                    try:
                        value = sess.run(fetches[key], feed_dict)
                        run[key] = _as_json(value)
                    except tf.errors.OpError as e:
                        run[key] = {"error": type(e).__name__, "message": _first_line(e.message),
                                    "op": e.op.name if e.op is not None else None}
                printed = [line for line in err.getvalue().splitlines() if _is_print_line(line)]
                if printed:
                    run[key + ":stderr"] = printed
            for key in sorted(variables):
                run[key] = _as_json(sess.run(variables[key]))
            runs.append(run)
    return {"nodes": graph_nodes(graph), "runs": runs}


def _is_print_line(line):
    return line.startswith("taken: ")


def _first_line(message):
    """The kernel's own message: TensorFlow frames it with 'Graph execution error:', 'Detected at node ...',
    the traceback and 'Node: ...' lines; both frameworks end it with the ' [[node ...]]' line."""
    for line in message.splitlines():
        stripped = line.strip()
        if (not stripped or stripped == "Graph execution error:" or stripped.startswith(("Detected at node",
                                                                                          "Node:", "[[", "File "))
                or line[0].isspace()):
            continue
        return stripped
    return message


def record_error(tf, fn):
    tf.reset_default_graph()
    try:
        fn(tf)
    except (TypeError, ValueError) as e:
        return {"error": type(e).__name__, "message": str(e)}
    return None
