"""Session settings shared by the scripts that record TensorFlow's behaviour (run with ~/tfref/bin/python)."""


def kernels_only_config():
    """A session config that turns off the grappler passes which reassociate float arithmetic.

    With them on (TensorFlow's default), constant folding and the arithmetic optimizer rewrite, for example,
    ``(w * x + b) - y`` as ``(w * x - y) + b`` and fold constant factors of the gradient together, which changes
    the last bits. minitf runs the graph as written, like TensorFlow with these passes off.
    """
    import tensorflow.compat.v1 as tf
    from tensorflow.core.protobuf import rewriter_config_pb2
    config = tf.ConfigProto()
    rewrites = config.graph_options.rewrite_options
    rewrites.constant_folding = rewriter_config_pb2.RewriterConfig.OFF
    rewrites.arithmetic_optimization = rewriter_config_pb2.RewriterConfig.OFF
    return config
