"""Queue-based input pipelines (TensorFlow's training/input.py): producers that fill a queue with file names,
indices or slices, and the batching functions that gather examples into batches on background threads.

Every function adds a queue, its enqueue op(s) and a QueueRunner (``tf.train.start_queue_runners`` starts them),
plus the summary TensorFlow adds for how full the queue is. Node names, op types and summaries are TensorFlow's.
``num_epochs`` is counted in a local variable (``limit_epochs``), so ``tf.local_variables_initializer()`` must run.
"""

from minitf.framework import dtypes, ops, tensor_shape, tensor_util
from minitf.framework.sparse_tensor import SparseTensor
from minitf.ops import (array_ops, cond, control_flow_assert, control_flow_ops, data_flow_ops, math_ops,
                        partition_ops, random_ops, reader_ops, variables)
from minitf.summary import summary
from minitf.train import queue_runner, sparse_batching


def match_filenames_once(pattern, name=None):
    """A local variable holding the files that match ``pattern`` (a glob), listed when it is initialised."""
    with ops.name_scope(name, "matching_filenames", [pattern]) as name:
        return variables.Variable(name=name, initial_value=reader_ops.matching_files(pattern), trainable=False,
                                  validate_shape=False, collections=[ops.GraphKeys.LOCAL_VARIABLES])


def limit_epochs(tensor, num_epochs=None, name=None):
    """``tensor``, which raises OutOfRangeError after it has been evaluated ``num_epochs`` times."""
    if num_epochs is None:
        return tensor
    if num_epochs <= 0:
        raise ValueError("num_epochs must be > 0 not %d." % num_epochs)
    with ops.name_scope(name, "limit_epochs", [tensor]) as name:
        zero64 = ops.convert_to_tensor(0, dtype=dtypes.int64)
        epochs = variables.Variable(zero64, name="epochs", trainable=False,
                                    collections=[ops.GraphKeys.LOCAL_VARIABLES])
        counter = epochs.count_up_to(num_epochs)
        with ops.control_dependencies([counter]):
            return array_ops.identity(tensor, name=name)


def input_producer(input_tensor, element_shape=None, num_epochs=None, shuffle=True, seed=None, capacity=32,
                   shared_name=None, summary_name=None, name=None, cancel_op=None):
    """A FIFOQueue fed with the rows of ``input_tensor`` (shuffled each epoch if ``shuffle``) by a QueueRunner."""
    with ops.name_scope(name, "input_producer", [input_tensor]):
        input_tensor = ops.convert_to_tensor(input_tensor, name="input_tensor")
        element_shape = input_tensor.shape[1:].merge_with(tensor_shape.TensorShape(element_shape))
        if not element_shape.is_fully_defined():
            raise ValueError("Either `input_tensor` must have a fully defined shape or `element_shape` must be "
                             "specified")
        if shuffle:
            input_tensor = random_ops.random_shuffle(input_tensor, seed=seed)
        input_tensor = limit_epochs(input_tensor, num_epochs)
        q = data_flow_ops.FIFOQueue(capacity=capacity, dtypes=[input_tensor.dtype.base_dtype],
                                    shapes=[element_shape], shared_name=shared_name, name=name)
        enq = q.enqueue_many([input_tensor])
        queue_runner.add_queue_runner(queue_runner.QueueRunner(q, [enq], cancel_op=cancel_op))
        if summary_name is not None:
            summary.scalar(summary_name, math_ops.cast(q.size(), dtypes.float32) * (1.0 / capacity))
        return q


def string_input_producer(string_tensor, num_epochs=None, shuffle=True, seed=None, capacity=32, shared_name=None,
                          name=None, cancel_op=None):
    """A queue of the strings (usually file names) in ``string_tensor``, for a reader."""
    not_null_err = "string_input_producer requires a non-null input tensor"
    if not isinstance(string_tensor, ops.Tensor) and not string_tensor:
        raise ValueError(not_null_err)
    with ops.name_scope(name, "input_producer", [string_tensor]) as name:
        string_tensor = ops.convert_to_tensor(string_tensor, dtype=dtypes.string)
        not_empty = math_ops.greater(array_ops.size(string_tensor), 0)
        with ops.control_dependencies([control_flow_assert.Assert(not_empty, [not_null_err])]):
            string_tensor = array_ops.identity(string_tensor)
        return input_producer(input_tensor=string_tensor, element_shape=[], num_epochs=num_epochs, shuffle=shuffle,
                              seed=seed, capacity=capacity, shared_name=shared_name, name=name,
                              summary_name="fraction_of_%d_full" % capacity, cancel_op=cancel_op)


def range_input_producer(limit, num_epochs=None, shuffle=True, seed=None, capacity=32, shared_name=None, name=None):
    """A queue of the integers ``0 .. limit-1``."""
    with ops.name_scope(name, "input_producer", [limit]) as name:
        range_tensor = array_ops.range(limit)
        return input_producer(range_tensor, [], num_epochs, shuffle, seed, capacity, shared_name,
                              "fraction_of_%d_full" % capacity, name)


def slice_input_producer(tensor_list, num_epochs=None, shuffle=True, seed=None, capacity=32, shared_name=None,
                         name=None):
    """One slice (row) of each tensor in ``tensor_list`` at a time, the same row of each."""
    with ops.name_scope(name, "input_producer", tensor_list):
        tensor_list = ops.convert_n_to_tensor(tensor_list)
        if not tensor_list:
            raise ValueError("Expected at least one tensor in slice_input_producer().")
        range_size = array_ops.shape(tensor_list[0])[0]
        queue = range_input_producer(range_size, num_epochs=num_epochs, shuffle=shuffle, seed=seed,
                                     capacity=capacity, shared_name=shared_name)
        index = queue.dequeue()
        return [array_ops.gather(t, index) for t in tensor_list]


# -- batching ------------------------------------------------------------------------------------------------------

def _as_tensor_list(tensors):
    if isinstance(tensors, dict):
        return [tensors[k] for k in sorted(tensors, key=str)]
    return tensors


def _as_tensor_list_list(tensors_list):
    if not tensors_list:
        raise ValueError("Expected at least one set of tensors")
    if isinstance(tensors_list[0], dict):
        expected_keys = set(tensors_list[0].keys())
        for tensors in tensors_list[1:]:
            if set(tensors.keys()) != expected_keys:
                raise ValueError("All dictionaries in tensors_list must have the same keys")
        return [_as_tensor_list(tensors) for tensors in tensors_list]
    return tensors_list


def _as_original_type(original_tensors, tensor_list):
    if isinstance(original_tensors, dict):
        if len(original_tensors) == 1:
            tensor_list = [tensor_list]
        return {k: tensor_list[i] for i, k in enumerate(sorted(original_tensors, key=str))}
    return tensor_list


def _validate(tensor_list, what="batch()"):
    tensor_list = [t if isinstance(t, SparseTensor) else ops.convert_to_tensor(t) for t in tensor_list]
    if not tensor_list:
        raise ValueError(f"Expected at least one tensor in {what}.")
    return tensor_list


def _dtypes(tensor_list_list):
    all_types = [[t.dtype for t in tl] for tl in tensor_list_list]
    types = all_types[0]
    for other_types in all_types[1:]:
        if other_types != types:
            raise TypeError("Expected types to be consistent: %s vs. %s." % (
                ", ".join(x.name for x in types), ", ".join(x.name for x in other_types)))
    return types


def _merge_shapes(shape_list, enqueue_many):
    shape_list = [tensor_shape.as_shape(s) for s in shape_list]
    if enqueue_many:
        shape_list = [s.with_rank_at_least(1)[1:] for s in shape_list]
    merged_shape = shape_list[0]
    for s in shape_list[1:]:
        merged_shape.merge_with(s)
    return merged_shape.as_list()


def _shapes(tensor_list_list, shapes, enqueue_many):
    if shapes is None:
        len0 = len(tensor_list_list[0])
        for tl in tensor_list_list:
            for i in range(len0):
                if tl[i].shape.ndims is None:
                    raise ValueError("Cannot infer Tensor's rank: %s" % tl[i])
        shapes = [_merge_shapes([tl[i].shape.as_list() for tl in tensor_list_list], enqueue_many)
                  for i in range(len0)]
    return shapes


def _validate_keep_input(keep_input, enqueue_many):
    keep_input = ops.convert_to_tensor(keep_input)
    if keep_input.shape.ndims is None:
        raise ValueError("`keep_input` dimensions must be known at graph construction.")
    if not enqueue_many and keep_input.shape.ndims == 1:
        raise ValueError("`keep_input` cannot be a vector when `enqueue_many=False`.")
    if keep_input.shape.ndims > 1:
        raise ValueError("`keep_input` must be 0 or 1 dimensions.")
    return keep_input


def _select_which_to_enqueue(tensor_list, keep_input):
    select = math_ops.cast(keep_input, dtypes.int32)
    return [partition_ops.dynamic_partition(x, select, num_partitions=2)[1] for x in tensor_list]


def _enqueue_ops(queue, tensor_list_list, enqueue_many, keep_input):
    """One enqueue op per list of tensors, as TensorFlow's ``_enqueue``/``_enqueue_join``: a vector
    ``keep_input`` keeps the examples it marks (``dynamic_partition``), a scalar one enqueues under a ``cond``
    (built only when its value is not known at graph construction)."""
    enqueue_fn = queue.enqueue_many if enqueue_many else queue.enqueue
    if keep_input.shape.ndims == 1:
        return [enqueue_fn(_select_which_to_enqueue(tl, keep_input)) for tl in tensor_list_list]
    return [_smart_cond(keep_input, lambda tl=tl: enqueue_fn(tl), control_flow_ops.no_op) for tl in tensor_list_list]


def _smart_cond(pred, true_fn, false_fn):
    """``true_fn()`` or ``false_fn()`` when ``pred``'s value is known at graph construction, else a ``cond``."""
    value = tensor_util.constant_value(pred)
    if value is None:
        return cond.cond(pred, true_fn, false_fn)
    return true_fn() if value else false_fn()


def _dequeue(queue, batch_size, allow_smaller_final_batch, name):
    if allow_smaller_final_batch:
        return queue.dequeue_up_to(batch_size, name=name)
    return queue.dequeue_many(batch_size, name=name)


def _fifo_batch(tensors_list, join, batch_size, num_threads, capacity, enqueue_many, shapes, dynamic_pad,
                allow_smaller_final_batch, shared_name, name, keep_input=True):
    """``batch`` (one list of tensors, ``num_threads`` copies of its enqueue op) or ``batch_join`` (one enqueue
    op per list) into a FIFOQueue, or a PaddingFIFOQueue with ``dynamic_pad``."""
    tensor_list_list = _as_tensor_list_list(tensors_list)
    flat = [t for tl in tensor_list_list for t in tl]
    with ops.name_scope(name, "batch_join" if join else "batch", flat) as name:
        tensor_list_list = [_validate(tl, "batch_join()" if join else "batch()") for tl in tensor_list_list]
        keep_input = _validate_keep_input(keep_input, enqueue_many)
        tensor_list_list, sparse_info = sparse_batching.store_sparse_tensors_join(tensor_list_list, enqueue_many,
                                                                                  keep_input, _smart_cond)
        types = _dtypes(tensor_list_list)
        shapes = _shapes(tensor_list_list, shapes, enqueue_many)
        queue_class = data_flow_ops.PaddingFIFOQueue if dynamic_pad else data_flow_ops.FIFOQueue
        queue = queue_class(capacity=capacity, dtypes=types, shapes=shapes, shared_name=shared_name)
        enqueue_ops = _enqueue_ops(queue, tensor_list_list, enqueue_many, keep_input)
        queue_runner.add_queue_runner(queue_runner.QueueRunner(queue, enqueue_ops * (1 if join else num_threads)))
        summary.scalar("fraction_of_%d_full" % capacity, math_ops.cast(queue.size(), dtypes.float32) *
                       (1.0 / capacity))
        dequeued = _dequeue(queue, batch_size, allow_smaller_final_batch, name)
        return _as_original_type(tensors_list[0], sparse_batching.restore_sparse_tensors(dequeued, sparse_info))


def _shuffle_batch(tensors_list, join, batch_size, capacity, min_after_dequeue, num_threads, seed, enqueue_many,
                   shapes, allow_smaller_final_batch, shared_name, name, keep_input=True):
    """``shuffle_batch`` or ``shuffle_batch_join`` into a RandomShuffleQueue."""
    tensor_list_list = _as_tensor_list_list(tensors_list)
    flat = [t for tl in tensor_list_list for t in tl]
    with ops.name_scope(name, "shuffle_batch_join" if join else "shuffle_batch", flat) as name:
        if capacity <= min_after_dequeue:
            raise ValueError("capacity %d must be bigger than min_after_dequeue %d." % (capacity, min_after_dequeue))
        tensor_list_list = [_validate(tl, "batch_join()" if join else "batch()") for tl in tensor_list_list]
        keep_input = _validate_keep_input(keep_input, enqueue_many)
        tensor_list_list, sparse_info = sparse_batching.store_sparse_tensors_join(tensor_list_list, enqueue_many,
                                                                                  keep_input, _smart_cond)
        types = _dtypes(tensor_list_list)
        shapes = _shapes(tensor_list_list, shapes, enqueue_many)
        queue = data_flow_ops.RandomShuffleQueue(capacity=capacity, min_after_dequeue=min_after_dequeue, seed=seed,
                                                 dtypes=types, shapes=shapes, shared_name=shared_name)
        enqueue_ops = _enqueue_ops(queue, tensor_list_list, enqueue_many, keep_input)
        queue_runner.add_queue_runner(queue_runner.QueueRunner(queue, enqueue_ops * (1 if join else num_threads)))
        full = math_ops.cast(math_ops.maximum(0, queue.size() - min_after_dequeue), dtypes.float32) * \
            (1.0 / (capacity - min_after_dequeue))
        summary.scalar("fraction_over_%d_of_%d_full" % (min_after_dequeue, capacity - min_after_dequeue), full)
        dequeued = _dequeue(queue, batch_size, allow_smaller_final_batch, name)
        return _as_original_type(tensors_list[0], sparse_batching.restore_sparse_tensors(dequeued, sparse_info))


def batch(tensors, batch_size, num_threads=1, capacity=32, enqueue_many=False, shapes=None, dynamic_pad=False,
          allow_smaller_final_batch=False, shared_name=None, name=None):
    """Batches of ``batch_size`` examples from ``tensors``, enqueued by ``num_threads`` threads."""
    return _fifo_batch([tensors], False, batch_size, num_threads, capacity, enqueue_many, shapes, dynamic_pad,
                       allow_smaller_final_batch, shared_name, name)


def batch_join(tensors_list, batch_size, capacity=32, enqueue_many=False, shapes=None, dynamic_pad=False,
               allow_smaller_final_batch=False, shared_name=None, name=None):
    """Batches mixed from several lists of tensors, one enqueue thread per list."""
    return _fifo_batch(tensors_list, True, batch_size, 1, capacity, enqueue_many, shapes, dynamic_pad,
                       allow_smaller_final_batch, shared_name, name)


def shuffle_batch(tensors, batch_size, capacity, min_after_dequeue, num_threads=1, seed=None, enqueue_many=False,
                  shapes=None, allow_smaller_final_batch=False, shared_name=None, name=None):
    """Batches of examples drawn at random from a queue that keeps ``min_after_dequeue`` of them."""
    return _shuffle_batch([tensors], False, batch_size, capacity, min_after_dequeue, num_threads, seed,
                          enqueue_many, shapes, allow_smaller_final_batch, shared_name, name)


def shuffle_batch_join(tensors_list, batch_size, capacity, min_after_dequeue, seed=None, enqueue_many=False,
                       shapes=None, allow_smaller_final_batch=False, shared_name=None, name=None):
    """``shuffle_batch`` over several lists of tensors, one enqueue thread per list."""
    return _shuffle_batch(tensors_list, True, batch_size, capacity, min_after_dequeue, 1, seed, enqueue_many,
                          shapes, allow_smaller_final_batch, shared_name, name)


def maybe_batch(tensors, keep_input, batch_size, num_threads=1, capacity=32, enqueue_many=False, shapes=None,
                dynamic_pad=False, allow_smaller_final_batch=False, shared_name=None, name=None):
    """``batch`` of the examples for which ``keep_input`` (a scalar, or a vector with ``enqueue_many``) is true."""
    return _fifo_batch([tensors], False, batch_size, num_threads, capacity, enqueue_many, shapes, dynamic_pad,
                       allow_smaller_final_batch, shared_name, name, keep_input)


def maybe_batch_join(tensors_list, keep_input, batch_size, capacity=32, enqueue_many=False, shapes=None,
                     dynamic_pad=False, allow_smaller_final_batch=False, shared_name=None, name=None):
    """``batch_join`` of the examples for which ``keep_input`` is true."""
    return _fifo_batch(tensors_list, True, batch_size, 1, capacity, enqueue_many, shapes, dynamic_pad,
                       allow_smaller_final_batch, shared_name, name, keep_input)


def maybe_shuffle_batch(tensors, batch_size, capacity, min_after_dequeue, keep_input, num_threads=1, seed=None,
                        enqueue_many=False, shapes=None, allow_smaller_final_batch=False, shared_name=None,
                        name=None):
    """``shuffle_batch`` of the examples for which ``keep_input`` is true."""
    return _shuffle_batch([tensors], False, batch_size, capacity, min_after_dequeue, num_threads, seed,
                          enqueue_many, shapes, allow_smaller_final_batch, shared_name, name, keep_input)


def maybe_shuffle_batch_join(tensors_list, batch_size, capacity, min_after_dequeue, keep_input, seed=None,
                             enqueue_many=False, shapes=None, allow_smaller_final_batch=False, shared_name=None,
                             name=None):
    """``shuffle_batch_join`` of the examples for which ``keep_input`` is true."""
    return _shuffle_batch(tensors_list, True, batch_size, capacity, min_after_dequeue, 1, seed, enqueue_many,
                          shapes, allow_smaller_final_batch, shared_name, name, keep_input)
