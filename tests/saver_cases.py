"""Checkpoint programs shared by tests/golden/make_saver_fixtures.py (run under TensorFlow) and tests/test_saver.py.

Each case is ``fn(tf) -> JSON-able dict`` and runs in the current directory (the caller makes it a fresh temporary
directory), so relative paths appear in the state file exactly as TensorFlow writes them. ``tf`` is either
``tensorflow.compat.v1`` or a minitf namespace with the same names. Values come from constants, so both sides
save identical bytes.
"""

import os
import time
import types

import numpy as np


def minitf_namespace():
    """``import minitf as tf`` with the checkpoint names TensorFlow has under ``tf.train`` (until minitf.train
    exports them itself)."""
    import minitf
    from minitf.train import checkpoint_management, checkpoint_utils, saver

    train = types.SimpleNamespace(**{name: getattr(minitf.train, name) for name in dir(minitf.train)
                                     if not name.startswith("_")})
    for module in (checkpoint_management, checkpoint_utils, saver):
        for name in ("checkpoint_exists", "generate_checkpoint_state_proto", "get_checkpoint_mtimes",
                     "get_checkpoint_state", "latest_checkpoint", "remove_checkpoint", "update_checkpoint_state",
                     "NewCheckpointReader", "init_from_checkpoint", "list_variables", "load_checkpoint",
                     "load_variable", "Saver", "import_meta_graph"):
            if hasattr(module, name):
                setattr(train, name, getattr(module, name))
    namespace = types.SimpleNamespace(**{name: getattr(minitf, name) for name in dir(minitf)
                                         if not name.startswith("_")})
    namespace.train = train
    return namespace


def listing(root="."):
    """Every file under ``root``, as sorted relative paths."""
    return sorted(os.path.relpath(os.path.join(directory, name), root)
                  for directory, _, names in os.walk(root) for name in names)


def read_text(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8")


def error_of(action):
    """``{"class", "message"}`` of the exception ``action()`` raises, or None."""
    try:
        action()
    except Exception as error:  # noqa: BLE001 -- recording whatever is raised
        return {"class": type(error).__name__, "message": str(error)}
    return None


def as_json(value):
    value = np.asarray(value)
    if value.dtype == object:
        return [v.decode("utf-8") if isinstance(v, bytes) else v for v in value.reshape(-1).tolist()]
    if value.dtype == np.float16:
        value = value.astype(np.float32)
    return value.tolist()


def several_dtypes():
    """Values of variables of several dtypes and shapes (names sorted as a Saver sorts them)."""
    return {
        "big_ids": np.array([[2**62, -(2**62)], [7, -1]], dtype=np.int64),
        "counts": np.array([1, -2, 2**31 - 1, -(2**31)], dtype=np.int32),
        "dense/bias": np.array([0.5, -1.25, 3e-8], dtype=np.float32),
        "dense/kernel": (np.arange(6, dtype=np.float32).reshape(2, 3) / 7).astype(np.float32),
        "empty": np.zeros((0, 3), dtype=np.float32),
        "half": np.array([1.5, -0.0, np.inf], dtype=np.float16),
        "mask": np.array([True, False, False, True, True]),
        "pixels": (np.arange(12, dtype=np.uint8).reshape(2, 2, 3) * 21).astype(np.uint8),
        "scale": np.float64(2.718281828459045),
        "words": np.array([b"ab", b"", "h\u00e9llo".encode("utf-8")], dtype=object),
    }


def make_variables(tf, values, trainable=True):
    made = {}
    for name, value in values.items():
        if value.dtype == object:
            made[name] = tf.Variable(value.tolist(), dtype=tf.string, name=name, trainable=trainable)
        else:
            made[name] = tf.Variable(value, name=name, trainable=trainable)
    return made


def build_linear_model(tf):
    """A small model with a global step, a train_op collection and non-trainable variables of several dtypes.

    Returns (loss, train_op, global_step).
    """
    tf.set_random_seed(3)
    x = np.linspace(-1.0, 1.0, 12, dtype=np.float32).reshape(4, 3)
    target = np.array([[0.5, -1.0], [0.25, 0.0], [1.0, 2.0], [-0.5, 0.75]], dtype=np.float32)
    with tf.name_scope("linear"):
        weight = tf.Variable(tf.random_uniform([3, 2], -1.0, 1.0), name="weight")
        bias = tf.Variable(tf.zeros([2]), name="bias")
        y = tf.matmul(x, weight) + bias
    global_step = tf.train.get_or_create_global_step()
    with tf.name_scope("objective"):
        loss = tf.reduce_mean(tf.square(y - target), name="loss")
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=global_step)
    tf.add_to_collection("train_op", train_op)
    tf.add_to_collection("loss", loss)
    with tf.name_scope("extra"):
        make_variables(tf, several_dtypes(), trainable=False)
    return loss, train_op, global_step


MODEL_VARIABLES = ["extra/" + name for name in sorted(several_dtypes())] + [
    "global_step", "linear/bias", "linear/weight"]


# -- seeds/000: the two listings of the tutorial, with fixed seeds ----------------------------------------------

def seed000_save(tf):
    """seeds/000's first listing: train, save every 10 steps with two Savers (max_to_keep=2 and 5)."""
    np.random.seed(0)
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        x_data = np.random.rand(100).astype(np.float32)
        y_data = x_data * 0.1 + 0.3
        weight = tf.Variable(tf.random_uniform(shape=[1], minval=-1.0, maxval=1.0), dtype=np.float32, name="weight")
        bias = tf.Variable(tf.zeros(shape=[1]), dtype=np.float32, name="bias")
        y = weight * x_data + bias
        loss = tf.reduce_mean(tf.square(y - y_data))
        training = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        saver = tf.train.Saver(max_to_keep=2)
        save_w = tf.train.Saver({"a_name": weight, "b_name": bias})
        rounds, paths = [], []
        for step in range(101):
            sess.run(training)
            if step % 10 == 0:
                rounds.append([float(sess.run(weight[0])), float(sess.run(bias[0]))])
                paths.append(saver.save(sess=sess, save_path="./checkpoint/linear.ckpt", global_step=step))
                paths.append(save_w.save(sess=sess, save_path="./weight/linear.ckpt", global_step=step))
        paths.append(saver.save(sess, "./checkpoint/linear.ckpt"))
        result = {"rounds": rounds, "paths": paths, "last_checkpoints": saver.last_checkpoints,
                  "last_checkpoints_w": save_w.last_checkpoints, "files": listing(),
                  "state": read_text("checkpoint/checkpoint"), "state_w": read_text("weight/checkpoint"),
                  "final": as_json(sess.run([weight, bias]))}
        sess.close()
    return result


def seed000_restore(tf):
    """seeds/000's second listing: fresh variables restored by two Savers, one with a renamed key."""
    with tf.Graph().as_default():
        weight = tf.Variable([33], dtype=tf.float32, name="weight")
        bias = tf.Variable([3], dtype=tf.float32, name="bias")
        saver_1 = tf.train.Saver()
        saver_2 = tf.train.Saver({"b_name": bias})
        sess = tf.Session()
        path1 = saver_1.restore(sess, "./checkpoint/linear.ckpt-100")
        after_1 = as_json(sess.run([weight, bias]))
        path2 = saver_2.restore(sess, "./weight/linear.ckpt-80")
        result = {"returns": [path1, path2], "after_saver_1": after_1, "weight": as_json(sess.run(weight)),
                  "bias": as_json(sess.run(bias)), "latest": tf.train.latest_checkpoint("./checkpoint")}
        sess.close()
    with tf.Graph().as_default():  # without restore the variable is uninitialised
        tf.Variable([33], dtype=tf.float32, name="weight")
        with tf.Session() as sess:
            result["uninitialized"] = error_of(lambda: sess.run("weight:0"))["class"]
    return result


# -- file management -------------------------------------------------------------------------------------------

def _graph_with_variable(tf):
    tf.Variable(np.arange(4, dtype=np.float32), name="v")


def _save_sequence(tf, steps, saver_kwargs=None, save_kwargs=None, prefix="ckpt/model"):
    """Saves at each of ``steps``; records what each save returns and leaves on disk."""
    history = []
    with tf.Graph().as_default():
        _graph_with_variable(tf)
        saver = tf.train.Saver(**(saver_kwargs or {}))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for step in steps:
                path = saver.save(sess, prefix, global_step=step, **(save_kwargs or {}))
                state_path = os.path.join(os.path.dirname(prefix), (save_kwargs or {}).get("latest_filename")
                                          or "checkpoint")
                history.append({"path": path, "files": listing(), "last_checkpoints": saver.last_checkpoints,
                                "state": read_text(state_path) if os.path.exists(state_path) else None})
    return history


def max_to_keep_default(tf):
    return _save_sequence(tf, range(7))


def max_to_keep_2(tf):
    return _save_sequence(tf, range(4), {"max_to_keep": 2})


def max_to_keep_1(tf):
    return _save_sequence(tf, range(3), {"max_to_keep": 1})


def max_to_keep_0(tf):
    return _save_sequence(tf, range(3), {"max_to_keep": 0})


def max_to_keep_none(tf):
    return _save_sequence(tf, range(3), {"max_to_keep": None})


def resave_same_prefix(tf):
    return _save_sequence(tf, [1, 2, 1, 3], {"max_to_keep": 2})


def write_state_false(tf):
    return _save_sequence(tf, range(3), {"max_to_keep": 1}, {"write_state": False})


def write_meta_graph_false(tf):
    return _save_sequence(tf, range(3), {"max_to_keep": 2}, {"write_meta_graph": False})


def pad_step_number(tf):
    return _save_sequence(tf, [3, 12345], {"pad_step_number": True})


def latest_filename_and_suffix(tf):
    return _save_sequence(tf, range(3), {"max_to_keep": 1},
                          {"latest_filename": "latest", "meta_graph_suffix": "mg"})


def no_directory(tf):
    return _save_sequence(tf, range(2), {"max_to_keep": 1}, prefix="model")


def absolute_paths(tf):
    """Absolute save paths stay absolute in the state file (returned with the directory replaced by <DIR>)."""
    here = os.path.abspath(".")
    history = _save_sequence(tf, range(2), {"max_to_keep": 1}, prefix=os.path.join(here, "abs", "model"))
    relative = _save_sequence(tf, range(2), {"max_to_keep": 1, "save_relative_paths": True},
                              prefix=os.path.join(here, "rel", "model"))
    text = repr(history + relative).replace(here, "<DIR>")
    return {"repr": text}


def global_step_tensor(tf):
    """global_step given as a Variable and as a tensor name."""
    with tf.Graph().as_default():
        step = tf.Variable(41, dtype=tf.int64, name="global_step", trainable=False)
        increment = tf.assign_add(step, 1)
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first = saver.save(sess, "ckpt/model", global_step=step)
            sess.run(increment)
            second = saver.save(sess, "ckpt/model", global_step="global_step:0")
            third = saver.save(sess, "ckpt/model", global_step=np.int64(7))
    return {"paths": [first, second, third], "files": listing()}


def keep_every_n_hours(tf):
    """A tiny keep_checkpoint_every_n_hours keeps every checkpoint max_to_keep would delete."""
    with tf.Graph().as_default():
        _graph_with_variable(tf)
        saver = tf.train.Saver(max_to_keep=1, keep_checkpoint_every_n_hours=1e-7)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for step in range(4):
                time.sleep(0.01)
                saver.save(sess, "ckpt/model", global_step=step)
            return {"files": listing(), "state": read_text("ckpt/checkpoint"),
                    "last_checkpoints": saver.last_checkpoints}


def set_and_recover_last_checkpoints(tf):
    """set_last_checkpoints entries are never deleted; recover_last_checkpoints keeps the prefixes that exist."""
    with tf.Graph().as_default():
        _graph_with_variable(tf)
        saver = tf.train.Saver(max_to_keep=2)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for step in range(3):
                saver.save(sess, "a/model", global_step=step, write_state=False)
            saver.set_last_checkpoints(["a/model-0", "a/model-1"])
            saver.save(sess, "a/model", global_step=3)
            saver.save(sess, "a/model", global_step=4)
            after_set = {"files": listing(), "last_checkpoints": saver.last_checkpoints}
            recovered = tf.train.Saver(max_to_keep=2)
            recovered.recover_last_checkpoints(["a/model-2", "a/model-missing", "a/model-4"])
            after_recover = recovered.last_checkpoints
            recovered.save(sess, "a/model", global_step=5)
            return {"after_set": after_set, "recovered": after_recover,
                    "after_recovered_save": {"files": listing(), "last_checkpoints": recovered.last_checkpoints}}


# -- values: several dtypes, renamed keys, reshape ------------------------------------------------------------------

def several_dtypes_round_trip(tf):
    """Saves variables of several dtypes, restores them into differently initialised ones, reads them back."""
    values = several_dtypes()
    with tf.Graph().as_default():
        made = make_variables(tf, values)
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = saver.save(sess, "consts/model", global_step=3, write_meta_graph=False)
    with tf.Graph().as_default():
        zeros = {name: (np.zeros_like(v) if v.dtype != object else np.array([b"?"] * v.size, dtype=object))
                 for name, v in values.items()}
        made = make_variables(tf, zeros)
        saver = tf.train.Saver()
        with tf.Session() as sess:
            saver.restore(sess, path)
            restored = sess.run(made)
    reader = tf.train.NewCheckpointReader(path)
    return {"path": path, "restored": {name: as_json(value) for name, value in restored.items()},
            "restored_dtypes": {name: str(np.asarray(value).dtype) for name, value in restored.items()},
            "list_variables": [[name, shape] for name, shape in tf.train.list_variables("consts")],
            "dtypes": {name: dtype.name for name, dtype in reader.get_variable_to_dtype_map().items()},
            "debug_string": reader.debug_string().decode("utf-8"),
            "scalar_type": type(reader.get_tensor("scale")).__name__,
            "load_variable": as_json(tf.train.load_variable("consts", "dense/bias:0")),
            "has_tensor": [reader.has_tensor("words"), reader.has_tensor("nope")],
            "index": open(path + ".index", "rb").read().hex(),
            "data": open(path + ".data-00000-of-00001", "rb").read().hex(),
            "state": read_text("consts/checkpoint")}


def renamed_keys_and_reshape(tf):
    """seeds/003's dict var_list ({"vv1": v1}), and reshape=True restoring a [2, 3] value into a [3, 2] variable."""
    with tf.Graph().as_default():
        v1 = tf.Variable(tf.constant(1.0, shape=[5]), name="v1")
        m = tf.Variable(np.arange(6, dtype=np.float32).reshape(2, 3), name="m")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            tf.train.Saver({"vv1": v1}).save(sess, "data/model.ckpt")
            tf.train.Saver([m]).save(sess, "data/m.ckpt")
    with tf.Graph().as_default():
        v1 = tf.Variable(tf.constant(0.0, shape=[5]), name="v1")
        m = tf.Variable(np.zeros((3, 2), dtype=np.float32), name="m")
        saver = tf.train.Saver({"vv1": v1})
        reshaper = tf.train.Saver([m], reshape=True)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            before = as_json(sess.run(v1))
            saver.restore(sess, "data/model.ckpt")
            reshaper.restore(sess, "data/m.ckpt")
            return {"before": before, "after": as_json(sess.run(v1)), "m": as_json(sess.run(m)),
                    "keys": [name for name, _ in tf.train.list_variables("data/model.ckpt")]}


# -- errors ------------------------------------------------------------------------------------------------------

def _saved_v(tf):
    with tf.Graph().as_default():
        tf.Variable([1.0, 2.0], name="v")
        tf.Variable(3, name="u")
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return saver.save(sess, "d/m")


def _restore_into(tf, build, path="d/m"):
    def attempt():
        with tf.Graph().as_default():
            build()
            saver = tf.train.Saver()
            with tf.Session() as sess:
                saver.restore(sess, path)
    return error_of(attempt)


def restore_errors(tf):
    _saved_v(tf)
    results = {
        "shape_mismatch": _restore_into(tf, lambda: (tf.Variable([1.0, 2.0, 3.0], name="v"),
                                                     tf.Variable(3, name="u"))),
        "dtype_mismatch": _restore_into(tf, lambda: (tf.Variable([1, 2], name="v"), tf.Variable(3, name="u"))),
        "missing_key": _restore_into(tf, lambda: tf.Variable([1.0, 2.0], name="w")),
        "not_a_checkpoint": _restore_into(tf, lambda: tf.Variable([1.0, 2.0], name="v"), "d/nothere"),
        "none_path": _restore_into(tf, lambda: tf.Variable([1.0, 2.0], name="v"), None),
    }
    data = open("d/m.data-00000-of-00001", "rb").read()
    index = open("d/m.index", "rb").read()
    damage = {"data_truncated": (index, data[:-2]),
              "data_flipped": (index, data[:3] + bytes([data[3] ^ 1]) + data[4:]),
              "index_truncated": (index[:-9], data)}
    for case, (new_index, new_data) in damage.items():
        open(case + ".index", "wb").write(new_index)
        open(case + ".data-00000-of-00001", "wb").write(new_data)
        results[case] = _restore_into(tf, lambda: (tf.Variable([1.0, 2.0], name="v"), tf.Variable(3, name="u")),
                                      case)
    return results


def build_errors(tf):
    results = {}
    with tf.Graph().as_default():
        v = tf.Variable([1.0, 2.0], name="v")
        cases = {
            "same_name_twice": lambda: tf.train.Saver([v, v]),
            "one_variable_two_names": lambda: tf.train.Saver({"a": v, "b": v}),
            "empty_list": lambda: tf.train.Saver([]),
            "not_a_list": lambda: tf.train.Saver(v),
            "not_a_variable": lambda: tf.train.Saver({"a": tf.constant(3)}),
            "defer_with_list": lambda: tf.train.Saver([v], defer_build=True),
        }
        for name, build in cases.items():
            results[name] = error_of(build)
        results["allow_empty"] = error_of(lambda: tf.train.Saver([], allow_empty=True))
    with tf.Graph().as_default():
        results["no_variables"] = error_of(tf.train.Saver)
        empty = tf.train.Saver(allow_empty=True)
        with tf.Session() as sess:
            results["empty_save"] = empty.save(sess, "empty/model", write_meta_graph=False)
            results["empty_restore"] = empty.restore(sess, "empty/model")
    return results


def save_errors(tf):
    results = {}
    with tf.Graph().as_default():
        tf.Variable([1.0], name="v")
        saver = tf.train.Saver()
        with tf.Session() as sess:
            results["uninitialized_missing_dir"] = error_of(lambda: saver.save(sess, "missing/model"))
            results["uninitialized_here"] = error_of(lambda: saver.save(sess, "model"))
            sess.run(tf.global_variables_initializer())
            results["latest_filename_with_dir"] = error_of(
                lambda: saver.save(sess, "x/model", latest_filename="a/checkpoint"))
            results["collides"] = error_of(lambda: saver.save(sess, "x/checkpoint"))
            results["not_a_session"] = error_of(lambda: saver.save("sess", "x/model"))
            results["files"] = listing()
    return results


# -- the state file and its helpers ------------------------------------------------------------------------------

def state_file_functions(tf):
    os.makedirs("s", exist_ok=True)
    results = {"missing": tf.train.get_checkpoint_state("s") is None}
    tf.train.update_checkpoint_state("s", "s/model-2", all_model_checkpoint_paths=["s/model-1", "s/model-2"],
                                     all_model_checkpoint_timestamps=[1795335425.7694657, 1795335426.25],
                                     last_preserved_timestamp=1795335000.5)
    results["with_timestamps"] = read_text("s/checkpoint")
    tf.train.update_checkpoint_state("s", "/abs/model-9", latest_filename="abs_state")
    results["absolute"] = read_text("s/abs_state")
    state = tf.train.get_checkpoint_state("s")
    results["parsed"] = [state.model_checkpoint_path, list(state.all_model_checkpoint_paths),
                         list(state.all_model_checkpoint_timestamps), state.last_preserved_timestamp]
    results["parsed_absolute"] = tf.train.get_checkpoint_state("s", "abs_state").model_checkpoint_path
    results["latest_missing_files"] = tf.train.latest_checkpoint("s")
    results["timestamps_mismatch"] = error_of(lambda: tf.train.generate_checkpoint_state_proto(
        "s", "s/m", all_model_checkpoint_paths=["s/m"], all_model_checkpoint_timestamps=[1.0, 2.0]))
    results["conflict"] = error_of(lambda: tf.train.update_checkpoint_state("s", "s/checkpoint"))
    proto = tf.train.generate_checkpoint_state_proto("dir", "dir/sub/m-3", all_model_checkpoint_paths=["dir/m-1"])
    results["generated"] = [proto.model_checkpoint_path, list(proto.all_model_checkpoint_paths)]
    with open("s/checkpoint", "w") as f:
        f.write("this is { not a checkpoint state")
    results["garbage"] = tf.train.get_checkpoint_state("s") is None
    with open("s/checkpoint", "w") as f:
        f.write('all_model_checkpoint_paths: "model-1"\n')
    results["no_model_path"] = error_of(lambda: tf.train.get_checkpoint_state("s"))
    with open("s/checkpoint", "wb") as f:
        f.write(b'model_checkpoint_path: "\xff\xfe"\n')
    results["bad_utf8"] = error_of(lambda: tf.train.get_checkpoint_state("s"))
    # checkpoint_exists, get_checkpoint_mtimes and remove_checkpoint on real files
    with tf.Graph().as_default():
        _graph_with_variable(tf)
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = saver.save(sess, "r/model", global_step=1)
    open("r/v1_style", "wb").write(b"x")
    results["exists"] = [tf.train.checkpoint_exists(p) for p in (path, "r/model-2", "r/v1_style", "r/model-?")]
    results["mtimes"] = len(tf.train.get_checkpoint_mtimes([path, "r/model-2", "r/v1_style"]))
    results["latest"] = tf.train.latest_checkpoint("r")
    tf.train.remove_checkpoint(path)
    results["after_remove"] = listing("r")
    results["latest_after_remove"] = tf.train.latest_checkpoint("r")
    return results


def load_checkpoint_errors(tf):
    os.makedirs("empty_dir", exist_ok=True)
    return {"empty_dir": error_of(lambda: tf.train.load_checkpoint("empty_dir")),
            "missing_prefix": error_of(lambda: tf.train.NewCheckpointReader("no_such_ckpt")),
            "list_missing": error_of(lambda: tf.train.list_variables("no_such_ckpt"))}


def init_from_checkpoint_case(tf):
    """init_from_checkpoint with a scope mapping, a variable object and a get_variable name."""
    with tf.Graph().as_default():
        with tf.variable_scope("old"):
            tf.get_variable("w", initializer=np.arange(6, dtype=np.float32).reshape(2, 3))
            tf.get_variable("b", initializer=np.array([1.5, -2.0], dtype=np.float32))
        tf.Variable(np.array([7, 8, 9], dtype=np.int32), name="counts")
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = saver.save(sess, "init/model", write_meta_graph=False)
    with tf.Graph().as_default():
        with tf.variable_scope("new"):
            w = tf.get_variable("w", shape=[2, 3], initializer=tf.zeros_initializer())
            b = tf.get_variable("b", shape=[2], initializer=tf.zeros_initializer())
        counts = tf.Variable(np.zeros(3, dtype=np.int32), name="my_counts")
        single = tf.get_variable("single", shape=[2], initializer=tf.zeros_initializer())
        tf.train.init_from_checkpoint("init", {"old/": "new/", "counts": counts})
        tf.train.init_from_checkpoint(path, {"old/b": "single"})
        nodes = [op.name for op in tf.get_default_graph().get_operations() if "checkpoint_initializer" in op.name]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            values = sess.run([w, b, counts, single])
        errors = {
            "missing_tensor": error_of(lambda: tf.train.init_from_checkpoint(path, {"nope": counts})),
            "shape": error_of(lambda: tf.train.init_from_checkpoint(path, {"old/w": b})),
            "scope_to_name": error_of(lambda: tf.train.init_from_checkpoint(path, {"old": "new/"})),
        }
    return {"values": [as_json(v) for v in values], "nodes": nodes, "errors": errors}


def saver_graph_nodes(tf):
    """The nodes Savers add (several configurations), and their SaverDefs."""
    results = {}
    with tf.Graph().as_default() as graph:
        with tf.name_scope("linear"):
            weight = tf.Variable(np.ones([2, 3], dtype=np.float32), name="weight")
            tf.Variable(np.zeros([3], dtype=np.float32), name="bias")
        tf.Variable(["a", "b"], name="s")
        configs = [("default", lambda: tf.train.Saver()),
                   ("dict_named_reshape", lambda: tf.train.Saver({"vv1": weight}, name="foo", reshape=True)),
                   ("second", lambda: tf.train.Saver([weight], max_to_keep=None, keep_checkpoint_every_n_hours=2.5,
                                                     filename="file.ckpt"))]
        for name, build in configs:
            start = len(graph.get_operations())
            saver = build()
            results[name] = {"nodes": _nodes_since(graph, start), "saver_def": str(saver.as_saver_def())}
    return results


def _nodes_since(graph, start):
    """Name, op, inputs, device and attrs of the nodes added to ``graph`` after its first ``start`` ops (control
    inputs sorted, as a GraphDef lists them)."""
    nodes = []
    for op in graph.get_operations()[start:]:
        node = op.node_def
        attrs = {key: str(node.attr[key]) for key in sorted(node.attr)
                 if key != "_has_manual_control_dependencies"}
        inputs = [name for name in node.input if not name.startswith("^")]
        inputs += sorted(name for name in node.input if name.startswith("^"))
        nodes.append({"name": node.name, "op": node.op, "input": inputs, "device": node.device, "attr": attrs})
    return nodes


def _checkpoint_bytes(prefix):
    """The hex of the index and data files of the checkpoint ``prefix``, by file name."""
    directory, base = os.path.split(prefix)
    return {name: open(os.path.join(directory, name), "rb").read().hex()
            for name in sorted(os.listdir(directory or ".")) if name.startswith(base + ".") and ".meta" not in name}


def sharded_saver(tf):
    """Saver(sharded=True): its nodes with variables on one and on two devices, the files each save leaves (the
    ``_temp`` shards merged away), their bytes, and restores across sharded and unsharded Savers."""
    results = {}
    values = {"a": np.array([1.5, -2.0], np.float32), "b": np.int64(7), "c": np.array([b"x", b"yz"], dtype=object)}
    for devices in ("one_device", "two_devices"):
        with tf.Graph().as_default() as graph:
            with tf.device("/cpu:0" if devices == "two_devices" else None):
                tf.Variable(values["a"], name="a")
            tf.Variable(values["b"], name="b")
            tf.Variable(values["c"].tolist(), dtype=tf.string, name="c")
            start = len(graph.get_operations())
            saver = tf.train.Saver(sharded=True, max_to_keep=2)
            case = {"nodes": _nodes_since(graph, start), "saver_def": str(saver.as_saver_def())}
            os.makedirs(devices)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                case["paths"] = [saver.save(sess, devices + "/model.ckpt", global_step=step) for step in (1, 2, 3)]
                case["files"] = listing(devices)
                case["bytes"] = _checkpoint_bytes(case["paths"][-1])
                case["state"] = read_text(devices + "/checkpoint")
                case["state_named_path"] = saver.save(sess, devices + "/checkpoint", write_meta_graph=False)
                case["files_after_state_named"] = listing(devices)
        results[devices] = case
    os.makedirs("cross")
    for writer, reader in ((True, False), (False, True)):
        with tf.Graph().as_default():
            made = make_variables(tf, values)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                path = tf.train.Saver(sharded=writer).save(sess, "cross/%s" % writer, write_meta_graph=False)
        with tf.Graph().as_default():
            made = make_variables(tf, {"a": np.zeros(2, np.float32), "b": np.int64(0),
                                       "c": np.array([b"", b""], dtype=object)})
            with tf.Session() as sess:
                tf.train.Saver(sharded=reader).restore(sess, path)
                results["written_sharded_%s" % writer] = {name: as_json(v) for name, v in sess.run(made).items()}
    results["cross_files"] = listing("cross")
    with tf.Graph().as_default():
        tf.Variable(1.0, name="v")
        saver = tf.train.Saver(sharded=True)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            results["no_directory"] = error_of(lambda: saver.save(sess, "nowhere/model"))
    return results


CASES = {
    "seed000_save": seed000_save,
    "max_to_keep_default": max_to_keep_default,
    "max_to_keep_2": max_to_keep_2,
    "max_to_keep_1": max_to_keep_1,
    "max_to_keep_0": max_to_keep_0,
    "max_to_keep_none": max_to_keep_none,
    "resave_same_prefix": resave_same_prefix,
    "write_state_false": write_state_false,
    "write_meta_graph_false": write_meta_graph_false,
    "pad_step_number": pad_step_number,
    "latest_filename_and_suffix": latest_filename_and_suffix,
    "no_directory": no_directory,
    "absolute_paths": absolute_paths,
    "global_step_tensor": global_step_tensor,
    "keep_every_n_hours": keep_every_n_hours,
    "set_and_recover_last_checkpoints": set_and_recover_last_checkpoints,
    "several_dtypes_round_trip": several_dtypes_round_trip,
    "renamed_keys_and_reshape": renamed_keys_and_reshape,
    "restore_errors": restore_errors,
    "build_errors": build_errors,
    "save_errors": save_errors,
    "state_file_functions": state_file_functions,
    "load_checkpoint_errors": load_checkpoint_errors,
    "init_from_checkpoint_case": init_from_checkpoint_case,
    "saver_graph_nodes": saver_graph_nodes,
    "sharded_saver": sharded_saver,
}
