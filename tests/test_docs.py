"""docs/architecture.md stays true to the code: the functions it cites are defined in the files it names."""

import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _paragraphs():
    """The document's steps and paragraphs; a list belongs to the paragraph that introduces it with a colon."""
    with open(os.path.join(ROOT, "docs", "architecture.md")) as f:
        return re.split(r"(?<!:)\n\s*\n", f.read())


def _files(paragraph):
    """The source files a paragraph names: paths (minitf/ops/x.py) and module references (`cwise_ops.name`)."""
    files = set(re.findall(r"minitf/[\w/]+\.py", paragraph))
    for module in re.findall(r"`(\w+_ops|\w+_grad|op_def_lib|op_registry|graph_io|session)\.", paragraph):
        for folder in ("ops", "framework", "client"):
            path = f"minitf/{folder}/{module}.py"
            if os.path.exists(os.path.join(ROOT, path)):
                files.add(path)
    return files


def test_cited_functions_are_defined_where_the_document_says():
    """Each private function a paragraph cites (`_matmul_infer`, `cwise_ops._matmul_operator`) is defined in a
    file that paragraph names. The document cites names, not line numbers, so it stays true
    as code moves within a file; `minitf ops NAME` prints the lines."""
    checked, wrong = 0, []
    for paragraph in _paragraphs():
        files = _files(paragraph)
        if not files:
            continue
        sources = [open(os.path.join(ROOT, path)).read() for path in sorted(files)]
        for name in re.findall(r"`((?:\w+_ops\.|\w+_grad\.|graph_io\.|op_def_lib\.)?_?\w+)(?:\([^`]*\))?`", paragraph):
            word = name.split(".")[-1]
            if not word.startswith("_") or f"TensorFlow's `{name}`" in paragraph:  # public names may be re-exported
                continue
            checked += 1
            if not any(re.search(rf"^\s*(def|class) {word}\b", text, re.M) for text in sources):
                wrong.append(f"`{name}` is not defined in {sorted(files)}")
    assert checked >= 6 and not wrong, "docs/architecture.md cites moved names:\n" + "\n".join(wrong)
