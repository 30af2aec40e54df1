"""The convolutions TensorFlow builds from others: ``conv1d`` (ExpandDims, Conv2D, Squeeze), ``convolution`` and
``atrous_conv2d`` (1-D or 2-D, dilated or not), ``depthwise_conv2d`` and ``separable_conv2d`` (a depthwise then a
pointwise convolution).

A dilation rate above 1 in ``convolution``, ``atrous_conv2d``, ``depthwise_conv2d`` and ``separable_conv2d`` is
built as TensorFlow's ``with_space_to_batch`` builds it: SpaceToBatchND splits the zero-padded input into
``rate`` x ``rate`` phases, a dense VALID convolution runs on them, BatchToSpaceND interleaves the phases back and
crops, with the same int32 Consts (``dilation_rate``, ``filter_shape``, ``stack`` for SAME's base paddings,
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
    spatial = x.shape.as_list()[1:1 + len(rate)]
    if padding == "SAME":
        if not isinstance(filter_shape, ops.Tensor):
            filter_shape = _int32(filter_shape, "filter_shape")
        filter_value = tensor_util.constant_value(filter_shape)
        extra = (np.asarray(filter_value[:len(rate)]) - 1) * rate
        base_paddings = np.stack([extra // 2, extra - extra // 2], axis=1).astype(np.int32)
        _int32(base_paddings, "stack")
    else:
        base_paddings = None
    paddings, crops = _required_paddings(spatial, rate, base_paddings)
    converted = op(space_to_batch_nd(x, rate, paddings), "VALID")
    return batch_to_space_nd(converted, rate, crops)


def _static_enough(x, filter_shape, rank):
    """Whether TensorFlow's constant space-to-batch graph can be built: known input spatial sizes and filter."""
    return (x.shape.ndims == rank + 2 and None not in x.shape.as_list()[1:1 + rank] and
            filter_shape.is_fully_defined())


def _spatial_list(value, rank, argument):
    values = [1] * rank if value is None else ([value] * rank if isinstance(value, int) else list(value))
    if len(values) != rank:
        raise ValueError(f"`len({argument})` should be {rank}. Received: {argument}={value} of length {len(values)}")
    if any(v < 1 for v in values):
        raise ValueError(f"all values of `{argument}` must be positive. Received: {argument}={np.asarray(values)}")
    return [int(v) for v in values]


def convolution(input, filter=None, padding=None, strides=None, dilation_rate=None, name=None,  # noqa: A002
                data_format=None, filters=None, dilations=None):
    """``tf.nn.convolution`` for 1-D (NWC) and 2-D (NHWC) inputs: ``conv1d`` or one Conv2D named after the scope,
    or, for a dilation rate above 1, TensorFlow's space-to-batch form of it (stride 1)."""
    w = filters if filter is None else filter
    rate = dilations if dilation_rate is None else dilation_rate
    if data_format not in (None, "NWC", "NHWC", "NCHW"):
        raise ValueError("minitf implements tf.nn.convolution in the data formats NWC, NHWC and NCHW")
    nchw = data_format == "NCHW"
    with ops.name_scope(name, "convolution", [input, w]) as scope:
        x = ops.convert_to_tensor(input, name="input")
        w = ops.convert_to_tensor(w, name="filters", dtype=x.dtype.base_dtype)
        rank = (w.shape.ndims or x.shape.ndims or 0) - 2
        if rank not in (1, 2):
            raise NotImplementedError("minitf's tf.nn.convolution implements 1-D and 2-D convolutions")
        strides, rate = _spatial_list(strides, rank, "strides"), _spatial_list(rate, rank, "dilation_rate")
        if any(s > 1 for s in strides) and any(r > 1 for r in rate):
            raise ValueError("`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: "
                             f"strides={np.asarray(strides)} and dilation_rate={np.asarray(rate)}")
        padding = conv_ops._padding_mode(padding)

        def conv(t, p, dilations=(1,) * rank):
            if rank == 1:
                return conv1d(t, w, strides, p, dilations=list(dilations), name=scope)
            if nchw:
                return conv_ops.conv2d(t, w, [1, 1, *strides], p, dilations=[1, 1, *dilations], name=scope,
                                       data_format="NCHW")
            return conv_ops.conv2d(t, w, [1, *strides, 1], p, dilations=[1, *dilations, 1], name=scope)
        if nchw and any(r > 1 for r in rate):
            raise ValueError("minitf implements dilated tf.nn.convolution in NWC and NHWC only")
        if all(r == 1 for r in rate) or not _static_enough(x, w.shape, rank):
            return conv(x, padding, rate)
        return _with_space_to_batch(x, rate, padding, conv, w.shape.as_list())


def atrous_conv2d(value, filters, rate, padding, name=None):
    """``tf.nn.atrous_conv2d``: a 2-D convolution sampling the input every ``rate`` pixels (stride 1)."""
    return convolution(value, filters, padding, dilation_rate=[int(r) for r in np.broadcast_to(rate, (2,))],
                       name=name)


def depthwise_conv2d(input, filter, strides, padding, rate=None, name=None, data_format=None,  # noqa: A002
                     dilations=None):
    """``tf.nn.depthwise_conv2d``: each input channel convolved with its own ``channel_multiplier`` filters
    (``filter`` ``[KH, KW, C, M]``), one DepthwiseConv2dNative named after the scope (in space-to-batch form for a
    rate above 1)."""
    rate = dilations if rate is None else rate
    if data_format not in (None, "NHWC"):
        raise ValueError("minitf implements the NHWC data format only")
    with ops.name_scope(name, "depthwise", [input, filter]) as scope:
        x = ops.convert_to_tensor(input, name="tensor_in")
        w = ops.convert_to_tensor(filter, name="filter_in", dtype=x.dtype.base_dtype)
        rate = [1, 1] if rate is None else [int(r) for r in rate]
        filter_shape = shape_ops.shape(w)
        padding = conv_ops._padding_mode(padding)

        def depthwise(t, p, dilations=(1, 1)):
            return _depthwise_native(t, w, strides, p, dilations, scope)
        if rate != [1, 1] and not _static_enough(x, w.shape, 2):
            _int32(rate, "dilation_rate")
            return depthwise(x, padding, rate)
        return _with_space_to_batch(x, rate, padding, depthwise, filter_shape)


def _depthwise_native(x, w, strides, padding, dilations, name):
    attrs = {"T": x.dtype.base_dtype, "strides": [int(s) for s in strides], "padding": padding.encode(),
             "explicit_paddings": [], "data_format": b"NHWC", "dilations": [1, *dilations, 1]}
    return apply_op_1("DepthwiseConv2dNative", [x, w], attrs, name)


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
            return _depthwise_native(t, depthwise_filter, strides, p, dilations, "depthwise")
        if rate != [1, 1] and not _static_enough(x, depthwise_filter.shape, 2):
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

