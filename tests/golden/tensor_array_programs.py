"""The TensorArray programs of tests/golden/make_tensor_array.py (TensorFlow) and tests/test_tensor_array.py
(minitf); each takes the library as ``tf`` (see program_runs.py). Loops come in functional_programs.py."""
import numpy as np


def _data(shape, seed):
    return np.random.default_rng(seed).uniform(-1.0, 1.0, size=shape).astype(np.float32)


def _shapes(tf, tensors):
    """The static shapes of ``tensors`` as a string constant (None for an unknown rank)."""
    return tf.constant(str([None if t.shape.ndims is None else t.shape.as_list() for t in tensors]))


def write_read_stack(tf):
    """Writes chained by their flows; read, stack, gather, concat, size, close; two runs make two arrays."""
    x = tf.constant(_data([3, 2], 1), name="x")
    x0, x1, x2 = tf.unstack(x)
    ta = tf.TensorArray(tf.float32, size=3)
    w = ta.write(0, x0).write(1, x1 * 2.0).write(2, x2, name="last")
    out = {"stack": w.stack(), "again": w.stack(name="packed"), "read": w.read(1), "gather": w.gather([2, 0]),
           "concat": w.concat(), "size": w.size(), "handle_shape": tf.constant(ta.handle.shape.as_list()),
           "flow": w.flow, "close": w.close()}
    out["static_shapes"] = _shapes(tf, [out[k] for k in ("stack", "read", "gather", "concat")])
    out["grads"] = tf.gradients(out["stack"] * tf.constant(_data([3, 2], 2)) + 3.0 * out["read"], x)
    return out


def clear_after_read(tf):
    """clear_after_read (the default) allows one read per element; False allows many."""
    x = tf.constant(_data([2, 3], 3), name="x")
    once = tf.TensorArray(tf.float32, size=2, name="once").unstack(x)
    many = tf.TensorArray(tf.float32, size=2, clear_after_read=False, name="many").unstack(x)
    return {"once": once.read(0), "once_twice": tf.stack([once.read(0), once.read(0)]),
            "once_then_stack": [once.read(1), once.stack()],
            "many": tf.stack([many.read(0), many.read(0), many.read(1)]), "many_stack": many.stack()}


def unstack_scatter_split(tf):
    """unstack, scatter (unwritten elements), split (ragged) and concat; element_shape and infer_shape."""
    x = tf.constant(_data([4, 3], 4), name="x")
    u = tf.TensorArray(tf.float32, size=4).unstack(x)
    x3 = tf.constant(_data([3, 3], 8), name="x3")
    s = tf.TensorArray(tf.float32, size=5, element_shape=[3]).scatter([4, 1, 0], x3)
    p = tf.TensorArray(tf.float32, size=3, infer_shape=False).split(tf.reshape(x, [12]), [5, 0, 7])
    q = tf.TensorArray(tf.float32, size=2, infer_shape=False).split(x, tf.constant([1, 3], tf.int64))
    out = {"unstacked": u.stack(), "scattered": s.gather([0, 1, 4]), "unwritten": s.read(2),
           "scatter_stack": s.stack(), "split_concat": p.concat(), "split_read": p.read(2), "split_empty": p.read(1),
           "split_2d": q.concat(), "split_2d_read": q.read(1),
           "static_shapes": _shapes(tf, [u.stack(), s.gather([0]), s.read(0), p.concat(), q.concat()])}
    loss = tf.reduce_sum(out["unstacked"] * _data([4, 3], 5)) + tf.reduce_sum(tf.square(out["scattered"])) + \
        tf.reduce_sum(tf.reshape(out["split_concat"], [12]) * np.arange(12, dtype=np.float32)) + \
        tf.reduce_sum(tf.reshape(q.read(0), [3]) * 7.0)
    out["grads"] = tf.gradients(loss, [x, x3])
    return out


def dynamic_size(tf):
    """dynamic_size grows on writes past the size; size is then TensorArraySizeV3."""
    ta = tf.TensorArray(tf.int32, size=0, dynamic_size=True)
    w = ta.write(0, [1, 2]).write(3, [7, 8])
    grown = tf.TensorArray(tf.float32, size=1, dynamic_size=True, element_shape=[2]).scatter([0, 2], [[1., 2.],
                                                                                                      [3., 4.]])
    return {"size": w.size(), "read": w.read(3), "gather": w.gather([3, 0]), "unwritten": w.read(1),
            "grown_size": grown.size(), "grown": grown.stack(), "empty_size": ta.size()}


def sizes_from_tensors(tf):
    """A size fed at run time; stack of an empty array; reads with a fed index."""
    n = tf.placeholder(tf.int32, [], name="n")
    i = tf.placeholder(tf.int32, [], name="i")
    ta = tf.TensorArray(tf.float32, size=n, clear_after_read=False)
    w = ta.scatter(tf.range(n), tf.cast(tf.tile(tf.reshape(tf.range(n), [-1, 1]), [1, 2]), tf.float32))
    empty = tf.TensorArray(tf.float32, size=0)
    return {"stack": w.stack(), "read": w.read(i), "size": w.size(), "empty_stack": empty.stack(),
            "empty_concat": empty.concat(),
            "static_shape": _shapes(tf, [w.stack(), empty.stack()])}, {n: 3, i: 2}


def run_time_errors(tf):
    """Reading an unwritten element of unknown shape, writing twice, past the size, a wrong dtype fed, index out of
    range, element shapes that differ at run time, split lengths that do not add up, a closed array."""
    p = tf.placeholder(tf.float32, None, name="p")

    def new(**kwargs):
        return tf.TensorArray(tf.float32, **dict({"size": 2}, **kwargs))
    closed = new()
    out = {"unwritten": new().write(0, 1.0).read(1),
           "twice": new().write(0, 1.0).write(0, 2.0).stack(),
           "past_size": new().write(2, 1.0).flow,
           "negative": new().write(-1, 1.0).flow,
           "read_past_size": new().write(0, 1.0).read(5),
           "gather_past_size": new().unstack([1.0, 2.0]).gather([0, 2]),
           "scatter_past_size": new().scatter([0, 3], [1.0, 2.0]).flow,
           "unstack_too_many": new().unstack([1.0, 2.0, 3.0]).flow,
           "shapes_differ": new().write(0, p).write(1, tf.zeros([3])).stack(),
           "concat_shapes_differ": new(infer_shape=False).write(0, tf.zeros([2, 3])).write(1, tf.zeros([1, 2]))
           .concat(),
           "split_lengths": new().split([1.0, 2.0, 3.0], [1, 1]).flow,
           "split_count": new().split([1.0, 2.0, 3.0], [1, 1, 1]).flow,
           "stack_unwritten": new().write(1, 1.0).stack(),
           "element_shape": new(size=1, element_shape=[3]).write(0, p).flow,
           "split_shapes_differ": new().split(tf.zeros([4, 3]), [1, 3]).flow,
           "wrong_dtype": new().write(0, tf.constant(1, tf.int32)).flow,
           "unwritten_unknown_shape": new(infer_shape=False).write(0, 1.0).read(1),
           "unwritten_gather": new(infer_shape=False).write(0, 1.0).gather([0, 1])}
    with tf.control_dependencies([closed.close()]):
        out["closed"] = closed.write(0, 1.0).flow
    return out, {p: np.zeros([2], np.float32)}


def gradients(tf):
    """Gradients through read, write, gather, scatter, concat, split, unstack and stack, with two tf.gradients
    calls on one array (each gets its own gradient array), and elements never read (zeros)."""
    x = tf.constant(_data([3, 2], 6), name="x")
    v = tf.constant(_data([2], 7), name="v")
    ta = tf.TensorArray(tf.float32, size=4, clear_after_read=False, element_shape=[2])
    w = ta.unstack(x * 2.0).write(3, v * v)
    y = w.read(0) * w.read(3) + tf.add_n(tf.unstack(w.gather([1, 2])))
    out = {"y": y, "grads": tf.gradients(y, [x, v]), "grads_again": tf.gradients(tf.reduce_sum(y * y), [x, v]),
           "partial": tf.gradients(w.read(2), [x, v])}
    return out


def in_cond(tf):
    """A TensorArray written and stacked inside one branch of a cond, and its gradient through the cond."""
    p = tf.placeholder(tf.bool, [], name="p")
    x = tf.constant([1.0, 2.0], name="x")
    ta = tf.TensorArray(tf.float32, size=2)
    r = tf.cond(p, lambda: ta.unstack(x * 3.0).stack(), lambda: tf.zeros([2]))
    out = {"taken": r, "grad": tf.gradients(r, x)}
    return out, {p: True}


def in_cond_not_taken(tf):
    p = tf.placeholder(tf.bool, [], name="p")
    x = tf.constant([1.0, 2.0], name="x")
    r = tf.cond(p, lambda: tf.TensorArray(tf.float32, size=2).unstack(x).stack(), lambda: x * 2.0)
    return {"other": r, "grad": tf.gradients(r, x)}, {p: False}


PROGRAMS = {f.__name__: f for f in (in_cond, in_cond_not_taken, write_read_stack, clear_after_read, unstack_scatter_split, dynamic_size,
                                    sizes_from_tensors, run_time_errors, gradients)}
ERRORS = {
    "inconsistent_shapes": lambda tf: tf.TensorArray(tf.float32, size=2).write(0, [1.0, 2.0]).write(1, [1.0]),
    "element_shape": lambda tf: tf.TensorArray(tf.float32, size=2, element_shape=[3]).unstack(tf.zeros([2, 2])),
    "no_size": lambda tf: tf.TensorArray(tf.float32),
    "handle_and_size": lambda tf: tf.TensorArray(tf.float32, size=2, handle=tf.constant(["a", "b"]),
                                                 flow=tf.constant(0.0)),
    "handle_without_flow": lambda tf: tf.TensorArray(tf.float32, handle=tf.constant(["a", "b"])),
    "write_wrong_dtype": lambda tf: tf.TensorArray(tf.float32, size=2).write(0, tf.constant(1, tf.int32)),
    "split_wrong_dtype": lambda tf: tf.TensorArray(tf.float32, size=2).split(tf.constant([1, 2]), [1, 1]),
    "read_float_index": lambda tf: tf.TensorArray(tf.float32, size=2).read(1.0),
    "split_2d_inconsistent": lambda tf: tf.TensorArray(tf.float32, size=2).split(tf.zeros([4, 3]), [2, 2])
    .write(0, tf.zeros([3, 3])),
}
