"""``tf.data``'s dataset ops: each op's value is a :class:`Dataset` object, a recipe for Python iterators.

A dataset tensor (dtype ``variant``) holds, at run time, an object whose ``__iter__`` yields elements: tuples of
numpy arrays, one per component. Iterating never touches the Session: functions (``map``'s ``f``, ``filter``'s
``predicate``) run from plans compiled once per session (``minitf.data.function``). The op types, inputs and
attrs are those TensorFlow 2.21's ``tf.compat.v1.data`` builds; the readers are in ``dataset_readers.py``.
"""

import collections
import os
import weakref

import numpy as np

from minitf.framework import dtypes, errors, tensor_shape
from minitf.framework.op_def_lib import invalid_argument, no_gradient, register

_ELEMENT_ATTRS = {"metadata": ""}


def _variant(op):
    return [(dtypes.variant, tensor_shape.TensorShape([]))]


_FULL_TYPE_NAMES = {"float16": "HALF", "float32": "FLOAT", "float64": "DOUBLE"}
_READERS = frozenset(["TextLineDataset", "TFRecordDataset", "FixedLengthRecordDatasetV2"])


def _dataset_full_type(op, node):
    """The NodeDef's ``experimental_type`` TensorFlow's dataset type constructors give: a product of one dataset of
    a product of tensors, one per component (``output_types``); a reader's dataset holds one string tensor."""
    from minitf.proto import full_type_pb2
    types = op._attrs.get("output_types", op._attrs.get("Toutput_types", [dtypes.string]))
    node.experimental_type.type_id = full_type_pb2.TFT_PRODUCT
    components = node.experimental_type.args.add(type_id=full_type_pb2.TFT_DATASET)
    if op.type not in _READERS:  # a reader's one string component is not wrapped in a product
        components = components.args.add(type_id=full_type_pb2.TFT_PRODUCT)
    for dtype in types:
        name = dtypes.as_dtype(dtype).name
        element = full_type_pb2.FullTypeId.Value("TFT_" + _FULL_TYPE_NAMES.get(name, name.upper()))
        components.args.add(type_id=full_type_pb2.TFT_TENSOR).args.add(type_id=element)


def register_dataset(name, make, input_names, stateful=False, attr_defaults=None):
    """Registers a dataset op whose kernel is ``make(op, state)(*inputs) -> Dataset``."""
    register(name, _variant, make, stateful=stateful, input_names=input_names,
             attr_defaults={**_ELEMENT_ATTRS, **(attr_defaults or {})}, full_type=_dataset_full_type)
    no_gradient(name)


def _scalar(value):
    return np.asarray(value).item()


# What a dataset or iterator op needs beyond its attrs, kept in Python: traced functions (``map``'s ``f``), a
# generator function, a one-shot iterator's dataset. TensorFlow keeps the functions in the graph's library.
_python_data = weakref.WeakKeyDictionary()


def attach(op, **data):
    """Keeps Python objects with ``op`` (for its kernel)."""
    _python_data.setdefault(op, {}).update(data)


def attached(op, key):
    try:
        return _python_data[op][key]
    except KeyError:
        raise ValueError(f"Op {op.name} ({op.type}) was not built by minitf's tf.data, so minitf cannot run it: its "
                         f"'{key}' exists only in TensorFlow's function library.") from None


def bound_function(op, state, attr):
    """The traced function named by ``attr`` of ``op``, compiled for this session."""
    return attached(op, attr).bind(state, op)


class Dataset:
    """The run-time value of a dataset tensor: iterate it (many times) to get its elements. Each subclass
    defines ``__iter__``."""


class _FromIterable(Dataset):
    """A dataset whose elements come from ``make()``, a fresh Python iterable for each iteration."""

    def __init__(self, make):
        self._make = make

    def __iter__(self):
        return iter(self._make())


# -- sources ------------------------------------------------------------------------------------------------------

def _tensor_slice_kernel(op, state):
    def kernel(*components):
        sizes = {np.shape(c)[0] if np.ndim(c) else None for c in components}
        if None in sizes:
            raise invalid_argument("Input for component 0 is a scalar but must have at least one dimension.")
        if len(sizes) != 1:
            first = np.shape(components[0])[0]
            other = next(i for i, c in enumerate(components) if np.shape(c)[0] != first)
            raise invalid_argument(f"All components must have the same size in the 0th dimension: component 0 has "
                                   f"size {first}, component {other} has size {np.shape(components[other])[0]}")
        return _FromIterable(lambda: zip(*components))  # rows of each component, as views
    return kernel


register_dataset("TensorSliceDataset", _tensor_slice_kernel, ("components",), stateful=True,
                 attr_defaults={"is_files": False, "replicate_on_split": False})
register_dataset("TensorDataset", lambda op, state: lambda *components: _FromIterable(lambda: (components,)),
                 ("components",), stateful=True)


def _range_kernel(op, state):
    def kernel(start, stop, step):
        start, stop, step = _scalar(start), _scalar(stop), _scalar(step)
        if step == 0:
            raise invalid_argument("step must be a non-zero integer.")
        return _FromIterable(lambda: ((np.int64(i),) for i in range(start, stop, step)))
    return kernel


register_dataset("RangeDataset", _range_kernel, ("start", "stop", "step"), stateful=True,
                 attr_defaults={"replicate_on_split": False})


# -- combining ----------------------------------------------------------------------------------------------------

class _Zip(Dataset):
    def __init__(self, datasets):
        self._datasets = datasets

    def __iter__(self):
        for parts in zip(*self._datasets):
            yield tuple(c for part in parts for c in part)


class _Concatenate(Dataset):
    def __init__(self, first, second):
        self._first, self._second = first, second

    def __iter__(self):
        yield from self._first
        yield from self._second


register_dataset("ZipDataset", lambda op, state: lambda *datasets: _Zip(datasets), ("input_datasets",))
register_dataset("ConcatenateDataset", lambda op, state: _Concatenate, ("input_dataset", "another_dataset"))


# -- functions of elements ----------------------------------------------------------------------------------------

class _Map(Dataset):
    def __init__(self, input_dataset, fn, captured):
        self._input, self._fn, self._captured = input_dataset, fn, captured

    def __iter__(self):
        fn, captured = self._fn, self._captured
        for element in self._input:
            yield tuple(fn(element, captured))


class _Filter(_Map):
    def __iter__(self):
        fn, captured = self._fn, self._captured
        for element in self._input:
            if fn(element, captured)[0]:
                yield element


class _FlatMap(_Map):
    def __iter__(self):
        fn, captured = self._fn, self._captured
        for element in self._input:
            yield from fn(element, captured)[0]


def _function_kernel(dataset_class, attr):
    def make(op, state):
        fn = bound_function(op, state, attr)
        n_captured = len(op.get_attr("Targuments"))

        def kernel(input_dataset, *arguments):
            return dataset_class(input_dataset, fn, arguments[:n_captured])
        return kernel
    return make


_MAP_ATTRS = {"use_inter_op_parallelism": True, "preserve_cardinality": False}
register_dataset("MapDataset", _function_kernel(_Map, "f"), ("input_dataset", "other_arguments"),
                 attr_defaults={**_MAP_ATTRS, "force_synchronous": False})
register_dataset("ParallelMapDatasetV2", _function_kernel(_Map, "f"),
                 ("input_dataset", "other_arguments", "num_parallel_calls"),
                 attr_defaults={**_MAP_ATTRS, "deterministic": "default", "use_unbounded_threadpool": False})
register_dataset("FilterDataset", _function_kernel(_Filter, "predicate"), ("input_dataset", "other_arguments"))
register_dataset("FlatMapDataset", _function_kernel(_FlatMap, "f"), ("input_dataset", "other_arguments"))


class _Interleave(Dataset):
    """TensorFlow's InterleaveDataset: ``cycle_length`` open datasets, ``block_length`` elements from each in turn,
    an exhausted one replaced by the dataset of the next input element in its place of the cycle."""

    def __init__(self, input_dataset, fn, captured, cycle_length, block_length):
        self._input, self._fn, self._captured = input_dataset, fn, captured
        self._cycle_length, self._block_length = cycle_length, block_length

    def __iter__(self):
        inputs = iter(self._input)
        cycle = [None] * self._cycle_length
        index = block = num_open = 0
        end_of_input = False
        while not end_of_input or num_open:
            current = cycle[index]
            if current is not None:
                element = next(current, None)
                if element is not None:
                    yield element
                    block += 1
                    if block == self._block_length:
                        block, index = 0, (index + 1) % self._cycle_length
                    continue
                cycle[index] = None
                num_open -= 1
                block, index = 0, (index + 1) % self._cycle_length
            elif not end_of_input:
                element = next(inputs, None)
                if element is None:
                    end_of_input = True
                else:
                    cycle[index] = iter(self._fn(element, self._captured)[0])
                    num_open += 1
            else:
                block, index = 0, (index + 1) % self._cycle_length


def _interleave_kernel(op, state):
    fn = bound_function(op, state, "f")
    n_captured = len(op.get_attr("Targuments"))

    def kernel(input_dataset, *rest):
        captured, (cycle_length, block_length) = rest[:n_captured], rest[n_captured:n_captured + 2]
        cycle_length, block_length = _scalar(cycle_length), _scalar(block_length)
        if cycle_length == -1:  # AUTOTUNE: TensorFlow takes the machine's parallelism
            cycle_length = os.cpu_count() or 1
        if cycle_length <= 0:
            raise invalid_argument("cycle_length must be greater than zero.")
        if block_length <= 0:
            raise invalid_argument("block_length must be greater than zero.")
        return _Interleave(input_dataset, fn, captured, cycle_length, block_length)
    return kernel


register_dataset("InterleaveDataset", _interleave_kernel,
                 ("input_dataset", "other_arguments", "cycle_length", "block_length"))


# -- batching -----------------------------------------------------------------------------------------------------

def _shape_text(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def _stack(elements, index):
    """Component ``index`` of ``elements`` stacked, with TensorFlow's errors for elements that differ."""
    components = [element[index] for element in elements]
    first = components[0]
    if getattr(first, "dtype", None) is not None and first.dtype != object:
        try:  # equal shapes: one C-level copy
            return np.array(components, dtype=first.dtype)
        except ValueError:
            pass
    else:
        try:
            return np.stack(components)
        except ValueError:
            pass
    first = np.shape(elements[0][index])
    for i, element in enumerate(elements):
        shape = np.shape(element[index])
        if shape == first:
            continue
        if int(np.prod(shape)) != int(np.prod(first)):
            raise invalid_argument(f"Cannot add tensor to the batch: number of elements does not match. Shapes are: "
                                   f"[tensor]: {_shape_text(shape)}, [batch]: {_shape_text(first)}")
        raise invalid_argument(f"Cannot batch tensors with different shapes in component {index}. First element had "
                               f"shape {_shape_text(first)} and element {i} had shape {_shape_text(shape)}.")
    raise invalid_argument(f"Cannot batch the elements' component {index}.")


class _Batch(Dataset):
    def __init__(self, input_dataset, batch_size, drop_remainder, combine):
        self._input, self._size, self._drop, self._combine = input_dataset, batch_size, drop_remainder, combine

    def __iter__(self):
        batch = []
        for element in self._input:
            batch.append(element)
            if len(batch) == self._size:
                yield self._combine(batch)
                batch = []
        if batch and not self._drop:
            yield self._combine(batch)


def _batch_kernel(op, state):
    def combine(batch):
        return tuple(_stack(batch, i) for i in range(len(batch[0])))

    def kernel(input_dataset, batch_size, drop_remainder):
        batch_size = _scalar(batch_size)
        if batch_size <= 0:
            raise invalid_argument("Batch size must be greater than zero.")
        return _Batch(input_dataset, batch_size, bool(drop_remainder), combine)
    return kernel


def _map_and_batch_kernel(op, state):
    fn = bound_function(op, state, "f")
    n_captured = len(op.get_attr("Targuments"))
    batch = _batch_kernel(op, state)

    def kernel(input_dataset, *rest):
        captured, (batch_size, _, drop_remainder) = rest[:n_captured], rest[n_captured:]
        return batch(_Map(input_dataset, fn, captured), batch_size, drop_remainder)
    return kernel


register_dataset("MapAndBatchDataset", _map_and_batch_kernel,
                 ("input_dataset", "other_arguments", "batch_size", "num_parallel_calls", "drop_remainder"),
                 attr_defaults={"preserve_cardinality": False})
register_dataset("BatchDatasetV2", _batch_kernel, ("input_dataset", "batch_size", "drop_remainder"),
                 attr_defaults={"parallel_copy": False})


def _padded_batch_kernel(op, state):
    n = op.get_attr("N")

    def kernel(input_dataset, batch_size, *rest):
        padded_shapes, padding_values, drop_remainder = rest[:n], rest[n:2 * n], rest[2 * n]
        batch_size = _scalar(batch_size)
        if batch_size <= 0:
            raise invalid_argument("Batch size must be greater than zero.")

        def combine(batch):
            out = []
            for i in range(n):
                shapes = [np.shape(element[i]) for element in batch]
                target = [max(s[d] for s in shapes) if want == -1 else want
                          for d, want in enumerate(np.asarray(padded_shapes[i]).tolist())]
                if any(len(s) != len(target) for s in shapes):
                    raise invalid_argument(f"All elements in a batch must have the same rank as the padded shape "
                                           f"for component{i}: expected rank {len(target)} but got element with "
                                           f"rank {len(shapes[0])}")
                array = np.full([len(batch)] + target, padding_values[i], dtype=np.asarray(batch[0][i]).dtype)
                for j, element in enumerate(batch):
                    value = np.asarray(element[i])
                    if any(s > t for s, t in zip(value.shape, target)):
                        raise invalid_argument(f"Attempted to pad to a smaller size than the input element.")
                    array[(j,) + tuple(slice(0, s) for s in value.shape)] = value
                out.append(array)
            return tuple(out)
        return _Batch(input_dataset, batch_size, bool(drop_remainder), combine)
    return kernel


register_dataset("PaddedBatchDatasetV2", _padded_batch_kernel,
                 ("input_dataset", "batch_size", "padded_shapes", "padding_values", "drop_remainder"),
                 attr_defaults={"parallel_copy": False})


class _Unbatch(Dataset):
    def __init__(self, input_dataset):
        self._input = input_dataset

    def __iter__(self):
        for element in self._input:
            sizes = {np.shape(c)[0] for c in element}
            if len(sizes) != 1:
                raise invalid_argument("Input element must have the same batch size in each component. Component "
                                       f"0 had size {np.shape(element[0])[0]}.")
            for i in range(sizes.pop()):
                yield tuple(c[i] for c in element)


register_dataset("UnbatchDataset", lambda op, state: _Unbatch, ("input_dataset",))


# -- order and count ----------------------------------------------------------------------------------------------

def _uint32_stream(seed, seed2, blocks=16):
    """TensorFlow's ``SingleSampleAdapter<PhiloxRandom>``: the uint32 words of Philox(seed, seed2), in order (an
    endless iterator; take words with ``next``). Blocks are computed ``blocks`` at a time, then in batches that
    double up to 1024 blocks: short streams stay cheap, long ones cost little per word."""
    from minitf.ops.philox import initial_counter, philox_blocks, philox_key  # loads the C math library: on use
    key, counter = philox_key(seed), initial_counter(seed2)
    while True:
        yield from philox_blocks(key, counter, blocks).reshape(-1).tolist()
        counter += blocks
        blocks = min(2 * blocks, 1024)


class _SeedGenerator:
    """The seeds of each shuffle: drawn from Philox(seed, seed2) (``reshuffle_each_iteration``), or always
    (seed, seed2). (0, 0) means seeds from the operating system, as in TensorFlow."""

    def __init__(self, seed, seed2, reshuffle):
        if seed == 0 and seed2 == 0:
            seed, seed2 = (int.from_bytes(os.urandom(8), "little") >> 1 for _ in range(2))
        self._seeds = (seed, seed2)
        self._stream = _uint32_stream(seed, seed2, blocks=1) if reshuffle else None

    def generate(self):
        if self._stream is None:
            return self._seeds
        return next(self._stream), next(self._stream)


class _Shuffle(Dataset):
    """TensorFlow's ShuffleDataset (``count`` 1) and ShuffleAndRepeatDataset.

    A buffer of ``buffer_size`` elements, filled in input order and across epochs (at most 3 epochs at once). Each
    output is drawn from the oldest epoch's elements, ``Random() % their number``, and swapped with that epoch's
    oldest element. The random stream is Philox seeded by the seed generator, re-seeded for each epoch."""

    _MAX_EPOCHS_IN_BUFFER = 3

    def __init__(self, input_dataset, buffer_size, seeds, count=1):
        self._input, self._buffer_size, self._seeds, self._count = input_dataset, buffer_size, seeds, count

    def __iter__(self):
        size, count, max_epochs = self._buffer_size, self._count, self._MAX_EPOCHS_IN_BUFFER
        random = _uint32_stream(*self._seeds.generate())
        buffer = [None] * size
        slices = collections.deque()  # [start, end) of each epoch's elements, positions taken modulo size
        last = None  # the newest epoch's slice
        inputs = None
        epoch = num_elements = 0
        produced = False
        while True:
            while num_elements < size and not (len(slices) > max_epochs and num_elements > 0):
                if inputs is None:
                    if count != -1 and epoch >= count:
                        break
                    end = last[1] if last else 0
                    last = [end, end]
                    slices.append(last)
                    inputs = iter(self._input)
                    epoch += 1
                element = next(inputs, None)
                if element is not None:
                    produced = True
                    buffer[last[1] % size] = element
                    last[1] += 1
                    num_elements += 1
                    continue
                inputs = None
                if not produced and count == -1:
                    break
            if num_elements == 0:
                return
            first = slices[0]
            while first[0] == first[1]:
                slices.popleft()
                first = slices[0]
                random = _uint32_stream(*self._seeds.generate())
            start = first[0]
            index = (start + next(random) % (first[1] - start)) % size
            oldest = start % size
            element = buffer[index]
            buffer[index], buffer[oldest] = buffer[oldest], None
            first[0] = start + 1
            num_elements -= 1
            yield element


def _shuffle_kernel(op, state):
    reshuffle = op.get_attr("reshuffle_each_iteration")

    def kernel(input_dataset, buffer_size, seed, seed2, count=1):
        buffer_size = _scalar(buffer_size)
        if buffer_size <= 0:
            raise invalid_argument("buffer_size must be greater than zero.")
        return _Shuffle(input_dataset, buffer_size, _SeedGenerator(_scalar(seed), _scalar(seed2), reshuffle),
                        _scalar(count))
    return kernel


register_dataset("ShuffleDataset", _shuffle_kernel, ("input_dataset", "buffer_size", "seed", "seed2"),
                 attr_defaults={"reshuffle_each_iteration": True})
register_dataset("ShuffleAndRepeatDataset", _shuffle_kernel,
                 ("input_dataset", "buffer_size", "seed", "seed2", "count"),
                 attr_defaults={"reshuffle_each_iteration": True})


class _Repeat(Dataset):
    def __init__(self, input_dataset, count):
        self._input, self._count = input_dataset, count

    def __iter__(self):
        repetition = 0
        while self._count < 0 or repetition < self._count:
            produced = False
            for element in self._input:
                produced = True
                yield element
            if not produced and self._count < 0:
                return
            repetition += 1


class _Take(Dataset):
    def __init__(self, input_dataset, count):
        self._input, self._count = input_dataset, count

    def __iter__(self):
        if self._count < 0:
            yield from self._input
            return
        if self._count == 0:
            return
        for i, element in enumerate(self._input, 1):
            yield element
            if i == self._count:
                return


class _Skip(_Take):
    def __iter__(self):
        inputs = iter(self._input)
        if self._count < 0:
            for _ in inputs:
                pass
            return
        for _ in range(self._count):
            if next(inputs, None) is None:
                return
        yield from inputs


def _count_kernel(dataset_class):
    return lambda op, state: lambda input_dataset, count: dataset_class(input_dataset, _scalar(count))


register_dataset("RepeatDataset", _count_kernel(_Repeat), ("input_dataset", "count"))
register_dataset("TakeDataset", _count_kernel(_Take), ("input_dataset", "count"))
register_dataset("SkipDataset", _count_kernel(_Skip), ("input_dataset", "count"))
register_dataset("PrefetchDataset", lambda op, state: lambda input_dataset, buffer_size: input_dataset,
                 ("input_dataset", "buffer_size"),
                 attr_defaults={"slack_period": 0, "legacy_autotune": True, "buffer_size_min": 0})


class _MemoryCache(Dataset):
    """``cache()`` in memory: the first complete iteration records the elements, later ones replay them."""

    def __init__(self, input_dataset):
        self._input = input_dataset
        self._elements = None

    def __iter__(self):
        if self._elements is not None:
            yield from self._elements
            return
        recorded = []
        for element in self._input:
            recorded.append(element)
            yield element
        self._elements = recorded


def _cache_kernel(op, state):
    def kernel(input_dataset, filename):
        if np.asarray(filename).item():
            raise errors.UnimplementedError(None, None, "minitf caches datasets in memory only (filename='').")
        return _MemoryCache(input_dataset)
    return kernel


register_dataset("CacheDataset", _cache_kernel, ("input_dataset", "filename"))


def _generator_kernel(op, state):
    """``Dataset.from_generator``: the op keeps the Python generator function (attached to it), which gives a
    fresh Python iterator of flat elements for each iteration."""
    generator = attached(op, "generator")
    return lambda: _FromIterable(generator)


register_dataset("GeneratorDataset", _generator_kernel, (), stateful=True)
