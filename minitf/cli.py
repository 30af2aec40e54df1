"""The ``minitf`` command: run TF1 programs, draw graphs, inspect checkpoints, summarise event files.

    minitf run SCRIPT [ARGS...]
    minitf graph PATH -o OUT [--depth N] [--collapse SCOPE ...] [--no-aux]
    minitf inspect CHECKPOINT [--tensor NAME] [--values] [--stats]
    minitf events LOGDIR
    minitf ops [NAME ...]

PATH is a .meta, .pb or .pbtxt file, or a log directory holding event files with a graph. OUT's suffix picks the
format (.dot, .svg, .png, .pdf). Errors print one line and exit with status 1. ``minitf run`` runs a program
written for TensorFlow 1.x unmodified, its ``tensorflow`` imports answered by minitf (see ``minitf/runner.py``);
``python -m minitf SCRIPT [ARGS...]`` does the same.
"""

import argparse
import os
import sys

import numpy as np


class CommandError(Exception):
    """A problem with the user's input, reported as one line."""


# -- loading graphs ------------------------------------------------------------------------------------------------

def _parse(message_type, data, path):
    from google.protobuf import message, text_format
    proto = message_type()
    try:
        proto.ParseFromString(data)
        return proto
    except message.DecodeError:
        pass
    try:
        return text_format.Parse(data.decode("utf-8"), message_type())
    except (UnicodeDecodeError, text_format.ParseError):
        raise CommandError(f"{path}: not a {message_type.DESCRIPTOR.name} (binary or text)") from None


def _graph_from_events(logdir):
    from minitf.proto import graph_pb2, meta_graph_pb2
    found = None
    for path in _event_files(logdir):
        for index, event in _read_events(path):
            if event.HasField("graph_def"):
                found = _decoded(graph_pb2.GraphDef, event.graph_def, f"{path}: event {index}'s graph_def")
            elif event.HasField("meta_graph_def") and found is None:
                found = _decoded(meta_graph_pb2.MetaGraphDef, event.meta_graph_def,
                                 f"{path}: event {index}'s meta_graph_def").graph_def
    if found is None:
        raise CommandError(f"{logdir}: no event file with a graph")
    return found


def load_graph(path):
    """The GraphDef in a .meta, .pb or .pbtxt file, or in the event files of a log directory."""
    from minitf.proto import graph_pb2, meta_graph_pb2
    if os.path.isdir(path):
        return _graph_from_events(path)
    if not os.path.exists(path):
        raise CommandError(f"{path}: no such file or directory")
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".meta"):
        return _parse(meta_graph_pb2.MetaGraphDef, data, path).graph_def
    if path.endswith(".pbtxt") and data.lstrip().startswith((b"meta_info_def", b"graph_def")):
        return _parse(meta_graph_pb2.MetaGraphDef, data, path).graph_def
    return _parse(graph_pb2.GraphDef, data, path)


def _graph(args):
    from minitf.tools import graph_export
    graph_def = load_graph(args.path)
    try:
        graph_export.render(graph_def, args.output, collapse=args.collapse, depth=args.depth, show_aux=not args.no_aux)
    except (graph_export.GraphvizNotFoundError, graph_export.RenderError) as e:
        raise CommandError(str(e)) from None
    print(f"{args.output}: {len(graph_def.node)} ops")


# -- checkpoints -----------------------------------------------------------------------------------------------------

def _checkpoint_prefix(path):
    from minitf.train import checkpoint_management
    if os.path.isdir(path):
        prefix = checkpoint_management.latest_checkpoint(path)
        if prefix is None:
            raise CommandError(f"{path}: no 'checkpoint' state file naming a checkpoint")
        return prefix
    for suffix in (".index", ".meta"):
        if path.endswith(suffix):
            path = path[:-len(suffix)]
    if ".data-" in path:
        path = path[:path.index(".data-")]
    if not os.path.exists(path + ".index"):
        raise CommandError(f"{path}: not a checkpoint (no {os.path.basename(path)}.index)")
    return path


def _statistics(value):
    if value.dtype.kind in "biuf" and value.size:
        v = value.astype(np.float64)
        return f" min={v.min():.6g} max={v.max():.6g} mean={v.mean():.6g} std={v.std():.6g}"
    return ""


def _inspect(args):
    from minitf.train import checkpoint_utils
    prefix = _checkpoint_prefix(args.checkpoint)
    reader = checkpoint_utils.NewCheckpointReader(prefix)
    shapes = reader.get_variable_to_shape_map()
    dtypes = reader.get_variable_to_dtype_map()
    names = [args.tensor] if args.tensor else sorted(shapes)
    if args.tensor and args.tensor not in shapes:
        raise CommandError(f"{prefix}: no tensor named '{args.tensor}'")
    print(f"checkpoint {prefix}: {len(shapes)} tensors")
    for name in names:
        line = f"{name}  {dtypes[name].name}  {list(shapes[name])}"
        if args.stats or args.values:
            value = np.asarray(reader.get_tensor(name))
            if args.stats:
                line += _statistics(value)
            print(line)
            if args.values:
                print(np.array2string(value, threshold=1000, edgeitems=5))
        else:
            print(line)


# -- event files -----------------------------------------------------------------------------------------------------

def _event_files(logdir):
    if not os.path.isdir(logdir):
        raise CommandError(f"{logdir}: not a directory")
    files = []
    for root, _, names in os.walk(logdir):
        files.extend(os.path.join(root, n) for n in sorted(names) if "tfevents" in n)
    return sorted(files)


def _decoded(message_type, data, what):
    from google.protobuf import message
    try:
        return message_type.FromString(data)
    except message.DecodeError:
        raise CommandError(f"{what} is not a valid {message_type.DESCRIPTOR.name}") from None


def _read_events(path):
    """``(index, Event)`` of each record of an event file; a record that is not an Event is a CommandError."""
    from minitf.io import tfrecord
    from minitf.proto import event_pb2
    for index, record in enumerate(tfrecord.tf_record_iterator(path)):
        yield index, _decoded(event_pb2.Event, record, f"{path}: record {index}")


def _value_kind(value):
    kind = value.WhichOneof("value")
    if kind == "tensor" and value.metadata.plugin_data.plugin_name:
        return value.metadata.plugin_data.plugin_name
    return {"simple_value": "scalar", "histo": "histogram", None: "no value"}.get(kind, kind)


def _events(args):
    files = _event_files(args.logdir)
    if not files:
        raise CommandError(f"{args.logdir}: no event files")
    runs = {}
    for path in files:
        run = os.path.relpath(os.path.dirname(path), args.logdir)
        tags = runs.setdefault(run, {})
        for _, event in _read_events(path):
            if event.HasField("graph_def") or event.HasField("meta_graph_def"):
                tags.setdefault(("graph", "graph"), []).append((event.step, None))
            elif event.HasField("tagged_run_metadata"):
                tags.setdefault((event.tagged_run_metadata.tag, "run_metadata"), []).append((event.step, None))
            for value in event.summary.value:
                last = value.simple_value if value.WhichOneof("value") == "simple_value" else None
                tags.setdefault((value.tag, _value_kind(value)), []).append((event.step, last))
    for run, tags in sorted(runs.items()):
        print(f"run {run}")
        for (tag, kind), points in sorted(tags.items()):
            steps = [s for s, _ in points]
            line = f"  {kind:<12} {tag}  count={len(points)} steps={min(steps)}..{max(steps)}"
            if points[-1][1] is not None:
                line += f" last={points[-1][1]:.6g}"
            print(line)


def _ops(args):
    from minitf.framework import op_registry
    op_registry.main(args.names)


# -- entry point -----------------------------------------------------------------------------------------------------

def _parser():
    from minitf.platform.version import MINITF_VERSION, TENSORFLOW_VERSION, VERSION
    parser = argparse.ArgumentParser(
        prog="minitf", description="Run TensorFlow 1.x programs; draw graphs, inspect checkpoints and event files.",
        formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--version", action="version",
                        version=f"minitf {MINITF_VERSION} (tf.__version__ {VERSION}; "
                                f"TensorFlow {TENSORFLOW_VERSION}'s tf.compat.v1 behaviour)")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run a TensorFlow 1.x program on minitf: minitf run SCRIPT [ARGS...]")
    run.add_argument("script")
    run.add_argument("args", nargs=argparse.REMAINDER)
    graph = commands.add_parser("graph", help="draw a graph (.meta, .pb, .pbtxt or a log directory)")
    graph.add_argument("path")
    graph.add_argument("-o", "--output", required=True, help="output file: .dot, .svg, .png or .pdf")
    graph.add_argument("--depth", type=int, default=None, help="collapse name scopes nested deeper than this")
    graph.add_argument("--collapse", nargs="*", default=[], metavar="SCOPE", help="name scopes drawn as one node")
    graph.add_argument("--no-aux", action="store_true", help="leave out init, save, gradients and summaries")
    graph.set_defaults(run=_graph)
    inspect = commands.add_parser("inspect", help="list a checkpoint's tensors (like inspect_checkpoint)")
    inspect.add_argument("checkpoint", help="checkpoint prefix, or a directory with a 'checkpoint' file")
    inspect.add_argument("--tensor", help="only this tensor")
    inspect.add_argument("--values", action="store_true", help="print values")
    inspect.add_argument("--stats", action="store_true", help="print min, max, mean and std")
    inspect.set_defaults(run=_inspect)
    events = commands.add_parser("events", help="summarise the event files under a log directory")
    events.add_argument("logdir")
    events.set_defaults(run=_events)
    op_cards = commands.add_parser("ops", help="an op's card: inputs, attrs, where its shape function, kernel, "
                                               "gradient and wrapper live (every op's name without NAME)")
    op_cards.add_argument("names", nargs="*", metavar="NAME")
    op_cards.set_defaults(run=_ops)
    return parser


def main(argv=None):
    """Runs a command; every failure is one line on stderr and exit status 1 (2 for a usage error, from argparse).

    Problems with the input (CommandError, OSError, ValueError, tf.errors) print their first line. Anything else
    is a bug in minitf, reported as one line naming it as an internal error rather than a traceback."""
    from minitf.framework import errors
    argv = sys.argv[1:] if argv is None else list(argv)
    if len(argv) >= 2 and argv[0] == "run" and not argv[1].startswith("-"):
        from minitf import runner  # the script's own arguments (--help included) are the script's
        return runner.run_script(argv[1], argv[2:])
    args = _parser().parse_args(argv)
    try:
        args.run(args)
    except (CommandError, OSError, ValueError, errors.OpError) as e:
        message = e.message if isinstance(e, errors.OpError) else str(e)
        _error(args.command, message.splitlines()[0] if message.strip() else type(e).__name__)
        return 1
    except Exception as e:  # noqa: BLE001 -- the CLI promises one line, never a traceback
        _error(args.command, f"internal error ({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}); "
                             "please report it")
        return 1
    return 0


def _error(command, message):
    print(f"minitf {command}: error: {message[:1000]}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
