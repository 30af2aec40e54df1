"""Print minitf .proto files from TensorFlow 2.21's compiled descriptors (run with ~/tfref/bin/python).

TensorBoard's projector_config.proto (installed with TensorFlow) is printed the same way.

Each output file keeps TensorFlow's messages, field names/numbers/types, enums and declaration order; the package
becomes `minitf`, imports are rooted at minitf/proto/, and optional trims drop messages or fields whose types
live in files minitf does not carry.
"""
import importlib
import os
import sys

from google.protobuf import descriptor_pb2

OUT = sys.argv[1]

FD = descriptor_pb2.FieldDescriptorProto
SCALAR = {
    FD.TYPE_DOUBLE: "double", FD.TYPE_FLOAT: "float", FD.TYPE_INT64: "int64", FD.TYPE_UINT64: "uint64",
    FD.TYPE_INT32: "int32", FD.TYPE_FIXED64: "fixed64", FD.TYPE_FIXED32: "fixed32", FD.TYPE_BOOL: "bool",
    FD.TYPE_STRING: "string", FD.TYPE_BYTES: "bytes", FD.TYPE_UINT32: "uint32", FD.TYPE_SFIXED32: "sfixed32",
    FD.TYPE_SFIXED64: "sfixed64", FD.TYPE_SINT32: "sint32", FD.TYPE_SINT64: "sint64",
}

# (TF module, minitf file name, keep top-level names or None, {message path: [dropped fields]}, note)
FILES = [
    ("tensorflow.core.framework.types_pb2", "types", None, {}, None),
    ("tensorflow.core.framework.tensor_shape_pb2", "tensor_shape", None, {}, None),
    ("tensorflow.core.framework.resource_handle_pb2", "resource_handle", None, {}, None),
    ("tensorflow.core.framework.tensor_pb2", "tensor", None, {}, None),
    ("tensorflow.core.framework.tensor_slice_pb2", "tensor_slice", None, {}, None),
    ("tensorflow.core.framework.versions_pb2", "versions", None, {}, None),
    ("tensorflow.core.protobuf.tensor_bundle_pb2", "tensor_bundle", None, {}, None),
    ("tensorflow.core.framework.full_type_pb2", "full_type", None, {}, None),
    ("tensorflow.core.framework.attr_value_pb2", "attr_value", None, {}, None),
    ("tensorflow.core.framework.node_def_pb2", "node_def", None, {}, None),
    ("tensorflow.core.framework.op_def_pb2", "op_def", None, {}, None),
    ("tensorflow.core.framework.function_pb2", "function", None, {}, None),
    ("tensorflow.core.framework.graph_debug_info_pb2", "graph_debug_info", None, {}, None),
    ("tensorflow.core.framework.graph_pb2", "graph", None, {}, None),
    ("tensorflow.core.framework.variable_pb2", "variable", None, {}, None),
    ("tensorflow.core.protobuf.saver_pb2", "saver", None, {}, None),
    ("tensorflow.core.protobuf.struct_pb2", "struct", None, {}, None),
    ("tensorflow.core.protobuf.trackable_object_graph_pb2", "trackable_object_graph", None, {}, None),
    ("tensorflow.core.protobuf.saved_object_graph_pb2", "saved_object_graph", None, {}, None),
    ("tensorflow.core.protobuf.meta_graph_pb2", "meta_graph", None, {}, None),
    ("tensorflow.core.protobuf.control_flow_pb2", "control_flow", None, {}, None),
    ("tensorflow.python.training.checkpoint_state_pb2", "checkpoint_state", None, {}, None),
    ("tensorflow.compiler.xla.tsl.protobuf.histogram_pb2", "histogram", None, {}, None),
    ("tensorflow.core.framework.summary_pb2", "summary", None, {}, None),
    ("tensorflow.core.util.event_pb2", "event", None, {}, None),
    ("tensorflow.core.example.feature_pb2", "feature", None, {}, None),
    ("tensorflow.core.example.example_pb2", "example", None, {}, None),
    ("tensorflow.core.framework.allocation_description_pb2", "allocation_description", None, {}, None),
    ("tensorflow.core.framework.tensor_description_pb2", "tensor_description", None, {}, None),
    ("tensorflow.core.framework.step_stats_pb2", "step_stats", None, {}, None),
    ("tensorflow.core.framework.cost_graph_pb2", "cost_graph", None, {}, None),
    ("tensorflow.core.protobuf.debug_pb2", "debug", None, {}, None),
    ("tensorflow.core.protobuf.config_pb2", "config",
     ["GPUOptions", "OptimizerOptions", "GraphOptions", "ThreadPoolOptionProto", "SessionMetadata",
      "ConfigProto", "RunOptions", "RunMetadata"],
     {"GraphOptions": ["rewrite_options"],
      "ConfigProto": ["rpc_options", "cluster_def"],
      "ConfigProto.Experimental": ["coordination_config"]},
     "Cut down to the session-facing messages. Dropped (their types live in files minitf does not carry):\n"
     "// GraphOptions.rewrite_options (10), ConfigProto.rpc_options (13), ConfigProto.cluster_def (14),\n"
     "// ConfigProto.Experimental.coordination_config (23); and the messages TensorConnection, CallableOptions,\n"
     "// BatchingOptions. Bytes of dropped fields survive a parse/serialize round trip as unknown fields."),
    ("tensorboard.plugins.projector.projector_config_pb2", "projector_config", None, {}, None),
    ("tensorflow.core.protobuf.verifier_config_pb2", "verifier_config", None, {}, None),
    ("tensorflow.core.protobuf.rewriter_config_pb2", "rewriter_config", None, {}, None),
    ("tensorflow.core.framework.device_attributes_pb2", "device_attributes", None, {}, None),
]


def minitf_path(tf_file_name):
    return "minitf/proto/" + os.path.basename(tf_file_name)


def is_well_known(name):
    return name.startswith("google/protobuf/")


class Printer:
    def __init__(self, fd, keep, drops):
        self.fd = fd
        self.keep = keep
        self.drops = drops
        self.lines = []
        self.used_types = set()
        self.maps = {}

    def emit(self, depth, text):
        self.lines.append("  " * depth + text if text else "")

    def type_ref(self, type_name, scope):
        """Name a referenced type relative to the current message scope (`.tensorflow.A.B` -> `B` inside A)."""
        self.used_types.add(type_name)
        package = "." + self.fd.package + "."
        full = type_name[len(package):] if type_name.startswith(package) else type_name
        parts = scope.split(".") if scope else []
        while parts:
            prefix = ".".join(parts) + "."
            if full.startswith(prefix):
                return full[len(prefix):]
            parts.pop()
        return full

    def field_type(self, field, scope):
        if field.type in (FD.TYPE_MESSAGE, FD.TYPE_ENUM, FD.TYPE_GROUP):
            if field.type_name in self.maps:
                key, value = self.maps[field.type_name]
                return "map<%s, %s>" % (self.field_type(key, scope), self.field_type(value, scope))
            return self.type_ref(field.type_name, scope)
        return SCALAR[field.type]

    def field_line(self, field, scope, in_oneof):
        label = ""
        if field.type_name in self.maps:
            pass
        elif field.label == FD.LABEL_REPEATED:
            label = "repeated "
        elif self.fd.syntax != "proto3" and not in_oneof:
            label = "required " if field.label == FD.LABEL_REQUIRED else "optional "
        elif field.proto3_optional:
            label = "optional "
        opts = []
        o = field.options
        for desc, value in o.ListFields():
            if desc.name == "packed":
                opts.append("packed = %s" % ("true" if value else "false"))
            elif desc.name == "deprecated":
                opts.append("deprecated = %s" % ("true" if value else "false"))
            elif desc.name == "jstype":
                opts.append("jstype = %s" % desc.enum_type.values_by_number[value].name)
            else:
                raise SystemExit("unhandled field option %s on %s" % (desc.name, field.name))
        if field.HasField("default_value"):
            value = field.default_value
            if field.type in (FD.TYPE_STRING, FD.TYPE_BYTES):
                value = '"%s"' % value.replace("\\", "\\\\").replace('"', '\\"')
            opts.insert(0, "default = %s" % value)
        suffix = " [%s]" % ", ".join(opts) if opts else ""
        return "%s%s %s = %d%s;" % (label, self.field_type(field, scope), field.name, field.number, suffix)

    def enum(self, enum, depth):
        self.emit(depth, "enum %s {" % enum.name)
        for desc, value in enum.options.ListFields():
            if desc.name in ("allow_alias", "deprecated"):
                self.emit(depth + 1, "option %s = %s;" % (desc.name, "true" if value else "false"))
            else:
                raise SystemExit("unhandled enum option " + desc.name)
        for value in enum.value:
            opts = ""
            for desc, flag in value.options.ListFields():
                if desc.name != "deprecated":
                    raise SystemExit("unhandled enum value option " + desc.name)
                opts = " [deprecated = %s]" % ("true" if flag else "false")
            self.emit(depth + 1, "%s = %d%s;" % (value.name, value.number, opts))
        self.reserved(enum, depth + 1, inclusive_end=True)
        self.emit(depth, "}")

    def reserved(self, desc, depth, inclusive_end):
        ranges = []
        for r in desc.reserved_range:
            end = r.end if inclusive_end else r.end - 1
            ranges.append(str(r.start) if end == r.start else "%d to %d" % (r.start, end))
        if ranges:
            self.emit(depth, "reserved %s;" % ", ".join(ranges))
        if desc.reserved_name:
            self.emit(depth, "reserved %s;" % ", ".join('"%s"' % n for n in desc.reserved_name))

    def message(self, msg, depth, scope):
        full = scope + "." + msg.name if scope else msg.name
        for desc, value in msg.options.ListFields():
            if desc.name not in ("map_entry", "deprecated"):
                raise SystemExit("unhandled message option " + desc.name)
        for nested in msg.nested_type:
            if nested.options.map_entry:
                self.maps[".%s.%s.%s" % (self.fd.package, full, nested.name)] = (nested.field[0], nested.field[1])
        self.emit(depth, "message %s {" % msg.name)
        if msg.options.deprecated:
            self.emit(depth + 1, "option deprecated = true;")
        dropped = set(self.drops.get(full, ()))
        missing = dropped - {f.name for f in msg.field}
        if missing:
            raise SystemExit("no such fields %s in %s" % (missing, full))
        body = []
        for nested in msg.enum_type:
            body.append(("enum", nested))
        for nested in msg.nested_type:
            if not nested.options.map_entry:
                body.append(("msg", nested))
        for kind, nested in body:
            if kind == "enum":
                self.enum(nested, depth + 1)
            else:
                self.message(nested, depth + 1, full)
            self.emit(0, "")
        printed_oneofs = set()
        for field in msg.field:
            if field.name in dropped:
                continue
            if field.HasField("oneof_index") and not field.proto3_optional:
                index = field.oneof_index
                if index in printed_oneofs:
                    continue
                printed_oneofs.add(index)
                self.emit(depth + 1, "oneof %s {" % msg.oneof_decl[index].name)
                for member in msg.field:
                    if member.HasField("oneof_index") and member.oneof_index == index and member.name not in dropped:
                        self.emit(depth + 2, self.field_line(member, full, True))
                self.emit(depth + 1, "}")
            else:
                self.emit(depth + 1, self.field_line(field, full, False))
        self.reserved(msg, depth + 1, inclusive_end=False)
        for r in msg.extension_range:
            self.emit(depth + 1, "extensions %d to %d;" % (r.start, r.end - 1))
        while self.lines[-1] == "":
            self.lines.pop()
        self.emit(depth, "}")

    def render(self, note):
        fd = self.fd
        body_start = len(self.lines)
        for enum in fd.enum_type:
            if self.keep is None or enum.name in self.keep:
                self.enum(enum, 0)
                self.emit(0, "")
        for msg in fd.message_type:
            if self.keep is None or msg.name in self.keep:
                self.message(msg, 0, "")
                self.emit(0, "")
        body = self.lines[body_start:]
        # Imports: only files whose types are referenced (plus public imports, which re-export).
        defined = {}
        for dep in fd.dependency:
            defined[dep] = dep
        project = "TensorBoard" if fd.name.startswith("tensorboard/") else "TensorFlow"
        header = ["// Generated from %s 2.21's %s (decoded from its compiled descriptor):" % (project, fd.name),
                  "// %s's messages, field names, numbers, types and enums; package renamed to minitf." % project]
        if note:
            header.append("// " + note)
        header += ["", 'syntax = "%s";' % (fd.syntax or "proto2"), "", "package minitf;", ""]
        imports = []
        for i, dep in enumerate(fd.dependency):
            public = i in fd.public_dependency
            if not (public or self.dep_used(dep)):
                continue
            path = dep if is_well_known(dep) else minitf_path(dep)
            imports.append('import %s"%s";' % ("public " if public else "", path))
        if imports:
            header += imports + [""]
        while body and body[-1] == "":
            body.pop()
        return "\n".join(header + body) + "\n"

    def dep_used(self, dep):
        module = DEP_TYPES[dep]
        return any(t in module for t in self.used_types)


def collect_types(fd):
    names = set()

    def walk(prefix, msgs, enums):
        for e in enums:
            names.add(prefix + e.name)
        for m in msgs:
            names.add(prefix + m.name)
            walk(prefix + m.name + ".", m.nested_type, m.enum_type)
    walk("." + fd.package + ".", fd.message_type, fd.enum_type)
    return names


DEP_TYPES = {}


def load(module_name):
    mod = importlib.import_module(module_name)
    fd = descriptor_pb2.FileDescriptorProto()
    mod.DESCRIPTOR.CopyToProto(fd)
    return mod, fd


def main():
    from google.protobuf import descriptor_pool
    pool = descriptor_pool.Default()
    for module_name, out_name, keep, drops, note in FILES:
        _, fd = load(module_name)
        for dep in fd.dependency:
            dep_fd = descriptor_pb2.FileDescriptorProto()
            pool.FindFileByName(dep).CopyToProto(dep_fd)
            DEP_TYPES[dep] = collect_types(dep_fd)
        printer = Printer(fd, keep, drops)
        text = printer.render(note)
        with open(os.path.join(OUT, out_name + ".proto"), "w") as f:
            f.write(text)
        print("wrote", out_name, len(text))


main()
