"""``tf.data`` against TensorFlow 2.21's ``tf.compat.v1.data``: element values and order (seeded shuffles
included), static structure, end-of-data and other errors, and the graph's node names, types and inputs.

The programs are tests/golden/data_programs.py; goldens come from tests/golden/make_data.py.
"""
import gzip
import json
import os
import re
import threading
import zlib

import numpy as np
import pytest

import minitf as tf
from golden import data_programs as programs
from minitf.io.tfrecord import encode_record

RECORD = json.load(open(os.path.join(os.path.dirname(__file__), "golden", "data.json")))


def write_tfrecord(path, records, compression):
    """TFRecord framing from minitf.io, compressed as TensorFlow's TFRecordOptions would."""
    data = b"".join(encode_record(r) for r in records)
    if compression == "GZIP":
        data = gzip.compress(data)
    elif compression == "ZLIB":
        data = zlib.compress(data)
    with open(path, "wb") as f:
        f.write(data)


def run(program, tmp_path):
    tf.reset_default_graph()
    workdir = str(tmp_path)
    return json.loads(json.dumps(program(tf, workdir, write_tfrecord)).replace(workdir, "<workdir>"))


@pytest.mark.parametrize("program", [p for p in programs.PROGRAMS
                                     if p not in (programs.training_loop, programs.shape_checks)],
                         ids=lambda p: p.__name__)
def test_program_matches_tensorflow(program, tmp_path):
    got = run(program, tmp_path)
    want = RECORD[program.__name__]
    for key in want:
        assert got[key] == want[key], key


def test_shape_checks_match_tensorflow(tmp_path):
    """Element shapes checked at run time as TensorFlow does. One known difference: TensorFlow raises a generator's
    error inside a PyFunc of the dataset's function, so the error names no op of the graph (``e.op`` is None);
    minitf names the ``IteratorGetNext`` that asked for the element. Class and message agree."""
    got = run(programs.shape_checks, tmp_path)
    want = json.loads(json.dumps(RECORD["shape_checks"]))
    assert want["generator"][1]["op"] is None and got["generator"][1].pop("op") == "IteratorGetNext_1"
    want["generator"][1].pop("op")
    for key in want:
        assert got[key] == want[key], key


def test_training_loop_from_pipeline(tmp_path):
    """The same batches in the same order; the losses agree to float32 rounding (TensorFlow's grappler
    reassociates the gradient's sums)."""
    got = run(programs.training_loop, tmp_path)
    want = RECORD["training_loop"]
    np.testing.assert_allclose(got["losses"], want["losses"], rtol=1e-4, atol=1e-8)
    np.testing.assert_allclose(got["w"], want["w"], rtol=1e-5)
    np.testing.assert_allclose(got["b"], want["b"], rtol=1e-5, atol=1e-7)


def test_map_function_is_traced_once_and_compiled_once_per_session():
    calls = []

    def double(v):
        calls.append(v)
        return v * 2
    tf.reset_default_graph()
    dataset = tf.data.Dataset.range(50).map(double)
    iterator = dataset.make_initializable_iterator()
    element = iterator.get_next()
    from minitf.data import function
    builds = []
    original = function._BoundFunction._build
    function._BoundFunction._build = lambda self: builds.append(1) or original(self)
    try:
        with tf.Session() as sess:
            for _ in range(2):
                sess.run(iterator.initializer)
                assert [sess.run(element) for _ in range(50)] == list(range(0, 100, 2))
    finally:
        function._BoundFunction._build = original
    assert len(calls) == 1 and len(builds) == 1


def test_function_graph_holds_the_traced_ops_and_the_attr_names_it():
    tf.reset_default_graph()
    dataset = tf.data.Dataset.range(3).map(lambda v: v + 1)
    op = dataset._variant_tensor.op
    from minitf.ops.dataset_ops import attached
    traced = attached(op, "f")
    assert [o.type for o in traced.graph.get_operations()] == ["Placeholder", "Const", "AddV2"]
    assert op.get_attr("f").func.name == traced.name
    assert traced.name.startswith("__inference_Dataset_map_lambda_")
    node = [n for n in tf.get_default_graph().as_graph_def().node if n.name == "MapDataset"][0]
    assert node.attr["f"].func.name == traced.name and node.attr["f"].func.attr["_tf_data_function"].b


def test_iterators_are_per_session_and_thread_safe():
    tf.reset_default_graph()
    element = tf.data.Dataset.range(400).make_one_shot_iterator().get_next()
    seen = []
    with tf.Session() as sess:
        def consume():
            while True:
                try:
                    seen.append(int(sess.run(element)))
                except tf.errors.OutOfRangeError:
                    return
        threads = [threading.Thread(target=consume) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(seen) == list(range(400))
    with tf.Session() as sess:  # a new session starts the one-shot iterator again
        assert sess.run(element) == 0


def test_end_of_sequence_names_the_get_next_op():
    tf.reset_default_graph()
    element = tf.data.Dataset.range(1).make_one_shot_iterator().get_next(name="next_element")
    with tf.Session() as sess:
        sess.run(element)
        with pytest.raises(tf.errors.OutOfRangeError) as info:
            sess.run(element)
    assert info.value.message.startswith("End of sequence") and info.value.op.name == "next_element"


def test_unknown_string_handle_is_an_invalid_argument():
    tf.reset_default_graph()
    handle = tf.placeholder(tf.string, [])
    element = tf.data.Iterator.from_string_handle(handle, tf.int64).get_next()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(element, {handle: b"nothing"})


def test_map_capturing_a_variable_reads_it_when_the_iterator_is_initialized():
    tf.reset_default_graph()
    scale = tf.Variable(3, dtype=tf.int64)
    iterator = tf.data.Dataset.range(3).map(lambda v: v * scale).make_initializable_iterator()
    element = iterator.get_next()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(iterator.initializer)
        first = sess.run(element)
        sess.run(scale.assign(5))
        assert [first, sess.run(element)] == [0, 3]
        sess.run(iterator.initializer)
        assert [sess.run(element), sess.run(element)] == [0, 5]


def test_errors_inside_a_map_function_name_the_function_op():
    tf.reset_default_graph()
    element = tf.data.Dataset.range(3).map(lambda v: tf.reshape(v, tf.stack([v + 2]))).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            sess.run(element)
    assert "Reshape" in info.value.message


def test_runs_a_pipeline_imported_from_tensorflows_graph_def():
    """Dataset ops without functions run from a GraphDef TensorFlow wrote, with TensorFlow's shuffle order."""
    tf.reset_default_graph()
    graph_def = tf.GraphDef()
    with open(os.path.join(os.path.dirname(__file__), "fixtures", "dataset_graph.pb"), "rb") as f:
        graph_def.ParseFromString(f.read())
    tf.import_graph_def(graph_def, name="")
    graph = tf.get_default_graph()
    element = [graph.get_tensor_by_name("IteratorGetNext:0"), graph.get_tensor_by_name("IteratorGetNext:1")]
    with tf.Session() as sess:
        sess.run(graph.get_operation_by_name("MakeIterator"))
        assert programs.drain(sess, element) == RECORD["imported_graph"]


GRAPHS = os.path.join(os.path.dirname(__file__), "fixtures", "graphs", "data")


@pytest.mark.parametrize("name", sorted(n[:-3] for n in os.listdir(GRAPHS) if n.endswith(".pb")))
def test_tensorflow_graph_defs_import_and_re_export_node_for_node(name):
    """The GraphDef TensorFlow wrote for each program imports into minitf and exports back with the same nodes,
    inputs and attrs (the function library stays behind: see docs/data.md)."""
    graph_def = tf.GraphDef()
    with open(os.path.join(GRAPHS, name + ".pb"), "rb") as f:
        graph_def.ParseFromString(f.read())
    with tf.Graph().as_default() as graph:
        tf.import_graph_def(graph_def, name="")
    exported = graph.as_graph_def()
    assert [(n.name, n.op, list(n.input)) for n in exported.node] == \
        [(n.name, n.op, list(n.input)) for n in graph_def.node]
    for mine, theirs in zip(exported.node, graph_def.node):
        assert dict(mine.attr) == dict(theirs.attr), mine.name


def test_minitf_graphs_have_tensorflows_nodes_and_attrs(tmp_path):
    """minitf's dataset and iterator nodes have TensorFlow's attrs, but for the function names in func attrs."""
    for program in programs.PROGRAMS:
        tf.reset_default_graph()
        program(tf, str(tmp_path), write_tfrecord)
        mine = tf.get_default_graph().as_graph_def()
        theirs = tf.GraphDef()
        with open(os.path.join(GRAPHS, program.__name__ + ".pb"), "rb") as f:
            theirs.ParseFromString(f.read())
        for a, b in zip(mine.node, theirs.node):
            if not re.search(r"Dataset|Iterator", a.op):
                continue
            keys = set(a.attr) | set(b.attr)
            for key in keys - {"f", "predicate", "dataset_factory", "value", "_class"}:
                assert a.attr.get(key) == b.attr.get(key), (a.name, key)
