"""Programs of tests/golden/make_reliability.py (TensorFlow) and tests/test_reliability_*.py (minitf).

Each ``*_SCRIPT`` runs in its own interpreter (``python -c SCRIPT`` with the library's import line first), because
it sets a file-size limit, exits without closing a writer or is killed. The first line it prints is JSON.
"""

TENSORFLOW = "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\n"
MINITF = "import minitf as tf\n"

# A file-size limit makes the event file's writes fail with EFBIG (SIGXFSZ is ignored, so the write returns the
# error instead of killing the process): flush() raises, close() returns, add_summary never blocks.
FULL_DISK_SCRIPT = """
import json, resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
w = tf.summary.FileWriter(sys.argv[1])
w.flush()
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
s = tf.Summary(value=[tf.Summary.Value(tag="x", simple_value=1.0)])
out = {}
def call(name, fn):
    try:
        fn()
        out[name] = ["ok"]
    except Exception as e:
        out[name] = [type(e).__name__, str(e).replace(sys.argv[1], "DIR")]
def adds():
    for i in range(2000):
        w.add_summary(s, i)
call("add_summary", adds)
call("flush", w.flush)
call("close", w.close)
call("close_again", w.close)
call("add_after_close", lambda: w.add_summary(s, 0))
print(json.dumps(out), flush=True)
"""

# A program that writes 100 scalars and never closes (nor flushes) its writer.
NEVER_CLOSED_SCRIPT = """
import sys
w = tf.summary.FileWriter(sys.argv[1])
for i in range(100):
    w.add_summary(tf.Summary(value=[tf.Summary.Value(tag="x", simple_value=float(i))]), i)
"""


def concurrent_updates(tf, threads=8, runs=200, size=100000):
    """``threads`` threads share one Session and each runs every update op ``runs`` times on variables of ``size``
    floats (large enough for numpy to release the GIL while adding): the final values count the updates that were
    not lost (expected: ``threads * runs`` each, and ``-threads * runs`` for assign_sub); the first 4 are returned."""
    import threading
    import numpy as np
    with tf.Graph().as_default():
        counters = {name: tf.Variable(np.zeros([size], np.float32), name=name)
                    for name in ("add_locked", "add_unlocked", "sub_locked", "scatter_locked", "scatter_unlocked")}
        ones = tf.ones([size])
        indices = np.arange(size)
        updates = {
            "add_locked": tf.assign_add(counters["add_locked"], ones, use_locking=True),
            "add_unlocked": tf.assign_add(counters["add_unlocked"], ones, use_locking=False),
            "sub_locked": tf.assign_sub(counters["sub_locked"], ones, use_locking=True),
            "scatter_locked": tf.scatter_add(counters["scatter_locked"], indices, ones, use_locking=True),
            "scatter_unlocked": tf.scatter_add(counters["scatter_unlocked"], indices, ones),
        }
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            errors = []

            def worker(index):
                try:
                    names = sorted(updates)[index % len(updates):] + sorted(updates)[:index % len(updates)]
                    for _ in range(runs):
                        for name in names:  # each thread in its own order, so the ops overlap
                            sess.run(updates[name].op)
                except Exception as exc:  # noqa: BLE001 -- reported to the caller
                    errors.append(repr(exc))

            pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
            for thread in pool:
                thread.start()
            for thread in pool:
                thread.join()
            values = sess.run(counters)
    return {name: value[:4].tolist() for name, value in values.items()}, errors


def _const(name, dtype="DT_FLOAT", shape="", values="float_val: 1"):
    return (f'node {{ name: "{name}" op: "Const" attr {{ key: "dtype" value {{ type: {dtype} }} }} '
            f'attr {{ key: "value" value {{ tensor {{ dtype: {dtype} tensor_shape {{ {shape} }} {values} }} }} }} }} ')


_FLOAT_T = 'attr { key: "T" value { type: DT_FLOAT } }'

# Malformed GraphDefs (text format) and what TensorFlow's importer says about each (recorded in reliability.json).
GRAPH_DEF_CASES = {
    "missing_input": _const("a") + f'node {{ name: "m" op: "MatMul" input: "a" {_FLOAT_T} }}',
    "extra_input": _const("a") + f'node {{ name: "n" op: "Neg" input: "a" input: "a" {_FLOAT_T} }}',
    "wrong_attr_type": _const("a", shape="dim { size: 2 } dim { size: 2 }") +
    f'node {{ name: "m" op: "MatMul" input: "a" input: "a" {_FLOAT_T} attr {{ key: "transpose_a" value {{ i: 1 }} }} }}',
    "type_attr_is_int": _const("a") + 'node { name: "n" op: "Neg" input: "a" attr { key: "T" value { i: 3 } } }',
    "unknown_dtype": 'node { name: "a" op: "Placeholder" attr { key: "dtype" value { type: 999 } } }',
    "missing_attr": 'node { name: "a" op: "Placeholder" }',
    "missing_T": _const("a") + 'node { name: "n" op: "Neg" input: "a" }',
    "input_dtype_mismatch": _const("a") +
    'node { name: "n" op: "Neg" input: "a" attr { key: "T" value { type: DT_INT32 } } }',
    "disallowed_dtype": 'node { name: "a" op: "Placeholder" attr { key: "dtype" value { type: DT_STRING } } } '
    'node { name: "n" op: "Neg" input: "a" attr { key: "T" value { type: DT_STRING } } }',
    "value_not_tensor": 'node { name: "a" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } '
    'attr { key: "value" value { i: 3 } } }',
    "missing_value": 'node { name: "a" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } }',
    "n_below_minimum": _const("a") + 'node { name: "p" op: "Pack" input: "a" attr { key: "N" value { i: 0 } } '
    f'{_FLOAT_T} }}',
    "unknown_attr": 'node { name: "a" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } '
    'attr { key: "bogus" value { i: 1 } } }',
    "placeholder_without_shape": 'node { name: "a" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }',
    "negative_dim": _const("a", shape="dim { size: -3 }"),
    "huge_const": _const("a", shape="dim { size: 536870912 }"),
    "huge_const_no_values": _const("a", shape="dim { size: 536870912 }", values=""),
}
for _input in ["a:x", "a:1:2", "a:-1", "a:+0", "a: 0", "", "^", "a:", ":0", "a:99999999999999999999", "a:0 "]:
    GRAPH_DEF_CASES[f"input {_input!r}"] = (
        f'node {{ name: "a" op: "Placeholder" attr {{ key: "dtype" value {{ type: DT_FLOAT }} }} }} '
        f'node {{ name: "n" op: "Identity" input: "{_input}" {_FLOAT_T} }}')


def import_case(tf, graph_pb2, text):
    """Imports a GraphDef given as text; returns ["ok"] or [error class, message]."""
    from google.protobuf import text_format
    graph_def = text_format.Parse(text, graph_pb2.GraphDef())
    with tf.Graph().as_default():
        try:
            tf.import_graph_def(graph_def, name="")
            return ["ok"]
        except Exception as exc:  # noqa: BLE001 -- recorded
            return [type(exc).__name__, str(exc)]


def deep_graph_def(graph_pb2, depth):
    """A Placeholder named ``depth`` scopes deep."""
    graph_def = graph_pb2.GraphDef()
    node = graph_def.node.add(name="/".join(["s"] * depth) + "/x", op="Placeholder")
    node.attr["dtype"].type = 1
    return graph_def
