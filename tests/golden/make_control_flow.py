"""Records TensorFlow 2.21's v1 control-flow graphs and results for tests/control_flow_cases.py.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_control_flow.py
For each case: the GraphDef node list (name, op, inputs, attrs), and per feed dict the fetched values or the
error class and message; stderr is captured for tf.Print. For each construction error: its class and message.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

import tensorflow.compat.v1 as tf  # noqa: E402

tf.disable_v2_behavior()
import control_flow_cases  # noqa: E402
from tf_sessions import kernels_only_config  # noqa: E402


def main():
    from control_flow_runner import record_case, record_error
    cases = {name: record_case(tf, fn, kernels_only_config()) for name, fn in control_flow_cases.CASES.items()}
    errors = {name: record_error(tf, fn) for name, fn in control_flow_cases.ERRORS.items()}
    with open(os.path.join(HERE, "control_flow.json"), "w") as f:
        json.dump({"cases": cases, "errors": errors, "imported": record_graph_def(),
                   "meta_graph": record_meta_graph()}, f, indent=1, sort_keys=True)


def record_meta_graph():
    """TensorFlow's MetaGraphDef of a program with nested contexts; the gradient TensorFlow builds after importing
    it (which needs the contexts restored) and its values."""
    from control_flow_runner import graph_nodes
    tf.reset_default_graph()
    x, r = control_flow_cases.meta_graph_program(tf)
    path = os.path.join(HERE, "control_flow.meta")
    tf.train.export_meta_graph(path)
    tf.reset_default_graph()
    tf.train.import_meta_graph(path)
    graph = tf.get_default_graph()
    before = len(graph.as_graph_def().node)
    x, r = graph.get_tensor_by_name(x.name), graph.get_tensor_by_name(r.name)
    dx = tf.gradients(r, x)[0]
    with tf.Session() as sess:
        values = [[float(v) for v in sess.run([r, dx], {x: value})] for value in (1.5, -0.5, -2.0)]
    return {"x": x.name, "r": r.name, "dx": dx.name, "values": values,
            "gradient_nodes": graph_nodes(graph)[before:]}


def record_graph_def():
    """TensorFlow's GraphDef of a loop holding a cond, with its gradient, for minitf's import_graph_def."""
    from tensorflow.python.ops import control_flow_ops, gen_array_ops
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [], name="x")
    v = tf.Variable(0.0, name="v")
    count = tf.Variable(0, name="count")

    def body(i, a):
        with tf.control_dependencies([tf.assign_add(count, tf.constant(1))]):
            return i + 1, tf.cond(a > 5.0, lambda: a, lambda: a * x)

    r = tf.while_loop(lambda i, a: i < 4, body, [0, x])
    dx = tf.gradients(r[1], x)[0]
    checked = tf.Print(r[1], [r[1]], message="r: ")
    with tf.control_dependencies([tf.Assert(checked > 0.0, [checked])]):
        out = tf.identity(checked, name="out")
    set_v = tf.cond(x > 0.0, lambda: tf.assign(v, tf.constant(2.0)), lambda: tf.assign(v, tf.constant(3.0)))
    # Ref variants of the dataflow ops, imported (not run) to check minitf knows them.
    control_flow_ops.merge([v._ref(), v._ref()], name="ref_merge")
    control_flow_ops.exit(v._ref(), name="ref_exit")
    control_flow_ops._NextIteration(v._ref(), name="ref_next")
    gen_array_ops.ref_identity(v._ref(), name="ref_identity")
    control_flow_ops.control_trigger(name="trigger")
    init = tf.global_variables_initializer()
    with open(os.path.join(HERE, "control_flow_loop.pb"), "wb") as f:
        f.write(tf.get_default_graph().as_graph_def().SerializeToString())
    with tf.Session() as sess:
        sess.run(init)
        values = sess.run([out, dx, set_v], {x: 1.5})
        values.append(sess.run(count))
    return {"init": init.name, "fetches": [out.name, dx.name, set_v.name, count.name], "feed": {"x:0": 1.5},
            "values": [float(v) for v in values]}


if __name__ == "__main__":
    main()
