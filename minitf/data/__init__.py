"""``tf.data`` (and ``tf.compat.v1.data``): datasets and iterators for TensorFlow 1.x graphs."""

from minitf.data import experimental
from minitf.data.dataset_ops import AUTOTUNE, Dataset, DatasetV1
from minitf.data.iterator_ops import (Iterator, get_output_classes, get_output_shapes, get_output_types,
                                      make_initializable_iterator, make_one_shot_iterator)
from minitf.data.readers import (FixedLengthRecordDataset, FixedLengthRecordDatasetV1, TextLineDataset,
                                 TextLineDatasetV1, TFRecordDataset, TFRecordDatasetV1)
