"""What a Session owns: variable values, random-stream positions and resources. Nothing here is global."""

import threading

from minitf.framework import errors


class VariableCell:
    """The storage of one variable in one session. ``value`` is None until the variable is initialised.

    Updates (Assign, AssignAdd, Scatter*, Apply*) hold ``lock`` from reading the value to storing the new one, so
    concurrent ``Session.run`` calls never lose an update. A reader needs no lock: an update stores a new array.
    """

    __slots__ = ("name", "value", "lock")

    def __init__(self, name):
        self.name = name
        self.value = None
        self.lock = threading.Lock()

    def read(self):
        value = self.value
        if value is None:
            raise errors.FailedPreconditionError(
                None, None, f"Attempting to use uninitialized value {self.name}")
        return value


class SessionState:
    def __init__(self, graph):
        self.graph = graph
        self.cells = {}
        self.random_streams = {}
        self.resources = {}
        self._lock = threading.Lock()  # plans built in several threads at once make each cell or stream once
        self.run_context = threading.local()  # per-thread facts of the current run: ``deadline`` (or None)

    def cell(self, var_op):
        """The storage of ``var_op``: variables sharing a ``shared_name`` share it, as in TensorFlow."""
        key = var_op._attrs.get("shared_name") or var_op.name
        with self._lock:
            cell = self.cells.get(key)
            if cell is None:
                cell = self.cells[key] = VariableCell(var_op.name)
        return cell

    def random_stream(self, op, make_stream):
        with self._lock:
            stream = self.random_streams.get(op.name)
            if stream is None:
                stream = self.random_streams[op.name] = make_stream()
        return stream

    def resource(self, op, make):
        """The per-session object behind a resource op (a queue, a reader, an iterator): made by ``make()`` on
        first use and shared by the ops with the same ``shared_name``, as in TensorFlow. Safe across threads."""
        key = op._attrs.get("shared_name") or op.name
        if isinstance(key, bytes):  # a name, as the op name an unshared resource is keyed by
            key = key.decode()
        with self._lock:
            resource = self.resources.get(key)
            if resource is None:
                resource = self.resources[key] = make()
        return resource

    def deadline(self):
        """The ``time.monotonic()`` by which this thread's current run must end (``RunOptions.timeout_in_ms``),
        or None; blocking kernels (a queue's dequeue) raise DeadlineExceededError after it."""
        return getattr(self.run_context, "deadline", None)

    def close(self):
        """Closes the resources that can be closed, so that threads blocked on them (a queue's dequeue) wake."""
        for resource in list(self.resources.values()):
            close = getattr(resource, "close_for_session", None)
            if close is not None:
                close()

