"""Checks that TensorFlow imports and runs the GraphDefs, pbtxt files and meta graphs minitf writes.

Two steps, each in its own interpreter (minitf never runs beside TensorFlow):

    python3 tests/golden/check_graph_io_with_tf.py write DIR           # minitf builds, runs and writes
    ~/tfref/bin/python tests/golden/check_graph_io_with_tf.py check DIR  # TensorFlow imports, runs, compares

``write`` builds each program of tests/graph_io_cases.py and writes its GraphDef (binary, with output shapes, and
pbtxt), its MetaGraphDef (and one with default attrs stripped) and the values of its Run; the variable-scopes
program also frozen with tf.graph_util.convert_variables_to_constants; and every op case's GraphDef with its
output and gradient values. ``check`` has TensorFlow import each file (tf.import_graph_def,
tf.train.import_meta_graph, checking the collections it rebuilds) and run it, comparing with minitf's values
(floats at float32 rounding, others exactly). It prints one line per check and exits non-zero if any fails.
"""

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import graph_io_cases  # noqa: E402

FROZEN_OUTPUTS = ["total", "layer2/add"]
COLLECTIONS = ["variables", "trainable_variables", "train_op", "summaries", "global_step", "losses"]


def write(directory):
    import minitf as tf
    from minitf.framework import graph_util, meta_graph
    os.makedirs(directory, exist_ok=True)
    values, collections = {}, {}
    for name, build in graph_io_cases.PROGRAMS.items():
        with tf.Graph().as_default() as graph:
            run = build(tf)
        collections[name] = {key: [m.name for m in graph.get_collection(key)] for key in COLLECTIONS}
        tf.train.write_graph(graph.as_graph_def(add_shapes=True), directory, name + ".pb", as_text=False)
        tf.train.write_graph(graph, directory, name + ".pbtxt")
        meta_graph.export_meta_graph(os.path.join(directory, name + ".meta"), graph=graph)
        meta_graph.export_meta_graph(os.path.join(directory, name + ".stripped.meta"), graph=graph,
                                     strip_default_attrs=True)
        with tf.Session(graph=graph) as sess:
            for i, value in enumerate(run.execute(sess)):
                values[f"{name}/{i}"] = value
            if name == "variable_scopes":
                frozen = graph_util.convert_variables_to_constants(sess, graph.as_graph_def(), FROZEN_OUTPUTS)
                tf.train.write_graph(frozen, directory, "frozen.pb", as_text=False)
                for output, value in zip(FROZEN_OUTPUTS, sess.run([o + ":0" for o in FROZEN_OUTPUTS], run.feeds)):
                    values[f"frozen/{output}"] = value
    cases, graph_defs = {}, {}
    for set_name, case_set in graph_io_cases.CASE_SETS.items():
        for case_name, case in case_set.items():
            key = f"{set_name}/{case_name}"
            with tf.Graph().as_default() as graph:
                out, grads = graph_io_cases.case_graph(tf, case)
            fetches = [out.name] + [g.name for g in grads if g is not None]
            graph_defs[key] = np.frombuffer(graph.as_graph_def(add_shapes=True).SerializeToString(), np.uint8)
            with tf.Session(graph=graph) as sess:
                for fetch, value in zip(fetches, sess.run(fetches)):
                    values[f"{key}/{fetch}"] = value
            cases[key] = fetches
    np.savez(os.path.join(directory, "cases.npz"), **graph_defs)
    np.savez(os.path.join(directory, "expected.npz"), **values)
    with open(os.path.join(directory, "cases.json"), "w") as f:
        json.dump(cases, f)
    with open(os.path.join(directory, "collections.json"), "w") as f:
        json.dump(collections, f)
    print("minitf wrote", len(graph_io_cases.PROGRAMS), "programs and", len(cases), "op cases to", directory)


def check(directory):
    import tensorflow.compat.v1 as tf
    from google.protobuf import text_format
    tf.disable_v2_behavior()
    expected = np.load(os.path.join(directory, "expected.npz"))
    collections = json.load(open(os.path.join(directory, "collections.json")))
    failures = []

    def compare(label, values, keys):
        try:
            for value, key in zip(values, keys):
                want = expected[key]
                if want.dtype.kind in "fc":
                    np.testing.assert_allclose(value, want, rtol=1e-5, atol=5e-5, err_msg=key)
                else:
                    np.testing.assert_array_equal(value, want, err_msg=key)
        except AssertionError as e:
            failures.append(label)
            print("FAIL", label, " ".join(str(e).strip().splitlines()[:8]))
            return
        print("ok  ", label)

    def attempt(label, fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001 -- report any TensorFlow error as a failed check
            failures.append(label)
            print("FAIL", label, type(e).__name__, (str(e).splitlines() or [""])[0][:300])

    for name, build in graph_io_cases.PROGRAMS.items():
        with tf.Graph().as_default():
            run = build(tf)  # only for its fetches and feeds
        keys = [f"{name}/{i}" for i in range(len(run.fetches))]
        path = os.path.join(directory, name)
        graph_def = tf.GraphDef.FromString(open(path + ".pb", "rb").read())

        def run_graph_def(graph_def=graph_def, run=run, keys=keys, name=name):
            with tf.Graph().as_default() as graph:
                tf.import_graph_def(graph_def, name="")
            with tf.Session(graph=graph) as sess:
                compare(f"{name}: GraphDef imported and run", run.execute(sess), keys)

        def parse_text(path=path, name=name):
            parsed = text_format.Parse(open(path + ".pbtxt").read(), tf.GraphDef())
            graph_def = tf.GraphDef.FromString(open(path + ".pb", "rb").read())  # import_graph_def changed the other
            for node in graph_def.node:
                node.attr.pop("_output_shapes", None)
            assert parsed == graph_def, "pbtxt differs from the binary GraphDef"
            print("ok  ", f"{name}: pbtxt parses to the same GraphDef")

        def run_meta(suffix, run=run, keys=keys, name=name, path=path):
            with tf.Graph().as_default() as graph:
                tf.train.import_meta_graph(path + suffix)
                rebuilt = {key: [m.name for m in graph.get_collection(key)] for key in COLLECTIONS}
                assert rebuilt == collections[name], f"collections {rebuilt} != minitf's {collections[name]}"
            with tf.Session(graph=graph) as sess:
                compare(f"{name}: {suffix} imported with collections and run", run.execute(sess), keys)

        attempt(f"{name}: GraphDef", run_graph_def)
        attempt(f"{name}: pbtxt", parse_text)
        attempt(f"{name}: .meta", lambda run_meta=run_meta: run_meta(".meta"))
        attempt(f"{name}: .stripped.meta", lambda run_meta=run_meta: run_meta(".stripped.meta"))

    def run_frozen():
        frozen = tf.GraphDef.FromString(open(os.path.join(directory, "frozen.pb"), "rb").read())
        assert not [n for n in frozen.node if n.op == "VariableV2"]
        with tf.Graph().as_default() as graph:
            tf.import_graph_def(frozen, name="")
        with tf.Session(graph=graph) as sess:
            feeds = {"x:0": graph_io_cases.variable_scopes.__globals__["_rng_data"]([5, 3], 4)}
            compare("frozen graph imported and run", sess.run([o + ":0" for o in FROZEN_OUTPUTS], feeds),
                    [f"frozen/{o}" for o in FROZEN_OUTPUTS])

    attempt("frozen graph", run_frozen)
    cases = json.load(open(os.path.join(directory, "cases.json")))
    graph_defs = np.load(os.path.join(directory, "cases.npz"))
    for key, fetches in sorted(cases.items()):
        def run_case(key=key, fetches=fetches):
            with tf.Graph().as_default() as graph:
                tf.import_graph_def(tf.GraphDef.FromString(graph_defs[key].tobytes()), name="")
            with tf.Session(graph=graph) as sess:
                compare(f"op case {key}", sess.run(fetches), [f"{key}/{f}" for f in fetches])
        attempt(f"op case {key}", run_case)
    print(f"{len(failures)} failed" if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    command, target = sys.argv[1:3]
    sys.exit(write(target) if command == "write" else check(target))
