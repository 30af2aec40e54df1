"""Gradient graphs equal TensorFlow's node for node (names, op types, inputs): Pow's (its ones_like/Select
masking of log(x)) and the long-tail gradients (tests/gradient_node_cases.py, tests/golden/make_gradient_nodes.py);
their values are checked by tests/test_ops.py."""
import pytest

import gradient_node_cases
import longtail_cases
import minitf as tf
from helpers import golden

NODES = golden("golden/gradient_nodes.json")
CASES = dict(gradient_node_cases.CASES, **{n: longtail_cases.CASES[n] for n in gradient_node_cases.LONGTAIL})


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradient_graph_matches_tensorflow(name):
    assert gradient_node_cases.gradient_nodes(tf, CASES[name]) == NODES[name]
