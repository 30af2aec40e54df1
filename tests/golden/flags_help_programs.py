"""Programs whose ``--help`` output tests/golden/make_flags_help.py records (``{tf}`` is the module to import)."""

PROGRAMS = {
    "no_docstring": '''import {tf} as tf
flags = tf.app.flags
flags.DEFINE_string("train_dir", "/tmp/train", "Directory where to write event logs.")
flags.DEFINE_integer("max_steps", 1000, "Number of batches to run.")
flags.DEFINE_boolean("log_device_placement", False, """Whether to log device placement.""")
flags.DEFINE_float("lr", 0.1, "learning rate")
flags.DEFINE_list("names", "a,b", "some names")
FLAGS = flags.FLAGS


def main(argv):
    print("main ran", FLAGS.train_dir, argv[1:])


if __name__ == "__main__":
    tf.app.run()
''',
    "docstring": '''"""Train the thing.

Usage: %s --steps N
"""
import {tf} as tf
tf.app.flags.DEFINE_integer("steps", 1, "A very long help text that goes on and on and on to see how absl wraps "
                            "the lines of help text at eighty columns wide.")
tf.app.flags.DEFINE_string("empty", "", "empty default")
tf.app.flags.DEFINE_string("none", None, "no default")


def main(_):
    print("main ran")


if __name__ == "__main__":
    tf.app.run()
''',
}

ARGS = ["--help", "--helpshort", "-?", "--helpfull", "-h", "--unknown_flag"]
