"""The ``checkpoint`` state file and checkpoint files on disk (TensorFlow's ``checkpoint_management.py``).

The state file is a text-format ``CheckpointState`` naming the latest checkpoint prefix and every kept one, oldest
first. It is replaced atomically: written in full to a temporary file beside it, fsynced, then renamed.
"""

import os
import re

from minitf.platform import tf_logging as logging

# ``SaverDef.V1`` and ``SaverDef.V2`` (minitf/proto/saver.proto); the protobuf modules load when first needed.
V1 = 1
V2 = 2


def _checkpoint_state_filename(save_dir, latest_filename):
    return os.path.join(save_dir, latest_filename or "checkpoint")


def atomic_write(path, contents):
    """Replaces ``path`` with ``contents`` (bytes or str): temporary file, fsync, rename, directory fsync.

    The temporary file is named as TensorFlow's ``atomic_write_string_to_file`` names it: ``path.tmp<hex>``.
    """
    if isinstance(contents, str):
        contents = contents.encode("utf-8")
    import uuid  # only writing a checkpoint state file needs it
    temp_path = "%s.tmp%s" % (path, uuid.uuid4().hex)
    fd = os.open(temp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(contents)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_path, path)
    except BaseException:
        if os.path.exists(temp_path):
            os.remove(temp_path)
        raise
    if os.name == "posix":
        dir_fd = os.open(os.path.dirname(path) or ".", os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def generate_checkpoint_state_proto(save_dir, model_checkpoint_path, all_model_checkpoint_paths=None,
                                    all_model_checkpoint_timestamps=None, last_preserved_timestamp=None):
    """A CheckpointState whose paths are relative to ``save_dir`` when ``save_dir`` is relative.

    ``model_checkpoint_path`` is appended to ``all_model_checkpoint_paths`` unless it is already its last entry.
    """
    if all_model_checkpoint_paths is None:
        all_model_checkpoint_paths = []
    if not all_model_checkpoint_paths or all_model_checkpoint_paths[-1] != model_checkpoint_path:
        logging.info("%s is not in all_model_checkpoint_paths. Manually adding it.", model_checkpoint_path)
        all_model_checkpoint_paths.append(model_checkpoint_path)
    if all_model_checkpoint_timestamps and len(all_model_checkpoint_timestamps) != len(all_model_checkpoint_paths):
        raise ValueError("Checkpoint timestamps, if provided, must match checkpoint paths (got paths %s and "
                         "timestamps %s)" % (all_model_checkpoint_paths, all_model_checkpoint_timestamps))
    if not os.path.isabs(save_dir):
        if not os.path.isabs(model_checkpoint_path):
            model_checkpoint_path = os.path.relpath(model_checkpoint_path, save_dir)
        for i, path in enumerate(all_model_checkpoint_paths):
            if not os.path.isabs(path):
                all_model_checkpoint_paths[i] = os.path.relpath(path, save_dir)
    from minitf.proto.checkpoint_state_pb2 import CheckpointState
    return CheckpointState(model_checkpoint_path=model_checkpoint_path,
                           all_model_checkpoint_paths=all_model_checkpoint_paths,
                           all_model_checkpoint_timestamps=all_model_checkpoint_timestamps,
                           last_preserved_timestamp=last_preserved_timestamp)


def update_checkpoint_state_internal(save_dir, model_checkpoint_path, all_model_checkpoint_paths=None,
                                     latest_filename=None, save_relative_paths=False,
                                     all_model_checkpoint_timestamps=None, last_preserved_timestamp=None):
    """Writes the state file ``save_dir/latest_filename`` (``checkpoint`` by default), atomically."""
    state_path = _checkpoint_state_filename(save_dir, latest_filename)
    if save_relative_paths:
        def relative(path):
            return os.path.relpath(path, save_dir) if os.path.isabs(path) else path
        model_checkpoint_path = relative(model_checkpoint_path)
        all_model_checkpoint_paths = [relative(p) for p in all_model_checkpoint_paths or []]
    state = generate_checkpoint_state_proto(
        save_dir, model_checkpoint_path, all_model_checkpoint_paths=all_model_checkpoint_paths,
        all_model_checkpoint_timestamps=all_model_checkpoint_timestamps,
        last_preserved_timestamp=last_preserved_timestamp)
    if state_path == state.model_checkpoint_path:
        raise RuntimeError("Save path '%s' conflicts with path used for checkpoint state.  Please use a different "
                           "save path." % model_checkpoint_path)
    from google.protobuf import text_format
    atomic_write(state_path, text_format.MessageToString(state))


def update_checkpoint_state(save_dir, model_checkpoint_path, all_model_checkpoint_paths=None, latest_filename=None,
                            all_model_checkpoint_timestamps=None, last_preserved_timestamp=None):
    """``tf.train.update_checkpoint_state``: rewrites the state file (paths kept absolute if given absolute)."""
    update_checkpoint_state_internal(
        save_dir=save_dir, model_checkpoint_path=model_checkpoint_path,
        all_model_checkpoint_paths=all_model_checkpoint_paths, latest_filename=latest_filename,
        save_relative_paths=False, all_model_checkpoint_timestamps=all_model_checkpoint_timestamps,
        last_preserved_timestamp=last_preserved_timestamp)


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    """The CheckpointState in ``checkpoint_dir``, with relative paths joined to ``checkpoint_dir``.

    Returns None when there is no state file or it cannot be parsed; raises ValueError when it names no
    checkpoint (UnicodeDecodeError, a ValueError, when it is not UTF-8).
    """
    from google.protobuf import text_format
    from minitf.proto.checkpoint_state_pb2 import CheckpointState
    checkpoint_dir = os.fspath(checkpoint_dir)
    state_path = _checkpoint_state_filename(checkpoint_dir, latest_filename)
    if not os.path.isfile(state_path):
        return None
    try:
        with open(state_path, "rb") as state_file:
            contents = state_file.read()
        state = CheckpointState()
        text_format.Merge(contents.decode("utf-8"), state)  # invalid UTF-8 raises UnicodeDecodeError, as in TF
    except (OSError, text_format.ParseError) as error:
        logging.warning("%s: %s", type(error).__name__, error)
        logging.warning("%s: Checkpoint ignored", state_path)
        return None
    if not state.model_checkpoint_path:
        raise ValueError("Invalid checkpoint state loaded from " + checkpoint_dir)
    if not os.path.isabs(state.model_checkpoint_path):
        state.model_checkpoint_path = os.path.join(checkpoint_dir, state.model_checkpoint_path)
    for i, path in enumerate(state.all_model_checkpoint_paths):
        if not os.path.isabs(path):
            state.all_model_checkpoint_paths[i] = os.path.join(checkpoint_dir, path)
    return state


def _prefix_to_checkpoint_path(prefix, format_version):
    """The file that identifies a checkpoint: ``prefix.index`` for V2, the prefix itself for V1."""
    return prefix + ".index" if format_version == V2 else prefix


def _matching_files(pattern):
    """TensorFlow's ``get_matching_files`` for a glob pattern (``?`` and ``*`` wildcards; ``[`` taken literally)."""
    import glob  # imported on first use
    return sorted(glob.glob(glob.escape(pattern).replace("[?]", "?").replace("[*]", "*")))


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The prefix of the latest checkpoint named by the state file in ``checkpoint_dir``, or None."""
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state and state.model_checkpoint_path:
        prefix = state.model_checkpoint_path
        if _matching_files(_prefix_to_checkpoint_path(prefix, V2)) or _matching_files(prefix):
            return prefix
        logging.error("Couldn't match files for checkpoint %s", prefix)
    return None


def checkpoint_exists_internal(checkpoint_prefix):
    return bool(_matching_files(_prefix_to_checkpoint_path(checkpoint_prefix, V2))
                or _matching_files(checkpoint_prefix))


def checkpoint_exists(checkpoint_prefix):
    """``tf.train.checkpoint_exists``: True if ``prefix.index`` (or a V1 file named ``prefix``) exists."""
    return checkpoint_exists_internal(checkpoint_prefix)


def get_checkpoint_mtimes(checkpoint_prefixes):
    """The modification times (seconds since the epoch) of the checkpoints that exist, in the given order."""
    mtimes = []
    for prefix in checkpoint_prefixes:
        for pattern in (_prefix_to_checkpoint_path(prefix, V2), prefix):
            names = _matching_files(pattern)
            if names:
                mtimes.append(os.stat(names[0]).st_mtime_ns / 1e9)
                break
    return mtimes


def meta_graph_filename(checkpoint_filename, meta_graph_suffix="meta"):
    """``prefix.meta`` for the checkpoint ``prefix`` (a sharded ``-?????-of-N`` suffix is dropped)."""
    basename = re.sub(r"-[\d\?]+-of-\d+$", "", checkpoint_filename)
    return ".".join([basename, meta_graph_suffix])


def _delete_files_matching(pattern):
    for path in _matching_files(pattern):
        try:
            os.remove(path)
        except FileNotFoundError:
            logging.warning("Hit NotFoundError when deleting '%s', possibly because another process/thread is "
                            "also deleting/moving the same file", path)


def remove_checkpoint(checkpoint_prefix, checkpoint_format_version=V2, meta_graph_suffix="meta"):
    """Deletes ``prefix.meta``, ``prefix.index`` and ``prefix.data-?????-of-?????`` (V2)."""
    _delete_files_matching(meta_graph_filename(checkpoint_prefix, meta_graph_suffix))
    if checkpoint_format_version == V2:
        _delete_files_matching(checkpoint_prefix + ".index")
        _delete_files_matching(checkpoint_prefix + ".data-?????-of-?????")
    else:
        _delete_files_matching(checkpoint_prefix)
