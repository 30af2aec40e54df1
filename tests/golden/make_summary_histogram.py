"""Records TensorFlow 2.21's HistogramSummary on values at and around its bucket limits, for
tests/test_summary_histogram.py: every bucket boundary exactly, one ulp below and above each, zeros of both signs,
subnormals, -DBL_MAX, and 5000 values spread over 600 decades. +DBL_MAX is left out: it equals the last limit,
so TensorFlow's kernel counts it one past the end of its bucket array and corrupts its heap (malloc aborts).
The golden holds the SHA-256 and length of each serialized Summary (the full bytes would be ~300 kB).

The inputs are built by ``edge_cases(np)`` below, without random generators, so the test rebuilds them
bit for bit. Run with the reference venv:  ~/tfref/bin/python tests/golden/make_summary_histogram.py
(writes tests/golden/summary_histogram.json)
"""
import hashlib
import json
import os


def bucket_limits(np):
    """TensorFlow's default histogram bucket limits (histogram.cc InitDefaultBucketsInner)."""
    positive, v = [], 1e-12
    while v < 1e20:
        positive.append(v)
        v *= 1.1
    positive.append(np.finfo(np.float64).max)
    return np.array([-x for x in reversed(positive)] + [0.0] + positive)


def edge_cases(np):
    limits = bucket_limits(np)
    finite = lambda x: x[np.isfinite(x)]  # noqa: E731
    dbl_max, tiny = np.finfo(np.float64).max, np.finfo(np.float64).smallest_subnormal
    index = np.arange(5000)
    mantissa = 0.5 + (index * 2654435761 % 2**32) / 2.0**33
    spread = np.ldexp(mantissa, index * 7919 % 2000 - 1000) * np.where(index % 3 == 0, -1.0, 1.0)
    with np.errstate(over="ignore"):  # the infinities next to +-DBL_MAX are dropped
        below, above, limits32 = np.nextafter(limits, -np.inf), np.nextafter(limits, np.inf), limits.astype(np.float32)
    return {
        "at_limits": limits[:-1],
        "ulp_below_limits": finite(below),
        "ulp_above_limits": finite(above),
        "zeros_and_subnormals": np.array([0.0, -0.0, tiny, -tiny, 1e-310, -1e-310, 1e-300, -1e-300,
                                          np.nextafter(1e-12, 0), -np.nextafter(1e-12, 0)]),
        "huge": np.array([np.nextafter(dbl_max, 0), -dbl_max, 1e300, -1e300, 1e20, -1e20, np.nextafter(1e20, 0)]),
        "spread_over_600_decades": spread,
        "float32_limits": finite(limits32),
        "int64": np.array([-7, 0, 0, 1, 2, 3, 1000000, -1000000, 2**40], np.int64),
        # TensorFlow's kernels run with denormals flushed (FTZ and DAZ): a subnormal compares as zero, adds nothing,
        # a float32 subnormal becomes a signed zero, and squares and sums below DBL_MIN become 0.
        "subnormal_min_keeps_its_bits": np.array([1.0, -tiny, 2.0]),
        "signed_zeros_first_wins": np.array([-0.0, 0.0, 0.0, -0.0]),
        "sum_flushed_to_zero": np.array([3e-308, -2.9e-308]),
        "sum_flushed_to_negative_zero": np.array([3e-308, -3.1e-308]),
        "sum_flushed_twenty_times": np.tile([3e-308, -2.9e-308, 1.0, -1.0], 20),
        "sum_flushed_midway": np.array([3e-308, -2.9e-308, 1e-300, 5e-324, 2.5e-308, -2.5e-308, 1e-310]),
        "squares_flushed": np.array([1e-160, -1e-160, 2e-154, 1e-300]),
        "float32_subnormals": np.array([-1e-40, 1.0, 1e-40, 1e-45, -1e-45, 1e-38], np.float32),
    }


if __name__ == "__main__":
    import numpy as np
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()
    golden = {}
    for name, values in edge_cases(np).items():
        with tf.Graph().as_default(), tf.Session() as sess:
            serialized = sess.run(tf.summary.histogram(name, tf.constant(values)))
        golden[name] = {"sha256": hashlib.sha256(serialized).hexdigest(), "length": len(serialized)}
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "summary_histogram.json"), "w") as f:
        json.dump(golden, f, indent=1)
    print("recorded", len(golden), "cases")
