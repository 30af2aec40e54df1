"""``tf.clip_by_value``, ``clip_by_norm``, ``global_norm`` and ``clip_by_global_norm``, composed as in TensorFlow.
An IndexedSlices is clipped through its values (and stays IndexedSlices), as in TensorFlow."""

from minitf.framework import ops
from minitf.framework.indexed_slices import IndexedSlices
from minitf.ops import array_ops, constant_op, math_ops, nn_ops


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    with ops.name_scope(name, "clip_by_value", [t, clip_value_min, clip_value_max]) as scope:
        values = ops.convert_to_tensor(t, name="t")
        t_min = math_ops.minimum(values, clip_value_max)
        values.shape.assert_is_compatible_with(t_min.shape)
        t_max = math_ops.maximum(t_min, clip_value_min, name=scope)
        values.shape.assert_is_compatible_with(t_max.shape)
        return t_max


def clip_by_norm(t, clip_norm, axes=None, name=None):
    with ops.name_scope(name, "clip_by_norm", [t, clip_norm]) as scope:
        values = ops.convert_to_tensor(_values(t), name="t")
        l2sum = math_ops.reduce_sum(values * values, axes, keepdims=True)
        pred = l2sum > 0
        l2sum_safe = array_ops.where(pred, l2sum, array_ops.ones_like(l2sum))
        l2norm = array_ops.where(pred, math_ops.sqrt(l2sum_safe), l2sum)
        intermediate = values * clip_norm
        values_clip = array_ops.identity(
            intermediate / math_ops.maximum(l2norm, clip_norm), name=scope)
        return _like(t, values_clip)


def _values(t):
    return t.values if isinstance(t, IndexedSlices) else t


def _like(t, values):
    return IndexedSlices(values, t.indices, t.dense_shape) if isinstance(t, IndexedSlices) else values


def global_norm(t_list, name=None):
    """``sqrt(sum of the squares of every element of every tensor)``: one L2Loss per tensor, as TensorFlow."""
    if not isinstance(t_list, (list, tuple)):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")
    t_list = list(t_list)
    with ops.name_scope(name, "global_norm", t_list):
        values = [ops.convert_to_tensor(_values(t), name=f"t_{i}") for i, t in enumerate(t_list) if t is not None]
        half_squared_norms = [nn_ops.l2_loss(v) for v in values]
        half_squared_norm = math_ops.reduce_sum(array_ops.stack(half_squared_norms))
        return math_ops.sqrt(half_squared_norm * constant_op.constant(2.0, dtype=half_squared_norm.dtype),
                             name="global_norm")


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    if not isinstance(t_list, (list, tuple)):
        raise TypeError("`t_list` should be a sequence of tensors.")
    t_list = list(t_list)
    if use_norm is None:
        use_norm = global_norm(t_list, name)
    with ops.name_scope(name, "clip_by_global_norm", t_list + [clip_norm]) as scope:
        scale_for_finite = clip_norm * math_ops.minimum(
            1.0 / use_norm, constant_op.constant(1.0, dtype=use_norm.dtype) / clip_norm)
        scale = scale_for_finite + (use_norm - use_norm)  # NaN when the norm is not finite, as in TensorFlow
        clipped = []
        for i, t in enumerate(t_list):
            if t is None:
                clipped.append(None)
                continue
            clipped.append(_like(t, array_ops.identity(_values(t) * scale, name=f"{scope}_{i}")))
        return clipped, use_norm
