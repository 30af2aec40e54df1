"""``tf.summary`` (TF1): summary ops, ``FileWriter`` and the summary protocol buffers."""

from minitf.summary.summary import audio, histogram, image, merge, merge_all, scalar, tensor_summary, text
from minitf._missing import missing

# The protocol-buffer classes TensorFlow 1.x lists under tf.summary (``dir`` shows them before they load).
_PROTO_NAMES = ("Event", "SessionLog", "Summary", "SummaryDescription", "TaggedRunMetadata")
# The event-file writer and reader, loaded on first use (programs that write no events never need them).
_WRITER_NAMES = ("FileWriter", "FileWriterCache", "summary_iterator")


def __getattr__(name):
    """The event-file writer and the protocol-buffer classes (``tf.summary.Summary``, ``Event``, ...), loaded on
    first use."""
    if name in _WRITER_NAMES:
        import importlib
        value = globals()[name] = getattr(importlib.import_module("minitf.summary.writer"), name)
        return value
    from minitf.proto import event_pb2, summary_pb2
    for module in (summary_pb2, event_pb2):
        if hasattr(module, name):
            return getattr(module, name)
    raise missing("tf.summary", name)


def __dir__():
    return sorted(set(globals()) | set(_PROTO_NAMES) | set(_WRITER_NAMES))
