"""Control-flow programs run under both TensorFlow and minitf (tests/golden/make_control_flow.py records TF).

Each case takes the ``tf`` module and returns ``(fetches, feeds)``: a dict of named fetches and a list of feed
dicts keyed by placeholder name; the program is run once per feed dict. A fetch may be a list of tensors/ops; a
``"var:"`` prefixed name fetches a variable's value after the run (side effects).
"""

def cond_basic(tf):
    x = tf.placeholder(tf.float32, [], name="x")
    y = tf.cond(x > 0, lambda: x * 2.0, lambda: x - 1.0)
    return {"y": y, "dy": tf.gradients(y, x)[0]}, [{"x": 3.0}, {"x": -3.0}]


def cond_nested_structure(tf):
    x = tf.placeholder(tf.float32, [2], name="x")
    p = tf.placeholder(tf.bool, [], name="p")
    out = tf.cond(p, lambda: {"a": x * x, "b": (x + 1.0, tf.constant(1))},
                  lambda: {"a": tf.sin(x), "b": (x, tf.constant(2))}, name="pick")
    grads = tf.gradients([out["a"], out["b"][0]], x)
    return {"a": out["a"], "b0": out["b"][0], "b1": out["b"][1], "dx": grads[0]}, \
        [{"x": [1.0, 2.0], "p": True}, {"x": [1.0, 2.0], "p": False}]


def cond_nested(tf):
    x = tf.placeholder(tf.float32, [], name="x")
    w = tf.constant(3.0, name="w")

    def outer_true():
        return tf.cond(x > 5.0, lambda: x * w, lambda: x + w)

    y = tf.cond(x > 0, outer_true, lambda: tf.square(x) * w)
    return {"y": y, "dy": tf.gradients(y, [x, w])}, [{"x": 7.0}, {"x": 2.0}, {"x": -2.0}]


def cond_side_effects(tf):
    v = tf.Variable(0, name="counter")
    p = tf.placeholder(tf.bool, [], name="p")

    def taken():
        with tf.control_dependencies([tf.assign_add(v, tf.constant(1))]):
            return tf.constant(1)

    y = tf.cond(p, taken, lambda: tf.constant(0))
    init = tf.global_variables_initializer()
    return {"init": init, "y": y, "y2": y, "var:counter": v}, [{"p": True}, {"p": False}]


def cond_strict_and_fn1(tf):
    x = tf.constant(2.0, name="x")
    a = tf.cond(tf.constant(True), lambda: [x], lambda: [x + 1.0])
    b = tf.cond(tf.constant(False), lambda: [x], lambda: [x + 1.0], strict=True)
    c = tf.cond(tf.constant(True), fn1=lambda: x * 3.0, fn2=lambda: x)
    return {"a": a, "b": b, "c": c}, [{}]


def cond_returns_op(tf):
    v = tf.Variable(1.0, name="v")
    p = tf.placeholder(tf.bool, [], name="p")
    op = tf.cond(p, lambda: tf.assign(v, tf.constant(5.0)).op, lambda: tf.no_op())
    init = tf.global_variables_initializer()
    return {"init": init, "op": op, "var:v": v}, [{"p": True}]


def case_default(tf):
    x = tf.placeholder(tf.int32, [], name="x")
    y = tf.case([(tf.less(x, 0), lambda: tf.constant(-1)), (tf.equal(x, 0), lambda: tf.constant(0))],
                default=lambda: tf.constant(1))
    return {"y": y}, [{"x": -5}, {"x": 0}, {"x": 5}]


def case_exclusive_no_default(tf):
    x = tf.placeholder(tf.int32, [], name="x")
    y = tf.case([(tf.less(x, 0), lambda: tf.constant(-1.0)), (tf.greater_equal(x, 0), lambda: tf.constant(1.0))],
                exclusive=True)
    return {"y": y}, [{"x": -5}, {"x": 5}]


def while_basic(tf):
    n = tf.placeholder(tf.int32, [], name="n")
    i, acc = tf.while_loop(lambda i, a: i < n, lambda i, a: (i + 1, a * 2.0), [tf.constant(0), tf.constant(1.0)])
    return {"i": i, "acc": acc}, [{"n": 0}, {"n": 1}, {"n": 10}]


def while_single_var_and_constant(tf):
    x = tf.placeholder(tf.float32, [3], name="x")
    r = tf.while_loop(lambda v: tf.reduce_sum(v) < 100.0, lambda v: v * x + 1.0, [tf.ones([3])])
    return {"r": r}, [{"x": [1.0, 2.0, 3.0]}]


def while_nested(tf):
    n = tf.placeholder(tf.int32, [], name="n")

    def body(i, total):
        inner = tf.while_loop(lambda j, s: j < i, lambda j, s: (j + 1, s + j), [0, 0])[1]
        return i + 1, total + inner

    i, total = tf.while_loop(lambda i, t: i < n, body, [0, 0])
    return {"i": i, "total": total}, [{"n": 0}, {"n": 1}, {"n": 6}]


def while_structures(tf):
    n = tf.placeholder(tf.int32, [], name="n")
    out = tf.while_loop(lambda s: s["i"] < n,
                        lambda s: [{"i": s["i"] + 1, "pair": (s["pair"][1], s["pair"][0] + s["pair"][1])}],
                        [{"i": tf.constant(0), "pair": (tf.constant(0), tf.constant(1))}],
                        return_same_structure=True)
    return {"i": out[0]["i"], "fib": out[0]["pair"][0]}, [{"n": 10}]


def while_shape_invariants(tf):
    n = tf.placeholder(tf.int32, [], name="n")
    _, grown = tf.while_loop(lambda i, v: i < n, lambda i, v: (i + 1, tf.concat([v, v], tf.constant(0))),
                             [tf.constant(0), tf.ones([1])],
                             shape_invariants=[tf.TensorShape([]), tf.TensorShape([None])])
    return {"grown": grown, "static": tf.constant(str(grown.shape))}, [{"n": 3}]


def while_maximum_iterations(tf):
    r = tf.while_loop(lambda v: v > -1, lambda v: v + 1, [tf.constant(0)], maximum_iterations=7)
    return {"r": r}, [{}]


def while_in_cond(tf):
    p = tf.placeholder(tf.bool, [], name="p")
    x = tf.placeholder(tf.float32, [], name="x")
    y = tf.cond(p, lambda: tf.while_loop(lambda v: v < 100.0, lambda v: v * x, [x]), lambda: x - 1.0)
    return {"y": y}, [{"p": True, "x": 3.0}, {"p": False, "x": 3.0}]


def cond_in_while(tf):
    n = tf.placeholder(tf.int32, [], name="n")

    def body(i, a):
        a = tf.cond(tf.equal(i % 2, 0), lambda: a + i, lambda: a - 1)
        return i + 1, a

    return {"out": tf.while_loop(lambda i, a: i < n, body, [0, 0])}, [{"n": 0}, {"n": 7}]


def while_side_effects(tf):
    v = tf.Variable(0, name="count")
    n = tf.placeholder(tf.int32, [], name="n")

    def body(i):
        with tf.control_dependencies([tf.assign_add(v, tf.constant(2))]):
            return i + 1

    r = tf.while_loop(lambda i: i < n, body, [0])
    init = tf.global_variables_initializer()
    return {"init": init, "r": r, "var:count": v}, [{"n": 4}, {"n": 0}]


def assert_in_graph(tf):
    x = tf.placeholder(tf.float32, [2], name="x")
    a = tf.Assert(tf.reduce_all(x > 0), ["x must be positive", x])
    with tf.control_dependencies([a]):
        y = tf.identity(x * 2.0)
    b = tf.Assert(tf.constant(True), ["static", tf.constant(1)])
    return {"y": y, "b": b}, [{"x": [1.0, 2.0]}, {"x": [1.0, -2.0]}]


def print_in_cond(tf):
    x = tf.placeholder(tf.float32, [3], name="x")
    y = tf.cond(x[0] > 0, lambda: tf.Print(x, [x, "pos"], message="taken: "), lambda: x)
    return {"y": y}, [{"x": [1.0, 2.0, 3.0]}, {"x": [-1.0, 2.0, 3.0]}]


def dropout_in_cond(tf):
    tf.set_random_seed(7)
    x = tf.ones([4, 5])
    training = tf.placeholder(tf.bool, [], name="training")
    y = tf.cond(training, lambda: tf.nn.dropout(x, keep_prob=0.5), lambda: x)
    return {"y": y}, [{"training": True}, {"training": False}, {"training": True}]


def while_grad_basic(tf):
    x = tf.placeholder(tf.float32, [], name="x")
    n = tf.placeholder(tf.int32, [], name="n")
    i, a = tf.while_loop(lambda i, a: i < n, lambda i, a: (i + 1, a * x), [tf.constant(0), tf.constant(1.0)])
    return {"a": a, "dx": tf.gradients(a, x)[0]}, [{"x": 1.5, "n": 0}, {"x": 1.5, "n": 1}, {"x": 1.5, "n": 5}]


def while_grad_loop_var_and_invariant(tf):
    x = tf.placeholder(tf.float32, [2], name="x")
    w = tf.placeholder(tf.float32, [None], name="w")
    r = tf.while_loop(lambda v: tf.reduce_sum(v) < 50.0, lambda v: tf.sin(v) * w + v * 2.0, [x])
    return {"r": r, "grads": tf.gradients(tf.reduce_sum(r * r), [x, w])}, [{"x": [1.0, 2.0], "w": [0.5, -0.5]}]


def while_grad_nested(tf):
    x = tf.placeholder(tf.float32, [], name="x")

    def body(i, v):
        inner = tf.while_loop(lambda j, u: j < i, lambda j, u: (j + 1, u * x + 1.0), [0, v])[1]
        return i + 1, inner

    _, r = tf.while_loop(lambda i, v: i < 3, body, [0, x])
    return {"r": r, "dx": tf.gradients(r, x)[0]}, [{"x": 0.5}, {"x": 2.0}]


def while_grad_cond_inside(tf):
    x = tf.placeholder(tf.float32, [], name="x")

    def body(i, v):
        return i + 1, tf.cond(tf.equal(i % 2, 0), lambda: v * x, lambda: v + x)

    _, r = tf.while_loop(lambda i, v: i < 5, body, [0, tf.constant(1.0)])
    return {"r": r, "dx": tf.gradients(r, x)[0]}, [{"x": 2.0}]


def while_grad_maximum_iterations_and_stop(tf):
    x = tf.placeholder(tf.float32, [], name="x")
    r = tf.while_loop(lambda v: v < 1e6, lambda v: v * x + tf.stop_gradient(v), [x], maximum_iterations=4)
    return {"r": r, "dx": tf.gradients(r, x)[0]}, [{"x": 2.0}]


def while_grad_unused_exit(tf):
    x = tf.placeholder(tf.float32, [], name="x")
    a, b = tf.while_loop(lambda a, b: a < 10.0, lambda a, b: (a * x, b + a), [x, tf.constant(0.0)])
    return {"b": b, "db": tf.gradients(b, x)[0]}, [{"x": 2.0}]


def while_dtype_changed_by_body(tf):
    r = tf.while_loop(lambda i: i < 3, lambda i: tf.cast(i, tf.float32) + 1.0, [0])
    return {"r": r}, [{}]


def while_back_prop_false(tf):
    x = tf.constant(2.0, name="x")
    r = tf.while_loop(lambda v: v < 10.0, lambda v: v * x, [x], back_prop=False)
    return {"r": r, "no_gradient": tf.constant(tf.gradients(r, x)[0] is None)}, [{}]


def while_passthrough_and_python_values(tf):
    i, x, s = tf.while_loop(lambda i, x, s: i < 3, lambda i, x, s: (i + 1, x, s + 0.5),
                            (0, tf.constant([1.0, 2.0]), 0.0))
    return {"i": i, "x": x, "s": s}, [{}]


def cond_variables_and_python_values(tf):
    v, w = tf.Variable(1.0, name="v"), tf.Variable(2.0, name="w")
    a = tf.cond(tf.constant(False), lambda: v, lambda: w)
    b = tf.cond(tf.constant(True), lambda: 1.0, lambda: 2.0)
    return {"init": tf.global_variables_initializer(), "a": a, "b": b}, [{}]


def while_grad_named_sequential(tf):
    x = tf.placeholder(tf.float32, [2], name="x")
    r = tf.while_loop(lambda v: tf.reduce_sum(v) < 20.0, lambda v: v * x, [x], parallel_iterations=1,
                      swap_memory=True, name="my_loop")
    return {"r": r, "dx": tf.gradients(r, x)[0]}, [{"x": [1.5, 2.0]}]


def case_dict_and_nested(tf):
    x = tf.placeholder(tf.int32, [], name="x")
    y = tf.case({tf.less(x, 0): lambda: tf.constant(-1), tf.greater(x, 10): lambda: tf.constant(2)},
                default=lambda: tf.cond(tf.equal(x, 0), lambda: tf.constant(0), lambda: tf.constant(1)),
                exclusive=True, name="pick")
    return {"y": y}, [{"x": -3}, {"x": 0}, {"x": 5}, {"x": 11}]


CASES = {name: fn for name, fn in dict(globals()).items()
         if callable(fn) and name.split("_")[0] in ("cond", "case", "while", "assert", "print", "dropout")}


def error_cond_structure(tf):
    tf.cond(tf.constant(True), lambda: (tf.constant(1), tf.constant(2)), lambda: tf.constant(1))


def error_cond_dtype(tf):
    tf.cond(tf.constant(True), lambda: tf.constant(1), lambda: tf.constant(1.0))


def error_cond_pred_float(tf):
    tf.cond(tf.constant(1.0), lambda: tf.constant(1), lambda: tf.constant(2))


def error_cond_python_bool(tf):
    tf.cond(True, lambda: tf.constant(1), lambda: tf.constant(2))


def error_cond_no_return(tf):
    tf.cond(tf.constant(True), lambda: None, lambda: tf.constant(2))


def error_while_shape_changes(tf):
    tf.while_loop(lambda v: tf.size(v) < 10, lambda v: tf.concat([v, v], tf.constant(0)), [tf.ones([1])])


def error_while_invariant_incompatible(tf):
    tf.while_loop(lambda v: v < 10, lambda v: v + 1, [tf.ones([2])], shape_invariants=[tf.TensorShape([3])])


def error_while_body_arity(tf):
    tf.while_loop(lambda a, b: a < 10, lambda a, b: a + 1, [tf.constant(0), tf.constant(0)])


def error_while_not_callable(tf):
    tf.while_loop(None, lambda v: v, [tf.constant(0)])


def error_while_cond_not_bool(tf):
    tf.while_loop(lambda v: v, lambda v: v - 1, [tf.constant(3)])


def error_cond_pred_not_scalar(tf):
    p = tf.placeholder(tf.bool, [2])
    tf.cond(p, lambda: tf.constant(1), lambda: tf.constant(2))


def error_case_pred_not_bool(tf):
    tf.case([(tf.constant(1), lambda: tf.constant(1))], default=lambda: tf.constant(2))


def error_cond_structure_list_vs_tuple(tf):
    tf.cond(tf.constant(True), lambda: [tf.constant(1), tf.constant(2)], lambda: (tf.constant(1), tf.constant(2)))


ERRORS = {name: fn for name, fn in dict(globals()).items() if name.startswith("error_")}


def meta_graph_program(tf):
    """A graph whose MetaGraphDef holds nested cond and while contexts (tests/golden/control_flow.meta)."""
    x = tf.placeholder(tf.float32, [], name="x")
    y = tf.cond(x > 0, lambda: x * 2.0, lambda: tf.cond(x < -1.0, lambda: -x, lambda: x + 3.0))

    def body(i, a):
        inner = tf.while_loop(lambda j, b: j < i, lambda j, b: (j + 1, b * 0.5 + x), [0, a])[1]
        return i + 1, tf.cond(inner > 4.0, lambda: inner - 1.0, lambda: inner * x)

    return x, tf.while_loop(lambda i, a: i < 3, body, [0, y])[1]
