"""Records TensorFlow 2.21's values for the seeded random programs in tests/random_cases.py.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_random.py   (writes tests/golden/random.json)

Every fetched array of every run is stored as its dtype, shape and raw little-endian bytes (hex) when small, else
as the sha256 of those bytes plus the hex of its first 8 elements; tolerance cases store the values themselves.
TensorFlow 1.x's seed rule is emulated by wrapping ``get_seed`` the way TF 1.x computed a missing op seed: the
number of operations in the graph so far (``graph._last_id``); the graph layout is TF 2.21's.
The file also records this machine's schedulable CPU count: TensorFlow splits large Multinomial draws into one
shard per thread, and that changes their values. To check that split for other thread counts, raw Multinomial ops
(``SHARDED_MULTINOMIAL``) are also run in child processes whose Session has ``intra_op_parallelism_threads`` set
(TensorFlow sizes its CPU thread pool once per process, from the first Session).
"""
import argparse
import contextlib
import hashlib
import json
import os
import subprocess
import sys

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.python.framework import ops, random_seed

tf.disable_v2_behavior()
tf.logging.set_verbosity(tf.logging.ERROR)
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from random_cases import CASES, SHARDED_MULTINOMIAL, multinomial_logits, run_case  # noqa: E402

FULL_BYTES_LIMIT = 64
HEAD_ELEMENTS = 8


@contextlib.contextmanager
def tf1_seed_rule():
    tf2_get_seed = random_seed.get_seed

    def tf1_get_seed(op_seed):
        graph = ops.get_default_graph()
        if graph.seed is not None and op_seed is None:
            op_seed = len(graph.get_operations())  # TF 1.x: graph._last_id
        return tf2_get_seed(op_seed)
    random_seed.get_seed = tf1_get_seed
    try:
        yield
    finally:
        random_seed.get_seed = tf2_get_seed


def record(array, exact):
    array = np.asarray(array)
    entry = {"dtype": array.dtype.name, "shape": list(array.shape)}
    if not exact:
        entry["values"] = array.tolist()
        return entry
    raw = np.ascontiguousarray(array).tobytes()
    if len(raw) <= FULL_BYTES_LIMIT:
        entry["hex"] = raw.hex()
    else:
        entry["head"] = np.ascontiguousarray(array.reshape(-1)[:HEAD_ELEMENTS]).tobytes().hex()
        entry["sha256"] = hashlib.sha256(raw).hexdigest()
    return entry


def sharded_multinomial(threads):
    """Two runs of each raw Multinomial op of SHARDED_MULTINOMIAL in a Session with ``threads`` intra-op threads."""
    from tensorflow.python.ops import gen_random_ops
    with tf.Graph().as_default():
        samples = [gen_random_ops.multinomial(multinomial_logits(rows, classes, "float32"), num_samples,
                                              seed=seed, seed2=seed2)
                   for rows, classes, num_samples, seed, seed2 in SHARDED_MULTINOMIAL]
        config = tf.ConfigProto(intra_op_parallelism_threads=threads)
        with tf.Session(config=config) as sess:
            return [[record(value, True) for value in sess.run(samples)] for _ in range(2)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--multinomial-threads", type=int, help="print sharded_multinomial(N) as JSON and exit")
    args = parser.parse_args()
    if args.multinomial_threads:
        print(json.dumps(sharded_multinomial(args.multinomial_threads)))
        return
    golden = {"cpu_threads": len(os.sched_getaffinity(0)), "cases": {}, "multinomial_threads": {}}
    for name, case in CASES.items():
        runs = run_case(tf, case, tf1_seed_rule)
        golden["cases"][name] = [[record(value, case.tolerance is None) for value in run] for run in runs]
    for threads in (1, 3, 4):
        output = subprocess.run([sys.executable, __file__, "--multinomial-threads", str(threads)], check=True,
                                capture_output=True, text=True).stdout
        golden["multinomial_threads"][str(threads)] = json.loads(output.strip().splitlines()[-1])
    with open(os.path.join(HERE, "random.json"), "w") as f:
        json.dump(golden, f, separators=(",", ":"), sort_keys=True)
    print("recorded", len(golden["cases"]), "cases")


if __name__ == "__main__":
    main()
