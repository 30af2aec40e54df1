"""``tf.contrib.rnn``: the TF1 cells of ``tf.nn.rnn_cell`` and the unrolling functions of ``tf.nn``."""

from minitf.ops.rnn import (bidirectional_dynamic_rnn, static_bidirectional_rnn, static_rnn)  # noqa: F401
from minitf.ops.rnn_cell_impl import (BasicLSTMCell, BasicRNNCell, DropoutWrapper, GRUCell,  # noqa: F401
                                      LSTMCell, LSTMStateTuple, MultiRNNCell, ResidualWrapper, RNNCell)
