"""Records what TensorFlow 1.x's MNIST tutorial reader does with small idx files, for tests/test_mnist_input_data.py.

TensorFlow 2.21 no longer ships the reader (``tensorflow/contrib/learn/python/learn/datasets/mnist.py``, which
``tensorflow.examples.tutorials.mnist.input_data`` re-exported), so this script loads that file from a TensorFlow
1.x source tree given on the command line, with TensorFlow 2.21's ``dtypes``, ``random_seed`` and ``gfile`` under it
and the one-line ``base.maybe_download`` / ``base.Datasets`` of the same tree:

    ~/tfref/bin/python tests/golden/make_mnist_input_data.py PATH/TO/tensorflow-1.x/.../datasets/mnist.py

(writes tests/golden/mnist_input_data.json)
"""
import collections
import importlib.util
import json
import os
import sys
import tempfile
import types

import tensorflow.compat.v1 as tf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from mnist_programs import programs, write_idx_files  # noqa: E402

tf.disable_v2_behavior()

# The reader's imports: ``base`` (two names) from the 1.x tree, the rest from TensorFlow 2.21.
base = types.ModuleType("tensorflow.contrib.learn.python.learn.datasets.base")
base.Datasets = collections.namedtuple("Datasets", ["train", "validation", "test"])
base.maybe_download = lambda filename, work_directory, source_url: os.path.join(work_directory, filename)
for name in ("tensorflow.contrib", "tensorflow.contrib.learn", "tensorflow.contrib.learn.python",
             "tensorflow.contrib.learn.python.learn", "tensorflow.contrib.learn.python.learn.datasets"):
    sys.modules[name] = types.ModuleType(name)
sys.modules["tensorflow.contrib.learn.python.learn.datasets"].base = base
sys.modules[base.__name__] = base

spec = importlib.util.spec_from_file_location("tf1_mnist", sys.argv[1])
mnist = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mnist)

directory = tempfile.mkdtemp()
write_idx_files(directory)
out = {name: program() for name, program in programs(tf, mnist, directory).items()}
with open(os.path.join(HERE, "mnist_input_data.json"), "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
