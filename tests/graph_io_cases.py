"""Programs whose GraphDefs and MetaGraphDefs tests/test_graph_io.py compares with TensorFlow's.

Shared by tests/golden/make_graph_io.py (run under TensorFlow, writes tests/fixtures/graphs/graph_io/) and
tests/test_graph_io.py (minitf). ``build(tf)`` builds a program in the default graph and returns a ``Run``: what to
execute on the graph (or on an imported copy of it) to get values both libraries must agree on.

``CASE_SETS`` are the op cases of tests/op_cases.py, nn_cases.py, conv_cases.py and longtail_cases.py, built by
``case_graph`` as tests/golden/make_ops.py and make_conv.py build them (the output and its weighted-sum gradients).
"""
import io

import numpy as np

import conv_cases
import longtail_cases
import nn_cases
import op_cases


class Run:
    """``init`` once, then ``steps`` runs of ``train``, then ``fetches``; every run gets ``feeds`` (name -> value)."""

    def __init__(self, fetches, init=None, train=None, steps=0, feeds=None):
        self.fetches, self.init, self.train, self.steps = fetches, init, train, steps
        self.feeds = feeds or {}

    def execute(self, sess):
        if self.init:
            sess.run(self.init)
        for _ in range(self.steps):
            sess.run(self.train, self.feeds)
        return [np.asarray(v) for v in sess.run(self.fetches, self.feeds)]


def _rng_data(shape, seed, low=-1.0, high=1.0, dtype=np.float32):
    return np.random.default_rng(seed).uniform(low, high, size=shape).astype(dtype)


def small(tf):
    """Placeholders, constants, a matmul and a reduction: no variables, no gradients."""
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.constant(_rng_data([3, 2], 1), name="w")
    y = tf.nn.relu(tf.matmul(x, w) + 0.5, name="y")
    tf.reduce_sum(y, axis=1, keepdims=True, name="total")
    return Run(["y:0", "total:0"], feeds={"x:0": _rng_data([4, 3], 2)})


def seed000(tf):
    """seeds/000's scoped linear regression (random initial weight under a graph seed) with a Saver."""
    tf.set_random_seed(1234)
    x_data = _rng_data([100], 3, 0.0, 1.0)
    y_data = x_data * 0.1 + 0.3
    with tf.name_scope("linear"):
        weight = tf.Variable(tf.random_uniform(shape=[1], minval=-1.0, maxval=1.0), dtype=np.float32, name="weight")
        bias = tf.Variable(tf.zeros(shape=[1]), dtype=np.float32, name="bias")
        y = weight * x_data + bias
    with tf.name_scope("gradient_descent"):
        loss = tf.reduce_mean(tf.square(y - y_data), name="loss")
        optimizer = tf.train.GradientDescentOptimizer(0.5)
        optimizer.minimize(loss)
        tf.global_variables_initializer()
    tf.summary.scalar("loss", loss)
    tf.train.Saver(max_to_keep=2)
    return Run(["linear/weight:0", "linear/bias:0", "gradient_descent/loss:0"], init="gradient_descent/init",
               train="gradient_descent/GradientDescent", steps=5)


def variable_scopes(tf):
    """get_variable under variable scopes (initializers, reuse, a name scope inside), a plain Variable."""
    tf.set_random_seed(7)
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    with tf.variable_scope("layer1"):
        w = tf.get_variable("w", [3, 4])
        b = tf.get_variable("b", [4], initializer=tf.zeros_initializer())
        hidden = tf.nn.relu(tf.matmul(x, w) + b)
    with tf.variable_scope("layer2"):
        w2 = tf.get_variable("w", [4, 2], initializer=tf.truncated_normal_initializer(stddev=0.1))
        b2 = tf.get_variable("b", [2], initializer=tf.constant_initializer(0.1))
        with tf.name_scope("inner"):
            scale = tf.Variable(2.0, name="scale")
        out = tf.matmul(hidden, w2) * scale + b2
    with tf.variable_scope("layer1", reuse=True):
        penalty = tf.nn.l2_loss(tf.get_variable("w"))
    counter = tf.get_variable("counter", [], dtype=tf.int32, initializer=tf.zeros_initializer(), trainable=False)
    tf.add(tf.reduce_sum(out), penalty, name="total")
    tf.assign_add(counter, 1, name="tick")
    tf.global_variables_initializer()
    return Run(["layer2/add:0", "total:0", "counter:0"], init="init", train="tick", steps=2,
               feeds={"x:0": _rng_data([5, 3], 4)})


def adam_mlp(tf):
    """A two-layer classifier trained with Adam: global step, clipped gradients, summaries, a Saver."""
    tf.set_random_seed(3)
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    labels = tf.placeholder(tf.int32, [None], name="labels")
    global_step = tf.train.get_or_create_global_step()
    with tf.variable_scope("mlp"):
        w1 = tf.get_variable("w1", [4, 8], initializer=tf.random_normal_initializer(stddev=0.5))
        b1 = tf.get_variable("b1", [8], initializer=tf.zeros_initializer())
        hidden = tf.nn.relu(tf.matmul(x, w1) + b1)
        w2 = tf.get_variable("w2", [8, 3])
        logits = tf.matmul(hidden, w2, name="logits")
    with tf.name_scope("loss"):
        xent = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        loss = tf.reduce_mean(xent, name="mean")
        tf.add_to_collection(tf.GraphKeys.LOSSES, loss)
    tf.summary.scalar("loss", loss)
    tf.summary.histogram("w1", w1)
    tf.summary.merge_all()
    optimizer = tf.train.AdamOptimizer(0.05)
    grads_and_vars = optimizer.compute_gradients(loss)
    clipped = [(tf.clip_by_norm(g, 1.0), v) for g, v in grads_and_vars]
    train = optimizer.apply_gradients(clipped, global_step=global_step, name="train")
    with tf.control_dependencies([train]):
        tf.identity(loss, name="loss_after_step")
    tf.global_variables_initializer()
    tf.train.Saver()
    feeds = {"x:0": _rng_data([6, 4], 5), "labels:0": np.array([0, 1, 2, 1, 0, 2], np.int32)}
    return Run(["mlp/w1:0", "mlp/w2:0", "loss/mean:0", "global_step:0"], init="init", train="train", steps=4,
               feeds=feeds)


def training_nodes(tf):
    """CheckNumerics, StopGradient and Identity nodes, some in control edges, for remove_training_nodes."""
    x = tf.placeholder(tf.float32, [2], name="x")
    check = tf.check_numerics(x, "bad value", name="checked")
    kept = tf.identity(x * 2.0, name="kept")
    stopped = tf.stop_gradient(kept + 1.0, name="stopped")
    with tf.control_dependencies([check]):
        gated = tf.identity(stopped, name="gated")
    with tf.control_dependencies([kept]):
        tf.identity(gated * 3.0, name="output")
    return Run(["output:0", "gated:0"], feeds={"x:0": np.array([1.5, -2.0], np.float32)})


def assorted_ops(tf):
    """Ops the other programs and the op cases leave out: element-wise and shape ops on an unknown shape, seeded
    random ops, variable updates, image/audio/tensor summaries, a fused batch norm and its gradient, reversals."""
    tf.set_random_seed(11)
    x = tf.placeholder(tf.float32, None, name="x")
    a, b = tf.constant([[3.0, -2.0], [0.5, -7.0]]), tf.constant([[2.0, 3.0], [-1.5, 2.0]])
    i, j = tf.constant([7, -7, 9]), tf.constant([2, 2, -4])
    elementwise = [tf.div(a, b), tf.is_inf(a / 0.0), tf.is_nan(a - a), tf.less(a, b), tf.rint(a * 0.75),
                   tf.tan(b * 0.25), tf.truncatediv(i, j), tf.truncatemod(i, j),
                   tf.reduce_all(tf.logical_or(a > 0.0, b > 0.0), axis=1), tf.pad(a, [[1, 0], [0, 2]],
                                                                                  constant_values=1.5)]
    shapes = [tf.rank(x), tf.size(x), tf.ones_like(x), tf.where(x > 0.0)]
    constants = [tf.constant([True, False, True], name="bools"),
                 tf.constant(np.array([1 + 2j, -3j], np.complex64), name="complex"),
                 tf.constant(np.array([[1, 2], [3, 65535]], np.uint16), name="uint16"),
                 tf.constant(np.float16([0.5, -2.0]), name="half")]
    pair = tf.identity_n([a, i], name="pair")
    random = [tf.random_shuffle(tf.range(6), seed=1), tf.multinomial(tf.log([[0.2, 0.3, 0.5]]), 4, seed=2),
              tf.random_uniform([3], 0, 10, dtype=tf.int32, seed=3), tf.random_poisson(3.0, [4], seed=4),
              tf.random_gamma([2], 2.0, seed=5)]
    tables = [tf.Variable([1.0, 2.0, 3.0, 4.0], name="table") for _ in range(4)]  # one per update: one run
    updates = [tf.count_up_to(tf.Variable(0, name="counter"), 5), tf.is_variable_initialized(tables[0]),
               tf.assign_sub(tables[0], [0.5] * 4), tf.scatter_add(tables[1], [0, 2], [10.0, 20.0]),
               tf.scatter_sub(tables[2], [1], [5.0]), tf.scatter_update(tables[3], [3], [-1.0])]
    nd_tables = [tf.Variable([[1.0, 2.0], [3.0, 4.0]], name="nd_table") for _ in range(3)]
    updates += [tf.scatter_nd_add(nd_tables[0], [[0, 1]], [10.0]), tf.scatter_nd_sub(nd_tables[1], [[1]], [[1.0, 1.0]]),
                tf.scatter_nd_update(nd_tables[2], [[1, 0]], [-1.0])]
    images = tf.constant(np.arange(2 * 3 * 4 * 3).reshape([2, 3, 4, 3]) % 255, tf.uint8, name="images")
    summaries = [tf.summary.image("pictures", images), tf.summary.audio("sound", tf.sin(tf.range(8.0))[None, :],
                                                                         8000), tf.summary.tensor_summary("t", a)]
    bn_x = tf.placeholder(tf.float32, [None, 2, 2, 3], name="bn_x")  # fed: TF would constant-fold the batch norm
    with tf.name_scope("batch_norm"):  # its own Const_<n> numbering
        bn_scale, bn_offset = tf.constant([1.0, 0.5, 2.0]), tf.constant([0.0, 0.1, -0.2])
        batch_norm = list(tf.nn.fused_batch_norm(bn_x, bn_scale, bn_offset, epsilon=1e-4))
        batch_norm += tf.gradients(batch_norm[0] * tf.constant(_rng_data([2, 2, 2, 3], 13)),
                                   [bn_x, bn_scale, bn_offset])
    reversed_ = [tf.reverse(a, [1]), tf.reverse_sequence(tf.reshape(tf.range(12.0), [3, 4]), [4, 0, 2], 1, 0)]
    tf.global_variables_initializer()
    fetches = [t.name for t in elementwise + shapes + constants + pair + random + summaries + batch_norm + updates
               + reversed_]
    return Run(fetches, init="init", feeds={"x:0": np.array([[1.0, -2.0, 0.0], [4.0, 5.0, -6.0]], np.float32),
                                            "bn_x:0": _rng_data([2, 2, 2, 3], 12, -2.0, 3.0)})


def optimizers(tf):
    """One variable trained by each of Momentum, Adagrad, Adadelta, RMSProp and centered RMSProp."""
    tf.set_random_seed(5)
    x = tf.constant(_rng_data([4, 3], 6))
    trainers = {"momentum": tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
                "adagrad": tf.train.AdagradOptimizer(0.1), "adadelta": tf.train.AdadeltaOptimizer(1.0),
                "rmsprop": tf.train.RMSPropOptimizer(0.01, momentum=0.5),
                "centered": tf.train.RMSPropOptimizer(0.01, centered=True)}
    steps = []
    for name, optimizer in trainers.items():
        with tf.variable_scope(name):
            w = tf.get_variable("w", [3, 2], initializer=tf.truncated_normal_initializer(seed=8))
            loss = tf.reduce_sum(tf.square(tf.matmul(x, w) - 1.0))
            steps.append(optimizer.minimize(loss, name="step"))
    tf.group(*steps, name="train")
    tf.global_variables_initializer()
    return Run([f"{name}/w:0" for name in trainers], init="init", train="train", steps=3)


def _gif_bytes():
    from PIL import Image
    out = io.BytesIO()
    Image.fromarray((np.arange(3 * 4 * 3).reshape([3, 4, 3]) * 7 % 256).astype(np.uint8)).save(out, "GIF")
    return out.getvalue()


def input_ops(tf):
    """The ops of input pipelines: Example parsing, sparse to dense, raw and CSV decoding, image codecs, resizing
    (with the bilinear, nearest-neighbour and bicubic gradients), flips, colour adjustments and string ops."""
    features = {"id": tf.train.Feature(int64_list=tf.train.Int64List(value=[3, 4])),
                "tags": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"a", b"bc"]))}
    example = tf.train.Example(features=tf.train.Features(feature=features)).SerializeToString(deterministic=True)
    parsed = tf.parse_example(tf.constant([example, example]), {"id": tf.FixedLenFeature([2], tf.int64),
                                                                "tags": tf.VarLenFeature(tf.string),
                                                                "w": tf.FixedLenFeature([], tf.float32, 0.5)})
    sequence = tf.train.SequenceExample()
    sequence.context.feature["n"].int64_list.value.append(2)
    for step in range(2):
        sequence.feature_lists.feature_list["x"].feature.add().float_list.value.extend([step, -step])
    context, lists = tf.parse_single_sequence_example(
        tf.constant(sequence.SerializeToString(deterministic=True)),
        context_features={"n": tf.FixedLenFeature([], tf.int64)},
        sequence_features={"x": tf.FixedLenSequenceFeature([2], tf.float32), "y": tf.VarLenFeature(tf.int64)})
    dense = tf.sparse_to_dense([[0, 1], [1, 0]], [2, 3], [1.5, -2.0])
    raw = tf.decode_raw(tf.constant([b"\x01\x02\x03\x04"]), tf.int16)
    csv = tf.decode_csv(tf.constant(["1,2.5", "3,"]), [[0], [-1.0]])
    number = tf.string_to_number(tf.constant(["1.25", "-3"]))
    pixels = tf.constant(np.arange(4 * 5 * 3).reshape([4, 5, 3]) * 4 % 256, tf.uint8, name="pixels")
    png = tf.image.decode_png(tf.image.encode_png(pixels), channels=3)
    jpeg = tf.image.decode_jpeg(tf.image.encode_jpeg(pixels), dct_method="INTEGER_ACCURATE")
    decoded = tf.image.decode_image(tf.image.encode_png(pixels))
    gif = tf.image.decode_gif(tf.constant(_gif_bytes(), name="gif"))
    batch = tf.constant(_rng_data([1, 4, 5, 2], 21), name="batch")
    resized = [tf.image.resize_images(batch, [7, 3], method=m) for m in range(4)]
    resize_grad = tf.gradients(tf.add_n([tf.reduce_sum(r * r) for r in resized[:3]]), batch)
    adjusted = [tf.image.flip_left_right(pixels), tf.image.adjust_contrast(pixels, 1.5),
                tf.image.convert_image_dtype(tf.image.convert_image_dtype(pixels, tf.float32), tf.uint8,
                                             saturate=True)]
    words = tf.constant(["Ab  c", " d,e "])
    strings = [tf.string_split(words).indices, tf.strings.split(words, ",").indices,
               tf.strings.length(tf.string_join([tf.substr(words, 1, 2), tf.strings.strip(words)], "|")),
               tf.strings.length(tf.regex_replace(tf.strings.upper(tf.strings.lower(words)), "[A-Z]", "xy")),
               tf.strings.length(tf.as_string(tf.constant([1.5, 2.0])))]
    fetches = ([parsed["id"], parsed["tags"].indices, parsed["w"], context["n"], lists["x"], lists["y"].dense_shape,
                dense, raw, number, png, jpeg, decoded, gif]
               + csv + resized + resize_grad + adjusted + strings)
    return Run([t.name for t in fetches])


def queue_ops(tf):
    """The queue and reader ops: every queue kind and queue op, every reader kind and reader op, the file ops and
    Assert. The run writes a small file, queues its name, and reads it through a TextLineReader and a
    WholeFileReader (both name the same file, so which reader takes which queue element does not matter); the
    fetches are numbers (values.npz holds no strings)."""
    path = "/tmp/minitf_graph_io_input.txt"
    q = tf.FIFOQueue(8, tf.string, shapes=[[]], name="files")
    others = [tf.PaddingFIFOQueue(4, [tf.int32], shapes=[[None]]), tf.PriorityQueue(4, [tf.string], shapes=[[]]),
              tf.RandomShuffleQueue(6, 2, [tf.float32], shapes=[[2]], seed=3)]
    queue_ops = [q.dequeue(), q.dequeue_many(2), q.dequeue_up_to(2), q.close(cancel_pending_enqueues=True),
                 others[2].size(), others[0].enqueue([[1, 2]]), others[1].enqueue((tf.constant(1, tf.int64), "a"))]
    readers = [tf.TextLineReader(skip_header_lines=1), tf.WholeFileReader(), tf.FixedLengthRecordReader(3, 1, 1, 2),
               tf.TFRecordReader(), tf.IdentityReader()]
    reader_ops = [readers[2].read_up_to(q, 4), readers[3].num_records_produced(),
                  readers[3].num_work_units_completed(), readers[4].reset()]
    tf.Assert(tf.constant(True), ["unused"])
    contents = "header\nline one\nline two\n"
    tf.write_file(path, contents, name="write")
    with tf.control_dependencies([q.enqueue_many([[path, path]])]):
        q.close(name="fill")
    text_key, _ = readers[0].read(q)
    whole_keys, _ = readers[1].read_up_to(q, 5)
    with tf.control_dependencies([text_key, whole_keys]):  # counters after the reads, in the same run
        fetches = [readers[0].num_records_produced(), tf.size(whole_keys), q.size(), q.is_closed(),
                   tf.size(tf.matching_files(path)), tf.size(tf.read_file(path))]
    del queue_ops, reader_ops, contents  # string contents are compared in tests/test_queues.py
    return Run([t.name for t in fetches], init="write", train="fill", steps=1)


def sparse_optimizers(tf):
    """Embedding tables trained through IndexedSlices gradients: ScatterSub, Unique and the SparseApply ops."""
    trainers = {"gd": tf.train.GradientDescentOptimizer(0.1),
                "momentum": tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
                "adagrad": tf.train.AdagradOptimizer(0.1), "adadelta": tf.train.AdadeltaOptimizer(1.0),
                "rmsprop": tf.train.RMSPropOptimizer(0.01, momentum=0.5),
                "centered": tf.train.RMSPropOptimizer(0.01, centered=True)}
    ids = tf.placeholder(tf.int32, [2, 2], name="ids")  # fed: TensorFlow would fold Unique of constant ids
    steps = []
    for name, optimizer in trainers.items():
        with tf.variable_scope(name):
            table = tf.get_variable("table", [5, 2], initializer=tf.truncated_normal_initializer(seed=9))
            loss = tf.reduce_sum(tf.square(tf.nn.embedding_lookup(table, ids) - 1.0))
            steps.append(optimizer.minimize(loss, name="step"))
    with tf.variable_scope("parts"):  # a table in two parts: DynamicPartition, ParallelDynamicStitch
        parts = [tf.get_variable(f"part{i}", [3, 2], initializer=tf.truncated_normal_initializer(seed=i))
                 for i in range(2)]
        loss = tf.reduce_sum(tf.square(tf.nn.embedding_lookup(parts, ids)))
        steps.append(tf.train.GradientDescentOptimizer(0.1).minimize(loss, name="step"))
    tf.group(*steps, name="train")
    tf.global_variables_initializer()
    return Run([f"{name}/table:0" for name in trainers] + ["parts/part0:0", "parts/part1:0"], init="init",
               train="train", steps=3,
               feeds={"ids:0": np.array([[3, 1], [3, 0]], np.int32)})


def sampled_losses(tf):
    """nce_loss with accidental hits removed (samplers, ComputeAccidentalHits, SparseToDense) on fed labels; the
    uniform and all-candidate samplers."""
    tf.set_random_seed(4)
    labels = tf.placeholder(tf.int64, [None, 1], name="labels")  # a batch of unknown size: no constant zeros
    weights = tf.get_variable("weights", [20, 3], initializer=tf.truncated_normal_initializer(seed=2))
    biases = tf.get_variable("biases", [20], initializer=tf.zeros_initializer())
    inputs = tf.placeholder(tf.float32, [None, 3], name="inputs")
    loss = tf.nn.nce_loss(weights, biases, labels, inputs, 4, 20, remove_accidental_hits=True)
    uniform = tf.nn.uniform_candidate_sampler(labels, 1, 3, True, 20, seed=1)
    every = tf.nn.all_candidate_sampler(labels % 4, 1, 4, True)
    tf.global_variables_initializer()
    return Run([loss.name, uniform[0].name, every[0].name], init="init",
               feeds={"labels:0": np.array([[3], [0], [17]], np.int64), "inputs:0": _rng_data([3, 3], 7)})


def tensor_arrays(tf):
    """TensorArray ops and their gradients outside loops, a closed array, and a PyFunc that is not run (its
    callable lives only in the process that built it)."""
    x = tf.placeholder(tf.float32, [3, 2], name="x")
    ta = tf.TensorArray(tf.float32, size=3, clear_after_read=False, name="ta").unstack(x)
    pieces = tf.TensorArray(tf.float32, size=2, infer_shape=False).split(tf.reshape(x, [6]), [2, 4])
    grown = tf.TensorArray(tf.int32, size=0, dynamic_size=True).write(2, [1, 2])
    y = ta.read(1) * 2.0 + ta.gather([0, 2])
    stacked, concat = ta.stack(), pieces.concat()
    grads = tf.gradients([stacked * _rng_data([3, 2], 14), y, concat * _rng_data([6], 15)], x)
    with tf.control_dependencies([concat] + grads):
        closed = pieces.close()
    with tf.control_dependencies([closed]):
        done = tf.constant(1.0, name="done")
    tf.py_func(np.square, [x], tf.float32, name="square")
    tf.py_func(np.abs, [x], tf.float32, stateful=False, name="absolute")
    fetches = [stacked, y, concat, grown.size(), grown.stack()] + grads + [done]
    return Run([t.name for t in fetches], feeds={"x:0": _rng_data([3, 2], 16)})


def segment_reductions(tf):
    """SegmentSum and the sparse segment reductions (with num_segments too) with dense and sparse gradients."""
    data = tf.placeholder(tf.float32, [5, 2], name="data")
    indices, segment_ids = tf.constant([0, 3, 3, 4]), tf.constant([0, 0, 2, 2])
    outputs = [tf.segment_sum(data, [0, 0, 1, 3, 3])]
    for reduce in (tf.sparse.segment_sum, tf.sparse.segment_mean, tf.sparse.segment_sqrt_n):
        outputs += [reduce(data, indices, segment_ids), reduce(data, indices, segment_ids, num_segments=4),
                    reduce(data, indices, segment_ids, sparse_gradient=True)]
    grads = tf.gradients([o * o for o in outputs], data)
    return Run([o.name for o in outputs] + [grads[0].name],
               feeds={"data:0": _rng_data([5, 2], 16)})


def sparse_ops(tf):
    """The sparse ops and their gradients: SparseTensorDenseMatMul, SparseReduceSum / Max, SparseAdd (SparseAddGrad),
    SparseTensorDenseAdd, SparseReorder, SparseReshape, SparseConcat, SparseFillEmptyRows and SparseSlice (and their
    Grads), a SparseTensor times and over a dense tensor (SparseDenseCwiseMul / Div), SparseSoftmax (its gradient
    uses SparseDenseCwiseAdd) and SparseSparseMaximum / Minimum."""
    values = tf.placeholder(tf.float32, [4], name="values")
    other_values = tf.placeholder(tf.float32, [3], name="other_values")
    dense = tf.placeholder(tf.float32, [3, 2], name="dense")
    sp = tf.SparseTensor([[0, 1], [1, 0], [1, 2], [3, 1]], values, [4, 3])
    other = tf.SparseTensor([[0, 0], [1, 0], [3, 1]], other_values, [4, 3])
    unordered = tf.SparseTensor([[3, 1], [0, 2], [1, 0], [0, 1]], values, [4, 3])
    product = tf.sparse_tensor_dense_matmul(sp, dense)
    total = tf.sparse_add(sp, other)
    filled, empty = tf.sparse_fill_empty_rows(tf.SparseTensor(sp.indices, values, [5, 3]), -1.0)
    reordered = tf.sparse_reorder(unordered)
    part = tf.sparse_slice(sp, [1, 0], [3, 2])
    row = tf.placeholder(tf.float32, [None], name="row")  # unknown: zeros_like in the gradient is an op
    column = tf.placeholder(tf.float32, [None, 1], name="column")
    scaled = (sp * row) / column
    soft = tf.sparse_softmax(sp)
    extremes = [tf.sparse_maximum(sp, other).values, tf.sparse_minimum(sp, other).indices]
    outputs = [product, tf.sparse_reduce_sum(sp, 1), tf.sparse_reduce_max(sp, 0), total.values, tf.sparse_add(sp, tf.reshape(tf.range(12.0), [4, 3])),
               reordered.indices, reordered.values, tf.sparse_reshape(sp, [2, 6]).indices,
               tf.sparse_concat(1, [sp, other]).indices, filled.values, empty, part.indices, scaled.values, soft.values] + extremes
    row_sums = tf.sparse_reduce_sum(sp, 1)
    loss = (tf.reduce_sum(product * product) + tf.reduce_sum(row_sums * row_sums)
            + tf.reduce_sum(total.values * total.values) + tf.reduce_sum(reordered.values * tf.range(4.0))
            + tf.reduce_sum(filled.values * filled.values) + tf.reduce_sum(part.values * part.values)
            + tf.reduce_sum(scaled.values) + tf.reduce_sum(soft.values * tf.range(4.0)))
    grads = tf.gradients(loss, [values, other_values, dense, row, column])
    return Run([o.name for o in outputs + grads], feeds={"values:0": _rng_data([4], 17),
                                                         "other_values:0": _rng_data([3], 19),
                                                         "dense:0": _rng_data([3, 2], 18),
                                                         "row:0": _rng_data([3], 20),
                                                         "column:0": _rng_data([4, 1], 21, 1.0, 2.0)})


def unigram_samplers(tf):
    """The fixed (from unigrams) and learned unigram samplers, seeded."""
    tf.set_random_seed(6)
    labels = tf.constant([[2], [0], [3]], tf.int64)
    fixed = tf.nn.fixed_unigram_candidate_sampler(labels, 1, 3, True, 5, unigrams=[4, 1, 2, 8, 3], distortion=0.5)
    learned = tf.nn.learned_unigram_candidate_sampler(labels, 1, 4, False, 6, seed=2)
    return Run([t.name for t in fixed + learned])


def sharded_saver(tf):
    """A Saver(sharded=True): its save/ nodes (StaticRegexFullMatch, ShardedFilename, MergeV2Checkpoints)."""
    weight = tf.Variable([[1.5, -2.0]], name="weight")
    count = tf.Variable(3, name="count")
    tf.train.Saver(sharded=True)
    init = tf.global_variables_initializer()
    return Run([weight.name, count.name], init=init.name)


PROGRAMS = {"small": small, "seed000": seed000, "variable_scopes": variable_scopes, "adam_mlp": adam_mlp,
            "training_nodes": training_nodes, "assorted_ops": assorted_ops, "optimizers": optimizers,
            "input_ops": input_ops, "queue_ops": queue_ops, "sparse_optimizers": sparse_optimizers,
            "sampled_losses": sampled_losses, "tensor_arrays": tensor_arrays,
            "segment_reductions": segment_reductions, "sparse_ops": sparse_ops, "unigram_samplers": unigram_samplers,
            "sharded_saver": sharded_saver}


CASE_SETS = {"ops": op_cases.CASES, "nn": nn_cases.CASES, "conv": conv_cases.CASES, "longtail": longtail_cases.CASES}


def case_graph(tf, case):
    """Builds an op case with the gradients its golden records; returns (output, [gradient or None, ...])."""
    out, xs = case(tf)
    if not xs:
        return out, []
    weights = op_cases.data(*out.shape.as_list(), seed=99, low=0.5, high=1.5).astype(out.dtype.as_numpy_dtype)
    grads = tf.gradients(tf.reduce_sum(out * tf.constant(weights)), xs)
    return out, [None if g is None else tf.convert_to_tensor(g) for g in grads]


# -- import_graph_def and graph_util behaviour on TensorFlow-written GraphDefs -----------------------------------

_CONST = ('node { name: "c" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } '
          'attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: 1 } } } } ')
_IDENTITY = 'op: "Identity" attr { key: "T" value { type: DT_FLOAT } } '
# Malformed GraphDefs (text format) TensorFlow's importer rejects with a ValueError.
ERROR_GRAPHS = {
    "unknown_input": 'node { name: "a" input: "b" ' + _IDENTITY + '}',
    "unknown_control_input": _CONST + 'node { name: "a" op: "NoOp" input: "^b" }',
    "invalid_output": _CONST + 'node { name: "a" input: "c:1" ' + _IDENTITY + '}',
    "cycle": 'node { name: "a" input: "b" ' + _IDENTITY + '} node { name: "b" input: "a" ' + _IDENTITY + '}',
    "duplicate": _CONST + _CONST,
    "control_before_data": _CONST + 'node { name: "a" input: "^c" input: "c" ' + _IDENTITY + '}',
    "invalid_name": 'node { name: "a b" op: "NoOp" }',
    "inconsistent_output_shapes": ('node { name: "p" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } '
                                   'attr { key: "shape" value { shape { dim { size: -1 } dim { size: 3 } } } } '
                                   'attr { key: "_output_shapes" value { list { shape { dim { size: 2 } '
                                   'dim { size: 4 } } } } } }'),
    "too_few_output_shapes": ('node { name: "p" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } '
                              'attr { key: "shape" value { shape { unknown_rank: true } } } '
                              'attr { key: "_output_shapes" value { list { } } } }'),
    "unknown_colocation": ('node { name: "a" op: "NoOp" attr { key: "_class" value { list { s: "loc:@nowhere" } } } '
                           '}'),
}


def graph_summary(graph):
    """[name, op, inputs, device, colocation] of every node, as the graph's GraphDef lists them."""
    return [[n.name, n.op, list(n.input), n.device,
             [v.decode() for v in n.attr["_class"].list.s] if "_class" in n.attr else []]
            for n in graph.as_graph_def().node]


def _error(fn):
    try:
        fn()
    except (ValueError, TypeError) as e:
        return [type(e).__name__, str(e)]
    return None


def import_scenarios(tf, graph_defs):
    """What ``tf.import_graph_def`` does with the GraphDefs of ``graph_defs`` (program name -> GraphDef written
    by TensorFlow): names, prefixes and clashes, input maps, return elements, control dependencies and devices,
    import order of an unsorted GraphDef, and error messages. Returns JSON-able values."""
    from google.protobuf import text_format
    small, seed = graph_defs["small"], graph_defs["seed000"]
    results = {}
    with tf.Graph().as_default() as graph:
        for name in (None, None, "pre", "", "", "pre/"):
            tf.import_graph_def(small, name=name)
        results["prefixes_and_clashes"] = graph_summary(graph)
    with tf.Graph().as_default() as graph:
        tf.import_graph_def(seed, name="")
        tf.import_graph_def(seed, name="")
        results["imported_twice"] = graph_summary(graph)[len(seed.node):]
    with tf.Graph().as_default() as graph:
        weight = tf.constant([0.25], name="weight_value")
        gate = tf.identity(weight, name="gate")
        elements = tf.import_graph_def(
            seed, input_map={"linear/weight/read:0": weight, "^linear/bias/Assign": gate},
            return_elements=["linear/weight/read:0", "gradient_descent/loss:0", "gradient_descent/init", "linear/add"])
        results["input_map"] = {"returned": [e.name for e in elements], "graph": graph_summary(graph)}
    with tf.Graph().as_default() as graph:
        y, total = tf.import_graph_def(small, input_map={"x": [[1.0, 2.0, 3.0]]}, return_elements=["y:0", "total:0"],
                                       name="fed")
        with tf.Session() as sess:
            results["input_map_values"] = [v.tolist() for v in sess.run([y, total])]
        results["input_map_values_graph"] = graph_summary(graph)
    with tf.Graph().as_default() as graph:
        first = tf.no_op(name="first")
        with tf.control_dependencies([first]), tf.device("/device:CPU:0"):
            tf.import_graph_def(small, name="a")
        tf.identity(graph.get_tensor_by_name("a/y:0"), name="after")
        results["control_dependencies_and_device"] = graph_summary(graph)
    unsorted = type(seed)()
    unsorted.CopyFrom(seed)
    del unsorted.node[:]
    unsorted.node.extend(reversed(seed.node))
    with tf.Graph().as_default() as graph:
        tf.import_graph_def(unsorted, name="")
        results["unsorted"] = [node[0] for node in graph_summary(graph)]
    for name, text in ERROR_GRAPHS.items():
        with tf.Graph().as_default():
            results["error/" + name] = _error(lambda: tf.import_graph_def(text_format.Parse(text, tf.GraphDef())))
    bad_calls = {"return_node": dict(return_elements=["nope"]), "return_tensor": dict(return_elements=["nope:0"]),
                 "return_output": dict(return_elements=["y:3"]), "unused_input": dict(input_map={"nope:0": 1.0}),
                 "empty_name_with_values": dict(input_map={"x:0": 1.0}, name=""),
                 "input_map_keys": dict(input_map={1: 1.0}), "not_a_graph_def": dict(graph_def="x")}
    for name, kwargs in bad_calls.items():
        with tf.Graph().as_default():
            kwargs = dict(kwargs)
            graph_def = kwargs.pop("graph_def", small)
            results["error/" + name] = _error(lambda: tf.import_graph_def(graph_def, **kwargs))
    return results


def graph_util_outputs(tf, graph_defs):
    """GraphDefs tf.graph_util makes from TensorFlow-written GraphDefs (name -> GraphDef)."""
    scopes, training = graph_defs["variable_scopes"], graph_defs["training_nodes"]
    out = {"extract_total": tf.graph_util.extract_sub_graph(scopes, ["total"]),
           "extract_two": tf.graph_util.extract_sub_graph(scopes, ["layer2/add", "tick"]),
           "remove_training_nodes": tf.graph_util.remove_training_nodes(training),
           "remove_training_nodes_protected": tf.graph_util.remove_training_nodes(training, ["kept", "gated"])}
    with tf.Graph().as_default():
        tf.import_graph_def(scopes, name="")
        with tf.Session() as sess:
            sess.run("init")
            sess.run("tick")
            convert = tf.graph_util.convert_variables_to_constants
            out["frozen"] = convert(sess, scopes, ["total", "tick"], variable_names_blacklist=["layer2/b"])
            out["frozen_whitelist"] = convert(sess, scopes, ["layer2/add"], variable_names_whitelist=["layer1/w"])
    return out


def seed000_fixture_graph(tf):
    """seeds/000's scoped linear regression with a fixed start, a loss summary and a Saver: the graph
    tests/golden/make_graph_fixtures.py writes as tests/fixtures/graphs/seed000.*, in a new graph."""
    graph = tf.Graph()
    with graph.as_default():
        x_data = np.linspace(0, 1, 100).astype(np.float32)
        y_data = x_data * 0.1 + 0.3
        with tf.name_scope("linear"):
            weight = tf.Variable(tf.constant([-0.4]), dtype=np.float32, name="weight")
            bias = tf.Variable(tf.zeros(shape=[1]), dtype=np.float32, name="bias")
            y = weight * x_data + bias
        with tf.name_scope("gradient_descent"):
            loss = tf.reduce_mean(tf.square(y - y_data), name="loss")
            tf.summary.scalar("linear_loss", loss)
            tf.train.GradientDescentOptimizer(0.5).minimize(loss, name="train")
        tf.global_variables_initializer()
        tf.train.Saver()
    return graph
