"""Checkpoint ops: ``SaveV2`` and ``RestoreV2``, TensorFlow's V2 (tensor bundle) save and restore kernels, and what
a sharded Saver adds: ``ShardedFilename`` names each device's temporary bundle, ``MergeV2Checkpoints`` merges them.

The kernels read and write the files through ``minitf.io.bundle``: a save is atomic per file and a restore checks
every checksum. String tensors are numpy object arrays of ``bytes``, as everywhere in minitf.
"""

import os

import numpy as np

from minitf.framework import dtypes, ops, tensor_shape
from minitf.framework.op_def_lib import apply_op, invalid_argument, no_gradient, register

# TensorFlow's DataTypeString, as its kernels print dtypes in error messages.
_TF_DTYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def dtype_string(dtype):
    """TensorFlow's name of ``dtype`` in kernel messages (``float``, ``double``, ``int32``, ...)."""
    return _TF_DTYPE_NAMES.get(dtype.name, dtype.name)


def _as_text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _check_rank(op, index, rank):
    shape = op.inputs[index].shape
    if shape.ndims is not None and shape.ndims != rank:
        raise ValueError(f"Shape must be rank {rank} but is rank {shape.ndims}")


def _check_names_and_slices(op, count):
    """Static checks TensorFlow's shape functions make on ``tensor_names`` and ``shape_and_slices``."""
    _check_rank(op, 0, 0)
    _check_rank(op, 1, 1)
    _check_rank(op, 2, 1)
    for index in (1, 2):
        size = op.inputs[index].shape.as_tuple()
        if size is not None and size[0] is not None and size[0] != count:
            raise ValueError(f"Dimension 0 in both shapes must be equal, but are {size[0]} and {count}")


def _prefix_text(prefix):
    prefix = np.asarray(prefix, dtype=object)
    if prefix.size != 1:
        raise invalid_argument(f"Input prefix should have a single element, got {prefix.size} instead.")
    return _as_text(prefix.reshape(-1)[0])


def _check_run_inputs(names, slices, count):
    """The run-time checks of TensorFlow's ``ValidateInputs`` (save_restore_v2_ops.cc)."""
    if names.ndim != 1 or names.size != count:
        raise invalid_argument(f"tensor_names must be a 1-D tensor with {count} elements, got shape "
                               f"{list(names.shape)}")
    if slices.shape != names.shape:
        raise invalid_argument(f"Expected {names.size} elements in shapes_and_slices, but got {slices.size}")
    return [_as_text(name) for name in names.reshape(-1).tolist()]


def _parsed_slices(slices):
    """Each ``shape_and_slices`` entry parsed to (full shape, extents), or None where it is empty (whole)."""
    from minitf.io import tensor_slices
    return [tensor_slices.parse_shape_and_slice(_as_text(s)) if s else None for s in slices.reshape(-1).tolist()]


# -- SaveV2 --------------------------------------------------------------------------------------------------------

def _save_v2_infer(op):
    _check_names_and_slices(op, len(op.inputs) - 3)
    return []


def _save_v2_kernel(op, state):
    from minitf.io.bundle import write_bundle, write_sliced_bundle  # loads when a plan first saves

    def kernel(prefix, names, slices, *tensors):
        keys = _check_run_inputs(names, slices, len(tensors))
        parsed = _parsed_slices(slices)
        if any(parsed):
            _check_slice_shapes(slices, parsed, tensors)
            write_sliced_bundle(_prefix_text(prefix), list(zip(keys, parsed, tensors)))
            return ()
        if len(set(keys)) != len(keys):
            duplicate = next(k for k in keys if keys.count(k) > 1)
            raise invalid_argument(f"Adding duplicate key: {duplicate}")
        write_bundle(_prefix_text(prefix), dict(zip(keys, tensors)))
        return ()
    return kernel


def _check_slice_shapes(slices, parsed, tensors):
    from minitf.io import tensor_slices
    for spec, sliced, tensor in zip(slices.reshape(-1).tolist(), parsed, tensors):
        if sliced is not None and list(np.shape(tensor)) != tensor_slices.slice_shape(sliced[1], sliced[0]):
            raise invalid_argument(f"Slice in shape_and_slice specification does not match the shape of the "
                                   f"tensor to  save: {_as_text(spec)}, tensor: "
                                   f"{tensor_slices.shape_text(np.shape(tensor))}")


register("SaveV2", _save_v2_infer, _save_v2_kernel, stateful=True,
         input_names=("prefix", "tensor_names", "shape_and_slices", "tensors"))
no_gradient("SaveV2")


def save_v2(prefix, tensor_names, shape_and_slices, tensors, name=None):
    """Adds a ``SaveV2`` op writing ``tensors`` under ``tensor_names`` to the checkpoint ``prefix``."""
    tensors = [ops.convert_to_tensor(t, as_ref=True) if not isinstance(t, ops.Tensor) else t for t in tensors]
    attrs = {"dtypes": [t.dtype.base_dtype for t in tensors]}
    return apply_op("SaveV2", [prefix, list(tensor_names), list(shape_and_slices)] + tensors, attrs, name)


# -- RestoreV2 -----------------------------------------------------------------------------------------------------

def _restore_v2_infer(op):
    restored_dtypes = op.get_attr("dtypes")
    _check_names_and_slices(op, len(restored_dtypes))
    return [(dtype, tensor_shape.unknown_shape()) for dtype in restored_dtypes]


def _as_array(value, dtype):
    """A restored tensor as an ndarray (the reader gives numpy scalars, or ``bytes``, for 0-d tensors)."""
    if dtype == dtypes.string and not isinstance(value, np.ndarray):
        array = np.empty((), dtype=object)
        array[()] = value
        return array
    return np.asarray(value)


def _restore_v2_kernel(op, state):
    from minitf.io import tensor_slices
    from minitf.io.bundle import BundleReader  # the checkpoint format loads when a plan first restores
    restored_dtypes = op.get_attr("dtypes")

    def kernel(prefix, names, slices):
        keys = _check_run_inputs(names, slices, len(restored_dtypes))
        reader = BundleReader(_prefix_text(prefix))
        values = []
        for key, sliced, dtype in zip(keys, _parsed_slices(slices), restored_dtypes):
            stored_dtype, stored_shape = reader.dtype_and_shape(key)
            if stored_dtype != dtype:
                raise invalid_argument(f"tensor_name = {key}; expected dtype {dtype_string(dtype)} does not equal "
                                       f"original dtype {dtype_string(stored_dtype)}")
            if sliced is None:
                values.append(_as_array(reader.get_tensor(key), dtype))
                continue
            if sliced[0] != stored_shape:
                raise invalid_argument(f"tensor_name = {key}; shape in shape_and_slice spec "
                                       f"{tensor_slices.shape_text(sliced[0])} does not match the shape stored in "
                                       f"checkpoint: {tensor_slices.shape_text(stored_shape)}")
            values.append(_as_array(reader.get_slice(key, sliced[1]), dtype))
        return values[0] if len(values) == 1 else tuple(values)
    return kernel


register("RestoreV2", _restore_v2_infer, _restore_v2_kernel, stateful=True,
         input_names=("prefix", "tensor_names", "shape_and_slices"))
no_gradient("RestoreV2")


def restore_v2(prefix, tensor_names, shape_and_slices, dtypes_list, name=None):
    """Adds a ``RestoreV2`` op reading ``tensor_names`` from the checkpoint ``prefix``; returns its outputs."""
    attrs = {"dtypes": [dtypes.as_dtype(d).base_dtype for d in dtypes_list]}
    return apply_op("RestoreV2", [prefix, list(tensor_names), list(shape_and_slices)], attrs, name).outputs


# -- sharded saves: ShardedFilename and MergeV2Checkpoints ------------------------------------------------------------

def _scalar_text(value, what):
    value = np.asarray(value, dtype=object)
    if value.ndim != 0:
        raise invalid_argument(f"Input {what} should be a scalar tensor, got {list(value.shape)} instead.")
    return _as_text(value[()])


def _sharded_filename_kernel(op, state):
    def kernel(basename, shard, num_shards):
        text = "%s-%05d-of-%05d" % (_scalar_text(basename, "basename"), int(shard), int(num_shards))
        return np.array(text.encode("utf-8"), dtype=object)
    return kernel


register("ShardedFilename", lambda op: [(dtypes.string, tensor_shape.TensorShape([]))], _sharded_filename_kernel,
         input_names=("basename", "shard", "num_shards"))
no_gradient("ShardedFilename")


def sharded_filename(basename, shard, num_shards, name=None):
    """``basename-0000K-of-0000N``: the name of shard ``shard`` of ``num_shards``."""
    return apply_op("ShardedFilename", [basename, shard, num_shards], {}, name).outputs[0]


def _merge_v2_infer(op):
    _check_rank(op, 0, 1)
    _check_rank(op, 1, 0)
    return []


def _merge_v2_kernel(op, state):
    delete_old_dirs = op.get_attr("delete_old_dirs")
    allow_missing_files = op.get_attr("allow_missing_files")

    def kernel(checkpoint_prefixes, destination_prefix):
        from minitf.io.bundle_merge import merge_bundles
        if np.ndim(checkpoint_prefixes) != 1:
            raise invalid_argument("Input checkpoint_prefixes should be an 1-D tensor, got "
                                   f"{list(np.shape(checkpoint_prefixes))} instead.")
        destination = _scalar_text(destination_prefix, "destination_prefix")
        prefixes = []
        for prefix in (_as_text(p) for p in checkpoint_prefixes.tolist()):
            if os.path.exists(prefix + ".index"):
                prefixes.append(prefix)
            elif not allow_missing_files:
                raise invalid_argument(f"allow_missing_files was set to false and {prefix} did not exist."
                                       f"NOT_FOUND: {prefix} not found")
        merge_bundles(prefixes, destination, delete_old_dirs)
        return ()
    return kernel


register("MergeV2Checkpoints", _merge_v2_infer, _merge_v2_kernel, stateful=True,
         input_names=("checkpoint_prefixes", "destination_prefix"),
         attr_defaults={"delete_old_dirs": True, "allow_missing_files": False})
no_gradient("MergeV2Checkpoints")


def merge_v2_checkpoints(checkpoint_prefixes, destination_prefix, delete_old_dirs=True, allow_missing_files=False,
                         name=None):
    """Merges the V2 checkpoints ``checkpoint_prefixes`` into ``destination_prefix``."""
    attrs = {"delete_old_dirs": bool(delete_old_dirs), "allow_missing_files": bool(allow_missing_files)}
    return apply_op("MergeV2Checkpoints", [checkpoint_prefixes, destination_prefix], attrs, name)
