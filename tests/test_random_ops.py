"""Seeded random ops and initializers give TensorFlow 2.21's values, compared as raw bits.

tests/golden/random.json was recorded by tests/golden/make_random.py from the programs in tests/random_cases.py:
every random op (uniform float and int, normal, truncated normal, shuffle, multinomial, gamma, poisson, dropout)
at shapes [] to [2, 3, 4, 5] in float32/float64 (int32/int64 where TensorFlow has them), each run twice in one
Session and once in a new one; graph-level and op-level seeds alone and together; TensorFlow 1.x's seed rule;
every initializer through get_variable, variable_scope and tf.Variable. The kernels' stream arithmetic itself is
covered by tests/test_philox.py.
"""
import contextlib
import hashlib

import numpy as np
import pytest

import minitf
from minitf.framework import errors, random_seed
from minitf.ops import random_kernels
from random_cases import CASES, SHARDED_MULTINOMIAL, multinomial_logits, run_case
from helpers import golden

GOLDEN = golden("golden/random.json")

tf = minitf


@contextlib.contextmanager
def tf1_seed_rule():
    saved = random_seed.SEED_RULE
    random_seed.SEED_RULE = "tf1"
    try:
        yield
    finally:
        random_seed.SEED_RULE = saved


@pytest.fixture(autouse=True)
def tensorflow_thread_count(monkeypatch):
    """Multinomial shards like TensorFlow's thread pool on the machine that recorded the goldens."""
    monkeypatch.setattr(random_kernels, "tensorflow_cpu_threads", lambda: GOLDEN["cpu_threads"])


def assert_matches(ours, recorded, tolerance):
    ours = np.asarray(ours)
    assert ours.dtype.name == recorded["dtype"]
    assert list(ours.shape) == recorded["shape"]
    if tolerance is not None:
        np.testing.assert_allclose(ours, np.array(recorded["values"], ours.dtype), rtol=tolerance, atol=tolerance)
    elif "hex" in recorded:
        assert ours.tobytes().hex() == recorded["hex"]
    else:
        assert np.ascontiguousarray(ours.reshape(-1)[:8]).tobytes().hex() == recorded["head"]
        assert hashlib.sha256(np.ascontiguousarray(ours).tobytes()).hexdigest() == recorded["sha256"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_match_tensorflow(name):
    case = CASES[name]
    runs = run_case(tf, case, tf1_seed_rule)
    recorded = GOLDEN["cases"][name]
    assert len(runs) == len(recorded)
    for run, recorded_run in zip(runs, recorded):
        assert len(run) == len(recorded_run)
        for value, entry in zip(run, recorded_run):
            assert_matches(value, entry, case.tolerance)


def test_seeds002_prints_the_tutorial_numbers():
    with tf.Graph().as_default():
        c = tf.random_uniform([], -10, 10, seed=2)
        with tf.Session() as sess:
            assert [f"{sess.run(c):.5f}" for _ in range(2)] == ["3.57493", "-5.97319"]


def test_unseeded_ops_draw_fresh_values_in_each_session():
    with tf.Graph().as_default():
        a = tf.random_uniform([4])
        assert (a.op.get_attr("seed"), a.op.get_attr("seed2")) == (0, 0)
        values = []
        for _ in range(2):
            with tf.Session() as sess:
                values.append(sess.run(a))
        assert not np.array_equal(values[0], values[1])


@pytest.mark.parametrize("threads", sorted(GOLDEN["multinomial_threads"]))
def test_multinomial_shards_like_tensorflow_with_any_thread_count(threads):
    # Recorded from Sessions with intra_op_parallelism_threads = 1, 3, 4: TensorFlow splits large draws into
    # shards whose streams restart, so the samples depend on the thread count.
    for (rows, classes, samples, seed, seed2), recorded in zip(
            SHARDED_MULTINOMIAL, zip(*GOLDEN["multinomial_threads"][threads])):
        stream = random_kernels.BlockStream(seed, seed2)
        logits = multinomial_logits(rows, classes, "float32")
        for entry in recorded:
            ours = random_kernels.multinomial(stream, logits, samples, np.int64, int(threads))
            assert_matches(ours, entry, None)


def test_graph_layout_and_seed_attrs_match_tensorflow():
    # The node names and (seed, seed2) attrs TensorFlow 2.21 builds for these calls under set_random_seed(3).
    with tf.Graph().as_default() as graph:
        tf.set_random_seed(3)
        tf.random_shuffle(tf.constant([1, 2, 3]))
        tf.multinomial([[0.1, 0.2]], 3)
        tf.random_gamma([2], [1.0, 2.0])
        tf.random_poisson([1.0, 2.0], [2])
        tf.get_variable("w", [4, 3], initializer=tf.orthogonal_initializer(seed=1))
        layout = {op.name: (op.type, op._attrs.get("seed"), op._attrs.get("seed2")) for op in graph.get_operations()}
    assert layout["RandomShuffle"] == ("RandomShuffle", 3, 0)
    assert layout["multinomial/Multinomial"] == ("Multinomial", 3, 1)
    assert layout["multinomial/Multinomial/num_samples"][0] == "Const"
    assert [layout[f"random_gamma/{n}"][0] for n in ("Shape_1", "Shape_2", "BroadcastArgs", "BroadcastTo",
                                                     "truediv", "Maximum/x", "Maximum")] == \
        ["Const", "Const", "BroadcastArgs", "BroadcastTo", "RealDiv", "Const", "Maximum"]
    assert layout["random_gamma/RandomGamma"] == ("RandomGamma", 3, 2)
    assert layout["random_poisson/RandomPoissonV2"] == ("RandomPoissonV2", 3, 3)
    assert layout["random_poisson/RandomPoissonV2/rate"][0] == "Const"
    assert [layout[f"w/Initializer/{n}"][0] for n in ("Qr", "DiagPart", "Sign", "mul", "Reshape", "mul_1")] == \
        ["Qr", "DiagPart", "Sign", "Mul", "Reshape", "Mul"]
    assert layout["w/Initializer/random_normal/RandomStandardNormal"][1:] == (3, 1)


def test_static_shapes_match_tensorflow():
    with tf.Graph().as_default():
        assert tf.random_gamma([2, 3], [[1.0], [2.0]], beta=[1.0, 2.0, 3.0], dtype=tf.float64).shape.as_list() == \
            [2, 3, 2, 3]
        assert tf.random_poisson([1.0, 2.0], [2, 3], dtype=tf.int32).shape.as_list() == [2, 3, 2]
        assert tf.multinomial(tf.zeros([4, 3]), 7).shape.as_list() == [4, 7]
        assert tf.random_shuffle(tf.zeros([5, 2])).shape.as_list() == [5, 2]


def test_kernel_errors_are_tensorflow_errors():
    with tf.Graph().as_default():
        logits = tf.placeholder(tf.float32, [None, None])
        samples = tf.multinomial(logits, 3, seed=1)
        alpha = tf.placeholder(tf.float32, [None])
        gamma = tf.random_gamma([2], alpha, seed=1)
        with tf.Session() as sess:
            with pytest.raises(errors.InvalidArgumentError, match="num_classes should be positive, got 0"):
                sess.run(samples, {logits: np.zeros((2, 0), np.float32)})
            with pytest.raises(errors.InvalidArgumentError, match="alpha should have non-zero element count"):
                sess.run(gamma, {alpha: np.zeros(0, np.float32)})


def test_initializer_arguments_are_checked_like_tensorflow():
    with pytest.raises(ValueError, match="expected to be floating point"):
        tf.random_normal_initializer(dtype=tf.int32)
    with pytest.raises(ValueError, match="at least two-dimensional"):
        tf.orthogonal_initializer()([3])
    assert tf.glorot_uniform_initializer(dtype=tf.float64).dtype == tf.float32  # TensorFlow drops the dtype
