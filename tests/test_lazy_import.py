"""``import minitf`` loads only what every program needs (issue 17: at most 1.6x ``import numpy``); the rest loads
on first use through module-level ``__getattr__`` (the ``_LAZY_NAMES`` / ``_LAZY_MODULES`` of the namespace
modules). Deferring a module must change nothing a program can see: every op, gradient, proto function and
tensor conversion is registered by ``import minitf`` itself, every public name still resolves and ``dir()``
still lists it. Each check runs in a fresh interpreter, as a program starts."""

import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _run(code):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout)


_REGISTRIES = """
import json, sys
from minitf.framework import meta_graph, op_registry, tensor_conversion_registry
def registries():
    return [sorted(op_registry._registry), sorted(op_registry._gradients), sorted(meta_graph._proto_functions),
            len(tensor_conversion_registry._conversion_functions)]
"""


def test_every_registration_happens_at_import_not_when_a_lazy_module_loads():
    """Importing every module of the package afterwards registers nothing new: a GraphDef or MetaGraphDef
    imported right after ``import minitf`` finds every op, gradient and collection it could name."""
    at_import, after_all = _run("import minitf\n" + _REGISTRIES + """
import importlib, pkgutil
first = registries()
for info in pkgutil.walk_packages(minitf.__path__, "minitf."):
    if not info.name.endswith("__main__") and ".examples" not in info.name:
        importlib.import_module(info.name)
print(json.dumps([first, registries()]))
""")
    assert at_import == after_all
    assert len(at_import[0]) > 300 and len(at_import[1]) > 300


def _provided_names():
    """``{namespace: [names]}`` that docs/api_coverage.md lists as provided."""
    text = open(os.path.join(ROOT, "docs", "api_coverage.md")).read()
    sections = re.findall(r"^## `(tf(?:\.\w+)?)`\n\nProvided: (.*)\.$", text, re.M)
    return {label: re.findall(r"`(\w+)`", names) for label, names in sections}


def test_every_documented_name_resolves_and_is_listed_by_dir():
    provided = _provided_names()
    assert "tf" in provided and "tf.train" in provided and len(provided["tf"]) > 300
    missing = _run(f"""
import json
import minitf as tf
provided = {provided!r}
missing = []
for label, names in provided.items():
    module = tf if label == "tf" else getattr(tf, label[3:])
    listed = set(dir(module))
    missing += [label + "." + name + (" (not in dir)" if name not in listed else "")
                for name in names if name not in listed or not hasattr(module, name)]
print(json.dumps(missing))
""")
    assert missing == []


def test_lazy_names_resolve_to_the_objects_their_modules_define():
    wrong = _run("""
import importlib, json
import minitf, minitf.nn, minitf.train
wrong = []
for namespace in (minitf, minitf.nn, minitf.train):
    for name, module in getattr(namespace, "_LAZY_NAMES", {}).items():
        if getattr(namespace, name) is not getattr(importlib.import_module(module), name):
            wrong.append(namespace.__name__ + "." + name)
        if name not in dir(namespace):
            wrong.append(namespace.__name__ + "." + name + " (not in dir)")
    for name, module in getattr(namespace, "_LAZY_MODULES", {}).items():
        if getattr(namespace, name) is not importlib.import_module(module) or name not in dir(namespace):
            wrong.append(namespace.__name__ + "." + name)
print(json.dumps(wrong))
""")
    assert wrong == []


def test_import_minitf_leaves_what_only_some_programs_need_unloaded():
    """Python's logging, OpenSSL's hashes, thread pools, subprocess (ctypes.util), the native CRC, protocol
    buffers and minitf's optional libraries (tf.contrib, tf.data, RNNs, the MonitoredSession family) load when a
    program first uses them."""
    loaded = _run("""
import json, sys
import minitf
print(json.dumps(sorted(sys.modules)))
""")
    deferred = ["logging", "hashlib", "concurrent.futures", "subprocess", "ctypes.util", "google_crc32c", "uuid",
                "gzip", "glob", "google.protobuf", "minitf.contrib", "minitf.train.monitored_session",
                "minitf.train.supervisor", "minitf.train.checkpoint_utils", "minitf.data", "minitf.ops.rnn",
                "minitf.ops.rnn_cell_impl", "minitf.layers", "minitf.metrics", "minitf.platform.app",
                "minitf.platform.flags", "minitf.framework.graph_io", "minitf.framework.graph_util",
                "minitf.client.dataflow_executor", "minitf.summary.writer", "minitf.io.summary_encoders",
                "minitf.io.bundle"]
    assert [name for name in deferred if name in loaded] == []
