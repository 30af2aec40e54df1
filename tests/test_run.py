"""``minitf run SCRIPT`` and ``python -m minitf SCRIPT``: TensorFlow 1.x programs run as written, and behave as
under ``python SCRIPT`` (argv, __main__, sibling imports, exit status, tracebacks)."""

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _run(*command, cwd=None):
    return subprocess.run(list(command), capture_output=True, text=True, timeout=120, env=_env(), cwd=cwd)


def _minitf_run(script, *args, cwd=None):
    command = shutil.which("minitf")
    assert command, "the console script is installed by `pip install -e .`"
    return _run(command, "run", str(script), *args, cwd=cwd)


def _write(path, source):
    path.write_text(textwrap.dedent(source))
    return path


IMPORTS = {
    "import tensorflow as tf": "tf",
    "import tensorflow.compat.v1 as tf": "tf",
    "from tensorflow.compat import v1 as tf": "tf",
    "import tensorflow as tf1\ntf = tf1.compat.v1": "tf",
}


@pytest.mark.parametrize("import_line", list(IMPORTS))
def test_each_way_of_importing_tensorflow_is_minitf(tmp_path, import_line):
    script = _write(tmp_path / "prog.py", textwrap.indent(import_line, " " * 8) + """
        import minitf
        tf.disable_v2_behavior()
        assert tf is minitf, tf
        x = tf.placeholder(tf.float32, [2])
        with tf.Session() as sess:
            print(sess.run(tf.reduce_sum(x * 3.0), {x: [1.0, 2.0]}))
    """)
    result = _minitf_run(script)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "9.0\n"


def test_tensorflow_submodule_paths(tmp_path):
    script = _write(tmp_path / "prog.py", """
        import minitf
        from tensorflow.python.framework import ops
        from tensorflow.python.training import saver
        from tensorflow.python.client import timeline
        from tensorflow.python.platform import gfile
        import tensorflow.compat.v1.nn as nn
        from tensorflow.contrib.tensorboard.plugins import projector
        from tensorflow.compat.v1 import logging
        from tensorflow.contrib.layers import xavier_initializer
        from tensorflow.contrib.framework import get_or_create_global_step
        assert xavier_initializer is minitf.contrib.layers.xavier_initializer
        assert ops is minitf.framework.ops and saver is minitf.train.saver and nn is minitf.nn
        assert timeline is minitf.client.timeline and gfile is minitf.platform.gfile
        assert projector is minitf.contrib.tensorboard.plugins.projector and logging is minitf.logging
        assert minitf.__spec__.name == "minitf"  # the alias left minitf's own module spec alone
        print("ok")
    """)
    result = _minitf_run(script)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok\n"


def test_argv_main_and_a_two_file_program(tmp_path):
    (tmp_path / "pkg").mkdir()
    _write(tmp_path / "pkg" / "model.py", """
        import tensorflow as tf

        def inference(x):
            return tf.multiply(x, 2.0, name="double")
    """)
    script = _write(tmp_path / "pkg" / "train.py", """
        import sys
        import tensorflow as tf
        import model

        if __name__ == "__main__":
            y = model.inference(tf.constant(4.0))
            print(sys.argv, y.op.name, tf.Session().run(y))
            print(sys.path[0])
    """)
    result = _minitf_run(script, "a", "--b=1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"[{str(script)!r}, 'a', '--b=1'] double 8.0"
    assert lines[1] == str(tmp_path / "pkg")


def test_app_run_parses_flags_and_calls_main(tmp_path):
    script = _write(tmp_path / "prog.py", """
        import tensorflow as tf

        flags = tf.app.flags
        flags.DEFINE_float("learning_rate", 0.1, "step size")
        flags.DEFINE_integer("steps", 3, "number of steps")
        FLAGS = flags.FLAGS

        def main(argv):
            print(FLAGS.learning_rate, FLAGS.steps, argv[1:])
            return 3

        if __name__ == "__main__":
            tf.app.run()
    """)
    for command in ([shutil.which("minitf"), "run"], [sys.executable, "-m", "minitf"]):
        result = _run(*command, str(script), "--learning_rate=0.5", "extra", "--steps", "7")
        assert result.returncode == 3, result.stderr
        assert result.stdout == "0.5 7 ['extra']\n"


def _python(script, *args):
    return _run(sys.executable, str(script), *args)


def test_a_script_that_raises_fails_as_under_python(tmp_path):
    script = _write(tmp_path / "prog.py", """
        try:
            import tensorflow as tf
        except ImportError:  # under plain python
            import minitf as tf

        def build():
            return tf.constant(1.0) + undefined_name

        build()
    """)
    ours, python = _minitf_run(script), _python(script)
    assert ours.returncode == python.returncode == 1
    assert ours.stderr == python.stderr  # same frames: the script's only
    assert ours.stderr.startswith("Traceback (most recent call last):\n  File \"" + str(script))


def test_a_syntax_error_prints_as_under_python(tmp_path):
    script = _write(tmp_path / "prog.py", "import minitf as tf\nx = (1,\ndef f(:\n")
    ours, python = _minitf_run(script), _python(script)
    assert ours.returncode == python.returncode == 1
    assert ours.stderr == python.stderr
    assert "SyntaxError" in ours.stderr and "runner" not in ours.stderr


def test_a_missing_file_fails_as_under_python(tmp_path):
    script = tmp_path / "missing.py"
    ours, python = _minitf_run(script), _python(script)
    assert ours.returncode == python.returncode == 2
    assert ours.stderr.split(": ", 1)[1] == python.stderr.split(": ", 1)[1]
    assert ours.stderr.startswith("minitf: can't open file")


def test_sys_exit_status_passes_through(tmp_path):
    script = _write(tmp_path / "prog.py", "import sys\nimport tensorflow\nsys.exit(4)\n")
    assert _minitf_run(script).returncode == 4


def test_a_name_minitf_lacks_points_at_the_users_line(tmp_path):
    script = _write(tmp_path / "prog.py", """
        import tensorflow as tf
        x = tf.constant([1.0])
        y = tf.nn.ctc_loss_v9(x)
    """)
    result = _minitf_run(script)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == "AttributeError: minitf does not implement tf.nn.ctc_loss_v9 yet (see docs/api_coverage.md)"
    assert lines[-4] == f'  File "{script}", line 4, in <module>' and ROOT not in result.stderr


def test_a_module_minitf_lacks(tmp_path):
    # (``from tensorflow.contrib import nonexistent_thing`` gets Python's own "cannot import name" ImportError)
    script = _write(tmp_path / "prog.py", "import tensorflow.contrib.nonexistent_thing\n")
    result = _minitf_run(script)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == ("ModuleNotFoundError: minitf does not implement "
                                              "tensorflow.contrib.nonexistent_thing yet (see docs/api_coverage.md)")


def test_the_import_hook_lives_only_in_the_running_process():
    import minitf  # noqa: F401  (importing minitf installs no hook)
    from minitf import runner
    assert not any(isinstance(f, runner.TensorFlowFinder) for f in sys.meta_path)


def test_the_mnist_tutorial_reader_imports_as_in_tensorflow(tmp_path):
    sys.path.insert(0, os.path.join(ROOT, "tests", "golden"))
    from mnist_programs import write_idx_files
    write_idx_files(str(tmp_path / "MNIST_data"))
    script = _write(tmp_path / "prog.py", """
        import tensorflow as tf
        from tensorflow.examples.tutorials.mnist import input_data
        mnist = input_data.read_data_sets("MNIST_data/", one_hot=True, validation_size=10)
        x, y = mnist.train.next_batch(5)
        print(x.shape, y.shape, mnist.test.images.shape)
    """)
    result = _minitf_run(script, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "(5, 784) (5, 10) (20, 784)"
