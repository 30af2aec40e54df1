"""Programs with hooks and monitored sessions, run by TensorFlow (tests/golden/make_monitored.py) and by minitf
(tests/test_monitored.py). Each case is ``f(tf, workdir) -> JSON-able`` and records only what does not depend on
time: call order, stop conditions, global steps, files, event kinds and tags, log lines without their timings."""

import logging
import os
import re
import time


class Recorder:
    """Hook factory: a SessionRunHook subclass (of ``tf``'s) that appends its calls to a list."""

    @staticmethod
    def make(tf, calls, name="hook", fetch=None):
        class _Hook(tf.train.SessionRunHook):
            def begin(self):
                calls.append(f"{name}.begin finalized={tf.get_default_graph().finalized}")

            def after_create_session(self, session, coord):
                calls.append(f"{name}.after_create_session finalized={tf.get_default_graph().finalized} "
                             f"coord={type(coord).__name__}")

            def before_run(self, run_context):
                calls.append(f"{name}.before_run")
                return tf.train.SessionRunArgs(fetch) if fetch is not None else None

            def after_run(self, run_context, run_values):
                calls.append(f"{name}.after_run results={_plain(run_values.results)}")

            def end(self, session):
                calls.append(f"{name}.end")
        return _Hook()


def _plain(value):
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _counter_graph(tf):
    """A global step and a train op that increments it; returns (global_step, train_op)."""
    global_step = tf.train.get_or_create_global_step()
    x = tf.Variable(1.0, name="x")
    tf.summary.scalar("x", x)
    train_op = tf.group(tf.assign_add(x, 0.5), tf.assign_add(global_step, 1), name="train")
    return global_step, train_op


def call_order(tf, workdir):
    calls = []
    with tf.Graph().as_default():
        global_step, train_op = _counter_graph(tf)
        two = tf.constant(2, name="two")
        hooks = [Recorder.make(tf, calls, "a", fetch=two), tf.train.StopAtStepHook(num_steps=3),
                 Recorder.make(tf, calls, "b", fetch={"t": two})]
        with tf.train.MonitoredSession(hooks=hooks) as sess:
            while not sess.should_stop():
                result = sess.run(train_op)
                calls.append(f"run -> {result} should_stop={sess.should_stop()}")
        calls.append(f"finalized after with: {tf.get_default_graph().finalized}")
    return calls


def _event_kinds(path, tf):
    kinds = []
    for name in sorted(os.listdir(path)):
        if not name.startswith("events.out.tfevents"):
            continue
        for event in tf.train.summary_iterator(os.path.join(path, name)):
            kind = event.WhichOneof("what")
            if kind == "summary":
                kind = "summary:" + ",".join(v.tag for v in event.summary.value)
            elif kind == "session_log":
                kind = "session_log:%d:%s" % (event.session_log.status,
                                              os.path.basename(event.session_log.checkpoint_path))
            kinds.append([int(event.step), kind])
    return kinds


def _files(path):
    return sorted("events" if n.startswith("events.out.tfevents") else n for n in os.listdir(path))


def training_files(tf, workdir):
    """MonitoredTrainingSession's own hooks: checkpoints every 3 steps, summaries and global_step/sec every 2."""
    with tf.Graph().as_default():
        global_step, train_op = _counter_graph(tf)
        with tf.train.MonitoredTrainingSession(checkpoint_dir=workdir, save_checkpoint_steps=3,
                                               save_summaries_steps=2, log_step_count_steps=2,
                                               hooks=[tf.train.StopAtStepHook(last_step=7)]) as sess:
            runs = 0
            while not sess.should_stop():
                sess.run(train_op)
                runs += 1
    state = tf.train.get_checkpoint_state(workdir)
    return {"runs": runs, "files": _files(workdir), "events": _event_kinds(workdir, tf),
            "checkpoints": [os.path.basename(p) for p in state.all_model_checkpoint_paths],
            "variables": sorted(name for name, _ in tf.train.list_variables(workdir))}


def restore_on_restart(tf, workdir):
    """A second MonitoredTrainingSession on the same directory starts from the saved step."""
    out = {}
    for attempt, last_step in ((1, 4), (2, 6)):
        with tf.Graph().as_default():
            global_step, train_op = _counter_graph(tf)
            x = tf.get_default_graph().get_tensor_by_name("x:0")
            with tf.train.MonitoredTrainingSession(checkpoint_dir=workdir, save_checkpoint_secs=None,
                                                   save_summaries_steps=None, log_step_count_steps=None,
                                                   save_checkpoint_steps=100,
                                                   hooks=[tf.train.StopAtStepHook(last_step=last_step)]) as sess:
                first = sess.run([global_step, x])
                while not sess.should_stop():
                    sess.run(train_op)
            out[f"attempt{attempt}"] = {"first": _plain(first), "files": _files(workdir)}
    return out


def nan_loss(tf, workdir):
    out = {}
    with tf.Graph().as_default():
        tf.train.get_or_create_global_step()
        loss = tf.div(tf.constant(0.0), tf.constant(0.0), name="loss")
        try:
            with tf.train.MonitoredSession(hooks=[tf.train.NanTensorHook(loss)]) as sess:
                sess.run(loss)
        except Exception as e:  # noqa: BLE001 -- the class is what is recorded
            out["error"] = [type(e).__name__, str(e), isinstance(e, RuntimeError)]
        with tf.train.MonitoredSession(hooks=[tf.train.NanTensorHook(loss, fail_on_nan_loss=False)]) as sess:
            sess.run(loss)
            out["no_fail_should_stop"] = sess.should_stop()
    return out


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(re.sub(r"\(\d+\.\d+ sec\)", "(<secs>)", record.getMessage()))


def logging_hook(tf, workdir):
    capture = _Capture()
    logger = logging.getLogger("tensorflow")
    logger.addHandler(capture)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        with tf.Graph().as_default():
            tf.train.get_or_create_global_step()
            counter = tf.Variable(0, name="counter")
            step = tf.assign_add(counter, 1)
            vec = tf.constant([1.5, 2.25], name="vec")
            hooks = [tf.train.LoggingTensorHook({"step": step.name, "vec": vec}, every_n_iter=2),
                     tf.train.LoggingTensorHook([vec], every_n_iter=3, at_end=True),
                     tf.train.LoggingTensorHook({"v": vec}, at_end=True,
                                                formatter=lambda values: "formatted %s" % values["v"])]
            with tf.train.MonitoredSession(hooks=hooks) as sess:
                for _ in range(5):
                    sess.run(step)
    finally:
        logger.removeHandler(capture)
        logger.setLevel(level)
    return [line for line in capture.lines if "step" in line or "vec" in line or "formatted" in line]


def scaffold_defaults(tf, workdir):
    """The ops Scaffold.finalize adds (outside the saver's subgraph) and its members' names."""
    with tf.Graph().as_default() as graph:
        tf.Variable(1.0, name="v")
        tf.Variable(2.0, name="w", collections=[tf.GraphKeys.LOCAL_VARIABLES])
        before = {op.name for op in graph.get_operations()}
        scaffold = tf.train.Scaffold().finalize()
        added = [[op.name, op.type, [t.name for t in op.inputs], sorted(c.name for c in op.control_inputs)]
                 for op in graph.get_operations() if op.name not in before and not op.name.startswith("save/")]
        with tf.Session(graph=graph) as sess:
            not_ready = [v.decode() for v in sess.run(scaffold.ready_op)]
            sess.run(scaffold.init_op)
            not_ready_local = [v.decode() for v in sess.run(scaffold.ready_op)]
            ready_for_local = [v.decode() for v in sess.run(scaffold.ready_for_local_init_op)]
        return {"added": added, "init_op": scaffold.init_op.name, "ready_op": scaffold.ready_op.name,
                "ready_for_local_init_op": scaffold.ready_for_local_init_op.name,
                "local_init_op": scaffold.local_init_op.name, "summary_op": scaffold.summary_op,
                "finalized": graph.finalized, "savers": len(graph.get_collection(tf.GraphKeys.SAVERS)),
                "not_ready": not_ready, "not_ready_after_init": not_ready_local,
                "ready_for_local_after_init": ready_for_local,
                "collections": {k: [op.name for op in graph.get_collection(k)]
                                for k in ("init_op", "ready_op", "ready_for_local_init_op", "local_init_op")}}


def queue_end(tf, workdir):
    """The end of a queue-fed input (OutOfRangeError) ends the `with` block cleanly; hooks' end() still runs."""
    calls = []
    with tf.Graph().as_default():
        tf.train.get_or_create_global_step()
        names = tf.train.string_input_producer(["a", "b", "c"], num_epochs=2, shuffle=False)
        item = names.dequeue()
        got = []
        with tf.train.MonitoredSession(hooks=[Recorder.make(tf, calls, "h")]) as sess:
            while not sess.should_stop():
                got.append(sess.run(item).decode())
        calls = [c for c in calls if c in ("h.begin finalized=False", "h.end")]
    return {"got": got, "calls": calls}


def hook_error(tf, workdir):
    """An exception from a hook closes the session and reaches the caller; hooks' end() is not called."""
    calls = []

    class Failing(tf.train.SessionRunHook):
        def after_run(self, run_context, run_values):
            raise ValueError("hook failed")
    with tf.Graph().as_default():
        global_step, train_op = _counter_graph(tf)
        session = tf.train.MonitoredSession(hooks=[Recorder.make(tf, calls, "h"), Failing()])
        try:
            with session as sess:
                sess.run(train_op)
        except ValueError as e:
            calls.append("raised " + str(e))
        calls.append(f"should_stop={session.should_stop()}")
    return [c for c in calls if not c.startswith("h.before_run") and not c.startswith("h.after")]


def final_and_feed(tf, workdir):
    with tf.Graph().as_default():
        global_step, train_op = _counter_graph(tf)
        fed = tf.placeholder(tf.float32, [], name="fed")
        doubled = fed * 2
        final = tf.train.FinalOpsHook({"step": global_step, "x": "x:0"})
        feeds = iter([1.0, 2.0, 3.0])
        with tf.train.MonitoredSession(hooks=[tf.train.FeedFnHook(lambda: {fed: next(feeds)}), final,
                                              tf.train.StopAtStepHook(last_step=3)]) as sess:
            seen = []
            while not sess.should_stop():
                seen.append(float(sess.run([doubled, train_op])[0]))
        return {"seen": seen, "final": _plain(final.final_ops_values)}


def checkpoint_listener(tf, workdir):
    calls = []

    class Listener(tf.train.CheckpointSaverListener):
        def begin(self):
            calls.append("begin")

        def before_save(self, session, global_step_value):
            calls.append(f"before_save {global_step_value}")

        def after_save(self, session, global_step_value):
            calls.append(f"after_save {global_step_value}")
            return global_step_value >= 4  # asks to stop training

        def end(self, session, global_step_value):
            calls.append(f"end {global_step_value}")
    with tf.Graph().as_default():
        global_step, train_op = _counter_graph(tf)
        saver = tf.train.Saver()
        hook = tf.train.CheckpointSaverHook(workdir, save_steps=2, saver=saver, listeners=[Listener()])
        runs = 0
        with tf.train.SingularMonitoredSession(hooks=[hook]) as sess:
            while not sess.should_stop():
                sess.run(train_op)
                runs += 1
            raw = type(sess.raw_session()).__name__
    return {"calls": calls, "runs": runs, "raw_session": raw, "files": _files(workdir)}


def timer(tf, workdir):
    t = tf.train.SecondOrStepTimer(every_steps=3)
    out = []
    for step in (0, 1, 3, 3, 5, 6, 10):
        fire = t.should_trigger_for_step(step)
        if fire:
            out.append([step, t.update_last_triggered_step(step)[1]])
    errors = []
    for kwargs in ({}, {"every_secs": 1, "every_steps": 1}):
        try:
            tf.train.SecondOrStepTimer(**kwargs)
        except ValueError as e:
            errors.append(str(e))
    for args in ({}, {"num_steps": 1, "last_step": 2}):
        try:
            tf.train.StopAtStepHook(**args)
        except ValueError as e:
            errors.append(str(e))
    return {"fired": out, "errors": errors}


def supervisor_basics(tf, workdir):
    """Supervisor with its timed services off: default ops, files and events, restore by a second Supervisor.

    An events file is named by the second its writer opened it (``events.out.tfevents.<seconds>.<host>``), and
    TensorFlow truncates a file of the same name: two Supervisors starting within one second leave one file with
    the second's events only, otherwise two files (seen in TF 2.21 with a sleep between them). The second
    Supervisor starts more than a second after the first, so both sides always write two files."""
    out = {}
    for attempt in (1, 2):
        if attempt == 2:
            time.sleep(1.05)
        with tf.Graph().as_default() as graph:
            global_step, train_op = _counter_graph(tf)
            sv = tf.train.Supervisor(logdir=workdir, save_summaries_secs=0, save_model_secs=0)
            out[f"finalized{attempt}"] = graph.finalized
            out["ops"] = [sv.init_op.name, sv.ready_op.name, sv.summary_op.name, type(sv.saver).__name__,
                          sv.global_step.op.name, os.path.basename(sv.save_path)]
            with sv.managed_session() as sess:
                out[f"first{attempt}"] = _plain(sess.run(global_step))
                for _ in range(3):
                    sess.run(train_op)
                sv.saver.save(sess, sv.save_path, global_step=global_step)
                sv.summary_computed(sess, sess.run(sv.summary_op))
            out[f"should_stop{attempt}"] = sv.should_stop()
    out["files"] = _files(workdir)
    out["events"] = _event_kinds(workdir, tf)
    return out


def supervisor_queue_end(tf, workdir):
    """The end of the input inside managed_session stops it cleanly; another error is re-raised after stop()."""
    out = {}
    with tf.Graph().as_default():
        names = tf.train.string_input_producer(["a", "b"], num_epochs=1, shuffle=False)
        item = names.dequeue()
        sv = tf.train.Supervisor(logdir=None)
        got = []
        with sv.managed_session() as sess:
            while not sv.should_stop():
                got.append(sess.run(item).decode())
        out["got"] = got
        out["should_stop"] = sv.should_stop()
    with tf.Graph().as_default():
        tf.Variable(1.0)
        sv = tf.train.Supervisor(logdir=None)
        try:
            with sv.managed_session():
                raise ValueError("inside")
        except ValueError as e:
            out["raised"] = str(e)
    return out


def stop_at_step_read(tf, workdir):
    """StopAtStepHook reads the global step through TensorFlow's cached read tensor: ``global_step/add`` of
    ``global_step/cond`` (its value once initialized, else its initial value), in the global_step_read_op_cache
    collection; a second hook reuses it."""
    out = {}
    with tf.Graph().as_default() as graph:
        global_step, train_op = _counter_graph(tf)
        hooks = [tf.train.StopAtStepHook(last_step=4), tf.train.StopAtStepHook(num_steps=2)]
        runs = 0
        with tf.train.MonitoredTrainingSession(hooks=hooks) as sess:
            while not sess.should_stop():
                sess.run(train_op)
                runs += 1
        out["runs"] = runs
        out["read"] = [t.name for t in tf.get_collection("global_step_read_op_cache")]
        out["nodes"] = sorted([op.name, op.type, [i.name for i in op.inputs]] for op in graph.get_operations()
                              if op.name.startswith("global_step/"))
    with tf.Graph().as_default():
        try:
            tf.train.MonitoredTrainingSession(hooks=[tf.train.StopAtStepHook(last_step=1)])
        except RuntimeError as e:
            out["no_step"] = str(e)
    return out


CASES = {f.__name__: f for f in (call_order, training_files, restore_on_restart, nan_loss, logging_hook,
                                 scaffold_defaults, queue_end, hook_error, final_and_feed, checkpoint_listener, timer,
                                 supervisor_basics, supervisor_queue_end, stop_at_step_read)}
