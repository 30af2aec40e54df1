"""Graph-building cases shared by tests/golden/make_ops.py (run under TensorFlow) and tests/test_ops.py (minitf).

Each case is ``fn(tf) -> (output_tensor, [input_tensors_to_differentiate])``. The golden records each output's
value, dtype, static shape and the gradients of ``reduce_sum(output * weights)`` w.r.t. the inputs.
Inputs come from a fixed numpy generator so both sides see identical data.
"""
import numpy as np


def data(*shape, seed=0, dtype=np.float32, low=-2.0, high=2.0):
    rng = np.random.default_rng(seed + 7 * len(shape) + int(np.prod(shape) if shape else 1))
    return rng.uniform(low, high, size=shape).astype(dtype)


def _v(tf, *shape, seed=0, low=-2.0, high=2.0):
    return tf.constant(data(*shape, seed=seed, low=low, high=high))


def unary(name, low=-2.0, high=2.0):
    def case(tf):
        x = _v(tf, 3, 4, low=low, high=high)
        return getattr(tf, name)(x), [x]
    return case


def binary(name, shape_a=(3, 4), shape_b=(3, 4), low=-2.0, high=2.0):
    def case(tf):
        a = _v(tf, *shape_a, seed=1, low=low, high=high)
        b = _v(tf, *shape_b, seed=2, low=low, high=high)
        return getattr(tf, name)(a, b), [a, b]
    return case


def reduce_case(name, axis=None, keepdims=False, shape=(3, 4, 5)):
    def case(tf):
        x = _v(tf, *shape)
        return getattr(tf, name)(x, axis=axis, keepdims=keepdims), [x]
    return case


CASES = {
    "neg": unary("negative"), "abs": unary("abs"), "square": unary("square"), "sqrt": unary("sqrt", 0.1, 3.0),
    "rsqrt": unary("rsqrt", 0.1, 3.0), "exp": unary("exp"), "log": unary("log", 0.1, 3.0),
    "log1p": unary("log1p", -0.5, 3.0), "sigmoid": unary("sigmoid"), "tanh": unary("tanh"),
    "reciprocal": unary("reciprocal", 0.5, 3.0), "sin": unary("sin"), "cos": unary("cos"), "sign": unary("sign"),
    "floor": unary("floor"), "ceil": unary("ceil"), "round": unary("round"), "expm1": unary("expm1"),
    "add": binary("add"), "add_bcast": binary("add", (3, 4), (4,)), "subtract": binary("subtract", (3, 1), (1, 4)),
    "multiply": binary("multiply", (2, 3, 4), (3, 1)), "divide": binary("divide", (3, 4), (3, 4), 0.5, 2.0),
    "truediv_bcast": binary("truediv", (3, 4), (1,), 0.5, 2.0), "maximum": binary("maximum", (3, 4), (4,)),
    "minimum": binary("minimum"), "pow": binary("pow", (3, 4), (3, 4), 0.5, 2.0),
    "squared_difference": binary("squared_difference", (3, 4), (4,)), "floordiv": binary("floordiv"),
    "floormod": binary("floormod", (3, 4), (3, 4), 0.5, 3.0),
    "matmul": binary("matmul", (3, 4), (4, 5)),
    "matmul_ta": lambda tf: (lambda a, b: (tf.matmul(a, b, transpose_a=True, transpose_b=True), [a, b]))(
        _v(tf, 4, 3, seed=1), _v(tf, 5, 4, seed=2)),
    "batch_matmul": binary("matmul", (2, 3, 4), (2, 4, 5)),
    "sum_all": reduce_case("reduce_sum"), "sum_axis1": reduce_case("reduce_sum", 1),
    "sum_keep": reduce_case("reduce_sum", [0, 2], True), "mean_all": reduce_case("reduce_mean"),
    "mean_neg_axis": reduce_case("reduce_mean", -1), "max_axis": reduce_case("reduce_max", 1),
    "min_keep": reduce_case("reduce_min", 0, True), "prod_axis": reduce_case("reduce_prod", 2, shape=(2, 3, 4)),
    "logsumexp": reduce_case("reduce_logsumexp", 1),
    "argmax": lambda tf: (tf.argmax(_v(tf, 3, 4), axis=1), []),
    "argmin": lambda tf: (tf.argmin(_v(tf, 3, 4), axis=0), []),
    "cast_int": lambda tf: (tf.cast(_v(tf, 3, 4) * 3, tf.int32), []),
    "cast_f64": lambda tf: (lambda x: (tf.cast(x, tf.float64), [x]))(_v(tf, 3, 4)),
    "add_n": lambda tf: (lambda a, b, c: (tf.add_n([a, b, c]), [a, b, c]))(
        _v(tf, 2, 3, seed=1), _v(tf, 2, 3, seed=2), _v(tf, 2, 3, seed=3)),
    "clip": lambda tf: (lambda x: (tf.clip_by_value(x, -0.5, 1.0), [x]))(_v(tf, 3, 4)),
    "reshape": lambda tf: (lambda x: (tf.reshape(x, [4, -1]), [x]))(_v(tf, 2, 3, 4)),
    "transpose": lambda tf: (lambda x: (tf.transpose(x, [2, 0, 1]), [x]))(_v(tf, 2, 3, 4)),
    "transpose_default": lambda tf: (lambda x: (tf.transpose(x), [x]))(_v(tf, 2, 3)),
    "expand_dims": lambda tf: (lambda x: (tf.expand_dims(x, 1), [x]))(_v(tf, 2, 3)),
    "squeeze": lambda tf: (lambda x: (tf.squeeze(x), [x]))(_v(tf, 2, 1, 3, 1)),
    "squeeze_axis": lambda tf: (lambda x: (tf.squeeze(x, [1]), [x]))(_v(tf, 2, 1, 3, 1)),
    "concat": lambda tf: (lambda a, b: (tf.concat([a, b], 1), [a, b]))(_v(tf, 2, 3, seed=1), _v(tf, 2, 2, seed=2)),
    "concat_neg": lambda tf: (lambda a, b: (tf.concat([a, b], -1), [a, b]))(_v(tf, 2, 3, seed=1),
                                                                           _v(tf, 2, 2, seed=2)),
    "stack": lambda tf: (lambda a, b: (tf.stack([a, b], axis=1), [a, b]))(_v(tf, 2, 3, seed=1),
                                                                        _v(tf, 2, 3, seed=2)),
    "unstack": lambda tf: (lambda x: (tf.unstack(x, axis=1)[2], [x]))(_v(tf, 2, 3, 4)),
    "split": lambda tf: (lambda x: (tf.split(x, 2, axis=1)[1], [x]))(_v(tf, 2, 4)),
    "split_sizes": lambda tf: (lambda x: (tf.split(x, [1, 3], axis=1)[1], [x]))(_v(tf, 2, 4)),
    "slice": lambda tf: (lambda x: (tf.slice(x, [1, 0, 2], [1, 2, -1]), [x]))(_v(tf, 2, 3, 4)),
    "strided": lambda tf: (lambda x: (x[1:, ::2, -1], [x]))(_v(tf, 3, 4, 5)),
    "strided_ellipsis": lambda tf: (lambda x: (x[..., 1], [x]))(_v(tf, 3, 4, 5)),
    "strided_newaxis": lambda tf: (lambda x: (x[:, None, 2:0:-1], [x]))(_v(tf, 3, 4)),
    "gather": lambda tf: (lambda x: (tf.gather(x, [2, 0, 2]), [x]))(_v(tf, 3, 4)),
    "gather_axis1": lambda tf: (tf.gather(_v(tf, 3, 4), [3, 1], axis=1), []),
    "tile": lambda tf: (lambda x: (tf.tile(x, [2, 3]), [x]))(_v(tf, 2, 3)),
    "pad": lambda tf: (lambda x: (tf.pad(x, [[1, 0], [2, 1]]), [x]))(_v(tf, 2, 3)),
    "pad_reflect": lambda tf: (tf.pad(_v(tf, 3, 4), [[1, 1], [2, 2]], mode="REFLECT"), []),
    "where": lambda tf: (lambda a, b: (tf.where(a > b, a, b), [a, b]))(_v(tf, 3, 4, seed=1), _v(tf, 3, 4, seed=2)),
    "one_hot": lambda tf: (tf.one_hot([0, 2, 1, 3], 4), []),
    "one_hot_axis": lambda tf: (tf.one_hot([[0, 2], [1, 1]], 3, on_value=5.0, off_value=-1.0, axis=0), []),
    "range": lambda tf: (tf.range(2, 11, 3), []),
    "range_float": lambda tf: (tf.range(0.0, 1.0, 0.25), []),
    "fill": lambda tf: (tf.fill([2, 3], 7.0), []),
    "zeros_like": lambda tf: (tf.zeros_like(_v(tf, 2, 3)), []),
    "ones_like": lambda tf: (tf.ones_like(_v(tf, 2, 3)), []),
    "shape": lambda tf: (tf.shape(_v(tf, 2, 3)), []),
    "size": lambda tf: (tf.size(_v(tf, 2, 3)), []),
    "rank": lambda tf: (tf.rank(_v(tf, 2, 3)), []),
    "equal": lambda tf: (tf.equal(tf.floor(_v(tf, 3, 4, seed=1)), tf.floor(_v(tf, 3, 4, seed=2))), []),
    "logical": lambda tf: (tf.logical_and(_v(tf, 3, 4, seed=1) > 0, tf.logical_not(_v(tf, 3, 4, seed=2) > 0)), []),
    "reduce_any": lambda tf: (tf.reduce_any(_v(tf, 3, 4) > 1.5, axis=1), []),
    "stop_gradient": lambda tf: (lambda x: (x * tf.stop_gradient(x), [x]))(_v(tf, 3)),
    "chain": lambda tf: (lambda x, w: (tf.tanh(tf.matmul(x, w) + 1.0) * tf.sigmoid(x[:, :1]), [x, w]))(
        _v(tf, 4, 3, seed=1), _v(tf, 3, 2, seed=2)),
    "int_arith": lambda tf: (tf.constant([7, -7, 9]) // tf.constant([2, 2, -4]) + tf.constant([7, -7, 9]) %
                             tf.constant([2, 2, -4]), []),
}
