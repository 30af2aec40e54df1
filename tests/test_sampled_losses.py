"""Candidate samplers, nce_loss and sampled_softmax_loss against TensorFlow 2.21: the samplers' seeded streams bit
for bit over several runs (candidates and float32 expected counts), accidental hits, the losses' graphs node for
node, their values and three training steps through the sparse gradients; a label out of range fails with
TensorFlow's InvalidArgumentError.

The programs are tests/golden/sampled_losses_programs.py; goldens come from tests/golden/make_sampled_losses.py.
"""
import json
import os
import re

import numpy as np
import pytest

import minitf as tf
from golden import sampled_losses_programs as programs

RECORD = json.load(open(os.path.join(os.path.dirname(__file__), "golden", "sampled_losses.json")))


def _compare(value, want, key, exact):
    if isinstance(want, dict):
        for k in want:
            _compare(value[k], want[k], f"{key}/{k}", exact)
    elif isinstance(want, list) and isinstance(value, (list, tuple)):
        assert len(value) == len(want), key
        for i, (v, w) in enumerate(zip(value, want)):
            _compare(v, w, f"{key}/{i}", exact)
    elif exact:
        np.testing.assert_array_equal(np.asarray(value), np.asarray(want, dtype=np.asarray(value).dtype),
                                      err_msg=key)
    else:  # TensorFlow's grappler reassociates the training arithmetic (docs/exactness.md)
        np.testing.assert_allclose(np.asarray(value), np.asarray(want), rtol=2e-6, atol=1e-6, err_msg=key)


@pytest.mark.parametrize("name", list(programs.PROGRAMS))
def test_matches_tensorflow(name):
    nodes, runs = programs.run(tf, programs.PROGRAMS[name])
    golden = RECORD["programs"][name]
    if name == "samplers":
        assert nodes == golden["nodes"]
    else:  # the loss's own nodes; minitf's concat gradient and softmax cross-entropy differ in their helper nodes
        def own(listing):
            return [n for n in listing if n[0].startswith(("nce_loss/", "sampled_softmax_loss/"))]
        assert own(nodes) == own(golden["nodes"])
    _compare(runs, golden["runs"], name, exact=(name == "samplers"))


def test_label_out_of_range_fails_as_tensorflow():
    want = re.search(r"\nNode: '[^']*'\n(.*?)\n", RECORD["label_out_of_range"]).group(1)
    assert programs.label_out_of_range(tf).split("\n")[0] == want


def test_sampler_outputs_are_named_as_tensorflow():
    with tf.Graph().as_default():
        sampled = tf.nn.log_uniform_candidate_sampler([[1]], 1, 3, True, 10, seed=1)
        assert sampled._fields == ("sampled_candidates", "true_expected_count", "sampled_expected_count")
        assert sampled.sampled_candidates.dtype == tf.int64 and sampled.true_expected_count.shape.as_list() == [1, 1]
