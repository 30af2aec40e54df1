"""GraphDef and pbtxt round trips, both directions, with TensorFlow-written fixtures
(tests/golden/make_graph_fixtures.py)."""

import json
import os

import numpy as np
import pytest
from google.protobuf import text_format

import minitf as tf

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "graphs")
EXPECTED = json.load(open(os.path.join(FIXTURES, "expected.json")))


def _seed000_graph():
    """The program of make_graph_fixtures.py, built by minitf."""
    graph = tf.Graph()
    with graph.as_default():
        x_data = np.linspace(0, 1, 100).astype(np.float32)
        y_data = x_data * 0.1 + 0.3
        with tf.name_scope("linear"):
            weight = tf.Variable(tf.constant([-0.4]), dtype=np.float32, name="weight")
            bias = tf.Variable(tf.zeros(shape=[1]), dtype=np.float32, name="bias")
            y = weight * x_data + bias
        with tf.name_scope("gradient_descent"):
            loss = tf.reduce_mean(tf.square(y - y_data), name="loss")
            tf.summary.scalar("linear_loss", loss)
            tf.train.GradientDescentOptimizer(0.5).minimize(loss, name="train")
        tf.global_variables_initializer()
        tf.train.Saver()
    return graph


def _train_imported(graph_def, steps=5):
    with tf.Graph().as_default():
        tf.import_graph_def(graph_def, name="")
        with tf.Session() as sess:
            sess.run("init")
            for _ in range(steps):
                sess.run("gradient_descent/train")
            weight, bias, loss = sess.run(["linear/weight:0", "linear/bias:0", "gradient_descent/loss:0"])
    return [float(weight[0]), float(bias[0]), float(loss)]


def test_graph_def_nodes_equal_tensorflows():
    graph_def = _seed000_graph().as_graph_def()
    assert [[n.name, n.op] for n in graph_def.node] == EXPECTED["nodes"]


@pytest.mark.parametrize("name", ["seed000.pb", "seed000.pbtxt"])
def test_tensorflow_written_graph_def_imports_and_trains(name):
    data = open(os.path.join(FIXTURES, name), "rb").read()
    graph_def = tf.GraphDef()
    if name.endswith(".pbtxt"):
        text_format.Parse(data.decode(), graph_def)
    else:
        graph_def.ParseFromString(data)
    np.testing.assert_allclose(_train_imported(graph_def), EXPECTED["after_5_steps"], rtol=1e-6)


def test_minitf_graph_def_round_trips_binary_and_text(tmp_path):
    graph = _seed000_graph()
    binary = tf.train.write_graph(graph, str(tmp_path), "g.pb", as_text=False)
    text = tf.train.write_graph(graph, str(tmp_path), "g.pbtxt")
    from_binary = tf.GraphDef.FromString(open(binary, "rb").read())
    from_text = text_format.Parse(open(text).read(), tf.GraphDef())
    assert from_binary == from_text == graph.as_graph_def()
    np.testing.assert_allclose(_train_imported(from_text), EXPECTED["after_5_steps"], rtol=1e-6)
    # Re-exporting the imported graph gives the same GraphDef.
    with tf.Graph().as_default() as again:
        tf.import_graph_def(from_binary, name="")
    assert again.as_graph_def() == from_binary


def test_import_with_prefix_input_map_and_return_elements():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None], name="x")
        tf.identity(x * 2.0 + 1.0, name="y")
        graph_def = tf.get_default_graph().as_graph_def()
    with tf.Graph().as_default():
        feed = tf.constant([1.0, 2.0], name="feed")
        y, op = tf.import_graph_def(graph_def, input_map={"x:0": feed}, return_elements=["y:0", "y"])
        assert y.name == "import/y:0" and op.name == "import/y"
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(y), [3.0, 5.0])
        with pytest.raises(ValueError, match="not found in graph_def"):
            tf.import_graph_def(graph_def, input_map={"nope:0": feed})


def test_unknown_op_type_is_a_clear_error():
    graph_def = tf.GraphDef()
    graph_def.node.add(name="a", op="NoSuchOp")
    with tf.Graph().as_default(), pytest.raises(ValueError, match="NoSuchOp"):
        tf.import_graph_def(graph_def)
