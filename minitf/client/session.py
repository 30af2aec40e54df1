"""``tf.Session``: runs the part of a graph that fetches need, from a cached execution plan.

A plan is built once per (fetches, feeds) signature: the graph is pruned to what the fetches need, ordered (op
creation order is a valid topological order), constant subgraphs are folded, each op's kernel is bound to this
session's state, and every intermediate value is released after its last consumer. Later runs only call kernels.
"""

import collections
import operator
import threading
import time

import numpy as np

from minitf.client import fetches as fetch_lib
from minitf.client import heap, parallel, threading_policy
from minitf.client.state import SessionState, VariableCell
from minitf.framework import dtypes, errors, messages, ops, sparse_tensor


class _Plan:
    """An ordered list of kernel calls over a list of value slots.

    Each step is a tuple ``(kernel, input_slots, output_slot_or_slots, slots_to_free, op)``. ``parallel_steps``
    are the same steps with independent heavy ops paired (``parallel.py``), once a timed run has found them.
    ``calls`` (and ``parallel_calls``) are the steps as the executor loop runs them (``_calls``).
    """

    __slots__ = ("template", "steps", "calls", "feed_slots", "fetch_slots", "keep", "runs", "costs",
                 "parallel_steps", "parallel_calls")

    def __init__(self, template, steps, feed_slots, fetch_slots, keep):
        self.template = template
        self.steps = steps
        self.calls = _calls(steps)
        self.feed_slots = feed_slots
        self.fetch_slots = fetch_slots
        self.keep = keep
        self.runs = 0
        self.costs = None
        self.parallel_steps = None
        self.parallel_calls = None


def _calls(steps):
    """The steps as ``(kernel, get_inputs, single_input, output_slot_or_slots, slots_to_free, op)``, where
    ``get_inputs(slots)`` is an ``operator.itemgetter`` of the input slots: the least Python work per kernel call,
    which is most of the cost of a small op."""
    calls = []
    for fn, ins, out, frees, op in steps:
        get = operator.itemgetter(*ins) if ins else _no_inputs
        calls.append((fn, get, len(ins) == 1, out, frees, op))
    return calls


def _no_inputs(slots):
    return ()


def _deref_adapter(fn, ref_positions):
    """Wraps a kernel so that variable cells at ``ref_positions`` are read (snapshotted) when it runs."""
    if ref_positions == (0,):
        def call_first(cell, *rest):
            return fn(cell.read(), *rest)
        return call_first

    def call(*args):
        args = list(args)
        for i in ref_positions:
            args[i] = args[i].read()
        return fn(*args)
    return call


class _PlanBuilder:
    def __init__(self, session, fetch_tensors, target_ops, feed_tensors):
        self.session = session
        self.fetch_tensors = fetch_tensors
        self.target_ops = target_ops
        self.feed_tensors = feed_tensors

    def needed_ops(self):
        fed = set(self.feed_tensors)
        needed = set()
        stack = [t.op for t in self.fetch_tensors if t not in fed] + list(self.target_ops)
        while stack:
            op = stack.pop()
            if op in needed:
                continue
            needed.add(op)
            for t in op._inputs:
                if t not in fed and t._op not in needed:
                    stack.append(t._op)
            for c in op._control_inputs:  # an op whose outputs are all fed has run, as far as its dependents go
                if c not in needed and not (c._outputs and all(t in fed for t in c._outputs)):
                    stack.append(c)
        return sorted(needed, key=lambda op: op._id)

    def _without_unused_values(self, needed):
        """Drops the ops whose outputs nothing reads: stateless ops that only a control edge reaches (as the
        gradient of a placeholder inside ``tf.tuple``), and then their inputs' producers if nothing else reads them.
        TensorFlow's grappler does the same (its dependency optimizer turns such ops into NoOps), so results and
        side effects are unchanged, and neither raises the error such an op would (stateful ops such as
        CheckNumerics always run)."""
        fetched = set(self.fetch_tensors)
        read = set()
        kept = []
        for op in reversed(needed):
            if (op._op_def.stateful or op in self.target_ops or not op._outputs
                    or any(t in read or t in fetched for t in op._outputs)):
                kept.append(op)
                read.update(op._inputs)
        return kept[::-1]

    def build(self):
        needed = self.needed_ops()
        if any(op._op_def.dataflow for op in needed):  # cond / while_loop: the dataflow executor
            from minitf.client.dataflow_executor import DataflowPlan  # loaded when a graph first has control flow
            return DataflowPlan(needed, self.feed_tensors, self.fetch_tensors, self.session._state, _deref_adapter,
                                _op_error)
        state = self.session._state
        slot_of = {}
        template = []
        constant = set()
        pinned = set()

        def new_slot(tensor, value=None, is_constant=False):
            slot_of[tensor] = len(template)
            template.append(value)
            if is_constant:
                constant.add(slot_of[tensor])
            return slot_of[tensor]

        feed_slots = [new_slot(t) for t in self.feed_tensors]
        fed = set(self.feed_tensors)
        raw_steps = []
        for op in self._without_unused_values(needed):
            op_def = op._op_def
            if op_def.kernel is None:
                continue
            if op_def.forwards_input and not op._inputs[0].dtype.is_ref_dtype:
                slot_of[op._outputs[0]] = slot_of[op._inputs[0]]
                continue
            try:  # what a kernel cannot make of its op's attrs fails as at run time, naming the op
                fn = op_def.kernel(op, state)
                per_session = fn() if op_def.per_session else None
            except Exception as exc:  # noqa: BLE001
                raise _op_error(exc, op) from exc
            if op_def.per_session:
                for t, v in zip(op._outputs, _as_tuple(per_session, len(op._outputs))):
                    pinned.add(new_slot(t, v))
                continue
            ins = tuple(slot_of[t] for t in op._inputs)
            deref = tuple(i for i, t in enumerate(op._inputs)  # a fed variable's slot holds its value already
                          if t.dtype.is_ref_dtype and i not in op_def.ref_inputs and t not in fed)
            if deref:
                fn = _deref_adapter(fn, deref)
            foldable = (not op_def.stateful and not deref and all(i in constant for i in ins))
            if foldable:
                try:
                    folded = fn(*[template[i] for i in ins])
                except Exception as exc:  # noqa: BLE001 -- a folded kernel fails as it would at run time
                    raise _op_error(exc, op) from exc
                for t, v in zip(op._outputs, _as_tuple(folded, len(op._outputs))):
                    new_slot(t, _readonly(v), is_constant=True)
                continue
            outs = tuple(new_slot(t) for t in op._outputs)
            raw_steps.append((fn, ins, outs[0] if len(outs) == 1 else outs, op))
        fetch_slots = [slot_of[t] for t in self.fetch_tensors]
        keep = set(fetch_slots) | set(feed_slots) | constant | pinned
        return _Plan(template, self._with_frees(raw_steps, keep), feed_slots, fetch_slots, keep)

    @staticmethod
    def _with_frees(raw_steps, keep):
        last_use = {}
        for index, (_, ins, _, _) in enumerate(raw_steps):
            for i in ins:
                last_use[i] = index
        frees_at = collections.defaultdict(list)
        for slot, index in last_use.items():
            if slot not in keep:
                frees_at[index].append(slot)
        return [(fn, ins, out, tuple(frees_at.get(index, ())), op)
                for index, (fn, ins, out, op) in enumerate(raw_steps)]


def _as_tuple(value, n_outputs):
    return (value,) if n_outputs == 1 else value


def _readonly(value):
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    return value


def _op_error(exc, op):
    """Turns a kernel failure into TensorFlow's error class, naming the op and where the user created it."""
    where = f"\n\t [[node {op.name} (defined at {messages.format_frame(op._traceback)}) ]]"
    if isinstance(exc, errors.OpError):
        if exc.op is None:
            return type(exc)(None, op, exc.message + where)
        return exc
    message = str(exc) or type(exc).__name__
    return errors.InvalidArgumentError(None, op, message + where)


class BaseSession:
    def __init__(self, target="", graph=None, config=None):
        self._graph = graph if graph is not None else ops.get_default_graph()
        if not isinstance(self._graph, ops.Graph):
            raise TypeError(f"graph must be a tf.Graph, but got {type(self._graph)}")
        self._target = target
        self._config = config
        self._state = SessionState(self._graph)
        self._plans = {}
        self._fetch_infos = {}
        self._feed_checks = {}
        self._closed = False
        self._lock = threading.Lock()
        self._default_session_context = None
        self._blas_threads = threading_policy.BlasThreads(threading_policy.blas_threads(config),
                                                          threading_policy.kernel_threads(config))
        self._inter_op = threading_policy.inter_op_threads(config) > 1
        self._pool = None
        heap.keep_freed_memory()

    @property
    def graph(self):
        return self._graph

    @property
    def graph_def(self):
        return self._graph.as_graph_def()

    @property
    def sess_str(self):
        return self._target

    def close(self):
        self._closed = True
        self._plans.clear()
        self._state.close()
        if self._pool is not None:
            self._pool.shutdown(wait=False)
            self._pool = None
        threading_policy.restore_owed()

    def as_default(self):
        return _DefaultSessionContext(self)

    def list_devices(self):
        return [_Device("/job:localhost/replica:0/task:0/device:CPU:0", "CPU")]

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Runs the part of the graph ``fetches`` needs and returns their values, in the same structure.

        ``fetches``: a Tensor (its value, a numpy array), an Operation (None: it is run for its effect), a tensor
        or op name, or a list / tuple / dict / namedtuple of these, nested. ``feed_dict`` maps tensors (usually
        placeholders) or their names to values that replace them for this call. Only the ops the fetches depend
        on run, each once, whatever the number of fetches that share it. With ``options`` of
        ``trace_level=FULL_TRACE``, ``run_metadata`` receives each op's time and memory.

        Raises the ``tf.errors`` class TensorFlow raises (InvalidArgumentError for a missing feed,
        FailedPreconditionError for an uninitialized variable, ...), naming the op and the line that created it.
        """
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        fetch_handler, fetch_tensors, target_ops = self._fetch_info(fetches)
        feed_tensors, feed_values = self._feeds(feed_dict)
        key = (fetch_tensors, target_ops, feed_tensors)
        plan = self._plans.get(key)
        if plan is None:
            with self._lock:  # threads that need the same new plan build it once
                plan = self._plans.get(key)
                if plan is None:
                    self._check_fetchable(fetch_tensors, feed_tensors)
                    plan = _PlanBuilder(self, fetch_tensors, target_ops, feed_tensors).build()
                    self._plans[key] = plan
        trace = run_metadata is not None and options is not None and getattr(options, "trace_level", 0)
        timeout_ms = getattr(options, "timeout_in_ms", 0) if options is not None else 0
        self._state.run_context.deadline = time.monotonic() + timeout_ms / 1000 if timeout_ms > 0 else None
        values = self._execute(plan, feed_values, run_metadata if trace else None)
        kind = type(fetches)
        if kind is ops.Tensor:
            return values[0]
        if kind is ops.Operation:
            return None
        return fetch_handler.build_results(dict(zip(fetch_tensors, values)))

    def _fetch_info(self, fetches):
        """``(FetchHandler, fetched tensors, target ops)`` of ``fetches``; kept for a Tensor, an Operation or a list
        or tuple of them, which a training loop fetches at every step."""
        kind = type(fetches)
        if kind is ops.Tensor or kind is ops.Operation:
            cache_key = fetches
        elif (kind is list or kind is tuple) and all(type(f) is ops.Tensor or type(f) is ops.Operation
                                                     for f in fetches):
            cache_key = (kind, *fetches)
        else:
            cache_key = None
        info = self._fetch_infos.get(cache_key) if cache_key is not None else None
        if info is None:
            handler = fetch_lib.FetchHandler(self._graph, fetches)
            info = (handler, tuple(e for e in handler.elements if isinstance(e, ops.Tensor)),
                    tuple(e for e in handler.elements if isinstance(e, ops.Operation)))
            if cache_key is not None:
                if len(self._fetch_infos) >= _FETCHES_KEPT:
                    self._fetch_infos.clear()
                self._fetch_infos[cache_key] = info
        return info

    def _execute(self, plan, feed_values, run_metadata):
        if type(plan) is not _Plan:  # a DataflowPlan
            from minitf.client import tracing
            recorder = tracing.Recorder(run_metadata) if run_metadata is not None else None
            with self._blas_threads:
                return [_fetch_value(v) for v in plan.execute(feed_values, recorder)]
        slots = plan.template.copy()
        for slot, value in zip(plan.feed_slots, feed_values):
            slots[slot] = value
        if run_metadata is not None:
            from minitf.client import tracing
            with self._blas_threads:  # traced kernels run with the threads untraced ones get
                tracing.run_traced(plan, slots, run_metadata, _op_error)
        else:
            op = None
            try:
                with self._blas_threads:
                    for fn, get, single, out, frees, op in self._calls(plan) if self._inter_op else plan.calls:
                        value = fn(get(slots)) if single else fn(*get(slots))
                        if type(out) is int:
                            slots[out] = value
                        else:
                            for o, v in zip(out, value):
                                slots[o] = v
                        if frees:
                            for i in frees:
                                slots[i] = None
            except Exception as exc:  # noqa: BLE001 -- every kernel failure becomes a tf.errors class
                if op is None:
                    raise
                raise _op_error(exc, op) from exc
        return [_fetch_value(slots[i]) for i in plan.fetch_slots]

    def _calls(self, plan):
        """The calls of this run: the plan's own three times (timed the second and third time), then with
        independent heavy ops paired to run at once (``parallel.py``) if the timed runs found any."""
        if plan.parallel_calls is not None:
            return plan.parallel_calls
        plan.runs += 1
        if plan.runs in (2, 3):
            plan.costs = plan.costs or []
            plan.costs.append([0.0] * len(plan.steps))
            return _calls(parallel.timed_steps(plan.steps, plan.costs[-1]))
        if plan.runs == 4:
            if self._pool is None:
                self._pool = parallel.new_pool()
            costs = [min(step_costs) for step_costs in zip(*plan.costs)]  # a step slowed by other work once
            raw = parallel.fork_schedule(plan.steps, costs, set(plan.fetch_slots), self._pool, _op_error)
            plan.parallel_steps = plan.steps if raw is None else _PlanBuilder._with_frees(raw, plan.keep)
            plan.parallel_calls = plan.calls if raw is None else _calls(plan.parallel_steps)
            return plan.parallel_calls
        return plan.calls

    def _feeds(self, feed_dict):
        """The fed tensors and their values as arrays. A tensor fed before, with the same static shape, goes by the
        fast path: its checks are remembered (``_feed_checks``), only the value's dtype and shape are compared."""
        if not feed_dict:
            return (), ()
        tensors, values = [], []
        checks = self._feed_checks
        for key, value in sparse_tensor.expand_feeds(feed_dict):
            known = checks.get(key) if type(key) is ops.Tensor else None
            if known is not None and known[0] is key._shape and type(value) is np.ndarray:
                array = value if value.dtype == known[1] else _converted(value, known[1])
                if array is not None and array.shape in known[2] and self._graph.is_feedable(key):
                    tensors.append(key)
                    values.append(array)
                    continue
            try:
                tensor = self._graph.as_graph_element(key, allow_tensor=True, allow_operation=False)
            except (KeyError, ValueError) as e:
                raise TypeError(f"Cannot interpret feed_dict key as Tensor: {e}") from None
            if not self._graph.is_feedable(tensor):  # a tensor inside a while loop
                raise ValueError(f"Tensor {tensor.name} may not be fed.")
            if isinstance(value, ops.Tensor):
                raise TypeError("The value of a feed cannot be a tf.Tensor object. Acceptable feed values include "
                                "Python scalars, strings, lists, numpy ndarrays, or TensorHandles. For reference, "
                                f"the tensor object was {value} which was passed to the argument `feed_dict` with "
                                f"key {tensor}.")
            dtype = tensor.dtype.base_dtype
            try:
                array = _as_feed_array(value, dtype)
            except (TypeError, ValueError) as e:
                raise ValueError(f"Cannot feed value of type {type(value).__name__} for Tensor {tensor.name}, "
                                 f"which has dtype {dtype.name}: {e}") from None
            if not tensor.shape.is_compatible_with(array.shape):
                raise ValueError(f"Cannot feed value of shape {array.shape} for Tensor {tensor.name}, which has "
                                 f"shape {_shape_str(tensor.shape)}")
            if type(key) is ops.Tensor and dtype != dtypes.string and type(array) is np.ndarray:
                known = checks.get(key)
                if known is None or known[0] is not key._shape or len(known[2]) >= _FEED_SHAPES_KEPT:
                    known = checks[key] = (key._shape, array.dtype, set())
                known[2].add(array.shape)
            tensors.append(tensor)
            values.append(array)
        return tuple(tensors), tuple(values)

    def _check_fetchable(self, fetch_tensors, feed_tensors):
        for t in fetch_tensors:
            if t.graph is not self._graph:
                raise ValueError(f"Tensor {t} is not an element of this graph.")
            if not self._graph.is_fetchable(t):
                raise ValueError(f"Operation {t.op.name!r} has been marked as not fetchable. Typically this "
                                 "happens when it is defined in another function or code block. Use return "
                                 "values, explicit Python locals or TensorFlow collections to access it.")

    def __enter__(self):
        if self._default_session_context is None:
            self._default_session_context = self.as_default()
        self._default_session_context.__enter__()
        return self

    def __exit__(self, *exc):
        self._default_session_context.__exit__(*exc)
        self._default_session_context = None
        self.close()
        return False

    def __del__(self):
        self._closed = True


_FETCHES_KEPT = 256  # fetch structures a session remembers (_fetch_info)
_FEED_SHAPES_KEPT = 64  # value shapes remembered per fed tensor (_feeds)


class Session(BaseSession):
    """``tf.Session(target='', graph=None, config=None)``."""

    @staticmethod
    def reset(target, containers=None, config=None):
        pass


class InteractiveSession(BaseSession):
    """A Session that installs itself as the default session when created."""

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        self._default_session_context = self.as_default()
        self._default_session_context.__enter__()

    def close(self):
        super().close()
        if self._default_session_context is not None:
            self._default_session_context.__exit__(None, None, None)
            self._default_session_context = None


class _Device(collections.namedtuple("_Device", ["name", "device_type"])):
    @property
    def memory_limit_bytes(self):
        return 268435456


def _shape_str(shape):
    if shape.ndims is None:
        return "<unknown>"
    return "(" + ", ".join("?" if d is None else str(d) for d in shape.as_tuple()) + \
        ("," if shape.ndims == 1 else "") + ")"


def _as_feed_array(value, dtype):
    if dtype == dtypes.string:
        array = np.asarray(value, dtype=object)
        if array.ndim == 0:
            v = array.item()
            return np.array(v.encode() if isinstance(v, str) else v, dtype=object)
        return np.vectorize(lambda v: v.encode() if isinstance(v, str) else v, otypes=[object])(array)
    np_dtype = dtype.as_numpy_dtype
    if isinstance(value, np.ndarray) and value.dtype == np_dtype:
        return value
    return np.asarray(value, dtype=np_dtype)


def _converted(array, dtype):
    """``array`` as ``dtype`` as a feed converts it, or None where that fails (the full check then says why)."""
    try:
        return np.asarray(array, dtype=dtype)
    except (TypeError, ValueError):
        return None


def _fetch_value(value):
    if isinstance(value, VariableCell):
        value = value.read()
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return value[()]
        return value.copy()
    return value


# -- default session (the stack lives in framework/ops.py, which Tensor.eval reads) ---------------------------------

get_default_session = ops.get_default_session


class _DefaultSessionContext:
    def __init__(self, session):
        self._session = session
        self._graph_context = None

    def __enter__(self):
        ops._default_session_stack.push(self._session)
        self._graph_context = self._session.graph.as_default()
        self._graph_context.__enter__()
        return self._session

    def __exit__(self, *exc):
        self._graph_context.__exit__(*exc)
        ops._default_session_stack.remove(self._session)
        return False
