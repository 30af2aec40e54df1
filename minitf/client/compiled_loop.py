"""A fast path for simple while loops inside the dataflow executor.

A loop frame whose only control-flow ops are its own (one LoopCond; Merges of an Enter and a NextIteration;
Switches on the LoopCond; constant Enters; no conds or loops inside) computes exactly what the dataflow rules
compute when it runs one iteration after another: every iteration evaluates the condition part (everything not
downstream of a Switch's true output), and while the predicate holds, the body; the NextIteration values become
the next iteration's Merge values and the last Merge values leave through the Exits. Such a frame is compiled
into two flat step lists over value slots, like a Session's flat plan, and run in a Python loop.
"""

import operator

_ALIAS_TYPES = {"Switch", "LoopCond", "NextIteration", "Exit", "Identity"}
_REF_FORWARD = {"RefSwitch", "RefNextIteration", "RefExit"}


class CompiledLoop:
    """The flat form of one loop frame: ``run(enter_values)`` returns the value of each Exit."""

    def __init__(self, enters, frame_nodes, op_error):
        self.op_error = op_error
        slot_of = {}
        template = []

        def new_slot(tensor, value=None):
            slot_of[tensor] = len(template)
            template.append(value)
            return slot_of[tensor]

        self.enter_slots = {node: new_slot(node.op._outputs[0]) for node in enters}
        merges = [n for n in frame_nodes if n.op._type in ("Merge", "RefMerge")]
        self.merges = []
        for node in merges:
            out = new_slot(node.op._outputs[0])
            index = new_slot(node.op._outputs[1])
            self.merges.append((out, index, node.op._inputs[0], node.op._inputs[1]))
        body = _downstream_of_switch_true(frame_nodes)
        self.pre_steps, self.body_steps, self.exits = [], [], []
        for node in _topological(frame_nodes):
            op = node.op
            if op._type in ("Merge", "RefMerge"):
                continue
            if op._type in _REF_FORWARD or op._type in _ALIAS_TYPES and not op._inputs[0].dtype.is_ref_dtype:
                for t in op._outputs:
                    slot_of[t] = slot_of[op._inputs[0]]
                if op._type in ("Exit", "RefExit"):
                    self.exits.append((node, slot_of[op._outputs[0]]))
                if op._type == "LoopCond":
                    self.pred_slot = slot_of[op._outputs[0]]
                continue
            ins = tuple(slot_of[t] for t in op._inputs)
            if not ins and not op._op_def.stateful and node.source_value is None:  # a Const: one value per plan
                values = node.fn()
                for t, v in zip(op._outputs, (values,) if len(op._outputs) == 1 else values):
                    new_slot(t, v)
                continue
            if node.source_value is not None:
                new_slot(op._outputs[0], node.source_value)
                continue
            outs = tuple(new_slot(t) for t in op._outputs)
            step = (node.fn, _getter(ins), len(ins) == 1, outs[0] if len(outs) == 1 else outs, op)
            (self.body_steps if node in body else self.pre_steps).append(step)
        self.back_edges = [(out, slot_of[nxt]) for out, _, _, nxt in self.merges]
        self.merge_enters = [(out, index, slot_of[t]) for out, index, t, _ in self.merges]
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
                for _, index, _ in self.merge_enters:
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
    """Whether the frame's only control flow is its own loop (else the generic dataflow rules run it)."""
    loop_conds = [n for n in frame_nodes if n.op._type == "LoopCond"]
    if len(loop_conds) != 1:
        return False
    pred = loop_conds[0].op._outputs[0]
    enter_outputs = {n.op._outputs[0] for n in enters}
    for node in frame_nodes:
        op = node.op
        if op._type not in ("Exit", "RefExit") and any(slots for slots in node.fetch_slots):
            return False
        if op._type in ("Merge", "RefMerge"):
            if len(op._inputs) != 2 or op._inputs[0] not in enter_outputs or \
                    op._inputs[1].op._type not in ("NextIteration", "RefNextIteration") or op._control_inputs:
                return False
        elif op._type in ("Switch", "RefSwitch"):
            if op._inputs[1] is not pred:
                return False
        elif op._type in ("Enter", "RefEnter"):
            return False
        elif op._type in ("Exit", "RefExit") and node.control_outs:
            return False
    return True


def _downstream_of_switch_true(frame_nodes):
    body = set()
    stack = [dst for n in frame_nodes if n.op._type in ("Switch", "RefSwitch") for dst, _ in n.outs[1]]
    while stack:
        node = stack.pop()
        if node in body or node not in frame_nodes or node.op._type in ("Merge", "RefMerge"):
            continue
        body.add(node)
        stack.extend(dst for out in node.outs for dst, _ in out)
        stack.extend(node.control_outs)
    return body


def _topological(frame_nodes):
    """Frame nodes ordered so each comes after its inputs in the frame (back edges into Merges excluded)."""
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
            if n.op._type not in ("Merge", "RefMerge"):
                for p in producers.get(n, ()):
                    if p in frame_nodes and not state.get(p):
                        stack.append((p, False))
    for node in sorted(frame_nodes, key=lambda n: n.op._id):
        visit(node)
    return order
