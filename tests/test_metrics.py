"""``tf.metrics`` against TensorFlow 2.21's ``tf.compat.v1.metrics``: the graph node for node, the local and metric
variables, the metrics/updates collections, the value and update tensors' names, and the update ops' results over
several batches, then the values; the run-time checks' errors (goldens from tests/golden/make_metrics.py, programs
in tests/golden/metrics_programs.py)."""
import json
import os

import numpy as np
import pytest

import minitf as tf
from golden import metrics_programs as programs

RECORD = json.load(open(os.path.join(os.path.dirname(__file__), "golden", "metrics.json")))


@pytest.mark.parametrize("name", list(programs.PROGRAMS))
def test_metrics_match_tensorflow(name):
    golden = RECORD[name]
    with tf.Graph().as_default() as graph:
        feeds, metrics = programs.PROGRAMS[name](tf)
        assert [[op.name, op.type] for op in graph.get_operations()] == golden["nodes"]
        assert [[v.name, v.shape.as_list()] for v in tf.local_variables()] == golden["local_variables"]
        assert [v.name for v in tf.get_collection(tf.GraphKeys.METRIC_VARIABLES)] == golden["metric_variables"]
        assert [v.name for v in tf.global_variables()] == golden["global_variables"] == []
        assert {k: [t.name for t in tf.get_collection(k)] for k in ("values", "updates")} == golden["collections"]
        assert {k: [v.name, u.name] for k, (v, u) in metrics.items()} == golden["names"]
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            for step in range(programs.STEPS):
                feed = {p: batches[step] for p, batches in feeds}
                got = sess.run({k: u for k, (_, u) in metrics.items()}, feed)
                for key, want in golden["updates"][step].items():
                    np.testing.assert_allclose(got[key], want, rtol=1e-6, err_msg=f"{key} step {step}")
            values = sess.run({k: v for k, (v, _) in metrics.items()})
            values_again = sess.run({k: v for k, (v, _) in metrics.items()})
    for key, want in golden["values"].items():
        np.testing.assert_allclose(values[key], want, rtol=1e-6, err_msg=key)
        np.testing.assert_array_equal(values_again[key], values[key])  # reading a value does not update it


def test_reinitialising_local_variables_resets_a_metric():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2])
        value, update = tf.metrics.mean(x)
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            sess.run(update, {x: [1.0, 3.0]})
            sess.run(tf.local_variables_initializer())
            assert sess.run(update, {x: [5.0, 7.0]}) == 6.0


def test_reading_a_metric_before_initialising_names_the_variable():
    with tf.Graph().as_default():
        value, _ = tf.metrics.accuracy([1, 2], [1, 3])
        with tf.Session() as sess:
            with pytest.raises(tf.errors.FailedPreconditionError, match="accuracy/total"):
                sess.run(value)


@pytest.mark.parametrize("case", list(programs.ERROR_CASES))
def test_run_time_checks_match_tensorflow(case):
    """auc's predictions outside [0, 1], mean_iou's labels outside [0, num_classes): TensorFlow's
    InvalidArgumentError, message included."""
    assert programs.run_error(tf, case) == RECORD["errors"][case]
