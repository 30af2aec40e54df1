"""Records TensorFlow 2.21's hooks and monitored sessions on the programs of tests/monitored_cases.py.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_monitored.py   (writes tests/golden/monitored.json)
Each case runs in its own process and its own temporary directory (paths are recorded as basenames).
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))


def run_one(name):
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    from monitored_cases import CASES
    with tempfile.TemporaryDirectory() as workdir:
        return CASES[name](tf, workdir)


if __name__ == "__main__":
    if len(sys.argv) == 2:
        print("JSON:" + json.dumps(run_one(sys.argv[1])))
        sys.exit(0)
    from monitored_cases import CASES
    out = {}
    for name in CASES:
        proc = subprocess.run([sys.executable, __file__, name], capture_output=True, text=True, check=True)
        out[name] = json.loads(proc.stdout.split("JSON:", 1)[1])
    with open(os.path.join(HERE, "monitored.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
