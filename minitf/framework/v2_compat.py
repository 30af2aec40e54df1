"""The TensorFlow 2 behaviour switches a TF1 program may flip, and the questions it may ask about them.

minitf always behaves as TensorFlow 1.x's graph mode: no eager execution, TF1 control flow, reference variables,
tensors compared by identity, ``TensorShape`` items as ``Dimension``. So the ``disable_*`` switches that programs
written for TensorFlow 1.13+ call first (``tf.disable_v2_behavior()``) have nothing to do, and the queries answer
False. The ``enable_*`` switches are not provided: minitf cannot honour them.
"""


def disable_v2_behavior():
    """Does nothing: minitf always has TensorFlow 1.x's behaviour."""


def disable_eager_execution():
    """Does nothing: minitf never executes eagerly."""


def disable_control_flow_v2():
    """Does nothing: minitf's control flow is TensorFlow 1.x's."""


def disable_resource_variables():
    """Does nothing: minitf's variables are TensorFlow 1.x's reference variables."""


def disable_tensor_equality():
    """Does nothing: minitf compares tensors by identity, as TensorFlow 1.x does."""


def disable_v2_tensorshape():
    """Does nothing: minitf's ``TensorShape`` items are ``Dimension`` objects, as in TensorFlow 1.x."""


def executing_eagerly():
    """False: minitf builds graphs and runs them in a ``Session``."""
    return False


def executing_eagerly_outside_functions():
    """False, as ``executing_eagerly``."""
    return False


def control_flow_v2_enabled():
    """False: TensorFlow 1.x control flow."""
    return False


def resource_variables_enabled():
    """False: TensorFlow 1.x reference variables."""
    return False
