"""Queue and input-pipeline programs shared by tests/golden/make_queues.py (TensorFlow) and tests/test_queues.py.

Each case is ``case(tf, workdir) -> list``: it builds a graph, runs it, and returns what it saw as JSON-able
values: fetched arrays (as lists, bytes as latin-1 text), error class names with the core of their message, and
the (name, type) of the graph's ops. Runs that depend on thread timing are avoided: producers are drained in one
thread after their queue runners have finished, or read single-threaded.
"""
import json
import os
import re
import threading

import numpy as np


def value(v):
    if v is None:
        return None
    if isinstance(v, (list, tuple)):
        return [value(x) for x in v]
    if isinstance(v, dict):
        return {k: value(x) for k, x in sorted(v.items())}
    if isinstance(v, bytes):
        return v.decode("latin-1")
    a = np.asarray(v)
    if a.dtype == object:  # strings: every element must be bytes (not a nested array)
        items = a.reshape(-1).tolist()
        if not all(isinstance(x, bytes) for x in items):
            raise TypeError(f"string tensor with non-bytes elements: {items!r}")
        return [value(x) for x in items] if a.ndim else value(items[0])
    return {"dtype": a.dtype.name, "shape": list(a.shape), "values": a.reshape(-1).tolist()}


def core_message(e):
    """The kernel's own message: TensorFlow's text after the ``Node: '...'`` line, minitf's before ``[[node``."""
    message = e.message.replace("Graph execution error:\n\n", "")
    if "\nNode: '" in message:
        message = message.split("\nNode: '", 1)[1].split("\n", 1)[1]
    return message.split("\n\t [[")[0]


def attempt(sess, fetch, **kw):
    try:
        return value(sess.run(fetch, **kw))
    except Exception as e:  # noqa: BLE001 -- the error is the result
        if hasattr(e, "message"):
            return [type(e).__name__, core_message(e)]
        return [type(e).__name__, str(e)]


def is_error(result):
    return isinstance(result, list) and len(result) == 2 and all(isinstance(x, str) for x in result) and \
        result[0].endswith("Error")


def graph_ops(graph):
    return [[op.name, op.type] for op in graph.get_operations()]


def fifo_basics(tf, workdir):
    out = []
    with tf.Graph().as_default() as g:
        q = tf.FIFOQueue(4, [tf.float32, tf.int64], shapes=[[2], []])
        x = tf.placeholder(tf.float32)
        ops = [q.enqueue([[1., 2.], 7]), q.enqueue_many([[[3., 4.], [5., 6.]], [8, 9]]), q.size(),
               q.dequeue(), q.dequeue_many(2), q.enqueue([x, 1]), q.close(), q.is_closed(), q.dequeue_up_to(3),
               q.dequeue(), q.close(), q.enqueue([[0., 0.], 0]), q.close(cancel_pending_enqueues=True)]
        out.append(graph_ops(g))
        with tf.Session() as sess:
            for op in ops[:5]:
                out.append(attempt(sess, op))
            out.append(attempt(sess, ops[5], feed_dict={x: [1., 2., 3.]}))
            for op in ops[6:]:
                out.append(attempt(sess, op))
    return out


def shapes_and_types(tf, workdir):
    out = []
    with tf.Graph().as_default():
        q = tf.FIFOQueue(4, [tf.float32], shapes=[[2, 3]])
        out.append([str(t.shape) for t in [q.dequeue(), q.dequeue_many(5), q.dequeue_up_to(2)]])
        for bad in (lambda: q.enqueue([[1., 2.]]), lambda: q.enqueue_many([[1., 2.]]),
                    lambda: tf.FIFOQueue(2, tf.int32, shapes=[[None]]), lambda: q.dequeue_many(-1),
                    lambda: tf.PaddingFIFOQueue(2, [tf.int32], shapes=None),
                    lambda: tf.FIFOQueue(2, [tf.int32], names=["a", "b"])):
            try:
                bad()
                out.append("no error")
            except (ValueError, TypeError) as e:
                out.append([type(e).__name__, str(e).split(" for '{{node")[0]])
        u = tf.FIFOQueue(3, tf.int32)
        with tf.Session() as sess:
            sess.run(u.enqueue(5))
            out.append(attempt(sess, u.dequeue_many(1)))
            out.append(attempt(sess, u.dequeue()))
    return out


def enqueue_errors(tf, workdir):
    """Run-time shape checks of enqueued tuples (the batch dimension is component 0's), empty batches."""
    out = []
    with tf.Graph().as_default():
        q = tf.FIFOQueue(5, [tf.int32, tf.int32], shapes=[[2], []])
        a, b = tf.placeholder(tf.int32), tf.placeholder(tf.int32)
        pq = tf.PriorityQueue(5, [tf.int32], shapes=[[]])
        p = tf.placeholder(tf.int64)
        pad = tf.PaddingFIFOQueue(5, [tf.int32], shapes=[[None, 2]])
        runs = [(q.enqueue_many([a, b]), {a: [[1, 2, 3]], b: [1]}), (q.enqueue_many([a, b]), {a: [[1, 2]], b: [1, 2]}),
                (pq.enqueue([p, b]), {p: [1], b: 1}), (pad.enqueue([a]), {a: [[1, 2, 3]]}),
                (pad.enqueue([a]), {a: [1, 2]}), (pad.dequeue_many(0), {}), (q.dequeue_many(0), {}),
                (q.enqueue_many([a, b]), {a: np.zeros([0, 2], np.int32), b: []}), (q.size(), {})]
        with tf.Session() as sess:
            for fetch, feeds in runs:
                out.append(attempt(sess, fetch, feed_dict=feeds))
    return out


def padding_and_priority(tf, workdir):
    out = []
    with tf.Graph().as_default():
        p = tf.PaddingFIFOQueue(5, [tf.int32, tf.string], shapes=[[None], [None]])
        x = tf.placeholder(tf.int32, [None])
        s = tf.placeholder(tf.string, [None])
        enq = p.enqueue([x, s])
        pr = tf.PriorityQueue(10, [tf.string], shapes=[[]])
        prio = tf.placeholder(tf.int64)
        word = tf.placeholder(tf.string)
        penq = pr.enqueue((prio, word))
        with tf.Session() as sess:
            for i in range(3):
                sess.run(enq, {x: list(range(i + 1)), s: ["a"] * (3 - i)})
            out.append(attempt(sess, p.dequeue_many(3)))
            for i, (pv, w) in enumerate([(3, "c"), (1, "a"), (2, "b"), (1, "a2"), (2, "b2"), (1, "a3"), (0, "z"),
                                         (2, "b3")]):
                sess.run(penq, {prio: pv, word: w})
            out.append(attempt(sess, pr.dequeue()))
            out.append(attempt(sess, pr.dequeue_many(4)))
            sess.run(pr.close())
            out.append(attempt(sess, pr.dequeue_up_to(5)))
    return out


def random_shuffle_order(tf, workdir):
    out = []
    for seeds in ((None, 5), (3, None), (3, 11)):
        with tf.Graph().as_default() as g:
            if seeds[0] is not None:
                tf.set_random_seed(seeds[0])
            q = tf.RandomShuffleQueue(40, 5, [tf.int32, tf.string], shapes=[[], [2]], seed=seeds[1])
            out.append([q.queue_ref.op.get_attr("seed"), q.queue_ref.op.get_attr("seed2")])
            enq = q.enqueue_many([list(range(30)), [[str(i), str(-i)] for i in range(30)]])
            with tf.Session() as sess:
                sess.run(enq)
                out.append(attempt(sess, q.dequeue()))
                out.append(attempt(sess, q.dequeue_many(10)))
                sess.run(q.close())
                out.append(attempt(sess, q.dequeue_up_to(30)))
                out.append(attempt(sess, q.dequeue()))
    with tf.Graph().as_default():
        q = tf.RandomShuffleQueue(5, 2, tf.int32, shapes=[[]], seed=1)
        with tf.Session() as sess:
            sess.run(q.enqueue_many([[1, 2, 3]]))
            out.append(attempt(sess, q.dequeue_many(2), options=tf.RunOptions(timeout_in_ms=30)))
        bad = tf.RandomShuffleQueue(2, 2, tf.int32)
        with tf.Session() as sess:
            out.append(attempt(sess, bad.size()))
    return out


def blocking_threads(tf, workdir):
    """A dequeue that waits for another thread's enqueue; close wakes a waiting dequeue; Session.close cancels."""
    out = []
    with tf.Graph().as_default():
        q = tf.FIFOQueue(1, tf.int32, shapes=[[]])
        deq = q.dequeue()
        enq = q.enqueue(42)
        close = q.close()
        sess = tf.Session()
        results = []

        def consume():
            results.append(attempt(sess, deq))
            results.append(attempt(sess, deq))
        t = threading.Thread(target=consume)
        t.start()
        sess.run(enq)
        t.join(0.3)
        sess.run(close)
        t.join()
        out.extend(results)
        out.append(attempt(sess, q.size()))
        sess.close()
        q2 = tf.FIFOQueue(1, tf.int32, shapes=[[]])
        sess = tf.Session()
        sess.run(q2.enqueue(1))
        results = []
        blocked = [threading.Thread(target=lambda op=op: results.append(attempt(sess, op)))
                   for op in (q2.enqueue(2),)]
        for t in blocked:
            t.start()
            t.join(0.3)
        sess.close()
        for t in blocked:
            t.join()
        out.extend(results)
    return out


def write_files(workdir):
    """Small input files: fixed-length records (a truncated one too), text lines, TFRecords, a corrupt one."""
    paths = {}
    for i in range(2):
        paths[f"fixed{i}"] = os.path.join(workdir, f"fixed{i}.bin")
        with open(paths[f"fixed{i}"], "wb") as f:
            f.write(b"HD" + bytes((i * 50 + j) % 256 for j in range(5 * 7)) + b"FT")
    paths["truncated"] = os.path.join(workdir, "truncated.bin")
    with open(paths["truncated"], "wb") as f:
        f.write(b"HD" + bytes(range(12)) + b"FT")
    paths["text"] = os.path.join(workdir, "lines.csv")
    with open(paths["text"], "w") as f:
        f.write("a,b\n1,2\r\n3,4\n\n5,6")
    return paths


def readers(tf, workdir):
    out = []
    paths = write_files(workdir)
    with tf.Graph().as_default() as g:
        q = tf.FIFOQueue(10, tf.string, shapes=[[]])
        fixed = tf.FixedLengthRecordReader(7, header_bytes=2, footer_bytes=2, name="fixed")
        hop = tf.FixedLengthRecordReader(4, header_bytes=2, footer_bytes=2, hop_bytes=3)
        text = tf.TextLineReader(skip_header_lines=1)
        whole = tf.WholeFileReader()
        reads = [r.read(q) for r in (fixed, hop, text, whole)]
        upto = text.read_up_to(q, 3)
        counts = [fixed.num_records_produced(), fixed.num_work_units_completed(), fixed.reset()]
        contents = tf.read_file(paths["text"])
        missing = tf.read_file(os.path.join(workdir, "missing"))
        out.append(graph_ops(g))
        fill = q.enqueue_many([[paths["fixed0"], paths["truncated"], paths["fixed1"]]])
        with tf.Session() as sess:
            sess.run(fill)
            sess.run(q.close())
            for _ in range(12):
                out.append(attempt(sess, reads[0]))
            out.append(attempt(sess, counts[:2]))
            sess.run(counts[2])
            out.append(attempt(sess, counts[:2]))
        with tf.Session() as sess:
            sess.run(fill)
            for _ in range(5):
                out.append(attempt(sess, reads[1]))
        with tf.Session() as sess:
            sess.run(q.enqueue_many([[paths["text"], paths["text"], os.path.join(workdir, "missing")]]))
            sess.run(q.close())
            for _ in range(4):
                out.append(attempt(sess, reads[2]))
            out.append(attempt(sess, upto))
            out.append(attempt(sess, upto))
            out.append(attempt(sess, reads[3]))
            out.append(attempt(sess, reads[3]))
            out.append(attempt(sess, contents))
            out.append(attempt(sess, missing))
    return out


def producers(tf, workdir):
    """string_input_producer / range / slice producers with num_epochs and seeds, drained after the runners end."""
    out = []
    with tf.Graph().as_default() as g:
        tf.set_random_seed(7)
        names = tf.train.string_input_producer(["a", "b", "c", "d"], num_epochs=2, seed=3, capacity=16)
        ranges = tf.train.range_input_producer(5, num_epochs=2, shuffle=False, capacity=16)
        sliced = tf.train.slice_input_producer([tf.constant([10, 20, 30]), tf.constant(["x", "y", "z"])],
                                               num_epochs=1, seed=9)
        out.append(graph_ops(g))
        out.append(sorted(op.name for op in tf.get_collection(tf.GraphKeys.SUMMARIES)))
        out.append([v.op.name for v in tf.local_variables()])
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess=sess, coord=coord)
            for t in threads:
                if "close_on_stop" not in t.name:
                    t.join(10)
            out.append(attempt(sess, names.dequeue_up_to(20)))
            out.append(attempt(sess, ranges.dequeue_up_to(20)))
            seen = []
            while True:
                got = attempt(sess, sliced)
                seen.append(got)
                if is_error(got):
                    break
            out.append(seen)
            coord.request_stop()
            coord.join(threads)
        with tf.Session() as sess:  # a new Session: a new, empty queue, no runners
            out.append(attempt(sess, names.dequeue(), options=tf.RunOptions(timeout_in_ms=30)))
    return out


def batching(tf, workdir):
    """batch / shuffle_batch / batch_join / shuffle_batch_join, dynamic_pad, allow_smaller_final_batch."""
    out = []
    with tf.Graph().as_default() as g:
        tf.set_random_seed(1)
        data = tf.constant(np.arange(20, dtype=np.int32).reshape(10, 2))
        labels = tf.constant([str(i) for i in range(10)])
        ex, lab = tf.train.slice_input_producer([data, labels], num_epochs=1, shuffle=False)
        b = tf.train.batch([ex, lab], 4, allow_smaller_final_batch=True)
        sb = tf.train.shuffle_batch({"x": ex, "y": lab}, 3, capacity=20, min_after_dequeue=2, seed=5,
                                    allow_smaller_final_batch=True)
        padded = tf.train.batch([tf.range(ex[0] % 3 + 1)], 2, dynamic_pad=True, enqueue_many=False)
        joined = tf.train.batch_join([[ex], [ex * 10]], 3)
        sj = tf.train.shuffle_batch_join([[lab]], 2, capacity=10, min_after_dequeue=1, seed=2)
        out.append(graph_ops(g))
        out.append([str(t.shape) for t in b + [sb["x"], padded, joined[0] if isinstance(joined, list) else joined,
                                               sj[0] if isinstance(sj, list) else sj]])
        out.append(sorted(op.name for op in tf.get_collection(tf.GraphKeys.SUMMARIES)))
    return out


def shuffle_batch_values(tf, workdir):
    """Seeded shuffle_batch over a closed single-threaded pipeline: TensorFlow's exact batches."""
    out = []
    with tf.Graph().as_default():
        tf.set_random_seed(4)
        ex = tf.train.range_input_producer(25, num_epochs=1, shuffle=False).dequeue()
        batch = tf.train.shuffle_batch([ex, tf.as_string(ex) if hasattr(tf, "as_string") else ex], 4,
                                       capacity=30, min_after_dequeue=6, allow_smaller_final_batch=True)
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess=sess, coord=coord)
            for t in threads:
                if "close_on_stop" not in t.name:
                    t.join(10)
            while True:
                got = attempt(sess, batch[0])
                out.append(got)
                if is_error(got):
                    break
            coord.request_stop()
            coord.join(threads)
    return out


def meta_graph_queue_runners(tf, workdir):
    """QueueRunners saved in a meta graph (QueueRunnerDef protos), imported into a new graph and started there."""
    path = os.path.join(workdir, "records.bin")
    with open(path, "wb") as f:
        f.write(b"abcdefghijkl")
    meta = os.path.join(workdir, "pipeline.meta")
    with tf.Graph().as_default():
        names = tf.train.string_input_producer([path], num_epochs=1, shuffle=False)
        _, record = tf.FixedLengthRecordReader(4).read(names)
        tf.train.batch([record], 3, num_threads=2, name="records")
        tf.train.export_meta_graph(meta)
    out = []
    with tf.Graph().as_default():
        tf.train.import_meta_graph(meta)
        runners = tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)
        out.append([[qr.name, [op.name for op in qr.enqueue_ops], qr.close_op.name, qr.cancel_op.name,
                     [cls.__name__ for cls in qr.queue_closed_exception_types]] for qr in runners])
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess=sess, coord=coord)
            out.append(attempt(sess, "records:0"))
            coord.request_stop()
            coord.join(threads)
    return out


def _write_tfrecords(tf, path, records):
    if tf.__name__ == "minitf":
        from minitf.io.tfrecord import TFRecordWriter
    else:
        TFRecordWriter = tf.python_io.TFRecordWriter
    with TFRecordWriter(path) as writer:
        for record in records:
            writer.write(record)


def tfrecord_reader(tf, workdir):
    """TFRecordReader over plain, GZIP and ZLIB files, read_up_to, and a damaged record (DataLossError)."""
    import gzip
    import zlib
    plain = os.path.join(workdir, "plain.tfrecord")
    _write_tfrecords(tf, plain, [b"first", b"second record", b"", b"fourth"])
    with open(plain, "rb") as f:
        raw = f.read()
    with open(os.path.join(workdir, "gzip.tfrecord"), "wb") as f:
        f.write(gzip.compress(raw))
    with open(os.path.join(workdir, "zlib.tfrecord"), "wb") as f:
        f.write(zlib.compress(raw))
    damaged = bytearray(raw)
    damaged[len(raw) - 3] ^= 0xFF  # the data checksum of the last record
    with open(os.path.join(workdir, "damaged.tfrecord"), "wb") as f:
        f.write(bytes(damaged))
    with open(os.path.join(workdir, "truncated.tfrecord"), "wb") as f:
        f.write(raw[:-5])
    out = []
    with tf.Graph().as_default():
        q = tf.FIFOQueue(10, tf.string, shapes=[[]])
        fill = q.enqueue_many([[os.path.join(workdir, n) for n in ("plain.tfrecord", "damaged.tfrecord")]])
        plain_reader = tf.TFRecordReader()
        gzip_reader = tf.TFRecordReader(options=tf.python_io.TFRecordOptions(tf.python_io.TFRecordCompressionType.GZIP)
                                        if hasattr(tf, "python_io") else "GZIP")
        zlib_reader = tf.TFRecordReader(name="zlib_reader", options="ZLIB")
        out.append([gzip_reader.reader_ref.op.get_attr("compression_type").decode(),
                    zlib_reader.reader_ref.op.get_attr("compression_type").decode()])
        with tf.Session() as sess:
            sess.run(fill)
            sess.run(q.close())
            out.append(attempt(sess, plain_reader.read_up_to(q, 3)))
            for _ in range(6):
                out.append(attempt(sess, plain_reader.read(q)))
            out.append(attempt(sess, [plain_reader.num_records_produced(), plain_reader.num_work_units_completed()]))
        with tf.Session() as sess:
            sess.run(q.enqueue_many([[os.path.join(workdir, "gzip.tfrecord")]]))
            sess.run(q.enqueue_many([[os.path.join(workdir, "zlib.tfrecord")]]))
            out.append(attempt(sess, gzip_reader.read_up_to(q, 10)))
            out.append(attempt(sess, zlib_reader.read_up_to(q, 10)))
            sess.run(q.enqueue_many([[os.path.join(workdir, "truncated.tfrecord")]]))
            sess.run(q.close())
            for _ in range(5):
                out.append(attempt(sess, plain_reader.read(q)))
    return out


def maybe_batching(tf, workdir):
    """maybe_batch / maybe_batch_join / maybe_shuffle_batch / maybe_shuffle_batch_join: a scalar keep_input
    under a cond (none when it is a constant), a vector one through dynamic_partition, the batches kept, and
    keep_input's construction errors."""
    out = {}
    with tf.Graph().as_default() as g:
        tf.set_random_seed(1)
        ex = tf.train.range_input_producer(12, num_epochs=1, shuffle=False).dequeue()
        even = tf.equal(ex % 2, 0)
        kept = tf.train.maybe_batch([ex], even, 2, allow_smaller_final_batch=True)
        pairs = tf.constant(np.arange(12, dtype=np.int32).reshape(6, 2))
        many = tf.train.maybe_batch([pairs], tf.constant([True, False, True, True, False, True]), 3,
                                    enqueue_many=True)
        tf.train.maybe_batch([ex], True, 2, name="always")
        tf.train.maybe_batch([ex], False, 2, name="never")
        tf.train.maybe_batch_join([[ex], [ex * 10]], even, 3)
        tf.train.maybe_shuffle_batch([ex], 2, capacity=10, min_after_dequeue=1, keep_input=even, seed=3)
        tf.train.maybe_shuffle_batch_join([[pairs[:, 0]], [pairs[:, 1]]], 2, capacity=10, min_after_dequeue=1,
                                          keep_input=tf.constant([True, False] * 3), enqueue_many=True, seed=3)
        out["nodes"] = [[op.name, op.type, [i.name for i in op.inputs]] for op in g.get_operations()]
        out["runners"] = [[qr.name, [op.name for op in qr.enqueue_ops]]
                          for qr in tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)]
        out["shapes"] = [str(kept.shape), str(many.shape)]
    with tf.Graph().as_default():  # values: each batch fed by its own single runner thread, so deterministic
        ex = tf.train.range_input_producer(12, num_epochs=1, shuffle=False).dequeue()
        kept = tf.train.maybe_batch([ex], tf.equal(ex % 2, 0), 2, allow_smaller_final_batch=True)
        pairs = tf.constant(np.arange(12, dtype=np.int32).reshape(6, 2))
        many = tf.train.maybe_batch([pairs], tf.constant([True, False, True, True, False, True]), 3,
                                    enqueue_many=True)
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess=sess, coord=coord)
            # the queue's resource id in the message depends on which runner thread first ran
            out["kept"] = [re.sub(r"'_\d+_", "'_<id>_", json.dumps(attempt(sess, kept))) for _ in range(4)]
            out["many"] = [attempt(sess, many) for _ in range(2)]
            coord.request_stop()
            coord.join(threads, stop_grace_period_secs=10)
    errors = []
    for keep, enqueue_many in (([True, False], False), ([[True]], True)):
        with tf.Graph().as_default():
            try:
                tf.train.maybe_batch([tf.constant([1, 2])], tf.constant(keep), 2, enqueue_many=enqueue_many)
            except ValueError as e:
                errors.append(str(e))
    with tf.Graph().as_default():
        try:
            tf.train.maybe_batch([tf.constant(1)], tf.placeholder(tf.bool), 2)
        except ValueError as e:
            errors.append(str(e))
    out["errors"] = errors
    return out


CASES = {f.__name__: f for f in (tfrecord_reader, meta_graph_queue_runners, fifo_basics, shapes_and_types, enqueue_errors, padding_and_priority, random_shuffle_order,
                                 blocking_threads, readers, producers, batching, shuffle_batch_values,
                                 maybe_batching)}
