"""Hooks, MonitoredSession, MonitoredTrainingSession, Scaffold and SessionManager against TensorFlow 2.21's
behaviour on the programs of tests/monitored_cases.py (golden: tests/golden/monitored.json, make_monitored.py)."""

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

import minitf as tf
from monitored_cases import CASES

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "golden", "monitored.json")) as _f:
    GOLDEN = json.load(_f)

SAME_AS_TF = [name for name in CASES if name != "scaffold_defaults"]


@pytest.mark.parametrize("name", SAME_AS_TF)
def test_case_matches_tensorflow(name, tmp_path):
    assert json.loads(json.dumps(CASES[name](tf, str(tmp_path)))) == GOLDEN[name]


def test_scaffold_defaults(tmp_path):
    """Scaffold's init, ready and local-init ops: TensorFlow's names, members and results. minitf's
    report_uninitialized_variables builds a shorter boolean_mask (Where/Squeeze/GatherV2 without TF's reshapes)
    and names concat's axis constant concat/Const (TensorFlow: concat/axis); those nodes are left out here."""
    ours = CASES["scaffold_defaults"](tf, str(tmp_path))
    golden = GOLDEN["scaffold_defaults"]

    def main_nodes(added):
        return [a for a in added if "boolean_mask" not in a[0] and not a[0].startswith("concat")]
    assert main_nodes(ours.pop("added")) == main_nodes(golden["added"])
    assert ours == {k: v for k, v in golden.items() if k != "added"}


def test_session_manager_prepare_and_recover(tmp_path):
    with tf.Graph().as_default():
        v = tf.Variable(3.0, name="v")
        init = tf.global_variables_initializer()
        saver = tf.train.Saver()
        ready = tf.report_uninitialized_variables()
        manager = tf.train.SessionManager(ready_op=ready)
        sess, restored = manager.recover_session("", saver=saver, checkpoint_dir=str(tmp_path))
        assert not restored
        sess = manager.prepare_session("", init_op=init, saver=saver, checkpoint_dir=str(tmp_path))
        sess.run(tf.assign(v, 7.0))
        saver.save(sess, str(tmp_path / "model.ckpt"), global_step=1)
        sess, restored = manager.recover_session("", saver=saver, checkpoint_dir=str(tmp_path))
        assert restored and sess.run(v) == 7.0
        with pytest.raises(RuntimeError, match="Init operations did not make model ready"):
            manager.prepare_session("", init_op=tf.no_op())
        with pytest.raises(tf.errors.DeadlineExceededError):
            tf.train.SessionManager(ready_op=ready, recovery_wait_secs=0.01).wait_for_session("", max_wait_secs=0.05)


def test_runner_error_reaches_caller(tmp_path):
    """A queue runner's failure closes the monitored session and is raised in the caller's thread."""
    with tf.Graph().as_default():
        tf.train.get_or_create_global_step()
        queue = tf.FIFOQueue(4, tf.float32, shapes=[[]])
        bad = tf.check_numerics(tf.constant(float("nan")), "bad value")
        tf.train.add_queue_runner(tf.train.QueueRunner(queue, [queue.enqueue(bad)]))
        with pytest.raises(tf.errors.InvalidArgumentError, match="bad value"):
            with tf.train.MonitoredSession() as sess:
                deadline = time.time() + 10
                while not sess.should_stop() and time.time() < deadline:
                    sess.run(queue.dequeue(), options=tf.RunOptions(timeout_in_ms=200))


def test_profiler_hook_writes_chrome_trace(tmp_path):
    with tf.Graph().as_default():
        global_step = tf.train.get_or_create_global_step()
        train_op = tf.assign_add(global_step, 1)
        hooks = [tf.train.ProfilerHook(save_steps=2, output_dir=str(tmp_path)), tf.train.StopAtStepHook(last_step=5)]
        with tf.train.MonitoredSession(hooks=hooks) as sess:
            while not sess.should_stop():
                sess.run(train_op)
    traces = sorted(n for n in os.listdir(tmp_path) if n.startswith("timeline-"))
    assert traces == ["timeline-2.json", "timeline-4.json"]  # TensorFlow's steps (its first run is never traced)
    events = json.load(open(tmp_path / "timeline-2.json"))["traceEvents"]
    assert any(e.get("args", {}).get("op") == "AssignAdd" for e in events)


KILLED_TRAINER = textwrap.dedent("""
    import sys, time
    import minitf as tf
    global_step = tf.train.get_or_create_global_step()
    x = tf.Variable(0.0, name="x")
    train_op = tf.group(tf.assign_add(x, 1.0), tf.assign_add(global_step, 1))
    hooks = [tf.train.StopAtStepHook(last_step=int(sys.argv[2]))]
    with tf.train.MonitoredTrainingSession(checkpoint_dir=sys.argv[1], save_checkpoint_steps=5,
                                           save_summaries_steps=None, log_step_count_steps=None,
                                           hooks=hooks) as sess:
        while not sess.should_stop():
            sess.run(train_op)
            time.sleep(float(sys.argv[3]))
    print("done")
""")


def test_killed_training_resumes_from_last_checkpoint(tmp_path):
    """Killing the trainer mid-way and starting it again: it restores the last checkpoint (x and the global step
    agree), and finishes at the requested step."""
    script = tmp_path / "trainer.py"
    script.write_text(KILLED_TRAINER)
    ckpt_dir = tmp_path / "ckpt"
    env = dict(os.environ, PYTHONPATH=os.path.dirname(HERE))
    proc = subprocess.Popen([sys.executable, str(script), str(ckpt_dir), "1000", "0.01"], env=env)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            state = tf.train.get_checkpoint_state(str(ckpt_dir))
            if state and state.model_checkpoint_path.endswith("-10"):
                break
            time.sleep(0.05)
    finally:
        proc.kill()
        proc.wait()
    saved = int(tf.train.get_checkpoint_state(str(ckpt_dir)).model_checkpoint_path.rsplit("-", 1)[1])
    assert saved >= 10
    out = subprocess.run([sys.executable, str(script), str(ckpt_dir), str(saved + 3), "0"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "done", out.stderr
    last = tf.train.latest_checkpoint(str(ckpt_dir))
    assert last.endswith("-%d" % (saved + 3))
    reader = tf.train.NewCheckpointReader(last)
    assert reader.get_tensor("global_step") == saved + 3 and reader.get_tensor("x") == saved + 3


def test_traced_run_through_a_cond_records_its_kernels():
    """A traced run whose graph holds a cond (the dataflow executor) records the kernels that ran, none of the
    branch not taken."""
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [])
        y = tf.cond(x > 0, lambda: tf.square(x, name="sq"), lambda: tf.negative(x, name="neg"))
        md = tf.RunMetadata()
        with tf.Session() as sess:
            assert sess.run(y, {x: 3.0}, options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
                            run_metadata=md) == 9.0
        names = {n.node_name for d in md.step_stats.dev_stats for n in d.node_stats}
        assert "cond/sq" in names and "cond/neg" not in names
