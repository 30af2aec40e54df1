"""``tf.data.TextLineDataset``, ``TFRecordDataset`` and ``FixedLengthRecordDataset``: as in TensorFlow, the file
names become a ``TensorSliceDataset`` and a ``flat_map`` reads each file with the reader op."""

from minitf.data.dataset_ops import DatasetV1, _int64
from minitf.data import nest
from minitf.framework import dtypes, ops, tensor_shape
from minitf.ops import array_ops

_STRING = nest.Spec(dtypes.string, tensor_shape.TensorShape([]))


def _file_names(filenames):
    filenames = ops.convert_to_tensor(filenames, dtype=dtypes.string)
    if filenames.dtype.base_dtype != dtypes.string:
        raise TypeError("The `filenames` argument must contain `tf.string` elements. Got a dataset of "
                        f"`{filenames.dtype!r}` elements.")
    filenames = array_ops.reshape(filenames, [-1], name="flat_filenames")
    return DatasetV1.from_tensor_slices(filenames, _is_files=True)


def _compression(compression_type):
    return ops.convert_to_tensor("" if compression_type is None else compression_type, dtype=dtypes.string,
                                 name="compression_type")


class _Reader(DatasetV1):
    def __init__(self, filenames, read_one_file):
        read_one_file.__name__ = "read_one_file"
        dataset = _file_names(filenames).flat_map(read_one_file)
        super().__init__(dataset._variant_tensor, dataset._spec)


class TextLineDatasetV1(_Reader):
    """The lines of text files, without their line endings."""

    def __init__(self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None, name=None):
        def read_one_file(filename):
            inputs = [filename, _compression(compression_type), _int64(buffer_size or 256 * 1024, "buffer_size")]
            return DatasetV1(None, _STRING)._apply("TextLineDataset", inputs, _STRING, types_attr=None)
        super().__init__(filenames, read_one_file)


class TFRecordDatasetV1(_Reader):
    """The records of TFRecord files (``compression_type`` ``""``, ``"ZLIB"`` or ``"GZIP"``)."""

    def __init__(self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None, name=None):
        def read_one_file(filename):  # buffer_size -1: TensorFlow's default for TFRecord files
            inputs = [filename, _compression(compression_type), _int64(-1 if buffer_size is None else buffer_size,
                                                                        "buffer_size")]
            return DatasetV1(None, _STRING)._apply("TFRecordDataset", inputs, _STRING, types_attr=None)
        super().__init__(filenames, read_one_file)


class FixedLengthRecordDatasetV1(_Reader):
    """Records of ``record_bytes`` bytes from files with ``header_bytes`` and ``footer_bytes`` skipped."""

    def __init__(self, filenames, record_bytes, header_bytes=None, footer_bytes=None, buffer_size=None,
                 compression_type=None, num_parallel_reads=None, name=None):
        def read_one_file(filename):
            record = _int64(record_bytes, "record_bytes")
            header = _int64(header_bytes or 0, "header_bytes")
            footer = _int64(footer_bytes or 0, "footer_bytes")
            buffer = _int64(buffer_size or 256 * 1024, "buffer_size")
            inputs = [filename, header, record, footer, buffer, _compression(compression_type)]
            return DatasetV1(None, _STRING)._apply("FixedLengthRecordDatasetV2", inputs, _STRING, types_attr=None)
        super().__init__(filenames, read_one_file)


TextLineDataset = TextLineDatasetV1
TFRecordDataset = TFRecordDatasetV1
FixedLengthRecordDataset = FixedLengthRecordDatasetV1
