"""Records TensorFlow 2.21 (tf.compat.v1) behaviour of tf.data for tests/test_data.py.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_data.py
Writes tests/golden/data.json, tests/fixtures/dataset_graph.pb, and tests/fixtures/graphs/data/: each program's
GraphDef (with TensorFlow's function library) and op_defaults.json (the attrs with defaults in TensorFlow's OpDef of
every op type in them, as tests/golden/make_graph_io.py records them). The programs are
tests/golden/data_programs.py.
"""
import json
import os
import tempfile

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.python.framework import op_def_registry

import data_programs

tf.disable_v2_behavior()
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data.json")
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")
GRAPHS = os.path.join(FIXTURES, "graphs", "data")


def write_tfrecord(path, records, compression):
    options = tf.io.TFRecordOptions(compression_type=compression) if compression else None
    with tf.io.TFRecordWriter(path, options) as writer:
        for record in records:
            writer.write(record)


golden = {}
os.makedirs(GRAPHS, exist_ok=True)
op_types = set()
for program in data_programs.PROGRAMS:
    tf.reset_default_graph()
    with tempfile.TemporaryDirectory() as workdir:
        result = json.dumps(program(tf, workdir, write_tfrecord))
        golden[program.__name__] = json.loads(result.replace(workdir, "<workdir>"))
    graph_def = tf.get_default_graph().as_graph_def()
    tf.train.write_graph(graph_def, GRAPHS, program.__name__ + ".pb", as_text=False)
    op_types |= {n.op for n in graph_def.node}
    op_types |= {n.op for f in graph_def.library.function for n in f.node_def}
defaults = {op: {a.name: a.default_value.SerializeToString().hex() for a in op_def_registry.get(op).attr
                 if a.HasField("default_value")} for op in sorted(op_types)}
with open(os.path.join(GRAPHS, "op_defaults.json"), "w") as f:
    json.dump(defaults, f, indent=0, sort_keys=True)


def dataset_graph_fixture():
    """A GraphDef with a function-free pipeline, written by TensorFlow; minitf imports and runs it."""
    tf.reset_default_graph()
    ds = tf.data.Dataset.from_tensor_slices((np.arange(6.0), np.arange(6))).shuffle(4, seed=1).repeat(2).batch(4)
    iterator = tf.data.make_initializable_iterator(ds)
    element = iterator.get_next()
    tf.train.write_graph(tf.get_default_graph(), FIXTURES, "dataset_graph.pb", as_text=False)
    with tf.Session() as sess:
        sess.run(iterator.initializer)
        return data_programs.drain(sess, element)


golden["imported_graph"] = dataset_graph_fixture()
with open(OUT, "w") as f:
    json.dump(golden, f, indent=1, sort_keys=True)
    f.write("\n")
print("wrote", OUT)
