"""tf.data programs run under TensorFlow (tests/golden/make_data.py) and minitf (tests/test_data.py).

Each program takes the ``tf`` module, a scratch directory and ``write_tfrecord(path, records, compression)``, builds
a TF1 graph and returns what it observed: element values, static structure, errors, and the graph's nodes.
"""
import os

import numpy as np


def plain(value):
    """``value`` (nested numpy results) as JSON-able Python."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in sorted(value.items())}
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("latin-1")
    array = np.asarray(value)
    if array.dtype == object:
        return plain(array.tolist())
    return {"dtype": array.dtype.name, "value": array.tolist()}


def drain(sess, element, feed_dict=None, limit=1000):
    """Every element until OutOfRangeError; the error's class name ends the list."""
    values = []
    for _ in range(limit):
        try:
            values.append(plain(sess.run(element, feed_dict)))
        except Exception as e:  # noqa: BLE001 -- the error class is part of the result
            values.append(error(e))
            break
    return values


def error(e):
    """The error's class and its own message (without TensorFlow's node and traceback decorations)."""
    message = getattr(e, "message", None) or str(e)
    if "\nNode: '" in message:
        message = message.split("\nNode: '", 1)[1].split("\n", 1)[1]
    return {"error": type(e).__name__, "message": message.split("\n\t [[")[0]}


def nodes(graph):
    return [[op.name, op.type, [t.name for t in op.inputs]] for op in graph.get_operations()]


def _flat(structure):
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in _flat(structure[key])]
    if isinstance(structure, tuple):
        return [leaf for item in structure for leaf in _flat(item)]
    return [structure]


def structure(dataset_or_iterator, tf):
    """The element's flat dtypes and static shapes."""
    types = tf.data.get_output_types(dataset_or_iterator)
    shapes = tf.data.get_output_shapes(dataset_or_iterator)
    return [[t.name for t in _flat(types)], [str(s) for s in _flat(shapes)]]


# -- programs -----------------------------------------------------------------------------------------------------

def slices_map_filter_shuffle_batch(tf, workdir, write_tfrecord):
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    ds = tf.data.Dataset.from_tensor_slices((x, np.arange(4)))
    ds = ds.map(lambda a, b: (a * 2.0, b + 1), num_parallel_calls=2)
    ds = ds.filter(lambda a, b: b > 1)
    ds = ds.shuffle(10, seed=3).repeat(2).batch(2, drop_remainder=True).prefetch(1)
    it = tf.data.make_initializable_iterator(ds)
    element = it.get_next()
    with tf.Session() as sess:
        runs = []
        for scale in (1, 3):
            sess.run(it.initializer, {x: np.arange(8).reshape(4, 2) * scale})
            runs.append(drain(sess, element))
    return {"runs": runs, "structure": structure(ds, tf), "iterator": structure(it, tf),
            "nodes": nodes(tf.get_default_graph())}


def shuffle_orders(tf, workdir, write_tfrecord):
    result = {}
    it = tf.data.Dataset.range(20).shuffle(7, seed=5).make_initializable_iterator()
    element = it.get_next()
    repeated = tf.data.Dataset.range(10).shuffle(4, seed=11).repeat(3).make_one_shot_iterator().get_next()
    fixed = tf.data.Dataset.range(10).shuffle(4, seed=11, reshuffle_each_iteration=False).repeat(2)
    fixed = fixed.make_one_shot_iterator().get_next()
    large = tf.data.Dataset.range(6).shuffle(100, seed=1).make_one_shot_iterator().get_next()
    tuples = tf.data.Dataset.from_tensor_slices((np.arange(8), np.arange(8) * 10.0)).shuffle(3, seed=2)
    tuples = tuples.batch(3).make_one_shot_iterator().get_next()
    spanning = tf.data.Dataset.range(5).apply(tf.data.experimental.shuffle_and_repeat(8, 3, seed=7))
    spanning = spanning.make_one_shot_iterator().get_next()
    forever = tf.data.Dataset.range(4).apply(tf.data.experimental.shuffle_and_repeat(6, seed=3))
    forever = forever.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        result["reinitialized"] = []
        for _ in range(2):
            sess.run(it.initializer)
            result["reinitialized"].append(drain(sess, element))
        result["repeated"] = drain(sess, repeated)
        result["fixed"] = drain(sess, fixed)
        result["large_buffer"] = drain(sess, large)
        result["tuples"] = drain(sess, tuples)
        result["shuffle_and_repeat_spanning"] = drain(sess, spanning)
        result["shuffle_and_repeat_forever"] = [plain(sess.run(forever)) for _ in range(25)]
    return result


def shuffle_graph_seed(tf, workdir, write_tfrecord):
    tf.set_random_seed(4)
    a = tf.data.Dataset.range(12).shuffle(5).make_one_shot_iterator().get_next()
    b = tf.data.Dataset.range(12).shuffle(5, seed=0).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        return {"a": drain(sess, a), "b": drain(sess, b), "nodes": nodes(tf.get_default_graph())}


def one_shot_and_feedable(tf, workdir, write_tfrecord):
    train = tf.data.Dataset.range(100).map(lambda v: v * 2).repeat()
    valid = tf.data.Dataset.range(3)
    train_it = tf.data.make_one_shot_iterator(train)
    valid_it = valid.make_initializable_iterator()
    handle = tf.placeholder(tf.string, shape=[])
    it = tf.data.Iterator.from_string_handle(handle, tf.data.get_output_types(train),
                                             tf.data.get_output_shapes(train))
    element = it.get_next()
    with tf.Session() as sess:
        train_handle = sess.run(train_it.string_handle())
        valid_handle = sess.run(valid_it.string_handle())
        out = [plain(sess.run(element, {handle: train_handle})) for _ in range(3)]
        sess.run(valid_it.initializer)
        out.append(drain(sess, element, {handle: valid_handle}))
        out.append(plain(sess.run(element, {handle: train_handle})))
        out.append(isinstance(train_handle, bytes))
    return {"out": out, "nodes": nodes(tf.get_default_graph())}


def reinitializable(tf, workdir, write_tfrecord):
    train = tf.data.Dataset.from_tensor_slices((np.arange(6, dtype=np.float32).reshape(3, 2), [0, 1, 0]))
    valid = tf.data.Dataset.from_tensor_slices((np.ones((2, 2), np.float32), [1, 1]))
    it = tf.data.Iterator.from_structure(tf.data.get_output_types(train), tf.data.get_output_shapes(train))
    features, labels = it.get_next()
    train_init = it.make_initializer(train)
    valid_init = it.make_initializer(valid, name="valid_init")
    out = []
    with tf.Session() as sess:
        try:
            sess.run(features)
        except Exception as e:  # noqa: BLE001
            out.append(error(e))
        for init in (train_init, valid_init, train_init):
            sess.run(init)
            out.append(drain(sess, [features, labels]))
    return {"out": out, "structure": structure(it, tf), "nodes": nodes(tf.get_default_graph())}


def structures(tf, workdir, write_tfrecord):
    result = {}
    d = tf.data.Dataset.from_tensor_slices({"a": np.arange(3), "b": np.array([b"x", b"y", b"z"])})
    result["dict"] = structure(d, tf)
    summed = d.map(lambda e: {"a2": e["a"] * 2, "b": e["b"]})
    result["dict_map"] = structure(summed, tf)
    z = tf.data.Dataset.zip((tf.data.Dataset.range(3), tf.data.Dataset.range(4).map(lambda v: tf.cast(v, tf.float32))))
    nested = tf.data.Dataset.zip((z, tf.data.Dataset.from_tensors([1, 2]).repeat()))
    c = tf.data.Dataset.from_tensors(([1, 2], 3.0)).concatenate(tf.data.Dataset.from_tensors(([3, 4], 4.0)))
    result["nested"] = structure(nested, tf)
    with tf.Session() as sess:
        result["dict_values"] = drain(sess, tf.data.make_one_shot_iterator(summed).get_next())
        result["zip"] = drain(sess, tf.data.make_one_shot_iterator(z).get_next())
        result["nested_values"] = drain(sess, tf.data.make_one_shot_iterator(nested).get_next())
        result["concatenate"] = drain(sess, tf.data.make_one_shot_iterator(c).get_next())
    result["nodes"] = nodes(tf.get_default_graph())
    return result


def transformations(tf, workdir, write_tfrecord):
    cases = {
        "interleave": tf.data.Dataset.range(1, 5).interleave(
            lambda v: tf.data.Dataset.from_tensors(v).repeat(v), cycle_length=2, block_length=2),
        "interleave_block1": tf.data.Dataset.range(3).interleave(
            lambda v: tf.data.Dataset.range(v * 10, v * 10 + 3), cycle_length=3, block_length=1),
        "flat_map": tf.data.Dataset.range(4).flat_map(lambda v: tf.data.Dataset.range(v)),
        "padded_batch": tf.data.Dataset.range(5).map(lambda v: tf.fill([v], v)).padded_batch(2, padded_shapes=[None]),
        "padded_batch_fixed": tf.data.Dataset.range(3).map(lambda v: (tf.fill([v], v), v)).padded_batch(
            2, padded_shapes=([4], []), padding_values=(tf.constant(-1, tf.int64), tf.constant(0, tf.int64))),
        "unbatch": tf.data.Dataset.range(5).batch(2).unbatch(),
        "cache_repeat": tf.data.Dataset.range(3).cache().repeat(2),
        "take_all": tf.data.Dataset.range(4).take(-1),
        "skip_take": tf.data.Dataset.range(10).skip(3).take(4),
        "repeat_zero": tf.data.Dataset.range(4).repeat(0),
        "batch_remainder": tf.data.Dataset.range(5).batch(2),
        "batch_drop": tf.data.Dataset.range(5).batch(2, drop_remainder=True),
        "apply": tf.data.Dataset.range(6).apply(lambda d: d.filter(lambda v: v % 2 > 0)),
        "generator": tf.data.Dataset.from_generator(lambda: iter([[1, 2], [3, 4], [5, 6]]), tf.int32,
                                                    tf.TensorShape([2])),
        "generator_tuple": tf.data.Dataset.from_generator(lambda: iter([(1, b"a"), (2, b"b")]),
                                                          (tf.int64, tf.string)),
        "shuffle_and_repeat": tf.data.Dataset.range(5).apply(tf.data.experimental.shuffle_and_repeat(3, 2, seed=7)),
        "map_and_batch": tf.data.Dataset.range(5).apply(tf.data.experimental.map_and_batch(lambda v: v * v, 2)),
    }
    result = {name: {"structure": structure(d, tf)} for name, d in cases.items()}
    elements = {name: tf.data.make_one_shot_iterator(d).get_next() for name, d in cases.items()}
    with tf.Session() as sess:
        for name, element in elements.items():
            result[name]["values"] = drain(sess, element)
    result["nodes"] = nodes(tf.get_default_graph())
    return result


def captures(tf, workdir, write_tfrecord):
    scale = tf.placeholder(tf.int64, [], name="scale")
    offset = tf.constant(100, tf.int64)
    ds = tf.data.Dataset.range(4).map(lambda v: v * scale + offset).filter(lambda v: v < scale * 3 + offset)
    it = ds.make_initializable_iterator()
    element = it.get_next()
    with tf.Session() as sess:
        out = []
        for s in (1, 2):
            sess.run(it.initializer, {scale: s})
            out.append(drain(sess, element))
    return {"out": out, "nodes": nodes(tf.get_default_graph())}


def _write_files(workdir, write_tfrecord):
    with open(os.path.join(workdir, "a.txt"), "wb") as f:
        f.write(b"first line\nsecond\r\n\nlast without newline")
    with open(os.path.join(workdir, "b.txt"), "wb") as f:
        f.write(b"b1\nb2\n")
    with open(os.path.join(workdir, "fixed.bin"), "wb") as f:
        f.write(b"HDR" + bytes(range(20)) + b"FT")
    records = [b"record %d" % i * (i + 1) for i in range(4)]
    for compression in ("", "GZIP", "ZLIB"):
        write_tfrecord(os.path.join(workdir, f"r{compression}.tfrecord"), records, compression)
    with open(os.path.join(workdir, "r.tfrecord"), "rb") as f:
        data = bytearray(f.read())
    data[30] ^= 1  # inside the second record's data
    with open(os.path.join(workdir, "corrupt.tfrecord"), "wb") as f:
        f.write(bytes(data))


def readers(tf, workdir, write_tfrecord):
    _write_files(workdir, write_tfrecord)
    path = lambda name: os.path.join(workdir, name)  # noqa: E731
    cases = {
        "text": tf.data.TextLineDataset([path("a.txt"), path("b.txt")]),
        "tfrecord": tf.data.TFRecordDataset(path("r.tfrecord")),
        "tfrecord_gzip": tf.data.TFRecordDataset([path("rGZIP.tfrecord")], compression_type="GZIP"),
        "tfrecord_zlib": tf.data.TFRecordDataset(path("rZLIB.tfrecord"), compression_type="ZLIB"),
        "fixed": tf.data.FixedLengthRecordDataset(path("fixed.bin"), 6, header_bytes=3, footer_bytes=2),
        "pipeline": tf.data.TFRecordDataset([path("r.tfrecord")] * 2).map(lambda r: (r, 1)).shuffle(5, seed=9)
        .batch(3),
        "fixed_exact": tf.data.FixedLengthRecordDataset(path("fixed.bin"), 5, header_bytes=3, footer_bytes=2),
        "missing": tf.data.TextLineDataset(path("missing.txt")),
        "corrupt": tf.data.TFRecordDataset(path("corrupt.tfrecord")),
    }
    result = {name: {"structure": structure(d, tf)} for name, d in cases.items()}
    elements = {name: tf.data.make_one_shot_iterator(d).get_next() for name, d in cases.items()}
    with tf.Session() as sess:
        for name, element in elements.items():
            result[name]["values"] = drain(sess, element)
    result["nodes"] = nodes(tf.get_default_graph())
    return result


def run_time_errors(tf, workdir, write_tfrecord):
    result = {}
    x = tf.placeholder(tf.int64, [None])
    ragged = tf.data.Dataset.range(1, 4).map(lambda v: tf.range(v)).batch(2).make_one_shot_iterator().get_next()
    step = tf.placeholder(tf.int64, [])
    r = tf.data.Dataset.range(0, 5, step).make_initializable_iterator()
    uninitialized = tf.data.Dataset.from_tensor_slices(x).make_initializable_iterator()
    with tf.Session() as sess:
        result["ragged_batch"] = drain(sess, ragged)
        try:
            sess.run(r.initializer, {step: 0})
            result["zero_step"] = None
        except Exception as e:  # noqa: BLE001
            result["zero_step"] = error(e)
        try:
            sess.run(uninitialized.get_next())
        except Exception as e:  # noqa: BLE001
            result["uninitialized"] = error(e)
    return result


def _located(e):
    """``error(e)`` with the name of the op TensorFlow blames (None when the error comes from inside a function)."""
    op = getattr(e, "op", None)
    return {**error(e), "op": op.name if op is not None else None}


def _first_line(e):
    """A Python error raised inside a dataset function: TensorFlow puts it after "Graph execution error:" and
    appends its traceback, so keep the line naming the error."""
    message = error(e)["message"].split("Graph execution error:\n\n", 1)[-1]
    return {**_located(e), "message": message.split("\n", 1)[0]}


def shape_checks(tf, workdir, write_tfrecord):
    """Run-time checks of element shapes against an iterator's ``output_shapes``: in ``IteratorGetNext`` (every
    element), ``MakeIterator`` and ``IteratorFromStringHandleV2`` (the dataset's static shapes)."""
    result = {}

    def attempt(sess, fetch, feed_dict=None, describe=_located):
        try:
            return plain(sess.run(fetch, feed_dict))
        except Exception as e:  # noqa: BLE001
            return describe(e)
    narrow = tf.data.Iterator.from_structure(tf.int64, tf.TensorShape([2]))
    narrow_init = narrow.make_initializer(tf.data.Dataset.range(5).batch(2))
    narrow_next = narrow.get_next()
    pairs = tf.data.Iterator.from_structure((tf.int64, tf.int64), (tf.TensorShape([]), tf.TensorShape([2])))
    pairs_init = pairs.make_initializer(tf.data.Dataset.zip((tf.data.Dataset.range(3),
                                                             tf.data.Dataset.range(5).batch(2))))
    pairs_next = pairs.get_next(name="pairs_next")

    def gen():
        yield np.zeros([2], np.float32)
        yield np.zeros([3], np.float32)
    generated = tf.data.Dataset.from_generator(gen, tf.float32, tf.TensorShape([2])).make_one_shot_iterator()
    generated_next = generated.get_next()
    wide = tf.data.make_one_shot_iterator(tf.data.Dataset.from_tensor_slices(np.zeros([4, 3], np.float32)).batch(2))
    handle = tf.placeholder(tf.string, [], name="handle")
    feedable = tf.data.Iterator.from_string_handle(handle, tf.float32, tf.TensorShape([None, 2]))
    feedable_next = feedable.get_next()
    with tf.Session() as sess:
        sess.run(narrow_init)
        result["short_last_batch"] = [attempt(sess, narrow_next) for _ in range(4)]
        sess.run(narrow_init)
        result["reinitialized"] = attempt(sess, narrow_next)
        sess.run(pairs_init)
        result["second_component"] = [attempt(sess, pairs_next) for _ in range(4)]
        result["generator"] = [attempt(sess, generated_next, describe=_first_line) for _ in range(3)]
        result["string_handle"] = attempt(sess, feedable_next, {handle: sess.run(wide.string_handle())})
    result["nodes"] = nodes(tf.get_default_graph())
    return result


def make_iterator_shape_check(tf, workdir, write_tfrecord):
    """``MakeIterator`` refuses a dataset whose static shapes do not fit the iterator's: a GraphDef whose iterator
    was narrowed after ``make_initializer`` checked it (as an edited or hand-written graph may be)."""
    dataset = tf.data.Dataset.from_tensor_slices(np.zeros([4, 3], np.float32)).batch(2)
    it = tf.data.Iterator.from_structure(tf.float32, tf.TensorShape([None, None]))
    init = it.make_initializer(dataset)
    element = it.get_next()
    graph_def = tf.get_default_graph().as_graph_def()
    for node in graph_def.node:
        if node.op in ("IteratorV2", "IteratorGetNext"):
            node.attr["output_shapes"].list.shape[0].dim[1].size = 2
    tf.reset_default_graph()
    tf.import_graph_def(graph_def, name="")
    graph = tf.get_default_graph()
    out = []
    with tf.Session() as sess:
        for fetch in (graph.get_operation_by_name(init.name), graph.get_tensor_by_name(element.name)):
            try:
                value = sess.run(fetch)
                out.append(None if value is None else plain(value))
            except Exception as e:  # noqa: BLE001
                out.append(_located(e))
    return {"out": out}


def list_files(tf, workdir, write_tfrecord):
    """``Dataset.list_files``: sorted matches, seeded shuffles, several patterns, the no-match error."""
    for name in ("b.txt", "a.txt", "d.txt", "c.csv", "e.txt", "f.txt"):
        with open(os.path.join(workdir, name), "w") as f:
            f.write(name)
    txt = os.path.join(workdir, "*.txt")
    cases = {
        "sorted": tf.data.Dataset.list_files(txt, shuffle=False),
        "seeded": tf.data.Dataset.list_files(txt, seed=4).repeat(2),
        "patterns": tf.data.Dataset.list_files([txt, os.path.join(workdir, "*.csv")], shuffle=False),
        "patterns_seeded": tf.data.Dataset.list_files([os.path.join(workdir, "*.csv"), txt], seed=11),
        "none": tf.data.Dataset.list_files(os.path.join(workdir, "*.png")),
        "none_of_two": tf.data.Dataset.list_files([os.path.join(workdir, "*.png"), os.path.join(workdir, "*.gif")],
                                                  shuffle=False),
    }
    result = {name: {"structure": structure(d, tf)} for name, d in cases.items()}
    elements = {name: tf.data.make_one_shot_iterator(d).get_next() for name, d in cases.items()}
    it = tf.data.make_initializable_iterator(cases["none"])
    with tf.Session() as sess:
        for name, element in elements.items():
            result[name]["values"] = [v if isinstance(v, dict) and "error" in v else os.path.basename(v)
                                      for v in drain(sess, element)]
        try:
            sess.run(it.initializer)
        except Exception as e:  # noqa: BLE001
            result["initializer"] = _located(e)
    result["nodes"] = nodes(tf.get_default_graph())
    return result


def reduce_join(tf, workdir, write_tfrecord):
    """``tf.reduce_join``, which ``list_files`` uses for its message: axis orders, keep_dims, errors."""
    x = np.array([[b"a", b"b", b"c"], [b"d", b"e", b"f"]])
    fed = tf.placeholder(tf.string, name="fed")
    cases = {
        "all": tf.reduce_join(x),
        "axes_0_1": tf.reduce_join(x, [0, 1], separator="-"),
        "axes_1_0": tf.reduce_join(x, [1, 0], separator="-"),
        "axis_0": tf.reduce_join(x, 0, separator="-"),
        "keep_dims": tf.reduce_join(x, -1, keep_dims=True),
        "strings_keepdims": tf.strings.reduce_join(x, axis=1, keepdims=True),
        "scalar": tf.reduce_join("abc"),
        "empty": tf.reduce_join(np.zeros([0, 2], bytes), 0, separator=","),
        "no_axes": tf.reduce_join(x, [], separator=","),
        "named": tf.reduce_join(x, name="joined"),
        "unknown_rank": tf.reduce_join(fed, separator="+"),
        "duplicate": tf.reduce_join(x, [0, 0]),
        "out_of_range": tf.reduce_join(fed, 2),
        "negative_out_of_range": tf.reduce_join(fed, -3),
    }
    result = {name: {"shape": str(t.shape)} for name, t in cases.items()}
    with tf.Session() as sess:
        for name, t in cases.items():
            try:
                result[name]["value"] = plain(sess.run(t, {fed: x}))
            except Exception as e:  # noqa: BLE001
                result[name]["value"] = _located(e)
    try:
        tf.reduce_join(x, 2)
    except ValueError as e:
        result["static_out_of_range"] = str(e).split(" for '")[0]
    result["nodes"] = nodes(tf.get_default_graph())
    return result


def construction_errors(tf, workdir, write_tfrecord):
    result = {}

    def attempt(name, fn):
        try:
            fn()
            result[name] = None
        except Exception as e:  # noqa: BLE001
            result[name] = error(e)
    attempt("slices_sizes", lambda: tf.data.Dataset.from_tensor_slices((np.arange(3), np.arange(4))))
    attempt("slices_scalar", lambda: tf.data.Dataset.from_tensor_slices(3))
    attempt("filter_not_bool", lambda: tf.data.Dataset.range(3).filter(lambda v: v))
    attempt("initializer_types", lambda: tf.data.Iterator.from_structure(tf.int32).make_initializer(
        tf.data.Dataset.range(3)))
    attempt("initializer_shapes", lambda: tf.data.Iterator.from_structure(tf.float32, [None, 2]).make_initializer(
        tf.data.Dataset.from_tensors(np.zeros([4, 3], np.float32))))
    attempt("one_shot_initializer", lambda: tf.data.Dataset.range(3).make_one_shot_iterator().initializer)
    attempt("flat_map_not_dataset", lambda: tf.data.Dataset.range(3).flat_map(lambda v: v))
    return result


def training_loop(tf, workdir, write_tfrecord):
    """A linear model trained from a shuffled, batched pipeline with a fixed seed."""
    xs = np.linspace(-1, 1, 40).astype(np.float32).reshape(40, 1)
    ys = (3 * xs + 0.5).astype(np.float32)
    ds = tf.data.Dataset.from_tensor_slices((xs, ys)).shuffle(40, seed=1).repeat(3).batch(8)
    x, y = ds.make_one_shot_iterator().get_next()
    w = tf.Variable(tf.zeros([1, 1]), name="w")
    b = tf.Variable(tf.zeros([1]), name="b")
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        while True:
            try:
                losses.append(float(sess.run([train, loss])[1]))
            except tf.errors.OutOfRangeError:
                break
        return {"losses": losses, "w": sess.run(w).tolist(), "b": sess.run(b).tolist()}


def random_in_map(tf, workdir, write_tfrecord):
    """Random ops traced into map functions: seeded by the graph seed and op seeds as TensorFlow derives them."""
    tf.set_random_seed(1)
    outside = tf.random_uniform([])
    seeded = tf.data.Dataset.range(3).map(lambda v: tf.random_uniform([], seed=5) + tf.cast(v, tf.float32))
    counted = tf.data.Dataset.range(3).map(lambda v: tf.random_normal([2]) * tf.cast(v, tf.float32))
    elements = [tf.data.make_one_shot_iterator(d).get_next() for d in (seeded, counted)]
    with tf.Session() as sess:
        return {"outside": plain(sess.run(outside)), "seeded": drain(sess, elements[0]),
                "counted": drain(sess, elements[1])}


PROGRAMS = [slices_map_filter_shuffle_batch, shuffle_orders, shuffle_graph_seed, one_shot_and_feedable,
            reinitializable, structures, transformations, captures, readers, run_time_errors, shape_checks,
            make_iterator_shape_check, list_files, reduce_join, construction_errors,
            training_loop, random_in_map]
