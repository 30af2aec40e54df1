"""Records TensorFlow 2.21's Chrome traces (tensorflow/python/client/timeline.py) for tests/test_summary_timeline.py.

Two StepStats: one from a real traced TensorFlow run (FULL_TRACE on a small graph of independent branches, so ops
overlap on the inter-op threads), and one built by hand to reach the rarer paths (several devices, multi-output
nodes, inputs renamed by Send/Recv partitioning, RecvTensor, GPU stream kernels, op_time "gpu"/"all").
For each: the serialized StepStats (base64), TensorFlow's JSON trace for several option sets, and the allocator
maximums of ``analyze_step_stats``.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_summary_timeline.py
(writes tests/golden/summary_timeline.json)
"""
import base64
import json
import os

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.core.framework import step_stats_pb2
from tensorflow.python.client import timeline

tf.disable_v2_behavior()
HERE = os.path.dirname(os.path.abspath(__file__))
SCHEDULE_OPTIONS = [(True, False, "schedule"), (True, True, "schedule")]  # (show_dataflow, show_memory, op_time)
ALL_OPTIONS = SCHEDULE_OPTIONS + [(False, False, "schedule"), (False, True, "schedule"), (True, True, "gpu"),
                                  (True, True, "all")]


def traced_step_stats():
    with tf.Graph().as_default():
        x = tf.constant(np.arange(64 * 64, dtype=np.float32).reshape(64, 64) / 4096.0, name="x")
        w = tf.Variable(tf.ones([64, 64]), name="w")
        branches = [tf.nn.relu(tf.matmul(x + float(i), w), name="branch%d" % i) for i in range(4)]
        top, indices = tf.nn.top_k(tf.add_n(branches), k=3, name="top")
        loss = tf.reduce_sum(top, name="loss") + tf.cast(tf.reduce_sum(indices), tf.float32)
        config = tf.ConfigProto(inter_op_parallelism_threads=2, intra_op_parallelism_threads=1)
        with tf.Session(config=config) as sess:
            sess.run(tf.global_variables_initializer())
            run_metadata = tf.RunMetadata()
            sess.run(loss, options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE), run_metadata=run_metadata)
    return run_metadata.step_stats


def _node(dev, name, start, duration, label, outputs=(), allocator="cpu"):
    node = dev.node_stats.add(node_name=name, all_start_micros=start, all_end_rel_micros=duration,
                              timeline_label=label)
    for nbytes, shape in outputs:
        desc = node.output.add().tensor_description
        desc.dtype = 1
        for size in shape:
            desc.shape.dim.add(size=size)
        desc.allocation_description.requested_bytes = nbytes
        desc.allocation_description.allocator_name = allocator
    return node


def synthetic_step_stats():
    stats = step_stats_pb2.StepStats()
    cpu = stats.dev_stats.add(device="/job:localhost/replica:0/task:0/device:CPU:0")
    _node(cpu, "_SOURCE", 100, 1, "_SOURCE = NoOp()")
    _node(cpu, "a", 102, 10, "a = Const()", [(16, [2, 2])])
    _node(cpu, "b", 104, 10, "b = VariableV2()", [(16, [2, 2])])  # overlaps a: second lane
    _node(cpu, "split", 105, 6, "split = Split(a)", [(8, [2, 1]), (8, [2, 1])])  # overlaps both: third lane
    _node(cpu, "mul", 120, 5, "mul = Mul(split:1, b)", [(16, [2, 2])])
    _node(cpu, "add", 126, 4, "add = AddV2(mul, split)", [(16, [2, 2])])
    _node(cpu, "recv", 126, 2, "recv = _Recv(gpu_out/_3)", [(16, [2, 2])], allocator="cuda_host_bfc")
    _node(cpu, "RecvTensor", 127, 3, "RecvTensor 12 bytes", [(12, [3])])
    _node(cpu, "weird", 131, 1, "no label here")
    _node(cpu, "late", 140, 2, "late = Identity(add, missing)", [(16, [2, 2])])
    gpu = stats.dev_stats.add(device="/job:localhost/replica:0/task:0/device:GPU:0")
    _node(gpu, "gpu_out", 110, 3, "gpu_out = MatMul(a, b)", [(16, [2, 2])], allocator="GPU_0_bfc")
    _node(gpu, "gpu_idle", 111, 1, "gpu_idle = NoOp()")
    stream = stats.dev_stats.add(device="/device:GPU:0/stream:all")
    _node(stream, "gemm", 112, 9, "void gemm_kernel() @@gpu_out:MatMul#id=1#")
    _node(stream, "gemm2", 123, 4, "void gemm_kernel() @@gpu_out:MatMul#id=2#")
    _node(stream, "memcpy", 113, 2, "MEMCPYHtoD")
    memcpy = stats.dev_stats.add(device="/device:GPU:0/memcpy")
    _node(memcpy, "copy", 111, 2, "copy @@gpu_idle:NoOp#x#")
    return stats


def record(step_stats, options):
    entry = {"step_stats": base64.b64encode(step_stats.SerializeToString()).decode(), "traces": [], "maximums": []}
    for show_dataflow, show_memory, op_time in options:
        copy = step_stats_pb2.StepStats.FromString(step_stats.SerializeToString())  # TF's Timeline mutates it
        trace = timeline.Timeline(copy).generate_chrome_trace_format(show_dataflow, show_memory, op_time)
        entry["traces"].append({"show_dataflow": show_dataflow, "show_memory": show_memory, "op_time": op_time,
                                "json": trace})
    analysis = timeline.Timeline(step_stats_pb2.StepStats.FromString(step_stats.SerializeToString())) \
        .analyze_step_stats()
    entry["maximums"] = {name: [m.timestamp, m.num_bytes, sorted(m.tensors)]
                         for name, m in analysis.allocator_maximums.items()}
    return entry


golden = {"traced": record(traced_step_stats(), SCHEDULE_OPTIONS),
          "synthetic": record(synthetic_step_stats(), ALL_OPTIONS)}
with open(os.path.join(HERE, "summary_timeline.json"), "w") as f:
    json.dump(golden, f, indent=0)
print("recorded", sum(len(entry["traces"]) for entry in golden.values()), "traces")
