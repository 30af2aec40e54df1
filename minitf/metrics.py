"""``tf.metrics`` (TF1's ``tf.compat.v1.metrics``): streaming metrics with local variables and update ops."""

from minitf._missing import missing_names as _missing_names
from minitf.ops.metrics_impl import (accuracy, auc, false_negatives, false_positives, mean, mean_absolute_error,
                                     mean_iou, mean_per_class_accuracy, mean_squared_error, precision, recall,
                                     root_mean_squared_error, true_negatives, true_positives)

__getattr__ = _missing_names("tf.metrics")
