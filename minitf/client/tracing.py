"""Traced runs: ``Session.run(..., options=RunOptions(trace_level=FULL_TRACE), run_metadata=md)``.

Fills ``md.step_stats`` (per node: start time, duration, output sizes) and ``md.cost_graph`` the way TensorFlow's
CPU executor does, so TensorBoard's GRAPHS panel can colour nodes by compute time and memory, and
``timeline.Timeline(md.step_stats).generate_chrome_trace_format()`` gives a Chrome trace.
"""

import time

import numpy as np

from minitf.client.state import VariableCell

CPU_DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"


def _micros():
    return int(time.time() * 1e6)


def _describe_output(node_stats, slot, value, op, index):
    output = node_stats.output.add(slot=slot)
    desc = output.tensor_description
    tensor = op.outputs[index]
    desc.dtype = tensor.dtype.base_dtype.as_datatype_enum
    array = value.value if isinstance(value, VariableCell) else value
    nbytes = 0
    if isinstance(array, np.ndarray) or isinstance(array, np.generic):
        array = np.asarray(array)
        for d in array.shape:
            desc.shape.dim.add(size=d)
        nbytes = int(array.nbytes) if array.dtype != object else sum(len(x) for x in array.reshape(-1))
    alloc = desc.allocation_description
    alloc.requested_bytes = nbytes
    alloc.allocated_bytes = nbytes
    alloc.allocator_name = "cpu"
    return nbytes


class Recorder:
    """Adds one NodeExecStats (and cost-graph node) per kernel call to ``run_metadata``."""

    def __init__(self, run_metadata):
        self.dev_stats = run_metadata.step_stats.dev_stats.add(device=CPU_DEVICE)
        self.cost_graph = run_metadata.cost_graph

    def record(self, op, start, elapsed, values):
        """``op`` ran from ``start`` (epoch microseconds) for ``elapsed`` microseconds and output ``values``."""
        elapsed = max(elapsed, 1)
        stats = self.dev_stats.node_stats.add(node_name=op.name, all_start_micros=start, op_start_rel_micros=0,
                                              op_end_rel_micros=elapsed, all_end_rel_micros=elapsed)
        stats.timeline_label = f"{op.name} = {op.type}({', '.join(t.op.name for t in op.inputs)})"
        stats.scheduled_micros = start
        total = 0
        cost_node = self.cost_graph.node.add(name=op.name, device=CPU_DEVICE, id=len(self.cost_graph.node) - 1,
                                             compute_cost=elapsed, compute_time=elapsed)
        for index, value in enumerate(values):
            nbytes = _describe_output(stats, index, value, op, index)
            total += nbytes
            info = cost_node.output_info.add(size=nbytes, alias_input_port=-1)
            info.dtype = op.outputs[index].dtype.base_dtype.as_datatype_enum
        stats.memory_stats.temp_memory_size = 0
        memory = stats.memory.add(allocator_name="cpu", total_bytes=total, peak_bytes=total)
        memory.live_bytes = total


def run_traced(plan, slots, run_metadata, to_op_error):
    """Executes ``plan`` like the untraced loop, recording one NodeExecStats per kernel call."""
    recorder = Recorder(run_metadata)
    for fn, ins, out, frees, op in plan.steps:
        start = _micros()
        t0 = time.perf_counter()
        try:
            if type(out) is int:
                slots[out] = fn(*[slots[i] for i in ins])
                outs = (out,)
            else:
                for o, v in zip(out, fn(*[slots[i] for i in ins])):
                    slots[o] = v
                outs = out
        except Exception as exc:  # noqa: BLE001 -- converted to TensorFlow's error classes
            raise to_op_error(exc, op) from exc
        recorder.record(op, start, int((time.perf_counter() - t0) * 1e6), [slots[o] for o in outs])
        for i in frees:
            slots[i] = None
