"""Records tf.while_loop with TensorArray loop variables under TensorFlow 2.21 (TF1 control flow): the loop carries
each array's flow and the cond, body and result see TensorArrays. The nodes (name, type, inputs), the stacked
result and its gradient wrt the input; tests/test_while_loop_tensor_array.py builds the same ``build(tf)``.

Run:  ~/tfref/bin/python tests/golden/make_while_loop_tensor_array.py   (writes while_loop_tensor_array.json)
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def build(tf):
    """Running sums of x's rows written into one TensorArray, squares into another (a nested structure)."""
    tf.reset_default_graph()
    x = tf.constant(np.arange(8, dtype=np.float32).reshape(4, 2) - 3, name="x")
    elems = tf.TensorArray(tf.float32, size=4, name="elems").unstack(x)
    sums = tf.TensorArray(tf.float32, size=4, name="sums")
    squares = tf.TensorArray(tf.float32, size=0, dynamic_size=True, name="squares")

    def body(i, total, arrays):
        total = total + elems.read(i)
        return i + 1, total, {"sums": arrays["sums"].write(i, total), "squares": arrays["squares"].write(i, total * total)}

    _, _, arrays = tf.while_loop(lambda i, total, arrays: i < arrays["sums"].size(), body,
                                 [0, tf.zeros([2]), {"sums": sums, "squares": squares}])
    result = arrays["sums"].stack() + arrays["squares"].stack()
    return type(arrays["sums"]).__name__, result, tf.gradients(result, x)[0]


def run(tf):
    kind, result, grad = build(tf)
    nodes = [[op.name, op.type, [t.name for t in op.inputs]] for op in tf.get_default_graph().get_operations()]
    with tf.Session() as sess:
        value, grad_value = sess.run([result, grad])
    return {"kind": kind, "nodes": nodes, "result": value.tolist(), "grad": grad_value.tolist()}


if __name__ == "__main__":
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    golden = run(tf)
    with open(os.path.join(HERE, "while_loop_tensor_array.json"), "w") as f:
        json.dump(golden, f)
    print(golden["kind"], golden["result"], golden["grad"], len(golden["nodes"]))
