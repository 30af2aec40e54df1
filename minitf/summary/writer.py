"""``tf.summary.FileWriter``: event files as TensorFlow writes them, which the real TensorBoard reads.

A file is ``<logdir>/events.out.tfevents.<seconds>.<hostname><suffix>``: TFRecords of ``Event`` protos, the first
holding ``file_version: "brain.Event:2"``. Events go through a queue to a background thread, so ``add_*`` calls
do not wait for the disk; ``flush()`` and ``close()`` wait until everything queued is written.
"""

import os
import queue
import socket
import threading
import time

from minitf.framework import ops
from minitf.io import tfrecord


def _proto(name):
    from minitf.proto import config_pb2, event_pb2, summary_pb2
    return {"Event": event_pb2.Event, "Summary": summary_pb2.Summary, "SessionLog": event_pb2.SessionLog,
            "RunMetadata": config_pb2.RunMetadata}[name]


class _EventFile:
    """One event file, written by a daemon thread from a bounded queue (``max_queue``), flushed at least every
    ``flush_secs``."""

    _CLOSE = object()

    def __init__(self, logdir, max_queue, flush_secs, filename_suffix):
        os.makedirs(logdir, exist_ok=True)
        now = time.time()
        self.path = os.path.join(logdir, "events.out.tfevents.%010d.%s%s" % (
            int(now), socket.gethostname(), filename_suffix or ""))
        self._writer = tfrecord.TFRecordWriter(self.path)
        first = _proto("Event")(wall_time=float(int(now)), file_version="brain.Event:2")
        first.source_metadata.writer = "minitf"
        self._writer.write(first.SerializeToString())
        self._writer.flush()
        self._queue = queue.Queue(max_queue)
        self._flush_secs = flush_secs
        self._thread = threading.Thread(target=self._run, name="minitf-event-writer", daemon=True)
        self._thread.start()

    def _run(self):
        next_flush = time.time() + self._flush_secs
        while True:
            try:
                item = self._queue.get(timeout=max(0.0, next_flush - time.time()))
            except queue.Empty:
                item = None
            try:
                if item is self._CLOSE:
                    self._writer.close()
                    return
                if item is not None:
                    self._writer.write(item)
                if item is None or time.time() >= next_flush:
                    self._writer.flush()
                    next_flush = time.time() + self._flush_secs
            finally:
                if item is not None:
                    self._queue.task_done()

    def add(self, event):
        self._queue.put(event.SerializeToString())

    def flush(self):
        self._queue.join()
        self._writer.flush()

    def close(self):
        self.flush()
        self._queue.put(self._CLOSE)
        self._thread.join()


class FileWriter:
    """``tf.summary.FileWriter(logdir, graph=None, max_queue=10, flush_secs=120, filename_suffix=None)``."""

    def __init__(self, logdir, graph=None, max_queue=10, flush_secs=120, graph_def=None, filename_suffix=None,
                 session=None):
        if session is not None:
            raise NotImplementedError("minitf's FileWriter writes event files directly; session= is not supported")
        self._logdir = str(logdir)
        self._options = (max_queue, flush_secs, filename_suffix)
        self._file = _EventFile(self._logdir, *self._options)
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
            self._file.close()
            self._file = None

    def reopen(self):
        """Opens a new event file in the same logdir after ``close()``."""
        if self._file is None:
            self._file = _EventFile(self._logdir, *self._options)

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
