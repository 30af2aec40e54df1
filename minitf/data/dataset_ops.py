"""``tf.data.Dataset`` as TensorFlow 1.x graphs use it: each Dataset method adds TensorFlow's dataset op to the
default graph, and the element structure (``output_types``, ``output_shapes``, ``output_classes``) is known at
construction. Iterating happens in a Session, through an iterator (``minitf.data.iterator_ops``).
"""

import itertools

import numpy as np

from minitf.data import function, function_def, nest  # noqa: F401 -- function_def: the GraphDef library
from minitf.framework import dtypes, ops, random_seed, tensor_shape, tensor_util
from minitf.ops import array_ops, math_ops
from minitf.ops import dataset_ops as _kernels
from minitf.ops import dataset_readers as _readers  # noqa: F401 -- registers the reader ops

AUTOTUNE = -1
_generator_ids = itertools.count()


def _int64(value, name):
    return ops.convert_to_tensor(value, dtype=dtypes.int64, name=name)


class ElementStructure:
    """``output_types``, ``output_shapes`` and ``output_classes`` of ``self._spec``, an element structure with
    ``(dtype, TensorShape)`` leaves: what datasets and iterators both describe."""

    @property
    def output_types(self):
        return nest.map_structure(lambda leaf: leaf.dtype, self._spec)

    @property
    def output_shapes(self):
        return nest.map_structure(lambda leaf: leaf.shape, self._spec)

    @property
    def output_classes(self):
        return nest.map_structure(lambda leaf: ops.Tensor, self._spec)


class DatasetV1(ElementStructure):
    """A sequence of elements, each a structure (tuple, dict) of tensors. Subclasses set ``_variant_tensor`` and
    ``_spec`` (the element structure with ``(dtype, TensorShape)`` leaves)."""

    def __init__(self, variant_tensor, spec):
        self._variant_tensor = variant_tensor
        self._spec = spec

    def _flat(self):
        return nest.flatten(self._spec)

    def _attrs(self, types_attr="output_types"):
        """The element attrs of a dataset op (``types_attr`` None: a reader, whose OpDef has only ``metadata``)."""
        if types_attr is None:
            return {"metadata": ""}
        flat = self._flat()
        return {types_attr: [dtype for dtype, _ in flat], "output_shapes": [shape for _, shape in flat],
                "metadata": ""}

    def _apply(self, op_type, inputs, spec, attrs=None, types_attr="output_types", name=None):
        """Adds a dataset op reading ``inputs`` whose elements have structure ``spec``."""
        result = DatasetV1(None, spec)
        all_attrs = {**result._attrs(types_attr), **(attrs or {})}
        op = ops.get_default_graph().create_op(op_type, inputs, all_attrs, name or op_type)
        result._variant_tensor = op.outputs[0]
        return result

    # -- sources ---------------------------------------------------------------------------------------------

    @staticmethod
    def from_tensors(tensors):
        components, structure = _normalize(tensors)
        spec = nest.pack_sequence_as(structure, [nest.Spec(t.dtype.base_dtype, t.shape) for t in components])
        return DatasetV1(None, spec)._apply("TensorDataset", components, spec, types_attr="Toutput_types")

    @staticmethod
    def from_tensor_slices(tensors, _is_files=False):
        components, structure = _normalize(tensors)
        for t in components:
            if t.shape.ndims == 0:
                raise ValueError("Unbatching a tensor is only supported for rank >= 1")
        first = components[0].shape.as_tuple()[0] if components[0].shape.ndims else None
        for t in components[1:]:
            size = t.shape.as_tuple()[0] if t.shape.ndims else None
            if first is not None and size is not None and first != size:
                raise ValueError(f"Dimensions {first} and {size} are not compatible")
        spec = nest.pack_sequence_as(structure, [
            nest.Spec(t.dtype.base_dtype, tensor_shape.TensorShape(t.shape.dims[1:]) if t.shape.ndims is not None
                      else tensor_shape.unknown_shape()) for t in components])
        return DatasetV1(None, spec)._apply("TensorSliceDataset", components, spec, types_attr="Toutput_types",
                                            attrs={"is_files": _is_files, "replicate_on_split": False})

    @staticmethod
    def range(*args, output_type=dtypes.int64):
        if len(args) == 1:
            start, stop, step = 0, args[0], 1
        elif len(args) == 2:
            (start, stop), step = args, 1
        elif len(args) == 3:
            start, stop, step = args
        else:
            raise ValueError(f"Invalid arguments to RangeDataset: {args}")
        inputs = [_int64(start, "start"), _int64(stop, "stop"), _int64(step, "step")]
        spec = nest.Spec(dtypes.as_dtype(output_type), tensor_shape.TensorShape([]))
        return DatasetV1(None, spec)._apply("RangeDataset", inputs, spec, attrs={"replicate_on_split": False})

    @staticmethod
    def zip(datasets):
        flat = nest.flatten(datasets)
        for d in flat:
            if not isinstance(d, DatasetV1):
                raise TypeError(f"Invalid `datasets`. `datasets` is expected to be a (nested) structure of "
                                f"`tf.data.Dataset` objects. Python `list` is not supported and you should use "
                                f"`tuple` instead.")
        spec = nest.pack_sequence_as(datasets, [d._spec for d in flat])
        return DatasetV1(None, spec)._apply("ZipDataset", [d._variant_tensor for d in flat], spec,
                                            attrs={"N": len(flat)})

    @staticmethod
    def from_generator(generator, output_types, output_shapes=None, args=None):
        """Elements from the Python generator ``generator()``, converted to ``output_types``. As in TensorFlow the
        graph holds ``TensorDataset(id).flat_map(...)``; the function's GeneratorDataset calls Python directly
        (TensorFlow calls it through PyFunc ops)."""
        if not callable(generator):
            raise TypeError("`generator` must be a Python callable.")
        args = () if args is None else tuple(np.asarray(a) for a in args)
        if output_shapes is None:
            output_shapes = nest.map_structure(lambda _: tensor_shape.unknown_shape(), output_types)
        types = [dtypes.as_dtype(t) for t in nest.flatten(output_types)]
        shapes = [tensor_shape.as_shape(s) for s in nest.flatten(output_shapes)]
        spec = nest.pack_sequence_as(output_types, [nest.Spec(t, s) for t, s in zip(types, shapes)])

        def flat_elements():
            for value in generator(*args):
                leaves = nest.flatten(value) if nest.is_sequence(output_types) else [value]
                yield tuple(_checked_value(v, t, s) for v, t, s in zip(leaves, types, shapes))

        def flat_map_fn(_):
            dataset = DatasetV1(None, spec)._apply(
                "GeneratorDataset", [], spec,
                attrs={"Tinit_func_args": [], "Tnext_func_args": [], "Tfinalize_func_args": []})
            _kernels.attach(dataset._variant_tensor.op, generator=flat_elements)
            return dataset
        ids = DatasetV1.from_tensors(np.int32(next(_generator_ids)))
        return ids.flat_map(flat_map_fn)

    # -- transformations -------------------------------------------------------------------------------------

    def _with_function(self, op_type, fn, kind, attr, inputs=(), attrs=None, spec_of=None, unpack_tuples=True):
        traced = function.trace(fn, kind, self._spec, unpack_tuples)
        spec = spec_of(traced) if spec_of else nest.pack_sequence_as(
            traced.output_structure, [nest.Spec(t, s) for t, s in zip(traced.output_types, traced.output_shapes)])
        func_attrs = {attr: _func_attr(traced.name), "Targuments": [t.dtype.base_dtype for t in traced.captured]}
        result = self._apply(op_type, [self._variant_tensor] + list(traced.captured) + list(inputs), spec,
                             attrs={**func_attrs, **(attrs or {})})
        _kernels.attach(result._variant_tensor.op, **{attr: traced})
        return result

    def map(self, map_func, num_parallel_calls=None, deterministic=None):
        if num_parallel_calls is None:
            return self._with_function("MapDataset", map_func, "map", "f", attrs={
                "use_inter_op_parallelism": True, "preserve_cardinality": False, "force_synchronous": False})
        calls = _int64(num_parallel_calls, "num_parallel_calls")
        return self._with_function("ParallelMapDatasetV2", map_func, "map", "f", inputs=[calls], attrs={
            "use_inter_op_parallelism": True, "preserve_cardinality": False, "use_unbounded_threadpool": False,
            "deterministic": "default" if deterministic is None else ("true" if deterministic else "false")})

    def filter(self, predicate):
        spec = self._spec
        result = self._with_function("FilterDataset", predicate, "filter", "predicate", spec_of=lambda traced: (
            function.check_types(traced, dtypes.bool, "predicate"), spec)[1])
        return result

    def flat_map(self, map_func):
        return self._with_function("FlatMapDataset", map_func, "flat_map", "f", spec_of=_dataset_spec("flat_map"))

    def interleave(self, map_func, cycle_length=None, block_length=None, num_parallel_calls=None,
                   deterministic=None):
        cycle = _int64(AUTOTUNE if cycle_length is None else cycle_length, "cycle_length")
        block = _int64(1 if block_length is None else block_length, "block_length")
        return self._with_function("InterleaveDataset", map_func, "interleave", "f", inputs=[cycle, block],
                                   spec_of=_dataset_spec("interleave"))

    def batch(self, batch_size, drop_remainder=False):
        size = _int64(batch_size, "batch_size")
        drop = ops.convert_to_tensor(drop_remainder, dtype=dtypes.bool, name="drop_remainder")
        spec = nest.map_structure(lambda leaf: nest.Spec(leaf.dtype, _batched(leaf.shape, size, drop)), self._spec)
        return self._apply("BatchDatasetV2", [self._variant_tensor, size, drop], spec,
                           attrs={"parallel_copy": False})

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None, drop_remainder=False):
        flat = self._flat()
        if padded_shapes is None:
            padded_shapes = nest.map_structure(lambda leaf: leaf.shape, self._spec)
        size = _int64(batch_size, "batch_size")
        flat_shapes = [tensor_shape.as_shape(s) if not isinstance(s, ops.Tensor) else s
                       for s in (nest.flatten(padded_shapes) if nest.is_sequence(self._spec) else [padded_shapes])]
        shape_tensors = [ops.convert_to_tensor([-1 if d is None else d for d in s.as_list()], dtype=dtypes.int64)
                         for s in flat_shapes]
        if padding_values is None:
            values = [ops.convert_to_tensor(b"" if dtype == dtypes.string else np.zeros((), dtype.as_numpy_dtype),
                                            dtype=dtype, name="padding_value") for dtype, _ in flat]
        else:
            flat_values = nest.flatten(padding_values) if nest.is_sequence(self._spec) else [padding_values]
            values = [ops.convert_to_tensor(v, dtype=dtype, name="padding_value")
                      for v, (dtype, _) in zip(flat_values, flat)]
        drop = ops.convert_to_tensor(drop_remainder, dtype=dtypes.bool, name="drop_remainder")
        leaves = [nest.Spec(dtype, _batched(padded, size, drop)) for (dtype, _), padded in zip(flat, flat_shapes)]
        spec = nest.pack_sequence_as(self._spec, leaves) if nest.is_sequence(self._spec) else leaves[0]
        return self._apply("PaddedBatchDatasetV2", [self._variant_tensor, size] + shape_tensors + values + [drop],
                           spec, attrs={"parallel_copy": False, "N": len(flat)}, types_attr="Toutput_types")

    def unbatch(self):
        if isinstance(self._spec, tuple):  # TensorFlow maps with a function named normalize first
            def normalize(*args):
                return args if len(args) > 1 else args[0]
        else:
            def normalize(arg):
                return arg
        normalized = self.map(normalize)
        spec = nest.map_structure(lambda leaf: nest.Spec(leaf.dtype, tensor_shape.TensorShape(leaf.shape.dims[1:])
                                                         if leaf.shape.ndims else tensor_shape.unknown_shape()),
                                  self._spec)
        return normalized._apply("UnbatchDataset", [normalized._variant_tensor], spec)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=None):
        size = _int64(buffer_size, "buffer_size")
        seed_tensor, seed2_tensor = _seed_tensors(seed)
        reshuffle = True if reshuffle_each_iteration is None else bool(reshuffle_each_iteration)
        return self._apply("ShuffleDataset", [self._variant_tensor, size, seed_tensor, seed2_tensor], self._spec,
                           attrs={"reshuffle_each_iteration": reshuffle})

    def repeat(self, count=None):
        return self._apply("RepeatDataset", [self._variant_tensor, _int64(-1 if count is None else count, "count")],
                           self._spec)

    def take(self, count):
        return self._apply("TakeDataset", [self._variant_tensor, _int64(count, "count")], self._spec)

    def skip(self, count):
        return self._apply("SkipDataset", [self._variant_tensor, _int64(count, "count")], self._spec)

    def prefetch(self, buffer_size):
        return self._apply("PrefetchDataset", [self._variant_tensor, _int64(buffer_size, "buffer_size")],
                           self._spec, attrs={"slack_period": 0, "legacy_autotune": False, "buffer_size_min": 0})

    def cache(self, filename=""):
        name = ops.convert_to_tensor(filename, dtype=dtypes.string, name="filename")
        return self._apply("CacheDataset", [self._variant_tensor, name], self._spec)

    def concatenate(self, dataset):
        if [t for t, _ in self._flat()] != [t for t, _ in dataset._flat()]:
            raise TypeError(f"Incompatible dataset elements:\n  {self.output_types} vs.   {dataset.output_types}")
        spec = nest.pack_sequence_as(self._spec, [
            nest.Spec(t, s1 if s1 == s2 else tensor_shape.unknown_shape())
            for (t, s1), (_, s2) in zip(self._flat(), dataset._flat())])
        return self._apply("ConcatenateDataset", [self._variant_tensor, dataset._variant_tensor], spec)

    def apply(self, transformation_func):
        dataset = transformation_func(self)
        if not isinstance(dataset, DatasetV1):
            raise TypeError(f"`transformation_func` must return a `tf.data.Dataset` object. Got {type(dataset)}.")
        return dataset

    # -- iterators -------------------------------------------------------------------------------------------

    def make_one_shot_iterator(self):
        from minitf.data import iterator_ops
        return iterator_ops.one_shot_iterator(self)

    def make_initializable_iterator(self, shared_name=None):
        from minitf.data import iterator_ops
        return iterator_ops.initializable_iterator(self, shared_name)

    def __iter__(self):
        raise RuntimeError("`tf.data.Dataset` only supports Python-style iteration in eager mode or within "
                           "tf.function.")


Dataset = DatasetV1


def _func_attr(name):
    from minitf.proto import attr_value_pb2
    value = attr_value_pb2.AttrValue()
    value.func.name = name
    value.func.attr["_tf_data_function"].b = True
    return value


def types_text(types):
    """A structure of dtypes as TensorFlow prints it: ``(tf.int64, tf.float32)``."""
    if isinstance(types, dict):
        return "{" + ", ".join(f"{key!r}: {types_text(value)}" for key, value in types.items()) + "}"
    if isinstance(types, tuple):
        return "(" + ", ".join(types_text(t) for t in types) + ")"
    return f"tf.{types.name}"


def _dataset_spec(kind):
    def spec_of(traced):
        returned = traced.returned
        if not isinstance(returned, DatasetV1):  # TensorFlow fails reading a dataset attribute of what it got
            raise AttributeError(f"'{type(traced.output_structure).__name__}' object has no attribute '_name'")
        return returned._spec
    return spec_of


def _normalize(tensors):
    """The components of ``tensors`` as Tensors (values converted in scope ``normalize_element``) and the
    structure they came in."""
    flat = nest.flatten(tensors)
    with ops.name_scope("normalize_element"):
        components = [t if isinstance(t, ops.Tensor) else
                      ops.convert_to_tensor(t, name=f"component_{i}") for i, t in enumerate(flat)]
    return components, tensors if nest.is_sequence(tensors) else components[0]


def _batched(shape, size, drop):
    known = tensor_util.constant_value(drop)
    batch = tensor_util.constant_value(size) if known is not None and bool(known) else None
    dims = [None if batch is None else int(batch)]
    return tensor_shape.TensorShape(dims).concatenate(shape) if shape.ndims is not None \
        else tensor_shape.unknown_shape()


def _seed_tensors(seed):
    """TensorFlow's ``tf.data`` seed pair: ``seed`` and ``seed2``, with (0, 0) turned into (0, 2**31 - 1)."""
    seed, seed2 = random_seed.get_seed(seed)
    if seed is None:
        seed_tensor = ops.convert_to_tensor(np.int64(0), name="seed")
    else:
        seed_tensor = _int64(seed, "seed")
    if seed2 is None:
        return seed_tensor, ops.convert_to_tensor(np.int64(0), name="seed2")
    with ops.name_scope("seed2") as scope:
        seed2_tensor = ops.convert_to_tensor(seed2, dtype=dtypes.int64)
        both_zero = math_ops.logical_and(math_ops.equal(seed_tensor, np.int64(0)),
                                         math_ops.equal(seed2_tensor, np.int64(0)))
        seed2_tensor = array_ops.where_v2(both_zero, ops.convert_to_tensor(np.int64(2**31 - 1)), seed2_tensor,
                                          name=scope)
    return seed_tensor, seed2_tensor


def _checked_value(value, dtype, shape):
    if dtype == dtypes.string:
        array = np.array(value, dtype=object)
    else:
        try:
            array = np.asarray(value, dtype=dtype.as_numpy_dtype)
        except (TypeError, ValueError):
            raise TypeError(f"`generator` yielded an element that could not be converted to the expected type. "
                            f"The expected type was {dtype.name}, but the yielded element was {value}.") from None
    if not shape.is_compatible_with(array.shape):
        raise ValueError(f"`generator` yielded an element of shape {array.shape} where an element of shape "
                         f"{tuple(shape.as_list()) if shape.ndims is not None else shape} was expected.")
    return array
