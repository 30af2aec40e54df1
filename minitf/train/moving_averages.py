"""``tf.train.ExponentialMovingAverage`` and ``assign_moving_average``, with TensorFlow's slot names."""

from minitf.framework import dtypes, ops
from minitf.ops import control_flow_ops, math_ops, state_ops, variable_scope, variables
from minitf.train import optimizer as optimizer_lib


def assign_moving_average(variable, value, decay, zero_debias=True, name=None):
    """``variable -= (variable - value) * (1 - decay)``, optionally with Adam-style zero-debiasing."""
    with ops.name_scope(name, "AssignMovingAvg", [variable, value, decay]) as scope:
        decay = ops.convert_to_tensor(1.0 - decay, name="decay")
        if decay.dtype != variable.dtype.base_dtype:
            decay = math_ops.cast(decay, variable.dtype.base_dtype)
        if zero_debias:
            return _zero_debias(variable, value, decay, scope)
        return state_ops.assign_sub(variable, (variable - value) * decay, name=scope)


def _zero_debias(unbiased_var, value, decay, scope):
    """TensorFlow's zero-debiased update: a ``biased`` accumulator and a ``local_step`` counter per average."""
    with variable_scope.variable_scope(unbiased_var.name[:-len(":0")], values=[unbiased_var, value, decay]):
        with ops.control_dependencies(None):
            biased = variable_scope.get_variable("biased", shape=unbiased_var.shape, dtype=unbiased_var.dtype,
                                                 initializer=_zero_initializer(), trainable=False)
            local_step = variable_scope.get_variable("local_step", shape=[], dtype=unbiased_var.dtype,
                                                     initializer=_zero_initializer(), trainable=False)
    update_biased = state_ops.assign_sub(biased, (biased - value) * decay)  # back in the caller's name scope
    update_local_step = local_step.assign_add(1)
    bias_factor = 1 - math_ops.pow(1.0 - decay, update_local_step)
    return state_ops.assign(unbiased_var, update_biased / bias_factor, name=scope)


def _zero_initializer():
    from minitf.ops import init_ops
    return init_ops.zeros_initializer()


class ExponentialMovingAverage:
    """Shadow variables ``<var>/<name>`` tracking ``shadow -= (1 - decay) * (shadow - var)`` on each ``apply``."""

    def __init__(self, decay, num_updates=None, zero_debias=False, name="ExponentialMovingAverage"):
        self._decay = decay
        self._num_updates = num_updates
        self._zero_debias = zero_debias
        self._name = name
        self._averages = {}

    @property
    def name(self):
        return self._name

    def apply(self, var_list=None):
        if var_list is None:
            var_list = variables.trainable_variables()
        for v in var_list:
            if v.dtype.base_dtype not in (dtypes.float16, dtypes.float32, dtypes.float64):
                raise TypeError(f"The variables must be half, float, or double: {v.name}")
        zero_debias_true = set()
        for var in var_list:
            if var in self._averages:
                raise ValueError(f"Moving average already computed for: {var.name}")
            with ops.control_dependencies(None):
                if isinstance(var, variables.Variable):
                    avg = optimizer_lib.create_slot(var, var.initial_value, self._name)
                    ops.add_to_collection(ops.GraphKeys.MOVING_AVERAGE_VARIABLES, var)
                else:
                    avg = optimizer_lib.create_zeros_slot(var, self._name)
                    if self._zero_debias:
                        zero_debias_true.add(avg)
            self._averages[var] = avg
        with ops.name_scope(self._name) as scope:
            decay = ops.convert_to_tensor(self._decay, dtype=dtypes.float32, name="decay")
            if self._num_updates is not None:
                num_updates = math_ops.cast(self._num_updates, dtypes.float32, name="num_updates")
                decay = math_ops.minimum(decay, (1.0 + num_updates) / (10.0 + num_updates))
            updates = [assign_moving_average(self._averages[var], var, decay,
                                             zero_debias=self._averages[var] in zero_debias_true)
                       for var in var_list]
            return control_flow_ops.group(*updates, name=scope)

    def average(self, var):
        return self._averages.get(var)

    def average_name(self, var):
        if var in self._averages:
            return self._averages[var].op.name
        return var.op.name + "/" + self._name

    def variables_to_restore(self, moving_avg_variables=None):
        """A Saver ``var_list`` mapping each shadow name to its variable, so restoring loads the averages."""
        if moving_avg_variables is None:
            moving_avg_variables = variables.trainable_variables() + variables.moving_average_variables()
        name_map = {}
        unique = list(dict.fromkeys(moving_avg_variables))
        for v in unique:
            name_map[self.average_name(v)] = v
        names = {v.name for v in unique}
        for v in dict.fromkeys(variables.global_variables()):
            if v.name not in names and v.op.name not in name_map:
                name_map[v.op.name] = v
        return name_map
