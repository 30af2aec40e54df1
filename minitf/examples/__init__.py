"""``tensorflow.examples``: the tutorial helpers TF1 programs import (``examples.tutorials.mnist.input_data``)."""
