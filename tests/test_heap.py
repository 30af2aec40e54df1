"""The Session keeps freed heap memory for the next run (minitf/client/heap.py): a run that allocates and frees
the same medium-sized arrays as the previous one does not fault fresh pages in."""

import resource
import sys

import numpy as np
import pytest

import minitf as tf


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="mallopt is glibc's")
def test_repeated_runs_reuse_heap_pages():
    x = tf.placeholder(tf.float32, [160, 512])
    y = tf.add_n([tf.tanh(x + float(i)) for i in range(30)])  # 60 results of 320 KB, freed at the end
    with tf.Session() as sess:
        feed = {x: np.ones((160, 512), np.float32)}
        for _ in range(3):
            sess.run(y, feed)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        for _ in range(5):
            sess.run(y, feed)
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
    assert faults < 100  # with glibc's default policy: about 5,800


def test_keep_freed_memory_is_set_once():
    from minitf.client import heap
    heap.keep_freed_memory()
    assert heap._done
    assert heap.TRIM_THRESHOLD == 2 * heap.MMAP_THRESHOLD
