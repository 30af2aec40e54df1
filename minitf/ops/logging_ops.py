"""``tf.Assert``: the ``Assert`` op, which fails the run with InvalidArgumentError when its condition is false."""

import numpy as np

from minitf.framework import dtypes, errors, ops
from minitf.framework.op_def_lib import no_gradient, register


def _assert_infer(op):
    condition = op.inputs[0]
    if condition.dtype.base_dtype != dtypes.bool:
        raise TypeError(f"Input 'condition' of 'Assert' Op has type {condition.dtype.base_dtype.name} that does "
                        "not match expected type of bool.")
    return []


def _format(value, summarize):
    """A data tensor as TensorFlow's Assert prints it: ``[1 2]``, at most ``summarize`` elements, then ``...``."""
    flat = np.asarray(value).reshape(-1)
    items = [v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for v in flat[:summarize].tolist()]
    text = " ".join(items) + ("..." if flat.size > summarize else "")
    return text if np.ndim(value) == 0 else f"[{text}]"


def _assert_kernel(op, state):
    summarize = op.get_attr("summarize")

    def kernel(condition, *data):
        if not np.asarray(condition).all():
            raise errors.InvalidArgumentError(
                None, None, "assertion failed: " + " ".join(f"[{_format(d, summarize)}]" if np.ndim(d) == 0
                                                            else _format(d, summarize) for d in data))
        return ()
    return kernel


register("Assert", _assert_infer, _assert_kernel, stateful=True, input_names=("condition", "data"),
         attr_defaults={"summarize": 3})
no_gradient("Assert")


def Assert(condition, data, summarize=None, name=None):  # noqa: N802 -- TensorFlow's public name
    """Asserts that ``condition`` is true when the op runs; else InvalidArgumentError printing ``data``.

    As TensorFlow's graph-mode Assert, the data is converted twice: once (``Assert/Const``, unused) to look at its
    dtypes, and again by the op wrapper (``Assert/Assert/data_0``). TensorFlow wraps the op in a ``tf.cond`` when
    some data is neither string nor int32; minitf always adds the op directly (same result, fewer nodes)."""
    graph = ops.get_default_graph()
    with ops.name_scope(name, "Assert", [condition] + list(data)):
        for x in data:
            ops.convert_to_tensor(x)
        with graph.name_scope("Assert") as assert_scope:
            if not isinstance(condition, ops.Tensor):
                condition = ops.convert_to_tensor(condition, name="condition")
            xs = [x if isinstance(x, ops.Tensor) else ops.convert_to_tensor(x, name=f"data_{i}")
                  for i, x in enumerate(data)]
        return graph.create_op("Assert", [condition] + xs, {"T": [x.dtype.base_dtype for x in xs],
                                                            "summarize": summarize or 3}, assert_scope)
