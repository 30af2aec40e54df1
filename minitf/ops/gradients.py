"""``tf.gradients``: reverse-mode differentiation over the graph, as TensorFlow's gradients_util does it.

Ops between ``xs`` and ``ys`` are visited in reverse order once all their consumers have contributed; each op's
registered gradient function runs inside the name scope ``<gradients scope>/<op name>_grad``. Gradients reaching
one tensor from several consumers are summed with ``AddN``.
"""

import collections

from minitf.framework import dtypes, ops, op_registry
from minitf.framework.indexed_slices import IndexedSlices
from minitf.ops import array_ops, control_flow_ops, control_flow_state, control_flow_util, math_ops
from minitf.ops import (array_grad, control_flow_grad, indexing_grad, math_grad, matrix_grad,  # noqa: F401 -- gradients
                        nn_grad, scatter_nd_grad, segment_grad, sparse_grad, sparse_segment_grad, special_math_grad)

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


def _pending_count(to_ops, from_ops, consumers):
    """The ops between ``from_ops`` and ``to_ops``, the ControlFlowState when they go through while loops, and
    for each op how many of its consumers among them must contribute before its gradient (TF's _PendingCount)."""
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
    reachable_to_ops = {op for op in to_ops if op in reached}
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
    loop_state = control_flow_state.MaybeCreateControlFlowState(between_list, between)
    pending = collections.defaultdict(int)
    for op in between_list:
        for t in op._inputs:
            if t.op in between:
                pending[t.op] += 1
    return reachable_to_ops, pending, loop_state


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


def _aggregate(grads, op, loop_state):
    """Sums each output's gradients (AddN); a loop Switch's gradient already set on its first visit stays."""
    out_grads = grads.setdefault(op, [[] for _ in op._outputs])
    for i, out_grad in enumerate(out_grads):
        if loop_state and isinstance(out_grad, (ops.Tensor, IndexedSlices)):
            continue
        if not out_grad:
            out_grads[i] = None
        elif len(out_grad) == 1:
            out_grads[i] = out_grad[0]
        else:
            out_grads[i] = _sum(out_grad)
    return list(out_grads)


def _sum(grads):
    """AddN of Tensors (IndexedSlices among them made dense); IndexedSlices alone are concatenated, as TensorFlow's
    AggregateIndexedSlicesGradients."""
    grads = [g for g in grads if g is not None]
    if any(isinstance(g, ops.Tensor) for g in grads):
        return math_ops.add_n(grads)
    if len({g.indices.dtype.base_dtype for g in grads}) > 1:
        grads = [IndexedSlices(g.values, math_ops.cast(g.indices, dtypes.int64), g.dense_shape) for g in grads]
    return IndexedSlices(array_ops.concat([g.values for g in grads], axis=0),
                         array_ops.concat([g.indices for g in grads], axis=0), grads[0].dense_shape)


def _has_any_grads(grads, op):
    for out_grad in grads.get(op, ()):
        if isinstance(out_grad, (ops.Tensor, IndexedSlices)) or (out_grad and any(g is not None for g in out_grad)):
            return True
    return False


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
        reachable_to_ops, pending, loop_state = _pending_count(to_ops, from_ops, consumers)
        grads = {}
        for y, grad_y in zip(ys, grad_ys):
            _set_grad(grads, y, grad_y)
        queue = collections.deque()
        to_ops_set = set()
        for op in to_ops:
            if pending[op] == 0 and op not in to_ops_set and op in reachable_to_ops:
                to_ops_set.add(op)
                queue.append(op)
        if loop_state:
            for y in loop_state.ProcessUnusedLoopExits(pending, to_ops_set):
                if _is_trainable(y):
                    _set_grad(grads, y, loop_state.ZerosLikeForExit(y))
                queue.append(y.op)
        stop_ops = {op for op in from_ops if all(pending[t.op] == 0 for t in op._inputs)} | stop_gradient_ops
        while queue:
            op = queue.popleft()
            if loop_state:
                loop_state.EnterGradWhileContext(op, before=True)
            out_grads = _aggregate(grads, op, loop_state)
            if loop_state:
                loop_state.ExitGradWhileContext(op, before=True)
            has_grads = any(g is not None for g in out_grads)
            grad_fn = None
            if has_grads and op not in stop_ops:
                grad_fn = _gradient_function(op)
            if loop_state:
                loop_state.EnterGradWhileContext(op, before=False)
            if grad_fn is not None and has_grads:
                for i, g in enumerate(out_grads):
                    if g is None and _is_trainable(op._outputs[i]):
                        if loop_state:
                            out_grads[i] = loop_state.ZerosLikeV1WhileLoop(op, i)
                        else:
                            out_grads[i] = control_flow_state.ZerosLike(op, i)
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
            for i, (t_in, in_grad) in enumerate(zip(op._inputs, in_grads)):
                if in_grad is not None:
                    if isinstance(in_grad, ops.Tensor) and t_in.dtype != dtypes.resource:
                        try:
                            in_grad.set_shape(t_in.shape)
                        except ValueError:
                            raise ValueError(f"Incompatible shapes between op input and calculated input "
                                             f"gradient. Forward operation: {op.name}. Input index: {i}. "
                                             f"Original input shape: {t_in.shape}. Calculated input gradient "
                                             f"shape: {in_grad.shape}") from None
                    _set_grad(grads, t_in, in_grad)
            if loop_state:
                loop_state.ExitGradWhileContext(op, before=False)
            _update_pending_and_enqueue_ready(grads, op, queue, pending, loop_state)
        if loop_state:
            loop_state.PostProcessing()
        result = []
        for x in xs:
            op_grads = grads.get(x.op)
            grad = None
            if op_grads:
                values = op_grads[x.value_index]
                if not isinstance(values, list):
                    grad = values
                elif len(values) > 1:
                    grad = _sum(values)
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
    t_grads = op_grads[t.value_index]
    if isinstance(t_grads, list):
        t_grads.append(grad)
    else:  # a loop Switch visited a second time
        op_grads[t.value_index] = grad


def _update_pending_and_enqueue_ready(grads, op, queue, pending, loop_state):
    """Queues the producers of ``op``'s inputs whose consumers have all contributed; a loop Switch is queued
    again for its back edge, and a loop's Exits wait for each other (TF's _UpdatePendingAndEnqueueReady)."""
    for x in op._inputs:
        pending[x.op] -= 1
        ready = pending[x.op] == 0
        if loop_state and not ready:
            ready = pending[x.op] > 0 and control_flow_util.IsLoopSwitch(x.op)
        if not ready:
            continue
        if control_flow_util.IsLoopExit(x.op):
            grad_state = loop_state.GetGradState(x.op, before=False)
            grad_state.deferred_exits.append(x)
            grad_state.pending_exits_count -= 1
            if grad_state.pending_exits_count == 0:
                has_not_none_grad = False
                for y in grad_state.deferred_exits:
                    if _has_any_grads(grads, y.op):
                        has_not_none_grad = True
                        queue.append(y.op)
                    else:
                        grad_state.unused_exits.append(y)
                if has_not_none_grad:
                    for y in grad_state.unused_exits:
                        if _is_trainable(y):
                            _set_grad(grads, y, loop_state.ZerosLikeForExit(y))
                        queue.append(y.op)
                else:
                    for y in grad_state.unused_exits:
                        queue.append(y.op)
        else:
            queue.append(x.op)


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
