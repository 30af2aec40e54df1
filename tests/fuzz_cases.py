"""Seed files and mutations for the fuzz tests of the readers of untrusted files (tests/test_reliability_fuzz.py):
GraphDefs, MetaGraphDefs and event files minitf writes, and structured mutations of them that keep the protobuf
well-formed but break what it says (inputs, attrs, dtypes, shapes, tensor contents, names), besides byte damage."""

import random

import numpy as np

import minitf as tf
from minitf.framework import op_registry
from minitf.proto import attr_value_pb2, tensor_pb2


def seed_graph():
    """A small training graph: placeholders, variables, matmul, conv, pooling, softmax loss, gradients, a Saver,
    summaries; its GraphDef, MetaGraphDef and the ops' names."""
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float32, [None, 4, 4, 1], name="x")
        labels = tf.placeholder(tf.int64, [None], name="labels")
        kernel = tf.Variable(tf.truncated_normal([2, 2, 1, 2], seed=1), name="kernel")
        conv = tf.nn.relu(tf.nn.conv2d(x, kernel, [1, 1, 1, 1], "SAME"))
        pool = tf.nn.max_pool(conv, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
        flat = tf.reshape(pool, [-1, 8])
        weights = tf.Variable(tf.zeros([8, 3]), name="weights")
        logits = tf.matmul(flat, weights) + tf.constant([0.1, 0.2, 0.3])
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
        tf.summary.scalar("loss", loss)
        tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        tf.concat([tf.fill([2], 1.0), tf.range(3.0)], 0, name="concat")
        tf.train.Saver()
        return graph.as_graph_def(add_shapes=True), tf.train.export_meta_graph(graph=graph)


_ATTR_KINDS = ("i", "f", "b", "s", "type", "shape", "tensor", "list_i", "list_type", "list_shape", "empty")
_DTYPE_ENUMS = list(range(0, 25)) + [101, 103, 107, 150, 999, -1]
_DIMS = [0, 1, 2, 3, -1, -7, 2**31, 2**40, 2**62]


def random_shape(rng, proto):
    proto.Clear()
    if rng.random() < 0.1:
        proto.unknown_rank = True
        return
    for _ in range(rng.choice([0, 1, 2, 3, 5, 40])):
        proto.dim.add(size=rng.choice(_DIMS))


def random_tensor(rng, proto):
    proto.Clear()
    proto.dtype = rng.choice(_DTYPE_ENUMS[:20])
    random_shape(rng, proto.tensor_shape)
    choice = rng.random()
    if choice < 0.3:
        proto.tensor_content = bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 3, 4, 8, 16, 33])))
    elif choice < 0.6:
        proto.float_val.extend(rng.random() for _ in range(rng.choice([0, 1, 2, 5])))
    elif choice < 0.8:
        proto.int_val.extend(rng.randrange(-5, 5) for _ in range(rng.choice([0, 1, 2, 5])))
    else:
        proto.string_val.extend(b"s" * rng.randrange(3) for _ in range(rng.choice([0, 1, 2])))


def random_attr(rng, value):
    kind = rng.choice(_ATTR_KINDS)
    value.Clear()
    if kind == "i":
        value.i = rng.choice([-2**63, -1, 0, 1, 2, 3, 7, 2**31, 2**62])
    elif kind == "f":
        value.f = rng.choice([0.0, -1.0, 1e30, float("nan"), float("inf")])
    elif kind == "b":
        value.b = rng.random() < 0.5
    elif kind == "s":
        value.s = rng.choice([b"", b"SAME", b"VALID", b"NCHW", b"NHWC", b"\xff\xfe", b"x" * 50])
    elif kind == "type":
        value.type = rng.choice(_DTYPE_ENUMS)
    elif kind == "shape":
        random_shape(rng, value.shape)
    elif kind == "tensor":
        random_tensor(rng, value.tensor)
    elif kind == "list_i":
        value.list.i.extend(rng.choice(_DIMS) for _ in range(rng.choice([0, 1, 2, 4, 5])))
    elif kind == "list_type":
        value.list.type.extend(rng.choice(_DTYPE_ENUMS) for _ in range(rng.choice([0, 1, 2])))
    elif kind == "list_shape":
        for _ in range(rng.choice([0, 1, 2])):
            random_shape(rng, value.list.shape.add())
    # "empty" leaves no value set


def mutate_graph_def(graph_def, rng):
    """A copy of ``graph_def`` with one to three structural mutations."""
    graph_def = type(graph_def).FromString(graph_def.SerializeToString())
    nodes = graph_def.node
    names = [n.name for n in nodes]
    ops = op_registry.registered_ops()
    for _ in range(rng.choice([1, 1, 2, 3])):
        node = nodes[rng.randrange(len(nodes))]
        what = rng.randrange(10)
        if what == 0 and node.input:
            del node.input[rng.randrange(len(node.input))]
        elif what == 1:
            source = rng.choice(names + ["", "^", "nowhere", "x:-1", "x:99", "x:1:2", "^x"])
            node.input.insert(rng.randrange(len(node.input) + 1),
                              source + rng.choice(["", ":0", ":1", ":7"]) if source and "^" not in source
                              else source)
        elif what == 2:
            node.op = rng.choice(ops)
        elif what == 3 and node.attr:
            del node.attr[rng.choice(sorted(node.attr))]
        elif what in (4, 5):
            key = rng.choice(sorted(node.attr) + ["T", "dtype", "value", "shape", "N", "_class", "_output_shapes"])
            random_attr(rng, node.attr[key])
        elif what == 6:
            node.name = rng.choice(["", "a b", "ok", "/".join(["d"] * rng.choice([10, 3000])), names[0], "_x",
                                    "x" * 300, "é"])
        elif what == 7 and "value" in node.attr:
            random_tensor(rng, node.attr["value"].tensor)
        elif what == 8:
            node.device = rng.choice(["", "/cpu:0", "/job:x/task:-1", "garbage"])
        else:
            node.input.reverse()
    return graph_def


def damage_bytes(data, rng):
    """``data`` with a few bytes flipped, cut short or extended."""
    data = bytearray(data)
    what = rng.randrange(3)
    if what == 0 and data:
        for _ in range(rng.choice([1, 2, 8])):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    elif what == 1:
        data = data[:rng.randrange(len(data) + 1)]
    else:
        at = rng.randrange(len(data) + 1)
        data[at:at] = bytes(rng.randrange(256) for _ in range(rng.choice([1, 4, 9])))
    return bytes(data)


def tensor_of(array):
    proto = tensor_pb2.TensorProto()
    proto.CopyFrom(tf.make_tensor_proto(np.asarray(array)))
    return proto


__all__ = ["seed_graph", "mutate_graph_def", "damage_bytes", "random_attr", "attr_value_pb2", "random"]


def mutate_meta_graph_def(meta_graph_def, rng):
    """A copy of ``meta_graph_def`` with its graph, a collection or its SaverDef mutated."""
    meta_graph_def = type(meta_graph_def).FromString(meta_graph_def.SerializeToString())
    what = rng.randrange(4)
    if what == 0:
        meta_graph_def.graph_def.CopyFrom(mutate_graph_def(meta_graph_def.graph_def, rng))
    elif what == 1 and meta_graph_def.collection_def:
        key = rng.choice(sorted(meta_graph_def.collection_def))
        collection = meta_graph_def.collection_def[key]
        kind = collection.WhichOneof("kind")
        change = rng.randrange(4)
        if change == 0:
            collection.node_list.value.append(rng.choice(["nowhere", "x:0", "x:5", "^x", "", "a:b:c", "x"]))
        elif change == 1:
            collection.bytes_list.value.append(damage_bytes(b"\n\x08weights:0", rng))
        elif change == 2 and kind == "bytes_list" and collection.bytes_list.value:
            index = rng.randrange(len(collection.bytes_list.value))
            collection.bytes_list.value[index] = damage_bytes(collection.bytes_list.value[index], rng)
        else:
            collection.int64_list.value.append(rng.choice([0, -1, 2**62]))
    elif what == 2:
        saver = meta_graph_def.saver_def
        field = rng.choice(["filename_tensor_name", "save_tensor_name", "restore_op_name"])
        setattr(saver, field, rng.choice(["", "nowhere:0", "save/Const:9", "x", "save/restore_all:0"]))
        saver.max_to_keep = rng.choice([-1, 0, 2**31 - 1])
    else:
        meta_graph_def.collection_def[rng.choice(["variables", "trainable_variables", "summaries", "train_op",
                                                  "weird"])].bytes_list.value.append(
            bytes(rng.randrange(256) for _ in range(rng.choice([0, 3, 12]))))
    return meta_graph_def


def seed_event_file(logdir):
    """An event file with a graph, a meta graph, scalars, a histogram, an image and run metadata; its path."""
    import glob
    graph_def, meta_graph_def = seed_graph()
    writer = tf.summary.FileWriter(logdir)
    writer.add_graph(None, graph_def=graph_def)
    writer.add_meta_graph(meta_graph_def)
    with tf.Graph().as_default():
        x = tf.constant(np.linspace(0, 1, 12, dtype=np.float32).reshape(1, 2, 2, 3))
        merged = tf.summary.merge([tf.summary.scalar("s", tf.reduce_mean(x)), tf.summary.histogram("h", x),
                                   tf.summary.image("i", x)])
        with tf.Session() as sess:
            for step in range(3):
                writer.add_summary(sess.run(merged), step)
    writer.add_run_metadata(tf.RunMetadata(), "step0")
    writer.close()
    [path] = glob.glob(logdir + "/events.out.tfevents.*")
    return path


def mutate_event_file(data, rng):
    """Event-file bytes damaged at the byte level, or with one record replaced by a well-framed record holding a
    mutated or foreign payload (so the checksums pass and the payload itself is what is wrong)."""
    from minitf.io import tfrecord
    from minitf.proto import event_pb2
    if rng.random() < 0.4:
        return damage_bytes(data, rng)
    records = list(_records(data))
    index = rng.randrange(len(records))
    event = event_pb2.Event()
    choice = rng.randrange(5)
    if choice == 0:
        payload = bytes(rng.randrange(256) for _ in range(rng.choice([1, 5, 40])))
    elif choice == 1:
        event.step = rng.choice([-1, 2**62])
        value = event.summary.value.add(tag=rng.choice(["", "t", "x" * 500]))
        if rng.random() < 0.5:
            value.metadata.plugin_data.plugin_name = rng.choice(["scalars", "images", ""])
        payload = event.SerializeToString()
    elif choice == 2:
        event.graph_def = damage_bytes(records[rng.randrange(len(records))], rng)
        payload = event.SerializeToString()
    elif choice == 3:
        event.meta_graph_def = bytes(rng.randrange(256) for _ in range(rng.choice([1, 9])))
        payload = event.SerializeToString()
    else:
        graph_def, _ = seed_graph()
        event.graph_def = mutate_graph_def(graph_def, rng).SerializeToString()
        payload = event.SerializeToString()
    records[index] = payload
    return b"".join(tfrecord.encode_record(r) for r in records)


def _records(data):
    import struct
    offset = 0
    while offset + 12 <= len(data):
        (length,) = struct.unpack("<Q", data[offset:offset + 8])
        yield data[offset + 12:offset + 12 + length]
        offset += 12 + length + 4
