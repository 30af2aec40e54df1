"""Runs small graph programs under a library given as ``tf`` (TensorFlow or minitf) and records what happens.

A case is a function ``build(tf)`` returning ``fetches`` (a dict of Tensors / SparseTensors) or
``(fetches, feed_dict)``. ``record(tf, build)`` returns a JSON-able dict: the graph's nodes ``[name, op type]``,
each fetch's static dtype and shape, its run value (dtype, shape, value; bytes as hex; a SparseTensor as its three
parts) or the error it raised, at construction (``build``) or at run time (``run``: class and TensorFlow's message
without the node annotation). tests/golden/make_*.py record TensorFlow; the tests compare minitf with ``compare``.
"""

import numpy as np


def _static(t):
    if hasattr(t, "dense_shape"):
        return {"sparse": [_static(t.indices), _static(t.values), _static(t.dense_shape)]}
    shape = t.shape
    return [t.dtype.name, None if shape.ndims is None else [d if d is None else int(d) for d in shape.as_list()]]


def _value(v):
    if hasattr(v, "dense_shape"):
        return {"sparse": [_value(v.indices), _value(v.values), _value(v.dense_shape)]}
    if isinstance(v, bytes):
        v = np.array(v, dtype=object)
    v = np.asarray(v)
    if v.dtype == object:
        return ["object", list(v.shape), [bytes(x).hex() for x in v.reshape(-1)]]
    return [v.dtype.name, list(v.shape), v.reshape(-1).tolist()]


def error_text(e):
    """The error's message as its op's kernel wrote it: without TensorFlow's 'Graph execution error' preamble
    and without the ``[[node ...]]`` annotation both libraries append."""
    message = getattr(e, "message", None) or str(e)
    if "\nNode: '" in message:
        message = message.split("\nNode: '", 1)[1].split("\n", 1)[1]
    return message.split("\n\t [[")[0]


def record(tf, build):
    result = {}
    with tf.Graph().as_default() as graph:
        try:
            built = build(tf)
        except Exception as e:  # noqa: BLE001 -- recording whatever the library raises
            return {"error": ["build", type(e).__name__, error_text(e)]}
        fetches, feed = built if isinstance(built, tuple) else (built, None)
        result["nodes"] = [[op.name, op.type] for op in graph.get_operations()]
        result["static"] = {k: _static(t) for k, t in fetches.items()}
        with tf.Session() as sess:
            try:
                values = sess.run(fetches, feed)
            except Exception as e:  # noqa: BLE001
                result["error"] = ["run", type(e).__name__, error_text(e)]
                return result
        result["values"] = {k: _value(v) for k, v in values.items()}
    return result


def compare(got, expected, rtol=1e-6, atol=1e-6, nodes=True):
    """Asserts that minitf's record ``got`` matches TensorFlow's ``expected``: floats to ``rtol``/``atol``, integers
    exactly (or to ``atol`` when it is 1 or more), strings and booleans exactly."""
    if nodes:
        assert got.get("nodes") == expected.get("nodes")
    assert got.get("static") == expected.get("static")
    assert got.get("error") == expected.get("error")
    assert set(got.get("values", {})) == set(expected.get("values", {}))
    for key, value in expected.get("values", {}).items():
        _compare_value(got["values"][key], value, rtol, atol, key)


def _compare_value(got, expected, rtol, atol, key):
    if isinstance(expected, dict):
        for g, e in zip(got["sparse"], expected["sparse"]):
            _compare_value(g, e, rtol, atol, key)
        return
    assert got[:2] == expected[:2], key
    if expected[0].startswith(("float", "complex")):
        np.testing.assert_allclose(np.array(got[2], float), np.array(expected[2], float), rtol=rtol, atol=atol,
                                   err_msg=key)
    elif expected[0].startswith(("int", "uint")) and atol >= 1:
        assert max((abs(g - e) for g, e in zip(got[2], expected[2])), default=0) <= atol, key
    else:
        assert got[2] == expected[2], key
