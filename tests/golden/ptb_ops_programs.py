"""The programs of tests/golden/make_ptb_tutorial.py (TensorFlow 2.21's tf.compat.v1, with TensorFlow 1.15's
``tf.contrib.seq2seq.sequence_loss`` rebuilt in ptb_tf_contrib.py) and tests/test_ptb_tutorial.py (minitf): the
calls TensorFlow's PTB tutorial (tutorials/rnn/ptb of tensorflow/models) needed that minitf lacked. Each takes the
library as ``tf`` and its ``contrib`` and returns (inputs, {name: output tensor}); the sum of the outputs is
differentiated wrt the inputs."""
import numpy as np


def _data(shape, seed, low=-1.0, high=1.0):
    return np.random.default_rng(seed).uniform(low, high, size=shape).astype(np.float32)


def xw_plus_b(tf, contrib):
    """``tf.nn.xw_plus_b``: MatMul then BiasAdd, in an ``xw_plus_b`` scope or the given name."""
    x = tf.constant(_data([3, 4], 1), name="x")
    w = tf.constant(_data([4, 5], 2), name="w")
    b = tf.constant(_data([5], 3), name="b")
    return [x, w, b], {"default": tf.nn.xw_plus_b(x, w, b), "named": tf.nn.xw_plus_b(x, w, b, name="logits"),
                       "lists": tf.nn.xw_plus_b([[1.0, 2.0]], [[3.0], [4.0]], [0.5])}


def _sequence(tf):
    logits = tf.constant(_data([2, 3, 5], 4, -2.0, 2.0), name="logits")
    targets = tf.constant([[1, 4, 0], [2, 2, 3]], name="targets")
    weights = tf.constant([[1.0, 0.5, 0.0], [1.0, 1.0, 2.0]], name="weights")
    return logits, targets, weights


def sequence_loss(tf, contrib):
    """Every reduction of ``tf.contrib.seq2seq.sequence_loss``; the PTB tutorial's is ``per_step``."""
    logits, targets, weights = _sequence(tf)
    loss = contrib.seq2seq.sequence_loss
    zero = tf.zeros([2, 3])
    return [logits, weights], {
        "default": loss(logits, targets, weights),
        "per_step": loss(logits, targets, weights, average_across_timesteps=False, average_across_batch=True),
        "per_example": loss(logits, targets, weights, average_across_batch=False),
        "none": loss(logits, targets, weights, average_across_timesteps=False, average_across_batch=False),
        "sum_both": loss(logits, targets, weights, average_across_timesteps=False, average_across_batch=False,
                         sum_over_timesteps=True, sum_over_batch=True),
        "sum_time": loss(logits, targets, weights, average_across_timesteps=False, average_across_batch=False,
                         sum_over_timesteps=True),
        "sum_batch": loss(logits, targets, weights, average_across_timesteps=False, average_across_batch=False,
                          sum_over_batch=True),
        "zero_weights": loss(logits, targets, zero, name="masked"),
        "custom": loss(logits, targets, weights,
                       softmax_loss_function=lambda labels, logits: tf.reduce_max(logits, 1) * 0.0 + 1.0)}


def sequence_loss_errors(tf, contrib):
    """The ValueErrors ``sequence_loss`` raises at graph construction: (name, message) pairs."""
    logits, targets, weights = _sequence(tf)
    loss = contrib.seq2seq.sequence_loss
    cases = {"logits_rank": lambda: loss(logits[0], targets, weights),
             "targets_rank": lambda: loss(logits, targets[0], weights),
             "weights_rank": lambda: loss(logits, targets, weights[0]),
             "both_time": lambda: loss(logits, targets, weights, sum_over_timesteps=True),
             "both_batch": lambda: loss(logits, targets, weights, average_across_timesteps=False,
                                        sum_over_batch=True)}
    errors = {}
    for name, build in cases.items():
        try:
            build()
        except ValueError as e:
            errors[name] = str(e)
    return errors


def reductions(tf, contrib):
    """Gradients of reductions whose input shape and axes are static, which sequence_loss's graph has: TensorFlow's
    ``reduced_shape`` folds the kept shape to a constant, and ``constant_value`` knows a Range of constants (the
    axes of a scalar's reduction), so the gradients reshape by Consts."""
    x = tf.constant(_data([2, 3], 5), name="x")
    s = tf.constant(1.5, name="s")
    return [x, s], {"max": tf.reduce_max(x, 1), "min_keep": tf.reduce_min(x, -1, keepdims=True),
                    "max_scalar": tf.reduce_max(s), "min_scalar": tf.reduce_min(s * x),
                    "mean": tf.reduce_mean(x, [0, 1])}


def range_values(tf, constant_value):
    """``constant_value`` of Ranges: of constants (int, float, empty), and of a placeholder limit (None)."""
    ranges = {"int": tf.range(3), "steps": tf.range(1, 7, 2), "empty": tf.range(0), "down": tf.range(5, 1, -2),
              "float": tf.range(0.5, 2.0, 0.5), "placeholder": tf.range(tf.placeholder(tf.int32))}
    values = {}
    for name, t in ranges.items():
        value = constant_value(t)
        values[name] = None if value is None else [value.tolist(), str(value.dtype)]
    return values


def count_nonzero(tf, contrib):
    """``tf.count_nonzero``, which sequence_loss's summing reductions call: its ``zeros`` and ``input`` nodes."""
    x = tf.constant(_data([2, 3], 6) * (np.arange(6).reshape(2, 3) % 2), name="x")
    return [x], {"all": tf.count_nonzero(x), "rows": tf.count_nonzero(x, 1, keepdims=True, dtype=tf.int32, name="nz"),
                 "list": tf.count_nonzero([[1, 0, 3]]), "math": tf.math.count_nonzero(x, 0),
                 "float": tf.count_nonzero(x, dtype=tf.float32), "float_rows": tf.count_nonzero(x, 1, dtype=tf.float32)}


def add_n_of_one(tf, contrib):
    """``tf.add_n`` of one tensor is that tensor (no node), or an Identity carrying the name given."""
    x = tf.constant(_data([3], 7), name="x")
    return [x], {"one": tf.identity(tf.add_n([x]), name="one"), "named": tf.add_n([x * 2.0], name="total_x")}


PROGRAMS = {"xw_plus_b": xw_plus_b, "sequence_loss": sequence_loss, "reductions": reductions,
            "count_nonzero": count_nonzero, "add_n_of_one": add_n_of_one}


def record(tf, contrib, constant_value, session_config=None):
    """{program: {"nodes": [[name, type]], "outputs": {name: value}, "gradients": [value]}}, the errors and the
    Range values."""
    result = {}
    for name, program in PROGRAMS.items():
        with tf.Graph().as_default() as graph:
            inputs, outputs = program(tf, contrib)
            total = tf.add_n([tf.reduce_sum(tf.reshape(t, [-1])) for t in outputs.values() if t.dtype.is_floating])
            grads = [g for g in tf.gradients(total, inputs) if g is not None]
            nodes = [[op.name, op.type] for op in graph.get_operations()]
            with tf.Session(config=session_config) as sess:
                values, grad_values = sess.run([outputs, grads])
        result[name] = {"nodes": nodes, "outputs": {k: np.asarray(v).tolist() for k, v in values.items()},
                        "gradients": [np.asarray(g).tolist() for g in grad_values]}
    with tf.Graph().as_default():
        result["sequence_loss_errors"] = sequence_loss_errors(tf, contrib)
    with tf.Graph().as_default():
        result["range_values"] = range_values(tf, constant_value)
    return result
