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
    f'node {{ name: "m" op: "MatMul" input: "a" input: "a" {_FLOAT_T} '
    'attr { key: "transpose_a" value { i: 1 } } }',
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


# Graph-time and run-time checks: each builds a graph and returns what to run (or None when building is the test).
def _check_cases():
    def folded_gather(tf):
        return tf.gather(tf.constant([1, 2, 3]), tf.constant(5))

    def folded_floordiv(tf):
        return tf.floordiv(tf.constant(1), tf.constant(0))

    def range_python_ints_past_int32(tf):
        return tf.range(2**31 - 2, 2**31 + 2)

    def range_int32_wrapped_limit(tf):
        return tf.range(2**31 - 2, 2**31 + 2, dtype=tf.int32)

    def range_whole_int32_span(tf):
        return tf.range(tf.constant(-2**31), tf.constant(2**31 - 1), tf.constant(2**30))

    def range_near_int32_max(tf):
        return tf.range(tf.constant(2147483600), tf.constant(2147483647), tf.constant(40))

    def range_delta_zero(tf):
        return tf.range(0, 5, 0)

    def max_pool_stride_zero(tf):
        return tf.nn.max_pool(tf.zeros([1, 4, 4, 1]), [1, 2, 2, 1], [1, 0, 1, 1], "VALID")

    def max_pool_stride_zero_unknown_shape(tf):
        return tf.nn.max_pool(tf.placeholder(tf.float32), [1, 2, 2, 1], [1, 0, 1, 1], "VALID")

    def max_pool_ksize_zero(tf):
        return tf.nn.max_pool(tf.zeros([1, 4, 4, 1]), [1, 0, 2, 1], [1, 1, 1, 1], "VALID")

    def avg_pool_ksize_zero(tf):
        return tf.nn.avg_pool(tf.zeros([1, 4, 4, 1]), [1, 0, 2, 1], [1, 1, 1, 1], "SAME")

    def conv2d_stride_zero(tf):
        return tf.nn.conv2d(tf.zeros([1, 4, 4, 1]), tf.zeros([2, 2, 1, 1]), [1, 0, 1, 1], "SAME")

    def conv2d_stride_zero_unknown_shape(tf):
        return tf.nn.conv2d(tf.placeholder(tf.float32), tf.zeros([2, 2, 1, 1]), [1, 0, 1, 1], "SAME")

    def index_past_the_end(tf):
        return tf.constant([1, 2, 3])[5]

    def negative_index_past_the_start(tf):
        return tf.constant([1, 2, 3])[-4]

    def top_k_namedtuple(tf):
        result = tf.nn.top_k(tf.constant([1.0, 3.0, 2.0]), 2)
        return {"type": type(result).__name__, "fields": list(result._fields), "values": result.values,
                "indices": result.indices}

    def feed_a_variable(tf):
        v = tf.Variable([1.0, 2.0])
        return {"feed": (v, [5.0, 6.0]), "doubled": v * 2}

    def gradient_through_cast_of_argmax(tf):
        x = tf.constant([1.0, 2.0])
        return {"gradients": [g is None for g in tf.gradients(tf.cast(tf.argmax(x), tf.float32), x)]}

    def softmax_of_integers(tf):
        return tf.nn.softmax(tf.constant([1, 2]))

    def l2_loss_of_integers(tf):
        return tf.nn.l2_loss(tf.constant([1, 2]))

    def argmax_with_nan(tf):
        return [tf.argmax(tf.constant([1.0, float("nan"), 3.0])), tf.argmax(tf.constant([float("nan"), 1.0, 3.0])),
                tf.argmin(tf.constant([1.0, float("nan"), 0.0]))]

    def reduce_max_of_empty(tf):
        return [tf.reduce_max(tf.zeros([0])), tf.reduce_max(tf.zeros([0], tf.int32)),
                tf.reduce_min(tf.zeros([0, 3]), axis=0)]

    def reduce_sum_of_strings(tf):
        return tf.reduce_sum(tf.constant(["a", "b"]))

    def cast_of_a_string(tf):
        return tf.cast(tf.constant(["1"]), tf.float32)

    def cast_to_a_string(tf):
        return tf.cast(tf.constant([1.0]), tf.string)

    def constant_of_a_gibibyte(tf):
        tf.constant(0.0, shape=[2**28])
        return None

    return {name: f for name, f in locals().items()}


CHECK_CASES = _check_cases()


def run_check(tf, name):
    """Runs CHECK_CASES[name]: ``["ok", value]`` or ``[error class, message, op name]`` where the message is the
    error's own text (TensorFlow's context lines around it dropped) and the op name the node it names, if any."""
    import numpy as np
    with tf.Graph().as_default():
        try:
            built = CHECK_CASES[name](tf)
            if built is None:
                return ["ok", None]
            feed = built.pop("feed") if isinstance(built, dict) and "feed" in built else None
            statics = {k: built.pop(k) for k in ("type", "fields", "gradients")
                       if isinstance(built, dict) and k in built}
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                value = {} if isinstance(built, dict) and not built else \
                    sess.run(built, {feed[0]: feed[1]} if feed else None)
            if isinstance(value, dict):
                return ["ok", {**statics, **{k: np.asarray(v).tolist() for k, v in value.items()}}]
            if isinstance(value, list):
                return ["ok", [np.asarray(v).tolist() for v in value]]
            return ["ok", np.asarray(value).tolist()]
        except Exception as exc:  # noqa: BLE001 -- recorded
            return _describe_error(exc)


def _describe_error(exc):
    import re
    text = getattr(exc, "message", None) or str(exc)
    op = re.search(r"\[\[\{\{node (\S+?)\}\}\]\]|\[\[node (\S+) ", text)
    lines = [line for line in text.split("\n") if line.strip() and not line.startswith((" ", "\t"))
             and not line.startswith(("Graph execution error", "Detected at node", "Node: '"))]
    message = lines[0] if lines else ""
    return [type(exc).__name__, message, (op.group(1) or op.group(2)) if op else None]
