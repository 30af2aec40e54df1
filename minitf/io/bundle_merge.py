"""Merging V2 checkpoints: what TensorFlow's ``MergeV2Checkpoints`` kernel does (``MergeBundles`` in
``util/tensor_bundle/tensor_bundle.cc``) after a sharded Saver's ``SaveV2`` ops wrote one bundle per device.

Each input prefix (``<prefix>_temp/part-0000K-of-0000N``) is a complete bundle. The merge gives every input data file
a shard number in the order the inputs list them, renames the data files to ``<prefix>.data-0000K-of-0000N``, and
writes one index holding every entry with its new shard number. With one input the merged index has the same bytes
as the input's (and as an unsharded save's). Unlike TensorFlow, which writes the merged index in place, minitf writes
it to a temporary file and renames it into place, so a crash never leaves a partial index under the final name.
"""

import os

from minitf.framework import errors
from minitf.io import bundle, sstable


def _read_index(prefix):
    """(BundleHeaderProto, [(key bytes, BundleEntryProto)]) of the bundle ``prefix``."""
    from minitf.proto import tensor_bundle_pb2
    index_path = bundle.index_filename(prefix)
    try:
        with open(index_path, "rb") as index_file:
            items = iter(sstable.TableReader(index_file.read()))
    except OSError as error:
        raise bundle._os_error(error, index_path) from None
    header_key, header_bytes = next(items, (None, None))
    if header_key != b"":
        raise errors.DataLossError(None, None, "Unable to read file (%s): failed to seek to header entry"
                                   % index_path)
    header = tensor_bundle_pb2.BundleHeaderProto.FromString(header_bytes)
    return header, [(key, tensor_bundle_pb2.BundleEntryProto.FromString(value)) for key, value in items]


def merge_bundles(prefixes, merged_prefix, delete_old_dirs=True):
    """Merges the bundles ``prefixes`` into the checkpoint ``merged_prefix`` and deletes the inputs' indexes (and,
    with ``delete_old_dirs``, their directories when that leaves them empty)."""
    from minitf.proto import tensor_bundle_pb2
    merged_header = None
    shard_ids = {}  # input data file -> merged shard number
    entries = {}
    for prefix in prefixes:
        header, items = _read_index(prefix)
        if merged_header is None:
            merged_header = tensor_bundle_pb2.BundleHeaderProto()
            merged_header.CopyFrom(header)
            merged_header.num_shards = 0
        elif header.endianness != merged_header.endianness:
            raise errors.InvalidArgumentError(None, None, "Merging bundles with conflicting endianness; inputs "
                                              "corrupted?")
        merged_header.num_shards += header.num_shards
        for key, entry in items:
            if key in entries and not len(entries[key].slices):
                raise errors.InvalidArgumentError(
                    None, None, "Duplicate tensor keyed by %s encountered, when merging prefix: %s"
                    % (key.decode("utf-8", "replace"), prefix))
            if key in entries:  # a partitioned tensor with slices in several shards: one entry lists them all
                if not len(entry.slices):
                    raise errors.InternalError(
                        None, None, "Duplicate tensor keyed by %s; attempting to merge in a non-slice bundle entry"
                        % key.decode("utf-8", "replace"))
                entries[key].slices.extend(entry.slices)
                continue
            data_file = bundle.data_filename(prefix, entry.shard_id, header.num_shards)
            entry.shard_id = shard_ids.setdefault(data_file, len(shard_ids))
            entries[key] = entry
    directory = os.path.dirname(merged_prefix) or "."
    bundle.make_directory(directory)
    table = [(b"", merged_header.SerializeToString(deterministic=True))]
    table += [(key, entries[key].SerializeToString(deterministic=True)) for key in sorted(entries)]
    index_path = bundle.index_filename(merged_prefix)
    index_temp = bundle._write_temp_file(index_path, lambda out: sstable.write_table(out, table))
    old_files = []
    try:
        for data_file, shard_id in shard_ids.items():
            target = bundle.data_filename(merged_prefix, shard_id, len(shard_ids))
            old_files.append(bundle._link_aside(target))
            try:
                os.replace(data_file, target)
            except OSError as error:
                raise bundle._os_error(error, data_file) from None
    except BaseException:
        os.remove(index_temp)
        raise
    os.replace(index_temp, index_path)
    for old in old_files:
        if old is not None:
            os.remove(old)
    bundle._fsync_directory(directory)
    for prefix in prefixes:
        try:
            os.remove(bundle.index_filename(prefix))
            if delete_old_dirs:
                os.rmdir(os.path.dirname(prefix))
        except OSError:  # best effort, as in TensorFlow
            pass
