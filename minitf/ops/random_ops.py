"""Seeded random ops (RandomUniform, RandomStandardNormal, TruncatedNormal, RandomShuffle, Multinomial,
RandomGamma, RandomPoissonV2) and their Python wrappers.

Each op keeps one Philox stream per Session, keyed by its (seed, seed2) attrs; every run reserves a stretch of the
stream (N*256 blocks for N outputs, for most ops) exactly as TensorFlow's CPU kernels do, so values match
TensorFlow bit for bit. The numpy kernels live in ``philox`` and ``random_kernels``, imported on first use.
"""

import math
import numbers
import os

import numpy as np

from minitf.framework import dtypes, ops, random_seed, tensor_shape, tensor_util
from minitf.framework.op_def_lib import (RegisterGradient, apply_op_1, binary_infer, broadcast_shapes,
                                         invalid_argument, no_gradient, pure, register, same_as_input)
from minitf.ops import array_ops, math_ops

_FLOAT_TYPES = (dtypes.float16, dtypes.float32, dtypes.float64)


def _shape_infer(dtype_attr):
    def infer(op):
        return [(op.get_attr(dtype_attr), tensor_util.constant_value_as_shape(op.inputs[0]))]
    return infer


def _stream(op, state):
    """This session's Philox stream of ``op`` (a ``random_kernels.BlockStream``)."""
    seed, seed2 = op.get_attr("seed"), op.get_attr("seed2")
    if seed == 0 and seed2 == 0:
        seed, seed2 = (int.from_bytes(os.urandom(8), "little") for _ in range(2))
    random_kernels = _kernels()
    return state.random_stream(op, lambda: random_kernels.BlockStream(seed, seed2))


def _kernels():
    """The kernel module, imported when a random op first runs (it loads the C library's math functions)."""
    from minitf.ops import random_kernels
    return random_kernels


def _output_shape(shape_value):
    dims = np.asarray(shape_value).reshape(-1).tolist()  # Python ints
    if dims and min(dims) < 0:
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
            start = stream.reserve(math.prod(shape))
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
    if isinstance(shape, (list, tuple)) and any(isinstance(d, ops.Tensor) for d in shape):
        return False  # auto-packed with the tensors' dtype
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
    """``tf.nn.dropout`` (TF1 signature, TF 2.21's graph): zeroes each element with probability ``rate``
    (``1 - keep_prob``) and scales the others by ``1 / (1 - rate)``."""
    rate_from_keep_prob = None
    if keep_prob is not None:
        try:
            rate_from_keep_prob = 1.0 - keep_prob
        except TypeError:
            raise ValueError(f"`keep_prob` must be a floating point number or Tensor. Received: "
                             f"keep_prob={keep_prob}") from None
        if rate is not None:
            raise ValueError("Cannot specify both 'keep_prob' and 'rate'.")
        rate = rate_from_keep_prob
    if rate is None:
        raise ValueError(f"`rate` must be provided. Received: rate={rate}")
    with ops.name_scope(name, "dropout", [x]):
        is_number = isinstance(rate, numbers.Real)
        if is_number and (rate < 0 or rate >= 1):
            raise ValueError(f"`rate` must be a scalar tensor or a float in the range [0, 1). Received: rate={rate}")
        x = ops.convert_to_tensor(x, name="x")
        dtype = x.dtype.base_dtype
        if not dtype.is_floating:
            raise ValueError(f"`x.dtype` must be a floating point tensor as `x` will be scaled. Received: "
                             f"x_dtype={dtype}")
        if is_number and rate == 0:
            random_seed.get_seed(seed)  # TensorFlow's dummy draw: the graph's seed counter moves on
            return x
        if isinstance(rate, ops.Tensor):
            if rate.shape.ndims not in (None, 0):
                raise ValueError(f"Shape {rate.shape} must have rank 0")
            if rate.dtype.base_dtype != dtype:
                rate = math_ops.cast(rate, dtype, name="rate")
            one = ops.convert_to_tensor(1, dtype=dtype)
            scaled = apply_op_1("RealDiv", [x, apply_op_1("Sub", [one, rate], {"T": dtype})], {"T": dtype})
        elif is_number:
            scaled = math_ops.multiply(x, ops.convert_to_tensor(1 / (1 - rate), dtype=dtype))
        else:
            raise ValueError(f"`rate` must be a scalar or scalar tensor. Received: rate={rate}")
        random_tensor = random_uniform(_noise_shape(x, noise_shape), seed=seed, dtype=dtype)
        kept = array_ops.where_v2(random_tensor >= rate, scaled, ops.convert_to_tensor(0, dtype=dtype))
        kept.set_shape(x.shape)
        return kept


def _noise_shape(x, noise_shape):
    """TensorFlow's ``_get_noise_shape``: ``shape(x)``, or ``noise_shape`` with its unknown dims taken from x."""
    if noise_shape is None:
        return array_ops.shape(x)
    if isinstance(noise_shape, ops.Tensor):
        return noise_shape
    try:
        noise = tensor_shape.as_shape(noise_shape)
    except (TypeError, ValueError):
        return noise_shape
    if x.shape.ndims is not None and x.shape.ndims == noise.ndims:
        return tensor_shape.TensorShape([d.value if n.value is None and d.value is not None else n.value
                                         for d, n in zip(x.shape.dims, noise.dims)])
    return noise_shape


# ---------------------------------------------------------------------------------------------------------------
# RandomShuffle, Multinomial, RandomGamma, RandomPoissonV2 (kernels in random_kernels.py)


def _stream_kernel(run):
    """A kernel factory: ``run(stream, op, *inputs)`` on this session's stream of the op, made on its first run."""
    def make(op, state):
        stream = None

        def kernel(*inputs):
            nonlocal stream
            if stream is None:
                stream = _stream(op, state)
            return run(stream, op, *inputs)
        return kernel
    return make


def _multinomial_infer(op):
    logits = op.inputs[0].shape
    if logits.ndims is not None and logits.ndims != 2:
        raise ValueError(f"Shape must be rank 2 but is rank {logits.ndims} for '{op.name}' (op: 'Multinomial')")
    num_samples = tensor_util.constant_value(op.inputs[1])
    batch = logits[0].value if logits.ndims == 2 else None
    return [(op.get_attr("output_dtype"),
             tensor_shape.TensorShape([batch, None if num_samples is None else int(num_samples)]))]


def _samples_infer(dtype_attr):
    """Output shape ``shape + parameters.shape`` (RandomGamma, RandomPoissonV2)."""
    def infer(op):
        shape = tensor_util.constant_value_as_shape(op.inputs[0])
        return [(op.get_attr(dtype_attr), shape.concatenate(op.inputs[1].shape))]
    return infer


def _broadcast_args_infer(op):
    lengths = [t.shape[0].value if t.shape.ndims == 1 else None for t in op.inputs]
    length = None if None in lengths else max(lengths)
    return [(op.inputs[0].dtype.base_dtype, tensor_shape.TensorShape([length]))]


def _broadcast_args(s0, s1):
    try:
        return np.array(np.broadcast_shapes(tuple(s0.tolist()), tuple(s1.tolist())), s0.dtype)
    except ValueError:
        raise invalid_argument(f"Incompatible shapes: {s0.tolist()} vs. {s1.tolist()}") from None


def _sample_dtype(op, attr):
    return np.dtype(op.get_attr(attr).as_numpy_dtype)


register("RandomShuffle", same_as_input(),
         _stream_kernel(lambda stream, op, value: _kernels().random_shuffle(stream, value)),
         stateful=True, input_names=("value",), attr_defaults={"seed": 0, "seed2": 0})
register("Multinomial", _multinomial_infer,
         _stream_kernel(lambda stream, op, logits, num_samples: _kernels().multinomial(
             stream, logits, num_samples, _sample_dtype(op, "output_dtype"), _kernels().tensorflow_cpu_threads())),
         stateful=True, input_names=("logits", "num_samples"),
         attr_defaults={"seed": 0, "seed2": 0, "output_dtype": dtypes.int64})
register("RandomGamma", _samples_infer("T"),
         _stream_kernel(lambda stream, op, shape, alpha: _kernels().random_gamma(
             stream, _output_shape(shape), alpha, _sample_dtype(op, "T"))),
         stateful=True, input_names=("shape", "alpha"), attr_defaults={"seed": 0, "seed2": 0})
register("RandomPoissonV2", _samples_infer("dtype"),
         _stream_kernel(lambda stream, op, shape, rate: _kernels().random_poisson(
             stream, _output_shape(shape), rate, _sample_dtype(op, "dtype"))),
         stateful=True, input_names=("shape", "rate"),
         attr_defaults={"seed": 0, "seed2": 0, "R": dtypes.float64, "dtype": dtypes.int64})
register("RandomGammaGrad", binary_infer(), pure(lambda alpha, sample: _kernels().random_gamma_grad(alpha, sample)),
         input_names=("alpha", "sample"))
def _broadcast_args_static_value(op):
    s0, s1 = (tensor_util.constant_value(t) for t in op.inputs)
    return None if s0 is None or s1 is None else _broadcast_args(s0, s1)


# BroadcastArgs is an array op (random_gamma's and linspace's, in sequence_ops); it is registered here, its first user.
register("BroadcastArgs", _broadcast_args_infer, pure(_broadcast_args), input_names=("s0", "s1"),
         static_value=_broadcast_args_static_value)
for _op_type in ("RandomShuffle", "Multinomial", "RandomPoissonV2", "RandomGammaGrad", "BroadcastArgs"):
    no_gradient(_op_type)


@RegisterGradient("RandomGamma")
def _random_gamma_grad(op, grad):
    """d sample / d alpha by implicit differentiation (Figurnov et al., 2018), summed over the sample dims."""
    shape, alpha = op.inputs
    with ops.control_dependencies([grad]):
        num_sample_dimensions = array_ops.shape(shape)[0]
        leading_ones = array_ops.ones(array_ops.stack([num_sample_dimensions]), dtype=dtypes.int32)
        alpha_broadcastable = array_ops.reshape(alpha, array_ops.concat([leading_ones, array_ops.shape(alpha)], 0))
        partial_a = apply_op_1("RandomGammaGrad", [alpha_broadcastable, op.outputs[0]], {"T": alpha.dtype})
        return None, math_ops.reduce_sum(grad * partial_a, axis=array_ops.range(num_sample_dimensions))


def random_shuffle(value, seed=None, name=None):
    """``tf.random_shuffle``: ``value`` with its first dimension permuted, as TensorFlow permutes it."""
    attrs = _seed_attrs(seed)
    with ops.name_scope(name or "RandomShuffle") as scope:
        value = value if isinstance(value, ops.Tensor) else ops.convert_to_tensor(value, name="value")
    attrs["T"] = value.dtype.base_dtype
    return apply_op_1("RandomShuffle", [value], attrs, scope)


def _categorical(logits, num_samples, dtype, seed):
    logits = ops.convert_to_tensor(logits, name="logits")
    dtype = dtypes.as_dtype(dtype) if dtype else dtypes.int64
    if dtype not in (dtypes.int32, dtypes.int64):
        raise ValueError(f"Argument `dtype` got invalid value {dtype}. Accepted dtypes are "
                         f"{(dtypes.int32, dtypes.int64)}.")
    attrs = _seed_attrs(seed)
    attrs.update({"T": logits.dtype.base_dtype, "output_dtype": dtype})
    return apply_op_1("Multinomial", [logits, num_samples], attrs)


def multinomial(logits, num_samples, seed=None, name=None, output_dtype=None):
    """``tf.multinomial``: ``num_samples`` class indices per row of ``logits`` ([batch, classes] log-odds)."""
    with ops.name_scope(name, "multinomial", [logits]):
        return _categorical(logits, num_samples, output_dtype, seed)


def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """``tf.random.categorical``: ``tf.multinomial`` under its newer name (same op, same values)."""
    with ops.name_scope(name, "categorical", [logits]):
        return _categorical(logits, num_samples, dtype, seed)


def random_gamma(shape, alpha, beta=None, dtype=dtypes.float32, seed=None, name=None):
    """``tf.random_gamma``: ``shape + broadcast(alpha, beta).shape`` samples of Gamma(alpha, rate beta)."""
    dtype = dtypes.as_dtype(dtype)
    with ops.name_scope(name, "random_gamma", [shape, alpha, beta]):
        shape = ops.convert_to_tensor(shape, name="shape", dtype=dtypes.int32)
        alpha = ops.convert_to_tensor(alpha, name="alpha", dtype=dtype)
        beta = ops.convert_to_tensor(beta if beta is not None else 1, name="beta", dtype=dtype)
        broadcast_shape = apply_op_1("BroadcastArgs", [array_ops.shape(alpha), array_ops.shape(beta)],
                                     {"T": dtypes.int32})
        alpha_broadcast = array_ops.broadcast_to(alpha, broadcast_shape)
        alpha_broadcast.set_shape(_broadcast_static(alpha.shape, beta.shape))  # TensorFlow folds it statically
        attrs = _seed_attrs(seed)
        attrs.update({"S": dtypes.int32, "T": dtype})
        samples = apply_op_1("RandomGamma", [shape, alpha_broadcast], attrs)
        return math_ops.maximum(np.finfo(dtype.as_numpy_dtype).tiny, samples / beta)


def _broadcast_static(a, b):
    """The static broadcast of two TensorShapes (unknown where either is)."""
    try:
        return broadcast_shapes(a, b)
    except ValueError:
        return tensor_shape.unknown_shape()


def random_poisson(lam, shape, dtype=dtypes.float32, seed=None, name=None):
    """``tf.random_poisson``: ``shape + lam.shape`` samples of Poisson(lam), as ``dtype``."""
    with ops.name_scope(name, "random_poisson", [lam, shape]):
        shape = ops.convert_to_tensor(shape, name="shape", dtype=dtypes.int32)
        attrs = _seed_attrs(seed)
        with ops.name_scope("RandomPoissonV2") as scope:
            rate = lam if isinstance(lam, ops.Tensor) else ops.convert_to_tensor(lam, name="rate")
        attrs.update({"S": dtypes.int32, "R": rate.dtype.base_dtype, "dtype": dtypes.as_dtype(dtype)})
        return apply_op_1("RandomPoissonV2", [shape, rate], attrs, scope)
