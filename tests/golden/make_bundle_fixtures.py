"""Writes the TensorFlow checkpoint fixtures used by tests/test_bundle.py.

Run with the reference TensorFlow (never imported by the test suite):

    ~/tfref/bin/python tests/golden/make_bundle_fixtures.py

Produces, in tests/fixtures/:
- ``ckpt_saver/model-7.{index,data-00000-of-00001}``: ``tf.train.Saver`` on variables of several dtypes.
- ``ckpt_raw.{index,data-00000-of-00001}``: ``tf.raw_ops.SaveV2`` on constants of every numpy-backed dtype,
  string tensors (empty strings, a 200-byte string, UTF-8), empty and scalar tensors, and enough names
  with shared prefixes to span several restart points of the index block.
- ``ckpt_golden.json``: what TensorFlow reads back from each fixture (dtype, shape, raw value bytes),
  the SHA-256 of a multi-block index TensorFlow writes (too big to store), and the error class
  TensorFlow raises for each kind of damage the tests also apply.
"""

import base64
import hashlib
import json
import os
import shutil
import tempfile

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")


def saver_variables():
    """Initial values of the variables saved through tf.train.Saver."""
    return {
        "dense/kernel": np.arange(6, dtype=np.float32).reshape(2, 3) / 7,
        "dense/bias": np.array([0.5, -1.25, 3e-8], dtype=np.float32),
        "scale": np.float64(2.718281828459045),
        "counts": np.array([1, -2, 2**31 - 1, -(2**31)], dtype=np.int32),
        "big_ids": np.array([[2**62, -(2**62)], [7, -1]], dtype=np.int64),
        "pixels": np.arange(12, dtype=np.uint8).reshape(2, 2, 3) * 21,
        "half": np.array([1.5, -0.0, np.inf], dtype=np.float16),
        "mask": np.array([True, False, False, True, True]),
        "words": np.array([b"ab", b"", b"xyz"], dtype=object),
        "empty": np.zeros((0, 3), dtype=np.float32),
    }


def raw_tensors():
    """Tensors saved with tf.raw_ops.SaveV2, one of every numpy-backed dtype and the edge cases."""
    tensors = {
        "f16": np.array([[0.1, -65504.0], [6e-8, 1.0]], dtype=np.float16),
        "f32": np.array([np.pi, -0.0, 1e-45, 3.4e38], dtype=np.float32),
        "f64": np.array([[np.e], [-1e-300]], dtype=np.float64),
        "i8": np.array([-128, 127, 0], dtype=np.int8),
        "i16": np.array([-32768, 32767], dtype=np.int16),
        "i32": np.int32(-123456789),
        "i64": np.array([-(2**63), 2**63 - 1], dtype=np.int64),
        "u8": np.array([0, 255], dtype=np.uint8),
        "u16": np.array([65535, 1], dtype=np.uint16),
        "u32": np.array([2**32 - 1, 5], dtype=np.uint32),
        "u64": np.array([2**64 - 1, 3], dtype=np.uint64),
        "bool": np.array([[True], [False]]),
        "c64": np.array([1 + 2j, -3.5 - 0.25j], dtype=np.complex64),
        "c128": np.array([[1e100 - 1j]], dtype=np.complex128),
        "str/scalar": np.array(b"hello", dtype=object),
        "str/matrix": np.array([[b"", b"x" * 200], ["h\u00e9llo".encode(), b"\x00\xff"]], dtype=object),
        "str/empty": np.zeros((0,), dtype=object),
        "empty/i32": np.zeros((0,), dtype=np.int32),
        "empty/f64": np.zeros((2, 0, 3), dtype=np.float64),
        "scalar/f32": np.float32(-7.5),
    }
    for i in range(20):
        tensors["layer_%02d/weight" % i] = np.full((2,), i, dtype=np.float32)
    return tensors


def multiblock_tensors():
    """Enough long names to fill several 256 KiB index blocks, plus one name long enough (>= 512 KiB with its
    value) to force a block of its own. Deterministic, so the tests can rebuild them and compare hashes."""
    tensors = {"k%04d_%s" % (i, "n" * 1000): np.int32(i) for i in range(600)}
    tensors["k0300_z" + "z" * 600000] = np.float32(0.5)
    return tensors


def save_raw(prefix, tensors):
    names = sorted(tensors)
    with tf.Graph().as_default():
        consts = [tf.constant(tensors[n]) if tensors[n].dtype != object
                  else tf.constant(tensors[n].tolist() if tensors[n].ndim else tensors[n].item(), dtype=tf.string,
                                   shape=tensors[n].shape)
                  for n in names]
        save = tf.raw_ops.SaveV2(prefix=prefix, tensor_names=names, shape_and_slices=[""] * len(names),
                                 tensors=consts)
        with tf.Session() as sess:
            sess.run(save)


def save_with_saver(directory):
    with tf.Graph().as_default():
        for name, value in saver_variables().items():
            if value.dtype == object:
                tf.Variable(value.tolist(), dtype=tf.string, name=name)
            else:
                tf.Variable(value, name=name)
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return saver.save(sess, os.path.join(directory, "model"), global_step=7, write_meta_graph=False)


def encode_value(array):
    if array.dtype == object:
        return [base64.b64encode(bytes(s)).decode() for s in array.reshape(-1)]
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode()


def describe(prefix):
    """What TensorFlow reads back from a checkpoint: dtype name, shape and value of every tensor."""
    reader = tf.train.load_checkpoint(prefix)
    dtypes = reader.get_variable_to_dtype_map()
    shapes = reader.get_variable_to_shape_map()
    result = {}
    for name in sorted(shapes):
        value = reader.get_tensor(name)  # numpy scalars for 0-d numbers, bytes for a 0-d string
        result[name] = {"dtype": dtypes[name].name, "shape": shapes[name], "python_type": type(value).__name__,
                        "value": encode_value(np.asarray(value, dtype=object if dtypes[name] == tf.string else None))}
    return result


def tf_error(action):
    try:
        action()
    except Exception as error:  # noqa: BLE001 -- recording whatever TensorFlow raises
        return {"class": type(error).__name__, "code": getattr(error, "error_code", None), "message": str(error)}
    return None


def damage_outcomes(prefix):
    """The error TensorFlow raises for each damage the tests also apply (applied to copies of ``prefix``)."""
    index, data = prefix + ".index", prefix + ".data-00000-of-00001"
    index_bytes, data_bytes = open(index, "rb").read(), open(data, "rb").read()

    def flip(blob, position):
        blob = bytearray(blob)
        blob[position] ^= 0x40
        return bytes(blob)

    cases = {
        "index_truncated_half": (index_bytes[: len(index_bytes) // 2], data_bytes),
        "index_truncated_footer": (index_bytes[:-1], data_bytes),
        "index_byte_flipped_in_block": (flip(index_bytes, 20), data_bytes),
        "index_empty": (b"", data_bytes),
        "data_truncated": (index_bytes, data_bytes[:-3]),
        "data_byte_flipped": (index_bytes, flip(data_bytes, len(data_bytes) - 2)),
        "data_missing": (index_bytes, None),
    }
    outcomes = {}
    start_dir = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)  # relative paths keep the recorded messages free of temporary directory names
        for case, (new_index, new_data) in cases.items():
            damaged = case
            open(damaged + ".index", "wb").write(new_index)
            if new_data is not None:
                open(damaged + ".data-00000-of-00001", "wb").write(new_data)

            def read_all(damaged=damaged):
                reader = tf.train.load_checkpoint(damaged)
                for name in reader.get_variable_to_shape_map():
                    reader.get_tensor(name)

            outcomes[case] = tf_error(read_all)
        outcomes["missing_prefix"] = tf_error(lambda: tf.train.load_checkpoint("no_such_ckpt"))
        os.chdir(start_dir)
    outcomes["missing_key"] = tf_error(lambda: tf.train.load_checkpoint(prefix).get_tensor("no/such/key"))
    return outcomes


def sha256_of(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def main():
    golden = {}
    saver_dir = os.path.join(FIXTURES, "ckpt_saver")
    shutil.rmtree(saver_dir, ignore_errors=True)
    saver_prefix = save_with_saver(saver_dir)
    os.remove(os.path.join(saver_dir, "checkpoint"))  # the state file is tested elsewhere
    golden["ckpt_saver/model-7"] = describe(saver_prefix)

    raw_prefix = os.path.join(FIXTURES, "ckpt_raw")
    save_raw(raw_prefix, raw_tensors())
    golden["ckpt_raw"] = describe(raw_prefix)

    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "multi")
        save_raw(prefix, multiblock_tensors())
        golden["multiblock"] = {"index_sha256": sha256_of(prefix + ".index"),
                                "index_size": os.path.getsize(prefix + ".index"),
                                "data_sha256": sha256_of(prefix + ".data-00000-of-00001")}

    golden["tf_errors"] = damage_outcomes(raw_prefix)
    with open(os.path.join(FIXTURES, "ckpt_golden.json"), "w") as out:
        json.dump(golden, out, indent=1, sort_keys=True)
        out.write("\n")


if __name__ == "__main__":
    main()
