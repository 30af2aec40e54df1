"""``tf.Assert``: an Assert op, guarded by a cond (``AssertGuard``) unless all its data are strings or int32."""

from minitf.framework import dtypes, ops
from minitf.ops import control_flow_ops, logging_ops
from minitf.ops.cond import cond


def Assert(condition, data, summarize=None, name=None):  # noqa: N802 -- TensorFlow's name
    """Raises InvalidArgumentError ``assertion failed: [data]...`` at run time when ``condition`` is false."""
    with ops.name_scope(name, "Assert", [condition, data]) as name:
        xs = ops.convert_n_to_tensor(data)
        if all(x.dtype in {dtypes.string, dtypes.int32} for x in xs):
            return logging_ops.assert_op(condition, data, summarize, name="Assert")
        condition = ops.convert_to_tensor(condition, name="Condition")

        def true_assert():
            return logging_ops.assert_op(condition, data, summarize, name="Assert")

        guarded_assert = cond(condition, control_flow_ops.no_op, true_assert, name="AssertGuard")
        return guarded_assert.op
