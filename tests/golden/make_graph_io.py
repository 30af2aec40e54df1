"""Writes TensorFlow 2.21's GraphDefs, pbtxt files, MetaGraphDefs and values for tests/test_graph_io.py.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_graph_io.py
Writes tests/fixtures/graphs/graph_io/, for each program of tests/graph_io_cases.py:
  <name>.pb      the GraphDef with output shapes (``as_graph_def(add_shapes=True)``), binary
  <name>.pbtxt   ``tf.train.write_graph(graph, dir, name)``: the plain GraphDef as text
  <name>.meta    ``tf.train.export_meta_graph(graph=graph)``: MetaGraphDef, binary
  <name>.stripped.meta   the same with ``strip_default_attrs=True``
and values.npz: ``<name>/<i>`` the i-th fetch of the program's Run, executed on the GraphDef imported into a fresh
graph (checked equal to running the original graph and to running it after ``tf.train.import_meta_graph``).
import_scenarios.json: graph_io_cases.import_scenarios on the GraphDefs above (names, inputs, devices, errors).
graph_util_<name>.pb: the GraphDefs graph_io_cases.graph_util_outputs makes from the GraphDefs above.
raw_ops.pb and raw_ops.npz: a GraphDef of the ops minitf registers but builds only internally (tf.raw_ops), and the
values of its nodes (by tensor name).
op_defaults.json: for every op type in these GraphDefs, the attrs its TensorFlow OpDef gives a default
(attr -> serialized AttrValue, hex).
cases.npz and cases.json: for each op case of graph_io_cases.CASE_SETS (``<set>/<case>``), the serialized GraphDef
(with output shapes, as uint8 array) of the graph graph_io_cases.case_graph builds, and the names of its output and
gradients.
"""
import json
import os
import shutil
import sys

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.python.framework import op_def_registry

tf.disable_v2_behavior()
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import graph_io_cases  # noqa: E402

OUT = os.path.join(os.path.dirname(HERE), "fixtures", "graphs", "graph_io")


def raw_ops_graph():
    """Ops without a public TF1 wrapper in minitf, each fed constants; returns (graph, fetched tensors)."""
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(2)
        a = tf.constant([[1.5, -2.0], [0.0, 4.0]], name="a")
        b = tf.constant([[3.0, 0.0], [-1.0, 2.0]], name="b")
        z = tf.constant(np.array([1.5 + 3j, -2.0, -1j, 4.0 + 2j], np.complex64), name="z")
        alpha = tf.constant([2.0, 0.5], name="alpha")
        raw = tf.raw_ops
        outputs = [raw.Add(x=a, y=b), raw.Atan2(y=a, x=b), raw.Conj(input=z), raw.Real(input=z),
                   raw.DiagPart(input=a), raw.Div(x=a, y=b), raw.DivNoNan(x=a, y=b), raw.Xdivy(x=a, y=b),
                   raw.OnesLike(x=a), raw.Snapshot(input=a), raw.RandomGammaGrad(alpha=alpha, sample=alpha + 1.0)]
        outputs += list(raw.Qr(input=a, full_matrices=False))
        outputs.append(raw.Div(x=tf.constant([-7, 7, 7, -7]), y=tf.constant([2, 2, -2, -2]), name="int_div"))
        outputs += list(raw.BroadcastGradientArgs(s0=tf.constant([2, 1, 3]), s1=tf.constant([4, 1])))
        outputs += [raw.DynamicStitch(indices=[tf.constant([0, 2]), tf.constant([1])], data=[b[:, 0], b[:1, 1]]),
                    raw.PreventGradient(input=a, message="no"), raw.SoftplusGrad(gradients=a, features=b)]
        outputs += list(raw.DenseToDenseSetOperation(set1=tf.constant([[1, 2, 3], [4, 4, 5]]),
                                                     set2=tf.constant([[2, 0, 7], [5, 1, 1]]), set_operation="a-b"))
        handle = raw.AddSparseToTensorsMap(sparse_indices=tf.constant([[1]], tf.int64), sparse_values=[2.5],
                                           sparse_shape=tf.constant([3], tf.int64))
        with tf.control_dependencies([handle]):  # the map's handles in a fixed order: 0, then 1 2 3
            many = raw.AddManySparseToTensorsMap(sparse_indices=tf.constant([[0, 1], [2, 0], [2, 3]], tf.int64),
                                                 sparse_values=[1.0, -1.0, 4.0],
                                                 sparse_shape=tf.constant([3, 4], tf.int64),
                                                 shared_name=handle.op.name)
        outputs += list(raw.TakeManySparseFromTensorsMap(sparse_handles=tf.concat([many, [handle]], 0),
                                                         dtype=tf.float32, shared_name=handle.op.name))
    return graph, outputs


def execute(graph, run):
    with tf.Session(graph=graph) as sess:
        return run.execute(sess)


def main():
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    values = {}
    for name, build in graph_io_cases.PROGRAMS.items():
        graph = tf.Graph()
        with graph.as_default():
            run = build(tf)
        graph_def = graph.as_graph_def(add_shapes=True)
        tf.train.write_graph(graph_def, OUT, name + ".pb", as_text=False)
        tf.train.write_graph(graph, OUT, name + ".pbtxt")
        tf.train.export_meta_graph(os.path.join(OUT, name + ".meta"), graph=graph)
        tf.train.export_meta_graph(os.path.join(OUT, name + ".stripped.meta"), graph=graph, strip_default_attrs=True)
        direct = execute(graph, run)
        with tf.Graph().as_default() as imported:
            tf.import_graph_def(graph_def, name="")
        from_graph_def = execute(imported, run)
        with tf.Graph().as_default() as from_meta:
            tf.train.import_meta_graph(os.path.join(OUT, name + ".meta"))
        from_meta_values = execute(from_meta, run)
        for i, (a, b, c) in enumerate(zip(direct, from_graph_def, from_meta_values)):
            np.testing.assert_array_equal(a, b)
            np.testing.assert_array_equal(a, c)
            values[f"{name}/{i}"] = a
        print(name, len(graph_def.node), "nodes")
    np.savez(os.path.join(OUT, "values.npz"), **values)
    graph_defs = {name: tf.GraphDef.FromString(open(os.path.join(OUT, name + ".pb"), "rb").read())
                  for name in graph_io_cases.PROGRAMS}
    with open(os.path.join(OUT, "import_scenarios.json"), "w") as f:
        json.dump(graph_io_cases.import_scenarios(tf, graph_defs), f, indent=0, sort_keys=True)
    for name, graph_def in graph_io_cases.graph_util_outputs(tf, graph_defs).items():
        tf.train.write_graph(graph_def, OUT, f"graph_util_{name}.pb", as_text=False)
    graph, outputs = raw_ops_graph()
    tf.train.write_graph(graph.as_graph_def(add_shapes=True), OUT, "raw_ops.pb", as_text=False)
    with tf.Session(graph=graph) as sess:
        np.savez(os.path.join(OUT, "raw_ops.npz"), **{t.name: v for t, v in zip(outputs, sess.run(outputs))})
    cases, graph_defs = {}, {}
    for set_name, case_set in graph_io_cases.CASE_SETS.items():
        for name, case in case_set.items():
            with tf.Graph().as_default() as graph:
                out, grads = graph_io_cases.case_graph(tf, case)
            graph_def = graph.as_graph_def(add_shapes=True).SerializeToString()
            graph_defs[f"{set_name}/{name}"] = np.frombuffer(graph_def, np.uint8)
            cases[f"{set_name}/{name}"] = {"out": out.name, "grads": [None if g is None else g.name for g in grads]}
    np.savez_compressed(os.path.join(OUT, "cases.npz"), **graph_defs)
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump(cases, f, indent=0, sort_keys=True)
    op_types = {n.op for key in graph_defs for n in tf.GraphDef.FromString(graph_defs[key].tobytes()).node}
    for name in list(graph_io_cases.PROGRAMS) + ["raw_ops"]:
        op_types |= {n.op for n in tf.GraphDef.FromString(open(os.path.join(OUT, name + ".pb"), "rb").read()).node}
    defaults = {op: {a.name: a.default_value.SerializeToString().hex() for a in op_def_registry.get(op).attr
                     if a.HasField("default_value")} for op in sorted(op_types)}
    with open(os.path.join(OUT, "op_defaults.json"), "w") as f:
        json.dump(defaults, f, indent=0, sort_keys=True)
    print(len(cases), "op cases")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
