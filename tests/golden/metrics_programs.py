"""The ``tf.metrics`` programs of tests/golden/make_metrics.py (TensorFlow 2.21's tf.compat.v1) and
tests/test_metrics.py (minitf). Each takes the library as ``tf`` and returns (feeds, {name: (value, update_op)}):
``feeds`` is a list of (placeholder, [batch, batch, ...]); the update ops run once per batch, then the values are
read."""
import re

import numpy as np

STEPS = 3


def _rng(seed):
    return np.random.default_rng(seed)


def _batches(make, seed):
    rng = _rng(seed)
    return [make(rng) for _ in range(STEPS)]


def regression(tf):
    """mean (plain, weighted, scalar weight), mean_squared_error, root_mean_squared_error, mean_absolute_error."""
    labels = tf.placeholder(tf.float32, [4, 3], name="labels")
    predictions = tf.placeholder(tf.float32, [4, 3], name="predictions")
    weights = tf.placeholder(tf.float32, [4, 3], name="weights")
    metrics = {
        "mean": tf.metrics.mean(predictions),
        "mean_weighted": tf.metrics.mean(predictions, weights, name="weighted"),
        "mean_scalar_weight": tf.metrics.mean(labels, 0.5),
        "mse": tf.metrics.mean_squared_error(labels, predictions),
        "mse_weighted": tf.metrics.mean_squared_error(labels, predictions, weights=weights),
        "rmse": tf.metrics.root_mean_squared_error(labels, predictions, metrics_collections=["values"],
                                                   updates_collections=["updates"]),
        "mae": tf.metrics.mean_absolute_error(labels, predictions, name="abs_err"),
    }
    f32 = np.float32
    feeds = [(labels, _batches(lambda r: r.normal(size=[4, 3]).astype(f32), 1)),
             (predictions, _batches(lambda r: r.normal(size=[4, 3]).astype(f32), 2)),
             (weights, _batches(lambda r: r.integers(0, 3, size=[4, 3]).astype(f32), 3))]
    return feeds, metrics


def classification(tf):
    """accuracy (argmax predictions, int labels, weighted, rank-2 labels squeezed), true/false positives/negatives,
    precision, recall (weighted)."""
    labels = tf.placeholder(tf.int64, [6], name="labels")
    logits = tf.placeholder(tf.float32, [6, 4], name="logits")
    binary_labels = tf.placeholder(tf.int32, [6], name="binary_labels")
    binary_predictions = tf.placeholder(tf.bool, [6], name="binary_predictions")
    weights = tf.placeholder(tf.float32, [6], name="weights")
    metrics = {
        "accuracy": tf.metrics.accuracy(labels, tf.argmax(logits, 1)),
        "accuracy_weighted": tf.metrics.accuracy(labels=labels, predictions=tf.argmax(logits, 1), weights=weights,
                                                 name="acc_w"),
        "accuracy_rank2": tf.metrics.accuracy(tf.expand_dims(labels, 1), tf.argmax(logits, 1)),
        "tp": tf.metrics.true_positives(binary_labels, binary_predictions),
        "fp": tf.metrics.false_positives(binary_labels, binary_predictions),
        "tn": tf.metrics.true_negatives(binary_labels, binary_predictions, weights=weights),
        "fn": tf.metrics.false_negatives(binary_labels, binary_predictions, name="fneg"),
        "precision": tf.metrics.precision(binary_labels, binary_predictions),
        "recall": tf.metrics.recall(binary_labels, binary_predictions, metrics_collections=["values"]),
        "precision_weighted": tf.metrics.precision(binary_labels, binary_predictions, weights=weights),
    }
    feeds = [(labels, _batches(lambda r: r.integers(0, 4, size=[6]), 4)),
             (logits, _batches(lambda r: r.normal(size=[6, 4]).astype(np.float32), 5)),
             (binary_labels, _batches(lambda r: r.integers(0, 2, size=[6]).astype(np.int32), 6)),
             (binary_predictions, _batches(lambda r: r.integers(0, 2, size=[6]).astype(bool), 7)),
             (weights, _batches(lambda r: r.uniform(0, 2, size=[6]).astype(np.float32), 8))]
    return feeds, metrics


def empty_precision(tf):
    """precision and recall before any positive: 0, not NaN; mean of nothing: 0."""
    labels = tf.placeholder(tf.bool, [2], name="labels")
    predictions = tf.placeholder(tf.bool, [2], name="predictions")
    metrics = {"precision": tf.metrics.precision(labels, predictions),
               "recall": tf.metrics.recall(labels, predictions),
               "mean": tf.metrics.mean(tf.zeros([0]))}
    return [(labels, [np.array([False, False])] * STEPS), (predictions, [np.array([False, False])] * STEPS)], metrics


def areas(tf):
    """auc: ROC and PR (trapezoidal, careful_interpolation, minoring, majoring), given thresholds, weights."""
    labels = tf.placeholder(tf.int32, [8], name="labels")
    scores = tf.placeholder(tf.float32, [8], name="scores")
    weights = tf.placeholder(tf.float32, [8], name="weights")
    metrics = {
        "roc": tf.metrics.auc(labels, scores),
        "roc_few": tf.metrics.auc(labels, scores, num_thresholds=5, name="roc_few"),
        "pr": tf.metrics.auc(labels, scores, curve="PR", num_thresholds=50),
        "pr_careful": tf.metrics.auc(labels, scores, curve="PR", summation_method="careful_interpolation"),
        "minoring": tf.metrics.auc(labels, scores, summation_method="minoring", num_thresholds=20),
        "majoring": tf.metrics.auc(labels, scores, weights=weights, summation_method="majoring",
                                   updates_collections=["updates"]),
        "given": tf.metrics.auc(labels, scores, thresholds=[0.7, 0.2, 0.5]),
    }
    feeds = [(labels, _batches(lambda r: r.integers(0, 2, size=[8]).astype(np.int32), 9)),
             (scores, _batches(lambda r: r.uniform(0, 1, size=[8]).astype(np.float32), 10)),
             (weights, _batches(lambda r: r.uniform(0, 2, size=[8]).astype(np.float32), 11))]
    return feeds, metrics


def per_class(tf):
    """mean_per_class_accuracy (plain, weighted, rank-2 inputs) and mean_iou (plain, weighted, a class never seen,
    rank-2 inputs), with collections."""
    labels = tf.placeholder(tf.int32, [8], name="labels")
    predictions = tf.placeholder(tf.int64, [8], name="predictions")
    weights = tf.placeholder(tf.float32, [8], name="weights")
    grid_labels, grid_predictions = tf.reshape(labels, [2, 4]), tf.reshape(predictions, [2, 4])
    metrics = {
        "per_class": tf.metrics.mean_per_class_accuracy(labels, predictions, 4),
        "per_class_weighted": tf.metrics.mean_per_class_accuracy(labels, predictions, 4, weights=weights,
                                                                 metrics_collections=["values"],
                                                                 updates_collections=["updates"]),
        "per_class_grid": tf.metrics.mean_per_class_accuracy(grid_labels, grid_predictions, 5, name="grid"),
        "iou": tf.metrics.mean_iou(labels, predictions, 4),
        "iou_weighted": tf.metrics.mean_iou(labels, predictions, 4, weights=weights, metrics_collections=["values"],
                                            updates_collections=["updates"]),
        "iou_unseen_class": tf.metrics.mean_iou(labels, predictions, 6, name="iou6"),
        "iou_grid": tf.metrics.mean_iou(grid_labels, grid_predictions, 4),
    }
    feeds = [(labels, _batches(lambda r: r.integers(0, 4, size=[8]).astype(np.int32), 12)),
             (predictions, _batches(lambda r: r.integers(0, 4, size=[8]), 13)),
             (weights, _batches(lambda r: r.uniform(0, 2, size=[8]).astype(np.float32), 14))]
    return feeds, metrics


def confusion(tf):
    """tf.confusion_matrix (what mean_iou counts with): num_classes given or not, weights, a rank-2 label squeezed;
    returned as (matrix, matrix) pairs of a program without feeds."""
    labels = tf.constant([0, 2, 1, 1, 3], name="labels")
    predictions = tf.constant([0, 1, 1, 2, 3], tf.int64, name="predictions")
    out = {"inferred": tf.confusion_matrix(labels, predictions),
           "given": tf.confusion_matrix(labels, predictions, num_classes=5, dtype=tf.float32,
                                        weights=tf.constant([1.0, 0.5, 2.0, 1.0, 3.0])),
           "squeezed": tf.confusion_matrix(tf.expand_dims(labels, 1), predictions, name="cm")}
    return [], {k: (v, v) for k, v in out.items()}


PROGRAMS = {"regression": regression, "classification": classification, "empty_precision": empty_precision,
            "areas": areas, "per_class": per_class, "confusion": confusion}

# Run-time errors: (program, feeds as {placeholder name: value}), the program returning the tensor to fetch. Each is
# recorded as [error class, the assertion's message] from TensorFlow's session.
ERROR_CASES = {
    "auc_above_one": ("auc_check", {"scores:0": [0.2, 1.5, 0.3]}),
    "auc_negative": ("auc_check", {"scores:0": [-0.1, 0.5, 0.3]}),
    "iou_label_out_of_bound": ("iou_check", {"labels:0": [0, 3, 1]}),
    "iou_negative_label": ("iou_check", {"labels:0": [0, -1, 1]}),
}


def auc_check(tf):
    labels = tf.constant([1, 0, 1], name="labels")
    scores = tf.placeholder(tf.float32, [3], name="scores")
    return tf.metrics.auc(labels, scores)[1]


def iou_check(tf):
    labels = tf.placeholder(tf.int32, [3], name="labels")
    return tf.metrics.mean_iou(labels, tf.constant([0, 1, 2], tf.int64), 3)[1]


ERROR_PROGRAMS = {"auc_check": auc_check, "iou_check": iou_check}


def run_error(tf, case):
    """Runs an ERROR_CASES case; returns [error class name, the assertion's message] of the run-time error (None if
    none)."""
    program, feeds = ERROR_CASES[case]
    with tf.Graph().as_default() as graph:
        fetch = ERROR_PROGRAMS[program](tf)
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            try:
                sess.run(fetch, {graph.get_tensor_by_name(k): v for k, v in feeds.items()})
            except tf.errors.OpError as e:  # the Assert's line (TensorFlow adds where the node was defined)
                return [type(e).__name__, re.search(r"assertion failed: .*", e.message).group(0)]
    return None
