"""``tf.train.SessionRunHook`` and the values it exchanges with a ``MonitoredSession``.

A hook sees the life of a monitored session: ``begin`` (the graph can still change), ``after_create_session``
(the graph is finalized), then around each ``run`` call ``before_run`` (it may add fetches, feeds and options
through ``SessionRunArgs``) and ``after_run`` (it gets its own fetches' results back), and ``end`` when the
session closes without an error.
"""

import collections


class SessionRunHook:
    """Hook to extend calls to ``MonitoredSession.run()``; every method does nothing by default."""

    def begin(self):
        """Called once before using the session; the graph may still be modified here."""

    def after_create_session(self, session, coord):
        """Called when a new session is created and initialized; the graph is finalized."""

    def before_run(self, run_context):
        """Called before each call to run(); returns ``None`` or a ``SessionRunArgs`` to add to the call."""
        return None

    def after_run(self, run_context, run_values):
        """Called after each call to run(), with the results of what ``before_run`` asked for."""

    def end(self, session):
        """Called at the end of the session (not when an exception ends it)."""


class SessionRunArgs(collections.namedtuple("SessionRunArgs", ["fetches", "feed_dict", "options"])):
    """What a hook adds to a ``run()`` call: fetches, a feed dict and ``RunOptions``."""

    def __new__(cls, fetches, feed_dict=None, options=None):
        return super().__new__(cls, fetches, feed_dict, options)


class SessionRunContext:
    """The ``run()`` call a hook is looking at: the original arguments, the session, and a way to stop."""

    def __init__(self, original_args, session):
        self._original_args = original_args
        self._session = session
        self._stop_requested = False

    @property
    def original_args(self):
        """The ``SessionRunArgs`` of the caller's ``run()``."""
        return self._original_args

    @property
    def session(self):
        return self._session

    @property
    def stop_requested(self):
        return self._stop_requested

    def request_stop(self):
        """Makes ``should_stop()`` of the monitored session true after this call."""
        self._stop_requested = True


class SessionRunValues(collections.namedtuple("SessionRunValues", ["results", "options", "run_metadata"])):
    """The results of the fetches a hook's ``SessionRunArgs`` asked for, with the call's options and metadata."""
