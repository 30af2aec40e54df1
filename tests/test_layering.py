"""minitf's layers import one way: a module never imports (at the top or inside a function) a module of a higher
layer. The layers are those of the design notes (docs/architecture.md):

    proto < vocabulary (dtypes, errors, tensor_shape, op_registry) < io < framework < ops < client
          < libraries (train, summary, data) < tools and the minitf command < namespace

``platform`` (flags, logging, gfile) sits beside io: it uses only the vocabulary.
"""

import ast
import os

import pytest

PACKAGE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "minitf")

_VOCABULARY = {"minitf.framework.dtypes", "minitf.framework.errors", "minitf.framework.tensor_shape",
               "minitf.framework.op_registry", "minitf._missing"}
_LAYERS = [("proto", 0), ("io", 2), ("platform", 2), ("framework", 3), ("ops", 4), ("client", 5), ("train", 6),
           ("summary", 6), ("data", 6), ("tools", 7), ("cli", 7), ("runner", 7)]

# The upward imports that stay, each for a reason (at most three).
ALLOWED = {
    # Jupyter shows a Graph as its picture: Graph._repr_svg_ draws it with the graph exporter, imported only when
    # a notebook asks (importing graphviz at `import minitf` would cost every program).
    ("minitf.framework.ops", "minitf.tools.graph_export"),
    # `python -m minitf.framework.op_registry NAME` prints an op's card: it must load every op (import minitf) and
    # searches minitf.ops for the op's wrappers; the registry itself imports nothing from minitf.
    ("minitf.framework.op_registry", "minitf"),
    ("minitf.framework.op_registry", "minitf.ops"),
}


def layer(module):
    """The layer of a dotted module name under minitf (the namespace modules are the top layer)."""
    if module in _VOCABULARY:
        return 1
    parts = module.split(".")
    if len(parts) == 1:
        return 8
    return dict(_LAYERS).get(parts[1], 8)


def imports():
    """(importing module, imported module, line) for every minitf import in the package, inside functions too."""
    for folder, _, files in os.walk(PACKAGE):
        for filename in files:
            if not filename.endswith(".py") or filename.endswith("_pb2.py"):
                continue
            path = os.path.join(folder, filename)
            relative = os.path.relpath(path, os.path.dirname(PACKAGE))[:-3].replace(os.sep, ".")
            module = relative[:-len(".__init__")] if relative.endswith(".__init__") else relative
            with open(path) as f:
                tree = ast.parse(f.read(), path)
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    targets = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    # `from minitf.ops import array_ops` imports minitf.ops.array_ops
                    targets = [node.module + "." + a.name if layer(node.module + "." + a.name) != 8 or
                               node.module == "minitf" else node.module for a in node.names]
                else:
                    continue
                for target in targets:
                    if target == "minitf" or target.startswith("minitf."):
                        yield module, target, node.lineno


def test_no_module_imports_a_higher_layer():
    upward = [f"{module}:{line} imports {target} (layer {layer(module)} -> {layer(target)})"
              for module, target, line in imports()
              if layer(target) > layer(module) and (module, target) not in ALLOWED]
    assert not upward, "upward imports (see the layers in tests/test_layering.py):\n" + "\n".join(upward)


def test_every_allowed_upward_import_is_still_needed():
    edges = {(module, target) for module, target, _ in imports()}
    assert ALLOWED <= edges and len(ALLOWED) <= 3


@pytest.mark.parametrize("module", sorted(_VOCABULARY))
def test_the_vocabulary_imports_only_protos_and_itself(module):
    above = [(target, line) for source, target, line in imports()
             if source == module and layer(target) > 1 and (source, target) not in ALLOWED]
    assert not above
