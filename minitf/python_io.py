"""``tf.python_io``: writing and reading TFRecord files from Python."""

from minitf.io.tfrecord import TFRecordCompressionType, TFRecordOptions, TFRecordWriter, tf_record_iterator
