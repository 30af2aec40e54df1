"""GraphDefs, pbtxt and MetaGraphDefs compared with TensorFlow 2.21's, both directions, and tf.graph_util.

Fixtures: tests/golden/make_graph_io.py (the programs of tests/graph_io_cases.py and the op cases, written by
TensorFlow into tests/fixtures/graphs/graph_io/) and tests/golden/make_graph_fixtures.py (seed000.*).
tests/golden/check_graph_io_with_tf.py has TensorFlow import and run what minitf writes.
"""

import json
import os
import re

import numpy as np
import pytest
from google.protobuf import text_format

import graph_io_cases
import minitf as tf
from minitf.framework import meta_graph, op_registry
from minitf.framework.tensor_shape import shape_from_proto

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures", "graphs")
GRAPH_IO = os.path.join(FIXTURES, "graph_io")
PROGRAMS = sorted(graph_io_cases.PROGRAMS)
VALUES = np.load(os.path.join(GRAPH_IO, "values.npz"))


def _tf_graph_def(name):
    with open(os.path.join(GRAPH_IO, name + ".pb"), "rb") as f:
        return tf.GraphDef.FromString(f.read())


def _build(name):
    with tf.Graph().as_default() as graph:
        run = graph_io_cases.PROGRAMS[name](tf)
    return graph, run


def _assert_program_values(name, values):
    """Values of a program's Run equal TensorFlow's: floats at float32 rounding, everything else exactly."""
    for i, value in enumerate(values):
        expected = VALUES[f"{name}/{i}"]
        if expected.dtype.kind in "fc":
            np.testing.assert_allclose(value, expected, rtol=1e-5, atol=1e-6, err_msg=f"{name} fetch {i}")
        else:
            np.testing.assert_array_equal(value, expected, err_msg=f"{name} fetch {i}")


def assert_same_after_import(exported, graph_def, key=None):
    """The GraphDef an import exports again equals the imported one; for a graph with a cond only as a set of
    nodes: a cond adds a Switch after the op that reads it, and importers (TensorFlow's too) create inputs first."""
    if any(n.op == "Switch" for n in graph_def.node):
        assert {n.name: n for n in exported.node} == {n.name: n for n in graph_def.node}, key
        exported, graph_def = [type(g)(versions=g.versions, library=g.library) for g in (exported, graph_def)]
    assert exported == graph_def, key


def _text(proto):
    return text_format.MessageToString(proto, as_one_line=True)


def graph_def_differences(expected, actual):
    """Node-for-node differences between two GraphDefs, one line each."""
    found = [] if expected.versions == actual.versions else ["versions differ"]
    by_name = {n.name: n for n in actual.node}
    expected_names = {n.name for n in expected.node}
    found += [f"missing node {n.name} ({n.op})" for n in expected.node if n.name not in by_name]
    found += [f"extra node {n.name} ({n.op})" for n in actual.node if n.name not in expected_names]
    in_order = zip([n.name for n in expected.node if n.name in by_name],
                   [n.name for n in actual.node if n.name in expected_names])
    found += [f"node order differs from {e} (minitf: {a})" for e, a in in_order if e != a][:1]
    for e in expected.node:
        a = by_name.get(e.name)
        if a is None or a == e:
            continue
        for field in ("op", "device", "experimental_type"):
            if getattr(e, field) != getattr(a, field):
                found.append(f"{e.name}: {field} {getattr(e, field)} != {getattr(a, field)}")
        if list(e.input) != list(a.input):
            found.append(f"{e.name}: inputs {list(e.input)} != {list(a.input)}")
        for key in sorted(set(e.attr) | set(a.attr)):
            if key not in a.attr:
                found.append(f"{e.name} ({e.op}): missing attr {key}")
            elif key not in e.attr:
                found.append(f"{e.name} ({e.op}): extra attr {key}")
            elif e.attr[key] != a.attr[key]:
                found.append(f"{e.name} ({e.op}): attr {key}: {_text(e.attr[key])} != {_text(a.attr[key])}")
    return found


# Differences between TensorFlow's GraphDefs and minitf's for the same program that come from how minitf's op
# wrappers, gradients and variables build the graph (not from the export): pattern -> what minitf should change.
KNOWN_GAPS = [
    (r": missing attr _class$",
     "colocation: TF gives ops created under colocate_with (variable reads, initializers, ref-input ops, "
     "with_dependencies identities, optimizer slots) a _class attr"),
    (r"^save/Assign(_\d+)? \(Assign\): attr _class: ",
     "the Saver colocates a restore with the variable's colocation group, which for optimizer slots and Adam's "
     "beta powers is their primary variable's"),
    (r": missing attr _has_manual_control_dependencies$",
     "TF's Graph.control_dependencies marks each control input op with _has_manual_control_dependencies=true"),
    (r"\(MatMul\): missing attr grad_[ab]$", "TF 2.21's MatMul has grad_a/grad_b attrs (True in _MatMulGrad)"),
    (r"\(BatchMatMulV2\): missing attr grad_[xy]$", "TF 2.21's BatchMatMulV2 has grad_x/grad_y attrs"),
    (r"_grad/Sum \(Sum\): attr (keep_dims|_output_shapes): ", "TF's _AddGrad/_SubGrad reduce with keepdims=True"),
    (r"/Initializer/(zeros|ones|Const) \(Const\): attr value: tensor \{ dtype: DT_FLOAT tensor_shape \{ .*\} "
     r"float_val: [0-9.]+ \}", "tf.constant(scalar, shape=...) is one value plus a shape in TF's TensorProto"),
    (r"^(missing node (tick/value|AssignSub/value|PadV2/constant_values|Log/x|Scatter\w+/(indices|updates)) "
     r"\(Const\)|extra node (value|Const_4|x_1|indices(_\d)?|updates(_\d)?) \(Const\)"
     r"|(tick|AssignSub|PadV2|Log|Scatter\w+): inputs )",
     "these wrappers convert Python arguments to Consts outside the op's name scope; TF names them <op>/<arg>"),
    (r"\((LogicalAnd|LogicalOr|All|Any)\): extra attr T$", "these ops have no T attr in TF"),
    (r"\(ImageSummary\): attr bad_color: ", "TF writes ImageSummary's default bad_color as 4 int_val values"),
    (r"^node order differs from \S+sub_grad/Neg ", "TF's _SubGrad negates before building the broadcast shapes"),
    (r"^node order differs from range(_\d+)?/limit ", "TF's range converts limit and delta before any Cast"),
    (r"^(missing node clip_by_norm(_\d)?/ones_like/\S+ \(Const\)|clip_by_norm(_\d)?/ones_like(: | \(Fill\)))",
     "TF's ones_like of a fully defined shape is Fill(Shape/shape_as_tensor, Const)"),
    (r"^(missing node loss/SparseSoftmaxCrossEntropyWithLogits/Shape \(Shape\)|extra node \S+_grad/PreventGradient"
     r"|\S+SparseSoftmaxCrossEntropyWithLogits_grad/mul: inputs )",
     "TF's sparse_softmax_cross_entropy_with_logits adds a Shape of the labels; its gradient multiplies by "
     "output 1 directly"),
    (r"Relu_grad/ReluGrad: inputs ", "TF's ReluGrad takes the Relu output, not its input"),
    (r"\(PyFunc(Stateless)?\): attr token: ", "py_func tokens number the callables registered in the process"),
    (r"^TensorArrayUnstack/range \(Range\): attr _output_shapes: ",
     "TF's shape inference evaluates a Range whose limit is a strided slice of a constant shape"),
]


def _unexplained(differences):
    return [d for d in differences if not any(re.search(pattern, d) for pattern, _ in KNOWN_GAPS)]


# -- GraphDef export -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", PROGRAMS)
def test_graph_def_matches_tensorflow_node_for_node(name):
    graph, _ = _build(name)
    expected = _tf_graph_def(name)
    actual = graph.as_graph_def(add_shapes=True)
    assert _unexplained(graph_def_differences(expected, actual)) == []


def test_operation_node_def_is_the_graph_def_node():
    graph, _ = _build("seed000")
    graph_def = graph.as_graph_def()
    for op, node in zip(graph.get_operations(), graph_def.node):
        assert isinstance(op.node_def, type(node)) and op.node_def == node
    shaped = graph.as_graph_def(add_shapes=True).node
    assert "_output_shapes" not in shaped[-1].attr  # save/restore_all: a NoOp has no outputs, hence no shapes


# -- GraphDefs written by TensorFlow -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", PROGRAMS)
def test_tensorflow_graph_def_runs_and_re_exports_identically(name, tmp_path):
    graph_def = _tf_graph_def(name)
    with tf.Graph().as_default() as graph:
        tf.import_graph_def(graph_def, name="")
    _, run = _build(name)
    with tf.Session(graph=graph) as sess:
        _assert_program_values(name, run.execute(sess))
    # Shapes, full types, colocation and default attrs come back exactly as TensorFlow wrote them, but for the
    # encoding of ImageSummary's default bad_color (see KNOWN_GAPS).
    differences = graph_def_differences(graph_def, graph.as_graph_def(add_shapes=True))
    assert [d for d in differences if "(ImageSummary): attr bad_color: " not in d] == []
    text_path = tf.train.write_graph(graph, str(tmp_path), "graph.pbtxt")
    assert text_path == os.path.join(str(tmp_path), "graph.pbtxt")
    with open(os.path.join(GRAPH_IO, name + ".pbtxt")) as f:
        assert open(text_path).read() == f.read() or differences


@pytest.mark.parametrize("name", PROGRAMS)
def test_pbtxt_written_by_tensorflow_reads_and_writes_back_byte_for_byte(name, tmp_path):
    with open(os.path.join(GRAPH_IO, name + ".pbtxt")) as f:
        text = f.read()
    graph_def = text_format.Parse(text, tf.GraphDef())
    assert open(tf.train.write_graph(graph_def, str(tmp_path / "new_dir"), "g.pbtxt")).read() == text
    binary = tf.train.write_graph(graph_def, str(tmp_path), "g.pb", as_text=False)
    assert tf.GraphDef.FromString(open(binary, "rb").read()) == graph_def


def _op_case_fixtures():
    with open(os.path.join(GRAPH_IO, "cases.json")) as f:
        cases = json.load(f)
    return cases, np.load(os.path.join(GRAPH_IO, "cases.npz"))


GOLDEN_TOLERANCE = {"ops": (2e-6, 1e-6), "nn": (1e-5, 1e-5), "conv": (1e-5, 2e-5), "longtail": (2e-6, 1e-6)}


def test_tensorflow_op_case_graph_defs_import_run_and_re_export():
    """Every op case's TensorFlow GraphDef (forward op and gradients) imports into minitf, gives TensorFlow's
    values and exports back unchanged, recorded output shapes included."""
    cases, graph_defs = _op_case_fixtures()
    golden = {stem: np.load(os.path.join(HERE, "golden", stem + ".npz")) for stem in GOLDEN_TOLERANCE}
    for key, names in sorted(cases.items()):
        stem, case = key.split("/", 1)
        graph_def = tf.GraphDef.FromString(graph_defs[key].tobytes())
        with tf.Graph().as_default() as graph:
            tf.import_graph_def(graph_def, name="")
        fetches = [names["out"]] + [g for g in names["grads"] if g]
        expected = [golden[stem][f"{case}/out"]] + [golden[stem][f"{case}/grad{i}"]
                                                    for i, g in enumerate(names["grads"]) if g]
        with tf.Session(graph=graph) as sess:
            for value, want in zip(sess.run(fetches), expected):
                np.testing.assert_allclose(value, want, *GOLDEN_TOLERANCE[stem], err_msg=key)
        assert_same_after_import(graph.as_graph_def(add_shapes=True), graph_def, key)


def test_shapes_inferred_on_import_never_contradict_tensorflows():
    """Without recorded ``_output_shapes``, minitf's shape inference gives shapes compatible with TensorFlow's
    (at times less specific: it does not evaluate shape computations as TensorFlow's shape inference does)."""
    cases, graph_defs = _op_case_fixtures()
    for key in sorted(cases):
        graph_def = tf.GraphDef.FromString(graph_defs[key].tobytes())
        recorded = {n.name: n.attr.pop("_output_shapes").list.shape for n in graph_def.node}
        with tf.Graph().as_default() as graph:
            tf.import_graph_def(graph_def, name="")
        for op in graph.get_operations():
            for tensor, shape in zip(op.outputs, recorded[op.name]):
                assert tensor.shape.is_compatible_with(shape_from_proto(shape)), (key, tensor.name)


def test_ops_without_a_minitf_wrapper_import_from_tensorflow_and_run():
    """The ops minitf only builds internally (or not at all), in a GraphDef TensorFlow wrote with tf.raw_ops."""
    graph_def = _tf_graph_def("raw_ops")
    expected = np.load(os.path.join(GRAPH_IO, "raw_ops.npz"))
    with tf.Graph().as_default() as graph:
        tf.import_graph_def(graph_def, name="")
    with tf.Session(graph=graph) as sess:
        for name, value in zip(expected.files, sess.run(expected.files)):
            assert value.dtype == expected[name].dtype
            np.testing.assert_allclose(value, expected[name], rtol=1e-6, atol=1e-7, err_msg=name)
    assert graph.as_graph_def(add_shapes=True) == graph_def


# Other op families record TensorFlow-written GraphDefs (function libraries included) and their ops' attr defaults
# in tests/fixtures/graphs/<family>/, imported by their own tests (tf.data: tests/test_data.py).
OTHER_GRAPH_DIRS = [os.path.join(FIXTURES, d) for d in ("data", "proximal_optimizers")]


def _ops_in_other_tf_graph_defs():
    seen = set()
    for directory in OTHER_GRAPH_DIRS:
        for name in sorted(os.listdir(directory)):
            if name.endswith(".pb"):
                with open(os.path.join(directory, name), "rb") as f:
                    graph_def = tf.GraphDef.FromString(f.read())
                seen |= {n.op for n in graph_def.node}
                seen |= {n.op for function in graph_def.library.function for n in function.node_def}
    return seen


def test_every_registered_op_is_in_a_graph_def_tested_here():
    cases, graph_defs = _op_case_fixtures()
    seen = {n.op for key in cases for n in tf.GraphDef.FromString(graph_defs[key].tobytes()).node}
    seen |= {n.op for name in PROGRAMS + ["raw_ops"] for n in _tf_graph_def(name).node}
    seen |= _ops_in_other_tf_graph_defs()
    with open(os.path.join(HERE, "golden", "control_flow_loop.pb"), "rb") as f:  # test_control_flow imports it
        seen |= {n.op for n in tf.GraphDef.FromString(f.read()).node}
    missing = set(op_registry.registered_ops()) - seen
    assert not missing, (f"ops {sorted(missing)} are in no TensorFlow-written GraphDef of these tests: use them in "
                         "tests/graph_io_cases.py's assorted_ops (or make_graph_io.raw_ops_graph) and re-run "
                         "tests/golden/make_graph_io.py")


# -- GraphDefs written by minitf -----------------------------------------------------------------------------------

def _round_trip(graph, fetches, run=None):
    graph_def = graph.as_graph_def(add_shapes=True)
    with tf.Graph().as_default() as imported:
        tf.import_graph_def(graph_def, name="")
    assert_same_after_import(imported.as_graph_def(add_shapes=True), graph_def)
    results = []
    for g in (graph, imported):
        with tf.Session(graph=g) as sess:
            results.append(run.execute(sess) if run else sess.run(fetches))
    for a, b in zip(*results):
        np.testing.assert_array_equal(a, b)


def test_minitf_graph_defs_round_trip_through_import():
    """minitf's own GraphDefs (every op case and program) import back to the same GraphDef and the same values."""
    for case_set in graph_io_cases.CASE_SETS.values():
        for case in case_set.values():
            with tf.Graph().as_default() as graph:
                out, grads = graph_io_cases.case_graph(tf, case)
            _round_trip(graph, [out.name] + [g.name for g in grads if g is not None])
    for name in PROGRAMS:
        graph, run = _build(name)
        _round_trip(graph, None, run)


# -- import_graph_def behaviour ------------------------------------------------------------------------------------

def test_import_graph_def_names_maps_and_errors_as_tensorflow():
    with open(os.path.join(GRAPH_IO, "import_scenarios.json")) as f:
        expected = json.load(f)
    graph_defs = {name: _tf_graph_def(name) for name in PROGRAMS}
    actual = json.loads(json.dumps(graph_io_cases.import_scenarios(tf, graph_defs)))
    assert sorted(actual) == sorted(expected)
    for key in expected:
        assert actual[key] == expected[key], key


def test_unknown_op_type_is_a_clear_error():
    graph_def = tf.GraphDef()
    graph_def.node.add(name="a", op="NoSuchOp")
    with tf.Graph().as_default(), pytest.raises(ValueError, match="Op type not registered 'NoSuchOp'"):
        tf.import_graph_def(graph_def)


def test_shape_arguments_are_int32_or_int64_as_in_tensorflow():
    """An empty shape list converts to int32 (the Tshape attr's default), not float32: TensorFlow rejected minitf's
    GraphDef of a scalar's reduce_sum gradient (its Reshape to ``[]``) before. An int64 shape sets Tshape to int64."""
    with tf.Graph().as_default():
        scalar = tf.constant(2.0)
        (grad,) = tf.gradients(tf.reduce_sum(scalar), scalar)
        reshapes = [op for op in tf.get_default_graph().get_operations() if op.type == "Reshape"]
        wide = tf.reshape(tf.constant([3.0]), tf.constant([1], tf.int64))
        tiled = tf.tile(scalar, [])
        assert [(op.inputs[1].dtype, op.get_attr("Tshape")) for op in reshapes] == [(tf.int32, tf.int32)]
        assert wide.op.get_attr("Tshape") == tf.int64 and tiled.op.inputs[1].dtype == tf.int32
        with tf.Session() as sess:
            assert sess.run([grad, wide, tiled]) == [1.0, [3.0], 2.0]


def test_shape_lists_holding_int64_tensors_stay_int64():
    """``[n, -1]`` with an int64 ``n`` packs to int64 and sets the index attr to int64, as TensorFlow 2.21 does
    (checked by hand: Reshape's Tshape, Fill's index_type, Tile's Tmultiples are int64, with no Cast)."""
    with tf.Graph().as_default():
        n = tf.constant(2, tf.int64)
        x = tf.zeros([2, 2])
        ops = [tf.reshape(x, [n, -1]).op, tf.fill([n, 2], 1.0).op, tf.tile(x, [n, 1]).op]
        assert [(op.get_attr(attr), op.inputs[index].op.type, op.inputs[index].dtype) for op, attr, index in
                zip(ops, ("Tshape", "index_type", "Tmultiples"), (1, 0, 1))] == [(tf.int64, "Pack", tf.int64)] * 3
        assert tf.fill([2, 3], 1.0).op.get_attr("index_type") == tf.int32
        with tf.Session() as sess:
            assert [v.shape for v in sess.run([op.outputs[0] for op in ops])] == [(2, 2), (2, 2), (4, 2)]


def test_import_fills_default_attrs():
    graph_def = _tf_graph_def("small")
    for node in graph_def.node:
        if node.op == "Sum":
            del node.attr["keep_dims"]
    with tf.Graph().as_default(), pytest.raises(ValueError, match="'total' has an _output_shapes attribute "
                                                                  "inconsistent with the GraphDef"):
        tf.import_graph_def(graph_def, name="")
    for node in graph_def.node:
        del node.attr["_output_shapes"]
    with tf.Graph().as_default() as graph:
        tf.import_graph_def(graph_def, name="")
    total = graph.get_operation_by_name("total")
    assert total.get_attr("keep_dims") is False and total.outputs[0].shape.as_list() == [None]


@pytest.mark.parametrize("name", ["seed000.pb", "seed000.pbtxt"])
def test_graph_fixture_written_by_tensorflow_trains_in_minitf(name):
    with open(os.path.join(FIXTURES, "expected.json")) as f:
        expected = json.load(f)
    with open(os.path.join(FIXTURES, name), "rb") as f:
        data = f.read()
    graph_def = text_format.Parse(data.decode(), tf.GraphDef()) if name.endswith(".pbtxt") else \
        tf.GraphDef.FromString(data)
    assert [[n.name, n.op] for n in graph_io_cases.seed000_fixture_graph(tf).as_graph_def().node] == expected["nodes"]
    with tf.Graph().as_default():
        tf.import_graph_def(graph_def, name="")
        with tf.Session() as sess:
            sess.run("init")
            for _ in range(5):
                sess.run("gradient_descent/train")
            values = sess.run(["linear/weight:0", "linear/bias:0", "gradient_descent/loss:0"])
    np.testing.assert_allclose([values[0][0], values[1][0], values[2]], expected["after_5_steps"], rtol=1e-6)


# -- tf.graph_util ---------------------------------------------------------------------------------------------------

def test_graph_util_gives_tensorflows_graph_defs():
    graph_defs = {name: _tf_graph_def(name) for name in PROGRAMS}
    outputs = graph_io_cases.graph_util_outputs(tf, graph_defs)
    for name, graph_def in outputs.items():
        with open(os.path.join(GRAPH_IO, f"graph_util_{name}.pb"), "rb") as f:
            assert graph_def == tf.GraphDef.FromString(f.read()), name


def test_frozen_graph_runs_without_variables():
    graph_def = _tf_graph_def("variable_scopes")
    with tf.Graph().as_default():
        tf.import_graph_def(graph_def, name="")
        with tf.Session() as sess:
            sess.run("init")
            frozen = tf.graph_util.convert_variables_to_constants(sess, graph_def, ["layer2/add"])
            expected = sess.run("layer2/add:0", {"x:0": np.ones([2, 3], np.float32)})
    assert not [n for n in frozen.node if n.op == "VariableV2"]
    with tf.Graph().as_default():
        out, = tf.import_graph_def(frozen, return_elements=["layer2/add:0"])
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(out, {"import/x:0": np.ones([2, 3], np.float32)}), expected)
    with pytest.raises(AssertionError, match="nope is not in graph"):
        tf.graph_util.extract_sub_graph(graph_def, ["nope"])
    with pytest.raises(TypeError, match="dest_nodes must be an iterable of strings"):
        tf.graph_util.extract_sub_graph(graph_def, "total")


# -- MetaGraphDefs ---------------------------------------------------------------------------------------------------

def _tf_meta_graph(name):
    return meta_graph.read_meta_graph_file(os.path.join(GRAPH_IO, name + ".meta"))


def _variable_def(serialized):
    from minitf.proto import variable_pb2
    proto = variable_pb2.VariableDef.FromString(serialized)
    # Known gap: TF's global step has aggregation ONLY_FIRST_REPLICA; minitf's Variable has no aggregation.
    proto.ClearField("aggregation")
    return proto


@pytest.mark.parametrize("name", PROGRAMS)
def test_meta_graph_def_matches_tensorflows(name):
    graph, _ = _build(name)
    expected, actual = _tf_meta_graph(name), meta_graph.export_meta_graph(graph=graph)
    assert actual.meta_info_def.tensorflow_version == expected.meta_info_def.tensorflow_version
    assert [f.name for f, _ in actual.ListFields()] == [f.name for f, _ in expected.ListFields()]
    assert _unexplained(graph_def_differences(expected.graph_def, actual.graph_def)) == []
    assert sorted(actual.collection_def) == sorted(expected.collection_def)
    for key, want in expected.collection_def.items():
        got = actual.collection_def[key]
        assert got.WhichOneof("kind") == want.WhichOneof("kind"), key
        if key in ("variables", "trainable_variables", "global_step"):
            assert [_variable_def(v) for v in got.bytes_list.value] == [_variable_def(v) for v in
                                                                        want.bytes_list.value]
        else:
            assert got == want, key


@pytest.mark.parametrize("name", PROGRAMS)
def test_tensorflow_meta_graph_imports_with_collections_and_runs(name):
    expected = _tf_meta_graph(name)
    _, run = _build(name)
    with tf.Graph().as_default() as graph:
        variables = meta_graph.import_scoped_meta_graph(os.path.join(GRAPH_IO, name + ".meta"))
        names = [_variable_def(v).variable_name for v in expected.collection_def["variables"].bytes_list.value]
        assert sorted(variables) == sorted(names)
        assert [v.name for v in tf.global_variables()] == names
        for key, col in expected.collection_def.items():
            if col.WhichOneof("kind") == "node_list":
                assert [m.name for m in graph.get_collection(key)] == list(col.node_list.value)
        with tf.Session() as sess:
            _assert_program_values(name, run.execute(sess))
    with tf.Graph().as_default() as graph:
        meta_graph.import_scoped_meta_graph(os.path.join(GRAPH_IO, name + ".meta"), import_scope="scoped")
        assert [v.name for v in tf.global_variables()] == ["scoped/" + n for n in names]
        assert all(op.name.startswith("scoped/") for op in graph.get_operations())


def test_meta_graph_text_and_binary_files_read_back(tmp_path):
    graph, _ = _build("adam_mlp")
    for as_text in (False, True):
        path = str(tmp_path / f"model_{as_text}.meta")
        written = meta_graph.export_meta_graph(path, graph=graph, as_text=as_text)
        assert meta_graph.read_meta_graph_file(path) == written


# -- default attrs -----------------------------------------------------------------------------------------------------

def _tf_attr_defaults():
    from minitf.proto import attr_value_pb2
    recorded = {}
    for directory in [GRAPH_IO] + OTHER_GRAPH_DIRS:
        with open(os.path.join(directory, "op_defaults.json")) as f:
            recorded.update(json.load(f))
    return {op: {key: attr_value_pb2.AttrValue.FromString(bytes.fromhex(value)) for key, value in attrs.items()}
            for op, attrs in recorded.items()}


def test_registered_attr_defaults_are_tensorflows():
    from minitf.framework import graph_io
    tf_defaults = _tf_attr_defaults()
    for op_type in op_registry.registered_ops():
        for key, value in op_registry.get(op_type).attr_defaults.items():
            assert graph_io.attr_value(value) == tf_defaults[op_type].get(key), (op_type, key)


# TensorFlow strips attrs from these programs' meta graphs that minitf's kernels cannot do without because the
# registry lacks their defaults (Placeholder's shape, Shape's out_type, ApplyAdagrad's update_slots): see the report.
RUN_WITHOUT_DEFAULT_ATTRS = ["seed000", "small", "training_nodes", "variable_scopes"]


@pytest.mark.parametrize("name", RUN_WITHOUT_DEFAULT_ATTRS)
def test_tensorflow_meta_graph_without_default_attrs_imports_and_runs(name):
    stripped = _tf_meta_graph(name + ".stripped")
    assert stripped.meta_info_def.stripped_default_attrs
    _, run = _build(name)
    with tf.Graph().as_default():
        meta_graph.import_scoped_meta_graph(stripped)
        with tf.Session() as sess:
            _assert_program_values(name, run.execute(sess))


def _attr_keys(graph_def):
    return {(n.name, key) for n in graph_def.node for key in n.attr}


@pytest.mark.parametrize("name", PROGRAMS)
def test_export_strips_default_attrs_as_tensorflow(name):
    """minitf strips exactly the attrs TensorFlow strips, among those the registry gives a default (and whose value
    agrees with TensorFlow's, see KNOWN_GAPS)."""
    graph, _ = _build(name)
    actual = meta_graph.export_meta_graph(graph=graph, strip_default_attrs=True)
    assert actual.meta_info_def.stripped_default_attrs
    full = graph.as_graph_def(add_shapes=True)
    tf_full = _tf_meta_graph(name).graph_def
    tf_nodes = {n.name: n for n in tf_full.node}
    agreeing = {(n.name, key) for n in full.node if n.name in tf_nodes for key in n.attr
                if n.attr[key] == tf_nodes[n.name].attr.get(key)}
    removed = _attr_keys(full) - _attr_keys(actual.graph_def)
    tf_removed = _attr_keys(tf_full) - _attr_keys(_tf_meta_graph(name + ".stripped").graph_def)
    ops = {n.name: n.op for n in full.node}
    assert removed & agreeing == {(node, key) for node, key in tf_removed & agreeing
                                  if key in op_registry.get(ops[node]).attr_defaults}
