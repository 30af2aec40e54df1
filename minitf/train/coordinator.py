"""``tf.train.Coordinator`` and ``tf.train.LooperThread``: stopping a set of threads together.

A thread that fails hands its exception to ``request_stop``; the others see ``should_stop()``; ``join`` waits for
them (a grace period after the stop request) and re-raises the first reported exception in the main thread.
``OutOfRangeError`` (the end of an input pipeline) counts as a clean stop, as in TensorFlow.
"""

import contextlib
import sys
import threading
import time

from minitf.framework import errors
from minitf.platform import tf_logging as logging


class Coordinator:
    """A coordinator for threads: ``should_stop``, ``request_stop``, ``join``."""

    def __init__(self, clean_stop_exception_types=None):
        if clean_stop_exception_types is None:
            clean_stop_exception_types = (errors.OutOfRangeError,)
        self._clean_stop_exception_types = tuple(clean_stop_exception_types)
        self._lock = threading.Lock()
        self._stop_event = threading.Event()
        self._exc_info_to_raise = None
        self._joined = False
        self._registered_threads = set()

    def _filter_exception(self, ex):
        exception = ex[1] if isinstance(ex, tuple) else ex
        return None if isinstance(exception, self._clean_stop_exception_types) else ex

    def request_stop(self, ex=None):
        """Asks the threads to stop; ``ex`` (an exception or an ``exc_info`` tuple) is re-raised by ``join``.

        Reporting an exception after ``join`` has returned raises it in the reporting thread instead."""
        with self._lock:
            ex = self._filter_exception(ex)
            if self._joined and ex is not None:
                raise ex[1] if isinstance(ex, tuple) else ex
            if not self._stop_event.is_set():
                if ex is not None and self._exc_info_to_raise is None:
                    if isinstance(ex, tuple):
                        self._exc_info_to_raise = ex
                    else:
                        self._exc_info_to_raise = (type(ex), ex, ex.__traceback__)
                    logging.info("Error reported to Coordinator: %s, %s", type(self._exc_info_to_raise[1]),
                                 self._exc_info_to_raise[1])
                self._stop_event.set()

    def clear_stop(self):
        with self._lock:
            self._joined = False
            self._exc_info_to_raise = None
            self._stop_event.clear()

    def should_stop(self):
        return self._stop_event.is_set()

    @contextlib.contextmanager
    def stop_on_exception(self):
        """A context in which any exception requests a stop (and is reported to ``join``) instead of escaping."""
        try:
            yield
        except:  # noqa: E722 -- TensorFlow's contract: every exception, even KeyboardInterrupt, stops the threads
            self.request_stop(ex=sys.exc_info())

    def wait_for_stop(self, timeout=None):
        return self._stop_event.wait(timeout)

    def register_thread(self, thread):
        with self._lock:
            self._registered_threads.add(thread)

    def join(self, threads=None, stop_grace_period_secs=120, ignore_live_threads=False):
        """Waits until the threads end or a stop is requested, then up to ``stop_grace_period_secs`` for the
        rest; raises the reported exception, else RuntimeError naming threads still running."""
        with self._lock:
            threads = list(self._registered_threads if threads is None
                           else self._registered_threads.union(set(threads)))
        while any(t.is_alive() for t in threads) and not self.wait_for_stop(1.0):
            pass
        wait_secs = 0.001
        while any(t.is_alive() for t in threads) and stop_grace_period_secs >= 0.0:
            time.sleep(wait_secs)
            stop_grace_period_secs -= wait_secs
            wait_secs = max(min(2 * wait_secs, stop_grace_period_secs), 0.001)
        stragglers = [t.name for t in threads if t.is_alive()]
        with self._lock:
            self._joined = True
            self._registered_threads = set()
            if self._exc_info_to_raise:
                raise self._exc_info_to_raise[1]
            if stragglers:
                if ignore_live_threads:
                    logging.info("Coordinator stopped with threads still running: %s", " ".join(stragglers))
                else:
                    raise RuntimeError("Coordinator stopped with threads still running: %s" % " ".join(stragglers))

    @property
    def joined(self):
        return self._joined

    def raise_requested_exception(self):
        with self._lock:
            if self._exc_info_to_raise:
                raise self._exc_info_to_raise[1]


class LooperThread(threading.Thread):
    """A daemon thread that runs ``target`` (or ``run_loop``) until the coordinator stops, optionally on a timer."""

    def __init__(self, coord, timer_interval_secs, target=None, args=None, kwargs=None):
        if not isinstance(coord, Coordinator):
            raise ValueError("'coord' argument must be a Coordinator: %s" % coord)
        super().__init__()
        self.daemon = True
        self._coord = coord
        self._timer_interval_secs = timer_interval_secs
        self._target = target
        if self._target:
            self._args = args or ()
            self._kwargs = kwargs or {}
        elif args or kwargs:
            raise ValueError("'args' and 'kwargs' argument require that you also pass 'target'")
        self._coord.register_thread(self)

    @staticmethod
    def loop(coord, timer_interval_secs, target, args=None, kwargs=None):
        looper = LooperThread(coord, timer_interval_secs, target=target, args=args, kwargs=kwargs)
        looper.start()
        return looper

    def run(self):
        with self._coord.stop_on_exception():
            self.start_loop()
            if self._timer_interval_secs is None:
                while not self._coord.should_stop():
                    self.run_loop()
            else:
                next_timer_time = time.time()
                while not self._coord.wait_for_stop(next_timer_time - time.time()):
                    next_timer_time += self._timer_interval_secs
                    self.run_loop()
            self.stop_loop()

    def start_loop(self):
        """Called once when the thread starts."""

    def stop_loop(self):
        """Called once when the thread ends."""

    def run_loop(self):
        """Called at each iteration: runs ``target``."""
        if self._target:
            self._target(*self._args, **self._kwargs)
