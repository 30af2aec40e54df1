"""Chrome trace of a traced run, as TensorFlow's ``tensorflow/python/client/timeline.py`` writes it.

    run_metadata = tf.RunMetadata()
    sess.run(train_op, options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE), run_metadata=run_metadata)
    trace = Timeline(run_metadata.step_stats).generate_chrome_trace_format()
    open("timeline.json", "w").write(trace)          # load in chrome://tracing or https://ui.perfetto.dev

The output is the same JSON text TensorFlow's Timeline produces for the same ``StepStats``: one trace process
"Allocators" (memory counters), and per device a "<device> Compute" process (one ``X`` event per node, lanes
assigned so that events in a lane never overlap) and a "<device> Tensors" process (tensor objects when
``show_memory``). ``show_dataflow`` adds flow arrows from a tensor's producer to its consumers in other lanes.
Unlike TensorFlow's, this Timeline leaves the ``StepStats`` it is given unchanged (TensorFlow overwrites
``thread_id`` with the lane).
"""

import collections
import copy
import json
import re

AllocationMaximum = collections.namedtuple("AllocationMaximum", ("timestamp", "num_bytes", "tensors"))
AllocationMaximum.__doc__ = """The peak of one allocator: time reached, total bytes, names of the live tensors."""

StepStatsAnalysis = collections.namedtuple("StepStatsAnalysis", ("chrome_trace", "allocator_maximums"))
StepStatsAnalysis.__doc__ = """The trace formatter and a dict allocator name -> AllocationMaximum."""


class _ChromeTraceFormatter:
    """Collects Chrome Trace Format events (https://github.com/catapult-project/catapult, tracing/README.md)."""

    def __init__(self):
        self._events = []
        self._metadata = []

    def _event(self, ph, category, name, pid, tid, timestamp, **extra):
        event = {"ph": ph, "cat": category, "name": name, "pid": pid, "tid": tid, "ts": timestamp}
        event.update(extra)
        self._events.append(event)

    def emit_pid(self, name, pid):
        self._metadata.append({"name": "process_name", "ph": "M", "pid": pid, "args": {"name": name}})

    def emit_region(self, timestamp, duration, pid, tid, category, name, args):
        self._event("X", category, name, pid, tid, timestamp, dur=duration, args=args)

    def emit_obj_create(self, category, name, timestamp, pid, tid, object_id):
        self._event("N", category, name, pid, tid, timestamp, id=object_id)

    def emit_obj_delete(self, category, name, timestamp, pid, tid, object_id):
        self._event("D", category, name, pid, tid, timestamp, id=object_id)

    def emit_obj_snapshot(self, category, name, timestamp, pid, tid, object_id, snapshot):
        self._event("O", category, name, pid, tid, timestamp, id=object_id, args={"snapshot": snapshot})

    def emit_flow_start(self, name, timestamp, pid, tid, flow_id):
        self._event("s", "DataFlow", name, pid, tid, timestamp, id=flow_id)

    def emit_flow_end(self, name, timestamp, pid, tid, flow_id):
        self._event("t", "DataFlow", name, pid, tid, timestamp, id=flow_id)

    def emit_counter(self, category, name, pid, timestamp, counter, value):
        self._event("C", category, name, pid, 0, timestamp, args={counter: value})

    def format_to_string(self, pretty=False):
        trace = {"traceEvents": self._metadata + self._events}
        if pretty:
            return json.dumps(trace, indent=4, separators=(",", ": "))
        return json.dumps(trace, separators=(",", ":"))


class _Tensor:
    """Lifetime of one produced tensor: creation time, and the times it was last used."""

    def __init__(self, name, object_id, create_time, pid, allocator, num_bytes):
        self.name, self.object_id, self.create_time, self.pid = name, object_id, create_time, pid
        self.allocator, self.num_bytes = allocator, num_bytes
        self.unref_times = []

    @property
    def last_unref(self):
        return max(self.unref_times)


def _parse_op_label(label):
    """``"name = Op(in1, in2)"`` -> (name, op, [inputs])."""
    match = re.match(r"(.*) = (.*)\((.*)\)", label)
    if match is None:
        return "unknown", "unknown", []
    name, op, inputs = match.groups()
    return name, op, inputs.split(", ") if inputs else []


def _parse_kernel_label(label, node_name):
    """A GPU kernel's ``"... @@name:op#..."`` label -> (name, op)."""
    start, end = label.find("@@"), label.find("#")
    if start >= 0 and end >= 0 and start + 2 < end:
        node_name = label[start + 2:end]
    name, op = (node_name.split(":") + ["unknown"])[:2]
    return name, op


def _is_gputrace_device(device_name):
    return "/stream:" in device_name or "/memcpy" in device_name


class Timeline:
    """``Timeline(step_stats, graph=None)``: turns a traced run's ``StepStats`` into a Chrome trace. ``graph`` is
    accepted for TensorFlow's signature and unused, as in TensorFlow."""

    def __init__(self, step_stats, graph=None):
        self._origin_step_stats = step_stats
        self._graph = graph

    def analyze_step_stats(self, show_dataflow=True, show_memory=True, op_time="schedule"):
        """Builds the trace; returns ``StepStatsAnalysis(chrome_trace, allocator_maximums)``.

        ``op_time``: ``"schedule"`` shows each op as scheduled; ``"gpu"`` and ``"all"`` stretch ops to their GPU
        kernels (from ``/stream:all`` device stats), ``"gpu"`` also moving their start to the first kernel.
        """
        self._trace = _ChromeTraceFormatter()
        self._tensors = {}  # tensor name -> _Tensor
        self._flow_starts = {}  # tensor name -> (timestamp, pid, lane)
        self._next_flow_id = 0
        self._step_stats = self._with_op_time(op_time)
        self._lanes = self._assign_lanes()
        self._allocate_pids()
        self._analyze_tensors(show_memory)
        self._show_compute(show_dataflow)
        maximums = self._show_memory_counters() if show_memory else {}
        return StepStatsAnalysis(chrome_trace=self._trace, allocator_maximums=maximums)

    def generate_chrome_trace_format(self, show_dataflow=True, show_memory=False, op_time="schedule"):
        """The trace as TensorFlow's JSON text (indented by 4)."""
        analysis = self.analyze_step_stats(show_dataflow=show_dataflow, show_memory=show_memory, op_time=op_time)
        return analysis.chrome_trace.format_to_string(pretty=True)

    def _with_op_time(self, op_time):
        if op_time == "schedule":
            return self._origin_step_stats
        step_stats = copy.deepcopy(self._origin_step_stats)
        kernel_start, kernel_end = {}, {}
        for dev_stats in step_stats.dev_stats:
            if "/stream:all" not in dev_stats.device:
                continue
            for kernel in dev_stats.node_stats:
                name, _ = _parse_kernel_label(kernel.timeline_label, kernel.node_name)
                start, end = kernel.all_start_micros, kernel.all_start_micros + kernel.all_end_rel_micros
                kernel_start[name] = min(kernel_start.get(name, start), start)
                kernel_end[name] = max(kernel_end.get(name, end), end)
        for dev_stats in step_stats.dev_stats:
            if "/stream:all" in dev_stats.device or "/job" not in dev_stats.device:
                continue
            for op in dev_stats.node_stats:
                if op.node_name in kernel_start:
                    end = max(kernel_end[op.node_name], op.all_start_micros + op.all_end_rel_micros)
                    if op_time == "gpu":
                        op.all_start_micros = kernel_start[op.node_name]
                    op.all_end_rel_micros = end - op.all_start_micros
        return step_stats

    def _assign_lanes(self):
        """Per device, the lane of each node: the first lane free strictly before the node starts."""
        lanes_of_devices = []
        for dev_stats in self._step_stats.dev_stats:
            lane_ends, lanes = [0], []
            for ns in dev_stats.node_stats:
                end = ns.all_start_micros + ns.all_end_rel_micros
                lane = next((i for i, lane_end in enumerate(lane_ends) if ns.all_start_micros > lane_end), None)
                if lane is None:
                    lane = len(lane_ends)
                    lane_ends.append(end)
                else:
                    lane_ends[lane] = end
                lanes.append(lane)
            lanes_of_devices.append(lanes)
        return lanes_of_devices

    def _allocate_pids(self):
        self._allocators_pid = 0
        self._trace.emit_pid("Allocators", 0)
        self._device_pids, self._tensor_pids = {}, {}
        next_pid = 1
        for dev_stats in self._step_stats.dev_stats:
            self._device_pids[dev_stats.device], self._tensor_pids[dev_stats.device] = next_pid, next_pid + 1
            self._trace.emit_pid(dev_stats.device + " Compute", next_pid)
            self._trace.emit_pid(dev_stats.device + " Tensors", next_pid + 1)
            next_pid += 2

    def _node_stats_with_lanes(self):
        for dev_stats, lanes in zip(self._step_stats.dev_stats, self._lanes):
            for node_stats, lane in zip(dev_stats.node_stats, lanes):
                yield dev_stats.device, node_stats, lane

    def _analyze_tensors(self, show_memory):
        """Records every node output as a tensor created when its node starts."""
        for device, node_stats, lane in self._node_stats_with_lanes():
            tensors_pid = self._tensor_pids[device]
            start = node_stats.all_start_micros
            end = start + node_stats.all_end_rel_micros
            for index, output in enumerate(node_stats.output):
                name = "%s:%d" % (node_stats.node_name, index) if index else node_stats.node_name
                allocation = output.tensor_description.allocation_description
                tensor = _Tensor(name, len(self._tensors), start, tensors_pid, allocation.allocator_name,
                                 allocation.requested_bytes)
                self._tensors[name] = tensor
                tensor.unref_times.append(end)
                self._flow_starts[name] = (end, self._device_pids[device], lane)
                if show_memory:
                    self._trace.emit_obj_create("Tensor", name, start, tensors_pid, lane, tensor.object_id)
                    description = str(output.tensor_description).replace('"', "")
                    self._trace.emit_obj_snapshot("Tensor", name, end - 1, tensors_pid, lane, tensor.object_id,
                                                  {"tensor_description": description})

    def _show_compute(self, show_dataflow):
        """One region per node; flows from each input's producer when it ran in another lane."""
        for device, node_stats, lane in self._node_stats_with_lanes():
            pid = self._device_pids[device]
            start = node_stats.all_start_micros
            end = start + node_stats.all_end_rel_micros
            is_gputrace = _is_gputrace_device(device)
            inputs = []
            if is_gputrace:
                node_name, op = _parse_kernel_label(node_stats.timeline_label, node_stats.node_name)
            elif node_stats.node_name == "RecvTensor":  # RPC tracing has no "name = Op(...)" label
                node_name, op = node_stats.node_name, "RecvTensor"
            else:
                node_name = node_stats.node_name
                _, op, inputs = _parse_op_label(node_stats.timeline_label)
            args = {"name": node_name, "op": op}
            args.update(("input%d" % i, name) for i, name in enumerate(inputs))
            self._trace.emit_region(start, node_stats.all_end_rel_micros, pid, lane, "Op", op, args)
            for input_name in inputs:
                if input_name not in self._tensors and input_name.rfind("/_") > 0:
                    input_name = input_name[:input_name.rfind("/_")]  # a Send/Recv inserted by partitioning
                if input_name not in self._tensors:
                    continue
                self._tensors[input_name].unref_times.append(end - 1)
                producer = self._flow_starts[input_name]
                if show_dataflow and (producer[1] != pid or producer[2] != lane):
                    flow_id = self._next_flow_id
                    self._next_flow_id += 1
                    self._trace.emit_flow_start(input_name, producer[0], producer[1], producer[2], flow_id)
                    self._trace.emit_flow_end(input_name, start, pid, lane, flow_id)

    def _show_memory_counters(self):
        """Deletes each tensor at its last use and emits a running byte total per allocator."""
        allocations = {}
        for name, tensor in self._tensors.items():
            self._trace.emit_obj_delete("Tensor", name, tensor.last_unref, tensor.pid, 0, tensor.object_id)
            records = allocations.setdefault(tensor.allocator, [])
            records.append((tensor.create_time, tensor.num_bytes, name))
            records.append((tensor.last_unref, -tensor.num_bytes, name))
        maximums = {}
        for allocator, records in allocations.items():
            records.sort()
            total, live = 0, set()
            maximums[allocator] = AllocationMaximum(timestamp=0, num_bytes=0, tensors=set())
            for timestamp, num_bytes, name in records:
                total += num_bytes
                if num_bytes < 0:
                    live.discard(name)
                else:
                    live.add(name)
                if total > maximums[allocator].num_bytes:
                    maximums[allocator] = AllocationMaximum(timestamp=timestamp, num_bytes=total, tensors=set(live))
                self._trace.emit_counter("Memory", allocator, self._allocators_pid, timestamp, allocator, total)
        return maximums
