"""The installed `minitf` console command, on files written by TensorFlow and by minitf."""

import os
import shutil

import pytest

from helpers import run, run_python

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")
GRAPHS = os.path.join(FIXTURES, "graphs")


def _minitf(*args, **kwargs):
    """The installed console script, importing this checkout's minitf (PYTHONPATH); exit status not checked."""
    command = shutil.which("minitf")
    assert command, "the console script is installed by `pip install -e .`"
    return run([command, *args], check=False, timeout=120, **kwargs)


@pytest.mark.parametrize("source", ["seed000.meta", "seed000.pb", "seed000.pbtxt", "logs"])
def test_graph_from_tensorflow_files(tmp_path, source):
    out = tmp_path / "graph.dot"
    result = _minitf("graph", os.path.join(GRAPHS, source), "-o", str(out), "--depth", "1")
    assert result.returncode == 0, result.stderr
    assert "ops" in result.stdout and 'subgraph "cluster_linear"' not in out.read_text()  # collapsed at depth 1
    assert '"linear/"' in out.read_text() or '"linear/weight/"' in out.read_text()


def test_inspect_tensorflow_checkpoint():
    result = _minitf("inspect", os.path.join(FIXTURES, "ckpt_raw"), "--stats")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("checkpoint ") and "tensors" in lines[0]
    assert any("min=" in line for line in lines[1:])


def test_inspect_a_checkpoint_directory_and_one_tensor(tmp_path):
    script = ("import minitf as tf\n"
              "v = tf.Variable([[1.0, 2.0], [3.0, 4.0]], name='v')\n"
              "with tf.Session() as s:\n"
              "    s.run(v.initializer)\n"
              "    tf.train.Saver().save(s, r'%s/model.ckpt', global_step=7)\n" % tmp_path)
    run_python("-c", script)
    result = _minitf("inspect", str(tmp_path), "--tensor", "v", "--values")
    assert result.returncode == 0, result.stderr
    assert "model.ckpt-7" in result.stdout and "v  float32  [2, 2]" in result.stdout and "[3. 4.]" in result.stdout


def test_events_summary_of_a_tensorflow_log():
    result = _minitf("events", GRAPHS)
    assert result.returncode == 0, result.stderr
    assert "run logs" in result.stdout
    assert "scalar       gradient_descent/linear_loss  count=3 steps=0..2 last=" in result.stdout
    assert "graph" in result.stdout


@pytest.mark.parametrize("args,message", [
    (["graph", "/no/such/file.pb", "-o", "x.svg"], "no such file"),
    (["graph", __file__, "-o", "x.svg"], "not a GraphDef"),
    (["graph", os.path.join(GRAPHS, "seed000.pb"), "-o", "x.gif"], "Unknown output format"),
    (["inspect", "/no/such/ckpt"], "not a checkpoint"),
    (["inspect", os.path.join(FIXTURES, "ckpt_raw"), "--tensor", "nope"], "no tensor named 'nope'"),
    (["events", "/no/such/dir"], "not a directory"),
])
def test_bad_input_is_one_line_and_exit_status_1(tmp_path, args, message):
    result = _minitf(*args, cwd=tmp_path)
    assert result.returncode == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
