"""Records what TensorFlow prints for examples/linear_regression.py (the same file with the import swapped).

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_examples.py   (writes tests/golden/examples.json)
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(os.path.dirname(os.path.dirname(HERE)), "examples", "linear_regression.py")

source = open(EXAMPLE).read().replace("import minitf as tf\n",
                                      "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\n")
source = source.split("from minitf.tools import graph_export")[0]  # minitf's own addition at the end
with tempfile.TemporaryDirectory() as tmp:
    script = os.path.join(tmp, "example.py")
    open(script, "w").write(source)
    out = subprocess.run([sys.executable, script, os.path.join(tmp, "out")], capture_output=True, text=True,
                         check=True).stdout
    files = sorted(os.listdir(os.path.join(tmp, "out", "checkpoint")))
lines = [line for line in out.splitlines() if line.startswith(("Round", "Restored"))]
with open(os.path.join(HERE, "examples.json"), "w") as f:
    json.dump({"linear_regression": {"lines": lines, "checkpoint_files": files}}, f, indent=1)
print("\n".join(lines))
