"""The shared test helpers say where to look when a golden is missing or a child process fails."""

import os

import pytest

from helpers import ROOT, golden, run_python


def test_a_missing_golden_entry_names_the_script_that_writes_it():
    with pytest.raises(KeyError, match=r"tests/golden/core\.json has no entry 'nope': re-run "
                                       r"tests/golden/make_core\.py under TensorFlow"):
        golden("golden/core.json")["nope"]


def test_a_missing_golden_array_names_the_script_that_writes_it():
    with pytest.raises(KeyError, match=r"tests/golden/nn\.npz has no array 'nope': re-run tests/golden/make_ops\.py"):
        golden("golden/nn.npz")["nope"]


def test_a_missing_golden_file_names_the_script_to_run():
    with pytest.raises(FileNotFoundError, match=r"tests/golden/random_extra\.json is missing: re-run "):
        golden("golden/random_extra.json")


def test_a_failing_child_shows_its_stderr():
    with pytest.raises(AssertionError, match=r"exited with status 3; its stderr:\nboom"):
        run_python("-c", "import sys; sys.stderr.write('boom'); sys.exit(3)")


def test_children_import_this_checkout():
    out = run_python("-c", "import minitf; print(minitf.__file__)").stdout.strip()
    assert out == os.path.join(ROOT, "minitf", "__init__.py")
