"""Records tf.nn.embedding_lookup_sparse under TensorFlow 2.21 (tf.compat.v1 graph mode): for each combiner, with
and without weights, over one table and a two-part "mod" table, and the sparse segment reductions called directly
(dense gradient): the graph's nodes (name, type, inputs), the result and the gradient of sum(result**2) wrt params.
The same programs run under minitf in tests/test_embedding_lookup_sparse.py (``build(tf, case)``).

Run:  ~/tfref/bin/python tests/golden/make_embedding_lookup_sparse.py   (writes embedding_lookup_sparse.json)
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = [f"{combiner}_{weights}_{parts}" for combiner in ("sum", "mean", "sqrtn") for weights in ("plain", "weighted")
         for parts in ("one", "two")] + ["segment_sum_dense", "segment_mean_dense", "segment_sqrt_n_dense"]

IDS = [1, 4, 1, 5, 0, 3]


def build(tf, case):
    """The program of ``case``: returns (result, [gradient per params tensor])."""
    table = np.arange(18, dtype=np.float32).reshape(6, 3) / 4 - 1
    if case.startswith("segment_"):
        data = tf.constant(table, name="data")
        op = {"segment_sum_dense": tf.sparse.segment_sum, "segment_mean_dense": tf.sparse.segment_mean,
              "segment_sqrt_n_dense": tf.sparse.segment_sqrt_n}[case]
        result = op(data, tf.constant([0, 3, 3, 5]), tf.constant([0, 0, 2, 2]))
        return result, tf.gradients(tf.reduce_sum(result * result), [data])
    combiner, weights, parts = case.split("_")
    if parts == "one":
        params = [tf.Variable(table, name="params")]
    else:
        params = [tf.Variable(table[0::2], name="part0"), tf.Variable(table[1::2], name="part1")]
    indices = [[0, 0], [0, 1], [0, 2], [2, 0], [3, 0], [3, 1]]
    # fed ids: a Const would let TensorFlow's C++ shape refiner evaluate Unique statically
    sp_ids = tf.SparseTensor(indices, tf.placeholder(tf.int64, [6], name="ids"), [4, 3])
    sp_weights = tf.SparseTensor(indices, [2.0, 0.5, 1.0, -1.5, 3.0, 0.25], [4, 3]) if weights == "weighted" else None
    result = tf.nn.embedding_lookup_sparse(params if parts == "two" else params[0], sp_ids, sp_weights,
                                           combiner=combiner)
    return result, tf.gradients(tf.reduce_sum(result * result), params)


def run(tf, case):
    """{"nodes", "result", "grads"}: each gradient as {"values", "indices", "dense_shape"} or {"dense"}."""
    tf.reset_default_graph()
    result, grads = build(tf, case)
    nodes = [[op.name, op.type, [t.name for t in op.inputs]] for op in tf.get_default_graph().get_operations()]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        feed = {"ids:0": IDS} if not case.startswith("segment_") else {}
        value, grad_values = sess.run([result, grads], feed)
    out = []
    for g in grad_values:
        if hasattr(g, "indices"):
            out.append({"values": g.values.tolist(), "indices": g.indices.tolist(),
                        "dense_shape": g.dense_shape.tolist()})
        else:
            out.append({"dense": g.tolist()})
    return {"nodes": nodes, "result": value.tolist(), "grads": out}


if __name__ == "__main__":
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    golden = {case: run(tf, case) for case in CASES}
    with open(os.path.join(HERE, "embedding_lookup_sparse.json"), "w") as f:
        json.dump(golden, f)
    print({case: golden[case]["result"][0] for case in golden})
