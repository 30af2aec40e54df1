"""What the tests share: the checkout, golden files whose absence says how to remake them, and child processes
that run this checkout (not an installed minitf) and show their stderr when they fail.

Goldens are written by the scripts in tests/golden/ under TensorFlow (``~/tfref/bin/python
tests/golden/make_<thing>.py``); fixtures/ holds files TensorFlow wrote, with the golden JSON that describes them.
"""

import glob
import json
import os
import subprocess
import sys

import numpy as np

TESTS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TESTS)


def _maker(relative):
    """The tests/golden script that writes ``relative``: make_<stem>.py, else the scripts that name the file."""
    stem = os.path.splitext(os.path.basename(relative))[0]
    named = os.path.join(TESTS, "golden", f"make_{stem}.py")
    if os.path.exists(named):
        return [os.path.relpath(named, ROOT)]
    found = []
    for script in sorted(glob.glob(os.path.join(TESTS, "golden", "make_*.py"))):
        with open(script) as f:
            text = f.read()
        if os.path.basename(relative) in text or f'"{stem}"' in text or f" {stem}" in text:
            found.append(os.path.relpath(script, ROOT))
    return found or ["the make_*.py script in tests/golden/ that writes it"]


def _remake(relative):
    return (f"re-run {' or '.join(_maker(relative))} under TensorFlow (~/tfref/bin/python <script>) "
            f"to rewrite tests/{relative}")


class Golden(dict):
    """A golden JSON file's top-level mapping: a missing key names the file and the script that writes it."""

    def __init__(self, relative, content):
        super().__init__(content)
        self.relative = relative

    def __missing__(self, key):
        raise KeyError(f"tests/{self.relative} has no entry {key!r}: {_remake(self.relative)}")


class GoldenArrays:
    """A golden .npz file: ``golden[name]`` is an array; a missing name says which script writes the file."""

    def __init__(self, relative, arrays):
        self.relative = relative
        self._arrays = arrays
        self.files = arrays.files

    def __getitem__(self, key):
        if key not in self._arrays.files:
            raise KeyError(f"tests/{self.relative} has no array {key!r}: {_remake(self.relative)}")
        return self._arrays[key]

    def __contains__(self, key):
        return key in self._arrays.files

    def __iter__(self):
        return iter(self._arrays.files)

    def keys(self):
        return list(self._arrays.files)


def golden(relative):
    """Loads ``tests/<relative>`` (``golden/core.json``, ``golden/conv.npz``, ``fixtures/ckpt_golden.json``)."""
    path = os.path.join(TESTS, relative)
    if not os.path.exists(path):
        raise FileNotFoundError(f"tests/{relative} is missing: {_remake(relative)}")
    if relative.endswith(".npz"):
        return GoldenArrays(relative, np.load(path))
    with open(path) as f:
        content = json.load(f)
    return Golden(relative, content) if isinstance(content, dict) else content


def checkout_env(**extra):
    """The environment for a child Python that imports this checkout's minitf first."""
    path = os.pathsep.join(p for p in (ROOT, os.environ.get("PYTHONPATH")) if p)
    return dict(os.environ, PYTHONPATH=path, **extra)


def run(command, check=True, extra_env=None, **kwargs):
    """``subprocess.run`` of ``command`` on this checkout (with ``extra_env`` set), text output captured; with
    ``check``, a failure shows the child's stderr (not just its exit status)."""
    kwargs.setdefault("timeout", 600)
    result = subprocess.run(command, capture_output=True, text=True, env=checkout_env(**(extra_env or {})), **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, command))} exited with status {result.returncode}; "
                             f"its stderr:\n{result.stderr}")
    return result


def run_python(*args, check=True, **kwargs):
    """``python ARGS...`` (this interpreter) on this checkout; see ``run``."""
    return run([sys.executable, *map(str, args)], check=check, **kwargs)


def blas_thread_counts():
    """The thread count of each BLAS library numpy loaded (threadpoolctl, a dependency of minitf)."""
    import threadpoolctl
    return [lib["num_threads"] for lib in threadpoolctl.threadpool_info() if lib["user_api"] == "blas"]


def assert_layer_program_matches(tf, golden, inputs, outputs, rtol=1e-5, atol=1e-5):
    """A layer program's graph (the default graph) against its golden (tests/golden/make_layers.py, make_contrib.py):
    the global and trainable variables, the outputs' names and shapes, then, run, the variables' initial values bit
    for bit, the regularization losses, the outputs and the gradients of their sum."""
    regularization = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    global_vars, trainable = tf.global_variables(), tf.trainable_variables()
    assert [[v.name, v.shape.as_list()] for v in global_vars] == golden["variables"]
    assert [v.name for v in trainable] == golden["trainable"]
    assert {k: [t.name, t.shape.as_list()] for k, t in outputs.items()} == \
        {k: [o["name"], o["shape"]] for k, o in golden["outputs"].items()}
    total = tf.add_n([tf.reduce_sum(tf.cast(t, tf.float32)) for t in outputs.values()])
    grads = tf.gradients(total, trainable + inputs)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        initial = sess.run(global_vars)
        values, losses, grad_values = sess.run([outputs, regularization, grads])
    for variable, value, want in zip(global_vars, initial, golden["initial"]):
        np.testing.assert_array_equal(value, np.array(want, value.dtype), err_msg=variable.name)
    assert [t.name for t in regularization] == [n for n, _ in golden["regularization"]]
    np.testing.assert_allclose(losses, [v for _, v in golden["regularization"]], rtol, atol)
    for key, want in golden["outputs"].items():
        np.testing.assert_allclose(values[key], want["value"], rtol, atol, err_msg=key)
    for target, grad, want in zip(trainable + inputs, grad_values, golden["grads"]):
        np.testing.assert_allclose(grad, want, rtol, atol, err_msg=target.name)
