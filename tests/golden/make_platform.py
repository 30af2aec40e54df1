"""Records tf.gfile and tf.app.flags behaviour for tests/test_platform.py.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_platform.py  (writes tests/golden/platform.json)
"""
import os, tempfile, json
import tensorflow.compat.v1 as tf
out = {}
d = tempfile.mkdtemp()
def err(fn):
    try:
        r = fn(); return ["ok", repr(r)]
    except Exception as e:
        return [type(e).__name__, str(e).replace(d, "DIR")]
out["exists_missing"] = err(lambda: tf.gfile.Exists(d + "/nope"))
out["listdir_missing"] = err(lambda: tf.gfile.ListDirectory(d + "/nope"))
out["remove_missing"] = err(lambda: tf.gfile.Remove(d + "/nope"))
out["rmtree_missing"] = err(lambda: tf.gfile.DeleteRecursively(d + "/nope"))
out["makedirs"] = err(lambda: tf.gfile.MakeDirs(d + "/a/b"))
out["makedirs_again"] = err(lambda: tf.gfile.MakeDirs(d + "/a/b"))
out["mkdir_again"] = err(lambda: tf.gfile.MkDir(d + "/a"))
open(d + "/f1", "w").write("x"); open(d + "/f2", "w").write("y")
out["rename_exists"] = err(lambda: tf.gfile.Rename(d + "/f1", d + "/f2"))
out["copy_exists"] = err(lambda: tf.gfile.Copy(d + "/f1", d + "/f2"))
out["listdir"] = err(lambda: sorted(tf.gfile.ListDirectory(d)))
out["glob"] = err(lambda: sorted(x.replace(d, "DIR") for x in tf.gfile.Glob(d + "/f*")))
out["isdir"] = err(lambda: [tf.gfile.IsDirectory(d), tf.gfile.IsDirectory(d + "/f1"), tf.gfile.IsDirectory(d + "/nope")])
out["open_missing"] = err(lambda: tf.gfile.GFile(d + "/nope").read())
out["walk"] = err(lambda: [(a.replace(d, "DIR"), sorted(b), sorted(c)) for a, b, c in tf.gfile.Walk(d)])
out["stat_missing"] = err(lambda: tf.gfile.Stat(d + "/nope"))
out["read_gfile"] = err(lambda: tf.gfile.GFile(d + "/f1", "rb").read())
out["read_text"] = err(lambda: tf.gfile.GFile(d + "/f1").read())
# flags
flags = tf.app.flags
flags.DEFINE_string("name", "def", "a string")
flags.DEFINE_integer("steps", 10, "an int")
flags.DEFINE_float("lr", 0.1, "a float")
flags.DEFINE_boolean("fast", True, "a bool")
F = flags.FLAGS
rest = F(["prog", "--name=x", "--steps", "5", "--nofast", "--lr=0.5", "pos1", "pos2"])
out["flags_parse"] = [rest, F.name, F.steps, F.lr, F.fast]
out["flags_unknown"] = err(lambda: F(["prog", "--bogus=1"]))
out["flags_badint"] = err(lambda: F(["prog", "--steps=abc"]))
out["flags_missing_attr"] = err(lambda: F.nothere)
json.dump(out, open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "platform.json"), "w"), indent=1)
