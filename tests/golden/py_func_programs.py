"""The ``tf.py_func`` / ``tf.numpy_function`` and numerics-check programs of tests/golden/make_py_func.py
(TensorFlow) and tests/test_py_func.py (minitf); each takes the library as ``tf`` (see program_runs.py)."""
import numpy as np

X = np.array([1.0, 2.0, 3.0], np.float32)


def outputs(tf):
    """One output, a list of outputs, PyFuncStateless under a name, numpy_function, strings, no outputs, a feed."""
    x = tf.constant(X, name="x")
    p = tf.placeholder(tf.float32, [None], name="p")
    out = {"double": tf.py_func(lambda a: a * 2, [x], tf.float32),
           "pair": tf.py_func(lambda a: (a + 1, a.astype(np.int32)), [x], [tf.float32, tf.int32], stateful=False,
                              name="pair"),
           "numpy_function": tf.numpy_function(lambda a, b: a * b, [x, p], tf.float32),
           "text": tf.py_func(lambda a: "abc", [x], tf.string),
           "texts": tf.py_func(lambda a: [b"a", b"bc"], [x], [tf.string, tf.string]),
           "int64": tf.py_func(lambda: np.arange(3), [], tf.int64),
           "nothing": tf.py_func(lambda a: None, [x], []),
           "downstream": tf.reduce_sum(tf.py_func(np.square, [p], tf.float32)) + 1}
    out["in_list"] = tf.py_func(lambda a: [a], [x], [tf.float32])
    grads = tf.gradients(out["double"], x)
    out["gradient_is_none"] = tf.constant(grads == [None])
    return out, {p: np.array([4.0, 5.0, 6.0], np.float32)}


def stateful(tf):
    """A stateful callable runs once per run; the graph holds it."""
    calls = []

    def count(a):
        calls.append(1)
        return np.float32(len(calls)) + a
    y = tf.py_func(count, [tf.constant(0.0)], tf.float32)
    return {"first": y, "second": y, "third": y * 2}


def _raiser(exception):
    def raise_it(a):
        raise exception
    return raise_it


def callable_errors(tf):
    """Python exceptions become TensorFlow's classes; wrong dtypes and counts of returned values."""
    x = tf.constant(X, name="x")
    out = {cls.__name__: tf.py_func(_raiser(cls("bad")), [x], tf.float32)
           for cls in (ValueError, TypeError, StopIteration, MemoryError, NotImplementedError, IndexError, KeyError,
                       ZeroDivisionError, RuntimeError)}
    out["op_error"] = tf.py_func(_raiser(tf.errors.NotFoundError(None, None, "nf")), [x], tf.float32)
    out["double_for_float"] = tf.py_func(lambda a: 1.0, [x], tf.float32)
    out["int64_for_float"] = tf.py_func(lambda a: 1, [x], tf.float32)
    out["float_for_int32"] = tf.py_func(lambda a: a, [x], tf.int32)
    out["one_for_two"] = tf.py_func(lambda a: a, [x], [tf.float32, tf.float32])
    out["two_for_one"] = tf.py_func(lambda a: (a, a), [x], tf.float32)
    out["stateless_error"] = tf.py_func(_raiser(ValueError("folded")), [x], tf.float32, stateful=False)
    return out


def verify_finite(tf):
    """verify_tensor_all_finite passes finite values and fails on NaN and Inf."""
    x = tf.placeholder(tf.float32, [3], name="x")
    return {"finite": tf.verify_tensor_all_finite(x * 2, "x*2 is bad"),
            "named": tf.verify_tensor_all_finite(tf.log(x), msg="log", name="check_log"),
            "nan": tf.verify_tensor_all_finite(t=tf.sqrt(x - 1.0), message="root")}, \
        {x: np.array([0.0, 1.0, 4.0], np.float32)}


def numerics(tf):
    """add_check_numerics_ops checks every float output of the graph, inputs first: the first bad one fails."""
    x = tf.placeholder(tf.float32, [3], name="x")
    y = tf.sqrt(x - 1.0, name="root")
    z = tf.log(y)
    out = {"checks": tf.add_check_numerics_ops(), "y": y, "z": z}
    return out, {x: np.array([0.0, 1.0, 4.0], np.float32)}


def numerics_pass(tf):
    x = tf.placeholder(tf.float32, [3], name="x")
    out = {"finite": tf.verify_tensor_all_finite(x * 2, "x*2 is bad")}
    out["checks"] = tf.add_check_numerics_ops()
    out["value"] = tf.sqrt(x)
    return out, {x: np.array([1.0, 4.0, 9.0], np.float32)}


PROGRAMS = {f.__name__: f for f in (outputs, stateful, callable_errors, verify_finite, numerics, numerics_pass)}
ERRORS = {
    "not_callable": lambda tf: tf.py_func(3, [tf.constant(1.0)], tf.float32),
}
