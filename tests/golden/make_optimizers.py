"""Records TensorFlow 2.21's optimizers for tests/test_optimizers.py.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_optimizers.py
For each optimizer: the names of the variables it creates (slots, beta powers), the update op's type, and the
values of every variable after each of five steps, as raw float32 bits. The session turns off grappler's
reassociating passes (see docs/exactness.md), so minitf must match bit for bit.
"""
import json
import os

import numpy as np
import tensorflow.compat.v1 as tf

from tf_sessions import kernels_only_config

tf.disable_v2_behavior()

OPTIMIZERS = {
    "sgd": "tf.train.GradientDescentOptimizer(0.1)",
    "momentum": "tf.train.MomentumOptimizer(0.05, 0.9)",
    "nesterov": "tf.train.MomentumOptimizer(0.05, 0.9, use_nesterov=True)",
    "adam": "tf.train.AdamOptimizer(0.01)",
    "adagrad": "tf.train.AdagradOptimizer(0.1)",
    "rmsprop": "tf.train.RMSPropOptimizer(0.01)",
    "rmsprop_centered": "tf.train.RMSPropOptimizer(0.01, momentum=0.5, centered=True)",
    "adadelta": "tf.train.AdadeltaOptimizer(1.0)",
}


def model():
    """A model whose loss needs several kinds of gradient: broadcasts, inner and outer reductions.

    (No matmul: BLAS and oneDNN order their dot products differently; see docs/exactness.md.)"""
    x = tf.constant(np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3))
    target = tf.constant(np.array([[1.0], [0.0], [-1.0], [0.5]], np.float32))
    w = tf.Variable(np.array([0.1, -0.2, 0.3], np.float32), name="w")
    b = tf.Variable(np.array([0.05], np.float32), name="b")
    loss = tf.reduce_mean(tf.square(tf.reduce_sum(x * w, axis=1, keepdims=True) + b - target))
    return loss


def record(expression):
    tf.reset_default_graph()
    loss = model()
    step = tf.train.get_or_create_global_step()
    train = eval(expression).minimize(loss, global_step=step)
    variables = [v for v in tf.global_variables()]
    out = {"variables": [v.op.name for v in variables], "train_op": [train.type, train.name],
           "update_ops": sorted(op.type for op in tf.get_default_graph().get_operations()
                                if op.type.startswith("Apply") or op.type.startswith("ResourceApply")),
           "steps": []}
    with tf.Session(config=kernels_only_config()) as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(5):
            sess.run(train)
            out["steps"].append({v.op.name: np.asarray(sess.run(v)).tobytes().hex() for v in variables})
    return out


golden = {name: record(expression) for name, expression in OPTIMIZERS.items()}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "optimizers.json"), "w") as f:
    json.dump({"optimizers": OPTIMIZERS, "golden": golden}, f, indent=1)
print("wrote optimizers.json")
