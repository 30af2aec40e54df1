"""Records TensorFlow 2.21's batching of SparseTensors for tests/test_sparse_batch.py.

Run:  ~/tfref/bin/python tests/golden/make_sparse_batch.py   (writes tests/golden/sparse_batch.json)
Each program of tests/golden/sparse_batch_programs.py runs over a TFRecord file TensorFlow writes; the record is
the graph's nodes, the fetches' static shapes and the batches (see that module).
"""
import json
import os
import tempfile

import tensorflow.compat.v1 as tf

import sparse_batch_programs as programs

tf.disable_v2_behavior()
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sparse_batch.json")


def main():
    with tempfile.TemporaryDirectory() as workdir:
        path = os.path.join(workdir, "examples.tfrecords")
        programs.write_records(tf, path)
        record = {name: programs.run(tf, build, path) for name, build in programs.PROGRAMS.items()}
    with open(OUT, "w") as f:
        json.dump(record, f, separators=(",", ":"), sort_keys=True)
        f.write("\n")
    print("recorded", len(record), "programs")


main()
