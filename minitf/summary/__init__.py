"""``tf.summary`` (TF1): summary ops, ``FileWriter`` and the summary protocol buffers."""

from minitf.summary.summary import audio, histogram, image, merge, merge_all, scalar, tensor_summary, text
from minitf._missing import missing
from minitf.summary.writer import FileWriter, FileWriterCache, summary_iterator

# The protocol-buffer classes TensorFlow 1.x lists under tf.summary (``dir`` shows them before they load).
_PROTO_NAMES = ("Event", "SessionLog", "Summary", "SummaryDescription", "TaggedRunMetadata")


def __getattr__(name):
    """The protocol-buffer classes (``tf.summary.Summary``, ``Event``, ...), loaded on first use."""
    from minitf.proto import event_pb2, summary_pb2
    for module in (summary_pb2, event_pb2):
        if hasattr(module, name):
            return getattr(module, name)
    raise missing("tf.summary", name)


def __dir__():
    return sorted(set(globals()) | set(_PROTO_NAMES))
