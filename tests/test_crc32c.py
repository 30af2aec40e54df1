"""CRC32C and its TensorFlow masking: known vectors, and the numpy fallback against the native library."""

import numpy as np
import pytest

from minitf.io import crc32c as crc


def test_check_value_and_known_vectors():
    # The CRC-32C check value and RFC 3720 (iSCSI) B.4 vectors.
    assert crc.crc32c(b"123456789") == 0xE3069283
    assert crc.crc32c(bytes(32)) == 0x8A9136AA
    assert crc.crc32c(b"\xff" * 32) == 0x62A8AB43
    assert crc.crc32c(bytes(range(32))) == 0x46DD794E


def test_mask_matches_tensorflow_and_inverts():
    # TensorFlow's crc32c::Mask(0) == kMaskDelta, and Unmask(Mask(x)) == x.
    assert crc.mask_crc32c(0) == 0xA282EAD8
    for value in (0, 1, 0xE3069283, 0xFFFFFFFF):
        assert crc.unmask_crc32c(crc.mask_crc32c(value)) == value
    assert crc.masked_crc32c(b"123456789") == crc.mask_crc32c(0xE3069283)


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 10_000, 1 << 20])
def test_numpy_fallback_equals_native(size):
    data = np.random.default_rng(size).integers(0, 256, size, dtype=np.uint8).tobytes()
    native = crc.crc32c(data)
    assert crc._numpy_crc32c(memoryview(data), 0) == native
    # continuing a CRC over a second piece gives the CRC of the concatenation
    assert crc.crc32c(data[size // 3:], crc.crc32c(data[:size // 3])) == native
