"""Records TensorFlow 2.21's FtrlOptimizer, ProximalGradientDescentOptimizer, ProximalAdagradOptimizer and
AdagradDAOptimizer for tests/test_proximal_optimizers.py.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_proximal_optimizers.py
For each program of tests/golden/proximal_optimizer_programs.py: the graph's nodes, the update ops' attrs, the
global variables' names, and every variable's value after each training step as raw float32 bits (grappler's
reassociating passes off, see docs/exactness.md); then the constructors' errors and the update ops' run-time errors.
Also writes tests/fixtures/graphs/proximal_optimizers/: the GraphDefs of the programs in GRAPH_DEFS (every update
op type) and op_defaults.json (the attrs TensorFlow's OpDefs of their ops give a default), for tests/test_graph_io.py.
"""
import json
import os

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.python.framework import op_def_registry

import proximal_optimizer_programs as programs
from tf_sessions import kernels_only_config

tf.disable_v2_behavior()
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "proximal_optimizers.json")
GRAPHS = os.path.join(os.path.dirname(HERE), "fixtures", "graphs", "proximal_optimizers")


def update_attrs(graph):
    """{op name: {attr: value}} of the Apply* / SparseApply* ops (their TensorFlow attrs, types by name)."""
    out = {}
    for op in graph.get_operations():
        if op.type.startswith(("Apply", "SparseApply")):
            attrs = {}
            for key in ("T", "Tindices", "use_locking", "multiply_linear_by_lr"):
                if key in op.node_def.attr:
                    value = op.get_attr(key)
                    attrs[key] = value.name if isinstance(value, tf.DType) else value
            out[op.name] = attrs
    return out


def record(name):
    tf.reset_default_graph()
    train, variables = programs.build(tf, name)
    graph = tf.get_default_graph()
    if name in programs.GRAPH_DEFS:
        tf.train.write_graph(graph.as_graph_def(), GRAPHS, name + ".pb", as_text=False)
    out = {"nodes": [[op.name, op.type] for op in graph.get_operations()],
           "inputs": {op.name: [t.name for t in op.inputs] for op in graph.get_operations()
                      if op.type.startswith(("Apply", "SparseApply"))},
           "attrs": update_attrs(graph), "variables": [v.op.name for v in variables], "train": train.name,
           "initializers": [v.initializer.name for v in variables], "steps": []}
    with tf.Session(config=kernels_only_config()) as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(programs.STEPS):
            sess.run(train)
            out["steps"].append({v.op.name: np.asarray(sess.run(v)).tobytes().hex() for v in variables})
    return out


def write_op_defaults():
    """op_defaults.json beside the GraphDefs: the attrs with a default in TensorFlow's OpDefs of their ops."""
    op_types = set()
    for name in programs.GRAPH_DEFS:
        with open(os.path.join(GRAPHS, name + ".pb"), "rb") as f:
            op_types |= {n.op for n in tf.GraphDef.FromString(f.read()).node}
    defaults = {op: {a.name: a.default_value.SerializeToString().hex() for a in op_def_registry.get(op).attr
                     if a.HasField("default_value")} for op in sorted(op_types)}
    with open(os.path.join(GRAPHS, "op_defaults.json"), "w") as f:
        json.dump(defaults, f, indent=0, sort_keys=True)


if __name__ == "__main__":
    os.makedirs(GRAPHS, exist_ok=True)
    result = {"programs": {name: record(name) for name in programs.OPTIMIZERS},
              "errors": {name: programs.error_of(tf, statement) for name, statement in programs.ERRORS.items()},
              "run_errors": {name: programs.run_error_of(tf, name, kernels_only_config())
                             for name in programs.RUN_ERRORS}}
    with open(OUT, "w") as f:
        json.dump(result, f, indent=0, sort_keys=True)
        f.write("\n")
    write_op_defaults()
    print("recorded", len(result["programs"]), "programs,", len(result["errors"]), "errors; wrote", GRAPHS)
