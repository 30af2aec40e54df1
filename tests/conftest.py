"""Fixtures shared by the tests (the loaders and child-process helpers are in tests/helpers.py)."""

import pytest

import minitf as tf


@pytest.fixture
def fresh_graph():
    """A new default graph for the test, and another after it (no ops or collections leak between tests)."""
    tf.reset_default_graph()
    yield tf.get_default_graph()
    tf.reset_default_graph()


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """The test runs in its own temporary directory (relative paths such as a Saver's land there)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
