"""Pictures and networks of a graph: graphviz drawings grouped by name scope, and networkx graphs.

Accepts a ``Graph``, a ``GraphDef`` or a ``MetaGraphDef``. Name scopes become nested clusters, as TensorBoard's
GRAPHS panel groups them; a scope can be collapsed to one node. Variables, constants and placeholders have their
own shapes and colours; control edges are dashed; data edges carry the tensor's dtype and shape; the bookkeeping
parts of a graph (initialisation, saving, gradients, summaries) are drawn grey and dashed. With the RunMetadata of
a traced run, nodes are coloured by compute time or memory.
"""

import html
import os
import re
import shutil

from minitf.framework import dtypes, ops

_VARIABLE_OPS = {"VariableV2", "Variable", "VarHandleOp"}
_PLACEHOLDER_OPS = {"Placeholder", "PlaceholderWithDefault"}
_AUX_SCOPES = {"save", "gradients", "report_uninitialized_variables", "Merge"}
_AUX_NAMES = {"init", "init_1", "init_all_tables"}
_SUMMARY_OPS = {"ScalarSummary", "HistogramSummary", "ImageSummary", "AudioSummaryV2", "TensorSummaryV2",
                "MergeSummary"}
_INPUT = re.compile(r"^(\^)?([^:]+)(?::(\d+))?$")


# Above this many data edges, dtype/shape labels move from the edges into their tooltips: dot ranks a labelled
# edge as two, and its layout time then grows from seconds to minutes (533 ops of the CIFAR-10 tutorial: 66 s with
# labels, 7 s without).
MAX_LABELLED_EDGES = 300
MAX_NESTED_SCOPES = 64  # deeper scopes are drawn collapsed: graphviz cannot lay out clusters nested deeper


class GraphvizNotFoundError(RuntimeError):
    """graphviz's ``dot`` program is needed to render SVG, PNG or PDF."""


class RenderError(RuntimeError):
    """graphviz's ``dot`` could not lay out or draw the graph."""


def graph_def_of(graph_like):
    """The GraphDef of a Graph (with output shapes), a GraphDef, or a MetaGraphDef."""
    if isinstance(graph_like, ops.Graph):
        return graph_like.as_graph_def(add_shapes=True)
    if hasattr(graph_like, "graph_def"):
        return graph_like.graph_def
    if hasattr(graph_like, "node"):
        return graph_like
    raise TypeError(f"Expected a Graph, GraphDef or MetaGraphDef, got {type(graph_like).__name__}")


class _Node:
    """What the exporters need of one NodeDef."""

    def __init__(self, node_def):
        self.name = node_def.name
        self.op = node_def.op
        self.device = node_def.device
        self.attrs = node_def.attr
        self.data_inputs, self.control_inputs = [], []
        for text in node_def.input:
            match = _INPUT.match(text)
            if match is None:  # not a tensor name ('a:-1'): names no node, as in TensorFlow's importer
                self.data_inputs.append((text, 0))
            elif match.group(1):
                self.control_inputs.append(match.group(2))
            else:
                self.data_inputs.append((match.group(2), int(match.group(3) or 0)))

    @property
    def scope(self):
        return self.name.rsplit("/", 1)[0] if "/" in self.name else ""

    def output_label(self, index):
        """``dtype shape`` of output ``index`` from the node's attrs (shapes need ``add_shapes``)."""
        parts = []
        for key in ("T", "dtype", "out_type", "DstT"):
            if key in self.attrs and self.attrs[key].WhichOneof("value") == "type":
                try:
                    parts.append(dtypes.as_dtype(self.attrs[key].type).name)
                except TypeError:
                    parts.append(f"dtype {self.attrs[key].type}")  # an enum no dtype has
                break
        shapes = self.attrs["_output_shapes"].list.shape if "_output_shapes" in self.attrs else []
        if index < len(shapes):
            shape = shapes[index]
            parts.append("?" if shape.unknown_rank else "(" + ", ".join(
                "?" if d.size < 0 else str(d.size) for d in shape.dim) + ")")
        return " ".join(parts)

    def is_aux(self):
        return _is_aux_scope(self.name) or self.name.rsplit("/", 1)[-1] in _AUX_NAMES or self.op in _SUMMARY_OPS


def _is_aux_scope(path):
    """Whether a name lies in a scope of bookkeeping (saving, gradients, summary merging)."""
    return any(part in _AUX_SCOPES for part in path.split("/")[:-1]) or path in _AUX_SCOPES


def _nodes(graph_like):
    return [_Node(n) for n in graph_def_of(graph_like).node]


def _style(node):
    if node.op in _VARIABLE_OPS:
        return {"shape": "cylinder", "style": "filled", "fillcolor": "#cfe2f3"}
    if node.op == "Const":
        return {"shape": "circle", "style": "filled", "fillcolor": "#eeeeee", "fixedsize": "true", "width": "0.35",
                "fontsize": "8"}
    if node.op in _PLACEHOLDER_OPS:
        return {"shape": "invhouse", "style": "filled", "fillcolor": "#fff2cc"}
    return {"shape": "box", "style": "rounded,filled", "fillcolor": "white"}


def _step_costs(run_metadata, overlay):
    costs = {}
    for device in run_metadata.step_stats.dev_stats:
        for stats in device.node_stats:
            if overlay == "memory":
                value = sum(m.total_bytes for m in stats.memory)
            else:
                value = stats.all_end_rel_micros
            costs[stats.node_name] = costs.get(stats.node_name, 0) + value
    return costs


def _heat(value, top):
    """White (no cost) to red (the most expensive node)."""
    share = value / top if top else 0.0
    level = int(255 - 200 * share)
    return "#ff%02x%02x" % (level, level)


def _group(name, collapse, depth, expand=()):
    """The collapsed scope ``name`` is drawn inside, or None when it is drawn as itself: the outermost scope of
    ``collapse`` it lies in, or its scope at level ``depth + 1`` unless ``expand`` opens that level (in time linear
    in the name's length)."""
    parts = name.split("/")[:-1]
    levels = [scope.count("/") + 1 for scope in collapse if name.startswith(scope + "/")]
    if depth is not None:
        level = depth + 1
        while level <= len(parts) and "/".join(parts[:level]) in expand:  # at most len(expand) + 1 joins
            level += 1
        if level <= len(parts):
            levels.append(level)
    return "/".join(parts[:min(levels)]) if levels else None


def to_dot(graph_like, collapse=(), depth=None, run_metadata=None, overlay="time", show_aux=True,
           edge_labels="auto", expand=()):
    """A ``graphviz.Digraph`` of the graph.

    ``collapse``: scopes drawn as a single node; ``depth``: collapse every scope nested deeper than this (at most
    ``MAX_NESTED_SCOPES``), except the scopes listed in ``expand`` (each opens one level: list ``"a"`` and ``"a/b"``
    to open both);
    ``run_metadata`` / ``overlay``: colour nodes by ``"time"`` or ``"memory"`` of a traced run;
    ``show_aux=False`` leaves out initialisation, saving, gradient and summary nodes;
    ``edge_labels``: label data edges with dtype and shape (True), or only show them as tooltips (False);
    ``"auto"`` labels them when there are at most ``MAX_LABELLED_EDGES``.
    """
    import graphviz
    depth = MAX_NESTED_SCOPES if depth is None else min(depth, MAX_NESTED_SCOPES)
    nodes = [n for n in _nodes(graph_like) if show_aux or not n.is_aux()]
    collapse = set(collapse or ())
    costs = _step_costs(run_metadata, overlay) if run_metadata is not None else {}
    top = max(costs.values(), default=0)
    by_name = {n.name: n for n in nodes}

    expand = set(expand or ())

    def vertex(name):
        group = _group(name, collapse, depth, expand)
        return (group + "/") if group else name  # no op name ends with "/"

    dot = graphviz.Digraph(name="G", graph_attr={"rankdir": "BT", "compound": "true", "newrank": "true",
                                                         "fontname": "Helvetica"},
                           node_attr={"fontname": "Helvetica", "fontsize": "10"},
                           edge_attr={"fontname": "Helvetica", "fontsize": "8"})
    clusters = {"": dot}
    nested = []  # (parent, cluster) pairs, parents first; attached bottom-up once filled
    members = {}
    for node in nodes:
        members.setdefault(_group(node.name, collapse, depth, expand) or node.scope, []).append(node)

    def cluster(scope):
        """The cluster of ``scope``, made with its missing parents (outermost first, without recursion: a name
        may be thousands of scopes deep)."""
        missing = []
        while scope not in clusters:
            missing.append(scope)
            scope = scope.rsplit("/", 1)[0] if "/" in scope else ""
        for scope in reversed(missing):
            parent = clusters[scope.rsplit("/", 1)[0] if "/" in scope else ""]
            aux = _is_aux_scope(scope + "/")
            clusters[scope] = graphviz.Digraph(name="cluster_" + scope, graph_attr={
                "label": scope.rsplit("/", 1)[-1], "style": "dashed,rounded" if aux else "rounded",
                "color": "#999999" if aux else "#4a86e8", "fontcolor": "#999999" if aux else "black"})
            nested.append((parent, clusters[scope]))
        return clusters[scope]

    collapsed_done = set()
    for scope, scope_nodes in members.items():
        for node in scope_nodes:
            group = _group(node.name, collapse, depth, expand)
            if group:
                if group in collapsed_done:
                    continue
                collapsed_done.add(group)
                parent = cluster(group.rsplit("/", 1)[0]) if "/" in group else dot
                count = len(members[group])
                aux = _is_aux_scope(group + "/")
                parent.node(group + "/", label=f"{group.rsplit('/', 1)[-1]}\n({count} ops)", shape="box3d",
                            style="filled,dashed" if aux else "filled", fillcolor="#eeeeee" if aux else "#d9ead3",
                            tooltip=html.escape(f"{group} ({count} ops)"))
                continue
            target = cluster(node.scope) if node.scope else dot
            attrs = _style(node)
            if node.is_aux():
                attrs.update({"color": "#999999", "fontcolor": "#777777"})
            if node.name in costs:
                attrs["fillcolor"] = _heat(costs[node.name], top)
            label = node.name.rsplit("/", 1)[-1] if node.op == "Const" else \
                f"{node.name.rsplit('/', 1)[-1]}\n{node.op}"
            tooltip = html.escape(f"{node.name} ({node.op})" + (f" {costs[node.name]}" if node.name in costs else ""))
            target.node(node.name, label=label if node.op != "Const" else "", xlabel=label if node.op == "Const"
                        else None, tooltip=tooltip, **attrs)
    for parent, sub in reversed(nested):
        parent.subgraph(sub)

    seen_edges = set()
    data_edges = []  # (tail, head, dtype and shape or None)
    for node in nodes:
        head = vertex(node.name)
        for source, index in node.data_inputs:
            if source not in by_name:
                continue
            tail = vertex(source)
            if tail == head or (tail, head, "data") in seen_edges:
                continue
            seen_edges.add((tail, head, "data"))
            data_edges.append((tail, head, None if tail.endswith("/") else by_name[source].output_label(index)))
        for source in node.control_inputs:
            if source not in by_name:
                continue
            tail = vertex(source)
            if tail == head or (tail, head, "control") in seen_edges:
                continue
            seen_edges.add((tail, head, "control"))
            dot.edge(tail, head, style="dashed", color="#999999", arrowhead="odot")
    if edge_labels == "auto":
        edge_labels = len(data_edges) <= MAX_LABELLED_EDGES
    for tail, head, label in data_edges:
        dot.edge(tail, head, label=label if edge_labels else None, tooltip=label)
    return dot


def render(graph_like, path, **options):
    """Writes the drawing to ``path``; its suffix picks the format (.dot, .gv, .svg, .png, .pdf). Returns path."""
    dot = to_dot(graph_like, **options)
    suffix = os.path.splitext(path)[1].lower().lstrip(".")
    if suffix in ("dot", "gv"):
        with open(path, "w") as f:
            f.write(dot.source)
        return path
    if suffix not in ("svg", "png", "pdf"):
        raise ValueError(f"Unknown output format '.{suffix}': use .dot, .svg, .png or .pdf")
    if shutil.which("dot") is None:
        raise GraphvizNotFoundError("graphviz's 'dot' program was not found on PATH; install graphviz "
                                    "(e.g. apt-get install graphviz) or write .dot instead")
    import graphviz
    try:
        drawing = dot.pipe(format=suffix)
    except graphviz.CalledProcessError as error:
        reason = (error.stderr or b"").decode(errors="replace").strip().splitlines()
        raise RenderError(f"graphviz's dot failed: {reason[0] if reason else 'exit status ' + str(error.returncode)}"
                          f" ({len(dot.body)} statements)") from None
    with open(path, "wb") as f:  # only once drawn: a failed render leaves no empty file behind
        f.write(drawing)
    return path


def to_networkx(graph_like):
    """A ``networkx.MultiDiGraph``: one node per op (``op``, ``device``, ``attrs``, ``output_shapes``) and one edge
    per data input (``kind='data'``, ``output``, ``input``) or control input (``kind='control'``)."""
    import networkx as nx
    from minitf.framework import graph_io
    result = nx.MultiDiGraph()
    nodes = _nodes(graph_like)
    for node in nodes:
        attrs = {k: graph_io.attr_from_proto(v) for k, v in node.attrs.items() if k != "_output_shapes"}
        shapes = graph_io.attr_from_proto(node.attrs["_output_shapes"]) if "_output_shapes" in node.attrs else None
        result.add_node(node.name, op=node.op, device=node.device, attrs=attrs, output_shapes=shapes)
    for node in nodes:
        for position, (source, index) in enumerate(node.data_inputs):
            result.add_edge(source, node.name, kind="data", output=index, input=position)
        for source in node.control_inputs:
            result.add_edge(source, node.name, kind="control")
    return result


# -- notebooks ---------------------------------------------------------------------------------------------------

DOT_MISSING = ("graphviz's 'dot' program is not installed, so the graph cannot be drawn here; install it "
               "(apt-get install graphviz, brew install graphviz or conda install graphviz) and display it again")


class GraphView:
    """What a notebook shows for ``show(graph)``: the drawing as SVG, scaled down to the notebook's width.

    By default each top-level name scope is one box (``depth=0``) and the bookkeeping scopes (init, save,
    gradients, summaries) are grey; ``expand=["layer1"]`` opens a scope, ``depth=None`` draws every op.
    """

    def __init__(self, graph_like, depth=0, expand=(), collapse=(), show_aux=True, **options):
        self.graph_like = graph_like
        self.options = dict(depth=depth, expand=expand, collapse=collapse, show_aux=show_aux, **options)

    def _repr_svg_(self):
        if shutil.which("dot") is None:
            return None
        svg = to_dot(self.graph_like, **self.options).pipe(format="svg").decode("utf-8")
        return _fit_width(svg)

    def _repr_html_(self):
        """Only without ``dot``: the reason no picture is shown, and the remedy."""
        if shutil.which("dot") is not None:
            return None
        count = len(graph_def_of(self.graph_like).node)
        return f"<p>A graph of {count} ops: {html.escape(DOT_MISSING)}.</p>"

    def __repr__(self):
        count = len(graph_def_of(self.graph_like).node)
        picture = "" if shutil.which("dot") else f"; {DOT_MISSING}"
        return f"<graph of {count} ops{picture}>"


def show(graph_like, depth=0, expand=(), collapse=(), show_aux=True, **options):
    """A notebook view of a graph (a Graph, GraphDef or MetaGraphDef): ``show(graph)`` draws each top-level name
    scope as one box, ``show(graph, expand=["train"])`` opens the scope ``train``, ``show(graph, depth=None)``
    draws every op. Other options are ``to_dot``'s."""
    return GraphView(graph_like, depth=depth, expand=expand, collapse=collapse, show_aux=show_aux, **options)


_SVG_SIZE = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')


def _fit_width(svg):
    """The SVG scaled to the notebook's width when wider (its viewBox keeps the proportions), never enlarged."""
    return _SVG_SIZE.sub(lambda m: f'<svg width="100%" style="max-width: {m.group(1)}pt; height: auto"', svg, 1)
