"""``tf.train.Saver`` and ``tf.train.import_meta_graph`` (TensorFlow's ``training/saver.py``, graph mode, V2 format).

A Saver adds TensorFlow's ``save/...`` nodes to the graph (``save/Const`` is the filename, ``SaveV2`` writes the
variables, ``save/restore_all`` runs one ``Assign`` per variable from ``RestoreV2``) and describes them in a
SaverDef. ``save`` runs them and then manages the files: the checkpoint's data file and index (written by SaveV2),
the ``.meta`` MetaGraphDef and the ``checkpoint`` state file are each replaced atomically, in that order, so that a
crash at any moment leaves the previous checkpoint and a state file naming complete checkpoints. Old checkpoints
are deleted as TensorFlow deletes them (``max_to_keep``, ``keep_checkpoint_every_n_hours``).

``Saver(sharded=True)`` groups the variables by device: each group's ``SaveV2`` writes the temporary bundle
``<prefix>_temp/part-0000K-of-0000N`` (``ShardedFilename``), and ``MergeV2Checkpoints`` then renames the data files
to ``<prefix>.data-0000K-of-0000N``, writes the merged index and removes the temporary directory. The checkpoint is
read like any other (on one device its bytes equal an unsharded save's); restoring runs one ``restore_shard`` per
device.
"""

import numbers
import os
import re
import time

import numpy as np

from minitf.client import session as session_lib
from minitf.framework import errors, meta_graph, ops
from minitf.ops import array_ops, constant_op, control_flow_ops, io_ops, state_ops, string_ops
from minitf.ops.partitioned_variables import PartitionedVariable
from minitf.platform import tf_logging as logging
from minitf.train import checkpoint_management, training_util


_REF_VARIABLE_OPS = frozenset(["Variable", "VariableV2", "AutoReloadVariable"])
_RESTORE_DEVICE = "/device:CPU:0"  # TensorFlow's BulkSaverBuilder restores on "cpu:0", canonically this


def _device_fields(device):
    """The fields of a device string (``/job:ps/task:0/cpu:0``) as TensorFlow's DeviceSpec parses them."""
    fields = {}
    for part in (device or "").split("/"):
        if not part:
            continue
        key, _, value = part.partition(":")
        if key in ("job", "replica", "task"):
            fields[key] = value
        elif key == "device":
            device_type, _, index = value.partition(":")
            fields["type"], fields["index"] = device_type.upper(), index
        elif key.lower() in ("cpu", "gpu", "tpu"):
            fields["type"], fields["index"] = key.upper(), value
    return fields


def _device_string(fields):
    parts = ["/%s:%s" % (key, fields[key]) for key in ("job", "replica", "task") if key in fields]
    if "type" in fields:
        parts.append("/device:%s:%s" % (fields["type"], fields["index"] or "*"))
    return "".join(parts)


def _canonical_device(device):
    """``pydev.canonical_name``: ``/cpu:0`` and ``/device:CPU:0`` name one device."""
    return _device_string(_device_fields(device))


def _set_cpu0(device):
    """``saveable_object_util.set_cpu0``: the CPU:0 of ``device``'s job, replica and task."""
    return _device_string(dict(_device_fields(device), type="CPU", index="0"))


def _colocate(op, with_op):
    """Records the colocation TensorFlow's ``colocate_with`` adds (the ``_class`` attr of the GraphDef node)."""
    op._set_attr("_class", [b"loc:@" + with_op.name.encode("utf-8")])


# -- what a Saver saves -----------------------------------------------------------------------------------------

class _VariableSaveable:
    """One reference variable saved under ``name`` (TensorFlow's ReferenceVariableSaveable); a part of a
    partitioned variable is saved as the slice ``slice_spec`` of the full variable ``name``."""

    def __init__(self, tensor, name, slice_spec=""):
        self.op = tensor  # the VariableV2 output: what SaveV2 reads and Assign writes
        self.name = name
        self.slice_spec = slice_spec
        self.dtype = tensor.dtype.base_dtype

    def restore(self, restored_tensor, restored_shape):
        if restored_shape is not None:
            restored_tensor = array_ops.reshape(restored_tensor, restored_shape)
        assign = state_ops.assign(self.op, restored_tensor,
                                  validate_shape=restored_shape is None and self.op.shape.is_fully_defined())
        _colocate(assign.op, self.op.op)
        return assign


def _comes_from_variable(tensor):
    return isinstance(tensor, ops.Tensor) and tensor.op.type in _REF_VARIABLE_OPS


def _flatten(items):
    for item in items:
        if isinstance(item, (list, tuple, set)):
            yield from _flatten(item)
        else:
            yield item


def op_list_to_dict(op_list):
    """Names (the variables' op names) to variable tensors, for a list of variables; the parts of a partitioned
    variable go under its full name, as a PartitionedVariable or the list of the parts given."""
    if not isinstance(op_list, (list, tuple, set)):
        raise TypeError(f"Variables to save should be passed in a dict or a list. Got {op_list}")
    names_to_saveables = {}
    for var in sorted(_flatten(op_list), key=lambda x: x.name):
        if isinstance(var, PartitionedVariable):
            if var.name in names_to_saveables:
                raise ValueError(f"At least two variables have the same name: {var.name}")
            names_to_saveables[var.name] = var
            continue
        slice_info = getattr(var, "_save_slice_info", None)
        if slice_info:
            slices = names_to_saveables.setdefault(slice_info.full_name, [])
            if not isinstance(slices, list):
                raise ValueError(f"Mixing slices and non-slices with the same name: {slice_info.full_name}")
            slices.append(var)
            continue
        tensor = ops.convert_to_tensor(var, as_ref=True)
        if not _comes_from_variable(tensor):
            raise TypeError(f"Variable to save is not a Variable: {var}")
        name = tensor.op.name
        if name in names_to_saveables:
            raise ValueError(f"At least two variables have the same name: {name}")
        names_to_saveables[name] = tensor
    return names_to_saveables


def validate_and_slice_inputs(names_to_saveables):
    """The saveables of a name -> variable mapping, sorted by name; each variable may appear only once."""
    saveables = []
    seen = set()
    for name, var in sorted(names_to_saveables.items(), key=lambda item: item[0]):
        if not isinstance(name, str):
            raise TypeError("names_to_saveables must be a dict mapping string names to trackable operations. "
                            f"Name is not a string: {name}")
        for tensor, spec in _slices(var) if isinstance(var, (list, tuple, PartitionedVariable)) else [(var, "")]:
            tensor = ops.convert_to_tensor(tensor, as_ref=True)
            if not _comes_from_variable(tensor):
                raise TypeError("names_to_saveables must be a dict mapping string names to Tensors/Variables. "
                                f"Not a variable: {tensor}")
            if tensor in seen:
                raise ValueError(f"The same saveable will be restored with two names: {name}")
            seen.add(tensor)
            saveables.append(_VariableSaveable(tensor, name, spec))
    return saveables


def _slices(variables):
    """(variable, slice spec) of each part of one partitioned variable, checked as TensorFlow checks them."""
    full_name = None
    for variable in variables:
        info = getattr(variable, "_save_slice_info", None)
        if not hasattr(variable, "_save_slice_info"):
            raise ValueError(f"Slices must all be Variables: {variable}")
        if not info:
            raise ValueError(f"Slices must all be slices: {variable}")
        if full_name is None:
            full_name = info.full_name
        elif full_name != info.full_name:
            raise ValueError(f"Slices must all be from the same tensor: {full_name} != {info.full_name}")
        yield variable, info.spec


def _all_saveable_objects(scope=None):
    return (ops.get_collection(ops.GraphKeys.GLOBAL_VARIABLES, scope)
            + ops.get_collection(ops.GraphKeys.SAVEABLE_OBJECTS, scope))


# -- the graph nodes ----------------------------------------------------------------------------------------------

def _placeholder_with_default_value(value, name):
    """A scalar string PlaceholderWithDefault ``name`` whose default is the Const ``name/input``, as in TF."""
    with ops.name_scope(name) as scope:
        default = constant_op.constant(value, name="input")
    return array_ops.placeholder_with_default(default, shape=(), name=scope)


class BulkSaverBuilder:
    """Adds a Saver's nodes to the graph, named and wired as TensorFlow's BulkSaverBuilder does."""

    def __init__(self, write_version=checkpoint_management.V2):
        if write_version != checkpoint_management.V2:
            raise errors.UnimplementedError(
                None, None, "minitf writes checkpoints in the V2 format only (write_version=tf.train.SaverDef.V2)")
        self._write_version = write_version

    def _add_save_ops(self, filename_tensor, saveables):
        save = io_ops.save_v2(filename_tensor, [s.name for s in saveables], [s.slice_spec for s in saveables],
                              [s.op for s in saveables])
        save_tensor = control_flow_ops.with_dependencies([save], filename_tensor)
        _colocate(save_tensor.op, filename_tensor.op)
        return save_tensor

    def _add_sharded_save_ops(self, checkpoint_prefix, per_device):
        """One SaveV2 per device into ``<prefix>_temp/part-0000K-of-0000N``, then MergeV2Checkpoints into
        ``<prefix>``; returns the prefix (TensorFlow's ``_AddShardedSaveOpsForV2``)."""
        with ops.device("/device:CPU:*"):
            sharded_suffix = array_ops.where(string_ops.regex_full_match(checkpoint_prefix, "^s3://.*"),
                                             constant_op.constant(".part"),
                                             constant_op.constant(os.path.normpath("_temp/part")))
            tmp_checkpoint_prefix = string_ops.string_join([checkpoint_prefix, sharded_suffix])
        num_shards_tensor = constant_op.constant(len(per_device), name="num_shards")
        sharded_saves, sharded_prefixes = [], []
        for shard, (device, saveables) in enumerate(per_device):
            with ops.device(_set_cpu0(device)):
                sharded_filename = io_ops.sharded_filename(tmp_checkpoint_prefix, shard, num_shards_tensor)
                sharded_prefixes.append(sharded_filename)
                sharded_saves.append(self._add_save_ops(sharded_filename, saveables))
        with ops.control_dependencies([x.op for x in sharded_saves]):
            with ops.device(_set_cpu0(per_device[-1][0])):
                merge_step = io_ops.merge_v2_checkpoints(sharded_prefixes, checkpoint_prefix, delete_old_dirs=True)
                with ops.control_dependencies([merge_step]):
                    return array_ops.identity(checkpoint_prefix)

    def _add_sharded_restore_ops(self, filename_tensor, per_device, reshape):
        sharded_restores = []
        for device, saveables in per_device:
            with ops.device(device):
                sharded_restores.append(self._add_restore_ops(filename_tensor, saveables, reshape,
                                                              name="restore_shard"))
        return control_flow_ops.group(*sharded_restores, name="restore_all")

    @staticmethod
    def _group_by_devices(saveables):
        """[(device, saveables on it)], sorted by (canonical) device name."""
        per_device = {}
        for saveable in saveables:
            per_device.setdefault(_canonical_device(saveable.op.device), []).append(saveable)
        return sorted(per_device.items(), key=lambda item: item[0])

    def _add_restore_ops(self, filename_tensor, saveables, reshape, name="restore_all"):
        with ops.device(_RESTORE_DEVICE):
            restored = io_ops.restore_v2(filename_tensor, [s.name for s in saveables],
                                         [s.slice_spec for s in saveables], [s.dtype for s in saveables])
        assign_ops = []
        for saveable, tensor in zip(saveables, restored):
            shape = None
            if reshape:
                shape = saveable.op.shape
                shape = shape.as_list() if shape.is_fully_defined() else array_ops.shape(saveable.op)
            assign_ops.append(saveable.restore(tensor, shape))
        return control_flow_ops.group(*assign_ops, name=name)

    def build(self, names_to_saveables, reshape=False, sharded=False, max_to_keep=5,
              keep_checkpoint_every_n_hours=10000.0, name=None, restore_sequentially=False, filename="model"):
        """Adds the save and restore nodes for ``names_to_saveables`` (dict or list); returns their SaverDef.

        ``restore_sequentially`` is ignored, as in TensorFlow's BulkSaverBuilder (one RestoreV2 reads them all).
        """
        if not isinstance(names_to_saveables, dict):
            names_to_saveables = op_list_to_dict(names_to_saveables)
        saveables = validate_and_slice_inputs(names_to_saveables)
        if max_to_keep is None:
            max_to_keep = 0
        with ops.name_scope(name, "save", [s.op for s in saveables]):
            filename_tensor = _placeholder_with_default_value(filename or "model", name="filename")
            # The name "Const" is TensorFlow's, kept for backwards compatibility.
            filename_tensor = array_ops.placeholder_with_default(filename_tensor, shape=(), name="Const")
            if sharded:
                per_device = self._group_by_devices(saveables)
                save_tensor = self._add_sharded_save_ops(filename_tensor, per_device)
                restore_op = self._add_sharded_restore_ops(filename_tensor, per_device, reshape)
            else:
                save_tensor = self._add_save_ops(filename_tensor, saveables)
                restore_op = self._add_restore_ops(filename_tensor, saveables, reshape)
        from minitf.proto import saver_pb2
        return saver_pb2.SaverDef(
            filename_tensor_name=filename_tensor.name, save_tensor_name=save_tensor.name,
            restore_op_name=restore_op.name, max_to_keep=max_to_keep, sharded=sharded,
            keep_checkpoint_every_n_hours=keep_checkpoint_every_n_hours, version=self._write_version)


# -- Saver ----------------------------------------------------------------------------------------------------------

def _prepend_name_scope(name, import_scope):
    """``ops.prepend_name_scope``: ``import_scope/name`` (keeping a leading ``^`` and the ``loc:@`` prefix)."""
    if not import_scope:
        return name
    match = re.match(r"^(\^?)(loc:@)?(.*)$", name)
    return "%s%s%s/%s" % (match.group(1), match.group(2) or "", import_scope.rstrip("/"), match.group(3))


def _strip_name_scope(name, export_scope):
    """``ops.strip_name_scope``: ``name`` without a leading ``export_scope/``."""
    if not export_scope:
        return name
    scope = export_scope.rstrip("/") + "/"
    return re.sub(r"^(\^?)" + re.escape(scope), r"\1", name, count=1)


def _wrap_restore_error(error, extra_verbiage, detail):
    message = ("Restoring from checkpoint failed. This is most likely due to {} from the checkpoint. Please ensure "
               "that you have not altered the graph expected based on the checkpoint. Original error:\n\n{}"
               .format(extra_verbiage, error.message))
    if detail:
        message += "\n" + detail
    return type(error)(error.node_def, error.op, message)


class Saver:
    """Saves and restores variables (``tf.compat.v1.train.Saver``)."""

    def __init__(self, var_list=None, reshape=False, sharded=False, max_to_keep=5,
                 keep_checkpoint_every_n_hours=10000.0, name=None, restore_sequentially=False, saver_def=None,
                 builder=None, defer_build=False, allow_empty=False, write_version=checkpoint_management.V2,
                 pad_step_number=False, save_relative_paths=False, filename=None):
        if defer_build and var_list:
            raise ValueError("If `var_list` is provided then build cannot be deferred. Either set defer_build=False "
                             "or var_list=None.")
        self._var_list = var_list
        self._reshape = reshape
        self._sharded = sharded
        self._max_to_keep = max_to_keep
        self._keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self._name = name
        self._restore_sequentially = restore_sequentially
        self.saver_def = saver_def
        self._builder = builder
        self._is_built = False
        self._allow_empty = allow_empty
        self._is_empty = None
        self._write_version = write_version
        self._pad_step_number = pad_step_number
        self._filename = filename
        self._last_checkpoints = []
        self._checkpoints_to_be_deleted = []
        self._next_checkpoint_time = None
        if not defer_build:
            self.build()
        if self.saver_def:
            self._check_saver_def()
            self._write_version = self.saver_def.version
        self._save_relative_paths = save_relative_paths

    def build(self):
        """Adds the save and restore nodes (once); called by the constructor unless ``defer_build``."""
        if self._is_built:
            return
        self._is_built = True
        if not self.saver_def:
            if self._builder is None:
                self._builder = BulkSaverBuilder(self._write_version)
            if self._var_list is None:
                self._var_list = _all_saveable_objects()
            if not self._var_list:
                if self._allow_empty:
                    self._is_empty = True
                    return
                raise ValueError("No variables to save")
            self._is_empty = False
            self.saver_def = self._builder.build(
                self._var_list, reshape=self._reshape, sharded=self._sharded, max_to_keep=self._max_to_keep,
                keep_checkpoint_every_n_hours=self._keep_checkpoint_every_n_hours, name=self._name,
                restore_sequentially=self._restore_sequentially, filename=self._filename)
        elif self._name:
            self.saver_def.filename_tensor_name = _prepend_name_scope(self.saver_def.filename_tensor_name,
                                                                      self._name)
            self.saver_def.save_tensor_name = _prepend_name_scope(self.saver_def.save_tensor_name, self._name)
            self.saver_def.restore_op_name = _prepend_name_scope(self.saver_def.restore_op_name, self._name)
        self._check_saver_def()
        self._next_checkpoint_time = time.time() + self.saver_def.keep_checkpoint_every_n_hours * 3600

    def _check_saver_def(self):
        from minitf.proto import saver_pb2
        if not isinstance(self.saver_def, saver_pb2.SaverDef):
            raise ValueError("saver_def must be a saver_pb2.SaverDef: %s" % self.saver_def)
        if not self.saver_def.save_tensor_name:
            raise ValueError("saver_def must specify the save_tensor_name: %s" % str(self.saver_def))
        if not self.saver_def.restore_op_name:
            raise ValueError("saver_def must specify the restore_op_name: %s" % str(self.saver_def))

    # -- the list of kept checkpoints --------------------------------------------------------------------------

    def _record_last_checkpoint(self, latest_save_path):
        """Appends the new checkpoint (moving it to the end if re-saved); queues the oldest beyond max_to_keep."""
        if not self.saver_def.max_to_keep:
            return
        self._last_checkpoints = [p for p in self._last_checkpoints if p[0] != latest_save_path]
        self._last_checkpoints.append((latest_save_path, time.time()))
        if len(self._last_checkpoints) > self.saver_def.max_to_keep:
            self._checkpoints_to_be_deleted.append(self._last_checkpoints.pop(0))

    def _maybe_delete_old_checkpoints(self, meta_graph_suffix="meta"):
        """Deletes the oldest queued checkpoint, unless keep_checkpoint_every_n_hours keeps it."""
        if not self._checkpoints_to_be_deleted:
            return
        path, timestamp = self._checkpoints_to_be_deleted.pop(0)
        if timestamp > self._next_checkpoint_time:
            self._next_checkpoint_time += self.saver_def.keep_checkpoint_every_n_hours * 3600
            return
        try:
            checkpoint_management.remove_checkpoint(path, self.saver_def.version, meta_graph_suffix)
        except OSError as error:
            logging.warning("Ignoring: %s", error)

    @property
    def last_checkpoints(self):
        """The not-yet-deleted checkpoint prefixes, oldest first."""
        return [path for path, _ in self._last_checkpoints]

    def set_last_checkpoints(self, last_checkpoints):
        """Deprecated: sets the kept checkpoints (they are never kept by keep_checkpoint_every_n_hours)."""
        if not isinstance(last_checkpoints, list):
            raise AssertionError("last_checkpoints must be a list")
        self._last_checkpoints = [(path, np.inf) for path in last_checkpoints]

    def set_last_checkpoints_with_time(self, last_checkpoints_with_time):
        """Sets the kept checkpoints as ``(prefix, timestamp)`` pairs."""
        if not isinstance(last_checkpoints_with_time, list):
            raise AssertionError("last_checkpoints_with_time must be a list")
        self._last_checkpoints = last_checkpoints_with_time

    def recover_last_checkpoints(self, checkpoint_paths):
        """Restores the kept-checkpoint list after a restart, from the prefixes whose files still exist."""
        checkpoints_with_mtimes = []
        for path in checkpoint_paths:
            mtimes = checkpoint_management.get_checkpoint_mtimes([path])
            if mtimes:
                checkpoints_with_mtimes.append((path, mtimes[0]))
        self.set_last_checkpoints_with_time(checkpoints_with_mtimes)

    # -- SaverDef ---------------------------------------------------------------------------------------------

    def as_saver_def(self):
        return self.saver_def

    def to_proto(self, export_scope=None):
        """The SaverDef, with ``export_scope/`` stripped from its names (None if they are outside the scope)."""
        if export_scope is None:
            return self.saver_def
        names = (self.saver_def.filename_tensor_name, self.saver_def.save_tensor_name,
                 self.saver_def.restore_op_name)
        if not all(name.startswith(export_scope) for name in names):
            return None
        from minitf.proto import saver_pb2
        saver_def = saver_pb2.SaverDef()
        saver_def.CopyFrom(self.saver_def)
        saver_def.filename_tensor_name = _strip_name_scope(saver_def.filename_tensor_name, export_scope)
        saver_def.save_tensor_name = _strip_name_scope(saver_def.save_tensor_name, export_scope)
        saver_def.restore_op_name = _strip_name_scope(saver_def.restore_op_name, export_scope)
        return saver_def

    @staticmethod
    def from_proto(saver_def, import_scope=None):
        return Saver(saver_def=saver_def, name=import_scope)

    # -- save and restore ----------------------------------------------------------------------------------------

    def save(self, sess, save_path, global_step=None, latest_filename=None, meta_graph_suffix="meta",
             write_meta_graph=True, write_state=True, strip_default_attrs=False, save_debug_info=False):
        """Saves the variables to ``save_path[-global_step]`` and returns that prefix (None for an empty Saver).

        Files are replaced in this order: data, index (by SaveV2), ``.meta``, the state file; then the oldest
        checkpoint beyond ``max_to_keep`` is deleted. (``save_debug_info`` is accepted and ignored: minitf records
        no GraphDebugInfo.)
        """
        if not self._is_built:
            raise RuntimeError("`build()` should be called before save if defer_build==True")
        if latest_filename is None:
            latest_filename = "checkpoint"
        if os.path.split(latest_filename)[0]:
            raise ValueError("'latest_filename' must not contain path components")
        save_path = os.fspath(save_path)
        if isinstance(save_path, bytes):
            save_path = save_path.decode("utf-8")
        if global_step is not None:
            if not isinstance(global_step, (numbers.Integral, np.integer)):
                global_step = training_util.global_step(sess, global_step)
            checkpoint_file = "%s-%d" % (save_path, global_step)
            if self._pad_step_number:
                checkpoint_file = "%s-%s" % (save_path, "{:08d}".format(global_step))
        else:
            checkpoint_file = save_path
            if os.path.basename(save_path) == latest_filename and not self._sharded:
                raise ValueError("'latest_filename' collides with 'save_path': '%s' and '%s'"
                                 % (latest_filename, save_path))
        if not isinstance(sess, session_lib.BaseSession):
            raise TypeError("'sess' must be a Session; %s" % sess)

        save_path_parent = os.path.dirname(save_path)
        model_checkpoint_path = None
        if not self._is_empty:
            try:
                model_checkpoint_path = sess.run(self.saver_def.save_tensor_name,
                                                 {self.saver_def.filename_tensor_name: checkpoint_file})
            except (errors.FailedPreconditionError, errors.NotFoundError) as exc:
                if not os.path.isdir(save_path_parent):  # as in TF, also for "" (the current directory)
                    raise ValueError("Parent directory of {} doesn't exist, can't save.".format(save_path)) from exc
                raise
            if isinstance(model_checkpoint_path, bytes):
                model_checkpoint_path = model_checkpoint_path.decode("utf-8")
        if write_meta_graph:
            meta_graph_file = checkpoint_management.meta_graph_filename(checkpoint_file, meta_graph_suffix)
            with sess.graph.as_default():
                self.export_meta_graph(meta_graph_file, strip_default_attrs=strip_default_attrs)
        if not self._is_empty and write_state:
            self._record_last_checkpoint(model_checkpoint_path)
            checkpoint_management.update_checkpoint_state_internal(
                save_dir=save_path_parent, model_checkpoint_path=model_checkpoint_path,
                all_model_checkpoint_paths=self.last_checkpoints, latest_filename=latest_filename,
                save_relative_paths=self._save_relative_paths)
            self._maybe_delete_old_checkpoints(meta_graph_suffix=meta_graph_suffix)
        return model_checkpoint_path

    def _restore_targets(self, graph):
        """{checkpoint key: variable name} read from this Saver's restore nodes, to name variables in errors."""
        targets = {}
        pending = [graph.as_graph_element(self.saver_def.restore_op_name)]
        assigns = []
        while pending:  # restore_all -> (per device NoOps ->) restore_shard NoOps -> Assigns, when sharded
            for op in pending.pop().control_inputs:
                if op.type == "NoOp":
                    pending.append(op)
                elif op.type == "Assign":
                    assigns.append(op)
        for assign in assigns:
            restored = assign.inputs[1]
            while restored.op.type == "Reshape":
                restored = restored.op.inputs[0]
            if restored.op.type != "RestoreV2":
                continue
            names = restored.op.inputs[1].op
            if names.type != "Const":
                continue
            key = names.get_attr("value").reshape(-1)[restored.value_index]
            targets[key.decode("utf-8") if isinstance(key, bytes) else key] = assign.inputs[0].op.name
        return targets

    def _describe_failed_variable(self, sess, error):
        """A sentence naming the variable (and its checkpoint key) that ``error`` is about, or ``""``."""
        try:
            targets = self._restore_targets(sess.graph)
        except (KeyError, ValueError, TypeError):
            return ""
        op = error.op
        if op is not None and op.type == "Assign":
            variable = op.inputs[0].op.name
            keys = [key for key, name in targets.items() if name == variable]
            if keys:
                return "(while restoring variable '%s' from checkpoint key '%s')" % (variable, keys[0])
            return "(while restoring variable '%s')" % variable
        match = re.match(r"(?:tensor_name = (.+?); |Key (.+) not found in checkpoint)", error.message)
        key = match and (match.group(1) or match.group(2))
        if key in targets:
            return "(while restoring variable '%s' from checkpoint key '%s')" % (targets[key], key)
        return ""

    def restore(self, sess, save_path):
        """Restores the variables from the checkpoint ``save_path``; they count as initialised afterwards."""
        if self._is_empty:
            return
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        checkpoint_prefix = os.fspath(save_path)
        if isinstance(checkpoint_prefix, bytes):
            checkpoint_prefix = checkpoint_prefix.decode("utf-8")
        if not checkpoint_management.checkpoint_exists_internal(checkpoint_prefix):
            raise ValueError("The passed save_path is not a valid checkpoint: " + checkpoint_prefix)
        logging.info("Restoring parameters from %s", checkpoint_prefix)
        try:
            sess.run(self.saver_def.restore_op_name, {self.saver_def.filename_tensor_name: checkpoint_prefix})
        except errors.NotFoundError as err:
            raise _wrap_restore_error(err, "a Variable name or other graph key that is missing",
                                      self._describe_failed_variable(sess, err)) from None
        except errors.InvalidArgumentError as err:
            raise _wrap_restore_error(err, "a mismatch between the current graph and the graph",
                                      self._describe_failed_variable(sess, err)) from None

    # -- meta graphs ------------------------------------------------------------------------------------------

    def export_meta_graph(self, filename=None, collection_list=None, as_text=False, export_scope=None,
                          clear_devices=False, clear_extraneous_savers=False, strip_default_attrs=False,
                          save_debug_info=False):
        """The MetaGraphDef of the default graph with this Saver's SaverDef; written to ``filename`` if given."""
        from minitf.framework import meta_graph
        graph = ops.get_default_graph()
        options = {}
        if export_scope is not None:
            options["export_scope"] = export_scope
        if clear_extraneous_savers:
            options["clear_extraneous_savers"] = True
        if strip_default_attrs:
            options["strip_default_attrs"] = True
        meta_graph_def = meta_graph.export_meta_graph(
            filename=None, graph_def=graph.as_graph_def(add_shapes=True), saver_def=self.saver_def,
            collection_list=collection_list, graph=graph, clear_devices=clear_devices, **options)
        if filename:
            write_meta_graph_file(filename, meta_graph_def, as_text)
        return meta_graph_def


def write_meta_graph_file(filename, meta_graph_def, as_text=False):
    """Writes a MetaGraphDef (binary, or text format if ``as_text``) atomically."""
    from google.protobuf import text_format
    directory = os.path.dirname(filename)
    if directory:
        os.makedirs(directory, exist_ok=True)
    contents = (text_format.MessageToString(meta_graph_def) if as_text
                else meta_graph_def.SerializeToString(deterministic=True))
    checkpoint_management.atomic_write(filename, contents)


def import_meta_graph(meta_graph_or_file, clear_devices=False, import_scope=None, **kwargs):
    """Imports a MetaGraphDef (proto or file) into the default graph; returns a Saver for it, or None.

    The Saver comes from the meta graph's SaverDef; without one, a new Saver is built for the imported variables
    (None when there are none).
    """
    from minitf.framework import meta_graph
    from minitf.proto import meta_graph_pb2
    if isinstance(meta_graph_or_file, meta_graph_pb2.MetaGraphDef):
        meta_graph_def = meta_graph_or_file
    else:
        meta_graph_def = meta_graph.read_meta_graph_file(meta_graph_or_file)
    imported_vars = meta_graph.import_scoped_meta_graph(
        meta_graph_def, clear_devices=clear_devices, import_scope=import_scope, **kwargs)
    return _create_saver_from_imported_meta_graph(meta_graph_def, import_scope, imported_vars or {})


def _create_saver_from_imported_meta_graph(meta_graph_def, import_scope, imported_vars):
    if meta_graph_def.HasField("saver_def"):
        scope = import_scope
        if imported_vars:
            sample_key = next(iter(imported_vars))
            scope = imported_vars[sample_key].name[:-len(sample_key)]
        return Saver(saver_def=meta_graph_def.saver_def, name=scope)
    if _all_saveable_objects(scope=import_scope):
        return Saver()
    logging.info("Saver not created because there are no variables in the graph to restore")
    return None


# The SAVERS collection (Scaffold's default saver lives there) goes into a MetaGraphDef as SaverDefs, as in TensorFlow.
meta_graph.register_proto_function(ops.GraphKeys.SAVERS, lambda: saver_pb2.SaverDef,
                                   lambda saver, export_scope=None: saver.to_proto(export_scope), Saver.from_proto)
