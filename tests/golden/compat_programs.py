"""The tf.compat programs of tests/test_compat.py, and small things TF1 tutorials hit (integer labels for
softmax_cross_entropy_with_logits, the gradient of reduce_sum over a placeholder of unknown rank fed a scalar), run
by both TensorFlow (make_compat.py) and minitf.

Each program takes the module ``tf`` (tf.compat.v1) and returns a JSON-able value."""

import pathlib

import numpy as np


def _outcome(fn):
    try:
        return ["ok", repr(fn())]
    except Exception as e:  # noqa: BLE001 — the class and message are what is compared
        return [type(e).__name__, str(e)]


def strings(tf):
    c = tf.compat
    cases = {
        "as_bytes_text": lambda: c.as_bytes("héllo"),
        "as_bytes_bytes": lambda: c.as_bytes(b"abc"),
        "as_bytes_bytearray": lambda: c.as_bytes(bytearray(b"ab")),
        "as_bytes_latin1": lambda: c.as_bytes("é", encoding="latin-1"),
        "as_bytes_int": lambda: c.as_bytes(3),
        "as_bytes_bad_encoding": lambda: c.as_bytes("x", encoding="no-such-codec"),
        "as_text_bytes": lambda: c.as_text("héllo".encode()),
        "as_text_text": lambda: c.as_text("abc"),
        "as_text_none": lambda: c.as_text(None),
        "as_str_bytes": lambda: c.as_str(b"abc"),
        "as_str_any_int": lambda: c.as_str_any(12),
        "as_str_any_bytes": lambda: c.as_str_any(b"xy"),
        "as_str_any_list": lambda: c.as_str_any([1, b"a"]),
        "path_to_str_path": lambda: c.path_to_str(pathlib.PurePosixPath("/a/b")),
        "path_to_str_str": lambda: c.path_to_str("/a/c"),
        "path_to_str_int": lambda: c.path_to_str(5),
        "dimension_value": lambda: [c.dimension_value(tf.Dimension(3)), c.dimension_value(4),
                                    c.dimension_value(tf.Dimension(None))],
        "dimension_at_index": lambda: [str(c.dimension_at_index(tf.TensorShape([2, None]), 1)),
                                       str(c.dimension_at_index(tf.TensorShape(None), 0))],
        "types": lambda: [isinstance(b"", c.bytes_or_text_types), isinstance("", c.bytes_or_text_types),
                          isinstance(3, c.integral_types), isinstance(3.5, c.real_types),
                          isinstance(1j, c.complex_types), isinstance(2.0, c.integral_types)],
    }
    return {name: _outcome(fn) for name, fn in cases.items()}


def switches(tf):
    tf.disable_v2_behavior()
    tf.disable_eager_execution()
    tf.disable_control_flow_v2()
    tf.disable_resource_variables()
    tf.disable_tensor_equality()
    tf.disable_v2_tensorshape()
    return {"executing_eagerly": tf.executing_eagerly(),
            "executing_eagerly_outside_functions": tf.executing_eagerly_outside_functions(),
            "control_flow_v2_enabled": tf.control_flow_v2_enabled(),
            "resource_variables_enabled": tf.resource_variables_enabled(),
            "v1_is_module": tf.compat.v1 is tf or tf.compat.v1.Session is tf.Session}


def aliases(tf):
    with tf.Graph().as_default():
        x = tf.constant([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]])
        i = tf.constant([7, -7])
        outs = [tf.arg_max(x, 1), tf.arg_min(x, 1), tf.arg_max(x, dimension=0, output_type=tf.int32, name="am"),
                tf.floor_div(i, 2), tf.floor_div(i, 3), tf.floor_div(x, 2.0, name="fd")]
        with tf.Session() as sess:
            values = sess.run(outs)
        return [[t.name, t.op.type, t.dtype.name, v.tolist()] for t, v in zip(outs, values)]


def integer_labels(tf):
    with tf.Graph().as_default() as graph:
        logits = tf.constant([[1.0, 2.0, 3.0], [1.0, 0.0, 0.0]])
        outs = [tf.nn.softmax_cross_entropy_with_logits(labels=tf.constant([[0, 0, 1], [1, 0, 0]]), logits=logits),
                tf.nn.softmax_cross_entropy_with_logits(labels=[[0, 1, 0], [0, 0, 1]], logits=logits),
                tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.constant([[0, 0, 1], [1, 0, 0]], tf.int64),
                                                           logits=logits)]
        casts = [[op.name, op.get_attr("SrcT").name] for op in graph.get_operations() if op.type == "Cast"]
        with tf.Session() as sess:
            return {"values": [np.round(v, 5).tolist() for v in sess.run(outs)], "casts": casts}  # float32 rounding


def sum_grad_unknown_rank(tf):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32)
        y = tf.reduce_sum(x * 2.0)
        grad = tf.gradients(y, x)[0]
        with tf.Session() as sess:
            return [[float(v) for v in sess.run([y, grad], {x: 3.0})],
                    [v.tolist() for v in sess.run([y, grad], {x: [[1.0, 2.0]]})]]


PROGRAMS = {"strings": strings, "switches": switches, "aliases": aliases, "integer_labels": integer_labels,
            "sum_grad_unknown_rank": sum_grad_unknown_rank}
