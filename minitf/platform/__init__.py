"""Small platform helpers TF1 programs use: ``tf.app`` (flags, run), ``tf.gfile`` and ``tf.logging``."""
