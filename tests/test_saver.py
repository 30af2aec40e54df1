"""tf.train.Saver, the state file and the checkpoint readers against TensorFlow 2.21.

Every case in tests/saver_cases.py runs here on minitf and, in tests/golden/make_saver_fixtures.py, on TensorFlow;
the results (files left on disk, state file texts, checkpoint bytes, restored values, errors, graph nodes) must
agree. Checkpoints TensorFlow wrote (tests/fixtures/saver/) are restored by minitf. TensorFlow restoring minitf's
checkpoints and meta graphs is checked by tests/golden/check_saver_with_tf.py.
"""

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

import saver_cases
from minitf.framework import errors
from helpers import golden

FIXTURES = Path(__file__).parent / "fixtures" / "saver"
GOLDEN = golden("fixtures/saver/golden.json")


tf = saver_cases.minitf_namespace()


def kernel_message(message):
    """minitf's error message without the ``[[node ...]]`` location and the variable it adds."""
    return re.split(r"\n\t \[\[node |\n\(while restoring variable ", message)[0]


# -- files on disk and the state file -----------------------------------------------------------------------------

EXACT_CASES = ["max_to_keep_default", "max_to_keep_2", "max_to_keep_1", "max_to_keep_0", "max_to_keep_none",
               "resave_same_prefix", "write_state_false", "write_meta_graph_false", "pad_step_number",
               "latest_filename_and_suffix", "no_directory", "global_step_tensor", "keep_every_n_hours",
               "set_and_recover_last_checkpoints", "several_dtypes_round_trip", "renamed_keys_and_reshape",
               "build_errors", "save_errors", "state_file_functions", "load_checkpoint_errors",
               "saver_graph_nodes", "sharded_saver"]


@pytest.mark.parametrize("case", EXACT_CASES)
def test_case_matches_tensorflow(case, in_tmp):
    """Same returned paths, same files left after every save, same state file bytes, same values and errors."""
    result = json.loads(json.dumps(saver_cases.CASES[case](tf)))
    assert result == GOLDEN[case]


def test_absolute_paths_stay_absolute(in_tmp):
    result = saver_cases.absolute_paths(tf)
    assert result["repr"].replace(str(in_tmp.resolve()), "<DIR>") == GOLDEN["absolute_paths"]["repr"]


def test_checkpoint_bytes_equal_tensorflow(in_tmp):
    """The Saver's .index and .data of variables of several dtypes are TensorFlow's bytes, and so is the state."""
    result = saver_cases.several_dtypes_round_trip(tf)
    golden = GOLDEN["several_dtypes_round_trip"]
    assert bytes.fromhex(result["index"]) == bytes.fromhex(golden["index"])
    assert bytes.fromhex(result["data"]) == bytes.fromhex(golden["data"])
    assert result["state"] == 'model_checkpoint_path: "model-3"\nall_model_checkpoint_paths: "model-3"\n'


# -- seeds/000, 002, 003 ---------------------------------------------------------------------------------------

def test_seed000_save_listing(in_tmp):
    """Same files on disk, returned paths, state files and kept lists; training values at float32 rounding."""
    result = saver_cases.seed000_save(tf)
    golden = GOLDEN["seed000_save"]
    for key in ("paths", "files", "state", "state_w", "last_checkpoints", "last_checkpoints_w"):
        assert result[key] == golden[key], key
    np.testing.assert_allclose(result["rounds"], golden["rounds"], rtol=2e-6)
    np.testing.assert_allclose(result["final"], golden["final"], rtol=2e-6)
    # then the second listing, on minitf's own files: the values saved at steps 100 and 80
    restored = saver_cases.seed000_restore(tf)
    assert restored["weight"] == [np.float32(result["rounds"][10][0]).item()]
    assert restored["bias"] == [np.float32(result["rounds"][8][1]).item()]
    assert restored["latest"] == "./checkpoint/linear.ckpt"


def test_seed000_restore_listing_on_tensorflow_files(in_tmp):
    """seeds/000's second listing restores TensorFlow's checkpoints to exactly TensorFlow's values."""
    shutil.copytree(FIXTURES / "seed000", in_tmp, dirs_exist_ok=True)
    result = saver_cases.seed000_restore(tf)
    assert result == GOLDEN["seed000_restore"]
    assert result["uninitialized"] == "FailedPreconditionError"


def test_seed002_get_checkpoint_state_pattern(in_tmp):
    """``ckpt = get_checkpoint_state(dirname('checkpoints/checkpoint')); saver.restore(sess, ckpt.path)``."""
    shutil.copytree(FIXTURES / "tf_model", in_tmp / "checkpoints")
    ckpt = tf.train.get_checkpoint_state(str(Path("checkpoints/checkpoint").parent))
    assert ckpt.model_checkpoint_path == "checkpoints/model-7"
    assert list(ckpt.all_model_checkpoint_paths) == ["checkpoints/model-7"]
    with tf.Graph().as_default():
        step = tf.Variable(0, dtype=tf.int64, name="global_step", trainable=False)
        saver = tf.train.Saver([step])
        with tf.Session() as sess:
            if ckpt and ckpt.model_checkpoint_path:
                saver.restore(sess, ckpt.model_checkpoint_path)
            assert sess.run(step) == 7
            assert int(ckpt.model_checkpoint_path.split("/")[-1].split("-")[-1]) == 7


def test_restore_initialises_exactly_the_restored_variables(in_tmp):
    shutil.copytree(FIXTURES / "seed000", in_tmp, dirs_exist_ok=True)
    with tf.Graph().as_default():
        weight = tf.Variable([33.0], name="weight")
        bias = tf.Variable([3.0], name="bias")
        saver = tf.train.Saver({"b_name": bias})
        with tf.Session() as sess:
            assert sess.run(tf.report_uninitialized_variables()).tolist() == [b"weight", b"bias"]
            saver.restore(sess, "./weight/linear.ckpt-80")
            assert sess.run(tf.report_uninitialized_variables()).tolist() == [b"weight"]
            assert sess.run(tf.is_variable_initialized(bias)) and not sess.run(tf.is_variable_initialized(weight))


def test_seed003_dict_var_list(in_tmp):
    result = saver_cases.renamed_keys_and_reshape(tf)
    assert result["keys"] == ["vv1"]
    assert result["before"] == [0.0] * 5 and result["after"] == [1.0] * 5


# -- errors ----------------------------------------------------------------------------------------------------

def test_restore_errors_match_tensorflow(in_tmp):
    result = saver_cases.restore_errors(tf)
    golden = GOLDEN["restore_errors"]
    for case in ("not_a_checkpoint", "none_path"):
        assert result[case] == golden[case]
    for case, variable in (("shape_mismatch", "v"), ("dtype_mismatch", "v"), ("missing_key", None)):
        assert result[case]["class"] == golden[case]["class"]
        assert kernel_message(result[case]["message"]) == golden[case]["message"], case
        assert "[[node %s " % golden[case]["node"] in result[case]["message"]
        if variable:
            assert "(while restoring variable '%s' from checkpoint key '%s')" % (variable, variable) \
                in result[case]["message"]
    assert result["data_flipped"]["class"] == "DataLossError"
    assert golden["data_flipped"]["message"].split(": stored")[0] in result["data_flipped"]["message"]
    assert result["index_truncated"]["class"] == golden["index_truncated"]["class"] == "DataLossError"
    # TensorFlow reports a truncated data file as OutOfRangeError ("Read less bytes than requested"); minitf
    # reports every damaged or truncated file as DataLossError.
    assert golden["data_truncated"]["class"] == "OutOfRangeError"
    assert result["data_truncated"]["class"] == "DataLossError"
    assert "truncated" in result["data_truncated"]["message"]


def test_sharded_restore_errors_name_the_variable(in_tmp):
    """A sharded Saver's restore (restore_all -> restore_shard -> Assign) names the variable as an unsharded one."""
    saver_cases._saved_v(tf)
    with tf.Graph().as_default():
        tf.Variable([1.0, 2.0, 3.0], name="v")
        tf.Variable(3, name="u")
        saver = tf.train.Saver(sharded=True)
        with tf.Session() as sess, pytest.raises(errors.InvalidArgumentError) as info:
            saver.restore(sess, "d/m")
    golden = GOLDEN["restore_errors"]["shape_mismatch"]
    assert kernel_message(info.value.message) == golden["message"]
    assert "(while restoring variable 'v' from checkpoint key 'v')" in info.value.message


def test_renamed_key_errors_name_the_variable(in_tmp):
    """With a dict var_list, errors name the graph variable as well as the checkpoint key."""
    with tf.Graph().as_default():
        v = tf.Variable([1.0, 2.0], name="v")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            tf.train.Saver({"renamed": v}).save(sess, "k/m", write_meta_graph=False)
    with tf.Graph().as_default():
        w = tf.Variable([1, 2], name="w")
        saver = tf.train.Saver({"renamed": w})
        with tf.Session() as sess, pytest.raises(errors.InvalidArgumentError) as info:
            saver.restore(sess, "k/m")
    assert "tensor_name = renamed; expected dtype int32 does not equal original dtype float" in str(info.value)
    assert "(while restoring variable 'w' from checkpoint key 'renamed')" in str(info.value)


def test_init_from_checkpoint(in_tmp):
    result = saver_cases.init_from_checkpoint_case(tf)
    golden = GOLDEN["init_from_checkpoint_case"]
    assert result["values"] == golden["values"]
    assert result["nodes"] == golden["nodes"]
    assert result["errors"]["scope_to_name"] == golden["errors"]["scope_to_name"]
    # TensorFlow prints its shape map in hash order and TensorShapes as tuples; compare the rest
    missing = result["errors"]["missing_tensor"]
    assert missing["class"] == "ValueError"
    assert missing["message"].startswith("Tensor nope is not found in init/model checkpoint {")
    assert result["errors"]["shape"]["class"] == "ValueError"
    assert "doesn't match with shape of tensor old/w ([2, 3]) from checkpoint reader." in \
        result["errors"]["shape"]["message"]


# -- reading TensorFlow's files ------------------------------------------------------------------------------------

def test_reader_on_tensorflow_model():
    golden = GOLDEN["tf_model"]
    prefix = str(FIXTURES / golden["path"])
    reader = tf.train.NewCheckpointReader(prefix)
    assert sorted(reader.get_variable_to_shape_map()) == saver_cases.MODEL_VARIABLES
    for name, value in golden["saved"].items():
        assert saver_cases.as_json(reader.get_tensor(name)) == value, name
    names = [name for name, _ in tf.train.list_variables(str(FIXTURES / "tf_model"))]
    assert names == saver_cases.MODEL_VARIABLES
    assert tf.train.latest_checkpoint(str(FIXTURES / "tf_model")) == prefix
    state = (FIXTURES / "tf_model" / "checkpoint").read_text()
    assert state == golden["state"] == 'model_checkpoint_path: "model-7"\nall_model_checkpoint_paths: "model-7"\n'


# -- the SaveV2 and RestoreV2 ops ------------------------------------------------------------------------------

def bundle_golden_value(description):
    """A value tests/golden/make_bundle_fixtures.py recorded from TensorFlow (see tests/test_bundle.py)."""
    import base64
    if description["dtype"] == "string":
        return np.array([base64.b64decode(s) for s in description["value"]], dtype=object).reshape(
            description["shape"])
    raw = base64.b64decode(description["value"])
    return np.frombuffer(raw, dtype=tf.as_dtype(description["dtype"]).as_numpy_dtype).reshape(description["shape"])


def test_restore_v2_reads_every_dtype_tensorflow_wrote():
    """RestoreV2 on TensorFlow's raw SaveV2 fixture (every numpy dtype, strings, scalars, empty tensors)."""
    from minitf.ops import io_ops
    golden = json.loads((FIXTURES.parent / "ckpt_golden.json").read_text())["ckpt_raw"]
    names = sorted(golden)
    with tf.Graph().as_default():
        restored = io_ops.restore_v2(str(FIXTURES.parent / "ckpt_raw"), names, [""] * len(names),
                                     [tf.as_dtype(golden[n]["dtype"]) for n in names])
        assert all(t.shape.ndims is None for t in restored)
        with tf.Session() as sess:
            values = sess.run(restored)
    for name, value in zip(names, values):
        expected = bundle_golden_value(golden[name])
        if expected.dtype == object:  # a 0-d string is fetched as bytes, as in TensorFlow
            assert np.asarray(value, dtype=object).tolist() == expected.tolist(), name
        else:
            value = np.asarray(value)
            assert value.dtype == expected.dtype and value.shape == expected.shape, name
            assert value.tobytes() == expected.tobytes(), name


def test_save_v2_rejects_what_tensorflow_rejects(in_tmp):
    from minitf.ops import io_ops
    with tf.Graph().as_default():
        a, b = tf.constant([1.0]), tf.constant([2, 3])
        duplicate = io_ops.save_v2("dup", ["x", "x"], ["", ""], [a, b])
        # TensorFlow 2.21's messages for bad shape_and_slices (tests/test_partitioned_variables.py saves slices)
        bad_specs = {"4 0,2": (errors.InvalidArgumentError, "Slice in shape_and_slice specification does not match "
                                                           "the shape of the tensor to  save: 4 0,2, tensor: [1]"),
                     "4 3,2": (errors.InternalError, "Extent in dimension 0 out of bounds: shape = [4], slice = 3,2"),
                     "4 a": (errors.InvalidArgumentError, "Expected a pair of numbers or '-' but got 'a': string = a"),
                     "4": (errors.InvalidArgumentError, "Need least two elements in shape_and_slice specification: "
                                                        "4")}
        sliced = {spec: io_ops.save_v2("sliced", ["x"], [spec], [a]) for spec in bad_specs}
        with pytest.raises(ValueError, match="Dimension 0 in both shapes must be equal"):
            io_ops.save_v2("short", ["x"], ["", ""], [a])
        with tf.Session() as sess:
            with pytest.raises(errors.InvalidArgumentError, match="Adding duplicate key: x"):
                sess.run(duplicate)
            for spec, (error, message) in bad_specs.items():
                with pytest.raises(error) as caught:
                    sess.run(sliced[spec])
                assert caught.value.message.split("\n")[0] == message
    assert not list(in_tmp.iterdir())
