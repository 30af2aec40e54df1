"""tf.cond, tf.case, tf.while_loop, tf.Assert and tf.Print against TensorFlow's recorded graphs and results
(tests/golden/make_control_flow.py runs tests/control_flow_cases.py under TensorFlow 2.21 with v1 control flow)."""

import json
import os
import sys

import pytest

import minitf as tf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "golden"))
sys.path.insert(0, HERE)

import control_flow_cases  # noqa: E402
from control_flow_runner import record_case, record_error  # noqa: E402

with open(os.path.join(HERE, "golden", "control_flow.json")) as f:
    GOLDEN = json.load(f)


@pytest.mark.parametrize("name", sorted(control_flow_cases.CASES))
def test_graph_equals_tensorflows(name):
    got = record_case(tf, control_flow_cases.CASES[name])
    want = GOLDEN["cases"][name]
    assert [n[:2] for n in got["nodes"]] == [n[:2] for n in want["nodes"]]
    assert got["nodes"] == want["nodes"]


@pytest.mark.parametrize("name", sorted(control_flow_cases.CASES))
def test_results_equal_tensorflows(name):
    got = record_case(tf, control_flow_cases.CASES[name])
    want = GOLDEN["cases"][name]
    for run_got, run_want in zip(got["runs"], want["runs"]):
        assert set(run_got) == set(run_want)
        for key in run_want:
            assert _close(run_got[key], run_want[key]), (key, run_got[key], run_want[key])


@pytest.mark.parametrize("name", sorted(control_flow_cases.CASES))
def test_general_dataflow_interpreter_alone_gives_the_same_results(name, monkeypatch):
    """The fast paths (acyclic plans for conds, compiled simple loops) switched off: the frame-aware interpreter
    alone computes TensorFlow's results too."""
    from minitf.client import acyclic_plan, compiled_loop
    monkeypatch.setattr(acyclic_plan, "applicable", lambda ops: False)
    monkeypatch.setattr(compiled_loop, "compilable", lambda nodes, enters: False)
    got = record_case(tf, control_flow_cases.CASES[name])
    for run_got, run_want in zip(got["runs"], GOLDEN["cases"][name]["runs"]):
        assert set(run_got) == set(run_want)
        for key in run_want:
            assert _close(run_got[key], run_want[key]), (key, run_got[key], run_want[key])


def _close(a, b):
    if isinstance(b, dict) and "value" in b:
        import numpy as np
        return a["dtype"] == b["dtype"] and np.allclose(a["value"], b["value"], rtol=1e-6, atol=1e-7)
    if isinstance(b, dict):
        return isinstance(a, dict) and a.keys() == b.keys() and all(_close(a[k], b[k]) for k in b)
    if isinstance(b, list):
        return isinstance(a, list) and len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    return a == b


@pytest.mark.parametrize("name", sorted(control_flow_cases.ERRORS))
def test_construction_errors_equal_tensorflows(name):
    got = record_error(tf, control_flow_cases.ERRORS[name])
    want = GOLDEN["errors"][name]
    assert got["error"] == want["error"]
    assert got["message"].splitlines()[0] == want["message"].splitlines()[0]


def test_fetching_a_tensor_inside_a_branch_is_refused():
    tf.reset_default_graph()
    x = tf.constant(1.0)
    inside = []
    tf.cond(tf.constant(True), lambda: inside.append(x * 2.0) or inside[0], lambda: x)
    with tf.Session() as sess:
        with pytest.raises(ValueError, match="has been marked as not fetchable"):
            sess.run(inside[0])


def test_error_in_a_loop_body_names_the_op_and_line():
    tf.reset_default_graph()
    n = tf.placeholder(tf.int32, [])
    r = tf.while_loop(lambda i, v: i < n, lambda i, v: (i + 1, tf.reshape(v, [n])), [0, tf.zeros([2])],
                      shape_invariants=[tf.TensorShape([]), tf.TensorShape(None)])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            sess.run(r, {n: 3})
    assert info.value.op.name == "while/Reshape"
    assert "test_control_flow.py" in info.value.message


def test_tensorflows_loop_graph_def_imports_and_runs():
    """A GraphDef TensorFlow wrote (a while loop holding a cond, and its gradient loop with stacks) imports, back
    edges included, and computes TensorFlow's values."""
    tf.reset_default_graph()
    with open(os.path.join(HERE, "golden", "control_flow_loop.pb"), "rb") as f:
        tf.import_graph_def(tf.GraphDef.FromString(f.read()), name="")
    want = GOLDEN["imported"]
    with tf.Session() as sess:
        sess.run(want["init"])
        values = sess.run(want["fetches"][:-1], want["feed"]) + [sess.run(want["fetches"][-1])]
    assert values == pytest.approx(want["values"])


def test_loops_without_inner_loops_are_compiled():
    """Loops holding no loop run through compiled_loop (conds inside included); a loop holding a loop does not,
    its inner loop does."""
    tf.reset_default_graph()
    simple = tf.while_loop(lambda i: i < 3, lambda i: i + 1, [0], name="simple")
    with_cond = tf.while_loop(lambda i: i < 3, lambda i: tf.cond(i > 0, lambda: i + 1, lambda: i + 2), [0],
                              name="with_cond")
    nested = tf.while_loop(lambda i: i < 3, lambda i: tf.while_loop(lambda j: j < i, lambda j: j + 1, [i]) + 1,
                           [0], name="outer")
    with tf.Session() as sess:
        assert sess.run([simple, with_cond, nested]) == [3, 3, 3]
        plan = list(sess._plans.values())[0]
    assert sorted(plan.compiled) == ["outer/while/while_context", "simple/while_context",
                                     "with_cond/while_context"]


def test_feeding_a_tensor_inside_a_loop_is_refused():
    tf.reset_default_graph()
    inside = []

    def body(i):
        inside.append(i * 2)
        return inside[0]
    r = tf.while_loop(lambda i: i < 10, body, [1])
    with tf.Session() as sess:
        with pytest.raises(ValueError, match="^Tensor while/mul:0 may not be fed.$"):
            sess.run(r, {inside[0]: 3})


def _collection_protos(meta_graph_def, key):
    from minitf.proto import control_flow_pb2
    proto_type = control_flow_pb2.CondContextDef if key == "cond_context" else control_flow_pb2.WhileContextDef
    return [proto_type.FromString(b) for b in meta_graph_def.collection_def[key].bytes_list.value]


def test_meta_graph_holds_tensorflows_control_flow_contexts():
    """minitf's .meta stores the cond_context and while_context collections TensorFlow stores for the same program
    (so TensorFlow can differentiate through loops of a graph it imports from minitf)."""
    from minitf.proto import meta_graph_pb2
    tf.reset_default_graph()
    control_flow_cases.meta_graph_program(tf)
    ours = tf.train.export_meta_graph()
    with open(os.path.join(HERE, "golden", "control_flow.meta"), "rb") as f:
        theirs = meta_graph_pb2.MetaGraphDef.FromString(f.read())
    for key in ("cond_context", "while_context"):
        assert _collection_protos(ours, key) == _collection_protos(theirs, key), key


def test_gradient_through_loops_of_tensorflows_meta_graph():
    """Importing TensorFlow's .meta restores its contexts, so tf.gradients builds TensorFlow's gradient loops."""
    tf.reset_default_graph()
    tf.train.import_meta_graph(os.path.join(HERE, "golden", "control_flow.meta"))
    want = GOLDEN["meta_graph"]
    graph = tf.get_default_graph()
    before = len(graph.get_operations())
    x, r = graph.get_tensor_by_name(want["x"]), graph.get_tensor_by_name(want["r"])
    dx = tf.gradients(r, x)[0]
    assert dx.name == want["dx"]
    from control_flow_runner import graph_nodes
    assert graph_nodes(graph)[before:] == want["gradient_nodes"]
    with tf.Session() as sess:
        for value, expected in zip((1.5, -0.5, -2.0), want["values"]):
            assert sess.run([r, dx], {x: value}) == pytest.approx(expected)


def test_loops_and_conds_carry_a_tensor_array_as_its_flow(monkeypatch):
    """The hook TensorArray (minitf/ops/tensor_array_ops.py, another branch) plugs into, as in TensorFlow: a
    TensorArray loop variable or cond result travels as its ``flow`` tensor and comes back rebuilt by
    ``build_ta_with_new_flow``. Checked here with a stand-in class holding only a flow."""
    import types

    class TensorArray:
        def __init__(self, flow):
            self.flow = flow

    module = types.ModuleType("minitf.ops.tensor_array_ops")
    module.TensorArray = TensorArray
    module.build_ta_with_new_flow = lambda old, flow: TensorArray(flow)
    monkeypatch.setitem(sys.modules, "minitf.ops.tensor_array_ops", module)
    tf.reset_default_graph()
    i, ta = tf.while_loop(lambda i, ta: i < 3, lambda i, ta: (i + 1, TensorArray(ta.flow + 2.0)),
                          [0, TensorArray(tf.constant(0.0))])
    picked = tf.cond(tf.constant(True), lambda: TensorArray(ta.flow * 10.0), lambda: ta)
    assert isinstance(ta, TensorArray) and ta.flow.op.type == "Exit"
    assert isinstance(picked, TensorArray) and picked.flow.op.type == "Merge"
    with tf.Session() as sess:
        assert sess.run([ta.flow, picked.flow]) == [6.0, 60.0]
