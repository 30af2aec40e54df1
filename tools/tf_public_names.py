"""Records TensorFlow 2.21's tf.compat.v1 public names for tools/api_coverage.py (run with ~/tfref/bin/python).

Writes tools/tf1_names.json: for the top level and the sub-namespaces minitf follows, the sorted public names.
tf.compat.v1.layers needs Keras 2: ``~/tfref/bin/pip install tf_keras==2.21.*`` first.
"""
import json
import os

os.environ["TF_USE_LEGACY_KERAS"] = "1"  # tf.compat.v1.layers from tf_keras
import tensorflow.compat.v1 as tf  # noqa: E402

NAMESPACES = ["", "nn", "train", "summary", "random", "initializers", "losses", "layers", "app", "gfile", "logging",
              "errors", "graph_util", "metrics", "compat"]


def names(module):
    return sorted(n for n in dir(module) if not n.startswith("_"))


out = {}
for namespace in NAMESPACES:
    try:
        module = getattr(tf, namespace) if namespace else tf
        out[namespace or "tf"] = names(module)
    except Exception as e:  # tf.compat.v1.layers without tf_keras
        print("skipped", namespace, type(e).__name__)
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "tf1_names.json"), "w") as f:
    json.dump(out, f, indent=0)
print({k: len(v) for k, v in out.items()})
