"""Intra-op parallelism for the kernels that work block by block (convolutions, pooling, LRN) and for large
element-wise ones (Relu, ReluGrad, BiasAdd: ``for_rows``).

A kernel hands its blocks to ``for_each``: the calling thread and idle helper threads take the next block until none
is left (numpy releases the GIL in its matrix products, copies and element-wise loops, so the blocks run on several
cores). The kernel fixes its blocks without looking at the thread count, and each block writes only its own part of
the output (or its own partial sum, which the kernel adds in block order afterwards), so every result has the same
bits whatever the number of threads, the machine's load or the schedule.

Helpers are asked whatever the machine's load. Each takes one block at a time, so a helper the kernel has
descheduled delays the kernel by at most the block it holds, and the calling thread never waits for a helper that
has not started (it then simply does all the blocks itself). On a machine other processes keep busy, the process's
extra runnable thread earns it a larger share of the cores, as TensorFlow's intra-op pool does: the CIFAR-10 step
under two spinning processes on the 2-core machine took 0.29 s (two runs) against 0.41 s when helpers were asked
only while ``/proc/loadavg`` showed an idle core, and 0.33 - 0.46 s on one thread; under four, 0.53 s against
0.79 s and 0.71 - 0.75 s (benchmarks/bench_steps.py, medians of interleaved runs, 2026-12-06).
Helpers never spin: they block on a queue between kernels.

How many threads a kernel may use is the session's choice (``minitf/client/threading_policy.py`` sets it while a
``Session.run`` executes; outside one, kernels run on the calling thread only).
"""

import os
import queue
import threading

_threads = 1  # threads per kernel, the calling one included
_tasks = None  # the helpers' queue, made with the helpers on first use
_helpers = 0
_start_lock = threading.Lock()


def set_threads(count):
    """Lets each kernel use up to ``count`` threads (1: the calling thread only)."""
    global _threads
    _threads = max(1, int(count))


def threads():
    return _threads


class _Work:
    """Blocks ``items`` of one kernel call, taken in order by whichever thread is free."""

    __slots__ = ("fn", "items", "next", "running", "error", "lock", "idle")

    def __init__(self, fn, items):
        self.fn, self.items = fn, items
        self.next = 0
        self.running = 0
        self.error = None  # (item index, exception) of the first failed item in item order
        self.lock = threading.Lock()
        self.idle = threading.Condition(self.lock)

    def run(self):
        while True:
            with self.lock:
                if self.next >= len(self.items):
                    return
                index = self.next
                self.next += 1
                self.running += 1
            try:
                self.fn(self.items[index])
            except BaseException as exc:  # noqa: BLE001 -- raised again by the calling thread
                with self.lock:
                    self.next = len(self.items)  # no further block starts
                    if self.error is None or index < self.error[0]:
                        self.error = (index, exc)
            finally:
                with self.lock:
                    self.running -= 1
                    if self.running == 0:
                        self.idle.notify_all()

    def wait(self):
        with self.lock:
            while self.running:
                self.idle.wait()


def schedulable_cores():
    """The CPUs this process may run on (its affinity mask; every CPU where the system does not say)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _helper_loop(tasks):
    while True:
        tasks.get().run()


def _start_helpers(count):
    global _tasks, _helpers
    with _start_lock:
        if _tasks is None:
            _tasks = queue.SimpleQueue()
        while _helpers < count:
            threading.Thread(target=_helper_loop, args=(_tasks,), name=f"minitf-intra-op-{_helpers}",
                             daemon=True).start()
            _helpers += 1
    return _tasks


def _forget_helpers():
    """In a forked child the helper threads are gone: start new ones when needed."""
    global _tasks, _helpers
    _tasks, _helpers = None, 0


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_helpers)


def for_each(fn, items):
    """Calls ``fn(item)`` for every item of the sequence ``items`` on this thread and up to ``threads() - 1``
    helpers, and returns when all calls have returned. If calls fail, raises the exception of the first failed item
    in item order (blocks not yet started then do not run)."""
    helpers = min(_threads, len(items)) - 1
    if helpers <= 0:
        for item in items:
            fn(item)
        return
    work = _Work(fn, items)
    tasks = _start_helpers(helpers) if _helpers < helpers or _tasks is None else _tasks
    for _ in range(helpers):
        tasks.put(work)
    work.run()
    work.wait()
    if work.error is not None:
        raise work.error[1]


ELEMENTWISE_BYTES = 1 << 20  # from this size Relu, ReluGrad and BiasAdd share their rows (for_rows)
_ROW_BLOCK_BYTES = 1 << 18  # rows of an element-wise kernel per block


def for_rows(fn, out, *arrays):
    """``fn(*blocks, out=out_block)`` over blocks of rows of ``out`` and ``arrays`` (the same rows of each), shared
    among threads as ``for_each``: for element-wise kernels on large arrays, whose rows are independent."""
    rows = out.shape[0]
    per_block = max(1, _ROW_BLOCK_BYTES // max(1, out[:1].nbytes))
    blocks = [slice(start, min(start + per_block, rows)) for start in range(0, rows, per_block)]
    for_each(lambda block: fn(*[a[block] for a in arrays], out=out[block]), blocks)
