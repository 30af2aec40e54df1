"""The queues behind TensorFlow's queue ops, one object per queue op per Session, shared by its threads.

A queue holds elements (tuples of numpy arrays, one per component) behind one condition variable. Operations that
cannot proceed (dequeue from an empty queue, enqueue into a full one) wait on it until another thread's operation,
``close``, the end of the Session (CancelledError) or the run's deadline (``RunOptions.timeout_in_ms``,
DeadlineExceededError) wakes them. Messages, and the order in which elements leave, are TensorFlow's:

* ``FIFOQueue``, ``PaddingFIFOQueue``: first in, first out; the padding queue pads ``dequeue_many`` batches with
  zeros (empty strings) up to the largest element of the batch in each dimension.
* ``RandomShuffleQueue``: each dequeued element is ``queue[u % size]`` for the next uint32 ``u`` of a
  Philox4x32-10 stream keyed by the op's ``seed`` and started at counter ``seed2 << 64`` (TensorFlow's
  ``SingleSampleAdapter<PhiloxRandom>``), and the last element moves into its place.
* ``PriorityQueue``: a binary heap on the int64 priority that moves elements exactly as libstdc++'s
  ``std::priority_queue`` does, so equal priorities leave in TensorFlow's order.

The queue's name in messages is TensorFlow's private resource name, ``_<id>_<op name>`` with a process-wide id,
or the ``shared_name``.
"""

import collections
import itertools
import random
import threading
import time

import numpy as np

from minitf.framework import errors
from minitf.ops import philox

_resource_ids = itertools.count()


def resource_name(op):
    """TensorFlow's name for the resource made by ``op``: its shared_name, else ``_<unique id>_<op name>``."""
    shared = op._attrs.get("shared_name") or b""
    shared = shared.decode() if isinstance(shared, bytes) else shared
    return shared or f"_{next(_resource_ids)}_{op.name}"


class Queue:
    """A bounded FIFO queue of tuples of arrays; subclasses change which element leaves and how batches form."""

    kind = "FIFOQueue"

    def __init__(self, name, capacity, dtypes, shapes):
        self.name = name
        self.capacity = capacity if capacity >= 0 else 2 ** 31 - 1
        self.dtypes = list(dtypes)
        self.shapes = [tuple(s) for s in shapes] if shapes else None  # None: components of any shape
        self.closed = False
        self._cancelled = False
        self._cond = threading.Condition()
        self._items = collections.deque()

    # -- storage, overridden by the other kinds --------------------------------------------------------------------

    def _push(self, element):
        self._items.append(element)

    def _pop(self):
        return self._items.popleft()

    def _batch(self, elements, n_components):
        return tuple(_stack([e[i] for e in elements], self.dtypes[i], (len(elements),) + self.shapes[i])
                     for i in range(n_components))

    def size(self):
        return len(self._items)

    # -- waiting ---------------------------------------------------------------------------------------------------

    def _wait(self, deadline, cancelled_message):
        """Waits for a change; raises if the Session closed or the run's deadline passed."""
        if self._cancelled:
            raise errors.CancelledError(None, None, cancelled_message)
        if deadline is None:
            self._cond.wait()
        else:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._cond.wait(remaining) and time.monotonic() >= deadline:
                raise errors.DeadlineExceededError(None, None, "Timed out waiting for notification")
        if self._cancelled:
            raise errors.CancelledError(None, None, cancelled_message)

    def close_for_session(self):
        with self._cond:
            self._cancelled = True
            self._cond.notify_all()

    # -- operations ------------------------------------------------------------------------------------------------

    def check_element(self, components, batched):
        """TensorFlow's run-time check of an enqueued tuple: each component has its declared shape, after the
        batch dimension (that of component 0) for EnqueueMany."""
        batch = ()
        if batched:
            batch = (components[0].shape[0],) if components[0].ndim else (-1,)
        for i, value in enumerate(components):
            expected = self._component_shape(i, value, batched)
            if expected is not None and not _matches(batch + expected, value.shape):
                raise errors.InvalidArgumentError(
                    None, None, f"Shape mismatch in tuple component {i}. Expected [{_dims(batch + expected)}], got "
                    f"[{_dims(value.shape)}]")

    def _component_shape(self, i, value, batched):
        """The shape component ``i`` of an element must have (``-1``: any size), or None if not constrained."""
        if self.shapes is not None:
            return self.shapes[i]
        return tuple(value.shape[1:]) if batched else None

    def enqueue(self, elements, deadline):
        """Adds ``elements`` (a list of tuples) one by one as room frees; all of them or an error."""
        with self._cond:
            for element in elements:
                while True:
                    if self.closed:
                        raise errors.CancelledError(None, None, f"{self.kind} '{self.name}' is closed.")
                    if self.size() < self.capacity:
                        break
                    self._wait(deadline, "Enqueue operation was cancelled")
                self._push(element)
                self._cond.notify_all()

    def dequeue(self, deadline):
        with self._cond:
            while not self._can_take(1):
                if self.closed:
                    raise self._insufficient(1)
                self._wait(deadline, "Dequeue operation was cancelled")
            element = self._pop()
            self._cond.notify_all()
            return element

    def dequeue_many(self, n, deadline, allow_smaller):
        """``n`` elements batched along a new first dimension; with ``allow_smaller`` (DequeueUpTo) fewer when the
        queue is closed and holds fewer than ``n`` but at least one."""
        if self.shapes is None:
            raise errors.InvalidArgumentError(
                None, None, f"{self.kind}'s DequeueMany and DequeueUpTo require the components to have specified "
                "shapes.")
        if n < 0:
            raise errors.InvalidArgumentError(None, None, f"DequeueMany requested {n} < 0 elements")
        with self._cond:
            while not self._can_take(n):
                if self.closed:
                    n = self._closed_short(n, allow_smaller)
                    break
                self._wait(deadline, "Dequeue operation was cancelled")
            taken = [self._pop() for _ in range(n)]
            self._cond.notify_all()
        return self._batch(taken, len(self.dtypes))

    def _can_take(self, n):
        return self.size() >= n

    def _closed_short(self, n, allow_smaller):
        """The batch size to take from a closed queue that holds fewer than ``n`` elements, or the error."""
        if allow_smaller and self.size() > 0:
            return self.size()
        raise self._insufficient(n)

    def _insufficient(self, n):
        return errors.OutOfRangeError(
            None, None, f"{self.kind} '{self.name}' is closed and has insufficient elements (requested {n}, "
            f"current size {self.size()})")

    def close(self, cancel_pending_enqueues, deadline):
        """Closes the queue. Without ``cancel_pending_enqueues`` the close waits behind blocked enqueues, as
        TensorFlow's close is queued after them; with it they fail with CancelledError."""
        with self._cond:
            if not cancel_pending_enqueues:
                if self.closed:
                    raise errors.CancelledError(None, None, f"Queue '{self.name}' is already closed.")
            self.closed = True
            self._cond.notify_all()


class PaddingFIFOQueue(Queue):
    """A FIFO queue whose components may have unknown dimensions; batches are padded with zeros."""

    kind = "PaddingFIFOQueue"

    def _batch(self, elements, n_components):
        batches = []
        for i in range(n_components):
            values = [e[i] for e in elements]
            dims = [max((v.shape[k] for v in values), default=0) if d < 0 else d
                    for k, d in enumerate(self.shapes[i])]
            out = np.full([len(values)] + dims, b"" if values and values[0].dtype == object else 0,
                          dtype=self.dtypes[i].as_numpy_dtype)
            for j, v in enumerate(values):
                out[(j,) + tuple(slice(0, d) for d in v.shape)] = v
            batches.append(out)
        return tuple(batches)


class RandomShuffleQueue(Queue):
    """Dequeues a Philox-chosen element, keeping ``min_after_dequeue`` elements until the queue is closed."""

    kind = "RandomShuffleQueue"
    _BLOCKS = 64

    def __init__(self, name, capacity, dtypes, shapes, min_after_dequeue, seed, seed2):
        super().__init__(name, capacity, dtypes, shapes)
        if seed == 0 and seed2 == 0:
            seed, seed2 = random.getrandbits(64), random.getrandbits(64)
        self.min_after_dequeue = min_after_dequeue
        self._items = []
        self._key = philox.philox_key(seed)
        self._counter = philox.initial_counter(seed2)
        self._samples = iter(())

    def _next_uint32(self):
        sample = next(self._samples, None)
        if sample is None:
            blocks = philox.philox_blocks(self._key, self._counter, self._BLOCKS)
            self._counter = (self._counter + self._BLOCKS) % 2 ** 128
            self._samples = iter(blocks.reshape(-1).tolist())
            sample = next(self._samples)
        return sample

    def _pop(self):
        items = self._items
        index = self._next_uint32() % len(items)
        element = items[index]
        items[index] = items[-1]
        items.pop()
        return element

    def _can_take(self, n):
        return self.size() - (0 if self.closed else self.min_after_dequeue) >= n


class PriorityQueue(Queue):
    """Elements leave smallest priority (component 0, an int64 scalar) first, in ``std::priority_queue`` order."""

    kind = "PriorityQueue"

    def __init__(self, name, capacity, dtypes, shapes):
        super().__init__(name, capacity, dtypes, shapes)
        self._items = []

    def _component_shape(self, i, value, batched):
        if i == 0:  # the priority: a scalar per element, whether or not shapes were given
            return ()
        return super()._component_shape(i, value, batched)

    def _closed_short(self, n, allow_smaller):
        """As TensorFlow's PriorityQueue: a batch that the closed queue cannot fill fails with OutOfRangeError
        even for DequeueUpTo, and the elements it had taken are lost (its kernel takes them one by one and never
        puts them back)."""
        taken = self.size()
        self._items.clear()
        raise self._insufficient(n - taken)

    def _push(self, element):
        """libstdc++'s ``push_heap`` with ``greater`` on the priority: sift the new hole up."""
        heap = self._items
        heap.append(element)
        hole = len(heap) - 1
        priority = int(element[0])
        parent = (hole - 1) // 2
        while hole > 0 and int(heap[parent][0]) > priority:
            heap[hole] = heap[parent]
            hole = parent
            parent = (hole - 1) // 2
        heap[hole] = element

    def _pop(self):
        """libstdc++'s ``pop_heap``: the last element fills a hole pushed from the root down to a leaf, then up."""
        heap = self._items
        top = heap[0]
        value = heap.pop()
        n = len(heap)
        if n == 0:
            return top
        hole = 0
        child = hole
        while child < (n - 1) // 2:
            child = 2 * (child + 1)
            if int(heap[child][0]) > int(heap[child - 1][0]):
                child -= 1
            heap[hole] = heap[child]
            hole = child
        if n % 2 == 0 and child == (n - 2) // 2:
            child = 2 * (child + 1)
            heap[hole] = heap[child - 1]
            hole = child - 1
        priority = int(value[0])
        parent = (hole - 1) // 2
        while hole > 0 and int(heap[parent][0]) > priority:
            heap[hole] = heap[parent]
            hole = parent
            parent = (hole - 1) // 2
        heap[hole] = value
        return top

def _stack(values, dtype, shape):
    out = np.empty(shape, dtype=dtype.as_numpy_dtype)
    for j, v in enumerate(values):
        out[j, ...] = v  # not out[j] = v: that would store a 0-d object array itself as one string element
    return out


def _matches(expected, shape):
    return len(expected) == len(shape) and all(e < 0 or e == d for e, d in zip(expected, shape))


def _dims(shape):
    return ",".join("?" if d < 0 else str(d) for d in shape)
