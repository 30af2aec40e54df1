"""``tf.Print`` and the Assert op's kernel: tensors summarized as TensorFlow's ``Tensor::SummarizeValue`` does."""

import sys

import numpy as np

from minitf.framework import dtypes, ops
from minitf.framework.op_def_lib import RegisterGradient, invalid_argument, no_gradient, register
from minitf.framework.messages import _float_text


def _element_text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, (bool, np.bool_)):
        return "1" if value else "0"
    if isinstance(value, (float, np.floating)):
        return _float_text(value)
    return str(value)


def summarize_value(value, max_entries):
    """At most ``max_entries`` elements, nested in brackets by dimension, ``...`` when some are left out."""
    array = np.asarray(value)
    flat = array.reshape(-1)
    limit = flat.size if max_entries < 0 else min(max_entries, flat.size)
    if array.ndim <= 1:
        text = " ".join(_element_text(flat[i].item() if flat.dtype != object else flat[i]) for i in range(limit))
        return text + ("..." if limit < flat.size else "")
    parts = []
    index = [0]

    def one_dim(dim):
        if index[0] >= limit:
            return
        if dim == array.ndim - 1:
            for i in range(array.shape[dim]):
                if index[0] >= limit:
                    if dim != 0:
                        parts.append("...")
                    return
                if i > 0:
                    parts.append(" ")
                element = flat[index[0]]
                parts.append(_element_text(element if flat.dtype == object else element.item()))
                index[0] += 1
            return
        for _ in range(array.shape[dim]):
            opened = index[0] < limit
            if opened:
                parts.append("[")
            one_dim(dim + 1)
            if index[0] < limit or opened:
                parts.append("]")
    one_dim(0)
    return "".join(parts) + ("..." if limit < flat.size else "")


# -- Print ------------------------------------------------------------------------------------------------------

def _print_kernel(op, state):
    message = op.get_attr("message")
    message = message.decode() if isinstance(message, bytes) else message
    first_n = op.get_attr("first_n")
    summarize = op.get_attr("summarize")
    count = state.resource(op, lambda: [0])

    def run(value, *data):
        if first_n < 0 or count[0] < first_n:
            count[0] += 1
            sys.stderr.write(message + "".join("[" + summarize_value(d, summarize) + "]" for d in data) + "\n")
        return value
    return run


register("Print", lambda op: [(op.inputs[0].dtype.base_dtype, op.inputs[0].shape)], _print_kernel, stateful=True,
         input_names=("input", "data"))


@RegisterGradient("Print")
def _print_grad(op, *grad):
    return list(grad) + [None] * (len(op.inputs) - 1)


def Print(input_, data, message=None, first_n=None, summarize=None, name=None):  # noqa: N802 -- TF's name
    """Passes ``input_`` through and writes ``message`` and the summarized ``data`` to stderr when it runs."""
    graph = ops.get_default_graph()
    with ops.name_scope(name, "Print", [input_] + list(data)) as scope:
        input_ = ops.convert_to_tensor(input_, name="input")
        data = [d if isinstance(d, ops.Tensor) else ops.convert_to_tensor(d, name=f"data_{i}")
                for i, d in enumerate(data)]
        attrs = {"T": input_.dtype.base_dtype, "U": [d.dtype.base_dtype for d in data],
                 "message": message or "", "first_n": -1 if first_n is None else first_n,
                 "summarize": 3 if summarize is None else summarize}
        return graph.create_op("Print", [input_] + data, attrs, scope)._outputs[0]


# -- Assert -----------------------------------------------------------------------------------------------------

def _assert_infer(op):
    condition = op.inputs[0]
    if condition.dtype.base_dtype != dtypes.bool:
        raise TypeError(f"Input 'condition' of 'Assert' Op has type {condition.dtype.base_dtype.name} that does "
                        "not match expected type of bool.")
    return []


def _assert_kernel(op, state):
    summarize = op.get_attr("summarize")

    def run(condition, *data):
        if not np.all(condition):
            raise invalid_argument("assertion failed: " + " ".join(
                "[" + summarize_value(d, summarize) + "]" for d in data))
        return ()
    return run


register("Assert", _assert_infer, _assert_kernel, stateful=True, input_names=("condition", "data"),
         attr_defaults={"summarize": 3})
no_gradient("Assert")


def assert_op(condition, data, summarize, name):
    """The Assert op itself; list ``data`` items that are not tensors become ``data_<i>`` constants."""
    graph = ops.get_default_graph()
    with ops.name_scope(name, "Assert", [condition] + list(data)) as scope:
        condition = ops.convert_to_tensor(condition, name="condition")
        data = [d if isinstance(d, ops.Tensor) else ops.convert_to_tensor(d, name=f"data_{i}")
                for i, d in enumerate(data)]
        attrs = {"T": [d.dtype.base_dtype for d in data], "summarize": 3 if summarize is None else summarize}
        return graph.create_op("Assert", [condition] + data, attrs, scope)
