"""Bounded fuzz tests of the readers of untrusted files, next to the checkpoint fuzzers (test_bundle.py,
test_saver_durability.py): mutated GraphDefs, MetaGraphDefs and event files, and the ``minitf`` command on them.

Every input must end in success or a typed error (ValueError, TypeError, a tf.errors class, protobuf's
DecodeError, or the KeyError TensorFlow's ``as_graph_element`` raises for a collection naming a missing node),
within a time limit and without allocating more than a bound. Mutations come from tests/fuzz_cases.py, driven by a
seed hypothesis draws; ``derandomize=True`` makes every run try the same inputs.
"""

import contextlib
import io
import os
import random
import resource
import time

import pytest
from google.protobuf import message
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fuzz_cases
import minitf as tf
from minitf import cli
from minitf.framework import errors

TYPED = (ValueError, TypeError, errors.OpError, message.DecodeError)
SECONDS_PER_INPUT = 2.0
PEAK_BYTES = 64 << 20
GRAPH_DEF, META_GRAPH_DEF = fuzz_cases.seed_graph()
FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@contextlib.contextmanager
def bounded():
    """Fails if the body takes longer than SECONDS_PER_INPUT or raises the process's peak resident memory by more
    than PEAK_BYTES (a few bytes of file commanding a big allocation)."""
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    start = time.time()
    yield
    elapsed = time.time() - start
    growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - peak_before
    assert elapsed < SECONDS_PER_INPUT and growth < PEAK_BYTES, (elapsed, growth)


def expect_typed(function):
    try:
        function()
    except TYPED:
        pass
    except KeyError as exc:  # TensorFlow's Graph.as_graph_element for a name that is not in the graph
        assert str(exc).startswith("\"The name '"), exc


@FUZZ
@given(seed=st.integers(0, 2**32 - 1), damage_bytes=st.booleans())
def test_fuzz_graph_def_import(seed, damage_bytes):
    rng = random.Random(seed)
    data = (fuzz_cases.damage_bytes(GRAPH_DEF.SerializeToString(), rng) if damage_bytes
            else fuzz_cases.mutate_graph_def(GRAPH_DEF, rng).SerializeToString())

    def load():
        with tf.Graph().as_default():
            tf.import_graph_def(data, name="")
    with bounded():
        expect_typed(load)


@settings(FUZZ, max_examples=100)
@given(seed=st.integers(0, 2**32 - 1))
def test_fuzz_meta_graph_def_import(seed):
    meta_graph_def = fuzz_cases.mutate_meta_graph_def(META_GRAPH_DEF, random.Random(seed))

    def load():
        with tf.Graph().as_default():
            tf.train.import_meta_graph(meta_graph_def)
    with bounded():
        expect_typed(load)


@pytest.fixture(scope="module")
def event_bytes(tmp_path_factory):
    return open(fuzz_cases.seed_event_file(str(tmp_path_factory.mktemp("seed"))), "rb").read()


@FUZZ
@given(seed=st.integers(0, 2**32 - 1))
def test_fuzz_event_file_reader(tmp_path, event_bytes, seed):
    path = str(tmp_path / "events.out.tfevents.1.fuzz")
    with open(path, "wb") as f:
        f.write(fuzz_cases.mutate_event_file(event_bytes, random.Random(seed)))
    with bounded():
        expect_typed(lambda: [event.summary.value for event in tf.train.summary_iterator(path)])


@settings(FUZZ, max_examples=100)
@given(seed=st.integers(0, 2**32 - 1), command=st.sampled_from(["events", "graph-events", "graph-file"]))
def test_fuzz_cli(tmp_path, event_bytes, seed, command):
    """The command on mutated inputs: exit status 0, or 1 with exactly one line on stderr that is not an internal
    error."""
    rng = random.Random(seed)
    work = tmp_path / str(seed) / command
    os.makedirs(work / "run", exist_ok=True)
    if command == "graph-file":
        graph = (fuzz_cases.mutate_graph_def(GRAPH_DEF, rng).SerializeToString() if rng.random() < 0.6
                 else fuzz_cases.damage_bytes(GRAPH_DEF.SerializeToString(), rng))
        (work / "g.pb").write_bytes(graph)
        argv = ["graph", str(work / "g.pb"), "-o", str(work / "g.dot")]
    else:
        (work / "run" / "events.out.tfevents.1.h").write_bytes(fuzz_cases.mutate_event_file(event_bytes, rng))
        argv = (["events", str(work)] if command == "events"
                else ["graph", str(work / "run"), "-o", str(work / "g.dot")])
    err, out = io.StringIO(), io.StringIO()
    with bounded(), contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        status = cli.main(argv)
    lines = err.getvalue().strip().splitlines()
    assert (status, len(lines)) in ((0, 0), (1, 1)), (status, lines)
    assert not lines or (lines[0].startswith(f"minitf {argv[0]}: error: ") and "internal error" not in lines[0])
