"""The ``minitf`` command on the hostile inputs of issue 15: every failure is one line on stderr and exit status 1,
never a traceback; inputs TensorFlow's tools accept are summarised."""

import os
import subprocess
import sys

import pytest

from minitf.io import tfrecord
from minitf.proto import event_pb2, graph_pb2

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def minitf(*args, cwd):
    result = subprocess.run([sys.executable, "-m", "minitf.cli", *args], capture_output=True, text=True, cwd=cwd,
                            env=dict(os.environ, PYTHONPATH=ROOT), timeout=60)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == (1 if result.returncode else 0)
    return result


def write_events(path, *records):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with tfrecord.TFRecordWriter(path) as writer:
        for record in records:
            writer.write(record)


def test_summary_value_without_a_value_is_listed(tmp_path):
    event = event_pb2.Event(step=3)
    event.summary.value.add(tag="empty")
    write_events(str(tmp_path / "run" / "events.out.tfevents.1.h"), event.SerializeToString())
    result = minitf("events", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 0
    assert "no value     empty  count=1 steps=3..3" in result.stdout


@pytest.mark.parametrize("payload,where", [
    (b"\xff\xff\xff not an event", "record 0 is not a valid Event"),
    (event_pb2.Event(graph_def=b"\xff\xff\xff").SerializeToString(), "event 0's graph_def is not a valid GraphDef"),
])
def test_record_that_is_not_an_event_is_one_line(tmp_path, payload, where):
    path = str(tmp_path / "run" / "events.out.tfevents.1.h")
    write_events(path, payload)
    for args in (["events", str(tmp_path)], ["graph", str(tmp_path / "run"), "-o", str(tmp_path / "g.dot")]):
        result = minitf(*args, cwd=tmp_path)
        if "graph_def" in where and args[0] == "events":
            assert result.returncode == 0  # the events summary does not decode graphs
            continue
        assert result.returncode == 1
        assert result.stderr.strip() == f"minitf {args[0]}: error: {path}: {where}"


def test_input_that_names_no_tensor_is_drawn_without_its_edge(tmp_path):
    """``a:-1`` is not a tensor name; TensorFlow's importer reads it as a node name that does not exist."""
    graph_def = graph_pb2.GraphDef()
    graph_def.node.add(name="a", op="Placeholder").attr["dtype"].type = 1
    graph_def.node.add(name="n", op="Identity", input=["a:-1", "a:1:2", "^"]).attr["T"].type = 999
    (tmp_path / "g.pb").write_bytes(graph_def.SerializeToString())
    result = minitf("graph", str(tmp_path / "g.pb"), "-o", str(tmp_path / "g.dot"), cwd=tmp_path)
    assert result.returncode == 0 and "g.dot: 2 ops" in result.stdout
    assert "->" not in (tmp_path / "g.dot").read_text()


def test_name_forty_thousand_scopes_deep_is_drawn_collapsed(tmp_path):
    graph_def = graph_pb2.GraphDef()
    graph_def.node.add(name="/".join(["s"] * 40000) + "/x", op="Placeholder").attr["dtype"].type = 1
    (tmp_path / "deep.pb").write_bytes(graph_def.SerializeToString())
    result = minitf("graph", str(tmp_path / "deep.pb"), "-o", str(tmp_path / "deep.dot"), cwd=tmp_path)
    assert result.returncode == 0
    dot = (tmp_path / "deep.dot").read_text()
    assert dot.count("subgraph") == 64 and len(dot) < 100_000  # MAX_NESTED_SCOPES levels, then one box


def test_unexpected_failure_is_one_line(tmp_path, monkeypatch, capsys):
    """A bug in minitf surfaces as one line naming an internal error, not a traceback."""
    from minitf import cli

    def broken(args):
        raise KeyError("oops")
    monkeypatch.setattr(cli, "_events", broken)
    assert cli.main(["events", str(tmp_path)]) == 1
    assert capsys.readouterr().err == "minitf events: error: internal error (KeyError: 'oops'); please report it\n"
