"""Exporting a 10,000-op graph: to a GraphDef, to DOT source and to SVG (graphviz's dot); medians, JSON output.

The graph is 100 name scopes of 99 ops each, a chain of Const/Mul/Tanh (see ``build``), so clusters are exercised.
(A chain in which one constant feeds every op is dot's worst case, long edges across all ranks: 100 such ops with
edge labels took over a minute to lay out.)
SVG is rendered collapsed to one node per top-level scope (``depth=0``, as TensorBoard first shows a graph), and
in full, every op laid out by dot, once per size of ``--full-sizes``: dot's layout time grows faster than
linearly, and a render that passes ``--svg-timeout`` seconds is reported as timed out.
Drawings use the exporter's defaults: past 300 edges, dtypes and shapes are edge tooltips, not labels.

    python benchmarks/bench_export.py [--ops 10000] [--repeat 5] [--full-sizes 1000,3000,10000]

TensorFlow has no graph exporter to compare with; TensorBoard draws graphs in the browser.
"""
import argparse
import json
import shutil
import subprocess
import sys
import time

import minitf as tf
from minitf.tools import graph_export
from timing import median_seconds


def build(ops):
    """``ops // 100`` name scopes of 100 ops: the value flowing through them is multiplied by a constant and
    squashed (Const, Mul, Tanh) 33 times per scope, each op with one or two consumers as in a layered model."""
    graph = tf.Graph()
    with graph.as_default():
        x = tf.constant(0.5, name="input")
        for scope in range(ops // 100):
            with tf.name_scope("block%d" % scope):
                for _ in range(33):
                    x = tf.tanh(x * tf.constant(1.01, name="c"))
    return graph


def full_svg_seconds(ops, timeout):
    """Seconds dot takes to lay out and draw every op of a graph of ``ops`` ops, or None past ``timeout``."""
    source = graph_export.to_dot(build(ops).as_graph_def(add_shapes=True)).source.encode()
    start = time.perf_counter()
    try:
        subprocess.run(["dot", "-Tsvg"], input=source, stdout=subprocess.DEVNULL, check=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ops", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--full-sizes", default="1000,3000,10000", help="graph sizes rendered in full, once each")
    parser.add_argument("--svg-timeout", type=float, default=600)
    args = parser.parse_args()
    graph = build(args.ops)
    graph_def = graph.as_graph_def(add_shapes=True)
    result = {"ops": len(graph_def.node), "repeat": args.repeat, "statistic": "median",
              "graph_def_s": median_seconds(lambda: graph.as_graph_def(add_shapes=True), args.repeat),
              "dot_source_s": median_seconds(lambda: graph_export.to_dot(graph_def).source, args.repeat)}
    if shutil.which("dot"):
        collapsed = graph_export.to_dot(graph_def, depth=0)
        result["svg_collapsed_s"] = median_seconds(lambda: collapsed.pipe(format="svg"), args.repeat)
        result["svg_full_s"] = {}  # ops -> seconds, one run each (None: timed out)
        for ops in map(int, args.full_sizes.split(",")):
            result["svg_full_s"][ops] = full_svg_seconds(ops, args.svg_timeout)
            print(f"full SVG of {ops} ops: {result['svg_full_s'][ops]} s", file=sys.stderr, flush=True)
        result["svg_timeout_s"] = args.svg_timeout
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
