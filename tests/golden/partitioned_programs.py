"""Programs of tests/golden/make_partitioned_variables.py (TensorFlow) and tests/test_partitioned_variables.py
(minitf): partitioned variables made by get_variable / variable_scope with a partitioner, looked up and trained.

PROGRAMS are run by program_runs (graph nodes, then each fetch in order in one session); FACTS return what a program
sees in Python (names, shapes, partitions, slice specs, collections) as JSON; ERRORS are construction errors.
"""
import numpy as np

_SEEDED = dict(seed=7)


def _embedding(tf, name="emb", rows=10, cols=4, shards=3, strategy_initializer=None):
    initializer = strategy_initializer or tf.random_uniform_initializer(-1.0, 1.0, **_SEEDED)
    with tf.variable_scope("model", partitioner=tf.fixed_size_partitioner(shards)):
        return tf.get_variable(name, [rows, cols], initializer=initializer)


def initial_values(tf):
    """Each part drawn with its own shape (seeded and graph-seeded initializers, the default glorot_uniform with
    the full shape's fans), a Tensor and a list initializer sliced, an integer variable's zeros, axis 1."""
    tf.set_random_seed(3)
    emb = _embedding(tf)
    with tf.variable_scope("other"):
        normal = tf.get_variable("normal", [7, 3], initializer=tf.truncated_normal_initializer(stddev=0.5),
                                 partitioner=tf.fixed_size_partitioner(2))
        glorot = tf.get_variable("glorot", [5, 6], partitioner=tf.fixed_size_partitioner(2, axis=1))
        scaled = tf.get_variable("scaled", [9, 2], initializer=tf.variance_scaling_initializer(mode="fan_avg"),
                                 partitioner=tf.fixed_size_partitioner(4))
        const = tf.get_variable("const", initializer=tf.constant(np.arange(12.0, dtype=np.float32).reshape(6, 2)),
                                partitioner=tf.fixed_size_partitioner(4))
        listed = tf.get_variable("listed", [3, 2], initializer=[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]],
                                 partitioner=tf.fixed_size_partitioner(2))
        counts = tf.get_variable("counts", [5], dtype=tf.int64, partitioner=tf.fixed_size_partitioner(8))
    init = tf.global_variables_initializer()
    return {"init": init, "emb_parts": list(emb), "emb": emb.as_tensor(), "normal": tf.convert_to_tensor(normal),
            "glorot": list(glorot), "glorot_full": glorot.as_tensor(), "scaled": list(scaled), "const": list(const),
            "listed": list(listed), "counts": tf.convert_to_tensor(counts),
            "matmul": tf.matmul(tf.ones([2, 10]), emb)}


def partitioners(tf):
    """variable_axis_size_partitioner and min_max_variable_partitioner in variable scopes, a float64 and a string
    variable, and a one-part variable (its tensor is an Identity of the part)."""
    with tf.variable_scope("axis", partitioner=tf.variable_axis_size_partitioner(40)):
        small = tf.get_variable("small", [10, 3], initializer=tf.ones_initializer())
        wide = tf.get_variable("wide", [3, 20], initializer=tf.ones_initializer())
    with tf.variable_scope("minmax", partitioner=tf.min_max_variable_partitioner(4, min_slice_size=24)):
        big = tf.get_variable("big", [11, 2], dtype=tf.float64, initializer=tf.ones_initializer())
        one = tf.get_variable("one", [2, 2], initializer=tf.zeros_initializer())
    return {"init": tf.global_variables_initializer(), "small": small.as_tensor(), "wide": wide.as_tensor(),
            "big": big.as_tensor(), "one": one.as_tensor()}


def reuse_and_assign(tf):
    """reuse=True and AUTO_REUSE give the same PartitionedVariable (and build nothing); assign splits a value;
    tf.assign / tf.assign_sub call the PartitionedVariable's own."""
    emb = _embedding(tf)
    with tf.variable_scope("model", reuse=True):
        again = tf.get_variable("emb")
    with tf.variable_scope("model", partitioner=tf.fixed_size_partitioner(3), reuse=tf.AUTO_REUSE):
        auto = tf.get_variable("emb", [10, 4])
    assert again is emb and auto is emb
    assign = emb.assign(tf.reshape(tf.range(40.0), [10, 4]))
    add = emb.assign_add([tf.ones([4, 4]), tf.ones([3, 4]), tf.ones([3, 4])])
    plain_assign = tf.assign(emb, tf.zeros([10, 4]), name="zero")
    plain_sub = tf.assign_sub(emb, tf.ones([10, 4]))
    return {"init": tf.global_variables_initializer(), "assign": assign, "add": add, "value": emb.as_tensor(),
            "plain_assign": plain_assign, "plain_sub": plain_sub}


def _lookup_program(strategy, make_optimizer, steps=3):
    def program(tf):
        tf.set_random_seed(5)
        emb = _embedding(tf)
        ids = tf.placeholder(tf.int64, [None], name="ids")
        with tf.variable_scope("model", partitioner=tf.fixed_size_partitioner(3)):
            bias = tf.get_variable("bias", [10], initializer=tf.constant_initializer(0.5))
        rows = tf.nn.embedding_lookup(emb, ids, partition_strategy=strategy)
        loss = tf.reduce_sum(tf.square(rows - 0.25)) + tf.reduce_sum(
            tf.nn.embedding_lookup(bias, ids, partition_strategy=strategy))
        grads = tf.gradients(loss, list(emb))
        train = make_optimizer(tf).minimize(loss)
        fetches = {"init": tf.global_variables_initializer(), "rows": rows,
                   "grad_values": [g.values for g in grads], "grad_indices": [g.indices for g in grads]}
        for step in range(steps):
            fetches[f"train_{step}"] = train
        fetches["parts"] = list(emb)
        fetches["bias"] = list(bias)
        model = {v.op.name for v in list(emb) + list(bias)}
        fetches["slots"] = {v.op.name: v for v in tf.global_variables() if v.op.name not in model}
        return fetches, {ids: [7, 1, 7, 9, 0, 4]}
    return program


def dense_layer(tf):
    """tf.layers.dense in a partitioned scope: kernel and bias in parts, the layer on their concatenation, and a
    training step through it."""
    tf.set_random_seed(1)
    x = tf.constant(np.arange(12, dtype=np.float32).reshape(2, 6) / 10.0)
    with tf.variable_scope("net", partitioner=tf.fixed_size_partitioner(2)):
        y = tf.layers.dense(x, 3)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(y * y))
    return {"init": tf.global_variables_initializer(), "y": y, "train": train,
            "variables": tf.global_variables()}


def sampled_losses(tf):
    """nce_loss with partitioned class weights and biases ("div"), and its gradients to each part.
    (minitf's softmax_cross_entropy_with_logits, in sampled_softmax_loss, has no Reshape nodes around the op.)"""
    tf.set_random_seed(11)
    with tf.variable_scope("softmax", partitioner=tf.fixed_size_partitioner(3)):
        weights = tf.get_variable("weights", [20, 4], initializer=tf.random_normal_initializer(seed=1))
        biases = tf.get_variable("biases", [20], initializer=tf.random_uniform_initializer(seed=2))
    inputs = tf.constant(np.linspace(-1.0, 1.0, 12, dtype=np.float32).reshape(3, 4))
    labels = tf.constant([[1], [7], [19]], dtype=tf.int64)
    nce = tf.nn.nce_loss(weights, biases, labels, inputs, num_sampled=5, num_classes=20, partition_strategy="div")
    grads = tf.gradients(tf.reduce_sum(nce), list(weights) + list(biases))
    return {"init": tf.global_variables_initializer(), "nce": nce,
            "grads": [tf.convert_to_tensor(g) for g in grads]}


def sparse_lookup(tf):
    """embedding_lookup_sparse over a PartitionedVariable ("div", weighted mean), with gradients to each part."""
    emb = _embedding(tf)
    ids = tf.Variable(np.array([3, 9, 0, 3], np.int64), name="ids")  # not constant: TensorFlow's shape inference
    sp_ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0], [2, 2]], ids, [3, 4])  # would fold the lookup's shapes
    sp_weights = tf.SparseTensor([[0, 0], [0, 1], [1, 0], [2, 2]], [1.0, 2.0, 0.5, 3.0], [3, 4])
    rows = tf.nn.embedding_lookup_sparse(emb, sp_ids, sp_weights, partition_strategy="div")
    grads = tf.gradients(tf.reduce_sum(rows * rows), list(emb))
    return {"init": tf.global_variables_initializer(), "rows": rows,
            "grads": [tf.convert_to_tensor(g) for g in grads]}


PROGRAMS = {
    "initial_values": initial_values,
    "dense_layer": dense_layer,
    "sampled_losses": sampled_losses,
    "sparse_lookup": sparse_lookup,
    "partitioners": partitioners,
    "reuse_and_assign": reuse_and_assign,
    "lookup_mod_sgd": _lookup_program("mod", lambda tf: tf.train.GradientDescentOptimizer(0.1)),
    "lookup_div_sgd": _lookup_program("div", lambda tf: tf.train.GradientDescentOptimizer(0.1)),
    "lookup_div_adagrad": _lookup_program("div", lambda tf: tf.train.AdagradOptimizer(0.3)),
    "lookup_mod_adam": _lookup_program("mod", lambda tf: tf.train.AdamOptimizer(0.05)),
}


# -- what Python sees --------------------------------------------------------------------------------------------

def _describe(tf, pv):
    return {"type": type(pv).__name__, "name": pv.name, "shape": pv.get_shape().as_list(),
            "dtype": pv.dtype.name, "len": len(pv), "partitions": list(pv._get_partitions()),
            "parts": [[v.name, v.get_shape().as_list(), v._get_save_slice_info().spec,
                       v._get_save_slice_info().full_name] for v in pv],
            "tensor": [tf.convert_to_tensor(pv).name, tf.convert_to_tensor(pv).shape.as_list()]}


def facts(tf):
    """The partitioned variables' names, shapes, slice specs, collections and VariableDefs."""
    out = {}
    with tf.Graph().as_default():
        emb = _embedding(tf)
        with tf.variable_scope("s", partitioner=tf.fixed_size_partitioner(4, axis=1)):
            frozen = tf.get_variable("frozen", [3, 6], trainable=False,
                                     regularizer=lambda v: tf.reduce_sum(v) * 0.1)
            scalar = tf.get_variable("scalar", [])
        parts = tf.create_partitioned_variables([5, 2], [2, 1], tf.zeros_initializer(), name="made")
        unnamed = tf.create_partitioned_variables([3], [3], tf.ones_initializer())
        out["emb"] = _describe(tf, emb)
        out["frozen"] = _describe(tf, frozen)
        out["scalar"] = [type(scalar).__name__ == "PartitionedVariable", scalar.name]
        out["created"] = [[v.name, v.get_shape().as_list(), v._get_save_slice_info().spec] for v in parts + unnamed]
        out["global"] = [v.name for v in tf.global_variables()]
        out["trainable"] = [v.name for v in tf.trainable_variables()]
        out["regularization"] = [t.name for t in tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)]
        out["collections"] = sorted(tf.get_default_graph().get_all_collection_keys())
        slice_def = list(emb)[1].to_proto().save_slice_info_def
        out["slice_info_def"] = [slice_def.full_name, list(slice_def.full_shape), list(slice_def.var_offset),
                                 list(slice_def.var_shape)]
        out["partitioners"] = {
            "fixed": tf.fixed_size_partitioner(5)(shape=tf.TensorShape([3, 2]), dtype=tf.float32),
            "axis": tf.variable_axis_size_partitioner(100)(tf.TensorShape([10, 4]), tf.float32),
            "axis_max": tf.variable_axis_size_partitioner(10, max_shards=3)(tf.TensorShape([10, 4]), tf.float32),
            "axis_string": tf.variable_axis_size_partitioner(100, axis=1)(tf.TensorShape([4, 10]), tf.string),
            "minmax": tf.min_max_variable_partitioner(5, min_slice_size=30)(tf.TensorShape([10, 4]), tf.float32),
            "minmax_one": tf.min_max_variable_partitioner(8)(tf.TensorShape([10, 4]), tf.float32),
        }
    return out


def meta_graph_round_trip(tf):
    """The slice info of the parts survives export_meta_graph / import_meta_graph (with an import scope)."""
    with tf.Graph().as_default():
        _embedding(tf)
        meta = tf.train.export_meta_graph()
    with tf.Graph().as_default():
        tf.train.import_meta_graph(meta, import_scope="copy")
        return [[v.name, v._get_save_slice_info().full_name, v._get_save_slice_info().spec]
                for v in tf.global_variables()]


FACTS = {"facts": facts, "meta_graph_round_trip": meta_graph_round_trip}


# -- checkpoints ------------------------------------------------------------------------------------------------

CHECKPOINT_STEPS = 2


def saver_model(tf, shards=3):
    """The checkpointed model: two partitioned tables (one of 200 rows, whose slice keys take two-byte offsets), a
    plain variable and their Adagrad slots; returns its train op. ``shards=None``: the tables unpartitioned."""
    partitioner = tf.fixed_size_partitioner(shards) if shards else None
    with tf.variable_scope("model", partitioner=partitioner):
        emb = tf.get_variable("emb", [5, 2], initializer=tf.random_uniform_initializer(seed=1))
        big = tf.get_variable("big", [200, 3], initializer=tf.random_uniform_initializer(seed=2))
    w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
    loss = tf.reduce_sum(tf.square(tf.nn.embedding_lookup(emb, [1, 4, 4]))) + tf.reduce_sum(
        tf.nn.embedding_lookup(big, [0, 70, 199, 134]) * 2.0) + tf.reduce_sum(w * w)
    return tf.train.AdagradOptimizer(0.1).minimize(loss)


def train_and_save(tf, prefix):
    """Trains saver_model for CHECKPOINT_STEPS steps and saves it at ``prefix``."""
    with tf.Graph().as_default():
        train = saver_model(tf)
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(CHECKPOINT_STEPS):
                sess.run(train)
            saver.save(sess, prefix, write_meta_graph=False)


def saver_nodes(tf):
    """The nodes a Saver adds for saver_model and the keys and slice specs of its SaveV2 and RestoreV2."""
    with tf.Graph().as_default() as graph:
        saver_model(tf)
        tf.train.Saver()
        nodes = [[op.name, op.type] for op in graph.get_operations() if op.name.startswith("save/")]
        assigns = [[op.name, op.inputs[0].op.name, op.inputs[1].value_index] for op in graph.get_operations()
                   if op.name.startswith("save/Assign")]
        return {"nodes": nodes, "assigns": assigns,
                "save": [_constant_texts(tf, graph.get_operation_by_name(f"save/SaveV2/{n}")) for n in
                         ("tensor_names", "shape_and_slices")],
                "restore": [_constant_texts(tf, graph.get_operation_by_name(f"save/RestoreV2/{n}")) for n in
                            ("tensor_names", "shape_and_slices")]}


def _constant_texts(tf, op):
    value = op.get_attr("value")  # minitf gives the array, TensorFlow the TensorProto
    value = value if isinstance(value, np.ndarray) else tf.make_ndarray(value)
    return [v.decode() for v in value.tolist()]


def slot_slices(tf):
    """Adam's and ExponentialMovingAverage's slots of parts, made inside the partitioned scope (never partitioned
    themselves): the checkpoint keys and slice specs a Saver gives them, and variables_to_restore."""
    with tf.Graph().as_default() as graph:
        with tf.variable_scope("m", partitioner=tf.fixed_size_partitioner(2)):
            v = tf.get_variable("v", [5, 2], initializer=tf.ones_initializer())
            ema = tf.train.ExponentialMovingAverage(0.9)
            ema.apply(list(v))
            tf.train.AdamOptimizer(0.1).minimize(tf.reduce_sum(tf.nn.embedding_lookup(v, [1, 3])))
        tf.train.Saver()
        return {"save": [_constant_texts(tf, graph.get_operation_by_name(f"save/SaveV2/{n}"))
                         for n in ("tensor_names", "shape_and_slices")],
                "variables": [v.name for v in tf.global_variables()],
                "to_restore": sorted(ema.variables_to_restore())}


FACTS["saver_nodes"] = saver_nodes
FACTS["slot_slices"] = slot_slices


def restore(tf, prefix, shards):
    """{variable name: value} of saver_model (partitioned into ``shards``, None: not at all) restored from
    ``prefix``."""
    with tf.Graph().as_default():
        saver_model(tf, shards)
        saver = tf.train.Saver()
        with tf.Session() as sess:
            saver.restore(sess, prefix)
            return {v.op.name: sess.run(v).tolist() for v in tf.global_variables()}


RESTORE_SHARDS = {"three": 3, "two": 2, "whole": None}


def init_from_checkpoint(tf, prefix, case):
    """{variable name: initial value} of two-part tables loaded by tf.train.init_from_checkpoint from ``prefix``,
    named by full name, by scope or as lists of parts."""
    with tf.Graph().as_default():
        with tf.variable_scope("model", partitioner=tf.fixed_size_partitioner(2)):
            emb = tf.get_variable("emb", [5, 2])
            big = tf.get_variable("big", [200, 3])
        w = tf.get_variable("w", [2], initializer=tf.zeros_initializer())
        assignment_map = {"names": {"model/emb": "model/emb", "model/big": "model/big"},
                          "scopes": {"/": "/"},
                          "lists": {"model/emb": list(emb), "model/big": list(big), "w": w}}[case]
        tf.train.init_from_checkpoint(prefix, assignment_map)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return {v.op.name: sess.run(v).tolist() for v in tf.global_variables()}


INIT_FROM_CHECKPOINT = ("names", "scopes", "lists")


# -- construction errors ------------------------------------------------------------------------------------------

def _then(tf, first, second):
    first(tf)
    second(tf)


def _plain(tf):
    return tf.get_variable("v", [4, 2])


def _partitioned(tf, shards=2):
    return tf.get_variable("v", [4, 2], partitioner=tf.fixed_size_partitioner(shards))


ERRORS = {
    "unpartitioned_exists": lambda tf: _then(tf, _plain, _partitioned),
    "partitioned_exists": lambda tf: _then(tf, _partitioned, _plain),
    "partitioned_twice": lambda tf: _then(tf, _partitioned, _partitioned),
    "other_partitions": lambda tf: _then(tf, _partitioned, lambda tf: tf.get_variable(
        "v", [4, 2], partitioner=tf.fixed_size_partitioner(3), reuse=True)),
    "reuse_missing": lambda tf: tf.get_variable("v", [4, 2], partitioner=tf.fixed_size_partitioner(2),
                                                reuse=True),
    "reuse_other_shape": lambda tf: _then(tf, _partitioned, lambda tf: tf.get_variable(
        "v", [4, 3], partitioner=tf.fixed_size_partitioner(2), reuse=True)),
    "unknown_shape": lambda tf: tf.get_variable("v", partitioner=tf.fixed_size_partitioner(2)),
    "scalar_tensor_shape": lambda tf: tf.get_variable("v", tf.TensorShape([]),
                                                      partitioner=tf.fixed_size_partitioner(2)),
    "two_axes": lambda tf: tf.get_variable("v", [4, 2], partitioner=lambda shape, dtype: [2, 2]),
    "wrong_rank": lambda tf: tf.get_variable("v", [4, 2], partitioner=lambda shape, dtype: [2]),
    "zero_parts": lambda tf: tf.get_variable("v", [4, 2], partitioner=lambda shape, dtype: [0, 1]),
    "not_a_sequence": lambda tf: tf.get_variable("v", [4, 2], partitioner=lambda shape, dtype: 2),
    "not_callable": lambda tf: tf.get_variable("v", [4, 2], partitioner=3),
    "axis_sizes": lambda tf: tf.variable_axis_size_partitioner(0),
    "axis_shards": lambda tf: tf.variable_axis_size_partitioner(10, max_shards=-1),
    "minmax_axis": lambda tf: tf.min_max_variable_partitioner(axis=2)(tf.TensorShape([3, 2]), tf.float32),
    "conversion_dtype": lambda tf: tf.convert_to_tensor(_partitioned(tf), dtype=tf.int32),
    "created_bad_slicing": lambda tf: tf.create_partitioned_variables([4], [2, 1], tf.zeros_initializer()),
}
