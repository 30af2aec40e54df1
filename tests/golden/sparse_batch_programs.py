"""SparseTensors through the batching functions: programs shared by tests/golden/make_sparse_batch.py (TensorFlow)
and tests/test_sparse_batch.py (minitf).

Each program is ``build(tf, path)`` over ``path``, a TFRecord file of ``EXAMPLES`` written by the library itself;
it returns ``(fetches, runs)``: the fetches are run ``runs`` times (None: until OutOfRangeError) with the queue
runners started. ``run`` returns the graph's nodes (name, type, and the map ops' ``shared_name``), the fetches'
static shapes and every run's values (a SparseTensorValue as its three parts). Runs whose order depends on thread
timing are recorded as sorted rows (``rows``).
"""
import numpy as np

# (ids, weights, label): a VarLenFeature of int64 (the third example has none), one of float, a FixedLenFeature
EXAMPLES = [([3, 1, 4], [0.5], 0), ([1, 5], [], 1), ([], [2.0, 3.0], 2), ([9, 2, 6, 5], [1.5], 3), ([3], [4.0], 4)]


def write_records(tf, path):
    with tf.python_io.TFRecordWriter(path) as writer:
        for ids, weights, label in EXAMPLES:
            example = tf.train.Example(features=tf.train.Features(feature={
                "ids": tf.train.Feature(int64_list=tf.train.Int64List(value=ids)),
                "weights": tf.train.Feature(float_list=tf.train.FloatList(value=weights)),
                "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[label]))}))
            writer.write(example.SerializeToString())


def _parsed(tf, path, num_epochs=1):
    queue = tf.train.string_input_producer([path], num_epochs=num_epochs, shuffle=False)
    _, serialized = tf.TFRecordReader().read(queue)
    return tf.parse_single_example(serialized, {"ids": tf.VarLenFeature(tf.int64),
                                                "weights": tf.VarLenFeature(tf.float32),
                                                "label": tf.FixedLenFeature([], tf.int64)})


def batch_dict(tf, path):
    """batch of a parsed dict (two VarLenFeatures and a dense label), the final batch smaller."""
    return tf.train.batch(_parsed(tf, path), batch_size=2, allow_smaller_final_batch=True), None


def batch_list_full_batches(tf, path):
    """batch of a list [sparse, dense]; the last example is dropped (no smaller final batch)."""
    features = _parsed(tf, path)
    return {"batch": tf.train.batch([features["ids"], features["label"]], batch_size=2)}, None


def batch_only_sparse(tf, path):
    """batch of a list holding only a SparseTensor: a one-component queue (no control_dependency Identities)."""
    return {"batch": tf.train.batch([_parsed(tf, path)["weights"]], batch_size=5)}, 1


def batch_dynamic_pad(tf, path):
    """dynamic_pad: a SparseTensor beside a dense tensor of varying length, padded."""
    features = _parsed(tf, path)
    dense = tf.sparse_tensor_to_dense(features["ids"])
    return {"batch": tf.train.batch([features["ids"], dense], batch_size=3, dynamic_pad=True,
                                    allow_smaller_final_batch=True)}, None


def _minibatch(tf):
    """A rank-3 SparseTensor of 4 examples; example 2 has no values."""
    return tf.SparseTensor(indices=[[0, 0, 1], [0, 1, 0], [1, 0, 2], [3, 0, 0], [3, 2, 1]],
                           values=tf.constant([1.0, 2.0, 3.0, 4.0, 5.0]), dense_shape=[4, 3, 3])


def batch_enqueue_many(tf, path):
    """enqueue_many: a minibatch split into examples (AddManySparseToTensorsMap), rebatched by 3."""
    return {"batch": tf.train.batch([_minibatch(tf), tf.constant([10, 11, 12, 13])], batch_size=3,
                                    enqueue_many=True, capacity=8)}, 4


def maybe_batch_vector_keep(tf, path):
    """maybe_batch with a vector keep_input: the dropped examples' values go (sparse_retain) before the store."""
    keep = tf.constant([True, False, True, True])
    return {"batch": tf.train.maybe_batch([_minibatch(tf), tf.constant([10, 11, 12, 13])], keep, batch_size=2,
                                          enqueue_many=True, capacity=8)}, 3


def maybe_batch_scalar_keep(tf, path):
    """maybe_batch with a keep_input known only at run time: the store is in the cond's true branch."""
    features = _parsed(tf, path)
    keep = tf.equal(features["label"] % 2, 0)
    return tf.train.maybe_batch(features, keep, batch_size=2, allow_smaller_final_batch=True), None


def maybe_batch_many_scalar_keep(tf, path):
    """maybe_batch, enqueue_many, keep_input a run-time scalar: AddManySparseToTensorsMap under a cond."""
    keep = tf.placeholder_with_default(True, [])
    return {"batch": tf.train.maybe_batch([_minibatch(tf)], keep, batch_size=3, enqueue_many=True,
                                          capacity=8)}, 2


def batch_join_shared_map(tf, path):
    """batch_join of two lists: the second stores into the first list's map (shared_name); the same values in
    both lists keep the batches independent of which thread enqueued first."""
    lists = [[_minibatch(tf), tf.constant([10, 11, 12, 13])] for _ in range(2)]
    return {"batch": tf.train.batch_join(lists, batch_size=4, enqueue_many=True, capacity=8)}, 2


def shuffle_batch_rows(tf, path):
    """shuffle_batch over one epoch: the examples (as rows) are all there once, in an order of the seed."""
    features = _parsed(tf, path)
    return {"rows": tf.train.shuffle_batch([features["ids"], features["label"]], batch_size=2, capacity=10,
                                           min_after_dequeue=1, seed=7, allow_smaller_final_batch=True)}, None


def shuffle_batch_join_rows(tf, path):
    """shuffle_batch_join of two readers of the same file: every example twice."""
    lists = [[_parsed(tf, path)["ids"]] for _ in range(2)]
    return {"rows": tf.train.shuffle_batch_join(lists, batch_size=3, capacity=12, min_after_dequeue=2, seed=3,
                                                allow_smaller_final_batch=True)}, None


def inconsistent_join(tf, path):
    """batch_join of a list with a SparseTensor and one with a dense tensor in its place: a ValueError."""
    features = _parsed(tf, path)
    return {"batch": tf.train.batch_join([[features["ids"]], [features["label"]]], batch_size=2)}, 1


PROGRAMS = {f.__name__: f for f in (batch_dict, batch_list_full_batches, batch_only_sparse, batch_dynamic_pad,
                                    batch_enqueue_many, maybe_batch_vector_keep, maybe_batch_scalar_keep,
                                    maybe_batch_many_scalar_keep, batch_join_shared_map, shuffle_batch_rows,
                                    shuffle_batch_join_rows, inconsistent_join)}


def _plain(v):
    if hasattr(v, "dense_shape"):
        return {"sparse": [_plain(v.indices), _plain(v.values), _plain(v.dense_shape)]}
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in sorted(v.items())}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    a = np.asarray(v)
    return [a.dtype.name, list(a.shape), a.reshape(-1).tolist()]


def _static(t):
    if hasattr(t, "dense_shape"):
        return [_static(t.indices), _static(t.values), _static(t.dense_shape)]
    if isinstance(t, dict):
        return {k: _static(x) for k, x in sorted(t.items())}
    if isinstance(t, (list, tuple)):
        return [_static(x) for x in t]
    return [t.dtype.name, None if t.shape.ndims is None else t.shape.as_list()]


def _rows(batch):
    """Each example of a fetched [SparseTensorValue, labels...] batch as [sparse row's (index, value) list, ...]."""
    parts = [batch] if hasattr(batch, "dense_shape") else batch
    sparse = parts[0]
    n = int(sparse.dense_shape[0])
    rows = [[[[int(i) for i in ix[1:]], float(v)] for ix, v in zip(sparse.indices, sparse.values) if ix[0] == b]
            for b in range(n)]
    return [[row] + [np.asarray(p[b]).tolist() for p in parts[1:]] for b, row in enumerate(rows)]


def _node(op):
    if op.type in ("AddSparseToTensorsMap", "AddManySparseToTensorsMap", "TakeManySparseFromTensorsMap"):
        return [op.name, op.type, op.get_attr("shared_name").decode()]
    return [op.name, op.type]


def run(tf, build, path):
    """What ``build`` does under ``tf`` over the records at ``path`` (see the module docstring)."""
    with tf.Graph().as_default() as graph:
        try:
            fetches, runs = build(tf, path)
        except (ValueError, TypeError) as e:
            return {"error": [type(e).__name__, str(e).split(": [")[0]]}
        result = {"nodes": [_node(op) for op in graph.get_operations()], "static": _static(fetches)}
        values = []
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord)
            try:
                while runs is None or len(values) < runs:
                    values.append(sess.run(fetches))
            except tf.errors.OutOfRangeError:
                pass
            coord.request_stop()
            coord.join(threads)
        if "rows" in fetches:
            result["rows"] = sorted(row for value in values for row in _rows(value["rows"]))
            result["batch_sizes"] = [len(_rows(v["rows"])) for v in values]
        else:
            result["values"] = [_plain(v) for v in values]
    return result
