"""Records TensorFlow 2.21's raw random kernels for tests/test_philox.py.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_philox.py
Writes tests/golden/philox.json.

Every case is one raw op (RandomUniform, RandomUniformInt, RandomStandardNormal, TruncatedNormal) created with
explicit ``seed``/``seed2`` attrs, so no Python wrapper arithmetic is involved, and run several times in one
Session: run k starts (k-1) * N * 256 Philox blocks after the first. Results are stored as their raw bytes
(little-endian hex) when small, otherwise as the sha256 of those bytes plus the hex of the first 8 elements.
It also records the C library's logf/sinf/cosf on inputs where they are not correctly rounded (``libm``).

With ``--dump DIR`` it also saves the large draws as .npy files (not kept in the repository) for comparing
them element by element with minitf's when a hash disagrees.
"""
import argparse
import ctypes
import hashlib
import json
import os
import platform

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.python.ops import gen_random_ops

tf.disable_v2_behavior()
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "philox.json")
FULL_BYTES_LIMIT = 512
HEAD_ELEMENTS = 8

SHAPES = [[], [1], [3], [4], [5], [7], [1000], [3, 2], [2, 3, 4, 5], [0], [2, 0]]
FEW_SHAPES = [[], [5], [7], [1000]]
SEEDS = [(87654321, 2), (2, 0), (0, 2147483647), (2**40 + 7, 2**33 + 5), (-3, -1)]
FLOATS = ["float16", "float32", "float64"]
INT_RANGES = [("int32", -5, 17), ("int32", -2**31, 2**31 - 1), ("int64", -5, 17),
              ("int64", -2**63, 2**63 - 1), ("int64", 0, 2**40 + 3)]
LARGE = [("RandomUniform", "float32", [1000003], None), ("RandomUniform", "float64", [250001], None),
         ("RandomUniformInt", "int64", [250001], (-2**63, 2**63 - 1)),
         ("RandomStandardNormal", "float32", [1000001], None), ("RandomStandardNormal", "float64", [200001], None),
         ("TruncatedNormal", "float32", [1000001], None), ("TruncatedNormal", "float64", [200001], None),
         ("RandomStandardNormal", "float16", [100001], None), ("TruncatedNormal", "float16", [100001], None)]


def make_op(op_type, dtype, shape, seed, seed2, bounds):
    shape_t = tf.constant(shape, dtype=tf.int32 if op_type != "RandomUniformInt" else tf.int64)
    if op_type == "RandomUniformInt":
        lo, hi = bounds
        return gen_random_ops.random_uniform_int(shape_t, tf.constant(lo, dtype), tf.constant(hi, dtype),
                                                 seed=seed, seed2=seed2)
    function = {"RandomUniform": gen_random_ops.random_uniform,
                "RandomStandardNormal": gen_random_ops.random_standard_normal,
                "TruncatedNormal": gen_random_ops.truncated_normal}[op_type]
    return function(shape_t, dtype, seed=seed, seed2=seed2)


def record(array):
    raw = np.ascontiguousarray(array).tobytes()
    if len(raw) <= FULL_BYTES_LIMIT:
        return {"hex": raw.hex()}
    head = np.ascontiguousarray(array.reshape(-1)[:HEAD_ELEMENTS]).tobytes()
    return {"sha256": hashlib.sha256(raw).hexdigest(), "head": head.hex()}


def cases():
    for seed, seed2 in SEEDS:
        shapes = SHAPES if (seed, seed2) == SEEDS[0] else FEW_SHAPES
        for shape in shapes:
            for dtype in FLOATS:
                for op_type in ("RandomUniform", "RandomStandardNormal", "TruncatedNormal"):
                    yield op_type, dtype, shape, seed, seed2, None, 2
            for dtype, lo, hi in INT_RANGES:
                yield "RandomUniformInt", dtype, shape, seed, seed2, (lo, hi), 2
    for op_type, dtype, shape, bounds in LARGE:
        yield op_type, dtype, shape, 87654321, 5, bounds, 2 if op_type == "TruncatedNormal" else 1


# Inputs whose double-precision glibc value lies nearest a float32 rounding boundary (found by minitf's
# emulation over all 2**23 inputs), so that minitf must take them from the C library.
NEAR_BOUNDARY = {"logf": [0x3E7A91C8, 0x3EA2A578, 0x3F09B264, 0x3F0DC64E, 0x3F5B7156, 0x3F7FFFF4, 0x3F7FFFFE],
                 "sinf": [0x3ED3E62D, 0x401101D8, 0x40490FDB, 0x404F30EC, 0x406A121A, 0x406BE137, 0x408B5E79],
                 "cosf": [0x3FC90FDB, 0x400EE16A, 0x4011F748, 0x40124DE2, 0x401F1A5B, 0x408E5CC2, 0x40913DCE]}
LIBM_SAMPLE, LIBM_KEPT = 100_000, 256


def libm_cases():
    """The C library's logf/sinf/cosf (the ones TensorFlow's Box-Muller calls) on inputs Box-Muller can pass.

    Kept: inputs where glibc's float result is not the correctly rounded one (so that only glibc's own algorithm
    reproduces it), and the NEAR_BOUNDARY inputs. Stored as float32 bit patterns, inputs and results.
    """
    libm = ctypes.CDLL("libm.so.6")
    rng = np.random.default_rng(2021)
    mantissas = rng.integers(1, 2**23, LIBM_SAMPLE, dtype=np.uint32)
    log_inputs = mantissas.astype(np.float32) * np.float32(2.0**-23)  # U(x0) for x0 != 0
    trig_inputs = (mantissas.astype(np.float64) * (2 * np.pi * 2.0**-23)).astype(np.float32)  # 2*pi*U(x1)
    cases = {}
    for name, inputs, exact in (("logf", log_inputs, np.log), ("sinf", trig_inputs, np.sin),
                                ("cosf", trig_inputs, np.cos)):
        function = getattr(libm, name)
        function.restype, function.argtypes = ctypes.c_float, [ctypes.c_float]
        values = np.array([function(x) for x in inputs.tolist()], np.float32)
        wrong = np.flatnonzero(exact(inputs.astype(np.longdouble)).astype(np.float32) != values)[:LIBM_KEPT]
        near = np.array(NEAR_BOUNDARY[name], np.uint32).view(np.float32)
        chosen = np.concatenate([inputs[wrong], near])
        results = np.array([function(x) for x in chosen.tolist()], np.float32)
        cases[name] = {"inputs": chosen.view(np.uint32).tolist(), "results": results.view(np.uint32).tolist(),
                       "not_correctly_rounded": int(wrong.size)}
    return cases


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dump", help="also save the large draws as .npy files in this directory")
    args = parser.parse_args()
    results = []
    graph = tf.Graph()
    with graph.as_default():
        ops = [(case, make_op(*case[:6])) for case in cases()]
        with tf.Session() as sess:
            for (op_type, dtype, shape, seed, seed2, bounds, runs), op in ops:
                outputs = [sess.run(op) for _ in range(runs)]
                entry = {"op": op_type, "dtype": dtype, "shape": shape, "seed": seed, "seed2": seed2,
                         "runs": [record(out) for out in outputs]}
                if bounds:
                    entry["minval"], entry["maxval"] = bounds
                results.append(entry)
                if args.dump and outputs[0].size > 100000:
                    name = f"{op_type}_{dtype}_{outputs[0].size}.npy"
                    np.save(os.path.join(args.dump, name), outputs[0])
    with open(OUT, "w") as out:
        json.dump({"tensorflow": tf.__version__, "glibc": platform.libc_ver()[1], "cases": results,
                   "libm": libm_cases()}, out, indent=0)
        out.write("\n")
    print(f"wrote {len(results)} cases to {OUT}")


if __name__ == "__main__":
    main()
