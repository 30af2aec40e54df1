"""TensorFlow 1.15's ``tf.contrib.rnn`` and ``tf.contrib.seq2seq.sequence_loss`` rebuilt on TensorFlow 2.21's
tf.compat.v1 (with tf_keras's legacy cells, TF_USE_LEGACY_KERAS=1), for recording goldens of TF1 programs that use
them: contrib.rnn's cells are tf.nn.rnn_cell's, and sequence_loss composes the ops of TensorFlow 1.15's
contrib/seq2seq/python/ops/loss.py in the same order."""

import types


def contrib(tf):
    """A ``tf.contrib`` namespace for TensorFlow 2.21's compat.v1 module ``tf``."""
    cells = tf.nn.rnn_cell
    rnn = types.SimpleNamespace(**{name: getattr(cells, name) for name in (
        "BasicLSTMCell", "BasicRNNCell", "DropoutWrapper", "GRUCell", "LSTMCell", "LSTMStateTuple", "MultiRNNCell",
        "ResidualWrapper", "RNNCell")})

    def sequence_loss(logits, targets, weights, average_across_timesteps=True, average_across_batch=True,
                      sum_over_timesteps=False, sum_over_batch=False, softmax_loss_function=None, name=None):
        if len(logits.get_shape()) != 3:
            raise ValueError("Logits must be a [batch_size x sequence_length x logits] tensor")
        if len(targets.get_shape()) != 2:
            raise ValueError("Targets must be a [batch_size x sequence_length] tensor")
        if len(weights.get_shape()) != 2:
            raise ValueError("Weights must be a [batch_size x sequence_length] tensor")
        if average_across_timesteps and sum_over_timesteps:
            raise ValueError("average_across_timesteps and sum_over_timesteps cannot be set to True at same time.")
        if average_across_batch and sum_over_batch:
            raise ValueError("average_across_batch and sum_over_batch cannot be set to True at same time.")
        with tf.name_scope(name, "sequence_loss", [logits, targets, weights]):
            num_classes = tf.shape(logits)[2]
            logits_flat = tf.reshape(logits, [-1, num_classes])
            targets = tf.reshape(targets, [-1])
            if softmax_loss_function is None:
                crossent = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=targets, logits=logits_flat)
            else:
                crossent = softmax_loss_function(labels=targets, logits=logits_flat)
            crossent *= tf.reshape(weights, [-1])
            if average_across_timesteps and average_across_batch:
                crossent = tf.reduce_sum(crossent)
                total_size = tf.reduce_sum(weights)
                crossent = tf.div_no_nan(crossent, total_size)
            elif sum_over_timesteps and sum_over_batch:
                crossent = tf.reduce_sum(crossent)
                total_count = tf.cast(tf.count_nonzero(weights), tf.float32)
                crossent = tf.div_no_nan(crossent, total_count)
            else:
                crossent = tf.reshape(crossent, tf.shape(logits)[0:2])
                if average_across_timesteps or average_across_batch:
                    reduce_axis = [0] if average_across_batch else [1]
                    crossent = tf.reduce_sum(crossent, axis=reduce_axis)
                    total_size = tf.reduce_sum(weights, axis=reduce_axis)
                    crossent = tf.div_no_nan(crossent, total_size)
                elif sum_over_timesteps or sum_over_batch:
                    reduce_axis = [0] if sum_over_batch else [1]
                    crossent = tf.reduce_sum(crossent, axis=reduce_axis)
                    total_count = tf.cast(tf.count_nonzero(weights, axis=reduce_axis), dtype=tf.float32)
                    crossent = tf.div_no_nan(crossent, total_count)
            return crossent

    return types.SimpleNamespace(rnn=rnn, seq2seq=types.SimpleNamespace(sequence_loss=sequence_loss))
