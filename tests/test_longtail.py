"""The long-tail ops beyond values and gradients (tests/test_ops.py covers those): their errors against
TensorFlow's (tests/golden/make_longtail_errors.py), and the tf.math / tf.linalg namespaces."""
import pytest

import longtail_error_cases
import minitf as tf
from helpers import golden

ERRORS = golden("golden/longtail_errors.json")


@pytest.mark.parametrize("name", sorted(longtail_error_cases.CASES))
def test_error_class_matches_tensorflow(name):
    assert list(longtail_error_cases.run(tf, longtail_error_cases.CASES[name])) == ERRORS[name]


def test_run_time_errors_name_the_op():
    tf.reset_default_graph()
    with pytest.raises(tf.errors.InvalidArgumentError, match="does not index into param shape") as info:
        tf.Session().run(tf.gather_nd(tf.zeros([3, 4]), [[5, 0]], name="pick"))
    assert info.value.op.name == "pick"


def test_math_and_linalg_namespaces_hold_tensorflows_names():
    assert tf.math.erf is tf.erf and tf.math.segment_sum is tf.segment_sum and tf.math.cumsum is tf.cumsum
    assert tf.linalg.det is tf.matrix_determinant and tf.linalg.inv is tf.matrix_inverse
    assert tf.linalg.diag is tf.matrix_diag and tf.linalg.band_part is tf.matrix_band_part
    assert tf.linalg.transpose is tf.matrix_transpose and tf.linalg.einsum is tf.einsum


def test_ops_used_as_control_inputs_carry_tensorflows_attr():
    tf.reset_default_graph()
    longtail_error_cases.manual_control_dependencies_program(tf)
    marked = sorted(node.name for node in tf.get_default_graph().as_graph_def().node
                    if node.attr["_has_manual_control_dependencies"].b)
    assert marked == golden("golden/graph_attrs.json")["manual_control_dependencies"]


def test_scatter_nd_errors_carry_tensorflows_text():
    tf.reset_default_graph()
    out = longtail_error_cases.CASES["scatter_nd_update_out_of_range"](tf)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[0\] = \[7\] does not index into shape \[4,2\]"):
        tf.Session().run(out)
    tf.reset_default_graph()
    with pytest.raises(tf.errors.InvalidArgumentError, match="^Unknown bad indices handling attribute: s\n") as info:
        tf.Session().run(longtail_error_cases.CASES["scatter_nd_sub_named"](tf))
    assert info.value.op.name == "ScatterNdSub"  # TensorFlow 2.21's name argument lands in bad_indices_policy
    tf.reset_default_graph()
    with pytest.raises(tf.errors.InvalidArgumentError, match="^Input arr must be non-negative!\n"):
        tf.Session().run(longtail_error_cases.CASES["bincount_negative"](tf))
