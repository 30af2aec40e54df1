"""Records how TensorFlow fails on the inputs of issue 15 (write failures, hostile files, bad arguments), for
tests/test_reliability_*.py: the error class and message of each case, with temporary paths replaced by DIR.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_reliability.py  (writes reliability.json)
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reliability_programs as programs  # noqa: E402

import tensorflow.compat.v1 as tf  # noqa: E402
tf.disable_v2_behavior()

out = {}


def run_script(script, *args):
    result = subprocess.run([sys.executable, "-c", programs.TENSORFLOW + script, *args], capture_output=True,
                            text=True, timeout=300, check=True)
    return result.stdout


def count_scalars(logdir):
    from tensorboard.backend.event_processing import event_accumulator
    accumulator = event_accumulator.EventAccumulator(logdir)
    accumulator.Reload()
    return len(accumulator.Scalars("x"))


# -- writers ------------------------------------------------------------------------------------------------------
out["full_disk"] = json.loads(run_script(programs.FULL_DISK_SCRIPT, tempfile.mkdtemp()).splitlines()[0])
out["never_closed_scalars"] = []  # TensorFlow loses the events still in its Python queue (up to max_queue) at exit
for _ in range(5):
    logdir = tempfile.mkdtemp()
    run_script(programs.NEVER_CLOSED_SCRIPT, logdir)
    out["never_closed_scalars"].append(count_scalars(logdir))

# -- thread safety ------------------------------------------------------------------------------------------------
out["concurrent_updates"] = programs.concurrent_updates(tf, threads=8, runs=100)

# -- importers ----------------------------------------------------------------------------------------------------
from tensorflow.core.framework import graph_pb2  # noqa: E402
out["graph_def_cases"] = {name: programs.import_case(tf, graph_pb2, text)
                          for name, text in programs.GRAPH_DEF_CASES.items()}
with tf.Graph().as_default() as graph:
    tf.import_graph_def(programs.deep_graph_def(graph_pb2, 40000), name="")
    out["deep_name_ops"] = len(graph.get_operations())

# -- graph-time and run-time checks -------------------------------------------------------------------------------
out["checks"] = {name: programs.run_check(tf, name) for name in programs.CHECK_CASES}

json.dump(out, open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "reliability.json"), "w"), indent=1)
