"""Intra-op parallelism of the block-wise kernels (issue 17): convolutions, their gradients, pooling, LRN, Relu,
ReluGrad and BiasAdd share their blocks among threads and give the same bits as on one thread; ``for_each`` runs
every block once, reports the first failing block's error and never waits for a helper that is busy elsewhere."""

import threading

import numpy as np
import pytest

import minitf as tf
from minitf.client import threading_policy
from minitf.ops import conv_ops, kernel_threads, pooling_ops


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of a few kilobytes, so that small tensors make many blocks (the same blocks for every thread count)."""
    monkeypatch.setattr(conv_ops, "_COLUMN_BLOCK_BYTES", 1 << 12)
    monkeypatch.setattr(conv_ops, "_PARTIAL_BYTES", 1 << 12)
    monkeypatch.setattr(conv_ops, "_LRN_BLOCK_BYTES", 1 << 10)
    monkeypatch.setattr(pooling_ops, "_POOL_BLOCK_BYTES", 1 << 11)
    monkeypatch.setattr(kernel_threads, "ELEMENTWISE_BYTES", 1 << 12)  # Relu, ReluGrad, BiasAdd by rows
    monkeypatch.setattr(kernel_threads, "_ROW_BLOCK_BYTES", 1 << 10)


@pytest.fixture
def three_threads():
    """Kernels may use three threads."""
    kernel_threads.set_threads(3)
    yield
    kernel_threads.set_threads(1)


def convnet_step(batch=6):
    """The CIFAR-10 tutorial's layers in small: conv, max pool, LRN, conv with stride, LRN, pool, dense; the loss's
    gradients with respect to the input, the filters and the biases."""
    rng = np.random.RandomState(0)
    x = tf.placeholder(tf.float32, [batch, 14, 14, 3])
    w1 = tf.constant(rng.standard_normal((5, 5, 3, 16)).astype(np.float32) * 0.2)
    w2 = tf.constant(rng.standard_normal((3, 3, 16, 16)).astype(np.float32) * 0.2)
    b1 = tf.constant(rng.standard_normal(16).astype(np.float32))
    h = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, w1, [1, 1, 1, 1], "SAME"), b1))
    h = tf.nn.lrn(tf.nn.max_pool(h, [1, 3, 3, 1], [1, 2, 2, 1], "SAME"), 4, bias=1.0, alpha=0.001 / 9.0, beta=0.75)
    h = tf.nn.lrn(tf.nn.relu(tf.nn.conv2d(h, w2, [1, 2, 1, 1], "VALID")), 2, bias=2.0, alpha=0.1, beta=0.5)
    h = tf.nn.max_pool(h, [1, 2, 2, 1], [1, 1, 2, 1], "SAME")
    loss = tf.reduce_sum(tf.square(h))
    fetches = [h, loss] + tf.gradients(loss, [x, w1, w2, b1])
    return fetches, {x: rng.uniform(-1, 1, (batch, 14, 14, 3)).astype(np.float32)}


def test_kernels_give_the_same_bits_on_several_threads_as_on_one(fresh_graph, small_blocks, monkeypatch):
    monkeypatch.setattr(threading_policy, "_cores", lambda: 3)
    fetches, feed = convnet_step()
    results = []
    for config in (None, tf.ConfigProto(intra_op_parallelism_threads=1)):
        with tf.Session(config=config) as sess:
            assert sess._blas_threads._kernel_threads == (3 if config is None else 1)
            results.append([sess.run(fetches, feed) for _ in range(3)])
    many, one = results
    assert [[v.tobytes() for v in run] for run in many] == [[v.tobytes() for v in run] for run in one]
    assert kernel_threads.threads() == 1  # outside Session.run kernels keep to the calling thread


def test_for_each_runs_every_item_once(three_threads):
    seen = []
    lock = threading.Lock()

    def record(item):
        with lock:
            seen.append((item, threading.current_thread().name))
    kernel_threads.for_each(record, range(200))
    assert sorted(item for item, _ in seen) == list(range(200))


def test_for_each_raises_the_first_failing_items_error(three_threads):

    def fail(item):
        if item in (5, 7):
            raise ValueError(f"block {item}")
    with pytest.raises(ValueError, match="block 5"):
        kernel_threads.for_each(fail, range(8))


def test_for_each_does_not_wait_for_busy_helpers(three_threads):
    """While both helpers are held by another kernel, the calling thread runs all the blocks of its own."""
    release, holding = threading.Event(), threading.Semaphore(0)

    def hold(item):
        holding.release()
        release.wait(30)
    holder = threading.Thread(target=kernel_threads.for_each, args=(hold, range(3)))
    holder.start()
    for _ in range(3):  # the holder's thread and both helpers are inside ``hold``
        assert holding.acquire(timeout=30)
    names = []
    kernel_threads.for_each(lambda item: names.append(threading.current_thread().name), range(10))
    release.set()
    holder.join(30)
    assert names == [threading.current_thread().name] * 10


def test_for_each_shares_blocks_with_helpers_whatever_the_load(three_threads):
    met = threading.Barrier(3, timeout=30)  # passes only when three threads run blocks at once
    kernel_threads.for_each(lambda item: met.wait(), range(3))


def test_config_kernel_threads_follow_tensorflows_intra_op_meaning():
    cores = threading_policy._cores()
    assert threading_policy.kernel_threads(None) == cores
    assert threading_policy.kernel_threads(tf.ConfigProto(inter_op_parallelism_threads=1)) == cores
    assert threading_policy.kernel_threads(tf.ConfigProto(intra_op_parallelism_threads=1)) == 1
    assert threading_policy.kernel_threads(tf.ConfigProto(intra_op_parallelism_threads=64)) == 1
