"""tf.image against TensorFlow 2.21: codecs, resizing (and the bilinear gradient), crops, pads, flips, dtype and
colour conversions, and the seeded random distortions of the CIFAR-10 tutorial: graph nodes, static dtypes and
shapes, values, and errors.

The programs are tests/golden/image_programs.py; goldens come from tests/golden/make_image_ops.py.
"""
import json
import os

import pytest

import minitf as tf
from golden import image_programs, program_cases

RECORD = json.load(open(os.path.join(os.path.dirname(__file__), "golden", "image_ops.json")))
# TensorFlow decodes JPEG with libjpeg's fast integer IDCT unless dct_method="INTEGER_ACCURATE"; minitf (through
# Pillow) always with the accurate one, which TensorFlow's INTEGER_ACCURATE matches exactly (case decode_jpeg).
# With the fast default, pixels differ by a few levels of 255.
LOOSE = {"decode_jpeg_fast_dct": 8.0}


# Cases whose error is compared by class only -> why.
ERROR_CLASS_ONLY = {"resize_area_has_no_gradient": "TensorFlow's LookupError reads \"operation'ResizeArea'\" (no "
                                                   "space); minitf's tf.gradients words it with one"}


@pytest.mark.parametrize("name", sorted(image_programs.CASES))
def test_matches_tensorflow(name):
    got, expected = program_cases.record(tf, image_programs.CASES[name]), RECORD[name]
    if name in ERROR_CLASS_ONLY:
        got, expected = ({**r, "error": r["error"][:2]} for r in (got, expected))
    program_cases.compare(got, expected, atol=LOOSE.get(name, 1e-5), rtol=1e-5,
                          nodes=name not in image_programs.GRAPH_DIFFERS)
