"""tf.compat, the TensorFlow 2 behaviour switches, tf.arg_max/arg_min/floor_div and the version strings, against
TensorFlow 2.21 (goldens from tests/golden/make_compat.py, programs in tests/golden/compat_programs.py)."""

import json
import os
import re
import subprocess
import sys

import pytest

import minitf as tf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "golden"))
from compat_programs import PROGRAMS  # noqa: E402

GOLDEN = json.load(open(os.path.join(HERE, "golden", "compat.json")))
# distutils.version.StrictVersion's version_re (distutils is gone from Python 3.12's standard library)
STRICT_VERSION = r"(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?"


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_matches_tensorflow(name):
    assert json.loads(json.dumps(PROGRAMS[name](tf))) == GOLDEN[name]


def test_compat_v1_is_minitf():
    assert tf.compat.v1 is tf
    assert tf.compat.v1.compat.v1.Session is tf.Session


def test_version_names_tensorflow_1_and_minitf():
    """TensorFlow 1.15's version string: StrictVersion parses it (TensorFlow's PTB tutorial compares
    ``StrictVersion(tf.__version__)``, which rejects a ``+minitf`` suffix); minitf's release is its own name."""
    assert tf.__version__ == tf.VERSION == "1.15.0"
    assert re.fullmatch(STRICT_VERSION, tf.__version__) and tf.__version__.split(".")[:2] == ["1", "15"]
    assert tf.MINITF_VERSION.count(".") == 2


def test_enable_eager_execution_is_not_pretended():
    with pytest.raises(AttributeError, match=r"minitf does not implement tf.enable_eager_execution yet"):
        tf.enable_eager_execution()


def test_minitf_version_command():
    env = dict(os.environ, PYTHONPATH=os.path.dirname(HERE))
    result = subprocess.run([sys.executable, "-m", "minitf", "--version"], capture_output=True, text=True, env=env)
    assert result.returncode == 0
    assert result.stdout == (f"minitf {tf.MINITF_VERSION} (tf.__version__ {tf.__version__}; "
                             f"TensorFlow {tf.TENSORFLOW_VERSION}'s tf.compat.v1 behaviour)\n")
