"""A fast path for plans with conds but no loops: one pass over the ops in a topological order.

Without loops every op runs at most once, so the dataflow rules reduce to: a Switch sends DEAD down its untaken
output; an op with a dead data or control input is dead (its outputs are DEAD, its kernel does not run); a Merge
forwards its first live input. Only the ops downstream of a Switch can ever be dead, so only they pay for the
check; the others run exactly as in the Session's flat plan.
"""

import collections
import operator

import numpy as np

from minitf.framework import errors
from minitf.ops.control_flow_ops import DEAD

_LOOP_TYPES = {"Enter", "RefEnter", "Exit", "RefExit", "NextIteration", "RefNextIteration", "LoopCond"}
_SWITCHES = {"Switch", "RefSwitch"}
_MERGES = {"Merge", "RefMerge"}


def applicable(ops_in_order):
    return not any(op._type in _LOOP_TYPES for op in ops_in_order)


class AcyclicPlan:
    """``execute(feed_values)`` runs the plan once and returns the fetched values."""

    def __init__(self, ops_in_order, feed_tensors, fetch_tensors, kernels, op_error):
        """``kernels[op]`` is ``(kernel, value)``: the kernel (refs read where needed; for a Merge, the positions
        of the inputs to read), or the value of a per-session op."""
        self.op_error = op_error
        slot_of, template = {}, []

        def new_slot(tensor, value=None):
            slot_of[tensor] = len(template)
            template.append(value)
            return slot_of[tensor]

        self.feed_slots = [new_slot(t) for t in feed_tensors]
        constant = set()  # slots computed once, here, from constants alone (as the flat plan folds them)
        maybe_dead = _downstream_of_switches(ops_in_order)
        live_slot = {}  # a maybe-dead op -> the slot telling whether it ran (for its control consumers)
        self.steps = []
        for op in _topological(ops_in_order, set(feed_tensors)):
            fn, source_value = kernels[op]
            if source_value is not None:
                for t, v in zip(op._outputs, (source_value,)):
                    new_slot(t, v)
                continue
            outs = tuple(new_slot(t) for t in op._outputs)
            ins = tuple(slot_of[t] for t in op._inputs)
            if op not in maybe_dead:
                if (not op._op_def.stateful and all(i in constant for i in ins)
                        and not any(t.dtype.is_ref_dtype for t in op._inputs)):
                    values = fn(*[template[i] for i in ins])
                    for o, value in zip(outs, (values,) if len(outs) == 1 else values):
                        template[o] = value
                        constant.add(o)
                    continue
                self.steps.append((_run_plain, fn, ins, outs, op, (), None))
                continue
            live_slot[op] = new_slot(object())  # a key of its own
            controls = tuple(live_slot[c] for c in op._control_inputs if c in live_slot)
            self.steps.append((_merge if op._type in _MERGES else _run_guarded, fn, ins, outs, op, controls,
                               live_slot[op]))
        self.fetch_slots = [slot_of[t] for t in fetch_tensors]
        self.template = template
        self.steps = _with_frees(self.steps, set(self.fetch_slots) | set(self.feed_slots) | set(live_slot.values()))

    def execute(self, feed_values):
        v = self.template.copy()
        for slot, value in zip(self.feed_slots, feed_values):
            v[slot] = value
        op = None
        try:
            for run, fn, ins, single, outs, op, controls, live, frees in self.steps:
                run(v, fn, ins, single, outs, controls, live)
                for i in frees:
                    v[i] = None
        except errors.OpError as exc:
            if exc.op is None and op is not None:
                raise self.op_error(exc, op) from exc
            raise
        except Exception as exc:  # noqa: BLE001 -- every kernel failure becomes a tf.errors class
            raise self.op_error(exc, op) from exc
        results = [v[slot] for slot in self.fetch_slots]
        for index, value in enumerate(results):
            if value is DEAD:
                raise errors.InvalidArgumentError(None, None, f"Retval[{index}] does not have value")
        return results


def _run_plain(v, fn, get, single, outs, controls, live):
    x = fn(get(v)) if single else fn(*get(v))
    if len(outs) == 1:
        v[outs[0]] = x
    else:
        for o, y in zip(outs, x):
            v[o] = y


def _run_guarded(v, fn, ins_and_get, single, outs, controls, live):
    """A maybe-dead op: dead (DEAD outputs) when any data or control input is dead, else its kernel runs."""
    ins, get = ins_and_get
    for i in ins:
        if v[i] is DEAD:
            break
    else:
        for c in controls:
            if v[c] is DEAD:
                break
        else:
            v[live] = True
            _run_plain(v, fn, get, single, outs, controls, live)
            return
    v[live] = DEAD
    for o in outs:
        v[o] = DEAD


def _merge(v, deref, ins, single, outs, controls, live):
    for index, i in enumerate(ins):
        if v[i] is not DEAD:
            value = v[i].read() if index in deref else v[i]
            v[outs[0]], v[outs[1]] = value, np.int32(index)
            v[live] = True
            return
    v[outs[0]] = v[outs[1]] = v[live] = DEAD


def _getter(slots):
    if not slots:
        return lambda v: ()
    return operator.itemgetter(*slots)


def _downstream_of_switches(ops_in_order):
    consumers = collections.defaultdict(list)
    for op in ops_in_order:
        for t in op._inputs:
            consumers[t._op].append(op)
        for c in op._control_inputs:
            consumers[c].append(op)
    reached = set()
    stack = [op for op in ops_in_order if op._type in _SWITCHES]
    while stack:
        op = stack.pop()
        for consumer in consumers[op]:
            if consumer not in reached:
                reached.add(consumer)
                stack.append(consumer)
    return {op for op in reached if op._type != "ControlTrigger"}  # a ControlTrigger runs even after dead inputs


def _with_frees(steps, keep):
    """The final steps ``(run, kernel, inputs, single input, outputs, op, controls, live slot, slots to free)``:
    a plain step reads its inputs with an itemgetter (a guarded one checks the slots first), and each step frees
    the slots it is the last reader of."""
    last_use = {}
    for index, (_, _, ins, _, _, controls, _) in enumerate(steps):
        for i in ins + controls:
            last_use[i] = index
    frees = collections.defaultdict(list)
    for slot, index in last_use.items():
        if slot not in keep:
            frees[index].append(slot)
    arguments = {_run_plain: lambda ins: _getter(ins), _run_guarded: lambda ins: (ins, _getter(ins)),
                 _merge: lambda ins: ins}
    return [(run, fn, arguments[run](ins), len(ins) == 1, outs, op, controls, live, tuple(frees.get(index, ())))
            for index, (run, fn, ins, outs, op, controls, live) in enumerate(steps)]


def _topological(ops_in_order, fed):
    """The ops ordered so each comes after its inputs' producers (a Switch a cond adds for an op it already made
    comes after that op in creation order), ties broken by creation order."""
    import heapq
    present = set(ops_in_order)
    pending = {}
    consumers = collections.defaultdict(list)
    for op in ops_in_order:
        producers = {t._op for t in op._inputs if t not in fed and t._op in present}
        producers |= {c for c in op._control_inputs if c in present}
        pending[op] = len(producers)
        for p in producers:
            consumers[p].append(op)
    ready = [(op._id, op) for op in ops_in_order if pending[op] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        _, op = heapq.heappop(ready)
        order.append(op)
        for consumer in consumers[op]:
            pending[consumer] -= 1
            if pending[consumer] == 0:
                heapq.heappush(ready, (consumer._id, consumer))
    return order
