"""The error for a TensorFlow name minitf does not provide yet.

Each public namespace module ends with ``__getattr__ = missing_names("tf.nn")`` (or, where some of its names load
on first use, ``__getattr__, __dir__ = lazy_names("tf.nn", globals(), ...)``), so ``tf.nn.ctc_loss`` fails with a message that says what happened and where to look, instead
of Python's bare ``module 'minitf.nn' has no attribute 'ctc_loss'``.
"""


def missing(namespace, name):
    """The AttributeError for ``namespace.name`` (``namespace`` as TensorFlow users write it, e.g. ``tf.nn``)."""
    if name.startswith("__") and name.endswith("__"):  # Python's own probes (__path__, __wrapped__, ...)
        return AttributeError(f"module {namespace!r} has no attribute {name!r}")
    return AttributeError(f"minitf does not implement {namespace}.{name} yet (see docs/api_coverage.md)")


def missing_names(namespace):
    """A module-level ``__getattr__`` that raises :func:`missing`'s error."""
    def __getattr__(name):
        raise missing(namespace, name)
    return __getattr__


def lazy_names(namespace, module_globals, names=None, modules=None):
    """A module-level ``__getattr__`` and ``__dir__`` for a namespace whose ``names`` (name -> module defining it) and
    ``modules`` (name -> submodule) are imported on first use, then kept in ``module_globals``; any other name
    raises :func:`missing`'s error. ``dir()`` lists the lazy names with the loaded ones."""
    names, modules = names or {}, modules or {}

    def __getattr__(name):
        import importlib
        if name in modules:
            value = importlib.import_module(modules[name])
        elif name in names:
            value = getattr(importlib.import_module(names[name]), name)
        else:
            raise missing(namespace, name)
        module_globals[name] = value
        return value

    def __dir__():
        return sorted(set(module_globals) | set(names) | set(modules))
    return __getattr__, __dir__
