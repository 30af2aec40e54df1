"""``tf.summary.FileWriter``: event files as TensorFlow writes them, which the real TensorBoard reads.

A file is ``<logdir>/events.out.tfevents.<seconds>.<hostname><suffix>``: TFRecords of ``Event`` protos, the first
holding ``file_version: "brain.Event:2"``. Events go through a queue to a background thread, so ``add_*`` calls
do not wait for the disk; ``flush()`` and ``close()`` wait until everything queued is written. A write error is
raised by the next call, never a hang, and a writer nobody closes is closed at garbage collection or exit.
"""

import collections
import errno
import os
import threading
import time
import weakref

from minitf.framework import ops
from minitf.io import tfrecord
from minitf.platform import tf_logging


def _proto(name):
    from minitf.proto import config_pb2, event_pb2, summary_pb2
    return {"Event": event_pb2.Event, "Summary": summary_pb2.Summary, "SessionLog": event_pb2.SessionLog,
            "RunMetadata": config_pb2.RunMetadata}[name]


class _EventFile:
    """One event file, written by a daemon thread from a bounded queue (``max_queue``), flushed at least every
    ``flush_secs``.

    A write error (disk full, file-size limit, quota) stops the thread and wakes every caller waiting on it; the
    next ``add``, ``flush`` or ``close`` raises it once, as TensorFlow's ``EventFileWriter`` does, and the file is
    closed. A finalizer flushes and closes the file when the writer is garbage collected or the interpreter exits,
    so events still queued are not lost.
    """

    _FLUSH = object()
    _CLOSE = object()

    def __init__(self, logdir, max_queue, flush_secs, filename_suffix):
        import socket  # only a program that writes events needs it
        os.makedirs(logdir, exist_ok=True)
        now = time.time()
        self.path = os.path.join(logdir, "events.out.tfevents.%010d.%s%s" % (
            int(now), socket.gethostname(), filename_suffix or ""))
        self._writer = tfrecord.TFRecordWriter(self.path)
        first = _proto("Event")(wall_time=float(int(now)), file_version="brain.Event:2")
        first.source_metadata.writer = "minitf"
        self._writer.write(first.SerializeToString())
        self._writer.flush()
        self._queue = _ClosableQueue(max_queue)
        self._flush_secs = flush_secs
        self._flushed = threading.Event()
        self._failure = None
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="minitf-event-writer", daemon=True)
        self._thread.start()

    def _run(self):
        next_flush = time.time() + self._flush_secs
        unflushed = 0
        try:
            while True:
                # idle with nothing unflushed: sleep until the next event rather than wake every flush_secs
                item = self._queue.get(timeout=None if unflushed == 0 else max(0.0, next_flush - time.time()))
                if item is self._CLOSE:
                    self._write_or_fail(self._writer.flush, unflushed)
                    return
                if item is not None and item is not self._FLUSH:
                    self._write_or_fail(lambda: self._writer.write(item), unflushed + 1)
                    unflushed += 1
                if item is None or item is self._FLUSH or time.time() >= next_flush:
                    self._write_or_fail(self._writer.flush, unflushed)
                    unflushed = 0
                    next_flush = time.time() + self._flush_secs
                if item is self._FLUSH:
                    self._flushed.set()
        except Exception as exc:  # noqa: BLE001 -- kept and raised to the caller, as TensorFlow's writer does
            self._failure = exc
        finally:
            self._flushed.set()  # a flush() waiting on a dead thread returns (and raises the failure)
            self._queue.close()  # an add() blocked on a full queue returns (and raises the failure)
            try:
                self._writer.close()
            except OSError:
                pass  # the failure was recorded above; what is on disk stays readable up to the last record

    def _write_or_fail(self, write, unflushed):
        """Runs one write; an ``OSError`` becomes the error TensorFlow's events writer reports: the path, the
        system's reason and how many events were not flushed (``IndexError`` for a file-size limit, which
        TensorFlow maps from OUT_OF_RANGE, ``RuntimeError`` otherwise)."""
        try:
            write()
        except OSError as exc:
            kind = IndexError if exc.errno == errno.EFBIG else RuntimeError
            raise kind(f"{self.path}; {exc.strerror or exc}\n\tFailed to flush {unflushed} events to "
                       f"{self.path}") from exc

    def _put(self, item):
        if self._closed:
            return False
        if not self._queue.put(item):
            self._raise_failure()
        return True

    def _raise_failure(self):
        """Closes this file; raises the writer thread's failure, if any, once."""
        self._closed = True
        self._thread.join()
        failure, self._failure = self._failure, None
        if failure is not None:
            raise failure

    def add(self, event):
        self._put(event.SerializeToString())

    def flush(self):
        self._flushed.clear()
        if self._put(self._FLUSH):
            self._flushed.wait()
            if self._failure is not None:
                self._raise_failure()

    def close(self):
        if not self._closed:
            self.flush()
        if self._put(self._CLOSE):
            self._raise_failure()

    def close_quietly(self):
        """Closes at garbage collection or interpreter exit, where nobody can catch an error: logs it instead."""
        try:
            self.close()
        except (IndexError, RuntimeError) as exc:
            tf_logging.error("EventFileWriter writer thread error: %s", exc)


class _ClosableQueue:
    """A bounded FIFO whose ``put`` returns False instead of blocking once the queue is closed, so that a writer
    thread that died never leaves its callers waiting (TensorFlow's ``CloseableQueue``)."""

    def __init__(self, maxsize):
        self._items = collections.deque()
        self._maxsize = maxsize
        self._closed = False
        self._lock = threading.Lock()
        self._not_empty = threading.Condition(self._lock)
        self._not_full = threading.Condition(self._lock)

    def put(self, item):
        with self._not_full:
            while not self._closed and 0 < self._maxsize <= len(self._items):
                self._not_full.wait()
            if self._closed:
                return False
            self._items.append(item)
            self._not_empty.notify()
            return True

    def get(self, timeout):
        """The next item, or None after ``timeout`` seconds (None: no limit) without one."""
        with self._not_empty:
            if not self._items:
                self._not_empty.wait(timeout)
                if not self._items:
                    return None
            item = self._items.popleft()
            self._not_full.notify()
            return item

    def close(self):
        with self._lock:
            self._closed = True
            self._not_full.notify_all()


class FileWriter:
    """``tf.summary.FileWriter(logdir, graph=None, max_queue=10, flush_secs=120, filename_suffix=None)``."""

    def __init__(self, logdir, graph=None, max_queue=10, flush_secs=120, graph_def=None, filename_suffix=None,
                 session=None):
        if session is not None:
            raise NotImplementedError("minitf's FileWriter writes event files directly; session= is not supported")
        self._logdir = str(logdir)
        self._options = (max_queue, flush_secs, filename_suffix)
        self._file = None
        self._open()
        self._seen_summary_tags = set()
        self._seen_run_metadata_tags = set()
        if graph is not None or graph_def is not None:
            self.add_graph(graph, graph_def=graph_def)
            if graph is not None:
                from minitf.framework import meta_graph
                self.add_meta_graph(meta_graph.export_meta_graph(graph=graph))

    def get_logdir(self):
        return self._logdir

    def add_event(self, event):
        """Queues an ``Event`` proto to be written."""
        if self._file is None:
            return
        self._file.add(event)

    def _add(self, global_step, **fields):
        event = _proto("Event")(wall_time=time.time(), **fields)
        if global_step is not None:
            event.step = int(global_step)
        self.add_event(event)

    def add_summary(self, summary, global_step=None):
        """Adds a ``Summary`` proto or the serialized bytes ``sess.run`` returns for a summary op.

        Only the first value of each tag keeps its plugin metadata, as in TensorFlow.
        """
        if isinstance(summary, (bytes, bytearray)):
            summary = _proto("Summary").FromString(bytes(summary))
        else:
            summary = _proto("Summary").FromString(summary.SerializeToString())
        for value in summary.value:
            if not value.HasField("metadata"):
                continue
            if value.tag in self._seen_summary_tags:
                value.ClearField("metadata")
            else:
                self._seen_summary_tags.add(value.tag)
        self._add(global_step, summary=summary)

    def add_session_log(self, session_log, global_step=None):
        self._add(global_step, session_log=session_log)

    def add_graph(self, graph, global_step=None, graph_def=None):
        """Adds the GraphDef (with output shapes) of ``graph``, or ``graph_def`` as given."""
        if graph is not None and graph_def is not None:
            raise ValueError("Please pass only graph, or graph_def (deprecated), but not both.")
        if isinstance(graph, ops.Graph):
            graph_def = graph.as_graph_def(add_shapes=True)
        elif graph is not None:
            graph_def = graph  # a GraphDef
        self._add(global_step, graph_def=graph_def.SerializeToString())

    def add_meta_graph(self, meta_graph_def, global_step=None):
        self._add(global_step, meta_graph_def=meta_graph_def.SerializeToString())

    def add_run_metadata(self, run_metadata, tag, global_step=None):
        """Adds the RunMetadata of a traced run, shown in TensorBoard's GRAPHS panel under ``tag``."""
        if tag in self._seen_run_metadata_tags:
            raise ValueError("The provided tag was already used for this event type")
        self._seen_run_metadata_tags.add(tag)
        event = _proto("Event")(wall_time=time.time())
        if global_step is not None:
            event.step = int(global_step)
        event.tagged_run_metadata.tag = tag
        event.tagged_run_metadata.run_metadata = run_metadata.SerializeToString()
        self.add_event(event)

    def flush(self):
        if self._file is not None:
            self._file.flush()

    def close(self):
        if self._file is not None:
            file, self._file = self._file, None
            file.close()

    def reopen(self):
        """Opens a new event file in the same logdir after ``close()``."""
        if self._file is None:
            self._open()

    def _open(self):
        """Opens an event file, closed (everything queued written) when this writer is garbage collected or the
        interpreter exits without ``close()``, so a program that never closes its writer loses no events."""
        self._file = _EventFile(self._logdir, *self._options)
        weakref.finalize(self, self._file.close_quietly)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class FileWriterCache:
    """One FileWriter per logdir, shared (``tf.summary.FileWriterCache``)."""

    _cache = {}
    _lock = threading.Lock()

    @staticmethod
    def get(logdir):
        with FileWriterCache._lock:
            if logdir not in FileWriterCache._cache:
                FileWriterCache._cache[logdir] = FileWriter(logdir, graph=ops.get_default_graph())
            return FileWriterCache._cache[logdir]

    @staticmethod
    def clear():
        with FileWriterCache._lock:
            for writer in FileWriterCache._cache.values():
                writer.close()
            FileWriterCache._cache.clear()


def summary_iterator(path):
    """``tf.train.summary_iterator``: the ``Event`` protos of an event file."""
    event_type = _proto("Event")
    for record in tfrecord.tf_record_iterator(path, truncated_ok=True):
        yield event_type.FromString(record)
