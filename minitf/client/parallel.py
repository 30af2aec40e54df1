"""Inter-op parallelism for a flat plan: two independent heavy ops run at once, one on a worker thread.

numpy releases the GIL inside its heavy kernels (matrix products, large element-wise loops and copies), so two
kernels with no data between them use two cores, as TensorFlow's inter-op pool does. Scheduling every op that way
would cost more in thread hand-offs than small kernels take, so a plan is first run sequentially with each step
timed (its second and third runs, the faster of the two per step: the first run pays one-off costs; processor time,
which other processes do not inflate), and only steps that took at least ``HEAVY_SECONDS`` each are paired: in a
training step, for example, a convolution's filter gradient and its input gradient, or a dense layer's weight and
input gradients.

A pair becomes one *fork* step of the plan: at the place of its first op ``a``, the fork runs ``a`` on the calling
thread while a worker runs the later heavy op ``b`` together with the steps between them that ``b`` needs (or, if
the worker has not started them when ``a`` is done, the calling thread runs them itself: a worker that a busy
machine keeps off the cores delays the fork only when it has started). Forks run whatever the machine's load, as
TensorFlow's inter-op pool does (see ``minitf/ops/kernel_threads.py`` for what that gains on a busy machine). A
fork never crosses or contains a stateful step (variable updates, random ops, queues), so every op reads the same
values as in sequential order, and each kernel computes the same bits (BLAS keeps one thread per product, see
``threading_policy.py``): results are identical with and without inter-op parallelism. When a kernel fails, the
fork raises the error of its first failing op in plan order, converted as the sequential executor does.
"""

import time

HEAVY_SECONDS = 2e-3
_WINDOW = 64  # how many later steps are searched for a partner


def timed_steps(steps, costs):
    """``steps`` with each kernel wrapped to add the processor time its thread spent in it to ``costs[index]``
    (processor time, not wall time: when other processes compete for the cores a small kernel can take several
    milliseconds of wall time, and pairing such kernels would only add thread hand-offs)."""
    def timed(fn, index):
        def call(*args):
            start = time.thread_time()
            try:
                return fn(*args)
            finally:
                costs[index] += time.thread_time() - start
        return call
    return [(timed(fn, index), ins, out, frees, op) for index, (fn, ins, out, frees, op) in enumerate(steps)]


def _outs(out):
    return (out,) if type(out) is int else out


def _ancestors(steps):
    """For each step, the set of earlier steps it depends on (through the value slots), as a bit mask."""
    producer = {}
    masks = []
    for index, (_, ins, out, _, _) in enumerate(steps):
        mask = 0
        for slot in ins:
            p = producer.get(slot)
            if p is not None:
                mask |= (1 << p) | masks[p]
        masks.append(mask)
        for slot in _outs(out):
            producer[slot] = index
    return masks


def fork_schedule(steps, costs, fetch_slots, pool, op_error):
    """The plan's steps with independent heavy pairs made into forks, as raw steps ``(fn, ins, out, op)`` (the
    caller recomputes when each slot is freed); None when there is nothing worth running in parallel."""
    stateful = [op._op_def.stateful for *_, op in steps]
    heavy = [cost >= HEAVY_SECONDS and not s for cost, s in zip(costs, stateful)]
    if sum(heavy) < 2:
        return None
    masks = _ancestors(steps)
    taken = set()
    groups = []  # each a list of step indices: [index] or the fork [a, *b_branch]
    for a in range(len(steps)):
        if a in taken:
            continue
        partner = None
        if heavy[a]:
            for b in range(a + 1, min(len(steps), a + 1 + _WINDOW)):
                if stateful[b]:
                    break
                if heavy[b] and b not in taken and not (masks[b] >> a) & 1:
                    partner = b
                    break
        if partner is None:
            groups.append([a])
            continue
        branch = [k for k in range(a + 1, partner) if (masks[partner] >> k) & 1 and k not in taken] + [partner]
        taken.update(branch)
        groups.append([a] + branch)
    if all(len(g) == 1 for g in groups):
        return None
    return _with_forks(steps, groups, fetch_slots, pool, op_error)


def _with_forks(steps, groups, fetch_slots, pool, op_error):
    last_reader = {}  # slot -> the last group that reads it
    for g, group in enumerate(groups):
        for index in group:
            for slot in steps[index][1]:
                last_reader[slot] = g
    raw = []
    for g, group in enumerate(groups):
        if len(group) == 1:
            fn, ins, out, _, op = steps[group[0]]
            raw.append((fn, ins, out, op))
            continue
        made = [slot for index in group for slot in _outs(steps[index][2])]
        ins = tuple(sorted({slot for index in group for slot in steps[index][1]} - set(made)))
        outs = tuple(slot for slot in made if last_reader.get(slot, -1) > g or slot in fetch_slots)
        first, rest = [steps[group[0]]], [steps[index] for index in group[1:]]
        raw.append((_Fork(first, rest, ins, outs, pool, op_error), ins, outs, first[0][4]))
    return raw


class _Fork:
    """Runs the steps ``first`` here and ``rest`` on a worker; returns the values of ``outs``."""

    __slots__ = ("first", "rest", "ins", "outs", "pool", "op_error")

    def __init__(self, first, rest, ins, outs, pool, op_error):
        self.first, self.rest, self.ins, self.outs = first, rest, ins, outs
        self.pool, self.op_error = pool, op_error

    def __call__(self, *values):
        env = dict(zip(self.ins, values))
        worker = self.pool.submit(_run_branch, self.rest, env)
        error_here = _run_branch(self.first, env)
        # a worker that has not started yet (descheduled by a competing process) is not waited for: its branch runs
        # here, as in sequential execution
        error_there = _run_branch(self.rest, env) if worker.cancel() else worker.result()
        error = error_here or error_there
        if error is not None:
            exc, op = error
            raise self.op_error(exc, op) from exc
        return tuple(env[slot] for slot in self.outs)


def _run_branch(steps, env):
    """Runs ``steps`` over the dict ``env``; returns (exception, op) of the first failure, or None."""
    for fn, ins, out, _, op in steps:
        try:
            value = fn(*[env[slot] for slot in ins])
        except Exception as exc:  # noqa: BLE001 -- reported by the fork as the sequential executor would
            return exc, op
        if type(out) is int:
            env[out] = value
        else:
            for slot, v in zip(out, value):
                env[slot] = v
    return None


def new_pool():
    import concurrent.futures  # only sessions that find heavy independent ops need a thread pool
    return concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="minitf-inter-op")
