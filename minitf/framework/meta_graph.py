"""MetaGraphDef export and import (TensorFlow's ``framework/meta_graph.py``): a GraphDef plus the graph's
collections, the SaverDef and version information, as the ``.meta`` file a Saver writes.

Collections are stored as TensorFlow stores them: variables as serialized ``VariableDef`` protos
(``bytes_list``), Tensors and Operations by name (``node_list``), Python ints, floats and strings as
``int64_list``, ``float_list`` and ``bytes_list``.
"""

import os

from minitf.framework import errors, ops

TENSORFLOW_VERSION = "2.21.0"  # the TensorFlow whose formats and graphs minitf reproduces

# The collections of variables (ops/variables.py registers how their members are saved as VariableDefs).
VARIABLE_COLLECTIONS = (ops.GraphKeys.GLOBAL_VARIABLES, ops.GraphKeys.TRAINABLE_VARIABLES,
                        ops.GraphKeys.MOVING_AVERAGE_VARIABLES, ops.GraphKeys.LOCAL_VARIABLES,
                        ops.GraphKeys.MODEL_VARIABLES, ops.GraphKeys.GLOBAL_STEP, "metric_variables")
# Collections whose members are saved as protos: key -> (proto class loader, to_proto, from_proto).
_proto_functions = {}


def register_proto_function(collection_name, proto_loader=None, to_proto=None, from_proto=None):
    """Declares how members of ``collection_name`` are saved (``to_proto``) and rebuilt (``from_proto``).

    ``proto_loader()`` returns the proto class (loaded lazily, so that importing minitf stays fast).
    """
    _proto_functions[collection_name] = (proto_loader, to_proto, from_proto)


def strip_name_scope(name, export_scope):
    """``name`` without the leading ``export_scope/`` (TensorFlow's ops.strip_name_scope)."""
    return _strip_scope(name, export_scope)


def prepend_name_scope(name, import_scope):
    """``import_scope/name`` (TensorFlow's ops.prepend_name_scope)."""
    return _prepend_scope(name, import_scope)


def _strip_scope(name, scope):
    if not scope:
        return name
    prefix = scope.rstrip("/") + "/"
    if name.startswith("^" + prefix):
        return "^" + name[len(prefix):]
    return name[len(prefix):] if name.startswith(prefix) else name


def _prepend_scope(name, scope):
    if not scope:
        return name
    return scope.rstrip("/") + "/" + name


def _kind_of(value):
    if isinstance(value, int):  # bools too, stored as 0 and 1 as TensorFlow does
        return "int64_list"
    if isinstance(value, float):
        return "float_list"
    if isinstance(value, (str, bytes)):
        return "bytes_list"
    if hasattr(value, "name") and hasattr(value, "graph"):
        return "node_list"
    return None


def _add_collection_def(meta_graph_def, key, graph, export_scope):
    """Adds one collection, skipping (as TensorFlow does, with a warning) what cannot be serialized."""
    members = [m for m in graph.get_collection(key)
               if not export_scope or not hasattr(m, "name") or m.name.startswith(export_scope)]
    if not members:
        return
    col_def = meta_graph_def.collection_def[key]
    if key in _proto_functions:
        _, to_proto, _ = _proto_functions[key]
        for member in members:
            proto = to_proto(member, export_scope=export_scope)
            if proto is not None:
                col_def.bytes_list.value.append(proto.SerializeToString(deterministic=True))
        return
    kind = _kind_of(members[0])
    if kind is None or any(_kind_of(m) != kind for m in members):
        from minitf.platform import tf_logging
        tf_logging.warning("Issue encountered when serializing %s.\nType is unsupported, or the types of the items "
                           "don't match field type in CollectionDef.", key)
        del meta_graph_def.collection_def[key]
        return
    field = getattr(col_def, kind)
    if kind == "node_list":
        field.value.extend(_strip_scope(m.name, export_scope) for m in members)
    elif kind == "bytes_list":
        field.value.extend(m.encode("utf-8") if isinstance(m, str) else m for m in members)
    else:
        field.value.extend(members)


def export_meta_graph(filename=None, meta_info_def=None, graph_def=None, saver_def=None, collection_list=None,
                      as_text=False, graph=None, export_scope=None, clear_devices=False,
                      clear_extraneous_savers=False, strip_default_attrs=False, save_debug_info=False, **kwargs):
    """``tf.train.export_meta_graph``: the MetaGraphDef of ``graph`` (default graph), written to ``filename``."""
    from minitf.framework import graph_io
    from minitf.proto import meta_graph_pb2
    graph = graph or ops.get_default_graph()
    meta_graph_def = meta_graph_pb2.MetaGraphDef()
    if meta_info_def is not None:
        meta_graph_def.meta_info_def.CopyFrom(meta_info_def)
    meta_graph_def.meta_info_def.tensorflow_version = TENSORFLOW_VERSION
    meta_graph_def.meta_info_def.tensorflow_git_version = "minitf"
    if graph_def is None:
        graph_def = graph_io.graph_to_graph_def(graph, add_shapes=True)
    meta_graph_def.graph_def.CopyFrom(graph_def)
    if export_scope:
        kept = [n for n in meta_graph_def.graph_def.node if n.name.startswith(export_scope.rstrip("/") + "/")]
        del meta_graph_def.graph_def.node[:]
        for node in kept:
            node.name = _strip_scope(node.name, export_scope)
            node.input[:] = [_strip_scope(i, export_scope) for i in node.input]
        meta_graph_def.graph_def.node.extend(kept)
    if clear_devices:
        for node in meta_graph_def.graph_def.node:
            node.device = ""
    if strip_default_attrs:
        _strip_default_attrs(meta_graph_def)
    if saver_def is not None:
        meta_graph_def.saver_def.CopyFrom(saver_def)
    keys = graph.get_all_collection_keys() if collection_list is None else collection_list
    for key in keys:
        if key == ops.GraphKeys.SAVERS and clear_extraneous_savers:
            continue
        _add_collection_def(meta_graph_def, key, graph, export_scope)
    if filename:
        _write(filename, meta_graph_def, as_text)
    return meta_graph_def


def _strip_default_attrs(meta_graph_def):
    """Removes attrs equal to their op's registered default and says so in meta_info_def, as TensorFlow does."""
    from minitf.framework import graph_io, op_registry
    for node in meta_graph_def.graph_def.node:
        try:
            defaults = op_registry.get(node.op).attr_defaults
        except ValueError:  # an op minitf does not know: kept as it is
            continue
        for key in [k for k in node.attr if k in defaults and node.attr[k] == graph_io.attr_value(defaults[k])]:
            del node.attr[key]
    meta_graph_def.meta_info_def.stripped_default_attrs = True


def _write(filename, meta_graph_def, as_text):
    directory = os.path.dirname(filename)
    if directory:
        os.makedirs(directory, exist_ok=True)
    if as_text:
        from google.protobuf import text_format
        with open(filename, "w") as f:
            f.write(text_format.MessageToString(meta_graph_def))
    else:
        with open(filename, "wb") as f:
            f.write(meta_graph_def.SerializeToString(deterministic=True))


def read_meta_graph_file(filename):
    """Reads a binary or text MetaGraphDef; IOError if missing, DataLossError if it is neither."""
    from google.protobuf import message, text_format
    from minitf.proto import meta_graph_pb2
    if not os.path.exists(filename):
        raise IOError(f"File {filename} does not exist.")
    with open(filename, "rb") as f:
        data = f.read()
    meta_graph_def = meta_graph_pb2.MetaGraphDef()
    try:
        meta_graph_def.ParseFromString(data)
        return meta_graph_def
    except message.DecodeError:
        pass
    try:
        text_format.Merge(data.decode("utf-8"), meta_graph_def)
    except (UnicodeDecodeError, text_format.ParseError) as e:
        raise errors.DataLossError(None, None, f"Cannot parse file {filename}: neither a binary nor a text "
                                                f"MetaGraphDef ({e})") from None
    return meta_graph_def


def import_scoped_meta_graph(meta_graph_or_file, clear_devices=False, graph=None, import_scope=None,
                             input_map=None, unbound_inputs_col_name="unbound_inputs",
                             restore_collections_predicate=lambda key: True):
    """Imports a MetaGraphDef's graph and collections into ``graph``; returns its variables by (unscoped) name."""
    from google.protobuf import message
    from minitf.framework import graph_io
    from minitf.proto import meta_graph_pb2
    if isinstance(meta_graph_or_file, meta_graph_pb2.MetaGraphDef):
        meta_graph_def = meta_graph_or_file
    else:
        meta_graph_def = read_meta_graph_file(meta_graph_or_file)
    graph = graph or ops.get_default_graph()
    with graph.as_default():
        graph_def = meta_graph_def.graph_def
        if clear_devices:
            graph_def = type(graph_def).FromString(graph_def.SerializeToString())
            for node in graph_def.node:
                node.device = ""
        scope = graph.unique_name(import_scope or "", mark_as_used=False)
        graph_io.import_graph_def(graph_def, input_map=input_map, name=import_scope or scope)
        rebuilt = {}
        for key, col_def in sorted(meta_graph_def.collection_def.items()):
            if key == unbound_inputs_col_name or not restore_collections_predicate(key):
                continue
            kind = col_def.WhichOneof("kind")
            if kind is None:
                continue
            if key in VARIABLE_COLLECTIONS and kind != "bytes_list":
                raise ValueError(f"Collection '{key}' must hold serialized VariableDefs (a bytes_list), not a "
                                 f"{kind}")
            if kind == "bytes_list" and key in _proto_functions:
                proto_loader, _, from_proto = _proto_functions[key]
                for value in col_def.bytes_list.value:
                    member = rebuilt.get(value) if key in VARIABLE_COLLECTIONS else None
                    if member is None:
                        proto = proto_loader()()
                        try:
                            proto.ParseFromString(value)
                        except message.DecodeError as e:
                            raise errors.DataLossError(None, None, f"Cannot parse a member of collection "
                                                                   f"'{key}': {e}") from None
                        member = from_proto(proto, import_scope=scope)
                        rebuilt[value] = member
                    graph.add_to_collection(key, member)
            elif kind == "node_list":
                for value in col_def.node_list.value:
                    graph.add_to_collection(key, graph.as_graph_element(_prepend_scope(value, scope)))
            elif kind == "int64_list":
                for value in col_def.int64_list.value:
                    graph.add_to_collection(key, int(value))
            else:
                for value in getattr(col_def, kind).value:
                    graph.add_to_collection(key, value)
        variables = graph.get_collection(ops.GraphKeys.GLOBAL_VARIABLES, scope=scope or None)
        return {_strip_scope(v.name, scope): v for v in variables}
