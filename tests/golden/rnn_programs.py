"""The RNN programs of tests/golden/make_rnn.py (TensorFlow 2.21, tf_keras 2.21's legacy cells) and
tests/test_rnn.py (minitf). Each takes the library as ``tf``, builds a graph under a graph-level seed and returns
(inputs, {name: output tensor}); the sum of the outputs is differentiated wrt the trainable variables and the
inputs. ERRORS are statements whose ValueError / TypeError message is compared; RUN_ERRORS fail when run.
"""
import numpy as np


def _data(shape, seed):
    return np.random.default_rng(seed).uniform(-1.0, 1.0, size=shape).astype(np.float32)


def _sequence(tf, batch=3, time=4, depth=5, seed=1):
    return tf.constant(_data([batch, time, depth], seed), name="x")


def basic_rnn_static(tf):
    """BasicRNNCell unrolled by static_rnn (variables reused after the first step), zero_state by hand."""
    tf.set_random_seed(1)
    x = _sequence(tf)
    cell = tf.nn.rnn_cell.BasicRNNCell(6)
    outputs, state = tf.nn.static_rnn(cell, tf.unstack(x, axis=1), dtype=tf.float32)
    out = {f"output_{i}": o for i, o in enumerate(outputs)}
    out["state"] = state
    out["zero"] = cell.zero_state(3, tf.float32)
    return [x], out


def basic_lstm_dynamic(tf):
    """BasicLSTMCell in dynamic_rnn: the while loop over TensorArrays, an LSTMStateTuple state."""
    tf.set_random_seed(2)
    x = _sequence(tf)
    cell = tf.nn.rnn_cell.BasicLSTMCell(4, forget_bias=0.5)
    outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    return [x], {"outputs": outputs, "c": state.c, "h": state.h}


def lstm_options_dynamic(tf):
    """LSTMCell with peepholes, a projection, cell and projection clipping and an initializer, in dynamic_rnn
    with sequence lengths (zero outputs and copied states past them), time major and an initial state."""
    tf.set_random_seed(3)
    x = tf.constant(_data([5, 3, 2], 2), name="x")
    cell = tf.nn.rnn_cell.LSTMCell(4, use_peepholes=True, num_proj=3, cell_clip=0.6, proj_clip=0.4,
                                   initializer=tf.random_uniform_initializer(-0.8, 0.8))
    init = tf.nn.rnn_cell.LSTMStateTuple(tf.constant(_data([3, 4], 3)), tf.constant(_data([3, 3], 4)))
    outputs, state = tf.nn.dynamic_rnn(cell, x, sequence_length=[5, 2, 0], initial_state=init, time_major=True)
    return [x], {"outputs": outputs, "c": state.c, "h": state.h}


def gru_static_lengths(tf):
    """GRUCell in static_rnn with sequence lengths: TensorFlow's conds on the min and max length per step."""
    tf.set_random_seed(4)
    x = _sequence(tf, seed=5)
    cell = tf.nn.rnn_cell.GRUCell(3)
    outputs, state = tf.nn.static_rnn(cell, tf.unstack(x, axis=1), dtype=tf.float32,
                                      sequence_length=tf.constant([4, 1, 3]))
    out = {f"output_{i}": o for i, o in enumerate(outputs)}
    out["state"] = state
    return [x], out


def multi_cell_dynamic(tf):
    """MultiRNNCell of an LSTM (concatenated state) and a GRU in dynamic_rnn under a named scope."""
    tf.set_random_seed(5)
    x = _sequence(tf, seed=6)
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(3, state_is_tuple=False),
                                        tf.nn.rnn_cell.GRUCell(2)])
    outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, scope="stack")
    return [x], {"outputs": outputs, "state_0": state[0], "state_1": state[1]}


def multi_cell_static(tf):
    """MultiRNNCell of two BasicLSTMCells unrolled by static_rnn (the cell_<i> scopes reused per step)."""
    tf.set_random_seed(6)
    x = _sequence(tf, time=3, seed=7)
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(3) for _ in range(2)])
    outputs, state = tf.nn.static_rnn(cell, tf.unstack(x, axis=1), dtype=tf.float32)
    return [x], {"last": outputs[-1], "c1": state[1].c, "h0": state[0].h}


def bidirectional_dynamic(tf):
    """bidirectional_dynamic_rnn with sequence lengths (ReverseSequence) and without (ReverseV2)."""
    tf.set_random_seed(7)
    x = _sequence(tf, seed=8)
    fw, bw = tf.nn.rnn_cell.BasicLSTMCell(3), tf.nn.rnn_cell.GRUCell(2)
    (out_fw, out_bw), (state_fw, state_bw) = tf.nn.bidirectional_dynamic_rnn(
        fw, bw, x, sequence_length=[4, 2, 3], dtype=tf.float32)
    (full_fw, full_bw), _ = tf.nn.bidirectional_dynamic_rnn(
        tf.nn.rnn_cell.BasicRNNCell(2), tf.nn.rnn_cell.BasicRNNCell(2), x, dtype=tf.float32, scope="full")
    return [x], {"out_fw": out_fw, "out_bw": out_bw, "h_fw": state_fw.h, "state_bw": state_bw,
                 "full_fw": full_fw, "full_bw": full_bw}


def bidirectional_static(tf):
    """static_bidirectional_rnn with sequence lengths: outputs concatenated along the depth."""
    tf.set_random_seed(8)
    x = _sequence(tf, seed=9)
    outputs, state_fw, state_bw = tf.nn.static_bidirectional_rnn(
        tf.nn.rnn_cell.BasicRNNCell(2), tf.nn.rnn_cell.BasicRNNCell(3), tf.unstack(x, axis=1),
        dtype=tf.float32, sequence_length=[4, 2, 3])
    out = {f"output_{i}": o for i, o in enumerate(outputs)}
    out["state_fw"], out["state_bw"] = state_fw, state_bw
    return [x], out


def wrappers(tf):
    """DropoutWrapper (seeded input, state and output dropout; variational with its per-run noise) and
    ResidualWrapper around LSTM and RNN cells."""
    tf.set_random_seed(9)
    x = _sequence(tf, seed=10)
    cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicLSTMCell(5), input_keep_prob=0.7,
                                         output_keep_prob=0.8, state_keep_prob=0.6, seed=12)
    outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    variational = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(5), input_keep_prob=0.5,
                                                output_keep_prob=0.5, state_keep_prob=0.5,
                                                variational_recurrent=True, input_size=5, dtype=tf.float32,
                                                seed=3)
    var_outputs, var_state = tf.nn.dynamic_rnn(variational, x, dtype=tf.float32, scope="variational")
    residual = tf.nn.rnn_cell.ResidualWrapper(tf.nn.rnn_cell.BasicRNNCell(5))
    res_outputs, _ = tf.nn.static_rnn(residual, tf.unstack(x, axis=1), dtype=tf.float32, scope="residual")
    return [x], {"outputs": outputs, "c": state.c, "var_outputs": var_outputs, "var_state": var_state,
                 "residual": res_outputs[-1]}


def cell_scope_and_reuse(tf):
    """A cell called with a scope, two cells in one scope (numbered), a named cell and a reusing one."""
    tf.set_random_seed(10)
    x = tf.constant(_data([2, 3], 11), name="x")
    h = tf.constant(_data([2, 4], 12), name="h")
    a, _ = tf.nn.rnn_cell.BasicRNNCell(4)(x, h, scope="mine")
    b, _ = tf.nn.rnn_cell.BasicRNNCell(4)(x, h)
    c, _ = tf.nn.rnn_cell.BasicRNNCell(4)(x, h)
    d, _ = tf.nn.rnn_cell.GRUCell(4, name="gru")(x, h)
    e, _ = tf.nn.rnn_cell.GRUCell(4, name="gru", reuse=True)(x, h)
    return [x, h], {"a": a, "b": b, "c": c, "d": d, "e": e}


PROGRAMS = {f.__name__: f for f in [basic_rnn_static, basic_lstm_dynamic, lstm_options_dynamic, gru_static_lengths,
                                     multi_cell_dynamic, multi_cell_static, bidirectional_dynamic,
                                     bidirectional_static, wrappers, cell_scope_and_reuse]}

ERRORS = {
    "state_size_mismatch": "tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(4), x, "
                           "initial_state=tf.zeros([2, 5]))",
    "sequence_length_rank": "tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(4), x, dtype=tf.float32, "
                            "sequence_length=[[1, 2]])",
    "no_dtype": "tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(4), x)",
    "static_not_list": "tf.nn.static_rnn(tf.nn.rnn_cell.BasicRNNCell(4), x, dtype=tf.float32)",
    "static_empty": "tf.nn.static_rnn(tf.nn.rnn_cell.BasicRNNCell(4), [], dtype=tf.float32)",
    "not_a_cell": "tf.nn.dynamic_rnn(object(), x, dtype=tf.float32)",
    "integer_inputs": "tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(4), tf.cast(x, tf.int32), dtype=tf.int32)",
    "unknown_depth": "tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(4), tf.placeholder(tf.float32, [2, 3, None]), "
                     "dtype=tf.float32)",
    "multi_empty": "tf.nn.rnn_cell.MultiRNNCell([])",
    "keep_prob_range": "tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicRNNCell(4), output_keep_prob=1.5)",
}


def error_message(tf, statements):
    """Class name and message of the ValueError or TypeError the statements raise in a fresh graph."""
    with tf.Graph().as_default():
        namespace = {"tf": tf, "np": np, "x": tf.constant(_data([2, 3, 5], 13))}
        try:
            exec(statements, namespace)  # noqa: S102 - the fixed programs above
        except (ValueError, TypeError) as e:
            return [type(e).__name__, str(e)]
    return None


def run_error(tf):
    """The InvalidArgumentError of a sequence_length whose length is not the batch size (fed at run time)."""
    with tf.Graph().as_default():
        lengths = tf.placeholder(tf.int32, [None])
        outputs, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(2), tf.constant(_data([2, 3, 5], 14)),
                                       dtype=tf.float32, sequence_length=lengths)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            try:
                sess.run(outputs, {lengths: [1, 2, 3]})
            except tf.errors.InvalidArgumentError as e:
                return e.message
    return None


def raw_rnn_program(tf):
    """raw_rnn with a loop_fn reading a time-major input TensorArray, sequence lengths and a loop state."""
    tf.set_random_seed(12)
    x = tf.constant(_data([4, 3, 2], 15), name="x")
    lengths = tf.constant([4, 1, 3])
    inputs_ta = tf.TensorArray(tf.float32, size=4).unstack(x)
    cell = tf.nn.rnn_cell.BasicLSTMCell(3)

    def loop_fn(time, cell_output, cell_state, loop_state):
        emit_output = cell_output
        next_cell_state = cell.zero_state(3, tf.float32) if cell_output is None else cell_state
        finished = time >= lengths
        next_input = tf.cond(tf.reduce_all(finished), lambda: tf.zeros([3, 2]), lambda: inputs_ta.read(time))
        next_loop_state = tf.constant(0.0) if loop_state is None else loop_state + 1.0
        return finished, next_input, next_cell_state, emit_output, next_loop_state

    outputs_ta, state, loop_state = tf.nn.raw_rnn(cell, loop_fn)
    return [x], {"outputs": outputs_ta.stack(), "c": state.c, "h": state.h, "loop_state": loop_state}


PROGRAMS["raw_rnn"] = raw_rnn_program
