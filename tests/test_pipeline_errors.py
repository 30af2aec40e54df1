"""Bad input through real queue-runner pipelines: every error reaches the Coordinator, the main loop sees the
pipeline end, and no thread is left blocked. (Missing files and corrupt TFRecords: tests/test_queues.py.)"""

import pytest

import minitf as tf


def run_pipeline(batch):
    """Runs ``batch`` until the pipeline ends, as TF1's training loops do; returns the batches and the exception
    coord.join re-raised (None if it raised none)."""
    batches, error = [], None
    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess=sess, coord=coord)
        try:
            while not coord.should_stop():
                batches.append(sess.run(batch))
        except tf.errors.OutOfRangeError:
            pass
        finally:
            coord.request_stop()
        try:
            coord.join(threads, stop_grace_period_secs=5)
        except Exception as e:  # the exception a queue runner reported
            error = e
        assert all(not t.is_alive() for t in threads)
    return batches, error


def test_malformed_csv_field_is_invalid_argument(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("1,2.5\n2,3.5\n3,oops\n4,5.5\n")
    with tf.Graph().as_default():
        names = tf.train.string_input_producer([str(path)], num_epochs=1, shuffle=False)
        _, line = tf.TextLineReader().read(names)
        a, b = tf.decode_csv(line, record_defaults=[[0], [0.0]])
        batch = tf.train.batch([a, b], 2)
        batches, error = run_pipeline(batch)
    # The main loop may see the stop before the one good batch: the error ends the pipeline at once.
    assert [[x.tolist() for x in b] for b in batches] in ([], [[[1, 2], [2.5, 3.5]]])
    assert isinstance(error, tf.errors.InvalidArgumentError)
    assert "Field 1 in record 0 is not a valid float: oops" in error.message
    assert "DecodeCSV" in str(error)


def test_missing_file_is_not_found(tmp_path):
    with tf.Graph().as_default():
        names = tf.train.string_input_producer([str(tmp_path / "nothing.tfrecords")], num_epochs=1)
        _, value = tf.TFRecordReader().read(names)
        features = tf.parse_single_example(value, {"x": tf.FixedLenFeature([], tf.int64)})
        batch = tf.train.shuffle_batch([features["x"]], 4, capacity=20, min_after_dequeue=5)
        batches, error = run_pipeline(batch)
    assert batches == []
    assert isinstance(error, tf.errors.NotFoundError)
    assert "nothing.tfrecords; No such file or directory" in error.message


def test_corrupt_tfrecord_is_data_loss_naming_the_offset(tmp_path):
    path = tmp_path / "data.tfrecords"
    with tf.python_io.TFRecordWriter(str(path)) as writer:
        for i in range(10):
            example = tf.train.Example(features=tf.train.Features(feature={
                "x": tf.train.Feature(int64_list=tf.train.Int64List(value=[i]))}))
            writer.write(example.SerializeToString())
    raw = bytearray(path.read_bytes())
    size = len(raw) // 10
    raw[5 * size + 14] ^= 0xFF  # a byte of record 5's data: its data checksum fails
    path.write_bytes(bytes(raw))
    with tf.Graph().as_default():
        names = tf.train.string_input_producer([str(path)], num_epochs=1, shuffle=False)
        _, value = tf.TFRecordReader().read(names)
        features = tf.parse_single_example(value, {"x": tf.FixedLenFeature([], tf.int64)})
        batch = tf.train.batch([features["x"]], 5)
        batches, error = run_pipeline(batch)
    assert [b.tolist() for b in batches] in ([], [[0, 1, 2, 3, 4]])
    assert isinstance(error, tf.errors.DataLossError)
    assert "corrupted record at %d" % (5 * size + 12) in error.message


def test_truncated_fixed_length_file(tmp_path):
    """TensorFlow 2.21's FixedLengthRecordReader ends a file quietly at a partial last record (the bytes are
    dropped; tests/golden/queues.json 'readers'); tf.data's FixedLengthRecordDataset raises InvalidArgumentError
    before its first record (tests/golden/data.json). Both as TensorFlow, and neither hangs."""
    path = tmp_path / "data.bin"
    path.write_bytes(bytes(range(10)) * 3 + b"\x01\x02\x03")
    with tf.Graph().as_default():
        names = tf.train.string_input_producer([str(path)], num_epochs=1, shuffle=False)
        _, value = tf.FixedLengthRecordReader(10).read(names)
        batch = tf.train.batch([value], 1)
        batches, error = run_pipeline(batch)
    assert len(batches) == 3 and error is None
    with tf.Graph().as_default():
        records = tf.data.FixedLengthRecordDataset([str(path)], 10)
        next_record = records.make_one_shot_iterator().get_next()
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="which is not an exact multiple of the record"):
                sess.run(next_record)


def test_batch_larger_than_the_queue_capacity():
    """tf.train.batch(batch_size=50) keeps its default capacity 32: the dequeue takes elements as they arrive, as
    TensorFlow's does (fully_connected_preloaded.py with --batch_size 50 hung before)."""
    with tf.Graph().as_default():
        value = tf.train.range_input_producer(100, num_epochs=1, shuffle=False).dequeue()
        batch = tf.train.batch([value], 50)
        batches, error = run_pipeline(batch)
    assert [b.tolist() for b in batches] == [list(range(50)), list(range(50, 100))] and error is None
