"""Writes TensorFlow 2.21 graphs for tests/test_graph_io.py, tests/test_export.py and tests/test_cli.py.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_graph_fixtures.py
Writes tests/fixtures/graphs/: seed000.pb and seed000.pbtxt (seeds/000's scoped linear regression, GraphDef with
output shapes), seed000.meta (its MetaGraphDef with a Saver), logs/ (an event file with the graph and 3 scalars),
and expected.json (the values TensorFlow computes from the imported graph, and its node names and types).
"""
import json
import os
import shutil
import sys

import tensorflow.compat.v1 as tf

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import graph_io_cases  # noqa: E402

tf.disable_v2_behavior()
OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures", "graphs")


def main():
    # Only this script's files: tests/fixtures/graphs/graph_io/ belongs to make_graph_io.py.
    for name in ("seed000.pb", "seed000.pbtxt", "seed000.meta", "expected.json"):
        if os.path.exists(os.path.join(OUT, name)):
            os.remove(os.path.join(OUT, name))
    shutil.rmtree(os.path.join(OUT, "logs"), ignore_errors=True)
    os.makedirs(OUT, exist_ok=True)
    graph = graph_io_cases.seed000_fixture_graph(tf)
    graph_def = graph.as_graph_def(add_shapes=True)
    tf.train.write_graph(graph_def, OUT, "seed000.pb", as_text=False)
    tf.train.write_graph(graph_def, OUT, "seed000.pbtxt", as_text=True)
    with graph.as_default():
        tf.train.export_meta_graph(os.path.join(OUT, "seed000.meta"))
        merged = tf.summary.merge_all()
        with tf.Session() as sess:
            writer = tf.summary.FileWriter(os.path.join(OUT, "logs"), graph)
            sess.run("init")
            losses = []
            for step in range(3):
                summary, loss, _ = sess.run([merged, "gradient_descent/loss:0", "gradient_descent/train"])
                writer.add_summary(summary, step)
                losses.append(float(loss))
            writer.close()
    # Import the GraphDef into a fresh graph, as minitf's test will, and record what TensorFlow computes.
    with tf.Graph().as_default():
        tf.import_graph_def(graph_def, name="")
        with tf.Session() as sess:
            sess.run("init")
            for _ in range(5):
                sess.run("gradient_descent/train")
            values = sess.run(["linear/weight:0", "linear/bias:0", "gradient_descent/loss:0"])
    expected = {"nodes": [[n.name, n.op] for n in graph_def.node], "losses": losses,
                "after_5_steps": [float(values[0][0]), float(values[1][0]), float(values[2])]}
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=0)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
