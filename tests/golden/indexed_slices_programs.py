"""Programs of tests/golden/make_indexed_slices.py (TensorFlow) and tests/test_indexed_slices.py (minitf): sparse
gradients of gathers and embedding lookups, their aggregation, and the optimizers' sparse updates. Each takes the
library as ``tf`` and returns {name: fetch} (IndexedSlices fetch as IndexedSlicesValue) plus the number of
training steps to run its "train" fetch first (0: none).
"""
import numpy as np


def _table(tf, rows=6, cols=3):
    return tf.Variable(np.arange(rows * cols, dtype=np.float32).reshape(rows, cols) / 10.0 - 0.5, name="table")


def _loss(tf, table):
    rows = tf.nn.embedding_lookup(table, [[1, 4], [1, 0]])
    return tf.reduce_sum(tf.square(rows)) + tf.reduce_sum(tf.gather(table, [4, 2]) * 0.5)


def gather_gradients(tf):
    """The IndexedSlices of a gather and of an embedding lookup, concatenated, and made dense."""
    table = _table(tf)
    grad = tf.gradients(_loss(tf, table), table)[0]
    return {"grad": grad, "values": grad.values, "indices": grad.indices, "dense_shape": grad.dense_shape,
            "dense": tf.convert_to_tensor(grad), "unique": tf.unique([5, 3, 5, 1, 3])}, 0


def mixed_gradients(tf):
    """A gather's IndexedSlices and a dense gradient of the same variable: summed densely (AddN)."""
    table = _table(tf)
    loss = _loss(tf, table) + tf.reduce_sum(table * table)
    return {"grad": tf.gradients(loss, table)[0]}, 0


def _optimizer_program(make):
    def program(tf):
        table = _table(tf)
        other = tf.Variable([1.0, -2.0], name="other")
        loss = _loss(tf, table) + tf.reduce_sum(other * other)
        train = make(tf).minimize(loss)
        return {"train": train, "table": table, "other": other,
                "slots": [v for v in tf.global_variables() if v.op.name not in ("table", "other")]}, 3
    return program


OPTIMIZERS = {
    "gradient_descent": lambda tf: tf.train.GradientDescentOptimizer(0.1),
    "momentum": lambda tf: tf.train.MomentumOptimizer(0.1, 0.9),
    "nesterov": lambda tf: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
    "adagrad": lambda tf: tf.train.AdagradOptimizer(0.2),
    "adam": lambda tf: tf.train.AdamOptimizer(0.05),
    "rmsprop": lambda tf: tf.train.RMSPropOptimizer(0.05, momentum=0.5),
    "centered_rmsprop": lambda tf: tf.train.RMSPropOptimizer(0.05, centered=True),
    "adadelta": lambda tf: tf.train.AdadeltaOptimizer(1.0),
}

def clipping(tf):
    """clip_by_global_norm and clip_by_norm of a sparse and a dense gradient: IndexedSlices stay IndexedSlices.
    (minitf's clipping ops are not named as TensorFlow's: values only.)"""
    table = _table(tf)
    other = tf.Variable([1.0, -2.0], name="other")
    grads = tf.gradients(_loss(tf, table) + tf.reduce_sum(other * other), [table, other])
    clipped, norm = tf.clip_by_global_norm(grads, 1.5)
    return {"clipped": clipped, "norm": norm, "by_norm": tf.clip_by_norm(grads[0], 0.5)}, 0


def _parts(tf, sizes=(3, 3, 2)):
    return [tf.Variable(np.arange(10 * i, 10 * i + 2 * k, dtype=np.float32).reshape(k, 2) / 10.0, name=f"part{i}")
            for i, k in enumerate(sizes)]


def partitioned_lookup(tf):
    """embedding_lookup over a table in three parts, "mod" and "div" strategies, with gradients per part."""
    out = {}
    for strategy in ("mod", "div"):
        parts = _parts(tf)
        ids = tf.Variable([[0, 7], [5, 2], [7, 7]], name="ids")  # not constant: TensorFlow would fold a lookup
        rows = tf.nn.embedding_lookup(parts, ids, partition_strategy=strategy)
        grads = tf.gradients(tf.reduce_sum(rows * rows), parts)
        out[strategy] = rows
        out[f"{strategy}_grads"] = grads
    out["partition"] = tf.dynamic_partition([10, 20, 30, 40], [1, 0, 1, 1], 2)
    return out, 0


def max_norm_lookup(tf):
    """max_norm clips each looked-up embedding (values only: minitf's clip_by_norm is not named as TensorFlow's)."""
    parts = _parts(tf)
    rows = tf.nn.embedding_lookup(parts, [[0, 7], [5, 2]], max_norm=1.0)
    single = tf.nn.embedding_lookup(parts[0], [2, 1], max_norm=0.5)
    return {"rows": rows, "single": single,
            "grads": tf.gradients(tf.reduce_sum(rows * rows) + tf.reduce_sum(single), parts)}, 0


PROGRAMS = {"gather_gradients": gather_gradients, "partitioned_lookup": partitioned_lookup,
            "max_norm_lookup": max_norm_lookup, "mixed_gradients": mixed_gradients, "clipping": clipping,
            **{f"optimizer_{k}": _optimizer_program(v) for k, v in OPTIMIZERS.items()}}


def run(tf, build):
    """(nodes, {name: value}) of a program: its graph's nodes and its fetches after the training steps."""
    with tf.Graph().as_default() as graph:
        fetches, steps = build(tf)
        nodes = [[op.name, op.type] for op in graph.get_operations()]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(steps):
                sess.run(fetches["train"])
            values = sess.run({k: v for k, v in fetches.items() if k != "train"})
    return nodes, values
