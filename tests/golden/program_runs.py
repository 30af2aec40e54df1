"""Runs a program written against ``tf`` and describes what it did, the same way for TensorFlow (the make_*.py
scripts, with ~/tfref/bin/python) and for minitf (the tests), so a test compares two descriptions.

A program is ``build(tf)`` returning ``{name: fetch}`` or ``({name: fetch}, feeds)`` where feeds is
``{placeholder: value}`` for every fetch or ``{fetch name: () -> {placeholder: value}}`` per fetch. Its run is
described by the graph's nodes ([name, op type]) and, for each fetch in order, in one session: its value (dtype
and nested lists) or the run-time error (class name and TensorFlow's kernel message, without the node suffix and
without a Python traceback, py_func tokens as pyfunc_<n>, the run's
number of a TensorArray as <name>_<n>). A construction error is its class name and message.
"""
import re

import numpy as np


def describe(value):
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [describe(v) for v in value]
    if isinstance(value, dict):
        return {k: describe(v) for k, v in sorted(value.items())}
    array = np.asarray(value)
    if array.dtype == object or array.dtype.char == "S":
        return {"dtype": "string", "value": np.vectorize(lambda b: b.decode("latin1"), otypes=[object])(
            array).tolist() if array.ndim else array.item().decode("latin1")}
    return {"dtype": array.dtype.name, "shape": list(array.shape),
            "value": np.where(np.isfinite(array), array, 0).tolist() if array.dtype.kind == "f" else array.tolist(),
            "nonfinite": np.isnan(array).tolist() if array.dtype.kind == "f" and not np.all(np.isfinite(array))
            else None}


def kernel_message(message):
    """The kernel's message of a run-time error: TensorFlow's is inside 'Graph execution error: ... Node: 'x'\\n
    <message>\\n\\t [[{{node x}}]]', minitf's precedes '\\n\\t [[node x (defined at ...) ]]'. A Python traceback
    (py_func) is dropped."""
    match = re.search(r"Graph execution error:.*?\nNode: '[^']*'\n(.*?)\n\t \[\[\{\{node ", message, re.S)
    if match is not None:
        message = match.group(1)
    elif "Graph execution error:\n\n" in message:
        message = message.split("Graph execution error:\n\n", 1)[1].split("\n\t [[{{node ")[0]
    message = message.split("\n\t [[node ")[0]
    message = message.split("\nTraceback (most recent call last):")[0]
    message = re.sub(r"pyfunc_\d+", "pyfunc_<n>", message)
    return re.sub(r"TensorArray (\S+)_\d+(?=:| has)", r"TensorArray \1_<n>", message)


def run(tf, build, config=None):
    with tf.Graph().as_default() as graph:
        built = build(tf)
        fetches, feeds = built if isinstance(built, tuple) else (built, None)
        nodes = [[op.name, op.type] for op in graph.get_operations()]
        outputs = {}
        with tf.Session(config=config) as sess:
            for name, fetch in fetches.items():
                feed_dict = feeds[name]() if feeds and name in feeds and callable(feeds[name]) else feeds
                try:
                    outputs[name] = describe(sess.run(fetch, feed_dict))
                except tf.errors.OpError as e:
                    outputs[name] = {"error": type(e).__name__, "message": kernel_message(e.message)}
    return {"nodes": nodes, "outputs": outputs}


def construction_error(tf, build):
    """[class name, message] of the error ``build(tf)`` raises in a fresh graph, or None."""
    with tf.Graph().as_default():
        try:
            build(tf)
        except Exception as e:  # noqa: BLE001 -- the error is what is recorded
            return [type(e).__name__, str(e)]
    return None


def record(tf, programs, errors, config=None):
    return {"programs": {name: run(tf, build, config) for name, build in programs.items()},
            "errors": {name: construction_error(tf, build) for name, build in errors.items()}}


def assert_same_run(got, want, rtol=1e-5, atol=1e-6):
    """Nodes equal, errors equal, values of the same dtype and shape and close."""
    assert got["nodes"] == want["nodes"]
    assert list(got["outputs"]) == list(want["outputs"])
    for name in want["outputs"]:
        _assert_same_value(got["outputs"][name], want["outputs"][name], rtol, atol, name)


def _assert_same_value(got, want, rtol, atol, where):
    if isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), where
        for i, (g, w) in enumerate(zip(got, want)):
            _assert_same_value(g, w, rtol, atol, f"{where}[{i}]")
    elif isinstance(want, dict) and "error" in want:
        assert got == want, where
    elif isinstance(want, dict) and want.get("dtype") == "string":
        assert got == want, where
    elif isinstance(want, dict) and "dtype" in want and "shape" in want:
        assert isinstance(got, dict) and "error" not in got, f"{where}: {got}"
        assert (got["dtype"], got["shape"], got["nonfinite"]) == (want["dtype"], want["shape"], want["nonfinite"]), \
            where
        np.testing.assert_allclose(np.array(got["value"]), np.array(want["value"]), rtol, atol, err_msg=where)
    elif isinstance(want, dict):
        assert isinstance(got, dict) and sorted(got) == sorted(want), where
        for key in want:
            _assert_same_value(got[key], want[key], rtol, atol, f"{where}.{key}")
    else:
        assert got == want, where
