"""Walks public TensorFlow 1.x tutorial programs through ``minitf run`` and reports how many run to the end.

    python tools/run_tutorials.py CHECKOUT [CHECKOUT ...] [--timeout SECONDS] [--only SUBSTRING] [--json OUT]
                                  [--pythonpath DIR]

A CHECKOUT is a tutorial collection's directory (a work tree, or a bare git directory whose HEAD is exported to a
temporary directory). Its programs are the ``.py`` files under ``tensorflow_v1/examples`` when it has one
(aymericdamien/TensorFlow-Examples), else every ``.py`` file in it (nlintz/TensorFlow-Tutorials), leaving out
helper modules (``input_data.py``, ``setup.py``, ``__init__.py``).

Each program runs unmodified, as ``python -m minitf PROGRAM``, in a fresh directory, without a network (HTTP(S)
proxies point at a closed local port) and with a small generated MNIST (5,500 training and 1,000 test images in
TensorFlow's gzipped idx format) in ``MNIST_data/``, ``data/`` and ``/tmp/data/``, where the tutorials look for it.
A program "runs" when it exits with status 0 within the timeout. For each failure the report gives the error's
last line, e.g. ``AttributeError: minitf does not implement tf.contrib.rnn yet``. ``--pythonpath`` adds a directory
of packages the tutorials import besides TensorFlow (matplotlib, ...), e.g. from ``pip install --target DIR``.

Nothing of the collections is copied into this repository: the checkouts are read where they are.
"""

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "golden"))
from mnist_programs import write_idx_files  # noqa: E402

HELPERS = {"input_data.py", "setup.py", "__init__.py", "conftest.py"}
MNIST_DIRS = ("MNIST_data", "data", "/tmp/data")


def _checkout_dir(path, scratch):
    """A directory with the collection's files: ``path`` itself, or its HEAD exported when it is a bare git dir."""
    if os.path.isdir(os.path.join(path, "objects")) and os.path.exists(os.path.join(path, "HEAD")):
        target = os.path.join(scratch, os.path.basename(os.path.dirname(path.rstrip("/"))) or "repo")
        os.makedirs(target, exist_ok=True)
        archive = subprocess.run(["git", "--git-dir", path, "archive", "HEAD"], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", target], input=archive.stdout, check=True)
        return target
    return path


def programs(checkout):
    """The tutorial programs of a collection, sorted."""
    base = os.path.join(checkout, "tensorflow_v1", "examples")
    if not os.path.isdir(base):
        base = checkout
    found = []
    for directory, _, names in os.walk(base):
        if "/." in directory:
            continue
        found.extend(os.path.join(directory, n) for n in names if n.endswith(".py") and n not in HELPERS)
    return sorted(found)


def _last_error_line(stderr):
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    for line in reversed(lines):
        if not line.startswith((" ", "\t")) and ("Error" in line or "Exception" in line or ":" in line):
            return line.strip()
    return lines[-1].strip() if lines else ""


def run_program(path, mnist_source, timeout, pythonpath=None):
    """(status, seconds, detail) of one program run by minitf in a fresh working directory."""
    with tempfile.TemporaryDirectory() as work:
        for name in MNIST_DIRS[:-1]:
            os.symlink(mnist_source, os.path.join(work, name))
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT] + ([pythonpath] if pythonpath else [])),
                   MPLBACKEND="Agg", http_proxy="http://127.0.0.1:9",
                   https_proxy="http://127.0.0.1:9", HTTP_PROXY="http://127.0.0.1:9",
                   HTTPS_PROXY="http://127.0.0.1:9", no_proxy="", NO_PROXY="")
        start = time.monotonic()
        try:
            result = subprocess.run([sys.executable, "-m", "minitf", path], cwd=work, env=env, capture_output=True,
                                    text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return "timeout", timeout, f"still running after {timeout} s"
        seconds = time.monotonic() - start
        if result.returncode == 0:
            return "ok", seconds, ""
        return "fail", seconds, _last_error_line(result.stderr)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", nargs="+", help="tutorial collections (directories or bare git dirs)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per program (default 300)")
    parser.add_argument("--only", help="run only programs whose path contains this")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--pythonpath", help="a directory of other packages the tutorials import (matplotlib)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        mnist = os.path.join(scratch, "mnist")
        write_idx_files(mnist, num_train=5500, num_test=1000)
        write_idx_files(MNIST_DIRS[-1], num_train=5500, num_test=1000)
        results = collections.OrderedDict()
        for checkout in args.checkouts:
            directory = _checkout_dir(os.path.abspath(checkout), scratch)
            for path in programs(directory):
                name = os.path.relpath(path, os.path.dirname(directory.rstrip("/")))
                if args.only and args.only not in name:
                    continue
                status, seconds, detail = run_program(path, mnist, args.timeout, args.pythonpath)
                results[name] = {"status": status, "seconds": round(seconds, 1), "detail": detail}
                print(f"{status:8} {seconds:6.1f}s  {name}" + (f"\n         {detail}" if detail else ""), flush=True)
    ran = sum(r["status"] == "ok" for r in results.values())
    print(f"\n{ran} of {len(results)} tutorial programs ran to the end under minitf")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"ran": ran, "total": len(results), "programs": results}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
