"""The frame-aware interpreter for plans that contain control-flow ops (TF1's dataflow executor semantics).

A value is either live or dead (``control_flow_ops.DEAD``). An op runs when all its inputs and control inputs
have arrived; if any of them is dead, its outputs are dead without running the kernel. A Merge instead runs on its
first live data input (or dead once all its inputs are dead, or at once when a dead value comes from an Enter).
Switch sends its data to one output and DEAD to the other. Loops run in frames: Enter moves a value into the child
frame named by its ``frame_name`` (iteration 0, or every iteration when ``is_constant``), NextIteration into the
next iteration of the same frame (a dead one ends the loop), and Exit into the parent frame. A dead Exit reaches
the parent only when its frame has finished, as in TensorFlow's executor (a loop in an untaken branch).
"""

import collections
import time

import numpy as np

from minitf.client import acyclic_plan, compiled_loop
from minitf.framework import errors
from minitf.ops.control_flow_ops import DEAD

_NORMAL, _MERGE, _ENTER, _EXIT, _NEXT, _SWITCH, _TRIGGER = range(7)
_KINDS = {"merge": _MERGE, "enter": _ENTER, "exit": _EXIT, "next_iteration": _NEXT, "switch": _SWITCH,
          "trigger": _TRIGGER}  # by OpDef.dataflow; LoopCond and the other ops are plain


class _Node:
    """One op of the plan: its kernel and where its outputs go (``outs[i]`` = [(node, input position)])."""

    __slots__ = ("op", "fn", "kind", "n_inputs", "n_wait", "outs", "control_outs", "deref", "frame_name",
                 "is_constant", "fetch_slots", "source_value")

    def __init__(self, op, fn, kind):
        self.op = op
        self.fn = fn
        self.kind = kind
        self.n_inputs = len(op._inputs)
        self.n_wait = 0
        self.outs = [[] for _ in op._outputs]
        self.control_outs = []
        self.deref = ()
        frame_name = op._attrs.get("frame_name") if kind == _ENTER else None
        self.frame_name = frame_name.decode() if isinstance(frame_name, bytes) else frame_name  # imported: bytes
        self.is_constant = bool(op._attrs.get("is_constant")) if kind == _ENTER else False
        self.fetch_slots = [[] for _ in op._outputs]
        self.source_value = None


class _Frame:
    """One execution of a loop (or the root): its iterations' pending inputs and its loop invariants."""

    __slots__ = ("parent", "parent_iter", "iterations", "invariants", "pending_enters", "outstanding",
                 "dead_exits", "children", "iteration_count", "enter_values")

    def __init__(self, parent, parent_iter, pending_enters):
        self.parent = parent
        self.parent_iter = parent_iter
        self.iterations = {0: {}}
        self.invariants = []
        self.pending_enters = pending_enters
        self.outstanding = 0
        self.dead_exits = []
        self.children = {}
        self.iteration_count = 0
        self.enter_values = {}


class DataflowPlan:
    """An execution plan for a graph with control flow; ``execute`` runs it once."""

    def __init__(self, ops_in_order, feed_tensors, fetch_tensors, state, deref_adapter, op_error):
        index = {op: _Node(op, None, _KINDS.get(op._op_def.dataflow, _NORMAL)) for op in ops_in_order}
        self.nodes = list(index.values())
        fed = {t: i for i, t in enumerate(feed_tensors)}
        self.feed_targets = [[] for _ in feed_tensors]
        enters_per_frame = collections.Counter()
        for node in self.nodes:
            op = node.op
            if node.kind == _MERGE:
                _check_back_edge_dtypes(op)
            op_def = op._op_def
            fn = op_def.kernel(op, state) if op_def.kernel is not None else _no_outputs
            deref = tuple(i for i, t in enumerate(op._inputs) if t.dtype.is_ref_dtype and i not in op_def.ref_inputs)
            if deref and node.kind == _NORMAL:
                fn = deref_adapter(fn, deref)
            node.deref = deref
            node.fn = fn
            if op_def.per_session:
                node.source_value = fn()
            node.n_wait = node.n_inputs + len(op._control_inputs)
            if node.kind == _ENTER:
                enters_per_frame[node.frame_name] += 1
            for pos, t in enumerate(op._inputs):
                if t in fed:
                    self.feed_targets[fed[t]].append((node, pos))
                else:
                    index[t._op].outs[t._value_index].append((node, pos))
            for c in op._control_inputs:
                index[c].control_outs.append(node)
        self.enters_per_frame = enters_per_frame
        self.fetch_count = len(fetch_tensors)
        self.fetch_fed = []
        for slot, t in enumerate(fetch_tensors):
            if t in fed:
                self.fetch_fed.append((slot, fed[t]))
            else:
                index[t._op].fetch_slots[t._value_index].append(slot)
        self.sources = [n for n in self.nodes if n.n_wait == 0]
        self.op_error = op_error
        self.compiled = self._compile_simple_loops(op_error)
        self.acyclic = None
        if acyclic_plan.applicable(ops_in_order):  # conds but no loops: one pass in topological order
            kernels = {n.op: (n.deref if n.kind == _MERGE else n.fn, n.source_value) for n in self.nodes}
            self.acyclic = acyclic_plan.AcyclicPlan(ops_in_order, feed_tensors, fetch_tensors, kernels, op_error)

    def _compile_simple_loops(self, op_error):
        """The loop frames that compiled_loop can run as flat step lists, by frame name."""
        enters = collections.defaultdict(list)
        for node in self.nodes:
            if node.kind == _ENTER:
                enters[node.frame_name].append(node)
        compiled = {}
        for frame_name, frame_enters in enters.items():
            frame_nodes = set()
            stack = [dst for e in frame_enters for out in e.outs for dst, _ in out]
            stack += [dst for e in frame_enters for dst in e.control_outs]
            while stack:
                node = stack.pop()
                if node in frame_nodes:
                    continue
                frame_nodes.add(node)
                if node.kind != _EXIT:
                    stack.extend(dst for out in node.outs for dst, _ in out)
                    stack.extend(node.control_outs)
            if compiled_loop.compilable(frame_nodes, frame_enters):
                compiled[frame_name] = compiled_loop.CompiledLoop(frame_enters, frame_nodes, op_error)
        return compiled

    def execute(self, feed_values, recorder=None):
        """The fetched values; a tracing ``recorder`` (client/tracing.py) gets each kernel call of a traced run."""
        if self.acyclic is not None and recorder is None:
            return self.acyclic.execute(feed_values)
        return _Run(self, self.op_error, recorder).run(feed_values)


def _no_outputs(*inputs):
    """The kernel of an op that computes nothing (NoOp): it only orders and carries deadness."""
    return ()


_TYPE_STRINGS = {"float32": "float", "float64": "double", "float16": "half"}  # TensorFlow's DataTypeString


def _check_back_edge_dtypes(merge_op):
    """A loop body that changed a loop variable's dtype: TensorFlow rejects the graph when the run starts."""
    expected = merge_op._inputs[0].dtype.base_dtype
    for i, t in enumerate(merge_op._inputs):
        got = t.dtype.base_dtype
        if got != expected:
            raise errors.InvalidArgumentError(
                None, None, f"Input {i} of node {merge_op.name} was passed {_TYPE_STRINGS.get(got.name, got.name)} "
                f"from {t.name} incompatible with expected {_TYPE_STRINGS.get(expected.name, expected.name)}.")


class _Run:
    """The state of one Session.run over a DataflowPlan.

    ``frame.iterations[i]`` maps a node waiting for inputs in iteration ``i`` to its entry: ``[inputs still
    expected, any dead, input values]``, or for a Merge ``[control inputs still expected, dead inputs, input
    values, ready to fire, fired]``.
    """

    def __init__(self, plan, op_error, recorder=None):
        self.plan = plan
        self.op_error = op_error
        self.recorder = recorder
        self.ready = collections.deque()
        self.results = [DEAD] * plan.fetch_count
        self.fetched = [False] * plan.fetch_count

    def run(self, feed_values):
        plan = self.plan
        root = _Frame(None, 0, 0)
        for slot, i in plan.fetch_fed:
            self.results[slot] = feed_values[i]
            self.fetched[slot] = True
        for targets, value in zip(plan.feed_targets, feed_values):
            for node, pos in targets:
                self._deliver(node, pos, value, root, 0, False)
        for node in plan.sources:
            self._schedule(node, (), False, root, 0)
        ready = self.ready
        while ready:
            node, inputs, dead, frame, it = ready.popleft()
            self._process(node, inputs, dead, frame, it)
            frame.outstanding -= 1
            if frame.outstanding == 0 and frame.pending_enters == 0 and frame.parent is not None:
                self._finish_frame(frame)
        for slot, done in enumerate(self.fetched):
            if not done or self.results[slot] is DEAD:
                raise errors.InvalidArgumentError(None, None, f"Retval[{slot}] does not have value")
        return self.results

    def _schedule(self, node, inputs, dead, frame, it):
        frame.outstanding += 1
        self.ready.append((node, inputs, dead, frame, it))

    def _process(self, node, inputs, dead, frame, it):
        kind = node.kind
        if kind == _MERGE:
            outputs = self._merge(node, inputs)
            dead = outputs[0] is DEAD
        elif dead and kind != _TRIGGER:  # a ControlTrigger runs even when its inputs are dead
            outputs = [DEAD] * len(node.outs)
        elif node.source_value is not None:
            outputs = (node.source_value,)
        else:
            start = time.time() if self.recorder else 0
            try:
                value = node.fn(*inputs)
            except Exception as exc:  # noqa: BLE001 -- every kernel failure becomes a tf.errors class
                raise self.op_error(exc, node.op) from exc
            outputs = (value,) if len(node.outs) == 1 else value
            if self.recorder:
                self.recorder.record(node.op, int(start * 1e6), int((time.time() - start) * 1e6), outputs)
        if kind == _NORMAL or kind == _MERGE or kind == _SWITCH:
            self._propagate(node, outputs, dead, frame, it)
        elif kind == _TRIGGER:
            self._propagate(node, outputs, False, frame, it)
        elif kind == _ENTER:
            self._enter(node, outputs, dead, frame, it)
        elif kind == _EXIT:
            if dead:
                if it == frame.iteration_count:
                    frame.dead_exits.append(node)
            else:
                self._propagate(node, outputs, False, frame.parent, frame.parent_iter)
        elif not dead:  # NextIteration: a dead value ends the loop instead of starting an iteration
            self._propagate(node, outputs, False, frame, self._next_iteration(frame, it))

    @staticmethod
    def _merge(node, inputs):
        for i, value in enumerate(inputs):
            if value is not DEAD:
                if i in node.deref:
                    value = value.read()
                return (value, np.int32(i))
        return (DEAD, DEAD)

    def _propagate(self, node, outputs, dead, frame, it):
        from_enter = node.kind == _ENTER
        for index, value in enumerate(outputs):
            for slot in node.fetch_slots[index]:
                self.results[slot] = value
                self.fetched[slot] = True
            for dst, pos in node.outs[index]:
                self._deliver(dst, pos, value, frame, it, from_enter)
        for dst in node.control_outs:
            self._deliver(dst, -1, DEAD if dead else None, frame, it, from_enter)

    def _deliver(self, dst, pos, value, frame, it, from_enter):
        is_dead = value is DEAD
        if dst.kind == _MERGE:
            self._deliver_to_merge(dst, pos, value, is_dead, frame, it, from_enter)
            return
        if dst.n_wait == 1:  # the common case: one input, ready at once
            self._schedule(dst, () if pos < 0 else (value,), is_dead, frame, it)
            return
        pending = frame.iterations[it]
        entry = pending.get(dst)
        if entry is None:
            entry = pending[dst] = [dst.n_wait, False, [None] * dst.n_inputs]
        entry[0] -= 1
        if pos >= 0:
            entry[2][pos] = value
        if is_dead:
            entry[1] = True
        if entry[0] == 0:
            del pending[dst]
            self._schedule(dst, entry[2], entry[1], frame, it)

    def _deliver_to_merge(self, dst, pos, value, is_dead, frame, it, from_enter):
        """A Merge fires once its control inputs have arrived and either a live input has, or all its inputs
        are dead, or a dead value came from an Enter (a loop in an untaken branch)."""
        pending = frame.iterations[it]
        entry = pending.get(dst)
        if entry is None:  # [control inputs still expected, dead data inputs, inputs, live seen, fired]
            entry = pending[dst] = [dst.n_wait - dst.n_inputs, 0, [DEAD] * dst.n_inputs, False, False]
        elif entry[4]:
            return
        if pos < 0:
            entry[0] -= 1
        elif is_dead:
            entry[1] += 1
            entry[3] = entry[3] or from_enter
        else:
            entry[2][pos] = value
            entry[3] = True
        if entry[0] == 0 and (entry[3] or entry[1] >= dst.n_inputs):
            entry[4] = True
            inputs, entry[2] = entry[2], None
            self._schedule(dst, inputs, False, frame, it)

    def _enter(self, node, outputs, dead, frame, it):
        key = (node.frame_name, it)
        child = frame.children.get(key)
        if child is None:
            child = frame.children[key] = _Frame(frame, it, self.plan.enters_per_frame[node.frame_name])
            frame.outstanding += 1  # the parent waits for the child frame
        child.pending_enters -= 1
        loop = self.plan.compiled.get(node.frame_name)
        if loop is not None:  # a simple loop: run it as a whole once all its inputs have entered
            child.enter_values[node] = DEAD if dead else outputs[0]
            if child.pending_enters == 0:
                self._run_compiled(loop, child)
            return
        if node.is_constant:
            child.invariants.append((node, outputs, dead))
            for i in range(child.iteration_count + 1):
                self._propagate(node, outputs, dead, child, i)
        else:
            self._propagate(node, outputs, dead, child, 0)
        if child.outstanding == 0 and child.pending_enters == 0:
            self._finish_frame(child)

    def _run_compiled(self, loop, frame):
        if any(v is DEAD for v in frame.enter_values.values()):
            exits = [(node, DEAD) for node, _ in loop.exits]
        else:
            exits = loop.run(frame.enter_values)
        for node, value in exits:
            self._propagate(node, (value,), value is DEAD, frame.parent, frame.parent_iter)
        self._finish_frame(frame)

    def _next_iteration(self, frame, it):
        nxt = it + 1
        if nxt > frame.iteration_count:
            frame.iteration_count = nxt
            frame.iterations[nxt] = {}
            frame.dead_exits = []
            for node, outputs, dead in frame.invariants:
                self._propagate(node, outputs, dead, frame, nxt)
        return nxt

    def _finish_frame(self, frame):
        """A loop frame with nothing left to run: its dead Exits reach the parent, which stops waiting for it."""
        parent = frame.parent
        frame.pending_enters = -1  # finished: never again
        for node in frame.dead_exits:
            self._propagate(node, (DEAD,) * len(node.outs), True, parent, frame.parent_iter)
        frame.dead_exits = []
        parent.outstanding -= 1
        if parent.outstanding == 0 and parent.pending_enters == 0 and parent.parent is not None:
            self._finish_frame(parent)
