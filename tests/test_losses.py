"""``tf.losses`` against TensorFlow 2.21's ``tf.compat.v1.losses``: for every loss function, every Reduction and
scalar / per-example / full / zero weights, the loss's name, dtype, shape, value and gradient, the graph's nodes and
the LOSSES collection; scopes, collections, regularization and total losses; error messages.

The programs are tests/golden/losses_programs.py; goldens come from tests/golden/make_losses.py.
"""
import re

import numpy as np
import pytest

import minitf as tf
from golden import losses_programs as programs
from helpers import golden

RECORD = golden("golden/losses.json")
RTOL, ATOL = 1e-5, 1e-6

# Nodes of TensorFlow's graphs that minitf builds otherwise, for reasons outside minitf/losses.py:
# pattern on the name of a node only TensorFlow's graph has -> why.
TENSORFLOW_ONLY = [
    (r"ones_like(_\d+)?/(Shape/shape_as_tensor|Const)$",
     "array_ops.ones_like of a fully defined shape: TF builds Fill(Shape/shape_as_tensor, Const), minitf one Const"),
    (r"/(Rank|range(/start|/delta)?)$",
     "math_ops.reduce_sum of a scalar: TF's _ReductionDims builds range(0, Rank) for rank 0 (it tests `if x_rank:`), "
     "minitf a Const of the axes"),
    (r"/xentropy/(Rank|Shape|Slice|Sub|concat|Reshape)(_\d+)?(/\w+)?$",
     "nn_ops: TF's softmax_cross_entropy_with_logits_v2 flattens logits and labels to 2-D and reshapes the loss "
     "back; its sparse_softmax_cross_entropy_with_logits adds a Shape of the labels"),
]
# Nodes whose op type differs: pattern -> why.
OTHER_TYPE = [(r"ones_like(_\d+)?$", "array_ops.ones_like: Fill in TF, Const in minitf (see above)")]


def _sums_a_scalar(op):
    """The minitf counterpart of TF's range(0, Rank): the Const axes of a Sum over a scalar."""
    consumers = [c for t in op.outputs for c in t.consumers()]
    return op.type == "Const" and consumers and all(c.type == "Sum" and c.inputs[1] is op.outputs[0]
                                                    and c.inputs[0].shape.ndims == 0 for c in consumers)


def _node_differences(expected, graph):
    """Differences between TensorFlow's [name, op type] list and minitf's graph, but for the known ones."""
    ours = {op.name: op for op in graph.get_operations()}
    theirs = dict(map(tuple, expected))
    found = [f"missing {name} ({kind})" for name, kind in expected if name not in ours
             and not any(re.search(pattern, name) for pattern, _ in TENSORFLOW_ONLY)]
    found += [f"extra {name} ({op.type})" for name, op in ours.items() if name not in theirs and not _sums_a_scalar(op)]
    found += [f"{name}: {kind} != {ours[name].type}" for name, kind in expected if name in ours
              and ours[name].type != kind and not any(re.search(p, name) for p, _ in OTHER_TYPE)]
    return found


@pytest.mark.parametrize("name", list(programs.VARIANTS))
def test_losses_match_tensorflow(name):
    golden = RECORD["variants"][name]
    with tf.Graph().as_default() as graph:
        losses, x = programs.build_variant(tf, name)
        assert _node_differences(golden["nodes"], graph) == []
        assert [t.name for t in tf.get_collection(tf.GraphKeys.LOSSES)] == golden["collection"]
        grads = [tf.gradients(loss, x)[0] for loss in losses]
        with tf.Session() as sess:
            values, grad_values = sess.run([losses, grads])
    assert len(losses) == len(golden["losses"])
    for loss, value, grad, want in zip(losses, values, grad_values, golden["losses"]):
        assert [loss.name, loss.dtype.name, loss.shape.as_list()] == [want["name"], want["dtype"], want["shape"]]
        np.testing.assert_allclose(value, want["value"], RTOL, ATOL, err_msg=want["name"])
        np.testing.assert_allclose(grad, want["grad"], RTOL, ATOL, err_msg=want["name"] + " gradient")


def test_every_function_reduction_and_kind_of_weights_is_covered():
    functions = {function for function, *_ in programs.VARIANTS.values()}
    assert functions == {"absolute_difference", "cosine_distance", "hinge_loss", "huber_loss", "log_loss",
                         "mean_pairwise_squared_error", "mean_squared_error", "sigmoid_cross_entropy",
                         "softmax_cross_entropy", "sparse_softmax_cross_entropy"}
    assert set(programs.REDUCTIONS) == set(tf.losses.Reduction.all())
    assert list(tf.losses.Reduction.all()) == RECORD["scenarios"]["reduction_all"]
    assert set(RECORD["scenarios"]["public_names"]) <= set(dir(tf.losses))


def test_collections_regularization_and_total_losses_match_tensorflow():
    golden = RECORD["scenarios"]
    with tf.Graph().as_default():
        facts, run = programs.scenarios(tf)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            values = sess.run(run)
    for key, value in facts.items():
        assert value == golden[key], key
    assert sorted(values) == sorted(golden["values"])
    for key, value in values.items():
        np.testing.assert_allclose(value, golden["values"][key], RTOL, ATOL, err_msg=key)
    with tf.Graph().as_default():
        none = tf.losses.get_regularization_loss()
        assert [none.name, none.op.type] == golden["no_regularization"]


@pytest.mark.parametrize("name", list(programs.ERRORS))
def test_errors_match_tensorflow(name):
    assert programs.error_message(tf, programs.ERRORS[name]) == RECORD["errors"][name]
