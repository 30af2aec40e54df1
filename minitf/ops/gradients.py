"""``tf.gradients``: reverse-mode differentiation over the graph, as TensorFlow's gradients_util does it.

Ops between ``xs`` and ``ys`` are visited in reverse order once all their consumers have contributed; each op's
registered gradient function runs inside the name scope ``<gradients scope>/<op name>_grad``. Gradients reaching
one tensor from several consumers are summed with ``AddN``.
"""

import collections

from minitf.framework import dtypes, ops, op_registry
from minitf.ops import array_ops, control_flow_ops, math_ops
from minitf.ops import (array_grad, indexing_grad, math_grad, matrix_grad, nn_grad,  # noqa: F401 -- gradients
                        segment_grad, special_math_grad)

_TRAINABLE = {dtypes.float16, dtypes.float32, dtypes.float64, dtypes.complex64, dtypes.complex128,
              dtypes.bfloat16, dtypes.resource, dtypes.variant}


class UnconnectedGradients:
    NONE = "none"
    ZERO = "zero"


def _is_trainable(tensor):
    return tensor.dtype.base_dtype in _TRAINABLE


def _consumers(graph):
    consumers = collections.defaultdict(list)
    for op in graph._nodes:
        for t in op._inputs:
            consumers[t].append(op)
    return consumers


def _between_ops(to_ops, from_ops, consumers):
    reached = set()
    queue = collections.deque(from_ops)
    while queue:
        op = queue.popleft()
        if op in reached:
            continue
        reached.add(op)
        for out in op._outputs:
            if _is_trainable(out):
                queue.extend(consumers.get(out, ()))
    between = set()
    between_list = []
    queue = collections.deque(to_ops)
    while queue:
        op = queue.popleft()
        if op in reached:
            between.add(op)
            between_list.append(op)
            reached.discard(op)
            queue.extend(t.op for t in op._inputs)
    return between, between_list


def _gradient_function(op):
    op_type = op._attrs.get("_gradient_op_type", op.type)
    if isinstance(op_type, bytes):
        op_type = op_type.decode()
    try:
        return op_registry.gradient_function(op_type)
    except KeyError:
        raise LookupError(f"No gradient defined for operation '{op.name}' (op type: {op.type}). In general "
                          "every operation must have an associated `@tf.RegisterGradient` for correct autodiff, "
                          "which this op is lacking. If you want to pretend this operation is a constant in your "
                          "program, you may insert `tf.stop_gradient`.") from None


def _aggregate(grads_for_op, op):
    result = []
    for i, out_grads in enumerate(grads_for_op):
        if not out_grads:
            result.append(None)
        elif len(out_grads) == 1:
            result.append(out_grads[0])
        else:
            result.append(math_ops.add_n(out_grads))
        grads_for_op[i] = [result[-1]] if result[-1] is not None else []
    return result


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False, gate_gradients=False,
              aggregation_method=None, stop_gradients=None, unconnected_gradients=UnconnectedGradients.NONE):
    """The symbolic derivatives of ``sum(ys)`` with respect to each of ``xs`` (None where unconnected)."""
    ys = _as_list(ys)
    xs = [x._ref() if hasattr(x, "_ref") and not isinstance(x, ops.Tensor) else x for x in _as_list(xs)]
    stop_gradients = _as_list(stop_gradients) if stop_gradients is not None else []
    grad_ys = _as_list(grad_ys) if grad_ys is not None else [None] * len(ys)
    if len(grad_ys) != len(ys):
        raise ValueError(f"Passed {len(grad_ys)} grad_ys for {len(ys)} ys")
    if unconnected_gradients not in (UnconnectedGradients.NONE, UnconnectedGradients.ZERO):
        raise ValueError(f"Unknown value for unconnected_gradients: {unconnected_gradients!r}")
    graph = ops.get_default_graph()
    for t in ys + xs:
        if isinstance(t, ops.Tensor):
            graph = t.graph
            break
    with graph.as_default(), ops.name_scope(name, "gradients", ys + xs) as grad_scope:
        ys = [ops.convert_to_tensor(y, name="y") for y in ys]
        xs = [x if isinstance(x, ops.Tensor) else ops.convert_to_tensor(x, name="x") for x in xs]
        stop_gradient_ops = {ops.convert_to_tensor(t).op for t in stop_gradients}
        grad_ys = _default_grad_ys(grad_ys, ys)
        to_ops = [y.op for y in ys]
        from_ops = [x.op for x in xs]
        consumers = _consumers(graph)
        between, between_list = _between_ops(to_ops, from_ops, consumers)
        pending = collections.defaultdict(int)
        for op in between_list:
            for t in op._inputs:
                if t.op in between:
                    pending[t.op] += 1
        grads = {}
        for y, grad_y in zip(ys, grad_ys):
            _set_grad(grads, y, grad_y)
        queue = collections.deque()
        seen = set()
        for op in to_ops:
            if pending[op] == 0 and op not in seen:
                seen.add(op)
                queue.append(op)
        stop_ops = {op for op in from_ops if all(pending[t.op] == 0 for t in op._inputs)} | stop_gradient_ops
        while queue:
            op = queue.popleft()
            out_grads = _aggregate(grads.setdefault(op, [[] for _ in op._outputs]), op)
            has_grads = any(g is not None for g in out_grads)
            grad_fn = None
            if has_grads and op not in stop_ops:
                grad_fn = _gradient_function(op)
            if grad_fn is not None and has_grads:
                for i, g in enumerate(out_grads):
                    if g is None and _is_trainable(op._outputs[i]):
                        out_grads[i] = array_ops.zeros_like(op._outputs[i], optimize=False)
                with ops.name_scope(op.name + "_grad"):
                    in_grads = grad_fn(op, *out_grads)  # None alone: no gradient for the op's one input
                    in_grads = list(in_grads) if isinstance(in_grads, (list, tuple)) else [in_grads]
                    if len(in_grads) != len(op._inputs):
                        raise ValueError(f"Num gradients {len(in_grads)} generated for op {op.name} do not "
                                         f"match num inputs {len(op._inputs)}")
                    if gate_gradients and sum(1 for g in in_grads if g is not None) > 1:
                        in_grads = control_flow_ops.tuple(in_grads)
            else:
                in_grads = [None] * len(op._inputs)
            for t_in, in_grad in zip(op._inputs, in_grads):
                if in_grad is not None:
                    if isinstance(in_grad, ops.Tensor) and t_in.dtype != dtypes.resource:
                        try:
                            in_grad.set_shape(t_in.shape)
                        except ValueError:
                            raise ValueError(f"Incompatible shapes between op input and calculated input "
                                             f"gradient. Forward operation: {op.name}. Input index: "
                                             f"{list(op._inputs).index(t_in)}. Original input shape: "
                                             f"{t_in.shape}. Calculated input gradient shape: "
                                             f"{in_grad.shape}") from None
                    _set_grad(grads, t_in, in_grad)
            for t in op._inputs:
                pending[t.op] -= 1
                if pending[t.op] == 0 and t.op in between and t.op not in seen:
                    seen.add(t.op)
                    queue.append(t.op)
        result = []
        for x in xs:
            op_grads = grads.get(x.op)
            grad = None
            if op_grads:
                values = op_grads[x.value_index]
                if len(values) > 1:
                    grad = math_ops.add_n(values)
                elif values:
                    grad = values[0]
            if grad is None and unconnected_gradients == UnconnectedGradients.ZERO:
                grad = array_ops.zeros_like(x)
            result.append(grad)
        return result


def _default_grad_ys(grad_ys, ys):
    result = []
    for i, (y, grad_y) in enumerate(zip(ys, grad_ys)):
        if grad_y is None:
            if y.dtype.is_complex:
                raise TypeError(f"Gradients of complex tensors ({y}) must set grad_ys (y.dtype = "
                                f"{y.dtype.name})")
            result.append(array_ops.ones(array_ops.shape(y), dtype=y.dtype.base_dtype, name=f"grad_ys_{i}"))
            continue
        grad_y = ops.convert_to_tensor(grad_y, dtype=y.dtype.base_dtype, name=f"grad_ys_{i}")
        if not y.shape.is_compatible_with(grad_y.shape):
            raise ValueError(f"Incompatible shapes between y and grad_y: {y.shape} vs {grad_y.shape}")
        result.append(grad_y)
    return result


def _set_grad(grads, t, grad):
    op_grads = grads.setdefault(t.op, [[] for _ in t.op._outputs])
    op_grads[t.value_index].append(grad)


def _as_list(x):
    if x is None:
        return []
    return list(x) if isinstance(x, (list, tuple)) else [x]


def hessians(ys, xs, name="hessians", colocate_gradients_with_ops=False, gate_gradients=False,
             aggregation_method=None):
    """Second derivatives for xs of known shape, one gradient per element of the first gradient."""
    xs = _as_list(xs)
    hessians_out = []
    with ops.name_scope(name):
        for grad, x in zip(gradients(ys, xs), xs):
            n = x.shape.num_elements()
            flat = array_ops.reshape(grad, [-1])
            rows = [gradients(flat[j], x)[0] for j in range(n)]
            hessians_out.append(array_ops.reshape(array_ops.stack(rows), x.shape.as_list() + x.shape.as_list()))
    return hessians_out
