"""The graph exporter: graphviz drawings grouped by name scope, rendering with the real `dot`, networkx."""

import os
import re
import shutil

import pytest

import core_cases
import minitf as tf
from minitf.tools import graph_export

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "graphs")


def _seed000_scoped_graph():
    """seeds/000's third listing (name scopes 'linear' and 'gradient_descent')."""
    return core_cases.scoped_graph(tf)[0]


def _clusters(source):
    return set(re.findall(r'subgraph "?cluster_([^"\s{]+)"?', source))


def test_dot_has_scopes_as_clusters_and_every_op():
    graph = _seed000_scoped_graph()
    source = graph_export.to_dot(graph).source
    assert {"linear", "gradient_descent", "linear/weight", "gradient_descent/gradients"} <= _clusters(source)
    for op in graph.get_operations():
        assert re.search(r'(^|\s)"?%s"? \[' % re.escape(op.name), source, re.M), op.name
    # variables, constants and placeholders are drawn distinctly; control edges are dashed
    assert re.search(r'"linear/weight" \[[^\]]*shape=cylinder', source)
    assert re.search(r'"linear/random_uniform/shape" \[[^\]]*shape=circle', source)
    assert "style=dashed" in source
    # data edges carry dtype and shape
    assert 'label="float32 (100)"' in source


def test_collapse_and_depth():
    graph = _seed000_scoped_graph()
    collapsed = graph_export.to_dot(graph, collapse=["gradient_descent/gradients"]).source
    assert "gradient_descent/gradients/" in collapsed and "cluster_gradient_descent/gradients" not in collapsed
    assert "Square_grad" not in collapsed
    top = graph_export.to_dot(graph, depth=1).source
    assert not re.search(r"cluster_linear/", top) and '"linear/weight/"' in top
    without_aux = graph_export.to_dot(graph, show_aux=False).source
    assert "gradients" not in without_aux and "init" not in without_aux


def test_large_graphs_keep_edge_shapes_in_tooltips(monkeypatch):
    """Past MAX_LABELLED_EDGES, dtype and shape move from edge labels (which make dot take minutes) to tooltips."""
    graph = _seed000_scoped_graph()
    edges = graph_export.to_dot(graph).source.count(" -> ")
    monkeypatch.setattr(graph_export, "MAX_LABELLED_EDGES", edges // 2)
    source = graph_export.to_dot(graph).source
    assert 'label="float32 (100)"' not in source and 'tooltip="float32 (100)"' in source
    assert 'label="float32 (100)"' in graph_export.to_dot(graph, edge_labels=True).source


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs graphviz's dot")
def test_failed_render_is_one_clear_error_and_leaves_no_file(tmp_path, monkeypatch):
    broken = graph_export.to_dot(_seed000_scoped_graph())
    broken.body.append("{ unbalanced\n")
    monkeypatch.setattr(graph_export, "to_dot", lambda graph_like, **options: broken)
    out = tmp_path / "graph.svg"
    with pytest.raises(graph_export.RenderError, match=r"^graphviz's dot failed: .*syntax error"):
        graph_export.render(tf.Graph(), str(out))
    assert not out.exists()


def test_run_metadata_colours_nodes():
    graph = _seed000_scoped_graph()
    with graph.as_default(), tf.Session() as sess:
        sess.run("gradient_descent/init")
        metadata = tf.RunMetadata()
        sess.run("gradient_descent/loss:0", options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
                 run_metadata=metadata)
    source = graph_export.to_dot(graph, run_metadata=metadata, overlay="memory").source
    assert re.search(r'"gradient_descent/loss" \[[^\]]*fillcolor="#ff', source)


@pytest.mark.skipif(shutil.which("dot") is None and not os.environ.get("CI"),
                    reason="graphviz's dot is missing here; .ci/run installs it, and under CI this test must run")
@pytest.mark.parametrize("suffix,magic", [(".svg", b"<?xml"), (".png", b"\x89PNG"), (".pdf", b"%PDF"),
                                          (".dot", b"digraph")])
def test_render_formats_with_real_dot(tmp_path, suffix, magic):
    path = graph_export.render(_seed000_scoped_graph(), str(tmp_path / ("g" + suffix)))
    assert open(path, "rb").read().startswith(magic)


def test_tensorflow_meta_graph_renders_and_networkx_has_edges():
    meta = tf.MetaGraphDef.FromString(open(os.path.join(FIXTURES, "seed000.meta"), "rb").read())
    assert "cluster_save" in graph_export.to_dot(meta).source
    network = graph_export.to_networkx(meta)
    assert network.nodes["linear/weight"]["op"] == "VariableV2"
    kinds = {(u, v): d["kind"] for u, v, d in network.edges(data=True)}
    assert kinds[("linear/weight", "linear/weight/read")] == "data"
    assert "control" in kinds.values()
    assert network.nodes["linear/weight"]["output_shapes"] == [tf.TensorShape([1])]


def _drawn_nodes(svg):
    return set(re.findall(r'<g id="node\d+" class="node">\s*<title>([^<]*)</title>', svg))


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs graphviz's dot program")
def test_graph_shows_itself_collapsed_and_fitted_in_jupyter():
    graph = _seed000_scoped_graph()
    svg = graph._repr_svg_()
    assert svg.lstrip().startswith("<?xml") and graph._repr_html_() is None
    assert re.search(r'<svg width="100%" style="max-width: [\d.]+pt; height: auto"', svg)
    assert _drawn_nodes(svg) == {"linear/", "gradient_descent/"}  # the two top-level scopes, as boxes
    opened = _drawn_nodes(graph_export.show(graph, expand=["linear"])._repr_svg_())
    assert {"linear/weight", "linear/weight/", "linear/add", "gradient_descent/"} <= opened  # one level opened
    everything = _drawn_nodes(graph_export.show(graph, depth=None)._repr_svg_())
    assert len(everything) == len(graph.get_operations())


def test_without_dot_a_notebook_says_how_to_get_pictures(monkeypatch):
    monkeypatch.setattr(graph_export.shutil, "which", lambda name: None)
    graph = _seed000_scoped_graph()
    assert graph._repr_svg_() is None
    message = graph._repr_html_()
    assert message.startswith(f"<p>A graph of {len(graph.get_operations())} ops: graphviz&#x27;s &#x27;dot&#x27; "
                              "program is not installed") and "apt-get install graphviz" in message
    assert repr(graph_export.show(graph)).startswith(f"<graph of {len(graph.get_operations())} ops; graphviz")


def test_queues_readers_and_iterators_are_drawn_as_input_resources():
    with tf.Graph().as_default() as graph:
        names = tf.train.string_input_producer(["a.tfrecords"])
        _, value = tf.TFRecordReader().read(names)
        tf.train.shuffle_batch([value], 4, capacity=20, min_after_dequeue=5)
        tf.data.Dataset.range(3).make_one_shot_iterator().get_next()
        source = graph_export.to_dot(graph).source
    for name in ("input_producer", "TFRecordReaderV2", "shuffle_batch/random_shuffle_queue", "OneShotIterator"):
        assert re.search(r'"?%s"? \[[^\]]*shape=cds' % re.escape(name), source), name
    assert not re.search(r'"?ReaderReadV2"? \[[^\]]*shape=cds', source)


def test_a_while_loop_is_one_cluster_named_after_its_frame_and_one_box_collapsed():
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float32, [], name="x")
        _, y = tf.while_loop(lambda i, a: i < 10, lambda i, a: (i + 1, tf.cond(a > 5.0, lambda: a * 0.5,
                                                                               lambda: a + x)), [0, x])
        tf.gradients(y, x)
    frame = graph.get_operation_by_name("while/Enter").get_attr("frame_name")
    assert frame == "while/while_context"
    loop_ops = [op.name for op in graph.get_operations() if op.name.startswith("while/")]
    full = graph_export.to_dot(graph).source
    cluster = full[full.index("subgraph cluster_while {"):]
    assert all(f'"{name}"' in cluster or f"\t{name} " in cluster for name in ("while/Switch", "while/Merge",
                                                                           "while/NextIteration", "while/Exit"))
    collapsed = graph_export.to_dot(graph, depth=0).source
    assert f"({len(loop_ops)} ops)" in collapsed and "while/Switch" not in collapsed
