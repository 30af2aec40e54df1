"""glibc's ``logf``/``sincosf`` and ``log``/``sin``/``cos``, reproduced in numpy for TensorFlow's Box-Muller normal
samples (how and why: ``philox``'s module docstring), with the per-thread scratch arrays both modules compute in."""

import ctypes
import threading

import numpy as np

_U64 = np.uint64


class _Scratch(threading.local):
    """Per-thread work arrays, reused from chunk to chunk: ``scratch(name, n, dtype)`` is an array of ``n``.

    Each name belongs to one step of one function, and its contents live only until that step runs again.
    A thread that has drawn large normal samples keeps about 11 MB of them.
    """

    def __init__(self):
        self.arrays = {}

    def __call__(self, name, n, dtype):
        array = self.arrays.get(name)
        if array is None or array.size < n:
            array = self.arrays[name] = np.empty(-(-n // 4096) * 4096, dtype)
        return array[:n]



scratch = _Scratch()


def _load_libm():
    """glibc's libm through ctypes, or None where there is none."""
    import ctypes.util  # loads subprocess: imported only when a kernel first needs libm
    for name in ("libm.so.6", ctypes.util.find_library("m")):
        if not name:
            continue
        try:
            lib = ctypes.CDLL(name)
            for function, ctype in (("logf", ctypes.c_float), ("sinf", ctypes.c_float), ("cosf", ctypes.c_float),
                                    ("log1pf", ctypes.c_float), ("expm1f", ctypes.c_float),
                                    ("log", ctypes.c_double), ("sin", ctypes.c_double), ("cos", ctypes.c_double)):
                getattr(lib, function).restype = ctype
                getattr(lib, function).argtypes = [ctype]
        except (OSError, AttributeError):
            continue
        return lib
    return None


def _call_each(function, values, dtype):
    return np.array([function(x) for x in values.tolist()], dtype)


def _hex_floats(text):
    return np.array([float.fromhex(word) for word in text.split()])


class Float32Libm:
    """glibc's ``logf`` and ``sincosf`` (sysdeps/ieee754/flt-32, glibc >= 2.28) evaluated in numpy float64.

    Both compute a double ``y`` from a small table and a polynomial and return ``(float)y``. Here the same
    operations run in the same order, without fused multiply-adds (glibc's x86-64 build may use them), so ``y``
    can differ from glibc's in its last bits; the float32 result can then differ only when ``y`` is within a
    few double ulps of a float32 rounding boundary, and those elements are taken from ``libm``. Over all 2**23
    inputs TensorFlow's Box-Muller can pass, this matches glibc 2.36 exactly. Results are scratch arrays.
    The tables and coefficients are glibc's (e_logf_data.c, s_sincosf_data.c, from Arm's optimized-routines).
    """

    _LOG_INVC = _hex_floats("""
        0x1.661ec79f8f3bep+0 0x1.571ed4aaf883dp+0 0x1.49539f0f010bp+0 0x1.3c995b0b80385p+0 0x1.30d190c8864a5p+0
        0x1.25e227b0b8eap+0 0x1.1bb4a4a1a343fp+0 0x1.12358f08ae5bap+0 0x1.0953f419900a7p+0 0x1p+0
        0x1.e608cfd9a47acp-1 0x1.ca4b31f026aap-1 0x1.b2036576afce6p-1 0x1.9c2d163a1aa2dp-1 0x1.886e6037841edp-1
        0x1.767dcf5534862p-1""")
    _LOG_LOGC = _hex_floats("""
        -0x1.57bf7808caadep-2 -0x1.2bef0a7c06ddbp-2 -0x1.01eae7f513a67p-2 -0x1.b31d8a68224e9p-3
        -0x1.6574f0ac07758p-3 -0x1.1aa2bc79c81p-3 -0x1.a4e76ce8c0e5ep-4 -0x1.1973c5a611cccp-4
        -0x1.252f438e10c1ep-5 0x0p+0 0x1.aa5aa5df25984p-5 0x1.c5e53aa362eb4p-4 0x1.526e57720db08p-3
        0x1.bc2860d22477p-3 0x1.1058bc8a07ee1p-2 0x1.4043057b6ee09p-2""")
    _LN2 = float.fromhex("0x1.62e42fefa39efp-1")
    _LOG_POLY = tuple(_hex_floats("-0x1.00ea348b88334p-2 0x1.5575b0be00b6ap-2 -0x1.ffffef20a4123p-2"))
    _LOG_OFF = 0x3F330000
    _INV_HALF_PI_2_24 = float.fromhex("0x1.45F306DC9C883p+23")  # 2/pi * 2**24: the quadrant lands in bits 24+
    _HALF_PI = float.fromhex("0x1.921FB54442D18p0")  # 50 significant bits: n * pi/2 is exact for n <= 4
    _COS_POLY = tuple(_hex_floats("-0x1.ffffffd0c621cp-2 0x1.55553e1068f19p-5 -0x1.6c087e89a359dp-10"
                                  " 0x1.99343027bf8c3p-16"))
    _SIN_POLY = tuple(_hex_floats("-0x1.555545995a603p-3 0x1.1107605230bc4p-7 -0x1.994eb3774cf24p-13"))
    # Inputs where glibc's logf/sinf/cosf are not correctly rounded: a libm that agrees with the emulation on
    # all of them runs glibc's algorithms.
    _CHECK_LOG = [0x3E2A6850, 0x3E9A3B88, 0x3EE356CC, 0x3F49B914, 0x3F519B62, 0x3F71E0B0, 0x3F79C874, 0x3F7C4344]
    _CHECK_SIN = [0x401A64B2, 0x40567142, 0x40582973, 0x4066E2BF, 0x406B92D6, 0x4077C615, 0x40B65C09, 0x40C11A2A]
    _CHECK_COS = [0x3F567BEC, 0x3F83385D, 0x3F8619D4, 0x3FA689BE, 0x3FE625EB, 0x4080E8D3, 0x40A12CD8, 0x40A2CF9A]

    def __init__(self, libm):
        self.libm = libm
        self.emulate = libm is None or self._agrees_with(libm)

    def log(self, x):
        """``logf`` of a float32 array of positive normal numbers."""
        if not self.emulate:
            return _call_each(self.libm.logf, x, np.float32)
        y = self._log_double(x)
        out = scratch("logf.out", x.size, np.float32)
        np.copyto(out, y, casting="same_kind")
        self._patch(out, y, x, "logf")
        return out

    def sincos(self, x):
        """``sincosf`` of a float32 array with values in [0, 120): ``(sin, cos)``.

        glibc reduces ``x = r + n*pi/2`` (|r| <= pi/4) and evaluates a sine polynomial ``S(r)`` and a cosine
        polynomial ``C(r)``; quadrant ``q = n & 3`` makes ``(sin, cos)`` = ``(S, C)``, ``(C, -S)``, ``(-S, -C)``
        or ``(-C, S)``, done here on the float32 bits: swap where ``q`` is odd, then flip the sign bits.
        """
        if not self.emulate:
            return _call_each(self.libm.sinf, x, np.float32), _call_each(self.libm.cosf, x, np.float32)
        n = x.size
        quadrant = scratch("sincosf.quadrant", n, np.int32)
        sin_poly, cos_poly = self._polynomials(x, quadrant)
        sin, cos = scratch("sinf.out", n, np.float32), scratch("cosf.out", n, np.float32)
        np.copyto(sin, sin_poly, casting="same_kind")
        np.copyto(cos, cos_poly, casting="same_kind")
        sin_bits, cos_bits, quadrant_bits = sin.view(np.uint32), cos.view(np.uint32), quadrant.view(np.uint32)
        swap, sign = scratch("sincosf.swap", n, np.uint32), scratch("sincosf.sign", n, np.uint32)
        np.bitwise_and(quadrant_bits, 1, out=swap)
        np.negative(swap, out=swap)  # all ones where q is odd
        swap &= np.bitwise_xor(sin_bits, cos_bits, out=sign)
        sin_bits ^= swap
        cos_bits ^= swap
        np.bitwise_and(quadrant_bits, 2, out=sign)
        sign <<= 30
        sin_bits ^= sign  # q = 2, 3: -sin
        quadrant_bits += 1
        np.bitwise_and(quadrant_bits, 2, out=sign)
        sign <<= 30
        cos_bits ^= sign  # q = 1, 2: -cos
        if self.libm is not None:
            near = np.flatnonzero(near_float32_boundary(sin_poly) | near_float32_boundary(cos_poly, "near.cos"))
            if near.size:
                sin[near] = _call_each(self.libm.sinf, x[near], np.float32)
                cos[near] = _call_each(self.libm.cosf, x[near], np.float32)
        return sin, cos

    def _log_double(self, x):
        """glibc ``__logf`` before its final rounding: ``log(x) = log1p(z/c - 1) + log(c) + k*ln2``."""
        n = x.size
        ix = x.view(np.int32)
        tmp, index, k = (scratch("logf." + name, n, np.int32) for name in ("tmp", "index", "k"))
        z, r, y0, y, t = (scratch("logf." + name, n, np.float64) for name in ("z", "r", "y0", "y", "t"))
        np.subtract(ix, np.int32(self._LOG_OFF), out=tmp)
        np.right_shift(tmp, 19, out=index)
        index &= 15
        np.right_shift(tmp, 23, out=k)
        tmp &= np.int32(-0x800000)
        np.subtract(ix, tmp, out=tmp)  # the bits of z, x scaled into [OFF, 2*OFF)
        np.copyto(z, tmp.view(np.float32))
        np.take(self._LOG_INVC, index, out=r, mode="clip")
        r *= z
        r -= 1.0  # r = z/c - 1
        np.multiply(k, self._LN2, out=y0)
        y0 += np.take(self._LOG_LOGC, index, out=t, mode="clip")  # y0 = log(c) + k*ln2
        a0, a1, a2 = self._LOG_POLY
        r2 = np.multiply(r, r, out=z)
        np.multiply(r, a1, out=y)
        y += a2
        y += np.multiply(r2, a0, out=t)
        y *= r2
        y0 += r
        y += y0  # (a0*r2 + a1*r + a2) * r2 + (y0 + r)
        return y

    def _polynomials(self, x, quadrant):
        """The quadrant ``n`` (into ``quadrant``) and ``S(r)``, ``C(r)`` of glibc's ``sincosf``."""
        n = x.size
        wide, r, r2, r3, t, sin, cos = (scratch("sincosf." + name, n, np.float64)
                                        for name in ("wide", "r", "r2", "r3", "t", "sin", "cos"))
        np.copyto(wide, x)
        np.copyto(quadrant, np.multiply(wide, self._INV_HALF_PI_2_24, out=t), casting="unsafe")  # truncates
        quadrant += 0x800000
        quadrant >>= 24
        np.subtract(wide, np.multiply(quadrant, self._HALF_PI, out=t), out=r)  # exact: no fma can change it
        np.multiply(r, r, out=r2)
        s1, s2, s3 = self._SIN_POLY
        np.multiply(r2, r, out=r3)
        np.multiply(r3, s1, out=sin)
        sin += r  # r + r3*s1
        np.multiply(r3, r2, out=wide)  # r5
        np.multiply(r2, s3, out=t)
        t += s2
        t *= wide
        sin += t  # + r5*(s2 + r2*s3)
        c1, c2, c3, c4 = self._COS_POLY
        r4 = np.multiply(r2, r2, out=r3)
        np.multiply(r2, c1, out=cos)
        cos += 1.0
        cos += np.multiply(r4, c2, out=t)  # (1 + r2*c1) + r4*c2
        np.multiply(r4, r2, out=wide)  # r6
        np.multiply(r2, c4, out=t)
        t += c3
        t *= wide
        cos += t  # + r6*(c3 + r2*c4)
        return sin, cos

    def _patch(self, out, y, x, function):
        """Replaces the elements whose double ``y`` is too near a float32 rounding boundary by libm's value."""
        if self.libm is None:
            return
        near = np.flatnonzero(near_float32_boundary(y))
        if near.size:
            out[near] = _call_each(getattr(self.libm, function), x[near], np.float32)

    def _agrees_with(self, libm):
        saved, self.libm, self.emulate = self.libm, None, True
        try:
            checks = []
            for function, inputs, pick in (("logf", self._CHECK_LOG, lambda x: self.log(x)),
                                           ("sinf", self._CHECK_SIN, lambda x: self.sincos(x)[0]),
                                           ("cosf", self._CHECK_COS, lambda x: self.sincos(x)[1])):
                x = np.array(inputs, np.uint32).view(np.float32)
                checks.append(np.array_equal(pick(x), _call_each(getattr(libm, function), x, np.float32)))
        finally:
            self.libm = saved
        return all(checks)


def near_float32_boundary(y, scratch_name="near", ulps=256):
    """Where double ``y`` lies within ``ulps`` of its own ulps of a float32 rounding boundary (a midpoint).

    The 29 low mantissa bits of a double are the ones rounding to float32 drops; the midpoint is 2**28.
    """
    dropped = scratch("near.dropped", y.size, _U64)
    np.bitwise_and(y.view(_U64), _U64(0x1FFFFFFF), out=dropped)
    dropped -= _U64(0x10000000 - ulps)
    return np.less_equal(dropped, _U64(2 * ulps), out=scratch(scratch_name + ".mask", y.size, bool))


class Float64Libm:
    """glibc's double ``log``, ``sin`` and ``cos``: correctly rounded values except near rounding boundaries.

    A window is how close (in ulps) to a midpoint between two doubles the true value must be for glibc's
    result to be in doubt: its documented worst errors are 0.52 ulp (log) and 0.548 ulp (sin, cos), plus a
    margin for the error of the long double computation.
    """

    _LOG_WINDOW, _SINCOS_WINDOW = 0.03, 0.06

    def __init__(self, libm):
        self.libm = libm
        self.extended = np.finfo(np.longdouble).nmant >= 63

    def log(self, x):
        return self._evaluate(np.log, x, self.libm and self.libm.log, self._LOG_WINDOW)

    def sincos(self, x):
        return (self._evaluate(np.sin, x, self.libm and self.libm.sin, self._SINCOS_WINDOW),
                self._evaluate(np.cos, x, self.libm and self.libm.cos, self._SINCOS_WINDOW))

    def _evaluate(self, ufunc, x, libm_function, window):
        if not self.extended:
            if libm_function is None:
                return ufunc(x)
            return _call_each(libm_function, x, np.float64)
        precise = ufunc(x.astype(np.longdouble))
        rounded = precise.astype(np.float64)
        if libm_function is not None:
            ulp = np.spacing(np.abs(rounded)).astype(np.longdouble)
            offset = np.abs(precise - rounded) / ulp  # in [0, 0.5]; the midpoint is at 0.5
            power_of_two = (rounded.view(_U64) & _U64(0xFFFFFFFFFFFFF)) == 0  # a smaller ulp below
            near = np.flatnonzero((offset > 0.5 - window) | power_of_two)
            if near.size:
                rounded[near] = _call_each(libm_function, x[near], np.float64)
        return rounded


_libm_lock = threading.Lock()
_libm_state = {}


def float32_libm():
    with _libm_lock:
        if "float32" not in _libm_state:
            _libm_state["float32"] = Float32Libm(shared_libm())
        return _libm_state["float32"]


def float64_libm():
    with _libm_lock:
        if "float64" not in _libm_state:
            _libm_state["float64"] = Float64Libm(shared_libm())
        return _libm_state["float64"]


def shared_libm():
    if "libm" not in _libm_state:
        _libm_state["libm"] = _load_libm()
    return _libm_state["libm"]
