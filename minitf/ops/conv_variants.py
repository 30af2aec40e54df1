"""The convolutions TensorFlow builds from others: ``conv1d`` (ExpandDims, Conv2D, Squeeze), ``atrous_conv2d`` and
``separable_conv2d`` (a depthwise then a pointwise convolution).

A dilation rate above 1 in ``atrous_conv2d`` and ``separable_conv2d`` is built as TensorFlow's
``with_space_to_batch`` builds it: SpaceToBatchND splits the zero-padded input into ``rate`` x ``rate`` phases, a
dense VALID convolution runs on them, BatchToSpaceND interleaves the phases back and crops, with the same
int32 Consts (``dilation_rate``, ``filter_shape``, ``stack`` for SAME's base paddings,
``required_space_to_batch_paddings/...``). Difference from TensorFlow: when the input's spatial size or the filter's
shape is not known statically, minitf builds one convolution op with ``dilations`` instead (the same values;
TensorFlow computes the paddings with Shape and arithmetic ops at run time).
"""

import numpy as np

from minitf.framework import ops, tensor_util
from minitf.framework.op_def_lib import apply_op_1
from minitf.ops import conv_ops, shape_ops
from minitf.ops.space_to_batch_ops import batch_to_space_nd, space_to_batch_nd


def _int32(value, name):
    return ops.convert_to_tensor(np.asarray(value, np.int32), name=name)


def _required_paddings(input_spatial, rate, base_paddings):
    """TensorFlow's ``required_space_to_batch_paddings`` for constant arguments: the paddings that make each padded
    spatial size a multiple of the rate (the extra at the end) and the crops that undo the extra."""
    with ops.name_scope(None, "required_space_to_batch_paddings"):
        _int32(input_spatial, "input_shape")
        if base_paddings is None:
            base_paddings = np.zeros([len(rate), 2], np.int32)
            _int32(base_paddings, "base_paddings")
        start, end = base_paddings[:, 0], base_paddings[:, 1]
        extra = (rate - (np.asarray(input_spatial) + start + end) % rate) % rate
        paddings = np.stack([start, end + extra], axis=1).astype(np.int32)
        crops = np.stack([np.zeros_like(extra), extra], axis=1).astype(np.int32)
        _int32(paddings, "paddings")
        _int32(crops, "crops")
    return paddings, crops


def _with_space_to_batch(x, rate, padding, op, filter_shape):
    """``op(input, padding)`` on the space-to-batch form of ``x`` (TensorFlow's ``_WithSpaceToBatch``); just
    ``op(x, padding)`` when the rate is 1. ``filter_shape``: a Tensor (TensorFlow's ``Shape`` of the filter) or a
    list, which becomes the ``filter_shape`` Const (for SAME padding)."""
    rate = np.asarray(rate, np.int32)
    _int32(rate, "dilation_rate")
    if np.all(rate == 1):
        return op(x, padding)
    spatial = x.shape.as_list()[1:3] if x.shape.ndims == 4 else [None, None]
    if padding == "SAME":
        if not isinstance(filter_shape, ops.Tensor):
            filter_shape = _int32(filter_shape, "filter_shape")
        filter_value = tensor_util.constant_value(filter_shape)
        extra = (np.asarray(filter_value[:2]) - 1) * rate
        base_paddings = np.stack([extra // 2, extra - extra // 2], axis=1).astype(np.int32)
        _int32(base_paddings, "stack")
    else:
        base_paddings = None
    paddings, crops = _required_paddings(spatial, rate, base_paddings)
    converted = op(space_to_batch_nd(x, rate, paddings), "VALID")
    return batch_to_space_nd(converted, rate, crops)


def _static_enough(x, filter_shape):
    """Whether TensorFlow's constant space-to-batch graph can be built: known input spatial sizes and filter."""
    return (x.shape.ndims == 4 and None not in x.shape.as_list()[1:3] and filter_shape.is_fully_defined())


def atrous_conv2d(value, filters, rate, padding, name=None):
    """``tf.nn.atrous_conv2d``: a 2-D convolution sampling the input every ``rate`` pixels (stride 1)."""
    with ops.name_scope(name, "convolution", [value, filters]) as scope:
        x = ops.convert_to_tensor(value, name="input")
        w = ops.convert_to_tensor(filters, name="filters", dtype=x.dtype.base_dtype)
        rate = [int(r) for r in np.broadcast_to(rate, (2,))]
        if any(r < 1 for r in rate):
            raise ValueError(f"all values of `dilation_rate` must be positive. Received: "
                             f"dilation_rate={np.asarray(rate, np.int32)}")
        padding = conv_ops._padding_mode(padding)
        ones = [1, 1, 1, 1]
        if rate == [1, 1] or not _static_enough(x, w.shape):
            return conv_ops.conv2d(x, w, ones, padding, dilations=[1, *rate, 1], name=scope)
        return _with_space_to_batch(x, rate, padding, lambda t, p: conv_ops.conv2d(t, w, ones, p, name=scope),
                                    w.shape.as_list())


def separable_conv2d(input, depthwise_filter, pointwise_filter, strides, padding, rate=None,  # noqa: A002
                     name=None, data_format=None, dilations=None):
    """``tf.nn.separable_conv2d``: a depthwise convolution (``depthwise_filter`` ``[KH, KW, C, M]``) followed by a
    1x1 convolution mixing its ``C * M`` channels (``pointwise_filter`` ``[1, 1, C * M, OC]``)."""
    rate = dilations if rate is None else rate
    if data_format not in (None, "NHWC"):
        raise ValueError("minitf implements the NHWC data format only")
    with ops.name_scope(name, "separable_conv2d", [input, depthwise_filter, pointwise_filter]) as scope:
        x = ops.convert_to_tensor(input, name="tensor_in")
        depthwise_filter = ops.convert_to_tensor(depthwise_filter, name="depthwise_filter")
        pointwise_filter = ops.convert_to_tensor(pointwise_filter, name="pointwise_filter")
        pointwise_shape = pointwise_filter.shape.with_rank(4)
        for axis in (0, 1):
            if pointwise_shape.as_list()[axis] not in (None, 1):
                raise ValueError(f"Dimensions {pointwise_shape.as_list()[axis]} and 1 are not compatible")
        rate = [1, 1] if rate is None else [int(r) for r in rate]
        filter_shape = shape_ops.shape(depthwise_filter)
        padding = conv_ops._padding_mode(padding)

        def depthwise(t, p, dilations=(1, 1)):
            return conv_ops.depthwise_conv2d(t, depthwise_filter, strides, p, rate=list(dilations),
                                             name="depthwise")
        if rate != [1, 1] and not _static_enough(x, depthwise_filter.shape):
            _int32(rate, "dilation_rate")
            outputs = depthwise(x, padding, rate)
        else:
            outputs = _with_space_to_batch(x, rate, padding, depthwise, filter_shape)
        return conv_ops.conv2d(outputs, pointwise_filter, [1, 1, 1, 1], "VALID", name=scope)


def _conv1d_sequence(value, name):
    """TensorFlow's ``_get_sequence`` for one spatial dimension, channels last: ``[1, value, 1]``."""
    if value is None:
        return [1, 1, 1]
    values = [value] if isinstance(value, int) else list(value)
    if len(values) == 1:
        return [1, int(values[0]), 1]
    if len(values) != 3:
        raise ValueError(f"{name} should be of length 1, 1 or 3. Received: {name}={value} of length {len(values)}")
    return [int(v) for v in values]


def conv1d(value=None, filters=None, stride=None, padding=None, use_cudnn_on_gpu=None, data_format=None,
           name=None, input=None, dilations=None):  # noqa: A002 -- TensorFlow's argument name
    """``tf.nn.conv1d``: a 1-D convolution of NWC ``value`` with ``filters`` ``[K, C, OC]``, as a Conv2D over a
    height of 1 between ExpandDims and Squeeze."""
    value = input if value is None else value
    with ops.name_scope(name, "conv1d", [value, filters]) as scope:
        if data_format not in (None, "NHWC", "NWC"):
            if data_format in ("NCHW", "NCW"):
                raise ValueError("minitf implements the NWC data format only")
            raise ValueError(f"`data_format` must be 'NWC' or 'NCW'. Received: data_format={data_format}")
        strides = [1] + _conv1d_sequence(stride, "stride")
        dilations = [1] + _conv1d_sequence(dilations, "dilations")
        x = shape_ops.expand_dims(value, -3)
        w = shape_ops.expand_dims(filters, 0)
        attrs = conv_ops._conv_op_attrs(x, strides, padding, dilations, "NHWC",
                                        True if use_cudnn_on_gpu is None else use_cudnn_on_gpu)
        result = apply_op_1("Conv2D", [x, w], attrs, scope)
        return shape_ops.squeeze(result, [-3])

