"""``tf.train.QueueRunner``, ``add_queue_runner`` and ``start_queue_runners``: threads that keep a queue full.

Each enqueue op runs in its own thread until its input ends (one of ``queue_closed_exception_types``, by default
OutOfRangeError): the last thread to finish closes the queue, so its consumers drain it and then see
OutOfRangeError. Any other error is reported to the Coordinator, whose stop request closes the queue with
``cancel_pending_enqueues`` so that no thread stays blocked.
"""

import threading
import weakref

from minitf.client import session as session_lib
from minitf.framework import errors, meta_graph, ops
from minitf.platform import blas_threads
from minitf.platform import tf_logging as logging


class QueueRunner:
    """Holds a queue and the enqueue ops that fill it; ``create_threads`` runs them in a Session."""

    def __init__(self, queue=None, enqueue_ops=None, close_op=None, cancel_op=None,
                 queue_closed_exception_types=None, queue_runner_def=None, import_scope=None):
        if queue_runner_def is not None:
            if queue or enqueue_ops:
                raise ValueError("queue_runner_def and queue are mutually exclusive.")
            self._init_from_proto(queue_runner_def, import_scope)
        else:
            self._init_from_args(queue, enqueue_ops, close_op, cancel_op, queue_closed_exception_types)
        self._lock = threading.Lock()
        self._runs_per_session = weakref.WeakKeyDictionary()
        self._exceptions_raised = []

    def _init_from_args(self, queue, enqueue_ops, close_op, cancel_op, queue_closed_exception_types):
        if not queue or not enqueue_ops:
            raise ValueError("Must provide queue and enqueue_ops.")
        if queue_closed_exception_types is not None:
            if (not isinstance(queue_closed_exception_types, tuple) or not queue_closed_exception_types
                    or not all(issubclass(t, errors.OpError) for t in queue_closed_exception_types)):
                raise TypeError("queue_closed_exception_types, when provided, must be a tuple of tf.error types, "
                                "but saw: %s" % (queue_closed_exception_types,))
        self._queue = queue
        self._enqueue_ops = enqueue_ops
        self._close_op = close_op if close_op is not None else queue.close()
        self._cancel_op = cancel_op if cancel_op is not None else queue.close(cancel_pending_enqueues=True)
        self._queue_closed_exception_types = tuple(queue_closed_exception_types or (errors.OutOfRangeError,))

    def _init_from_proto(self, queue_runner_def, import_scope):
        """Rebuilds a runner from a QueueRunnerDef (a meta graph's ``queue_runners`` collection); ``queue`` is then
        the queue op, as in TensorFlow."""
        graph = ops.get_default_graph()

        def element(name):
            return graph.as_graph_element(meta_graph._prepend_scope(name, import_scope))
        self._queue = element(queue_runner_def.queue_name)
        self._enqueue_ops = [element(name) for name in queue_runner_def.enqueue_op_name]
        self._close_op = element(queue_runner_def.close_op_name)
        self._cancel_op = element(queue_runner_def.cancel_op_name)
        self._queue_closed_exception_types = tuple(
            errors.exception_type_from_error_code(code) for code in queue_runner_def.queue_closed_exception_types
        ) or (errors.OutOfRangeError,)

    queue = property(lambda self: self._queue)
    enqueue_ops = property(lambda self: self._enqueue_ops)
    close_op = property(lambda self: self._close_op)
    cancel_op = property(lambda self: self._cancel_op)
    queue_closed_exception_types = property(lambda self: self._queue_closed_exception_types)
    exceptions_raised = property(lambda self: self._exceptions_raised)

    @property
    def name(self):
        """The name of the underlying queue."""
        return self._queue.name

    def _run(self, sess, enqueue_op, coord=None):
        """Runs ``enqueue_op`` until its input ends (the last such thread closes the queue) or an error, with
        OpenBLAS single-threaded meanwhile (see minitf/platform/blas_threads.py)."""
        with blas_threads.single_threaded():
            self._run_until_done(sess, enqueue_op, coord)

    def _run_until_done(self, sess, enqueue_op, coord):
        decremented = False
        try:
            while True:
                if coord and coord.should_stop():
                    break
                try:
                    sess.run(enqueue_op)
                except self._queue_closed_exception_types:
                    with self._lock:
                        self._runs_per_session[sess] -= 1
                        decremented = True
                        if self._runs_per_session[sess] == 0:
                            try:
                                sess.run(self._close_op)
                            except Exception as e:  # noqa: BLE001 -- errors of the close op are ignored, as in TF
                                logging.debug("Ignored exception: %s", str(e))
                        return
        except Exception as e:  # noqa: BLE001 -- every other failure goes to the coordinator
            if coord:
                coord.request_stop(e)
            else:
                logging.error("Exception in QueueRunner: %s", str(e))
                with self._lock:
                    self._exceptions_raised.append(e)
                raise
        finally:
            if not decremented:
                with self._lock:
                    self._runs_per_session[sess] -= 1

    def _close_on_stop(self, sess, cancel_op, coord):
        coord.wait_for_stop()
        try:
            sess.run(cancel_op)
        except Exception as e:  # noqa: BLE001 -- errors of the cancel op are ignored, as in TF
            logging.debug("Ignored exception: %s", str(e))

    def create_threads(self, sess, coord=None, daemon=False, start=False):
        """One thread per enqueue op (plus one that closes the queue when ``coord`` stops); none if threads of
        this runner still run in ``sess``."""
        with self._lock:
            if self._runs_per_session.get(sess, 0) > 0:
                return []
            self._runs_per_session[sess] = len(self._enqueue_ops)
            self._exceptions_raised = []
        threads = [threading.Thread(target=self._run, args=(sess, op, coord),
                                    name=f"QueueRunnerThread-{self.name}-{op.name}")
                   for op in self._enqueue_ops]
        if coord:
            threads.append(threading.Thread(target=self._close_on_stop, args=(sess, self._cancel_op, coord),
                                            name=f"QueueRunnerThread-{self.name}-close_on_stop"))
        for t in threads:
            if coord:
                coord.register_thread(t)
            if daemon:
                t.daemon = True
            if start:
                t.start()
        return threads


    def to_proto(self, export_scope=None):
        """The QueueRunnerDef of this runner, names relative to ``export_scope`` (None if its queue is outside)."""
        from minitf.proto import queue_runner_pb2
        if export_scope is not None and not self.queue.name.startswith(export_scope):
            return None
        return queue_runner_pb2.QueueRunnerDef(
            queue_name=meta_graph._strip_scope(self.queue.name, export_scope),
            enqueue_op_name=[meta_graph._strip_scope(op.name, export_scope) for op in self.enqueue_ops],
            close_op_name=meta_graph._strip_scope(self.close_op.name, export_scope),
            cancel_op_name=meta_graph._strip_scope(self.cancel_op.name, export_scope),
            queue_closed_exception_types=[cls(None, None, "").error_code
                                          for cls in self._queue_closed_exception_types])

    @staticmethod
    def from_proto(queue_runner_def, import_scope=None):
        return QueueRunner(queue_runner_def=queue_runner_def, import_scope=import_scope)


def _queue_runner_def_type():
    from minitf.proto import queue_runner_pb2
    return queue_runner_pb2.QueueRunnerDef


meta_graph.register_proto_function(ops.GraphKeys.QUEUE_RUNNERS, _queue_runner_def_type,
                                   lambda qr, export_scope=None: qr.to_proto(export_scope), QueueRunner.from_proto)


def add_queue_runner(qr, collection=ops.GraphKeys.QUEUE_RUNNERS):
    """Adds ``qr`` to the graph collection that ``start_queue_runners`` reads."""
    ops.add_to_collection(collection, qr)


def start_queue_runners(sess=None, coord=None, daemon=True, start=True, collection=ops.GraphKeys.QUEUE_RUNNERS):
    """Starts the threads of every QueueRunner in ``collection``; returns them."""
    if sess is None:
        sess = session_lib.get_default_session()
        if not sess:
            raise ValueError("Cannot start queue runners: No default session is registered. Use `with "
                             "sess.as_default()` or pass an explicit session to "
                             "tf.start_queue_runners(sess=sess)")
    if not isinstance(sess, session_lib.BaseSession):
        raise TypeError("sess must be a `tf.Session` object. Given class: {}".format(sess.__class__))
    queue_runners = sess.graph.get_collection(collection)
    if not queue_runners:
        logging.warning("`tf.train.start_queue_runners()` was called when no queue runners were defined. You can "
                        "safely remove the call to this deprecated function.")
    threads = []
    with sess.graph.as_default():
        for qr in queue_runners:
            threads.extend(qr.create_threads(sess, coord=coord, daemon=daemon, start=start))
    return threads
