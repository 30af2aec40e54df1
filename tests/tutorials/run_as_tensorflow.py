"""Runs a TensorFlow 1.x program with minitf as its ``tensorflow``:

    python tests/tutorials/run_as_tensorflow.py PROGRAM [ARGS ...]

``tensorflow`` is minitf; ``tensorflow.examples.tutorials.mnist`` offers ``mnist`` (the tutorial model of the
program's directory, or of reading_data/) and ``input_data`` (this directory's reader), which is also
``tensorflow.contrib.learn.python.learn.datasets.mnist``. The program then runs as ``__main__`` with ARGS."""

import importlib.util
import os
import runpy
import sys
import types

import minitf

HERE = os.path.dirname(os.path.abspath(__file__))


def _module(name, path=None, **attrs):
    """A module ``name`` in sys.modules: loaded from ``path``, or a namespace holding ``attrs``."""
    if path:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    else:
        module = types.ModuleType(name)
        module.__path__ = []
        vars(module).update(attrs)
        sys.modules[name] = module
    return module


def install(program_dir):
    """Map the tensorflow modules the reading_data programs import."""
    sys.modules["tensorflow"] = minitf
    input_data = _module("tensorflow.examples.tutorials.mnist.input_data", os.path.join(HERE, "input_data.py"))
    model = os.path.join(program_dir, "mnist.py")
    if not os.path.exists(model):
        model = os.path.join(HERE, "reading_data", "mnist.py")
    mnist = _module("tensorflow.examples.tutorials.mnist.mnist", model)
    _module("tensorflow.examples.tutorials.mnist", input_data=input_data, mnist=mnist)
    _module("tensorflow.examples.tutorials")
    _module("tensorflow.examples")
    sys.modules["tensorflow.contrib"] = importlib.import_module("minitf.contrib")
    for name in ("learn", "learn.python", "learn.python.learn"):
        _module("tensorflow.contrib." + name)
    _module("tensorflow.contrib.learn.python.learn.datasets", mnist=input_data)
    sys.modules["tensorflow.contrib.learn.python.learn.datasets.mnist"] = input_data


def main():
    program = os.path.abspath(sys.argv[1])
    install(os.path.dirname(program))
    sys.argv = sys.argv[1:]
    sys.path.insert(0, os.path.dirname(program))
    runpy.run_path(program, run_name="__main__")


if __name__ == "__main__":
    main()
