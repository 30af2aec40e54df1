"""A small conv net (conv, bias, relu, max pool, LRN, dense, sparse cross-entropy, L2, Momentum) trained 10 steps
from the same seeds follows TensorFlow's loss curve (tests/golden/make_convnet.py)."""

import numpy as np

import minitf as tf
from convnet_case import train_losses
from helpers import golden

GOLDEN = golden("golden/convnet.json")


def test_convnet_follows_tensorflows_loss_curve():
    # Same seeded initial weights (bit-exact), then float32 rounding differences from matmul/convolution order.
    np.testing.assert_allclose(train_losses(tf), GOLDEN["losses"], rtol=2e-6)
