"""tf.data functions in an exported GraphDef's function library, against the GraphDefs TensorFlow 2.21 wrote for the
programs of tests/golden/data_programs.py (tests/fixtures/graphs/data/, written by tests/golden/make_data.py).

Each function is matched with TensorFlow's through the dataset node that names it (``f``, ``predicate``) and is
TensorFlow's FunctionDef exactly but for the number in its name: signature, attrs, argument attrs, body (dataset
nodes with their full types), results, and the control outputs TensorFlow's automatic control dependencies add for
a stateful dataset source. Known differences (minitf/data/function_def.py): one-shot iterators' ``_make_dataset_*``
factories and ``from_generator``'s functions (its ``flat_map_fn`` and the PyFunc wrappers it names) are not as
TensorFlow writes them; one function body differs from TensorFlow's independently of the export
(KNOWN_BODY_DIFFERENCES): its signature, attrs and results still match.
"""

import os
import re
import tempfile

import pytest

import minitf as tf
from golden import data_programs as programs
from minitf.proto import function_pb2, graph_pb2
from test_data import write_tfrecord

GRAPHS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "graphs", "data")
FROM_GENERATOR = "__inference_Dataset_flat_map_flat_map_fn_"
KNOWN_BODY_DIFFERENCES = {
    # map(lambda r: (r, 1)): TensorFlow's function converts the 1 twice (Const and Const_1, the result uses the
    # second); minitf converts it once.
    "readers": "__inference_Dataset_map_lambda_",
}


def _function_refs(graph_def):
    """{(node name, attr key): function name} of the GraphDef's nodes."""
    return {(node.name, key): value.func.name for node in graph_def.node for key, value in node.attr.items()
            if value.HasField("func")}


def _anonymous(fdef):
    """The FunctionDef with its name's number removed."""
    copy = function_pb2.FunctionDef()
    copy.CopyFrom(fdef)
    copy.signature.name = re.sub(r"_\d+$", "", copy.signature.name)
    return copy


def _libraries(program):
    tf.reset_default_graph()
    with tempfile.TemporaryDirectory() as workdir:
        program(tf, workdir, write_tfrecord)
    mine = tf.get_default_graph().as_graph_def()
    with open(os.path.join(GRAPHS, program.__name__ + ".pb"), "rb") as f:
        theirs = graph_pb2.GraphDef.FromString(f.read())
    return mine, theirs


@pytest.mark.parametrize("program", [p for p in programs.PROGRAMS if p is not programs.construction_errors],
                         ids=lambda p: p.__name__)
def test_library_matches_tensorflow(program):
    mine, theirs = _libraries(program)
    my_functions = {f.signature.name: f for f in mine.library.function}
    their_functions = {f.signature.name: f for f in theirs.library.function}
    my_refs = _function_refs(mine)
    matched = set()
    for ref, their_name in _function_refs(theirs).items():
        if their_name.startswith("_make_dataset_"):
            assert ref[1] == "dataset_factory"  # a one-shot iterator's factory: not written by minitf
            continue
        my_name = my_refs[ref]
        assert re.sub(r"_\d+$", "", my_name) == re.sub(r"_\d+$", "", their_name)
        mine_fdef, theirs_fdef = _anonymous(my_functions[my_name]), _anonymous(their_functions[their_name])
        if their_name.startswith(FROM_GENERATOR):  # minitf's GeneratorDataset calls Python, TF's names PyFuncs
            assert mine_fdef.signature == theirs_fdef.signature
        elif their_name.startswith(KNOWN_BODY_DIFFERENCES.get(program.__name__, "-")):
            assert mine_fdef.signature == theirs_fdef.signature and mine_fdef.attr == theirs_fdef.attr
            assert mine_fdef.arg_attr == theirs_fdef.arg_attr and mine_fdef.ret == theirs_fdef.ret
        else:
            assert mine_fdef == theirs_fdef, their_name
        matched.add(my_name)
    assert set(my_functions) == matched  # nothing else is written


def test_map_filter_pipeline_library():
    """What TensorFlow writes for Dataset.map / filter (recorded from TensorFlow 2.21 by hand): one FunctionDef per
    function, arguments ``args_K``, results ``identity[_K]`` through Identity nodes, inputs as ``op:arg:index``."""
    with tf.Graph().as_default() as graph:
        ds = tf.data.Dataset.from_tensor_slices(([1., 2., 3.], [1, 2, 3]))
        ds = ds.map(lambda x, y: (x * 2.0, y + 1)).filter(lambda x, y: x > 2.0)
        tf.data.make_initializable_iterator(ds)
        library = graph.as_graph_def().library.function
    map_fn, filter_fn = library
    assert map_fn.signature.name == graph.get_operation_by_name("MapDataset").get_attr("f").func.name
    assert [(a.name, a.type) for a in map_fn.signature.input_arg] == [("args_0", 1), ("args_1", 3)]
    assert [(a.name, a.type) for a in map_fn.signature.output_arg] == [("identity", 1), ("identity_1", 3)]
    assert [(n.name, n.op, list(n.input)) for n in map_fn.node_def] == [
        ("mul/y", "Const", []), ("mul", "Mul", ["args_0", "mul/y:output:0"]), ("add/y", "Const", []),
        ("add", "AddV2", ["args_1", "add/y:output:0"]), ("Identity", "Identity", ["mul:z:0"]),
        ("Identity_1", "Identity", ["add:z:0"])]
    assert dict(map_fn.ret) == {"identity": "Identity:output:0", "identity_1": "Identity_1:output:0"}
    assert [(n.name, list(n.input)) for n in filter_fn.node_def][-1] == ("Identity", ["Greater:z:0"])
    assert filter_fn.attr["_tf_data_function"].b and not filter_fn.signature.is_stateful
