"""Programs of tests/golden/make_reliability.py (TensorFlow) and tests/test_reliability_*.py (minitf).

Each ``*_SCRIPT`` runs in its own interpreter (``python -c SCRIPT`` with the library's import line first), because
it sets a file-size limit, exits without closing a writer or is killed. The first line it prints is JSON.
"""

TENSORFLOW = "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\n"
MINITF = "import minitf as tf\n"

# A file-size limit makes the event file's writes fail with EFBIG (SIGXFSZ is ignored, so the write returns the
# error instead of killing the process): flush() raises, close() returns, add_summary never blocks.
FULL_DISK_SCRIPT = """
import json, resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
w = tf.summary.FileWriter(sys.argv[1])
w.flush()
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
s = tf.Summary(value=[tf.Summary.Value(tag="x", simple_value=1.0)])
out = {}
def call(name, fn):
    try:
        fn()
        out[name] = ["ok"]
    except Exception as e:
        out[name] = [type(e).__name__, str(e).replace(sys.argv[1], "DIR")]
def adds():
    for i in range(2000):
        w.add_summary(s, i)
call("add_summary", adds)
call("flush", w.flush)
call("close", w.close)
call("close_again", w.close)
call("add_after_close", lambda: w.add_summary(s, 0))
print(json.dumps(out), flush=True)
"""

# A program that writes 100 scalars and never closes (nor flushes) its writer.
NEVER_CLOSED_SCRIPT = """
import sys
w = tf.summary.FileWriter(sys.argv[1])
for i in range(100):
    w.add_summary(tf.Summary(value=[tf.Summary.Value(tag="x", simple_value=float(i))]), i)
"""
