"""The error for a TensorFlow name minitf does not provide yet.

Each public namespace module ends with ``__getattr__ = missing_names("tf.nn")`` (or calls :func:`missing` from its
own ``__getattr__``), so ``tf.nn.ctc_loss`` fails with a message that says what happened and where to look, instead
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
