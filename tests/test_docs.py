"""docs/architecture.md stays true to the code: each "`name` (... line N" it cites is on that line (or, for a
decorated function, the next) of a file its paragraph names."""

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


def test_cited_lines_hold_what_the_document_says():
    checked, wrong = 0, []
    for paragraph in _paragraphs():
        files = _files(paragraph)
        for name, line in re.findall(r"`([\w.]+)(?:\([^`]*\))?` \([^)]*?line\s+(\d+)", paragraph):
            word = name.split(".")[-1]
            found = False
            for path in files:
                with open(os.path.join(ROOT, path)) as f:
                    lines = f.read().splitlines()
                if any(word in text for text in lines[int(line) - 1:int(line) + 1]):  # a def under its decorator
                    found = True
            checked += 1
            if not found:
                wrong.append(f"`{name}` is not on line {line} of {sorted(files)}")
    assert checked >= 8 and not wrong, "docs/architecture.md cites stale lines:\n" + "\n".join(wrong)
