"""Records what ``tf.app.run()`` prints and returns for help flags, for tests/test_platform.py.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_flags_help.py  (writes
tests/golden/flags_help.json). Each program of FLAGS_HELP_PROGRAMS runs as ``python prog.py ARG`` under TensorFlow;
the record is its exit status and standard output (for --helpfull, up to absl's own "absl.app:" section).
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from flags_help_programs import ARGS, PROGRAMS  # noqa: E402

out = {}
with tempfile.TemporaryDirectory() as d:
    for name, source in PROGRAMS.items():
        with open(os.path.join(d, "prog.py"), "w") as f:
            f.write(source.format(tf="tensorflow.compat.v1"))
        for arg in ARGS:
            r = subprocess.run([sys.executable, "prog.py", arg], cwd=d, capture_output=True, text=True)
            stdout = r.stdout.split("\nabsl.app:\n")[0]
            out[f"{name} {arg}"] = [r.returncode, stdout]
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "flags_help.json"), "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
