"""``minitf run SCRIPT [ARGS...]``: run a TensorFlow 1.x program, exactly as written, on minitf.

For the one process that runs the script, an import hook on ``sys.meta_path`` answers the ``tensorflow`` imports with
minitf's modules: ``tensorflow`` and ``tensorflow.compat.v1`` are minitf itself, ``tensorflow.contrib.layers`` is
``minitf.contrib.layers``, ``tensorflow.examples.tutorials.mnist`` is ``minitf.examples.tutorials.mnist``,
``tensorflow.python.framework.ops`` is ``minitf.framework.ops``, ``tensorflow.core.framework.graph_pb2`` is
``minitf.proto.graph_pb2`` and so on. No package named ``tensorflow`` is installed, so TensorFlow proper stays
importable everywhere else.

The script runs as ``python SCRIPT`` would run it: it is the ``__main__`` module, ``sys.argv`` is
``[SCRIPT, ARGS...]``, ``sys.path[0]`` is its directory (so it imports its sibling modules), and a missing file, a
syntax error or an uncaught exception print what Python prints, with the script's frames only, and exit with
Python's status (2, 1 and 1).
"""

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import types

# ``tensorflow.python.<package>`` names that minitf spells differently.
_PYTHON_PACKAGES = {"training": "train"}
# TensorFlow's packages of generated protocol buffer modules (``tensorflow.core.framework.graph_pb2``, ...): minitf
# keeps all of them in ``minitf.proto``.
_PROTO_PACKAGES = ("example", "framework", "protobuf", "util")


def _target(fullname):
    """The minitf module name that stands for the TensorFlow module ``fullname``, or None if it is not one."""
    parts = fullname.split(".")
    if parts[0] != "tensorflow":
        return None
    rest = parts[1:]
    if rest[:2] == ["compat", "v1"]:
        rest = rest[2:]
    elif rest[:1] == ["python"]:
        rest = [_PYTHON_PACKAGES.get(rest[1], rest[1])] + rest[2:] if len(rest) > 1 else []
    elif rest[:1] == ["core"] and (len(rest) == 1 or rest[1] in _PROTO_PACKAGES):
        rest = ["proto"] + rest[2:]
    return ".".join(["minitf"] + rest)


def _resolve(name):
    """The module called ``name`` (a dotted minitf name): a real submodule, or a namespace attribute such as
    ``minitf.logging``; None if minitf has neither."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as e:
        if e.name is None or not name.startswith(e.name):
            raise  # a module that exists failed to import something else: a bug to report, not a missing name
    parent, _, last = name.rpartition(".")
    if not parent:
        return None
    owner = _resolve(parent)
    value = getattr(owner, last, None) if owner is not None else None
    return value if isinstance(value, types.ModuleType) else None


class _AliasLoader(importlib.abc.Loader):
    """Loads a ``tensorflow...`` name as an already imported minitf module (the module object itself)."""

    def __init__(self, module):
        self.module = module

    def create_module(self, spec):
        return self.module

    def exec_module(self, module):
        # The import system has just stamped the alias's spec on the module: give minitf's module its own back.
        # (A plain module keeps the empty ``__path__`` it was given, which lets ``tensorflow.compat.v1`` be found
        # under ``tensorflow.compat``.)
        module.__spec__ = self.original_spec

    def __repr__(self):
        return f"<minitf alias of {self.module.__name__}>"


class TensorFlowFinder(importlib.abc.MetaPathFinder):
    """The ``sys.meta_path`` entry that resolves ``tensorflow`` imports to minitf."""

    def find_spec(self, fullname, path=None, target=None):
        name = _target(fullname)
        if name is None:
            return None
        module = _resolve(name)
        if module is None:
            raise ModuleNotFoundError(f"minitf does not implement {fullname} yet (see docs/api_coverage.md)")
        loader = _AliasLoader(module)
        loader.original_spec = module.__spec__
        return importlib.machinery.ModuleSpec(fullname, loader, is_package=True)


def install():
    """Puts the ``tensorflow`` import hook first on ``sys.meta_path`` (once)."""
    if not any(isinstance(f, TensorFlowFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, TensorFlowFinder())


def _user_traceback(tb, filename):
    """``tb`` without the runner's frames (those before the script's) and without a trailing minitf
    ``__getattr__`` frame, so an unimplemented name's error ends on the user's line."""
    while tb is not None and tb.tb_frame.f_code.co_filename != filename:
        tb = tb.tb_next
    frames = []
    while tb is not None:
        frames.append(tb)
        tb = tb.tb_next
    minitf_dir = os.path.dirname(os.path.abspath(__file__))
    if frames and frames[-1].tb_frame.f_code.co_name == "__getattr__" \
            and frames[-1].tb_frame.f_code.co_filename.startswith(minitf_dir) and len(frames) > 1:
        frames[-2].tb_next = None
    return frames[0] if frames else None


def run_script(path, args, prog="minitf"):
    """Runs the file ``path`` as ``__main__`` with ``sys.argv = [path] + args``; returns the exit status."""
    filename = os.path.abspath(path)
    try:
        with open(filename, "rb") as f:
            source = f.read()
    except OSError as e:
        print(f"{prog}: can't open file {filename!r}: [Errno {e.errno}] {e.strerror}", file=sys.stderr)
        return 2
    install()
    main = types.ModuleType("__main__")
    main.__dict__.update(__file__=filename, __builtins__=__builtins__, __cached__=None,
                         __loader__=importlib.machinery.SourceFileLoader("__main__", filename))
    sys.modules["__main__"] = main
    sys.argv = [path] + list(args)
    sys.path[0] = os.path.dirname(filename)
    try:
        code = compile(source, filename, "exec", dont_inherit=True)
        exec(code, main.__dict__)
    except SystemExit:
        raise
    except BaseException as e:  # what Python's top level does with an uncaught exception
        e = e.with_traceback(_user_traceback(e.__traceback__, filename))
        sys.excepthook(type(e), e, e.__traceback__)
        return 130 if isinstance(e, KeyboardInterrupt) else 1
    return 0
