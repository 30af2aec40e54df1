"""``tf.summary`` ops (TF1): scalar, histogram, image, audio, text, tensor_summary, merge and merge_all.

Tags follow TensorFlow: a summary's tag is its name scope, so it carries the enclosing scopes and is made unique
like an op name (a second ``loss`` becomes ``loss_1``); ``family`` prefixes both.
"""

import re

import numpy as np

from minitf.framework import dtypes, ops
from minitf.framework.op_def_lib import apply_op_1
from minitf.ops import summary_ops  # noqa: F401 (registers the summary op types)

_INVALID_TAG_CHARACTERS = re.compile(r"[^-/\w\.]")


def _clean_tag(name):
    """TensorFlow's clean_tag: characters other than ``[-/\\w.]`` become ``_`` and a leading ``/`` is dropped."""
    if name is None:
        return None
    new_name = _INVALID_TAG_CHARACTERS.sub("_", name).lstrip("/")
    if new_name != name:
        from minitf.platform import tf_logging
        tf_logging.info("Summary name %s is illegal; using %s instead.", name, new_name)
    return new_name


class _SummaryScope:
    """TensorFlow's ``summary_scope``: opens a name scope for the summary and yields (tag, scope)."""

    def __init__(self, name, family, values):
        name, family = _clean_tag(name), _clean_tag(family)
        self._family = family
        self._scope = ops.name_scope(name if family is None else f"{family}/{name}", None, values)

    def __enter__(self):
        scope = self._scope.__enter__()
        tag = scope.rstrip("/") if self._family is None else f"{self._family}/{scope.rstrip('/')}"
        return tag, scope

    def __exit__(self, *exc):
        return self._scope.__exit__(*exc)


def _collect(value, collections, default_collections):
    for key in (collections if collections is not None else default_collections):
        ops.add_to_collection(key, value)


def _string(value, name):
    return ops.convert_to_tensor(value, dtype=dtypes.string, name=name)


def scalar(name, tensor, collections=None, family=None):
    """A scalar summary: ``simple_value`` = float32(tensor)."""
    with _SummaryScope(name, family, [tensor]) as (tag, scope):
        with ops.name_scope(scope):
            tags = _string(tag, "tags")
        values = ops.convert_to_tensor(tensor, name="values")
        val = apply_op_1("ScalarSummary", [tags, values], {"T": values.dtype.base_dtype}, scope)
        _collect(val, collections, [ops.GraphKeys.SUMMARIES])
    return val


def histogram(name, values, collections=None, family=None):
    """A histogram summary with TensorFlow's default buckets; NaN or infinity fail at run time."""
    with _SummaryScope(name, family, [values]) as (tag, scope):
        with ops.name_scope(scope):
            tag_t = _string(tag, "tag")
        values = ops.convert_to_tensor(values, name="values")
        val = apply_op_1("HistogramSummary", [tag_t, values], {"T": values.dtype.base_dtype}, scope)
        _collect(val, collections, [ops.GraphKeys.SUMMARIES])
    return val


def image(name, tensor, max_outputs=3, collections=None, family=None):
    """Up to ``max_outputs`` PNG images from a ``[batch, height, width, 1|3|4]`` tensor."""
    with _SummaryScope(name, family, [tensor]) as (tag, scope):
        with ops.name_scope(scope):
            tag_t = _string(tag, "tag")
        tensor = ops.convert_to_tensor(tensor, name="tensor")
        attrs = {"T": tensor.dtype.base_dtype, "max_images": int(max_outputs),
                 "bad_color": np.array([255, 0, 0, 255], np.uint8)}
        val = apply_op_1("ImageSummary", [tag_t, tensor], attrs, scope)
        _collect(val, collections, [ops.GraphKeys.SUMMARIES])
    return val


def audio(name, tensor, sample_rate, max_outputs=3, collections=None, family=None):
    """Up to ``max_outputs`` WAV clips from a ``[batch, frames]`` or ``[batch, frames, channels]`` float tensor."""
    with _SummaryScope(name, family, [tensor]) as (tag, scope):
        with ops.name_scope(scope):
            rate = ops.convert_to_tensor(sample_rate, dtype=dtypes.float32, name="sample_rate")
            tag_t = _string(tag, "tag")
        tensor = ops.convert_to_tensor(tensor, name="tensor")
        val = apply_op_1("AudioSummaryV2", [tag_t, tensor, rate], {"max_outputs": int(max_outputs)}, scope)
        _collect(val, collections, [ops.GraphKeys.SUMMARIES])
    return val


def tensor_summary(name, tensor, summary_description=None, collections=None, summary_metadata=None, family=None,
                   display_name=None):
    """A summary holding the whole tensor, with optional plugin metadata."""
    from minitf.proto import summary_pb2
    if summary_metadata is None:
        summary_metadata = summary_pb2.SummaryMetadata()
    if summary_description is not None:
        summary_metadata.summary_description = summary_description
    if display_name is not None:
        summary_metadata.display_name = display_name
    with _SummaryScope(name, family, [tensor]) as (tag, scope):
        with ops.name_scope(scope):
            tag_t = _string(tag, "tag")
            metadata = _string(summary_metadata.SerializeToString(), "serialized_summary_metadata")
        tensor = ops.convert_to_tensor(tensor, name="tensor")
        val = apply_op_1("TensorSummaryV2", [tag_t, tensor, metadata], {"T": tensor.dtype.base_dtype}, scope)
        _collect(val, collections, [ops.GraphKeys.SUMMARIES])
    return val


def text(name, tensor, collections=None):
    """A string tensor for TensorBoard's TEXT panel (a tensor summary tagged for the text plugin)."""
    from minitf.proto import summary_pb2
    tensor = ops.convert_to_tensor(tensor)
    if tensor.dtype != dtypes.string:
        raise ValueError(f"Expected tensor {tensor.name} to have dtype string, got {tensor.dtype}")
    metadata = summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="text"))
    return tensor_summary(name, tensor, summary_metadata=metadata, collections=collections)


def merge(inputs, collections=None, name=None):
    """One serialized Summary holding the values of all ``inputs`` (op ``Merge/MergeSummary``)."""
    with ops.name_scope(name, "Merge", inputs):
        inputs = [ops.convert_to_tensor(t) for t in inputs]
        val = apply_op_1("MergeSummary", inputs, {"N": len(inputs)}, name)
        _collect(val, collections, [])
    return val


def merge_all(key=ops.GraphKeys.SUMMARIES, scope=None, name=None):
    """Merges every summary in collection ``key``; None when there is none, as in TensorFlow."""
    summary_ops_list = ops.get_collection(key, scope=scope)
    if not summary_ops_list:
        return None
    return merge(summary_ops_list, name=name)

