"""``tf.nn.rnn_cell`` (also ``tf.contrib.rnn``'s cells): TF1's RNN cells, in ``ops/rnn_cell_impl``."""

from minitf.ops.rnn_cell_impl import (BasicLSTMCell, BasicRNNCell, DropoutWrapper, GRUCell,  # noqa: F401
                                      LSTMCell, LSTMStateTuple, MultiRNNCell, ResidualWrapper, RNNCell)
