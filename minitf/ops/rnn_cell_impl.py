"""TF1's RNN cells (``tf.nn.rnn_cell``, ``tf.contrib.rnn``) as TensorFlow 2.21 builds them (tf_keras's
``legacy_cells`` and ``legacy_cell_wrappers``): BasicRNNCell, BasicLSTMCell, LSTMCell, GRUCell, MultiRNNCell,
DropoutWrapper, ResidualWrapper, LSTMStateTuple.

A cell is a legacy ``tf.layers`` Layer: its first call captures a variable scope named after the class
(``basic_lstm_cell``, numbered when taken) under the current one, builds its variables there with ``get_variable``
(so ``rnn/basic_lstm_cell/kernel``: checkpoints interchange with TensorFlow's) and puts its ops in the name scope that
capture opened; later calls reuse both. Kernels default to get_variable's glorot-uniform initializer, biases to zeros.
"""

import collections
import numbers
import re

from minitf.framework import dtypes, nest, ops, tensor_shape, tensor_util
from minitf.ops import array_ops, clip_ops, conv_ops, init_ops, math_ops, random_ops
from minitf.ops import variable_scope as vs

_BIAS_VARIABLE_NAME = "bias"
_WEIGHTS_VARIABLE_NAME = "kernel"


def _to_snake_case(name):
    intermediate = re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    insecure = re.sub("([a-z])([A-Z])", r"\1_\2", intermediate).lower()
    return insecure if insecure[0] != "_" else "private" + insecure


def _hasattr(obj, attr_name):
    try:
        getattr(obj, attr_name)
    except AttributeError:
        return False
    return True


def assert_like_rnncell(cell_name, cell):
    """TypeError unless ``cell`` has output_size, state_size, zero_state and is callable."""
    conditions = [_hasattr(cell, "output_size"), _hasattr(cell, "state_size"),
                  _hasattr(cell, "get_initial_state") or _hasattr(cell, "zero_state"), callable(cell)]
    errors = ["'output_size' property is missing", "'state_size' property is missing",
              "either 'zero_state' or 'get_initial_state' method is required", "is not callable"]
    if not all(conditions):
        errors = [error for error, cond in zip(errors, conditions) if not cond]
        raise TypeError("The argument {!r} ({}) is not an RNNCell: {}.".format(cell_name, cell, ", ".join(errors)))


def _concat(prefix, suffix, static=False):
    """The shape ``prefix + suffix`` (each an int, a TensorShape or a Tensor) as a Tensor, or a list if static.
    Constants for the Python parts are made in both cases, as TensorFlow does."""
    if isinstance(prefix, ops.Tensor):
        p = prefix
        p_static = tensor_util.constant_value(prefix)
        if p.shape.ndims == 0:
            p = array_ops.expand_dims(p, 0)
        elif p.shape.ndims != 1:
            raise ValueError(f"Prefix tensor must be either a scalar or vector, but received tensor: {p}")
    else:
        p = tensor_shape.TensorShape(prefix)
        p_static = p.as_list() if p.ndims is not None else None
        p = ops.convert_to_tensor(p.as_list(), dtype=dtypes.int32) if p.is_fully_defined() else None
    if isinstance(suffix, ops.Tensor):
        s = suffix
        s_static = tensor_util.constant_value(suffix)
        if s.shape.ndims == 0:
            s = array_ops.expand_dims(s, 0)
        elif s.shape.ndims != 1:
            raise ValueError(f"suffix tensor must be either a scalar or vector, but received tensor: {s}")
    else:
        s = tensor_shape.TensorShape(suffix)
        s_static = s.as_list() if s.ndims is not None else None
        s = ops.convert_to_tensor(s.as_list(), dtype=dtypes.int32) if s.is_fully_defined() else None
    if static:
        shape = tensor_shape.TensorShape(p_static).concatenate(s_static)
        return shape.as_list() if shape.ndims is not None else None
    if p is None or s is None:
        raise ValueError(f"Prefix or suffix can't be None. Received prefix = {prefix} and suffix = {suffix}")
    return array_ops.concat((p, s), 0)


def _zero_state_tensors(state_size, batch_size, dtype):
    def get_state_shape(s):
        zeros = array_ops.zeros(_concat(batch_size, s), dtype=dtype)
        zeros.set_shape(_concat(batch_size, s, static=True))
        return zeros
    return nest.map_structure(get_state_shape, state_size)


def _check_supported_dtypes(dtype):
    if dtype is None:
        return
    dtype = dtypes.as_dtype(dtype)
    if not (dtype.is_floating or dtype.is_complex):
        raise ValueError(f"RNN cell only supports floating point inputs, but received dtype: {dtype}")


def _check_rnn_cell_input_dtypes(inputs):
    for t in nest.flatten(inputs):
        _check_supported_dtypes(t.dtype)


class RNNCell:
    """An RNN cell: ``(output, new_state) = cell(inputs, state)``; subclasses define ``call``, ``state_size`` and
    ``output_size`` (and ``build`` to make variables)."""

    def __init__(self, trainable=True, name=None, dtype=None, _reuse=None):
        self.trainable = trainable
        self._reuse = _reuse
        self._dtype = dtypes.as_dtype(dtype) if dtype is not None else None
        self._base_name = name or _to_snake_case(type(self).__name__)
        self._name = name
        self._scope = None
        self._rnncell_scope = None
        self.built = False
        self._variables = []

    dtype = property(lambda self: self._dtype)
    name = property(lambda self: self._name or self._base_name)
    scope_name = property(lambda self: self._scope.name)

    @property
    def variables(self):
        return list(self._variables)

    trainable_variables = trainable_weights = weights = variables

    def __call__(self, inputs, state, scope=None):
        """Runs the cell in ``scope`` or, the first time, in the variable scope current then (kept for later
        calls); ``call`` itself runs in the cell's own layer scope."""
        if scope is not None:
            with vs.variable_scope(scope) as scope:
                return self._layer_call(inputs, state, scope=scope)
        if self._rnncell_scope is None:
            self._rnncell_scope = vs.get_variable_scope()
        with vs.variable_scope(self._rnncell_scope):
            return self._layer_call(inputs, state)

    def _layer_call(self, inputs, state, scope=None):
        """The legacy ``tf.layers.Layer.__call__``: capture the layer's variable scope once, build on the first call
        in the name scope the capture opened, then ``call``."""
        if self._scope is None:
            if self._reuse:
                with vs.variable_scope(scope if scope is not None else self._base_name) as captured:
                    self._scope = captured
            else:
                with vs.variable_scope(scope, default_name=self._base_name) as captured:
                    self._scope = captured
        reuse = True if self.built else self._reuse
        with vs.variable_scope(self._scope, reuse=reuse, auxiliary_name_scope=False) as current:
            with ops.name_scope(current.original_name_scope):
                if not self.built:
                    first = nest.flatten(inputs)[0]
                    first = ops.convert_to_tensor(first)
                    if self._dtype is None:
                        self._dtype = first.dtype.base_dtype
                    self.build(first.shape)
                    self.built = True
                return self.call(inputs, state)

    def build(self, input_shape):
        self.built = True

    def add_weight(self, name, shape, initializer=None):
        variable = vs.get_variable(name, shape, dtype=self._dtype, initializer=initializer,
                                   trainable=self.trainable)
        if all(variable is not v for v in self._variables):
            self._variables.append(variable)
        return variable

    @property
    def state_size(self):
        raise NotImplementedError("Abstract method")

    @property
    def output_size(self):
        raise NotImplementedError("Abstract method")

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        if inputs is not None:
            inputs = ops.convert_to_tensor(inputs, name="inputs")
            batch_size = inputs.shape.dims[0].value or array_ops.shape(inputs)[0]
            dtype = inputs.dtype
        if batch_size is None or dtype is None:
            raise ValueError("batch_size and dtype cannot be None while constructing initial state: "
                             f"batch_size={batch_size}, dtype={dtype}")
        return self.zero_state(batch_size, dtype)

    def zero_state(self, batch_size, dtype):
        """Zeros of shape ``[batch_size, s]`` for each ``s`` of ``state_size``, in ``<Class>ZeroState``."""
        with ops.name_scope(type(self).__name__ + "ZeroState"):
            return _zero_state_tensors(self.state_size, batch_size, dtype)


class LayerRNNCell(RNNCell):
    """A cell whose variables are made by ``build``; its ``__call__`` is the layer's own (no re-entered scope)."""

    def __call__(self, inputs, state, scope=None):
        return self._layer_call(inputs, state, scope=scope)


def _input_depth(input_shape):
    input_shape = tensor_shape.TensorShape(input_shape)
    if input_shape.ndims is not None and input_shape.ndims != 2:
        raise ValueError(f"Input 0 of layer is incompatible with the layer: expected ndim=2, found "
                         f"ndim={input_shape.ndims}. Full shape received: {input_shape.as_list()}")
    depth = input_shape[-1].value if input_shape.ndims else None
    if depth is None:
        raise ValueError(f"Expected inputs.shape[-1] to be known, received shape: {input_shape}")
    return depth


class BasicRNNCell(LayerRNNCell):
    """``output = new_state = activation(concat(inputs, state) @ kernel + bias)``."""

    def __init__(self, num_units, activation=None, reuse=None, name=None, dtype=None, **kwargs):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        _check_supported_dtypes(self.dtype)
        self._num_units = num_units
        self._activation = activation or math_ops.tanh

    state_size = property(lambda self: self._num_units)
    output_size = property(lambda self: self._num_units)

    def build(self, input_shape):
        depth = _input_depth(input_shape)
        _check_supported_dtypes(self.dtype)
        self._kernel = self.add_weight(_WEIGHTS_VARIABLE_NAME, [depth + self._num_units, self._num_units])
        self._bias = self.add_weight(_BIAS_VARIABLE_NAME, [self._num_units],
                                     init_ops.zeros_initializer(dtype=self.dtype))

    def call(self, inputs, state):
        _check_rnn_cell_input_dtypes([inputs, state])
        gate_inputs = math_ops.matmul(array_ops.concat([inputs, state], 1), self._kernel)
        gate_inputs = conv_ops.bias_add(gate_inputs, self._bias)
        output = self._activation(gate_inputs)
        return output, output


class GRUCell(LayerRNNCell):
    """Gated recurrent unit: reset and update gates (``gates/kernel``, bias 1.0) and a candidate."""

    def __init__(self, num_units, activation=None, reuse=None, kernel_initializer=None, bias_initializer=None,
                 name=None, dtype=None, **kwargs):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        _check_supported_dtypes(self.dtype)
        self._num_units = num_units
        self._activation = activation or math_ops.tanh
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    state_size = property(lambda self: self._num_units)
    output_size = property(lambda self: self._num_units)

    def build(self, input_shape):
        depth = _input_depth(input_shape)
        _check_supported_dtypes(self.dtype)
        n = self._num_units
        self._gate_kernel = self.add_weight("gates/kernel", [depth + n, 2 * n], self._kernel_initializer)
        self._gate_bias = self.add_weight("gates/bias", [2 * n], self._bias_initializer if self._bias_initializer
                                          is not None else init_ops.constant_initializer(1.0, dtype=self.dtype))
        self._candidate_kernel = self.add_weight("candidate/kernel", [depth + n, n], self._kernel_initializer)
        self._candidate_bias = self.add_weight("candidate/bias", [n], self._bias_initializer if
                                               self._bias_initializer is not None
                                               else init_ops.zeros_initializer(dtype=self.dtype))

    def call(self, inputs, state):
        _check_rnn_cell_input_dtypes([inputs, state])
        gate_inputs = math_ops.matmul(array_ops.concat([inputs, state], 1), self._gate_kernel)
        gate_inputs = conv_ops.bias_add(gate_inputs, self._gate_bias)
        value = math_ops.sigmoid(gate_inputs)
        r, u = array_ops.split(value=value, num_or_size_splits=2, axis=1)
        r_state = r * state
        candidate = math_ops.matmul(array_ops.concat([inputs, r_state], 1), self._candidate_kernel)
        candidate = conv_ops.bias_add(candidate, self._candidate_bias)
        c = self._activation(candidate)
        new_h = u * state + (1 - u) * c
        return new_h, new_h


class LSTMStateTuple(collections.namedtuple("LSTMStateTuple", ("c", "h"))):
    """``(c, h)``: the cell state and the output of an LSTM."""
    __slots__ = ()

    @property
    def dtype(self):
        (c, h) = self
        if c.dtype != h.dtype:
            raise TypeError(f"Inconsistent dtypes for internal state: {c.dtype} vs {h.dtype}")
        return c.dtype


class BasicLSTMCell(LayerRNNCell):
    """The LSTM of Zaremba et al.: one ``kernel`` for the gates i, j, f, o; ``forget_bias`` added to f."""

    def __init__(self, num_units, forget_bias=1.0, state_is_tuple=True, activation=None, reuse=None, name=None,
                 dtype=None, **kwargs):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        _check_supported_dtypes(self.dtype)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = activation or math_ops.tanh

    @property
    def state_size(self):
        n = self._num_units
        return LSTMStateTuple(n, n) if self._state_is_tuple else 2 * n

    output_size = property(lambda self: self._num_units)

    def build(self, input_shape):
        depth = _input_depth(input_shape)
        _check_supported_dtypes(self.dtype)
        self._kernel = self.add_weight(_WEIGHTS_VARIABLE_NAME, [depth + self._num_units, 4 * self._num_units])
        self._bias = self.add_weight(_BIAS_VARIABLE_NAME, [4 * self._num_units],
                                     init_ops.zeros_initializer(dtype=self.dtype))

    def call(self, inputs, state):
        _check_rnn_cell_input_dtypes([inputs, state])
        one = ops.convert_to_tensor(1, dtype=dtypes.int32)
        if self._state_is_tuple:
            c, h = state
        else:
            c, h = array_ops.split(value=state, num_or_size_splits=2, axis=one)
        gate_inputs = math_ops.matmul(array_ops.concat([inputs, h], 1), self._kernel)
        gate_inputs = conv_ops.bias_add(gate_inputs, self._bias)
        i, j, f, o = array_ops.split(value=gate_inputs, num_or_size_splits=4, axis=one)
        forget_bias_tensor = ops.convert_to_tensor(self._forget_bias, dtype=f.dtype)
        new_c = math_ops.add(math_ops.multiply(c, math_ops.sigmoid(math_ops.add(f, forget_bias_tensor))),
                             math_ops.multiply(math_ops.sigmoid(i), self._activation(j)))
        new_h = math_ops.multiply(self._activation(new_c), math_ops.sigmoid(o))
        new_state = LSTMStateTuple(new_c, new_h) if self._state_is_tuple else array_ops.concat([new_c, new_h], 1)
        return new_h, new_state


class LSTMCell(LayerRNNCell):
    """The LSTM with optional peepholes (``w_f_diag``, ``w_i_diag``, ``w_o_diag``), cell clipping and an output
    projection (``projection/kernel``) with its clipping."""

    def __init__(self, num_units, use_peepholes=False, cell_clip=None, initializer=None, num_proj=None,
                 proj_clip=None, num_unit_shards=None, num_proj_shards=None, forget_bias=1.0, state_is_tuple=True,
                 activation=None, reuse=None, name=None, dtype=None, **kwargs):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        _check_supported_dtypes(self.dtype)
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = initializer
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = activation or math_ops.tanh
        second = num_proj if num_proj else num_units
        self._state_size = LSTMStateTuple(num_units, second) if state_is_tuple else num_units + second
        self._output_size = second

    state_size = property(lambda self: self._state_size)
    output_size = property(lambda self: self._output_size)

    def build(self, input_shape):
        depth = _input_depth(input_shape)
        _check_supported_dtypes(self.dtype)
        h_depth = self._num_units if self._num_proj is None else self._num_proj
        self._kernel = self.add_weight(_WEIGHTS_VARIABLE_NAME, [depth + h_depth, 4 * self._num_units],
                                       self._initializer)
        self._bias = self.add_weight(_BIAS_VARIABLE_NAME, [4 * self._num_units],
                                     init_ops.zeros_initializer(dtype=self.dtype))
        if self._use_peepholes:
            self._w_f_diag = self.add_weight("w_f_diag", [self._num_units], self._initializer)
            self._w_i_diag = self.add_weight("w_i_diag", [self._num_units], self._initializer)
            self._w_o_diag = self.add_weight("w_o_diag", [self._num_units], self._initializer)
        if self._num_proj is not None:
            self._proj_kernel = self.add_weight("projection/kernel", [self._num_units, self._num_proj],
                                                self._initializer)

    def call(self, inputs, state):
        _check_rnn_cell_input_dtypes([inputs, state])
        num_proj = self._num_units if self._num_proj is None else self._num_proj
        sigmoid = math_ops.sigmoid
        if self._state_is_tuple:
            (c_prev, m_prev) = state
        else:
            c_prev = array_ops.slice(state, [0, 0], [-1, self._num_units])
            m_prev = array_ops.slice(state, [0, self._num_units], [-1, num_proj])
        input_size = inputs.shape.with_rank(2).dims[1].value
        if input_size is None:
            raise ValueError("Could not infer input size from inputs.get_shape()[-1].Received input shape: "
                             f"{inputs.shape}")
        lstm_matrix = math_ops.matmul(array_ops.concat([inputs, m_prev], 1), self._kernel)
        lstm_matrix = conv_ops.bias_add(lstm_matrix, self._bias)
        i, j, f, o = array_ops.split(value=lstm_matrix, num_or_size_splits=4, axis=1)
        if self._use_peepholes:
            c = (sigmoid(f + self._forget_bias + self._w_f_diag * c_prev) * c_prev
                 + sigmoid(i + self._w_i_diag * c_prev) * self._activation(j))
        else:
            c = sigmoid(f + self._forget_bias) * c_prev + sigmoid(i) * self._activation(j)
        if self._cell_clip is not None:
            c = clip_ops.clip_by_value(c, -self._cell_clip, self._cell_clip)
        if self._use_peepholes:
            m = sigmoid(o + self._w_o_diag * c) * self._activation(c)
        else:
            m = sigmoid(o) * self._activation(c)
        if self._num_proj is not None:
            m = math_ops.matmul(m, self._proj_kernel)
            if self._proj_clip is not None:
                m = clip_ops.clip_by_value(m, -self._proj_clip, self._proj_clip)
        new_state = LSTMStateTuple(c, m) if self._state_is_tuple else array_ops.concat([c, m], 1)
        return m, new_state


class MultiRNNCell(RNNCell):
    """Cells stacked: cell i runs in ``cell_<i>`` on the output of cell i-1; the state is the tuple of theirs."""

    def __init__(self, cells, state_is_tuple=True):
        super().__init__()
        if not cells:
            raise ValueError("Must specify at least one cell for MultiRNNCell.")
        if not nest.is_nested(cells):
            raise TypeError(f"cells must be a list or tuple, but received: {cells}.")
        self._cells = cells
        self._state_is_tuple = state_is_tuple
        if not state_is_tuple and any(nest.is_nested(c.state_size) for c in self._cells):
            raise ValueError("Some cells return tuples of states, but the flag state_is_tuple is not set. "
                             f"State sizes are: {[c.state_size for c in self._cells]}")

    @property
    def state_size(self):
        if self._state_is_tuple:
            return tuple(cell.state_size for cell in self._cells)
        return sum(cell.state_size for cell in self._cells)

    output_size = property(lambda self: self._cells[-1].output_size)

    @property
    def variables(self):
        return [v for cell in self._cells for v in getattr(cell, "variables", [])]

    trainable_variables = trainable_weights = weights = variables

    def zero_state(self, batch_size, dtype):
        with ops.name_scope(type(self).__name__ + "ZeroState"):
            if self._state_is_tuple:
                return tuple(cell.zero_state(batch_size, dtype) for cell in self._cells)
            return super().zero_state(batch_size, dtype)

    def call(self, inputs, state):
        cur_state_pos = 0
        cur_inp = inputs
        new_states = []
        for i, cell in enumerate(self._cells):
            with vs.variable_scope("cell_%d" % i):
                if self._state_is_tuple:
                    if not nest.is_nested(state):
                        raise ValueError(f"Expected state to be a tuple of length {len(self.state_size)}, but "
                                         f"received: {state}")
                    cur_state = state[i]
                else:
                    cur_state = array_ops.slice(state, [0, cur_state_pos], [-1, cell.state_size])
                    cur_state_pos += cell.state_size
                cur_inp, new_state = cell(cur_inp, cur_state)
                new_states.append(new_state)
        new_states = tuple(new_states) if self._state_is_tuple else array_ops.concat(new_states, 1)
        return cur_inp, new_states


class _RNNCellWrapperV1(RNNCell):
    """A cell around ``cell``: calls go straight to the wrapped cell's ``__call__`` (no scope of its own)."""

    def __init__(self, cell, **kwargs):
        super().__init__(**kwargs)
        assert_like_rnncell("cell", cell)
        self.cell = cell

    def __call__(self, inputs, state, scope=None):
        return self._call_wrapped_cell(inputs, state, cell_call_fn=self.cell.__call__, scope=scope)

    state_size = property(lambda self: self.cell.state_size)
    output_size = property(lambda self: self.cell.output_size)
    wrapped_cell = property(lambda self: self.cell)
    variables = property(lambda self: getattr(self.cell, "variables", []))
    trainable_variables = trainable_weights = weights = variables

    def zero_state(self, batch_size, dtype):
        with ops.name_scope(type(self).__name__ + "ZeroState"):
            return self.cell.zero_state(batch_size, dtype)


def _enumerated_map_structure_up_to(shallow_structure, map_fn, *args):
    ix = [0]

    def enumerated_fn(*inner_args):
        r = map_fn(ix[0], *inner_args)
        ix[0] += 1
        return r
    return nest.map_structure_up_to(shallow_structure, enumerated_fn, *args)


def _default_dropout_state_filter_visitor(substate):
    if isinstance(substate, LSTMStateTuple):
        return LSTMStateTuple(c=False, h=True)
    return True


class DropoutWrapper(_RNNCellWrapperV1):
    """Dropout on the inputs, the new state (an LSTM's h, not c) and the outputs of a cell; with
    ``variational_recurrent`` one mask per run (TensorFlow's seeds: md5 of the seed and a salt)."""

    def __init__(self, cell, input_keep_prob=1.0, output_keep_prob=1.0, state_keep_prob=1.0,
                 variational_recurrent=False, input_size=None, dtype=None, seed=None,
                 dropout_state_filter_visitor=None, **kwargs):
        super().__init__(cell, dtype=dtype, **kwargs)
        if dropout_state_filter_visitor is not None and not callable(dropout_state_filter_visitor):
            raise TypeError(f"dropout_state_filter_visitor must be callable. Received: "
                            f"{dropout_state_filter_visitor}")
        self._dropout_state_filter = dropout_state_filter_visitor or _default_dropout_state_filter_visitor
        with ops.name_scope("DropoutWrapperInit"):
            for prob, attr in [(input_keep_prob, "input_keep_prob"), (state_keep_prob, "state_keep_prob"),
                               (output_keep_prob, "output_keep_prob")]:
                tensor_prob = ops.convert_to_tensor(prob)
                const_prob = tensor_util.constant_value(tensor_prob)
                if const_prob is not None:
                    if const_prob < 0 or const_prob > 1:
                        raise ValueError(f"Parameter {attr} must be between 0 and 1. Received {const_prob}")
                    setattr(self, f"_{attr}", float(const_prob))
                else:
                    setattr(self, f"_{attr}", tensor_prob)
        self._variational_recurrent = variational_recurrent
        self._seed = seed
        self._recurrent_input_noise = self._recurrent_state_noise = self._recurrent_output_noise = None
        if variational_recurrent:
            if dtype is None:
                raise ValueError("When variational_recurrent=True, dtype must be provided")

            def batch_noise(s, inner_seed):
                shape = array_ops.concat(([1], tensor_shape.TensorShape(s).as_list()), 0)
                return random_ops.random_uniform(shape, seed=inner_seed, dtype=dtype)
            if not isinstance(self._input_keep_prob, numbers.Real) or self._input_keep_prob < 1.0:
                if input_size is None:
                    raise ValueError("When variational_recurrent=True and input_keep_prob < 1.0 or is unknown, "
                                     "input_size must be provided")
                self._recurrent_input_noise = _enumerated_map_structure_up_to(
                    input_size, lambda i, s: batch_noise(s, self._gen_seed("input", i)), input_size)
            self._recurrent_state_noise = _enumerated_map_structure_up_to(
                cell.state_size, lambda i, s: batch_noise(s, self._gen_seed("state", i)), cell.state_size)
            self._recurrent_output_noise = _enumerated_map_structure_up_to(
                cell.output_size, lambda i, s: batch_noise(s, self._gen_seed("output", i)), cell.output_size)

    def _gen_seed(self, salt_prefix, index):
        if self._seed is None:
            return None
        import hashlib  # only a seeded DropoutWrapper needs it (OpenSSL loads slowly)
        string = (str(self._seed) + "%s_%d" % (salt_prefix, index)).encode("utf-8")
        return int(hashlib.md5(string).hexdigest()[:8], 16) & 0x7FFFFFFF

    def _dropout(self, values, salt_prefix, recurrent_noise, keep_prob, shallow_filtered_substructure=None):
        if shallow_filtered_substructure is None:
            shallow_filtered_substructure = values
        if not self._variational_recurrent:
            def dropout(i, do_dropout, v):
                if not isinstance(do_dropout, bool) or do_dropout:
                    return random_ops.dropout(v, rate=1.0 - keep_prob, seed=self._gen_seed(salt_prefix, i))
                return v
            return _enumerated_map_structure_up_to(shallow_filtered_substructure, dropout,
                                                   shallow_filtered_substructure, values)

        def variational(i, do_dropout, v, n):
            if not isinstance(do_dropout, bool) or do_dropout:
                binary_tensor = math_ops.floor(keep_prob + n)
                ret = math_ops.divide(v, keep_prob) * binary_tensor
                ret.set_shape(v.shape)
                return ret
            return v
        return _enumerated_map_structure_up_to(shallow_filtered_substructure, variational,
                                               shallow_filtered_substructure, values, recurrent_noise)

    def _call_wrapped_cell(self, inputs, state, cell_call_fn, **kwargs):
        def should_dropout(p):
            return (not isinstance(p, float)) or p < 1
        if should_dropout(self._input_keep_prob):
            inputs = self._dropout(inputs, "input", self._recurrent_input_noise, self._input_keep_prob)
        output, new_state = cell_call_fn(inputs, state, **kwargs)
        if should_dropout(self._state_keep_prob):
            shallow = nest.get_traverse_shallow_structure(self._dropout_state_filter, new_state)
            new_state = self._dropout(new_state, "state", self._recurrent_state_noise, self._state_keep_prob,
                                      shallow)
        if should_dropout(self._output_keep_prob):
            output = self._dropout(output, "output", self._recurrent_output_noise, self._output_keep_prob)
        return output, new_state


class ResidualWrapper(_RNNCellWrapperV1):
    """The wrapped cell's output plus its input (or ``residual_fn(inputs, outputs)``)."""

    def __init__(self, cell, residual_fn=None, **kwargs):
        super().__init__(cell, **kwargs)
        self._residual_fn = residual_fn

    def _call_wrapped_cell(self, inputs, state, cell_call_fn, **kwargs):
        outputs, new_state = cell_call_fn(inputs, state, **kwargs)

        def default_residual_fn(inputs, outputs):
            nest.assert_same_structure(inputs, outputs)
            nest.map_structure(lambda inp, out: inp.shape.assert_is_compatible_with(out.shape), inputs, outputs)
            return nest.map_structure(lambda inp, out: inp + out, inputs, outputs)
        return (self._residual_fn or default_residual_fn)(inputs, outputs), new_state
