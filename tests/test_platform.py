"""tf.gfile and tf.app.flags against TensorFlow 2.21 (goldens from tests/golden/make_platform.py)."""

import os

import pytest

import minitf as tf
from helpers import ROOT, golden, run_python

GOLDEN = golden("golden/platform.json")


def _outcome(d, fn):
    try:
        return ["ok", repr(fn())]
    except Exception as e:  # noqa: BLE001 — the class and message are what is compared
        return [type(e).__name__, str(e).replace(d, "DIR")]


def test_gfile_matches_tensorflow(tmp_path):
    d = str(tmp_path)
    g = tf.gfile
    got = {
        "exists_missing": _outcome(d, lambda: g.Exists(d + "/nope")),
        "listdir_missing": _outcome(d, lambda: g.ListDirectory(d + "/nope")),
        "remove_missing": _outcome(d, lambda: g.Remove(d + "/nope")),
        "rmtree_missing": _outcome(d, lambda: g.DeleteRecursively(d + "/nope")),
        "makedirs": _outcome(d, lambda: g.MakeDirs(d + "/a/b")),
        "makedirs_again": _outcome(d, lambda: g.MakeDirs(d + "/a/b")),
        "mkdir_again": _outcome(d, lambda: g.MkDir(d + "/a")),
    }
    open(d + "/f1", "w").write("x")
    open(d + "/f2", "w").write("y")
    got.update({
        "rename_exists": _outcome(d, lambda: g.Rename(d + "/f1", d + "/f2")),
        "copy_exists": _outcome(d, lambda: g.Copy(d + "/f1", d + "/f2")),
        "listdir": _outcome(d, lambda: sorted(g.ListDirectory(d))),
        "glob": _outcome(d, lambda: sorted(x.replace(d, "DIR") for x in g.Glob(d + "/f*"))),
        "isdir": _outcome(d, lambda: [g.IsDirectory(d), g.IsDirectory(d + "/f1"), g.IsDirectory(d + "/nope")]),
        "open_missing": _outcome(d, lambda: g.GFile(d + "/nope").read()),
        "walk": _outcome(d, lambda: [(a.replace(d, "DIR"), sorted(b), sorted(c)) for a, b, c in g.Walk(d)]),
        "stat_missing": _outcome(d, lambda: g.Stat(d + "/nope")),
        "read_gfile": _outcome(d, lambda: g.GFile(d + "/f1", "rb").read()),
        "read_text": _outcome(d, lambda: g.GFile(d + "/f1").read()),
    })
    assert got == {k: GOLDEN[k] for k in got}


def test_flags_parse_like_tensorflow():
    from minitf.platform import flags as flags_module
    values = flags_module.FlagValues()
    for define, name, default in [(flags_module.DEFINE_string, "name", "def"), (flags_module.DEFINE_integer, "steps", 10),
                                  (flags_module.DEFINE_float, "lr", 0.1), (flags_module.DEFINE_boolean, "fast", True)]:
        define(name, default, "help", flag_values=values)
    rest = values(["prog", "--name=x", "--steps", "5", "--nofast", "--lr=0.5", "pos1", "pos2"])
    assert [rest, values.name, values.steps, values.lr, values.fast] == GOLDEN["flags_parse"]
    for key, argv in [("flags_unknown", ["prog", "--bogus=1"]), ("flags_badint", ["prog", "--steps=abc"])]:
        with pytest.raises(Exception) as info:
            values(argv)
        assert [type(info.value).__name__, str(info.value)] == GOLDEN[key]
    with pytest.raises(AttributeError):
        values.nothere


def test_tutorial_flags_program_runs_with_app_run(tmp_path):
    """seeds/004's pattern: flags defined at import, read in main, tf.app.run() parsing sys.argv."""
    script = tmp_path / "prog.py"
    script.write_text(
        "import minitf as tf\n"
        "tf.app.flags.DEFINE_string('checkpoint_dir', 'cifar10_train/', 'Directory')\n"
        "tf.app.flags.DEFINE_integer('max_steps', 100, 'Steps')\n"
        "FLAGS = tf.app.flags.FLAGS\n"
        "def main(argv=None):\n"
        "    print(FLAGS.checkpoint_dir, FLAGS.max_steps, argv[1:])\n"
        "if __name__ == '__main__':\n"
        "    tf.app.run()\n")
    out = run_python(script, "--max_steps=7", "--unknown=1", "x").stdout
    assert out == "cifar10_train/ 7 ['--unknown=1', 'x']\n"


HELP_GOLDEN = golden("golden/flags_help.json")


@pytest.mark.parametrize("key", sorted(HELP_GOLDEN))
def test_app_run_help_flags_match_tensorflow(tmp_path, key):
    """--help/--helpshort/-? print the main module's flags and --helpfull every module's (up to absl's own flags,
    which minitf does not have), exiting 1 without running main; -h and unknown flags reach main."""
    from golden.flags_help_programs import PROGRAMS
    name, arg = key.split(" ")
    (tmp_path / "prog.py").write_text(PROGRAMS[name].format(tf="minitf"))
    result = run_python("prog.py", arg, cwd=tmp_path, check=False)
    stdout = result.stdout.split("\nminitf.platform.app:\n")[0]
    assert [result.returncode, stdout] == HELP_GOLDEN[key]


def test_cifar10_train_help_prints_and_touches_nothing(tmp_path):
    train_dir = tmp_path / "train"
    train_dir.mkdir()
    (train_dir / "keep").write_text("x")
    result = run_python(os.path.join(ROOT, "examples", "cifar10", "cifar10_train.py"), f"--train_dir={train_dir}",
                        "--help", check=False, timeout=120)
    assert result.returncode == 1
    assert "--max_steps: Number of batches to run." in result.stdout
    assert os.listdir(train_dir) == ["keep"]
