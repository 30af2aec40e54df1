"""Reading checkpoints outside a Saver: ``tf.train.NewCheckpointReader``, ``load_checkpoint``, ``list_variables``,
``load_variable`` and ``init_from_checkpoint`` (TensorFlow's ``checkpoint_utils.py`` and ``py_checkpoint_reader``).
"""

import os

from minitf.framework import ops
from minitf.io.bundle import BundleReader
from minitf.ops import io_ops, state_ops, variable_scope, variables
from minitf.train import checkpoint_management


class CheckpointReader:
    """A V2 checkpoint's tensors by name (what ``tf.train.NewCheckpointReader`` returns).

    Raises NotFoundError for a missing checkpoint or key and DataLossError for damaged files.
    """

    def __init__(self, prefix):
        if isinstance(prefix, bytes):
            prefix = prefix.decode("utf-8")
        self._reader = BundleReader(os.fspath(prefix))

    @staticmethod
    def _name(tensor_str):
        return tensor_str.decode("utf-8") if isinstance(tensor_str, bytes) else tensor_str

    def get_tensor(self, tensor_str):
        """The tensor's value: an ndarray (object array of bytes for strings), or a numpy scalar / bytes if 0-d."""
        return self._reader.get_tensor(self._name(tensor_str))

    def has_tensor(self, tensor_str):
        return self._reader.has_tensor(self._name(tensor_str))

    def get_variable_to_shape_map(self):
        return self._reader.variable_to_shape_map()

    def get_variable_to_dtype_map(self):
        return self._reader.variable_to_dtype_map()

    def debug_string(self):
        """One line per tensor, ``name (DT_FLOAT) [2,3]``, in key order, as bytes (TensorFlow's DebugString)."""
        lines = []
        for name in self._reader.keys():
            dtype, shape = self._reader.dtype_and_shape(name)
            lines.append("%s (%s) [%s]\n" % (name, _data_type_name(dtype), ",".join(str(d) for d in shape)))
        return "".join(lines).encode("utf-8")


def _data_type_name(dtype):
    from minitf.proto import types_pb2
    return types_pb2.DataType.Name(dtype.as_datatype_enum)


def NewCheckpointReader(filepattern):  # noqa: N802 -- TensorFlow's public name
    """``tf.train.NewCheckpointReader``: a CheckpointReader for the checkpoint prefix ``filepattern``."""
    return CheckpointReader(filepattern)


def _get_checkpoint_filename(ckpt_dir_or_file):
    """The latest checkpoint in a directory, or the given checkpoint prefix."""
    ckpt_dir_or_file = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(ckpt_dir_or_file):
        return checkpoint_management.latest_checkpoint(ckpt_dir_or_file)
    return ckpt_dir_or_file


def load_checkpoint(ckpt_dir_or_file):
    """A CheckpointReader for ``ckpt_dir_or_file``: a checkpoint prefix, or a directory (its latest checkpoint)."""
    filename = _get_checkpoint_filename(ckpt_dir_or_file)
    if filename is None:
        raise ValueError("Couldn't find 'checkpoint' file or checkpoints in given directory %s" % ckpt_dir_or_file)
    return NewCheckpointReader(filename)


def load_variable(ckpt_dir_or_file, name):
    """The value of tensor ``name`` (a trailing ``:0`` is ignored) in the checkpoint."""
    if name.endswith(":0"):
        name = name[:-2]
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)


def list_variables(ckpt_dir_or_file):
    """``[(name, shape), ...]`` of every tensor in the checkpoint, sorted by name."""
    variable_map = load_checkpoint(ckpt_dir_or_file).get_variable_to_shape_map()
    return [(name, variable_map[name]) for name in sorted(variable_map)]


# -- init_from_checkpoint ------------------------------------------------------------------------------------------

def _is_variable(value):
    return isinstance(value, variables.Variable)


def _collect_partitioned_variable(name, all_vars):
    """The parts ``name/part_0``, ``name/part_1``, ... of the store's variables, or None."""
    parts = []
    while f"{name}/part_{len(parts)}" in all_vars:
        parts.append(all_vars[f"{name}/part_{len(parts)}"])
    return parts or None


def _set_variable_or_list_initializer(variable_or_list, ckpt_file, tensor_name):
    """Loads a variable, or each of a list of parts of one partitioned variable (its slice of the tensor)."""
    if not isinstance(variable_or_list, (list, tuple)):
        _set_checkpoint_initializer(variable_or_list, ckpt_file, tensor_name, "")
        return
    slice_name = None
    for v in variable_or_list:
        slice_info = v._save_slice_info
        if slice_name is None:
            slice_name = slice_info.full_name
        elif slice_name != slice_info.full_name:
            raise ValueError(f"Slices must all be from the same tensor: {slice_name} != {slice_info.full_name}")
        _set_checkpoint_initializer(v, ckpt_file, tensor_name, slice_info.spec)


def _set_checkpoint_initializer(variable, ckpt_file, tensor_name, slice_spec, name="checkpoint_initializer"):
    """Makes ``variable``'s initializer assign ``tensor_name`` (its slice ``slice_spec`` when not "") read from
    ``ckpt_file`` (a RestoreV2 on the CPU)."""
    with ops.device("/device:CPU:0"):
        restored = io_ops.restore_v2(ckpt_file, [tensor_name], [slice_spec], [variable.dtype.base_dtype],
                                     name=name)[0]
    ref = variable._ref()
    init_op = state_ops.assign(ref, restored, validate_shape=ref.shape.is_fully_defined())
    init_op.op._set_attr("_class", [b"loc:@" + ref.op.name.encode("utf-8")])
    variable._initializer_op = init_op.op
    restored.set_shape(variable.shape)
    variable._initial_value = restored


def init_from_checkpoint(ckpt_dir_or_file, assignment_map):
    """Replaces the initializers of variables so that they load values from a checkpoint.

    ``assignment_map`` (dict or list of pairs) maps checkpoint names to variables: ``'ckpt/name': variable``,
    ``'ckpt/name': 'scope/var_name'`` (a ``get_variable`` name), or whole scopes ``'ckpt_scope/': 'scope/'``
    (``'/'`` is the root on either side). A partitioned variable (its name, or the list of its parts) loads each
    part's slice of the checkpoint's tensor. Values are loaded when the initializers run. Raises ValueError for
    names missing from the graph or the checkpoint and for shape mismatches.
    """
    ckpt_file = _get_checkpoint_filename(ckpt_dir_or_file)
    reader = load_checkpoint(ckpt_dir_or_file)
    variable_map = reader.get_variable_to_shape_map()
    if hasattr(assignment_map, "items"):
        assignment_map = assignment_map.items()
    store_vars = variable_scope._store().vars
    for tensor_name_in_ckpt, current_var_or_name in sorted(assignment_map, key=lambda pair: pair[0]):
        if _is_variable(current_var_or_name) or (isinstance(current_var_or_name, list)
                                                 and all(_is_variable(v) for v in current_var_or_name)):
            var = current_var_or_name
        else:
            var = store_vars.get(current_var_or_name)
            if var is None:
                var = _collect_partitioned_variable(current_var_or_name, store_vars)
        if var is not None:
            if tensor_name_in_ckpt not in variable_map:
                raise ValueError("Tensor %s is not found in %s checkpoint %s"
                                 % (tensor_name_in_ckpt, ckpt_dir_or_file, variable_map))
            if _is_variable(var) and not var.get_shape().is_compatible_with(variable_map[tensor_name_in_ckpt]):
                raise ValueError("Shape of variable %s (%s) doesn't match with shape of tensor %s (%s) from "
                                 "checkpoint reader." % (var.name, str(var.get_shape()), tensor_name_in_ckpt,
                                                         str(variable_map[tensor_name_in_ckpt])))
            _set_variable_or_list_initializer(var, ckpt_file, tensor_name_in_ckpt)
            continue
        scopes = ""
        if "/" in current_var_or_name:
            scopes = current_var_or_name[:current_var_or_name.rindex("/")]
        if not tensor_name_in_ckpt.endswith("/"):
            raise ValueError("Assignment map with scope only name {} should map to scope only {}. Should be "
                             "'scope/': 'other_scope/'.".format(scopes, tensor_name_in_ckpt))
        scope_variables = sorted({name[:name.index("/part_")] if "/part_" in name else name  # a partitioned one
                                  for name in store_vars if not scopes or name.startswith(scopes + "/")})
        for var_name in scope_variables:
            full_tensor_name = var_name[len(scopes):]
            if current_var_or_name != "/":
                full_tensor_name = full_tensor_name[1:]
            if tensor_name_in_ckpt != "/":
                full_tensor_name = tensor_name_in_ckpt + full_tensor_name
            if full_tensor_name.endswith("/"):
                full_tensor_name = full_tensor_name[:-1]
            if full_tensor_name not in variable_map:
                raise ValueError("Tensor %s (%s in %s) is not found in %s checkpoint"
                                 % (full_tensor_name, var_name[len(scopes) + 1:], tensor_name_in_ckpt,
                                    ckpt_dir_or_file))
            var = store_vars.get(var_name)
            if var is None:
                var = _collect_partitioned_variable(var_name, store_vars)
            _set_variable_or_list_initializer(var, ckpt_file, full_tensor_name)

