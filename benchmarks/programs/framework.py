"""The ``tf`` the tutorial programs use: TensorFlow's tf.compat.v1 when BENCH_FRAMEWORK=tensorflow, else minitf.

Also the programs' data: generated here, so that no program downloads anything. ``mnist_like`` stands in for MNIST
(784 pixels in [0, 1], 10 classes): each class is a noisy copy of its own random template, so models learn.
"""
import os

import numpy as np

if os.environ.get("BENCH_FRAMEWORK") == "tensorflow":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
else:
    import minitf as tf


def mnist_like(n, seed=0):
    """(images float32 [n, 784] in [0, 1], one-hot labels float32 [n, 10])."""
    rng = np.random.RandomState(seed)
    templates = np.random.RandomState(1234).uniform(0, 1, (10, 784))
    labels = rng.randint(0, 10, n)
    images = np.clip(templates[labels] + rng.normal(0, 0.3, (n, 784)), 0, 1).astype(np.float32)
    return images, np.eye(10, dtype=np.float32)[labels]


def batches(images, labels, size):
    """Endless mini-batches in order, as ``mnist.train.next_batch`` without shuffling."""
    while True:
        for start in range(0, len(images) - size + 1, size):
            yield images[start:start + size], labels[start:start + size]
