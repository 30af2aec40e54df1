"""Queues: ``tf.FIFOQueue``, ``tf.RandomShuffleQueue``, ``tf.PaddingFIFOQueue``, ``tf.PriorityQueue``.

Each queue is a resource op (``FIFOQueueV2``, ...) whose value in a Session is the queue object of
``minitf.ops.queue_impl``, made on first use and shared by the threads that run the Session. The enqueue and dequeue
ops (``QueueEnqueueV2``, ``QueueDequeueManyV2``, ...) take that handle as their first input. Op types, attrs, node
names and static shapes are TensorFlow 2.21's (python/ops/data_flow_ops.py); blocking, closing and the error
messages follow its kernels.
"""


import numpy as np

from minitf.framework import dtypes as dtypes_lib
from minitf.framework import errors, ops, random_seed, tensor_shape, tensor_util
from minitf.framework.op_def_lib import register, no_gradient
from minitf.ops import queue_impl

TensorShape = tensor_shape.TensorShape
_SCALAR = TensorShape([])
_QUEUE_DEFAULTS = {"capacity": -1, "container": b"", "shared_name": b""}


# -- the queue ops ------------------------------------------------------------------------------------------------

def _queue_infer(op):
    return [(dtypes_lib.resource, _SCALAR)]


def _attr_shapes(op):
    return [tuple(s.as_list()) for s in op.get_attr("shapes")]


def _queue_kernel(make):
    """The kernel of a queue op: the Session's queue object for this op, made (and checked) once."""
    def kernel(op, state):
        def handle():
            return state.resource(op, lambda: make(op, queue_impl.resource_name(op)))
        return handle
    return kernel


def _fifo(op, name):
    return queue_impl.Queue(name, op.get_attr("capacity"), op.get_attr("component_types"), _attr_shapes(op))


def _padding_fifo(op, name):
    return queue_impl.PaddingFIFOQueue(name, op.get_attr("capacity"), op.get_attr("component_types"),
                                       [tuple(-1 if d is None else d for d in s) for s in _attr_shapes(op)])


def _random_shuffle(op, name):
    capacity, min_after_dequeue = op.get_attr("capacity"), op.get_attr("min_after_dequeue")
    if min_after_dequeue < 0:
        raise errors.InvalidArgumentError(None, op, f"min_after_dequeue {min_after_dequeue} must be >= 0")
    if min_after_dequeue >= capacity:
        raise errors.InvalidArgumentError(
            None, op, f"min_after_dequeue {min_after_dequeue} must be < capacity {capacity}")
    return queue_impl.RandomShuffleQueue(name, capacity, op.get_attr("component_types"), _attr_shapes(op),
                                         min_after_dequeue, op.get_attr("seed"), op.get_attr("seed2"))


def _priority(op, name):
    shapes = _attr_shapes(op)
    return queue_impl.PriorityQueue(name, op.get_attr("capacity"), [dtypes_lib.int64] + op.get_attr(
        "component_types"), [()] + shapes if shapes else None)


for _type, _make, _extra in (("FIFOQueueV2", _fifo, {"shapes": []}),
                             ("PaddingFIFOQueueV2", _padding_fifo, {"shapes": []}),
                             ("RandomShuffleQueueV2", _random_shuffle,
                              {"shapes": [], "min_after_dequeue": 0, "seed": 0, "seed2": 0}),
                             ("PriorityQueueV2", _priority, {"component_types": []})):
    register(_type, _queue_infer, _queue_kernel(_make), stateful=True, per_session=True,
             attr_defaults={**_QUEUE_DEFAULTS, **_extra})
    no_gradient(_type)


# -- enqueue, dequeue, close, size ----------------------------------------------------------------------------------

def _timeout_check(op):
    """TensorFlow's queue kernels accept only ``timeout_ms=-1`` (wait as long as the run may)."""
    if op.get_attr("timeout_ms") != -1:
        raise errors.UnimplementedError(None, op, "Queue timeout not supported yet.")


def _enqueue_kernel(batched):
    def make(op, state):
        def kernel(queue, *components):
            _timeout_check(op)
            components = [np.asarray(c, dtype=t.as_numpy_dtype) for c, t in zip(components, queue.dtypes)]
            queue.check_element(components, batched)
            if batched:  # c[i, ...]: element i as an array, even of a vector
                elements = [tuple(c[i, ...] for c in components) for i in range(components[0].shape[0])]
            else:
                elements = [tuple(components)]
            queue.enqueue(elements, state.deadline())
            return ()
        return kernel
    return make


def _check_handle(op):
    handle = op.inputs[0]
    if handle.dtype.base_dtype != dtypes_lib.resource:
        raise TypeError(f"Input 'handle' of '{op.type}' Op has type {handle.dtype.base_dtype.name} that does not "
                        "match expected type of resource.")


def _no_outputs(op):
    _check_handle(op)
    return []


def _dequeue_infer(op):
    _check_handle(op)
    if op.type != "QueueDequeueV2":
        n = tensor_util.constant_value(op.inputs[1])
        if n is not None and int(n) < 0:
            raise ValueError(f"Input 'n' must be >= 0, but is {int(n)}")
    return [(t, tensor_shape.unknown_shape()) for t in op.get_attr("component_types")]


def _outputs(op, values):
    return values[0] if len(op.outputs) == 1 else tuple(values)


def _dequeue_kernel(op, state):
    def kernel(queue):
        _timeout_check(op)
        return _outputs(op, queue.dequeue(state.deadline()))
    return kernel


def _dequeue_many_kernel(allow_smaller):
    def make(op, state):
        def kernel(queue, n):
            _timeout_check(op)
            return _outputs(op, queue.dequeue_many(int(n), state.deadline(), allow_smaller))
        return kernel
    return make


def _close_kernel(op, state):
    cancel = op.get_attr("cancel_pending_enqueues")

    def kernel(queue):
        queue.close(cancel, state.deadline())
        return ()
    return kernel


def _scalar_infer(dtype):
    def infer(op):
        _check_handle(op)
        return [(dtype, _SCALAR)]
    return infer


register("QueueEnqueueV2", _no_outputs, _enqueue_kernel(False), stateful=True, input_names=("handle", "components"),
         attr_defaults={"timeout_ms": -1})
register("QueueEnqueueManyV2", _no_outputs, _enqueue_kernel(True), stateful=True,
         input_names=("handle", "components"), attr_defaults={"timeout_ms": -1})
register("QueueDequeueV2", _dequeue_infer, _dequeue_kernel, stateful=True, input_names=("handle",),
         attr_defaults={"timeout_ms": -1})
register("QueueDequeueManyV2", _dequeue_infer, _dequeue_many_kernel(False), stateful=True,
         input_names=("handle", "n"), attr_defaults={"timeout_ms": -1})
register("QueueDequeueUpToV2", _dequeue_infer, _dequeue_many_kernel(True), stateful=True,
         input_names=("handle", "n"), attr_defaults={"timeout_ms": -1})
register("QueueCloseV2", _no_outputs, _close_kernel, stateful=True, input_names=("handle",),
         attr_defaults={"cancel_pending_enqueues": False})
register("QueueSizeV2", _scalar_infer(dtypes_lib.int32),
         lambda op, state: lambda queue: np.array(queue.size(), np.int32), stateful=True, input_names=("handle",))
register("QueueIsClosedV2", _scalar_infer(dtypes_lib.bool),
         lambda op, state: lambda queue: np.array(queue.closed), stateful=True, input_names=("handle",))
for _type in ("QueueEnqueueV2", "QueueEnqueueManyV2", "QueueDequeueV2", "QueueDequeueManyV2", "QueueDequeueUpToV2",
              "QueueCloseV2", "QueueSizeV2", "QueueIsClosedV2"):
    no_gradient(_type)


# -- the Python classes ------------------------------------------------------------------------------------------------

def _as_type_list(dtypes):
    if not isinstance(dtypes, (list, tuple)):
        return [dtypes_lib.as_dtype(dtypes)]
    return [dtypes_lib.as_dtype(d) for d in dtypes]


def _as_shape_list(shapes, unknown_dim_allowed=False):
    if unknown_dim_allowed:
        if (not isinstance(shapes, (list, tuple)) or not shapes
                or any(shape is None or isinstance(shape, int) for shape in shapes)):
            raise ValueError("When providing partial shapes, a list of shapes must be provided.")
    if shapes is None:
        return None
    if isinstance(shapes, TensorShape):
        shapes = [shapes]
    if not isinstance(shapes, (tuple, list)):
        raise TypeError("Shapes must be a TensorShape or a list or tuple of TensorShapes, "
                        f"got {type(shapes)} instead.")
    if all(shape is None or isinstance(shape, int) for shape in shapes):
        shapes = [shapes]
    shapes = [tensor_shape.as_shape(shape) for shape in shapes]
    if not unknown_dim_allowed and any(not shape.is_fully_defined() for shape in shapes):
        raise ValueError(f"All shapes must be fully defined: {_shapes_repr(shapes)}")
    if any(shape.dims is None for shape in shapes):
        raise ValueError(f"All shapes must have a defined rank: {_shapes_repr(shapes)}")
    return shapes


def _shapes_repr(shapes):
    def dims(shape):
        return "None" if shape.dims is None else \
            "[" + ", ".join(f"Dimension({d})" for d in shape.as_list()) + "]"
    return "[" + ", ".join(f"TensorShape({dims(s)})" for s in shapes) + "]"


def _as_name_list(names, dtypes):
    if names is None:
        return None
    if not isinstance(names, (list, tuple)):
        names = [names]
    if len(names) != len(dtypes):
        raise ValueError("List of names must have the same length as the list of dtypes, received "
                         f"len(names)={len(names)},len(dtypes)={len(dtypes)}")
    return list(names)


def _shared_name_attr(shared_name):
    return (shared_name or "").encode()


def _queue_op(op_type, attrs, name):
    graph = ops.get_default_graph()
    return graph.create_op(op_type, [], attrs, name)._outputs[0]


class QueueBase:
    """Base class for queues: the enqueue and dequeue methods over a queue resource handle."""

    def __init__(self, dtypes, shapes, names, queue_ref):
        self._dtypes = dtypes
        if shapes is not None:
            if len(shapes) != len(dtypes):
                raise ValueError("Queue shapes must have the same length as dtypes, received "
                                 f"len(shapes)={len(shapes)}, len(dtypes)={len(dtypes)}")
            self._shapes = [TensorShape(s) for s in shapes]
        else:
            self._shapes = [tensor_shape.unknown_shape() for _ in self._dtypes]
        if names is not None and len(names) != len(dtypes):
            raise ValueError(f"Queue names must have the same length as dtypes,received len(names)={len(names)},"
                             f"len {len(dtypes)}")
        self._names = names
        self._queue_ref = queue_ref
        self._name = queue_ref.op.name.split("/")[-1]

    @property
    def queue_ref(self):
        return self._queue_ref

    @property
    def name(self):
        return self._queue_ref.op.name

    @property
    def dtypes(self):
        return self._dtypes

    @property
    def shapes(self):
        return self._shapes

    @property
    def names(self):
        return self._names

    def _check_enqueue_dtypes(self, vals):
        if isinstance(vals, dict):
            if not self._names:
                raise ValueError("Queue must have names to enqueue a dictionary")
            if sorted(self._names, key=str) != sorted(vals.keys(), key=str):
                raise ValueError("Keys in dictionary to enqueue do not match names of Queue.  Dictionary: "
                                 f"{sorted(vals.keys())},Queue: {sorted(self._names)}")
            vals = [vals[k] for k in self._names]
        else:
            if self._names:
                raise ValueError("You must enqueue a dictionary in a Queue with names")
            if not isinstance(vals, (list, tuple)):
                vals = [vals]
        return [ops.convert_to_tensor(val, dtype=dtype, name="component_%d" % i)
                for i, (val, dtype) in enumerate(zip(vals, self._dtypes))]

    @staticmethod
    def _scope_vals(vals):
        if isinstance(vals, (list, tuple)):
            return list(vals)
        if isinstance(vals, dict):
            return list(vals.values())
        return [vals]

    def _create(self, op_type, inputs, attrs, name):
        return ops.get_default_graph().create_op(op_type, [self._queue_ref] + list(inputs), attrs, name)

    def enqueue(self, vals, name=None):
        with ops.name_scope(name, f"{self._name}_enqueue", self._scope_vals(vals)) as scope:
            vals = self._check_enqueue_dtypes(vals)
            for val, shape in zip(vals, self._shapes):
                val.get_shape().assert_is_compatible_with(shape)
            return self._create("QueueEnqueueV2", vals, {"Tcomponents": [v.dtype.base_dtype for v in vals],
                                                          "timeout_ms": -1}, scope)

    def enqueue_many(self, vals, name=None):
        with ops.name_scope(name, f"{self._name}_EnqueueMany", self._scope_vals(vals)) as scope:
            vals = self._check_enqueue_dtypes(vals)
            batch_dim = tensor_shape.as_dimension(vals[0].get_shape().with_rank_at_least(1)[0])
            for val, shape in zip(vals, self._shapes):
                batch_dim = batch_dim.merge_with(val.get_shape().with_rank_at_least(1)[0])
                val.get_shape()[1:].assert_is_compatible_with(shape)
            return self._create("QueueEnqueueManyV2", vals, {"Tcomponents": [v.dtype.base_dtype for v in vals],
                                                              "timeout_ms": -1}, scope)

    def _dequeue_return_value(self, tensors):
        if self._names:
            return {n: tensors[i] for i, n in enumerate(self._names)}
        if len(tensors) == 1:
            return tensors[0]
        return list(tensors)

    def dequeue(self, name=None):
        op = self._create("QueueDequeueV2", [], {"component_types": list(self._dtypes), "timeout_ms": -1},
                          name or f"{self._name}_Dequeue")
        for output, shape in zip(op.outputs, self._shapes):
            output.set_shape(shape)
        return self._dequeue_return_value(op.outputs)

    def _dequeue_n(self, op_type, n, name):
        with ops.get_default_graph().name_scope(name) as scope:
            n = ops.convert_to_tensor(n, dtype=dtypes_lib.int32, name="n")
        return self._create(op_type, [n], {"component_types": list(self._dtypes), "timeout_ms": -1}, scope)

    def dequeue_many(self, n, name=None):
        op = self._dequeue_n("QueueDequeueManyV2", n, name or f"{self._name}_DequeueMany")
        batch_dim = tensor_util.constant_value(op.inputs[1])
        batch_dim = None if batch_dim is None else int(batch_dim)
        for output, shape in zip(op.outputs, self._shapes):
            output.set_shape(TensorShape([batch_dim]).concatenate(shape))
        return self._dequeue_return_value(op.outputs)

    def dequeue_up_to(self, n, name=None):
        op = self._dequeue_n("QueueDequeueUpToV2", n, name or f"{self._name}_DequeueUpTo")
        for output, shape in zip(op.outputs, self._shapes):
            output.set_shape(TensorShape([None]).concatenate(shape))
        return self._dequeue_return_value(op.outputs)

    def close(self, cancel_pending_enqueues=False, name=None):
        return self._create("QueueCloseV2", [], {"cancel_pending_enqueues": bool(cancel_pending_enqueues)},
                            name or f"{self._name}_Close")

    def is_closed(self, name=None):
        return self._create("QueueIsClosedV2", [], None, name or f"{self._name}_Is_Closed")._outputs[0]

    def size(self, name=None):
        return self._create("QueueSizeV2", [], None, name or f"{self._name}_Size")._outputs[0]


class FIFOQueue(QueueBase):
    """A queue that dequeues elements in first-in first-out order."""

    def __init__(self, capacity, dtypes, shapes=None, names=None, shared_name=None, name="fifo_queue"):
        dtypes = _as_type_list(dtypes)
        shapes = _as_shape_list(shapes)
        names = _as_name_list(names, dtypes)
        with ops.device("/device:CPU:*"):
            queue_ref = _queue_op("FIFOQueueV2", {"component_types": dtypes, "shapes": shapes or [],
                                                  "capacity": capacity, "container": b"",
                                                  "shared_name": _shared_name_attr(shared_name)}, name)
        super().__init__(dtypes, shapes, names, queue_ref)


class PaddingFIFOQueue(QueueBase):
    """A FIFO queue whose ``dequeue_many`` pads components of unknown dimensions with zeros."""

    def __init__(self, capacity, dtypes, shapes, names=None, shared_name=None, name="padding_fifo_queue"):
        dtypes = _as_type_list(dtypes)
        shapes = _as_shape_list(shapes, unknown_dim_allowed=True)
        names = _as_name_list(names, dtypes)
        if len(dtypes) != len(shapes):
            raise ValueError("Shapes must be provided for all components, but received "
                             f"{len(dtypes)} dtypes and {len(shapes)} shapes.")
        queue_ref = _queue_op("PaddingFIFOQueueV2", {"component_types": dtypes, "shapes": shapes,
                                                     "capacity": capacity, "container": b"",
                                                     "shared_name": _shared_name_attr(shared_name)}, name)
        super().__init__(dtypes, shapes, names, queue_ref)


class RandomShuffleQueue(QueueBase):
    """A queue that dequeues elements in a (seeded) random order, keeping ``min_after_dequeue`` for mixing."""

    def __init__(self, capacity, min_after_dequeue, dtypes, shapes=None, names=None, seed=None, shared_name=None,
                 name="random_shuffle_queue"):
        dtypes = _as_type_list(dtypes)
        shapes = _as_shape_list(shapes)
        names = _as_name_list(names, dtypes)
        seed1, seed2 = random_seed.get_seed(seed)
        if seed1 is None and seed2 is None:
            seed1, seed2 = 0, 0
        elif seed is None and shared_name is not None:
            string = (str(seed1) + shared_name).encode("utf-8")
            import hashlib  # only a shared queue with a graph seed and no op seed needs it
            seed2 = int(hashlib.md5(string).hexdigest()[:8], 16) & 0x7FFFFFFF
        queue_ref = _queue_op("RandomShuffleQueueV2", {
            "component_types": dtypes, "shapes": shapes or [], "capacity": capacity,
            "min_after_dequeue": min_after_dequeue, "seed": seed1, "seed2": seed2, "container": b"",
            "shared_name": _shared_name_attr(shared_name)}, name)
        super().__init__(dtypes, shapes, names, queue_ref)


class PriorityQueue(QueueBase):
    """A queue whose elements carry an int64 priority first; the smallest leaves first."""

    def __init__(self, capacity, types, shapes=None, names=None, shared_name=None, name="priority_queue"):
        types = _as_type_list(types)
        shapes = _as_shape_list(shapes)
        queue_ref = _queue_op("PriorityQueueV2", {"component_types": types, "shapes": shapes or [],
                                                  "capacity": capacity, "container": b"",
                                                  "shared_name": _shared_name_attr(shared_name)}, name)
        super().__init__([dtypes_lib.int64] + types, [()] + shapes if shapes else shapes, names, queue_ref)
