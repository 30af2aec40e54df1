"""The ``tf.losses`` programs of tests/golden/make_losses.py (TensorFlow) and tests/test_losses.py (minitf).

Every function takes the library as ``tf``, so both build the same graph.
"""
import numpy as np

BATCH, CLASSES = 4, 3


def _uniform(seed, low, high, shape=(BATCH, CLASSES)):
    return np.random.default_rng(seed).uniform(low, high, size=shape).astype(np.float32)


def _binary(seed, shape=(BATCH, CLASSES)):
    return (np.random.default_rng(seed).uniform(size=shape) > 0.5).astype(np.float32)


def _unit_rows(seed):
    x = _uniform(seed, -1.0, 1.0)
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def _one_hot(classes):
    return np.eye(CLASSES, dtype=np.float32)[classes]


def _weights(per_example_shape, full_shape):
    """The kinds of weights each loss is built with: Python scalars, one weight per example (one of them 0),
    one per loss element (some 0), all 0."""
    per_example = np.array([1.0, 0.0, 2.0, 0.5], np.float32).reshape(per_example_shape)
    full = _uniform(40, 0.0, 2.0, full_shape)
    full.reshape(-1)[::3] = 0.0
    return {"scalar": 2.5, "zero": 0.0, "per_example": per_example, "full": full,
            "all_zero": np.zeros(full_shape, np.float32)}


ELEMENTWISE_WEIGHTS = _weights([BATCH, 1], [BATCH, CLASSES])
PER_EXAMPLE_WEIGHTS = _weights([BATCH], [BATCH])
COLUMN_WEIGHTS = _weights([BATCH, 1], [BATCH, 1])
REGRESSION = {"labels": _uniform(1, -1.0, 1.0), "predictions": _uniform(2, -2.0, 2.0)}
MULTI_LABEL = {"multi_class_labels": _binary(3), "logits": _uniform(4, -3.0, 3.0)}
ONE_HOT = {"onehot_labels": _one_hot([2, 0, 1, 2]), "logits": _uniform(5, -3.0, 3.0)}
SPARSE = {"labels": np.array([2, 0, 1, 2], np.int32), "logits": ONE_HOT["logits"]}

# name: (tf.losses function, inputs, input differentiated, other keyword arguments, weights by kind)
VARIANTS = {
    "absolute_difference": ("absolute_difference", REGRESSION, "predictions", {}, ELEMENTWISE_WEIGHTS),
    "mean_squared_error": ("mean_squared_error", REGRESSION, "predictions", {}, ELEMENTWISE_WEIGHTS),
    "huber_loss": ("huber_loss", REGRESSION, "predictions", {"delta": 0.6}, ELEMENTWISE_WEIGHTS),
    "hinge_loss": ("hinge_loss", {"labels": _binary(3), "logits": MULTI_LABEL["logits"]}, "logits", {},
                   ELEMENTWISE_WEIGHTS),
    "log_loss": ("log_loss", {"labels": _binary(6), "predictions": _uniform(7, 0.02, 0.98)}, "predictions", {},
                 ELEMENTWISE_WEIGHTS),
    "cosine_distance": ("cosine_distance", {"labels": _unit_rows(8), "predictions": _unit_rows(9)}, "predictions",
                        {"axis": 1}, COLUMN_WEIGHTS),
    "sigmoid_cross_entropy": ("sigmoid_cross_entropy", MULTI_LABEL, "logits", {}, ELEMENTWISE_WEIGHTS),
    "sigmoid_cross_entropy_smoothed": ("sigmoid_cross_entropy", MULTI_LABEL, "logits", {"label_smoothing": 0.2},
                                       ELEMENTWISE_WEIGHTS),
    "softmax_cross_entropy": ("softmax_cross_entropy", ONE_HOT, "logits", {}, PER_EXAMPLE_WEIGHTS),
    "softmax_cross_entropy_smoothed": ("softmax_cross_entropy", ONE_HOT, "logits", {"label_smoothing": 0.15},
                                       PER_EXAMPLE_WEIGHTS),
    "sparse_softmax_cross_entropy": ("sparse_softmax_cross_entropy", SPARSE, "logits", {}, PER_EXAMPLE_WEIGHTS),
    "sparse_softmax_cross_entropy_label_dim": ("sparse_softmax_cross_entropy",
                                               dict(SPARSE, labels=SPARSE["labels"].reshape(BATCH, 1)), "logits",
                                               {}, COLUMN_WEIGHTS),
    "mean_pairwise_squared_error": ("mean_pairwise_squared_error", REGRESSION, "predictions", {},
                                    ELEMENTWISE_WEIGHTS),
}
REDUCTIONS = ["none", "weighted_sum", "weighted_mean", "weighted_sum_over_batch_size",
              "weighted_sum_by_nonzero_weights"]


def reductions_of(function):
    return [None] if function == "mean_pairwise_squared_error" else REDUCTIONS


def build_variant(tf, name):
    """Every (reduction, kind of weights) loss of one variant in the default graph, inputs as named constants.
    Returns (losses in build order, the differentiated input)."""
    function, inputs, diff, kwargs, weights = VARIANTS[name]
    tensors = {arg: tf.constant(value, name=arg) for arg, value in inputs.items()}
    losses = []
    for reduction in reductions_of(function):
        for value in weights.values():
            extra = {} if reduction is None else {"reduction": reduction}
            losses.append(getattr(tf.losses, function)(weights=value, **tensors, **kwargs, **extra))
    return losses, tensors[diff]


def scenarios(tf):
    """Scopes, loss collections, regularizers of get_variable, total and regularization losses and
    compute_weighted_loss on float64 losses. Returns (facts about the graph, {name: tensor to run})."""
    labels = tf.constant(REGRESSION["labels"], name="labels")
    predictions = tf.constant(REGRESSION["predictions"], name="predictions")
    with tf.variable_scope("model"):
        w = tf.get_variable("w", [CLASSES], initializer=tf.constant_initializer([0.5, -1.0, 2.0]),
                            regularizer=tf.nn.l2_loss)
        b = tf.get_variable("b", [CLASSES], initializer=tf.constant_initializer(0.25),
                            regularizer=lambda t: tf.multiply(0.1, tf.reduce_sum(tf.abs(t)), name="l1"))
    outputs = predictions * w + b
    scoped = tf.losses.mean_squared_error(labels, outputs, scope="my_loss")
    with tf.name_scope("outer"):
        nested = tf.losses.absolute_difference(labels, outputs)
    uncollected = tf.losses.huber_loss(labels, outputs, loss_collection=None)
    custom = tf.losses.log_loss(tf.constant(_binary(6)), tf.sigmoid(outputs), loss_collection="my_losses")
    tf.losses.add_loss(tf.reduce_mean(outputs, name="extra"))
    # A batch size known only at run time: TensorFlow checks that the weights broadcast with a run-time Assert.
    unknown_batch = tf.placeholder_with_default(REGRESSION["predictions"], [None, CLASSES], name="unknown_batch")
    dynamic = tf.losses.mean_squared_error(labels, unknown_batch, weights=COLUMN_WEIGHTS["per_example"],
                                           loss_collection=None)
    weighted = tf.losses.compute_weighted_loss(tf.constant(np.linspace(0.5, 2.0, 12).reshape(4, 3)),
                                               weights=tf.constant([[1.0], [0.0], [3.0], [0.5]], tf.float64),
                                               loss_collection="float64_losses")
    total = tf.losses.get_total_loss()
    data_only = tf.losses.get_total_loss(add_regularization_losses=False, name="data_loss")
    regularization = tf.losses.get_regularization_loss()
    w_regularization = tf.losses.get_regularization_loss(scope="model/w", name="w_regularization")
    outer_total = tf.losses.get_total_loss(scope="outer", name="outer_total")
    facts = {
        "losses": [t.name for t in tf.losses.get_losses()],
        "outer_losses": [t.name for t in tf.losses.get_losses(scope="outer")],
        "my_losses": [t.name for t in tf.losses.get_losses(loss_collection="my_losses")],
        "regularization_losses": [t.name for t in tf.losses.get_regularization_losses()],
        "names": [t.name for t in (scoped, nested, uncollected, custom, dynamic, weighted, total, data_only,
                                   regularization, w_regularization, outer_total)],
        "weighted_dtype": weighted.dtype.name,
    }
    grad_w, grad_b = tf.gradients(total, [w, b])
    run = {"scoped": scoped, "nested": nested, "uncollected": uncollected, "custom": custom, "dynamic": dynamic,
           "weighted": weighted, "total": total, "data_only": data_only, "regularization": regularization,
           "w_regularization": w_regularization, "outer_total": outer_total, "grad_w": grad_w, "grad_b": grad_b}
    return facts, run


# Calls that raise a ValueError, evaluated with ``tf``, ``np``, ``l`` and ``p`` ([4, 3] float32 constants).
ERRORS = {
    "absolute_difference_labels": "tf.losses.absolute_difference(None, p)",
    "absolute_difference_predictions": "tf.losses.absolute_difference(l, None)",
    "cosine_distance_axis": "tf.losses.cosine_distance(l, p)",
    "cosine_distance_labels": "tf.losses.cosine_distance(None, p, axis=1)",
    "cosine_distance_predictions": "tf.losses.cosine_distance(l, None, dim=1)",
    "hinge_loss_labels": "tf.losses.hinge_loss(None, p)",
    "hinge_loss_logits": "tf.losses.hinge_loss(l, None)",
    "huber_loss_labels": "tf.losses.huber_loss(None, p)",
    "huber_loss_predictions": "tf.losses.huber_loss(l, None)",
    "log_loss_labels": "tf.losses.log_loss(None, p)",
    "log_loss_predictions": "tf.losses.log_loss(l, None)",
    "mean_pairwise_squared_error_labels": "tf.losses.mean_pairwise_squared_error(None, p)",
    "mean_pairwise_squared_error_predictions": "tf.losses.mean_pairwise_squared_error(l, None)",
    "mean_squared_error_labels": "tf.losses.mean_squared_error(None, p)",
    "mean_squared_error_predictions": "tf.losses.mean_squared_error(l, None)",
    "sigmoid_cross_entropy_labels": "tf.losses.sigmoid_cross_entropy(None, p)",
    "sigmoid_cross_entropy_logits": "tf.losses.sigmoid_cross_entropy(l, None)",
    "softmax_cross_entropy_labels": "tf.losses.softmax_cross_entropy(None, p)",
    "softmax_cross_entropy_logits": "tf.losses.softmax_cross_entropy(l, None)",
    "sparse_softmax_cross_entropy_labels": "tf.losses.sparse_softmax_cross_entropy(None, p)",
    "sparse_softmax_cross_entropy_logits": "tf.losses.sparse_softmax_cross_entropy(l, None)",
    "bad_reduction": "tf.losses.mean_squared_error(l, p, reduction='mean')",
    "bad_reduction_compute": "tf.losses.compute_weighted_loss(p, reduction=tf.losses.Reduction.SUM + '!')",
    "weights_rank": "tf.losses.mean_squared_error(l, p, weights=np.ones([4], np.float32))",
    "weights_dim": "tf.losses.mean_squared_error(l, p, weights=np.ones([2, 1], np.float32))",
    "weights_dim_pairwise": "tf.losses.mean_pairwise_squared_error(l, p, weights=np.ones([4, 2], np.float32))",
    "weights_rank_sparse": "tf.losses.sparse_softmax_cross_entropy(tf.constant([0, 1, 2, 0]), p, "
                           "weights=np.ones([4, 3], np.float32))",
    "shapes": "tf.losses.mean_squared_error(l, p[:, :2])",
    "shapes_softmax": "tf.losses.softmax_cross_entropy(l[:, :2], p)",
}


def error_message(tf, expression):
    """The message of the ValueError ``expression`` raises in a fresh graph (None when it raises none)."""
    with tf.Graph().as_default():
        namespace = {"tf": tf, "np": np, "l": tf.constant(np.zeros([4, 3], np.float32)),
                     "p": tf.constant(np.ones([4, 3], np.float32))}
        try:
            eval(expression, namespace)  # noqa: S307 - the fixed programs above
        except ValueError as e:
            return str(e)
    return None
