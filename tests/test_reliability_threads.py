"""Session.run from many threads, against TensorFlow (tests/golden/make_reliability.py): variable updates lose
nothing, with or without use_locking, and random ops hand each run its own part of the stream."""

import json
import os
import threading

import numpy as np

import minitf as tf
from golden import reliability_programs as programs

GOLDEN = json.load(open(os.path.join(os.path.dirname(__file__), "golden", "reliability.json")))


def test_eight_threads_lose_no_update():
    """8 threads x 100 runs of each of 5 update ops on one Session, plans built concurrently: 0 lost updates."""
    values, errors = programs.concurrent_updates(tf, threads=8, runs=100)
    expected, tf_errors = GOLDEN["concurrent_updates"]
    assert errors == tf_errors == []
    assert values == expected
    assert values["add_locked"] == [800.0] * 4 and values["sub_locked"] == [-800.0] * 4


def test_random_op_runs_from_threads_take_distinct_draws():
    """Each run of a seeded random op reserves its own counter range, so 8 threads x 25 runs draw exactly the
    values 200 runs in one thread draw, in some order."""
    def draws(threads, runs):
        with tf.Graph().as_default():
            tf.set_random_seed(3)
            sample = tf.random_uniform([8], seed=5)
            with tf.Session() as sess:
                got, lock = [], threading.Lock()

                def worker():
                    for _ in range(runs):
                        value = sess.run(sample)
                        with lock:
                            got.append(tuple(value))
                pool = [threading.Thread(target=worker) for _ in range(threads)]
                for thread in pool:
                    thread.start()
                for thread in pool:
                    thread.join()
        return sorted(got)

    assert draws(8, 25) == draws(1, 200)
    assert len(set(draws(8, 25))) == 200


def test_apply_ops_from_threads_keep_variable_and_slot_consistent():
    """Momentum updates a variable and its accumulator under both locks: with lr=1, momentum=0 and gradient 1 the
    variable falls by exactly one per run, 8 threads x 50 runs: -400."""
    with tf.Graph().as_default():
        var = tf.Variable(np.zeros([1000], np.float32))
        train = tf.train.MomentumOptimizer(1.0, 0.0).apply_gradients([(tf.ones([1000]), var)])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            pool = [threading.Thread(target=lambda: [sess.run(train) for _ in range(50)]) for _ in range(8)]
            for thread in pool:
                thread.start()
            for thread in pool:
                thread.join()
            assert np.all(sess.run(var) == -400.0)
