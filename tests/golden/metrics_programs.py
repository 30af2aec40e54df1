"""The ``tf.metrics`` programs of tests/golden/make_metrics.py (TensorFlow 2.21's tf.compat.v1) and
tests/test_metrics.py (minitf). Each takes the library as ``tf`` and returns (feeds, {name: (value, update_op)}):
``feeds`` is a list of (placeholder, [batch, batch, ...]); the update ops run once per batch, then the values are
read."""
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


PROGRAMS = {"regression": regression, "classification": classification, "empty_precision": empty_precision,
            "areas": areas}

# The run-time checks TensorFlow guards with a cond (``tf.metrics.auc``'s predictions in [0, 1]); minitf has none.
RUNTIME_CHECK_SCOPES = ("/assert_greater_equal/", "/assert_less_equal/")
