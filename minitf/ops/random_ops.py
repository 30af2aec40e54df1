"""Seeded random ops (RandomUniform, RandomStandardNormal, TruncatedNormal, ...) and their Python wrappers.

Each op keeps one Philox stream per Session, keyed by its (seed, seed2) attrs; every run draws N outputs and moves
the stream on by N*256 blocks, exactly as TensorFlow's CPU kernels do, so values match TensorFlow bit for bit.
"""

import os

import numpy as np

from minitf.framework import dtypes, ops, random_seed, tensor_shape, tensor_util
from minitf.framework.op_def_lib import apply_op_1, invalid_argument, no_gradient, register
from minitf.ops import array_ops, math_ops

_FLOAT_TYPES = (dtypes.float16, dtypes.float32, dtypes.float64)


def _shape_infer(dtype_attr):
    def infer(op):
        return [(op.get_attr(dtype_attr), tensor_util.constant_value_as_shape(op.inputs[0]))]
    return infer


def _stream(op, state):
    seed, seed2 = op.get_attr("seed"), op.get_attr("seed2")
    if seed == 0 and seed2 == 0:
        seed, seed2 = (int.from_bytes(os.urandom(8), "little") for _ in range(2))
    from minitf.ops import philox  # loads the C library's math functions: only when a random op runs
    return state.random_stream(op, lambda: philox.PhiloxStream(seed, seed2))


def _output_shape(shape_value):
    dims = [int(d) for d in np.asarray(shape_value).reshape(-1)]
    if any(d < 0 for d in dims):
        raise invalid_argument(f"Dimension {min(dims)} must be >= 0")
    return dims


def _sampling_kernel(sample, dtype_attr="dtype"):
    """A kernel drawing ``sample(stream_start, shape, dtype)`` from this session's stream of the op."""
    def make(op, state):
        np_dtype = np.dtype(op.get_attr(dtype_attr).as_numpy_dtype)
        stream = None

        def kernel(shape_value, *bounds):
            nonlocal stream
            if stream is None:
                stream = _stream(op, state)
            shape = _output_shape(shape_value)
            start = stream.reserve(int(np.prod(shape, dtype=np.int64)))
            return sample(stream, start, shape, np_dtype, *bounds)
        return kernel
    return make


def _uniform(stream, start, shape, dtype):
    return stream.uniform(start, shape, dtype)


def _standard_normal(stream, start, shape, dtype):
    return stream.normal(start, shape, dtype)


def _truncated_normal(stream, start, shape, dtype):
    return stream.truncated_normal(start, shape, dtype)


def _uniform_int(stream, start, shape, dtype, minval, maxval):
    if not minval < maxval:
        raise invalid_argument(f"Need minval < maxval, got {minval} >= {maxval}")
    return stream.uniform_int(start, shape, dtype, int(minval), int(maxval))


register("RandomUniform", _shape_infer("dtype"), _sampling_kernel(_uniform), stateful=True,
         input_names=("shape",), attr_defaults={"seed": 0, "seed2": 0})
register("RandomStandardNormal", _shape_infer("dtype"), _sampling_kernel(_standard_normal), stateful=True,
         input_names=("shape",), attr_defaults={"seed": 0, "seed2": 0})
register("TruncatedNormal", _shape_infer("dtype"), _sampling_kernel(_truncated_normal), stateful=True,
         input_names=("shape",), attr_defaults={"seed": 0, "seed2": 0})
register("RandomUniformInt", lambda op: [(op.inputs[1].dtype.base_dtype,
                                          tensor_util.constant_value_as_shape(op.inputs[0]))],
         _sampling_kernel(_uniform_int, dtype_attr="Tout"), stateful=True,
         input_names=("shape", "minval", "maxval"), attr_defaults={"seed": 0, "seed2": 0})
for _op_type in ("RandomUniform", "RandomStandardNormal", "TruncatedNormal", "RandomUniformInt"):
    no_gradient(_op_type)


def _seed_attrs(seed):
    seed1, seed2 = random_seed.get_seed(seed)
    return {"seed": seed1 or 0, "seed2": seed2 or 0}


def _shape_tensor(shape):
    if isinstance(shape, ops.Tensor):
        return shape
    if isinstance(shape, tensor_shape.TensorShape):
        shape = shape.as_list()
    return ops.convert_to_tensor(shape, dtype=dtypes.int32 if not _needs_int64(shape) else dtypes.int64,
                                 name="shape")


def _needs_int64(shape):
    try:
        return any(int(d) >= 2**31 for d in np.asarray(shape).reshape(-1))
    except TypeError:
        return False


def random_uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """``tf.random_uniform``: values in [minval, maxval), bit-identical to TensorFlow's for the same seeds."""
    dtype = dtypes.as_dtype(dtype)
    if dtype not in _FLOAT_TYPES + (dtypes.int32, dtypes.int64):
        raise ValueError(f"Invalid dtype {dtype!r}")
    if maxval is None:
        if dtype.is_integer:
            raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
        maxval = 1
    with ops.name_scope(name, "random_uniform", [shape, minval, maxval]) as scope:
        shape_t = _shape_tensor(shape)
        minval_is_zero = type(minval) is int and minval == 0
        maxval_is_one = type(maxval) is int and maxval == 1
        if not minval_is_zero or not maxval_is_one or dtype.is_integer:
            minval = ops.convert_to_tensor(minval, dtype=dtype, name="min")
            maxval = ops.convert_to_tensor(maxval, dtype=dtype, name="max")
        attrs = _seed_attrs(seed)
        if dtype.is_integer:
            attrs.update({"Tout": dtype, "T": shape_t.dtype})
            return apply_op_1("RandomUniformInt", [shape_t, minval, maxval], attrs, scope)
        attrs.update({"dtype": dtype, "T": shape_t.dtype})
        result = apply_op_1("RandomUniform", [shape_t], attrs)
        if minval_is_zero:
            if not maxval_is_one:
                result = math_ops.multiply(result, maxval)
            return result
        return math_ops.add(result * (maxval - minval), minval, name=scope)


def _normal_like(op_type, default_name, shape, mean, stddev, dtype, seed, name):
    dtype = dtypes.as_dtype(dtype)
    with ops.name_scope(name, default_name, [shape, mean, stddev]) as scope:
        shape_t = _shape_tensor(shape)
        mean_t = ops.convert_to_tensor(mean, dtype=dtype, name="mean")
        stddev_t = ops.convert_to_tensor(stddev, dtype=dtype, name="stddev")
        attrs = _seed_attrs(seed)
        attrs.update({"dtype": dtype, "T": shape_t.dtype})
        rnd = apply_op_1(op_type, [shape_t], attrs)
        return math_ops.add(rnd * stddev_t, mean_t, name=scope)


def random_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """``tf.random_normal``: Box-Muller normals from Philox, bit-identical to TensorFlow's."""
    return _normal_like("RandomStandardNormal", "random_normal", shape, mean, stddev, dtype, seed, name)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """``tf.truncated_normal``: normals redrawn until within two standard deviations, as TensorFlow."""
    return _normal_like("TruncatedNormal", "truncated_normal", shape, mean, stddev, dtype, seed, name)


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """``tf.nn.dropout`` (TF1 signature): keeps each element with probability ``keep_prob`` and scales it."""
    if rate is None:
        if keep_prob is None:
            raise ValueError("You must provide a rate to dropout.")
        rate = 1 - keep_prob if not isinstance(keep_prob, ops.Tensor) else math_ops.subtract(1.0, keep_prob)
    with ops.name_scope(name, "dropout", [x]) as scope:
        x = ops.convert_to_tensor(x, name="x")
        if not x.dtype.is_floating:
            raise ValueError(f"x has to be a floating point tensor since it's going to be scaled. Got a "
                             f"{x.dtype!r} tensor instead.")
        if not isinstance(rate, ops.Tensor):
            if not 0 <= rate < 1:
                raise ValueError(f"rate must be a scalar tensor or a float in the range [0, 1), got {rate}")
            if rate == 0:
                return x
            keep = 1 - rate
            scale = 1 / keep
            scale_t = ops.convert_to_tensor(scale, dtype=x.dtype)
            rate_t = ops.convert_to_tensor(rate, dtype=x.dtype, name="rate")
        else:
            rate_t = math_ops.cast(rate, x.dtype)
            scale_t = math_ops.truediv(1.0, math_ops.subtract(1.0, rate_t))
        noise = array_ops.shape(x) if noise_shape is None else noise_shape
        random_tensor = random_uniform(noise, seed=seed, dtype=x.dtype)
        keep_mask = random_tensor >= rate_t
        ret = math_ops.multiply(math_ops.multiply(x, scale_t), math_ops.cast(keep_mask, x.dtype), name=scope)
        return ret
