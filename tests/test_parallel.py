"""Inter-op parallelism and the BLAS threading policy (issue 17): running independent ops at once changes no bit of
any result, errors read as from the sequential executor, and numpy's BLAS setting is the user's outside Session.run.

``parallel.HEAVY_SECONDS`` is set to 0 here so that every pair of independent steps is paired (the default pairs only
kernels that took two milliseconds or more), which makes the comparison cover far more orderings than a real run."""

import os
import sys

import numpy as np
import pytest
import threadpoolctl

from helpers import blas_thread_counts
import minitf as tf
from minitf.client import parallel, threading_policy

EXAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "cifar10")


@pytest.fixture
def pair_everything(monkeypatch):
    monkeypatch.setattr(parallel, "HEAVY_SECONDS", 0.0)


def sessions():
    """The default config (inter-op parallelism on) and TensorFlow's one-at-a-time setting."""
    return [tf.Session(), tf.Session(config=tf.ConfigProto(inter_op_parallelism_threads=1))]


def same_bits(values, values_1):
    return [np.asarray(v).tobytes() for v in values] == [np.asarray(v).tobytes() for v in values_1]


def forks(sess):
    return sum(type(step[0]) is parallel._Fork for plan in sess._plans.values()
               for step in (plan.parallel_steps or ()))


def train_cifar10(sess, images, labels, x, y, train_op, steps=6):
    sess.run(tf.global_variables_initializer())
    losses = [sess.run([train_op, "total_loss:0"], {images: x, labels: y})[1] for _ in range(steps)]
    return losses, sess.run(tf.global_variables())


def test_cifar10_example_trains_to_the_same_bits_with_and_without_inter_op_parallelism(fresh_graph, pair_everything,
                                                                                     monkeypatch):
    monkeypatch.syspath_prepend(EXAMPLE)
    monkeypatch.setattr(sys, "argv", [sys.argv[0]])
    import cifar10
    batch = 8
    tf.set_random_seed(3)
    images, labels = cifar10.placeholder_inputs(batch)
    global_step = tf.train.get_or_create_global_step()
    total_loss = cifar10.loss(cifar10.inference(images), labels)
    train_op = cifar10.train(total_loss, global_step, examples_per_epoch=1000)
    rng = np.random.RandomState(0)
    x = rng.uniform(-1, 1, (batch, 24, 24, 3)).astype(np.float32)
    y = rng.randint(0, 10, batch).astype(np.int32)
    parallel_run, sequential_run = sessions()
    with parallel_run, sequential_run:
        losses, values = train_cifar10(parallel_run, images, labels, x, y, train_op)
        losses_1, values_1 = train_cifar10(sequential_run, images, labels, x, y, train_op)
        assert forks(parallel_run) > 10 and forks(sequential_run) == 0
    assert same_bits(losses, losses_1)
    assert same_bits(values, values_1)


def random_graph(rng, n_ops=60):
    """A random DAG of element-wise, matrix and reduction ops over two placeholders and a variable, its gradients,
    and an SGD update: many independent branches of all sizes."""
    a = tf.placeholder(tf.float32, [16, 16], name="a")
    b = tf.placeholder(tf.float32, [16, 16], name="b")
    w = tf.Variable(rng.standard_normal((16, 16)).astype(np.float32), name="w")
    nodes = [a, b, w.value()]
    unary = [tf.tanh, tf.sigmoid, tf.nn.relu, lambda t: t * 0.5, tf.transpose]
    binary = [tf.add, tf.multiply, tf.subtract, tf.matmul, lambda s, t: tf.matmul(s, t, transpose_b=True)]
    for _ in range(n_ops):
        if rng.rand() < 0.4:
            nodes.append(unary[rng.randint(len(unary))](nodes[rng.randint(len(nodes))]))
        else:
            s, t = (nodes[i] for i in rng.randint(len(nodes), size=2))
            nodes.append(tf.tanh(binary[rng.randint(len(binary))](s, t)))
    outputs = nodes[-10:]
    loss = tf.add_n([tf.reduce_mean(tf.square(t)) for t in outputs])
    train = tf.train.GradientDescentOptimizer(1e-3).minimize(loss)
    return a, b, outputs, loss, train


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_random_graph_gives_the_same_bits_with_and_without_inter_op_parallelism(fresh_graph, pair_everything,
                                                                                  seed):
    rng = np.random.RandomState(seed)
    a, b, outputs, loss, train = random_graph(rng)
    feed = {a: rng.standard_normal((16, 16)).astype(np.float32), b: rng.standard_normal((16, 16)).astype(np.float32)}
    results = []
    for sess in sessions():
        with sess:
            sess.run(tf.global_variables_initializer())
            runs = [sess.run([train, loss] + outputs, feed)[1:] for _ in range(6)]
            results.append((runs, sess.run(tf.global_variables()), forks(sess)))
    (runs, values, n_forks), (runs_1, values_1, n_forks_1) = results
    assert n_forks > 0 and n_forks_1 == 0
    for run, run_1 in zip(runs, runs_1):
        assert same_bits(run, run_1)
    assert same_bits(values, values_1)


def test_a_failing_op_in_a_fork_is_reported_as_by_the_sequential_executor(fresh_graph, pair_everything):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    good = tf.matmul(x, tf.ones([3, 2]), name="good")
    bad = tf.reshape(x, [5], name="bad")
    both = tf.add_n([tf.reduce_sum(good), tf.reduce_sum(bad)])
    messages = []
    for sess in sessions():
        with sess:
            for _ in range(5):  # past the timed runs, so that the parallel session runs its forks
                with pytest.raises(tf.errors.InvalidArgumentError) as info:
                    sess.run(both, {x: np.ones((2, 3), np.float32)})
            messages.append((type(info.value), info.value.op.name, info.value.message))
    assert messages[0] == messages[1]
    assert messages[0][1] == "bad" and "[[node bad (defined at " in messages[0][2]


def test_config_threads_follow_tensorflows_meaning():
    cores = threading_policy._cores()
    assert threading_policy.blas_threads(None) == 1
    assert threading_policy.inter_op_threads(None) == cores
    one_at_a_time = tf.ConfigProto(inter_op_parallelism_threads=1)
    assert threading_policy.inter_op_threads(one_at_a_time) == 1
    wide_ops = tf.ConfigProto(intra_op_parallelism_threads=64)
    assert threading_policy.blas_threads(wide_ops) == cores
    assert threading_policy.inter_op_threads(wide_ops) == (1 if cores > 1 else cores)


def test_session_run_uses_one_blas_thread_and_restores_the_users_setting(fresh_graph):
    blas_threads = blas_thread_counts
    seen = []

    def recording(kernel):
        def call(*args):
            seen.append(blas_threads())
            return kernel(*args)
        return call

    x = tf.placeholder(tf.float32, [2, 2])
    y = tf.matmul(x, x)
    with threadpoolctl.threadpool_limits(2, user_api="blas"):
        before = blas_threads()
        with tf.Session() as sess:
            sess.run(y, {x: np.ones((2, 2), np.float32)})
            (plan,) = sess._plans.values()
            kernel, *rest = plan.steps[0]
            plan.steps[0] = (recording(kernel), *rest)
            sess.run(y, {x: np.ones((2, 2), np.float32)})
        after = blas_threads()
    assert before == after == [2] * len(before)
    assert seen == [[1] * len(before)]


def test_a_fork_whose_worker_has_not_started_runs_its_branch_on_the_calling_thread():
    """Under load the worker may not get a core in time: the caller then runs the branch itself, not waiting."""
    import threading
    pool = parallel.new_pool()
    release = threading.Event()
    pool.submit(release.wait, 30)  # the pool's only worker is busy
    threads = []

    def step(slot_in, slot_out):
        def kernel(value):
            threads.append(threading.current_thread().name)
            return value + 1
        return kernel, (slot_in,), slot_out, (), None
    fork = parallel._Fork([step(0, 1)], [step(0, 2)], (0,), (1, 2), pool, None)
    try:
        assert fork(10) == (11, 11)
    finally:
        release.set()
        pool.shutdown()
    assert threads == [threading.current_thread().name] * 2
