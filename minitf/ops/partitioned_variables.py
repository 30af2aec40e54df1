"""Partitioned variables as TensorFlow 2.21's tf.compat.v1 makes them (python/ops/partitioned_variables.py and
variable_scope.py ``_get_partitioned_variable``).

A partitioner maps a variable's full shape and dtype to a slicing: a list with one entry per axis, all 1 but at most
one. ``get_variable(..., partitioner=p)`` then makes one ``Variable`` per slice, named ``<name>/part_<i>``, the
first ``full % n`` parts one row longer; each part's initializer is called with the part's own shape (random
initializers draw per part) and a ``_PartitionInfo`` (variance-scaling initializers take their fans from the full
shape); a Tensor or value initializer is sliced. Each part carries a ``SaveSliceInfo`` (the full variable's name,
shape and the part's offset), so a Saver writes one checkpoint key per partitioned variable. The parts are what the
variable collections hold; the ``PartitionedVariable`` wraps them: it iterates over its parts (what
``embedding_lookup`` and the optimizers use) and converts to the concatenation of its parts.
"""

import collections.abc
import math

from minitf.framework import dtypes, ops, tensor_shape
from minitf.ops import array_ops, variables


# -- partitioners -----------------------------------------------------------------------------------------------

def variable_axis_size_partitioner(max_shard_bytes, axis=0, bytes_per_string_element=16, max_shards=None):
    """A partitioner slicing ``axis`` so that each shard holds at most ``max_shard_bytes`` (when one slice along
    ``axis`` is larger, every slice is a shard), and at most ``max_shards`` shards."""
    if max_shard_bytes < 1 or bytes_per_string_element < 1:
        raise ValueError("Both max_shard_bytes and bytes_per_string_element must be positive. Currently, "
                         f"max_shard_bytes is {max_shard_bytes} andbytes_per_string_element is "
                         f"{bytes_per_string_element}")
    if max_shards and max_shards < 1:
        raise ValueError("max_shards must be positive.")

    def _partitioner(shape, dtype):
        if not isinstance(shape, tensor_shape.TensorShape):
            raise ValueError(f"shape is not a TensorShape: {shape}")
        if not shape.is_fully_defined():
            raise ValueError(f"shape is not fully defined: {shape}")
        element_size = _element_size(dtype, bytes_per_string_element)
        partitions = [1] * shape.ndims
        bytes_per_slice = 1.0 * (shape.num_elements() / shape.dims[axis].value) * element_size
        slices_per_shard = max(1, math.floor(max_shard_bytes / bytes_per_slice))
        axis_shards = int(math.ceil(1.0 * shape.dims[axis].value / slices_per_shard))
        if max_shards:
            axis_shards = min(max_shards, axis_shards)
        partitions[axis] = axis_shards
        return partitions
    return _partitioner


def min_max_variable_partitioner(max_partitions=1, axis=0, min_slice_size=256 << 10, bytes_per_string_element=16):
    """A partitioner slicing ``axis`` into as many parts of at least ``min_slice_size`` bytes as fit, at most
    ``max_partitions`` and at most the axis' length."""
    def _partitioner(shape, dtype):
        if axis >= len(shape):
            raise ValueError(f"Cannot partition variable along axis {axis} when shape is only {shape}")
        total_size_bytes = shape.num_elements() * _element_size(dtype, bytes_per_string_element)
        partitions = total_size_bytes / min_slice_size
        partitions_list = [1] * len(shape)
        partitions_list[axis] = max(1, min(shape.dims[axis].value, max_partitions, int(math.ceil(partitions))))
        return partitions_list
    return _partitioner


def fixed_size_partitioner(num_shards, axis=0):
    """A partitioner slicing ``axis`` into ``num_shards`` parts (fewer when the axis is shorter)."""
    def _partitioner(shape, **unused_args):
        partitions_list = [1] * len(shape)
        partitions_list[axis] = min(num_shards, shape.dims[axis].value)
        return partitions_list
    return _partitioner


def _element_size(dtype, bytes_per_string_element):
    dtype = dtypes.as_dtype(dtype)
    return bytes_per_string_element if dtype.base_dtype == dtypes.string else dtype.size


# -- slicing ----------------------------------------------------------------------------------------------------

class _PartitionInfo:
    """What an initializer learns about the part it initializes: the full shape and the part's offset in it."""

    __slots__ = ["_full_shape", "_var_offset"]

    def __init__(self, full_shape, var_offset):
        self._full_shape = full_shape
        self._var_offset = var_offset

    full_shape = property(lambda self: self._full_shape)
    var_offset = property(lambda self: self._var_offset)


def _call_partitioner(partitioner, shape, dtype):
    """The partitioner's slicing of ``shape``, checked as TensorFlow checks it."""
    if not shape.is_fully_defined():
        raise ValueError(f"Shape of a new partitioned variable must be fully defined, but instead was {shape}.")
    if shape.ndims < 1:
        raise ValueError(f"A partitioned Variable must have rank at least 1, shape: {shape}")
    slicing = partitioner(shape=shape, dtype=dtype)
    if not isinstance(slicing, collections.abc.Sequence):
        raise ValueError(f"Partitioner must return a sequence, but saw: {slicing}")
    if len(slicing) != shape.ndims:
        raise ValueError(f"Partitioner returned a partition list that does not match the Variable's rank: "
                         f"{slicing} vs. {shape}")
    if any(p < 1 for p in slicing):
        raise ValueError(f"Partitioner returned zero partitions for some axes: {slicing}")
    if sum(p > 1 for p in slicing) > 1:
        raise ValueError(f"Can only slice a variable along one dimension: shape: {shape}, partitioning: {slicing}")
    return slicing


def _get_slice_dim_and_num_slices(slicing):
    for slice_dim, num_slices in enumerate(slicing):
        if num_slices > 1:
            return slice_dim, num_slices
    return 0, 1


def _iter_slices(full_shape, num_slices, slice_dim):
    """(offset, shape) of each slice: the first ``full % num_slices`` slices are one longer."""
    num_slices_with_excess = full_shape[slice_dim] % num_slices
    offset = [0] * len(full_shape)
    min_slice_len = full_shape[slice_dim] // num_slices
    for i in range(num_slices):
        shape = full_shape[:]
        shape[slice_dim] = min_slice_len + bool(i < num_slices_with_excess)
        yield offset[:], shape
        offset[slice_dim] += shape[slice_dim]


def get_partitioned_variable(store, name, partitioner, shape=None, dtype=dtypes.float32, initializer=None,
                             regularizer=None, reuse=None, trainable=None, collections=None, validate_shape=True,
                             constraint=None):
    """The ``PartitionedVariable`` ``name`` of the variable store ``store``, created or (under reuse) shared."""
    initializing_from_value = isinstance(initializer, ops.Tensor)
    if name in store.vars:
        raise ValueError(f"A partitioner was provided, but an unpartitioned version of the variable was found: "
                         f"{name}.  Perhaps a variable of the same name was already created without partitioning?")
    shape = tensor_shape.as_shape(shape)
    if initializing_from_value:
        shape = shape.merge_with(initializer.shape)
    partitions = None
    if not reuse or partitioner:
        partitions = _call_partitioner(partitioner, shape, dtype)
    if name in store.partitioned_vars:
        if reuse is False:
            raise ValueError(f"Partitioned variable with name {name} already exists. Did you mean to set "
                             f"reuse=True or reuse=tf.AUTO_REUSE in VarScope?")
        existing = store.partitioned_vars[name]
        if not shape.is_compatible_with(existing.get_shape()):
            raise ValueError(f"Trying to reuse partitioned variable {name}, but specified shape {shape} and found "
                             f"shape {existing.get_shape()}.")
        if not dtype.is_compatible_with(existing.dtype):
            raise ValueError(f"Trying to reuse partitioned variable {name}, but specified dtype {dtype.name} and "
                             f"found dtype {existing.dtype.name}.")
        if partitions is not None and existing._get_partitions() != partitions:
            raise ValueError(f"Trying to reuse partitioned variable {name}, but specified partitions {partitions} "
                             f"and found partitions {existing._get_partitions()}.")
        return existing
    if reuse is True:
        raise ValueError(f"PartitionedVariable {name} does not exist, or was not created with tf.get_variable(). "
                         f"Did you mean to set reuse=False or reuse=tf.AUTO_REUSE in VarScope?")
    slice_dim, num_slices = _get_slice_dim_and_num_slices(partitions)
    if f"{name}/part_0" in store.vars:
        if f"{name}/part_{num_slices - 1}" not in store.vars:
            raise ValueError(f"Partitioner returned a different partitioning than what was already found.  "
                             f"Partitioner returned {num_slices} shards, and shard {name}/part_0 was found, but "
                             f"{name}/part_{num_slices - 1} was not.")
        if f"{name}/part_{num_slices}" in store.vars:
            raise ValueError(f"Partitioner returned a different partitioning than what was already found.  "
                             f"Partitioner returned {num_slices} shards, and shard {name}/part_0 was found, but "
                             f"so was the extra shard {name}/part_{num_slices}.")
    parts = []
    for i, (var_offset, var_shape) in enumerate(_iter_slices(shape.as_list(), num_slices, slice_dim)):
        partition_info = _PartitionInfo(full_shape=shape.as_list(), var_offset=var_offset)
        part_name = f"{name}/part_{i}"
        with ops.name_scope(part_name + "/PartitionedInitializer"):
            if isinstance(initializer, ops.Tensor):
                init, init_shape = array_ops.slice(initializer, var_offset, var_shape), None
                dtype = init.dtype.base_dtype
            elif initializer is None or callable(initializer):
                init, init_shape = initializer, var_shape  # None: the store's default initializer, per part
            else:
                init = array_ops.slice(ops.convert_to_tensor(initializer, dtype=dtype), var_offset, var_shape)
                init_shape = None
        with ops.name_scope(None):
            var = store.get_single_variable(part_name, shape=init_shape, dtype=dtype, initializer=init,
                                            partition_info=partition_info, regularizer=regularizer, reuse=reuse,
                                            trainable=trainable, collections=collections,
                                            validate_shape=validate_shape, constraint=constraint)
        var._set_save_slice_info(variables.Variable.SaveSliceInfo(name, shape.as_list(), var_offset, var_shape))
        parts.append(var)
    partitioned = PartitionedVariable(name=name, shape=shape, dtype=dtype, variable_list=parts,
                                      partitions=partitions)
    store.partitioned_vars[name] = partitioned
    return partitioned


# -- the partitioned variable -----------------------------------------------------------------------------------

class PartitionedVariable:
    """The parts of one variable sliced along one axis: iterates over them in offset order, converts to their
    concatenation."""

    def __init__(self, name, shape, dtype, variable_list, partitions):
        if not isinstance(variable_list, (list, tuple)):
            raise TypeError(f"variable_list is not a list or tuple: {variable_list}")
        if not isinstance(partitions, (list, tuple)):
            raise TypeError(f"partitions is not a list or tuple: {partitions}")
        if not all(p >= 1 for p in partitions):
            raise ValueError(f"partition values must be positive: {partitions}")
        if not variable_list:
            raise ValueError("variable_list may not be empty")
        if not all(v._get_save_slice_info() is not None for v in variable_list):
            raise ValueError(f"All variables must have a save_slice_info available: "
                             f"{[v.name for v in variable_list]}")
        if len(shape) != len(partitions):
            raise ValueError(f"len(shape) != len(partitions): {shape} vs. {partitions}")
        for v in variable_list:
            if v._get_save_slice_info().full_shape != shape:
                raise ValueError(f"All variables' full shapes must match shape: {shape}; but full shapes were: "
                                 f"{[v._get_save_slice_info().full_shape]}")
        self._variable_list = sorted(variable_list, key=lambda v: v._get_save_slice_info().var_offset)
        self._name = name
        self._shape = shape
        self._dtype = dtype
        self._partitions = partitions

    def __iter__(self):
        return iter(self._variable_list)

    def __len__(self):
        num_partition_axes = len(self._partition_axes())
        if num_partition_axes > 1:
            raise ValueError(f"Cannot get a length for {num_partition_axes} > 1 partition axes")
        return len(self._variable_list)

    def _partition_axes(self):
        if all(p == 1 for p in self._partitions):
            return [0]
        return [i for i, p in enumerate(self._partitions) if p > 1]

    def _concat(self):
        """The parts concatenated (``<name>/ConcatPartitions/concat``), as the tensor ``<name>``."""
        if len(self._variable_list) == 1:
            with ops.name_scope(None):
                return array_ops.identity(self._variable_list[0], name=self._name)
        with ops.name_scope(self._name + "/ConcatPartitions/"):
            concatenated = array_ops.concat(self._variable_list, self._partition_axes()[0])
        with ops.name_scope(None):
            return array_ops.identity(concatenated, name=self._name)

    def as_tensor(self):
        """The full value, outside the caller's control dependencies."""
        with ops.control_dependencies(None):
            return self._concat()

    name = property(lambda self: self._name)
    dtype = property(lambda self: self._dtype)
    shape = property(lambda self: self._shape)

    def get_shape(self):
        return self._shape

    def _get_variable_list(self):
        return self._variable_list

    def _get_partitions(self):
        return self._partitions

    def _apply_assign_fn(self, assign_fn, value):
        if isinstance(value, list):
            value_list = value
        elif isinstance(value, PartitionedVariable):
            value_list = list(value)
        else:
            axis = self._partition_axes()[0]
            value_list = array_ops.split(value, [var.shape[axis].value for var in self._variable_list], axis=axis)
        return [assign_fn(var, value_list[i]) for i, var in enumerate(self._variable_list)]

    def assign(self, value, use_locking=False, name=None, read_value=True):
        return self._apply_assign_fn(lambda var, v: var.assign(v, use_locking=use_locking, name=name,
                                                               read_value=read_value), value)

    def assign_add(self, value, use_locking=False, name=None, read_value=True):
        return self._apply_assign_fn(lambda var, v: var.assign_add(v, use_locking=use_locking, name=name,
                                                                   read_value=read_value), value)

    def assign_sub(self, value, use_locking=False, name=None, read_value=True):
        return self._apply_assign_fn(lambda var, v: var.assign_sub(v, use_locking=use_locking, name=name,
                                                                   read_value=read_value), value)


def _partitioned_variable_conversion(v, dtype=None, name=None, as_ref=False):
    if dtype is not None and not dtypes.as_dtype(dtype).is_compatible_with(v.dtype):
        raise ValueError(f"Incompatible type conversion requested to type '{dtypes.as_dtype(dtype).name}' for "
                         f"variable of type '{v.dtype.name}'")
    if as_ref:
        raise NotImplementedError("PartitionedVariable doesn't support being used as a reference.")
    return v.as_tensor()


ops.register_tensor_conversion_function(PartitionedVariable, _partitioned_variable_conversion)


def create_partitioned_variables(shape, slicing, initializer, dtype=dtypes.float32, trainable=True,
                                 collections=None, name=None, reuse=None):
    """``tf.create_partitioned_variables``: the list of parts of a variable sliced by ``slicing``."""
    from minitf.ops import variable_scope
    if len(shape) != len(slicing):
        raise ValueError(f"The 'shape' and 'slicing' of a partitioned Variable must have the length: shape: "
                         f"{shape}, slicing: {slicing}")
    if len(shape) < 1:
        raise ValueError(f"A partitioned Variable must have rank at least 1: shape: {shape}")
    with variable_scope.variable_scope(name, "PartitionedVariable", reuse=reuse):
        scope = variable_scope.get_variable_scope()
        with ops.name_scope(None):
            partitioned = get_partitioned_variable(
                variable_scope._store(), scope.name, lambda **unused_kwargs: slicing, shape=shape,
                dtype=dtypes.as_dtype(dtype), initializer=initializer, trainable=trainable,
                collections=collections, reuse=scope.reuse)
    return list(partitioned)
