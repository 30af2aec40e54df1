"""Records TensorFlow 2.21's behaviour for the queue and input-pipeline programs in tests/queue_cases.py.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_queues.py   (writes tests/golden/queues.json)
Each case runs in its own process, so the process-wide resource ids in queue names start from 0 as in a test.
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
    tf.logging.set_verbosity(tf.logging.ERROR)
    from queue_cases import CASES
    with tempfile.TemporaryDirectory() as workdir:
        result = CASES[name](tf, workdir)
    return json.loads(json.dumps(result).replace(workdir, "<workdir>"))


if __name__ == "__main__":
    if len(sys.argv) == 2:
        print(json.dumps(run_one(sys.argv[1])))
        sys.exit(0)
    from queue_cases import CASES
    golden = {}
    for name in CASES:
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
        done = subprocess.run([sys.executable, __file__, name], capture_output=True, text=True, env=env, check=True)
        golden[name] = json.loads(done.stdout.strip().splitlines()[-1])
    with open(os.path.join(HERE, "queues.json"), "w") as f:
        json.dump(golden, f, indent=1, sort_keys=True)
