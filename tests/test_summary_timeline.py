"""minitf.client.timeline: Chrome traces of traced runs, checked against TensorFlow's timeline module.

Golden traces come from tests/golden/make_summary_timeline.py (TensorFlow 2.21's Timeline on a StepStats of a
real traced TensorFlow run and on a hand-built StepStats with several devices and GPU kernels)."""

import base64
import json

import numpy as np
import pytest

import minitf as tf
from minitf.client.timeline import Timeline
from minitf.proto import step_stats_pb2
from helpers import golden

GOLDEN = golden("golden/summary_timeline.json")
TRACES = [(name, trace) for name, entry in GOLDEN.items() for trace in entry["traces"]]


def golden_step_stats(name):
    return step_stats_pb2.StepStats.FromString(base64.b64decode(GOLDEN[name]["step_stats"]))


@pytest.mark.parametrize("name,trace", TRACES,
                         ids=["%s-%s-%s-%s" % (n, t["show_dataflow"], t["show_memory"], t["op_time"])
                              for n, t in TRACES])
def test_trace_text_identical_to_tensorflow(name, trace):
    step_stats = golden_step_stats(name)
    before = step_stats.SerializeToString()
    text = Timeline(step_stats).generate_chrome_trace_format(
        show_dataflow=trace["show_dataflow"], show_memory=trace["show_memory"], op_time=trace["op_time"])
    assert text == trace["json"]
    assert step_stats.SerializeToString() == before  # TensorFlow's would have rewritten thread_id


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_allocator_maximums_as_tensorflow(name):
    analysis = Timeline(golden_step_stats(name)).analyze_step_stats()
    maximums = {allocator: [m.timestamp, m.num_bytes, sorted(m.tensors)]
                for allocator, m in analysis.allocator_maximums.items()}
    assert maximums == GOLDEN[name]["maximums"]


def test_trace_of_a_minitf_traced_run():
    with tf.Graph().as_default():
        x = tf.constant(np.ones((3, 4), np.float32), name="x")
        w = tf.Variable(tf.ones([4, 2]), name="w")
        y = tf.matmul(x, w, name="y")
        loss = tf.reduce_sum(y * y, name="loss")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            run_metadata = tf.RunMetadata()
            sess.run(loss, options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE), run_metadata=run_metadata)
        op_types = {op.name: op.type for op in tf.get_default_graph().get_operations()}

    trace = json.loads(Timeline(run_metadata.step_stats).generate_chrome_trace_format(show_memory=True))
    events = trace["traceEvents"]
    processes = {e["pid"]: e["args"]["name"] for e in events if e["ph"] == "M"}
    device = run_metadata.step_stats.dev_stats[0].device
    assert processes == {0: "Allocators", 1: device + " Compute", 2: device + " Tensors"}

    regions = {e["args"]["name"]: e for e in events if e["ph"] == "X"}
    assert {"w/read", "y", "mul", "loss"} <= set(regions)  # minitf's traces leave out constants and variables
    for name, region in regions.items():
        assert region["name"] == region["args"]["op"] == op_types[name]
        assert region["pid"] == 1 and region["dur"] >= 1 and isinstance(region["ts"], int)
    assert regions["y"]["args"] == {"name": "y", "op": "MatMul", "input0": "x", "input1": "w/read"}
    assert regions["mul"]["args"] == {"name": "mul", "op": "Mul", "input0": "y", "input1": "y"}

    starts = {e["id"]: e for e in events if e["ph"] == "s"}
    ends = {e["id"]: e for e in events if e["ph"] == "t"}
    assert starts.keys() == ends.keys()  # every flow arrow has both ends
    for flow_id, start in starts.items():
        assert start["ts"] <= ends[flow_id]["ts"] and start["name"] == ends[flow_id]["name"]

    created = {e["name"]: e for e in events if e["ph"] == "N"}
    deleted = {e["name"] for e in events if e["ph"] == "D"}
    assert set(created) == deleted and "y" in created
    snapshot = next(e for e in events if e["ph"] == "O" and e["name"] == "y")
    assert "size: 3" in snapshot["args"]["snapshot"]["tensor_description"]
    counters = [e for e in events if e["ph"] == "C"]
    assert counters and all(e["pid"] == 0 and e["name"] == "cpu" for e in counters)
    assert max(e["args"]["cpu"] for e in counters) >= 3 * 2 * 4  # y's 24 bytes were live at some point
