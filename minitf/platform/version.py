"""minitf's version, and the TensorFlow versions it follows.

``tf.__version__`` is the TensorFlow API level minitf follows, spelled as TensorFlow spells its releases: programs that
check for TensorFlow 1 (``tf.__version__.split(".")[0] == "1"``, ``LooseVersion(tf.__version__)``,
``StrictVersion(tf.__version__) < StrictVersion("1.3.0")`` as TensorFlow's PTB tutorial does) see 1.15, the last
TensorFlow 1 release. (StrictVersion rejects anything after the patch number, so minitf's own release cannot ride
along as ``+minitf...`` build metadata.) ``tf.MINITF_VERSION`` and ``minitf --version`` say what actually runs.
Behaviour is checked against TensorFlow 2.21's ``tf.compat.v1`` (TENSORFLOW_VERSION), which keeps TensorFlow 1's
graph mode.
"""

MINITF_VERSION = "0.1.0"
TENSORFLOW_VERSION = "2.21.0"
VERSION = "1.15.0"
