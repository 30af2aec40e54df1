"""minitf's Philox random kernels against TensorFlow 2.21's, compared as raw bits.

tests/golden/philox.json was recorded from TensorFlow's raw ops (tests/golden/make_philox.py): uniform
float16/32/64, uniform int32/int64 over small and full ranges, standard normal and truncated normal
float16/32/64, for many shapes and (seed, seed2) pairs, each run twice or more in one Session, plus draws of
10**5 to 10**6 values stored as sha256 hashes. Its ``libm`` part holds the C library's logf/sinf/cosf (which
TensorFlow's Box-Muller calls) on inputs where they are not correctly rounded, for the float32 emulation.
"""

import hashlib

import numpy as np
import pytest

from minitf.framework import errors
from minitf.ops import libm, philox
from helpers import golden

GOLDEN = golden("golden/philox.json")
KERNELS = {"RandomUniform": "uniform", "RandomUniformInt": "uniform_int", "RandomStandardNormal": "normal",
           "TruncatedNormal": "truncated_normal"}


def case_id(case):
    bounds = f"[{case['minval']},{case['maxval']})" if "minval" in case else ""
    return f"{case['op']}-{case['dtype']}{bounds}-{case['shape']}-{case['seed']},{case['seed2']}"


def run_op(stream, case):
    """One kernel call of the case's op on ``stream``, as the graph op does it."""
    shape = case["shape"]
    start = stream.reserve(int(np.prod(shape, dtype=np.int64)))
    method = getattr(stream, KERNELS[case["op"]])
    if case["op"] == "RandomUniformInt":
        return method(start, shape, np.dtype(case["dtype"]), case["minval"], case["maxval"])
    return method(start, shape, np.dtype(case["dtype"]))


def assert_same_bits(ours, recorded):
    raw = np.ascontiguousarray(ours).tobytes()
    if "hex" in recorded:
        assert raw.hex() == recorded["hex"]
    else:
        head = np.ascontiguousarray(ours.reshape(-1)[:8]).tobytes()
        assert head.hex() == recorded["head"]
        assert hashlib.sha256(raw).hexdigest() == recorded["sha256"]


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=case_id)
def test_kernel_matches_tensorflow(case):
    stream = philox.PhiloxStream(case["seed"], case["seed2"])
    for recorded in case["runs"]:
        ours = run_op(stream, case)
        assert ours.dtype == np.dtype(case["dtype"])
        assert list(ours.shape) == case["shape"]
        assert_same_bits(ours, recorded)


# Random123's known-answer vectors for Philox4x32-10: (counter words, key words, output words).
KNOWN_ANSWERS = [
    ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    ((0xFFFFFFFF,) * 4, (0xFFFFFFFF,) * 2, (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
    ((0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344), (0xA4093822, 0x299F31D0),
     (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1)),
]


@pytest.mark.parametrize("counter, key, expected", KNOWN_ANSWERS)
def test_philox_known_answers(counter, key, expected):
    assert philox.philox_blocks(key, counter, 1).tolist() == [list(expected)]


def test_first_block_of_tensorflow_stream():
    # (seed 87654321, seed2 2): TensorFlow's first block (tf_formats.md 2.1).
    key, counter = philox.philox_key(87654321), philox.initial_counter(2)
    assert key == (0x05397FB1, 0)
    assert philox.philox_blocks(key, counter, 1).tolist() == [[0x4856E12B, 0xFBDB694C, 0x473C22F6, 0xCCBDB12F]]


@pytest.mark.parametrize("start", [2**32 - 2, 2**64 - 3, 2**96 - 1, 2**128 - 2])
def test_counter_carries_across_words(start):
    key = (0x12345678, 0x9ABCDEF0)
    together = philox.philox_blocks(key, start, 5)
    one_by_one = [philox.philox_blocks(key, (start + i) % 2**128, 1)[0] for i in range(5)]
    assert np.array_equal(together, np.stack(one_by_one))
    words = [(start >> (32 * i)) & 0xFFFFFFFF for i in range(4)]
    assert np.array_equal(philox.philox_blocks(key, words, 5), together)


@pytest.mark.parametrize("counter, key, expected", KNOWN_ANSWERS)
def test_small_draws_on_python_ints_give_the_known_answers(counter, key, expected):
    start = sum(word << (32 * i) for i, word in enumerate(counter))
    assert philox._philox_small(key, start, 1).tolist() == [list(expected)]


@pytest.mark.parametrize("start", [0, 2**32 - 2, 2**64 - 3, 2**96 - 1, 2**128 - 2])
def test_small_draws_equal_the_array_version(start):
    key = (0x12345678, 0x9ABCDEF0)
    small = philox._philox_small(key, start, philox._SMALL_BLOCKS)
    assert small.dtype == np.uint32
    assert np.array_equal(small, philox.philox_blocks(key, start, philox._SMALL_BLOCKS))
    for dtype in (np.float16, np.float32, np.float64):  # one block, then more than _SMALL_BLOCKS
        for shape in ([], [3], [4 * philox._SMALL_BLOCKS + 1]):
            draw = philox.random_uniform(87654321, start, shape, dtype)
            blocks = philox.philox_blocks(philox.philox_key(87654321), start, 4 * philox._SMALL_BLOCKS + 1)
            expected = np.empty(blocks.size * (2 if dtype is np.float64 else 4) // 4, dtype)
            {np.float16: philox._uniform_float16, np.float32: philox._uniform_float32,
             np.float64: philox._uniform_float64}[dtype](blocks, expected)
            assert draw.shape == tuple(shape)
            assert np.array_equal(draw.reshape(-1), expected[:draw.size])


def test_large_draw_is_independent_of_chunking():
    key = philox.philox_key(87654321)
    whole = philox.philox_blocks(key, 7, 100_000)
    assert np.array_equal(whole[60_000:60_010], philox.philox_blocks(key, 7 + 60_000, 10))


def test_reserve_moves_on_256_blocks_per_output():
    stream = philox.PhiloxStream(-1, 2**64 + 3)  # attrs are int64, read as uint64
    assert stream.key == (0xFFFFFFFF, 0xFFFFFFFF)
    assert stream.reserve(3) == 3 << 64
    assert stream.reserve(0) == (3 << 64) + 768
    assert stream.reserve(5) == (3 << 64) + 768


def test_uniform_int_requires_minval_below_maxval():
    with pytest.raises(errors.InvalidArgumentError):
        philox.random_uniform_int(1, 0, [2], np.int32, 5, 5)


def test_unsupported_dtype_is_an_invalid_argument():
    with pytest.raises(errors.InvalidArgumentError):
        philox.random_standard_normal(1, 0, [2], np.int32)


LIBM = GOLDEN["libm"]


@pytest.mark.parametrize("with_libm", [True, False], ids=["with-libm-fallback", "emulation-alone"])
def test_float32_libm_emulation_reproduces_glibc(with_libm):
    # The recorded inputs are ones where glibc is not correctly rounded, plus the ones nearest a rounding
    # boundary: only glibc's own algorithm gives all these results.
    float32 = libm.Float32Libm(libm.shared_libm() if with_libm else None)
    assert float32.emulate
    for name in ("logf", "sinf", "cosf"):
        inputs = np.array(LIBM[name]["inputs"], np.uint32).view(np.float32)
        ours = float32.log(inputs) if name == "logf" else float32.sincos(inputs)[name == "cosf"]
        assert ours.view(np.uint32).tolist() == LIBM[name]["results"], name


def test_boundary_inputs_are_found_near_a_rounding_boundary():
    # So that the test above exercises the C library fallback.
    float32 = libm.Float32Libm(None)
    near_log = np.array(LIBM["logf"]["inputs"][-7:], np.uint32).view(np.float32)
    assert libm.near_float32_boundary(float32._log_double(near_log)).all()
    for name in ("sinf", "cosf"):
        near = np.array(LIBM[name]["inputs"][-7:], np.uint32).view(np.float32)
        sin_poly, cos_poly = float32._polynomials(near, np.empty(7, np.int32))
        assert (libm.near_float32_boundary(sin_poly) | libm.near_float32_boundary(cos_poly, "cos")).all()


NORMAL_CASES = [case for case in GOLDEN["cases"]
                if case["op"] in ("RandomStandardNormal", "TruncatedNormal") and np.prod(case["shape"]) <= 1000]


@pytest.mark.parametrize("mode", ["numpy-only", "libm-per-element"])
def test_normals_through_the_other_libm_paths(monkeypatch, mode):
    # Without a C library the numpy computation stands alone; with a libm that fails the self-check every value
    # comes from it. Both give TensorFlow's bits here.
    float32 = libm.Float32Libm(None) if mode == "numpy-only" else libm.Float32Libm(libm.shared_libm())
    float64 = libm.Float64Libm(None if mode == "numpy-only" else libm.shared_libm())
    if mode == "libm-per-element":
        float32.emulate = False
        float64.extended = False
    monkeypatch.setitem(libm._libm_state, "float32", float32)
    monkeypatch.setitem(libm._libm_state, "float64", float64)
    for case in NORMAL_CASES:
        if mode == "numpy-only" and case["dtype"] == "float64":
            continue  # numpy's long double rounding alone is not glibc's in about 1 value in 10**4
        stream = philox.PhiloxStream(case["seed"], case["seed2"])
        for recorded in case["runs"]:
            assert_same_bits(run_op(stream, case), recorded)
