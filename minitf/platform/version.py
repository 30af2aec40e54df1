"""minitf's version, and the TensorFlow versions it follows.

``tf.__version__`` is the TensorFlow API level minitf follows, with minitf's own release as build metadata: programs
that check for TensorFlow 1 (``tf.__version__.split(".")[0] == "1"``, ``LooseVersion(tf.__version__)``) see 1.15,
the last TensorFlow 1 release, and ``+minitf.`` says what actually runs. Behaviour is checked against TensorFlow
2.21's ``tf.compat.v1`` (TENSORFLOW_VERSION), which keeps TensorFlow 1's graph mode.
"""

MINITF_VERSION = "0.1.0"
TENSORFLOW_VERSION = "2.21.0"
VERSION = f"1.15.0+minitf.{MINITF_VERSION}"
