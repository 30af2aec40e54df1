"""A fast path for while loops with no loop inside, in the dataflow executor.

Such a loop frame (one LoopCond; Merges of an Enter and a NextIteration; Switches on the LoopCond; constant
Enters; maybe conds) computes exactly what the dataflow rules compute when it runs one iteration after another:
every iteration evaluates the condition part (everything not downstream of a loop Switch's true output), and while
the predicate holds, the body; the NextIteration values become the next iteration's Merge values and the last
Merge values leave through the Exits. Such a frame is compiled into two flat step lists over value slots, like a
Session's flat plan, and run in a Python loop; conds inside track dead values as acyclic_plan does.
"""

import operator

from minitf.client import acyclic_plan

_ALIAS_TYPES = {"LoopCond", "NextIteration", "Exit", "Identity"}
_REF_FORWARD = {"RefNextIteration", "RefExit"}
_SWITCHES = {"Switch", "RefSwitch"}
_MERGES = {"Merge", "RefMerge"}


class CompiledLoop:
    """The flat form of one loop frame: ``run(enter_values)`` returns the value of each Exit.

    A loop with conds inside runs the ops downstream of a cond's Switch as acyclic_plan's guarded steps (dead
    when an input or control input is dead; Merges forward their live input); without conds every step is plain.
    """

    def __init__(self, enters, frame_nodes, op_error):
        self.op_error = op_error
        slot_of = {}
        template = []

        def new_slot(tensor, value=None):
            slot_of[tensor] = len(template)
            template.append(value)
            return slot_of[tensor]

        self.enter_slots = {node: new_slot(node.op._outputs[0]) for node in enters}
        loop_merges = {n for n in frame_nodes if _is_loop_merge(n, enters)}
        pred = next(n for n in frame_nodes if n.op._type == "LoopCond").op._outputs[0]
        cond_switches = [n for n in frame_nodes if n.op._type in _SWITCHES and n.op._inputs[1] is not pred]
        self.has_conds = bool(cond_switches)
        maybe_dead = {n for n in _downstream(cond_switches, frame_nodes, loop_merges)
                      if n.op._type != "ControlTrigger"}  # a ControlTrigger runs even after dead inputs
        self.merges = []
        for node in sorted(loop_merges, key=lambda n: n.op._id):
            out = new_slot(node.op._outputs[0])
            index = new_slot(node.op._outputs[1])
            self.merges.append((out, index, node.op._inputs[0], node.op._inputs[1]))
        body = _downstream([n for n in frame_nodes if n.op._type in _SWITCHES and n.op._inputs[1] is pred],
                           frame_nodes, loop_merges, output=1)
        self.pre_steps, self.body_steps, self.exits = [], [], []
        inputs_read = []
        live_slot = {}
        control_producers = {}
        for n in frame_nodes:
            for dst in n.control_outs:
                control_producers.setdefault(dst, []).append(n)

        def liveness(control_node):  # the slot that is DEAD when ``control_node`` did not run
            return live_slot.get(control_node) or slot_of[control_node.op._outputs[0]]

        for node in _topological(frame_nodes, set(loop_merges)):
            op = node.op
            if node in loop_merges:
                continue
            is_loop_switch = op._type in _SWITCHES and op._inputs[1] is pred
            if (is_loop_switch or op._type in _ALIAS_TYPES and not op._inputs[0].dtype.is_ref_dtype
                    or op._type in _REF_FORWARD):
                for t in op._outputs:
                    slot_of[t] = slot_of[op._inputs[0]]
                if op._type in ("Exit", "RefExit"):
                    self.exits.append((node, slot_of[op._outputs[0]]))
                if op._type == "LoopCond":
                    self.pred_slot = slot_of[op._outputs[0]]
                continue
            ins = tuple(slot_of[t] for t in op._inputs)
            if node.source_value is not None:
                new_slot(op._outputs[0], node.source_value)
                continue
            if not ins and not op._op_def.stateful and node not in maybe_dead:  # a Const: one value per plan
                values = node.fn()
                for t, v in zip(op._outputs, (values,) if len(op._outputs) == 1 else values):
                    new_slot(t, v)
                continue
            outs = tuple(new_slot(t) for t in op._outputs)
            inputs_read.append(ins)
            if not self.has_conds:
                step = (node.fn, _getter(ins), len(ins) == 1, outs[0] if len(outs) == 1 else outs, op)
            elif node in maybe_dead or op._type in _MERGES:
                live_slot[node] = new_slot(object())
                controls = tuple(liveness(c) for c in control_producers.get(node, ()) if c in maybe_dead)
                if op._type in _MERGES:
                    step = (acyclic_plan._merge, node.deref, ins, False, outs, op, controls, live_slot[node])
                else:
                    step = (acyclic_plan._run_guarded, node.fn, (ins, _getter(ins)), len(ins) == 1, outs, op,
                            controls, live_slot[node])
            else:
                step = (acyclic_plan._run_plain, node.fn, _getter(ins), len(ins) == 1, outs, op, (), None)
            (self.body_steps if node in body else self.pre_steps).append(step)
        self.back_edges = [(out, slot_of[nxt]) for out, _, _, nxt in self.merges]
        self.merge_enters = [(out, index, slot_of[t]) for out, index, t, _ in self.merges]
        read = {i for ins in inputs_read for i in ins}
        self.read_indices = [index for _, index, _, _ in self.merges if index in read]  # value_index outputs used
        self.template = template

    def run(self, enter_values):
        v = self.template.copy()
        for node, value in enter_values.items():
            v[self.enter_slots[node]] = value
        for out, index, enter in self.merge_enters:
            v[out] = v[enter]
            v[index] = 0
        pre, body, pred = self.pre_steps, self.body_steps, self.pred_slot
        back_edges = self.back_edges
        op = None
        merge_slots = [out for out, _ in back_edges]
        next_values = _getter([nxt for _, nxt in back_edges])
        single_var = len(back_edges) == 1
        if self.has_conds:
            return self._run_with_conds(v)
        try:
            while True:
                for fn, get, single, out, op in pre:
                    x = fn(get(v)) if single else fn(*get(v))
                    if type(out) is int:
                        v[out] = x
                    else:
                        for o, y in zip(out, x):
                            v[o] = y
                if not v[pred]:
                    break
                for fn, get, single, out, op in body:
                    x = fn(get(v)) if single else fn(*get(v))
                    if type(out) is int:
                        v[out] = x
                    else:
                        for o, y in zip(out, x):
                            v[o] = y
                if single_var:
                    v[merge_slots[0]] = next_values(v)
                else:
                    for o, y in zip(merge_slots, next_values(v)):
                        v[o] = y
                for index in self.read_indices:
                    v[index] = 1
        except Exception as exc:  # noqa: BLE001 -- every kernel failure becomes a tf.errors class
            raise self.op_error(exc, op) from exc
        return [(node, v[slot]) for node, slot in self.exits]

    def _run_with_conds(self, v):
        """The same loop with acyclic_plan's steps, which track dead values inside the iteration."""
        pre, body, pred = self.pre_steps, self.body_steps, self.pred_slot
        merge_slots = [out for out, _ in self.back_edges]
        next_values = [nxt for _, nxt in self.back_edges]
        op = None
        try:
            while True:
                for run, fn, arg, single, outs, op, controls, live in pre:
                    run(v, fn, arg, single, outs, controls, live)
                if not v[pred]:
                    break
                for run, fn, arg, single, outs, op, controls, live in body:
                    run(v, fn, arg, single, outs, controls, live)
                values = [v[i] for i in next_values]
                for o, y in zip(merge_slots, values):
                    v[o] = y
                for index in self.read_indices:
                    v[index] = 1
        except Exception as exc:  # noqa: BLE001 -- every kernel failure becomes a tf.errors class
            raise self.op_error(exc, op) from exc
        return [(node, v[slot]) for node, slot in self.exits]


def _getter(slots):
    """A function of the value list returning the values at ``slots`` (one value for one slot, else a tuple)."""
    if not slots:
        return lambda v: ()
    return operator.itemgetter(*slots)


def compilable(frame_nodes, enters):
    """Whether the frame holds no loop of its own and nothing is fetched from inside it (else the generic
    dataflow rules run it)."""
    loop_conds = [n for n in frame_nodes if n.op._type == "LoopCond"]
    if len(loop_conds) != 1:
        return False
    enter_outputs = {n.op._outputs[0] for n in enters}
    for node in frame_nodes:
        op = node.op
        if op._type not in ("Exit", "RefExit") and any(slots for slots in node.fetch_slots):
            return False
        if op._type in _MERGES and not _is_loop_merge(node, enters):
            if any(t in enter_outputs or t.op._type in ("NextIteration", "RefNextIteration") for t in op._inputs):
                return False
        elif op._type in ("Enter", "RefEnter"):
            return False
        elif op._type in ("Exit", "RefExit") and node.control_outs:
            return False
    return True


def _is_loop_merge(node, enters):
    op = node.op
    return (op._type in _MERGES and len(op._inputs) == 2 and not op._control_inputs
            and any(op._inputs[0] is e.op._outputs[0] for e in enters)
            and op._inputs[1].op._type in ("NextIteration", "RefNextIteration"))


def _downstream(sources, frame_nodes, loop_merges, output=None):
    """The frame nodes reached from ``sources`` (through output ``output`` only, if given), not passing through
    a loop Merge (the next iteration)."""
    reached = set()
    stack = [dst for n in sources for i, out in enumerate(n.outs) if output is None or i == output for dst, _ in out]
    if output is None:
        stack += [dst for n in sources for dst in n.control_outs]
    while stack:
        node = stack.pop()
        if node in reached or node not in frame_nodes or node in loop_merges:
            continue
        reached.add(node)
        stack.extend(dst for out in node.outs for dst, _ in out)
        stack.extend(node.control_outs)
    return reached


def _topological(frame_nodes, loop_merges):
    """Frame nodes ordered so each comes after its inputs in the frame (back edges into loop Merges excluded)."""
    order, state = [], {}
    producers = {}
    for node in frame_nodes:
        for out in node.outs:
            for dst, _ in out:
                producers.setdefault(dst, []).append(node)
        for dst in node.control_outs:
            producers.setdefault(dst, []).append(node)

    def visit(node):
        stack = [(node, False)]
        while stack:
            n, done = stack.pop()
            if done:
                if state.get(n) != 2:
                    state[n] = 2
                    order.append(n)
                continue
            if state.get(n):
                continue
            state[n] = 1
            stack.append((n, True))
            if n not in loop_merges:
                for p in producers.get(n, ()):
                    if p in frame_nodes and not state.get(p):
                        stack.append((p, False))
    for node in sorted(frame_nodes, key=lambda n: n.op._id):
        visit(node)
    return order
