"""``tf.contrib.framework.arg_scope``: default keyword arguments for a set of functions, scoped by ``with``.

A function takes part when it is decorated with ``add_arg_scope``. Inside ``with arg_scope([f, g], key=value)`` a
call of ``f`` or ``g`` gets ``key=value`` unless the call passes ``key`` itself; nested scopes merge, the inner
value winning. ``arg_scope`` yields the scope (a dict from function key to its defaults), which a later
``with arg_scope(scope):`` re-enters. As in TensorFlow 1.15 the stack of scopes is one per process (not per
thread or graph), a function is keyed by ``str`` of the undecorated function, and the defaults are not checked
against the function's signature until it is called.
"""

import contextlib
import functools

__all__ = ["add_arg_scope", "arg_scope", "arg_scoped_arguments", "has_arg_scope"]

_ARGSTACK = [{}]
_DECORATED_OPS = {}  # function key -> the names of its keyword arguments


def _current_arg_scope():
    if not _ARGSTACK:
        _ARGSTACK.append({})
    return _ARGSTACK[-1]


def _key_op(op):
    return getattr(op, "_key_op", str(op))


def _kwarg_names(func):
    """The names of ``func``'s parameters that have defaults."""
    defaults = len(func.__defaults__) if func.__defaults__ else 0
    return func.__code__.co_varnames[func.__code__.co_argcount - defaults:func.__code__.co_argcount]


@contextlib.contextmanager
def arg_scope(list_ops_or_scope, **kwargs):
    """Sets ``kwargs`` as the defaults of every function in ``list_ops_or_scope`` (a list or tuple of functions
    decorated with ``add_arg_scope``), or re-enters a scope an earlier ``arg_scope`` yielded (a dict, then no
    ``kwargs``). Yields the scope now in force."""
    if isinstance(list_ops_or_scope, dict):
        if kwargs:
            raise ValueError("When attempting to re-use a scope by suppling adictionary, kwargs must be empty.")
        current_scope = list_ops_or_scope.copy()
    else:
        if not isinstance(list_ops_or_scope, (list, tuple)):
            raise TypeError("list_ops_or_scope must either be a list/tuple or reusedscope (i.e. dict)")
        current_scope = _current_arg_scope().copy()
        for op in list_ops_or_scope:
            if not has_arg_scope(op):
                raise ValueError(f"{getattr(op, '__module__', None)}.{getattr(op, '__name__', op)} is not "
                                 "decorated with @add_arg_scope")
            key = _key_op(op)
            merged = dict(current_scope.get(key, {}))
            merged.update(kwargs)
            current_scope[key] = merged
    _ARGSTACK.append(current_scope)
    try:
        yield current_scope
    finally:
        _ARGSTACK.pop()


def add_arg_scope(func):
    """Decorates ``func`` so that ``arg_scope`` can set defaults for its keyword arguments."""
    key = _key_op(func)

    @functools.wraps(func)
    def func_with_args(*args, **kwargs):
        scoped = _current_arg_scope().get(key)
        if scoped is not None:
            kwargs = {**scoped, **kwargs}
        return func(*args, **kwargs)
    _DECORATED_OPS.setdefault(key, _kwarg_names(func))
    func_with_args._key_op = key
    return func_with_args


def has_arg_scope(func):
    """Whether ``func`` was decorated with ``add_arg_scope``."""
    return _key_op(func) in _DECORATED_OPS


def arg_scoped_arguments(func):
    """The keyword arguments ``arg_scope`` can set for ``func`` (decorated with ``add_arg_scope``)."""
    assert has_arg_scope(func)
    return _DECORATED_OPS[_key_op(func)]
