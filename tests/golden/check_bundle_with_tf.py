"""Checks that TensorFlow reads checkpoints written by minitf.

Two steps, each in its own interpreter (minitf never runs beside TensorFlow):

    python3 tests/golden/check_bundle_with_tf.py write DIR          # minitf writes DIR/ckpt and DIR/expected.npz
    ~/tfref/bin/python tests/golden/check_bundle_with_tf.py check DIR  # TensorFlow loads DIR/ckpt and compares

The checkpoint holds every dtype minitf saves, strings (empty, long, non-ASCII), scalars, empty tensors, a 64 MiB
tensor, and enough long names to need several index blocks. ``check`` prints one line per kind of check and
exits non-zero on the first mismatch.
"""

import os
import sys

import numpy as np


def tensors_to_save():
    rng = np.random.default_rng(7)
    tensors = {
        "float16": rng.standard_normal((3, 4)).astype(np.float16),
        "float32": rng.standard_normal((5, 7)).astype(np.float32),
        "float64/scalar": np.float64(-1.5e-300),
        "int8": np.array([-128, 0, 127], np.int8),
        "int16": np.array([[-32768], [32767]], np.int16),
        "int32": np.arange(-5, 5, dtype=np.int32),
        "int64": np.array([-(2**63), 2**63 - 1], np.int64),
        "uint8": np.arange(256, dtype=np.uint8).reshape(16, 16),
        "uint16": np.array([0, 65535], np.uint16),
        "uint32": np.array([2**32 - 1], np.uint32),
        "uint64": np.array([2**64 - 1, 1], np.uint64),
        "bool": np.array([[True, False, True]]),
        "complex64": np.array([1 - 2j, 3.5j], np.complex64),
        "complex128": np.array([[1e-200 + 1e200j]], np.complex128),
        "empty/float32": np.zeros((0, 4), np.float32),
        "empty/string": np.zeros((2, 0), dtype=object),
        "string/scalar": np.array("h\u00e9llo w\u00f6rld", dtype=object),
        "string/vector": np.array([b"ab", b"", b"xyz", b"\x00" * 300], dtype=object),
        "big/float32": rng.standard_normal(16 * 2**20).astype(np.float32),
        "fortran_order": np.asfortranarray(np.arange(12, dtype=np.float64).reshape(3, 4)),
        "big_endian": np.arange(6, dtype=">i4"),
    }
    for i in range(300):  # about 300 KB of index entries: more than one 256 KiB data block
        tensors["layer_%03d/%s" % (i, "w" * 1000)] = np.full((2,), i, np.int64)
    return tensors


def write(directory):
    from minitf.io.bundle import write_bundle

    tensors = tensors_to_save()
    write_bundle(os.path.join(directory, "ckpt"), tensors)
    expected = {}
    for i, (name, value) in enumerate(sorted(tensors.items())):
        value = np.asarray(value)
        if value.dtype == object:  # strings come back as bytes
            value = np.array([s.encode() if isinstance(s, str) else s for s in value.reshape(-1)],
                             dtype=object).reshape(value.shape)
        expected["name_%d" % i] = np.array(name)
        expected["value_%d" % i] = value.astype(value.dtype.newbyteorder("="))
    np.savez(os.path.join(directory, "expected.npz"), **expected)
    print("wrote", os.path.join(directory, "ckpt"), "with", len(tensors), "tensors")


def check(directory):
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()
    expected = np.load(os.path.join(directory, "expected.npz"), allow_pickle=True)  # written by write() above
    wanted = {str(expected["name_%d" % i]): expected["value_%d" % i] for i in range(len(expected.files) // 2)}
    reader = tf.train.load_checkpoint(os.path.join(directory, "ckpt"))
    shapes = reader.get_variable_to_shape_map()
    dtypes = reader.get_variable_to_dtype_map()
    assert sorted(shapes) == sorted(wanted), "tensor names differ"
    print("names: %d match" % len(wanted))
    for name, value in wanted.items():
        got = np.asarray(reader.get_tensor(name))
        assert shapes[name] == list(value.shape), (name, shapes[name], value.shape)
        if value.dtype == object:
            assert dtypes[name] == tf.string, (name, dtypes[name])
            assert got.astype(object).tolist() == value.tolist(), name
        else:
            assert dtypes[name].as_numpy_dtype == value.dtype, (name, dtypes[name], value.dtype)
            assert got.dtype == value.dtype and got.tobytes() == value.tobytes(), name
    print("values: all %d tensors identical (dtype, shape, bytes)" % len(wanted))

    # The TF1 restore path: RestoreV2 ops in a graph, as Saver.restore runs them.
    names = sorted(n for n in wanted if wanted[n].dtype != object)
    with tf.Graph().as_default(), tf.Session() as sess:
        restored = sess.run(tf.raw_ops.RestoreV2(
            prefix=os.path.join(directory, "ckpt"), tensor_names=names, shape_and_slices=[""] * len(names),
            dtypes=[dtypes[n] for n in names]))
    for name, value in zip(names, restored):
        assert np.asarray(value).tobytes() == wanted[name].tobytes(), name
    print("RestoreV2: %d numeric tensors identical" % len(names))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("write", "check"):
        sys.exit(__doc__)
    {"write": write, "check": check}[sys.argv[1]](sys.argv[2])
