"""GraphDef and MetaGraphDef import treat files as untrusted, against TensorFlow's importer (goldens from
tests/golden/make_reliability.py): malformed NodeDefs fail with TensorFlow's ValueError naming the node, a few
bytes cannot command a big allocation, and names thousands of scopes deep import in linear time."""

import json
import os
import time
import tracemalloc

import numpy as np
import pytest

import minitf as tf
from golden import reliability_programs as programs
from minitf.proto import graph_pb2

GOLDEN = json.load(open(os.path.join(os.path.dirname(__file__), "golden", "reliability.json")))


@pytest.mark.parametrize("name", sorted(GOLDEN["graph_def_cases"]))
def test_malformed_node_defs_fail_as_in_tensorflow(name):
    got = programs.import_case(tf, graph_pb2, programs.GRAPH_DEF_CASES[name])
    expected = GOLDEN["graph_def_cases"][name]
    if name == "negative_dim":  # TensorFlow's text quotes its debug form of the node; the reason is the same
        assert got == ["ValueError", "Shape [-3] is not fully defined; NodeDef: {{node a}}"]
        assert expected[0] == "ValueError" and expected[1].startswith("Shape [-3] is not fully defined for '{{node a}}")
    else:
        assert got == expected


def test_a_const_claiming_two_gib_allocates_nothing_at_import():
    """53 bytes of GraphDef whose Const says shape [2**29] with one value (or none): TensorFlow keeps it
    unexpanded until it runs, minitf makes a zero-stride view."""
    from google.protobuf import text_format
    for name in ("huge_const", "huge_const_no_values"):
        graph_def = text_format.Parse(programs.GRAPH_DEF_CASES[name], graph_pb2.GraphDef())
        assert len(graph_def.SerializeToString()) <= 56
        tracemalloc.start()
        with tf.Graph().as_default() as graph:
            tf.import_graph_def(graph_def, name="")
            value = graph.get_operation_by_name("a").get_attr("value")
            exported = graph.as_graph_def()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < 1 << 20
        assert value.shape == (2**29,) and value.strides == (0,)
        assert value[12345] == (1.0 if name == "huge_const" else 0.0)
        assert len(exported.SerializeToString()) < 100  # written back as one value and a shape


def test_tensor_contents_that_do_not_fill_the_shape_are_refused():
    """TensorFlow accepts these at import and fails when the constant is used; minitf refuses them at import,
    naming the node, rather than allocating what the shape claims."""
    from google.protobuf import text_format
    short = programs._const("a", shape="dim { size: 4 }", values='tensor_content: "\\000\\000\\000\\000"')
    many = programs._const("a", shape="dim { size: 2 }", values="float_val: 1 float_val: 2 float_val: 3")
    padded = programs._const("a", shape="dim { size: 536870912 }", values="float_val: 1 float_val: 2")
    for text, message in (
            (short, "Tensor of shape [4] and dtype float32 needs 16 bytes of tensor_content, got 4"),
            (many, "Tensor of shape [2] holds 3 values, more than its 2 elements"),
            (padded, "Tensor of shape [536870912] spells out 2 values: minitf does not expand them to 2147483648 "
                     "bytes")):
        with tf.Graph().as_default(), pytest.raises(ValueError) as info:
            tf.import_graph_def(text_format.Parse(text, graph_pb2.GraphDef()), name="")
        assert str(info.value) == message + "; NodeDef: {{node a}}"


def test_a_name_forty_thousand_scopes_deep_imports_in_linear_time():
    graph_def = programs.deep_graph_def(graph_pb2, 40000)
    tracemalloc.start()
    start = time.time()
    with tf.Graph().as_default() as graph:
        tf.import_graph_def(graph_def, name="")
        tf.import_graph_def(graph_def, name="")  # the second copy clashes with the first: renamed to .../x_1
        names = [op.name for op in graph.get_operations()]
    elapsed = time.time() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(names) == 2 * GOLDEN["deep_name_ops"]
    assert names[0] == "s/" * 40000 + "x" and names[1] == names[0] + "_1"
    assert elapsed < 2 and peak < 20 << 20


def test_placeholder_without_shape_gets_tensorflows_default():
    from google.protobuf import text_format
    graph_def = text_format.Parse(programs.GRAPH_DEF_CASES["placeholder_without_shape"], graph_pb2.GraphDef())
    with tf.Graph().as_default() as graph:
        tf.import_graph_def(graph_def, name="")
        a = graph.get_tensor_by_name("a:0")
        assert a.shape.ndims is None
        with tf.Session() as sess:
            assert sess.run(a * 2, {a: np.ones(3, np.float32)}).tolist() == [2.0, 2.0, 2.0]
    assert graph_def == text_format.Parse(programs.GRAPH_DEF_CASES["placeholder_without_shape"],
                                          graph_pb2.GraphDef())  # the caller's GraphDef is not changed


def test_meta_graph_collections_of_the_wrong_kind_are_value_errors():
    """TensorFlow fails with AttributeError on a variables collection of int64s; minitf names the collection."""
    with tf.Graph().as_default():
        tf.Variable(tf.zeros([2]), name="weights")
        meta_graph_def = tf.train.export_meta_graph()
    meta_graph_def.collection_def["variables"].int64_list.value.append(3)
    with tf.Graph().as_default(), pytest.raises(ValueError, match="Collection 'variables' must hold serialized "
                                                                  "VariableDefs"):
        tf.train.import_meta_graph(meta_graph_def)
