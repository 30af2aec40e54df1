"""Summary ops: each produces a serialized ``Summary`` proto (a string scalar), byte for byte as TensorFlow's
kernels do. The encoders live in ``minitf/io/summary_encoders.py``; ``tf.summary.*`` in
``minitf/summary/summary.py``."""

import numpy as np

from minitf.framework import dtypes, tensor_shape, tensor_util
from minitf.framework.op_def_lib import invalid_argument, no_gradient, pure, pure_with_attrs, register

_SCALAR_STRING = [(dtypes.string, tensor_shape.TensorShape([]))]


def _summary_pb2():
    from minitf.proto import summary_pb2
    return summary_pb2


def _encoders():
    """The encoders, imported when a summary kernel first runs (their histogram table is built at import)."""
    from minitf.io import summary_encoders
    return summary_encoders


def _text(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _tag(tag):
    return _text(tag.item() if isinstance(tag, np.ndarray) else tag)


def _scalar_summary(tags, values):
    if np.shape(tags) != np.shape(values):
        raise invalid_argument(f"tags and values are not the same shape: {list(np.shape(tags))} != "
                               f"{list(np.shape(values))}")
    summary = _summary_pb2().Summary()
    for tag, value in zip(np.ravel(tags).tolist(), np.ravel(values).tolist()):
        summary.value.add(tag=_text(tag), simple_value=float(np.float32(value)))
    return summary.SerializeToString()


def _histogram_summary(tag, values):
    tag = _tag(tag)
    flat = np.asarray(values).reshape(-1)
    if flat.dtype.kind in "fc":
        if np.isnan(flat).any():
            raise invalid_argument(f"Nan in summary histogram for: {tag}")
        if np.isinf(flat).any():
            raise invalid_argument(f"Infinity in summary histogram for: {tag}")
    summary = _summary_pb2().Summary()
    _encoders().histogram(flat, summary.value.add(tag=tag).histo)
    return summary.SerializeToString()


def _image_kernel(op):
    max_images = op.get_attr("max_images")
    bad_color = op.get_attr("bad_color")
    bad_color = tensor_util.MakeNdarray(bad_color) if not isinstance(bad_color, np.ndarray) else bad_color

    def image_summary(tag, tensor):
        if tensor.ndim != 4 or tensor.shape[3] not in (1, 3, 4):
            raise invalid_argument("Tensor must be 4-D with last dim 1, 3, or 4, not " + str(list(tensor.shape)))
        tag = _tag(tag)
        summary = _summary_pb2().Summary()
        count = min(tensor.shape[0], max_images)
        for i in range(count):
            pixels = _encoders().image_to_uint8(tensor[i], np.asarray(bad_color).reshape(-1))
            value = summary.value.add(tag=f"{tag}/image/{i}" if max_images > 1 else f"{tag}/image")
            value.image.height, value.image.width, value.image.colorspace = pixels.shape
            value.image.encoded_image_string = _encoders().png(pixels)
        return summary.SerializeToString()
    return image_summary


def _audio_kernel(op):
    max_outputs = op.get_attr("max_outputs")

    def audio_summary(tag, tensor, sample_rate):
        if tensor.ndim not in (2, 3):
            raise invalid_argument("Tensor must be 3-D or 2-D, got: " + str(list(tensor.shape)))
        tag = _tag(tag)
        rate = float(sample_rate)
        if rate <= 0:
            raise invalid_argument("sample_rate must be > 0")
        clips = tensor if tensor.ndim == 3 else tensor[:, :, None]
        summary = _summary_pb2().Summary()
        for i in range(min(clips.shape[0], max_outputs)):
            value = summary.value.add(tag=f"{tag}/audio/{i}" if max_outputs > 1 else f"{tag}/audio")
            value.audio.sample_rate = rate
            value.audio.num_channels = clips.shape[2]
            value.audio.length_frames = clips.shape[1]
            value.audio.encoded_audio_string = _encoders().wav(clips[i], rate)
            value.audio.content_type = "audio/wav"
        return summary.SerializeToString()
    return audio_summary


def _tensor_summary(tag, tensor, serialized_summary_metadata):
    summary = _summary_pb2().Summary()
    value = summary.value.add(tag=_tag(tag))
    value.metadata.ParseFromString(bytes(np.asarray(serialized_summary_metadata).item()))
    tensor = np.asarray(tensor)
    if tensor.dtype.kind in "OSU":
        value.tensor.CopyFrom(tensor_util.make_tensor_proto(tensor))
    else:  # the kernel's AsProtoTensorContent: raw bytes even for scalars
        value.tensor.dtype = dtypes.as_dtype(tensor.dtype).as_datatype_enum
        value.tensor.tensor_shape.CopyFrom(tensor_shape.TensorShape(tensor.shape).as_proto())
        value.tensor.tensor_content = np.ascontiguousarray(tensor).astype(tensor.dtype.newbyteorder("<")).tobytes()
    return summary.SerializeToString()


def _merge_summary(*inputs):
    merged = _summary_pb2().Summary()
    seen = set()
    for serialized in inputs:
        part = _summary_pb2().Summary.FromString(bytes(np.asarray(serialized).item()))
        for value in part.value:
            if value.tag in seen:
                raise invalid_argument(f"Duplicate tag {value.tag} found in summary inputs ")
            seen.add(value.tag)
            merged.value.add().CopyFrom(value)
    return merged.SerializeToString()


def _bytes_kernel(fn):
    return pure(lambda *args: np.array(fn(*args), dtype=object))


def _bytes_kernel_with_attrs(make):
    return pure_with_attrs(lambda op: (lambda kernel: lambda *args: np.array(kernel(*args), dtype=object))(make(op)))


_STRING_OUT = lambda op: _SCALAR_STRING  # noqa: E731
register("ScalarSummary", _STRING_OUT, _bytes_kernel(_scalar_summary), input_names=("tags", "values"))
register("HistogramSummary", _STRING_OUT, _bytes_kernel(_histogram_summary), input_names=("tag", "values"))
register("ImageSummary", _STRING_OUT, _bytes_kernel_with_attrs(_image_kernel), input_names=("tag", "tensor"),
         attr_defaults={"max_images": 3})
register("AudioSummaryV2", _STRING_OUT, _bytes_kernel_with_attrs(_audio_kernel),
         input_names=("tag", "tensor", "sample_rate"), attr_defaults={"max_outputs": 3})
register("TensorSummaryV2", _STRING_OUT, _bytes_kernel(_tensor_summary),
         input_names=("tag", "tensor", "serialized_summary_metadata"))
register("MergeSummary", _STRING_OUT, _bytes_kernel(_merge_summary), input_names=("inputs",))
for _op_type in ("ScalarSummary", "HistogramSummary", "ImageSummary", "AudioSummaryV2", "TensorSummaryV2",
                 "MergeSummary"):
    no_gradient(_op_type)
