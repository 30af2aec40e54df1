"""The usual TF1 optimizers, each applying TensorFlow's own update op (ApplyGradientDescent, ApplyAdam, ...)."""

from minitf.framework import ops
from minitf.ops import control_flow_ops, init_ops, math_ops, state_ops
from minitf.ops.sparse_training_ops import sparse_apply
from minitf.train.optimizer import Optimizer, cast_to


def _tensor(value, name):
    return ops.convert_to_tensor(value() if callable(value) else value, name=name)


class GradientDescentOptimizer(Optimizer):
    """``var -= learning_rate * grad``."""

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._learning_rate_tensor = None

    def _prepare(self):
        self._learning_rate_tensor = _tensor(self._learning_rate, "learning_rate")

    def _apply_dense(self, grad, var):
        return state_ops.apply_op_update("ApplyGradientDescent",
                                         [var._ref(), cast_to(self._learning_rate_tensor, var), grad],
                                         {"T": var.dtype.base_dtype, "use_locking": self._use_locking}).op

    def _apply_sparse_duplicate_indices(self, grad, var):
        """ScatterSub adds duplicate rows up itself: no Unique first."""
        delta = grad.values * cast_to(self._learning_rate_tensor, var)
        return state_ops.scatter_sub(var, grad.indices, delta, use_locking=self._use_locking).op


class MomentumOptimizer(Optimizer):
    """``accum = momentum * accum + grad; var -= lr * accum`` (or the Nesterov form)."""

    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum", use_nesterov=False):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._momentum = momentum
        self._use_nesterov = use_nesterov

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self):
        self._learning_rate_tensor = _tensor(self._learning_rate, "learning_rate")
        self._momentum_tensor = _tensor(self._momentum, "momentum")

    def _apply_dense(self, grad, var):
        mom = self.get_slot(var, "momentum")
        return state_ops.apply_op_update(
            "ApplyMomentum",
            [var._ref(), mom._ref(), cast_to(self._learning_rate_tensor, var), grad,
             cast_to(self._momentum_tensor, var)],
            {"T": var.dtype.base_dtype, "use_locking": self._use_locking,
             "use_nesterov": self._use_nesterov}).op

    def _apply_sparse(self, grad, var):
        mom = self.get_slot(var, "momentum")
        return sparse_apply("SparseApplyMomentum",
                            [var._ref(), mom._ref(), cast_to(self._learning_rate_tensor, var), grad.values,
                             grad.indices, cast_to(self._momentum_tensor, var)],
                            {"use_locking": self._use_locking, "use_nesterov": self._use_nesterov}).op


class AdamOptimizer(Optimizer):
    """Adam with TensorFlow's bias-corrected step size and its ``beta1_power``/``beta2_power`` variables."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8, use_locking=False, name="Adam"):
        super().__init__(use_locking, name)
        self._lr, self._beta1, self._beta2, self._epsilon = learning_rate, beta1, beta2, epsilon

    def _get_beta_accumulators(self):
        graph = ops.get_default_graph()
        return (self._get_non_slot_variable("beta1_power", graph=graph),
                self._get_non_slot_variable("beta2_power", graph=graph))

    def _create_slots(self, var_list):
        first_var = min(var_list, key=lambda x: x.name)
        self._create_non_slot_variable(self._beta1, "beta1_power", first_var)
        self._create_non_slot_variable(self._beta2, "beta2_power", first_var)
        for v in var_list:
            self._zeros_slot(v, "m", self._name)
            self._zeros_slot(v, "v", self._name)

    def _prepare(self):
        self._lr_t = _tensor(self._lr, "learning_rate")
        self._beta1_t = _tensor(self._beta1, "beta1")
        self._beta2_t = _tensor(self._beta2, "beta2")
        self._epsilon_t = _tensor(self._epsilon, "epsilon")

    def _apply_dense(self, grad, var):
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        beta1_power, beta2_power = self._get_beta_accumulators()
        return state_ops.apply_op_update(
            "ApplyAdam",
            [var._ref(), m._ref(), v._ref(), cast_to(beta1_power, var), cast_to(beta2_power, var),
             cast_to(self._lr_t, var), cast_to(self._beta1_t, var), cast_to(self._beta2_t, var),
             cast_to(self._epsilon_t, var), grad],
            {"T": var.dtype.base_dtype, "use_locking": self._use_locking, "use_nesterov": False}).op

    def _apply_sparse(self, grad, var):
        """TensorFlow's sparse Adam: both moments decay everywhere (dense assigns), the step's rows are added with
        ScatterAdd, and the whole variable moves by ``lr * m / (sqrt(v) + epsilon)``."""
        beta1_power, beta2_power = self._get_beta_accumulators()
        beta1_power, beta2_power = cast_to(beta1_power, var), cast_to(beta2_power, var)
        lr_t, beta1_t = cast_to(self._lr_t, var), cast_to(self._beta1_t, var)
        beta2_t, epsilon_t = cast_to(self._beta2_t, var), cast_to(self._epsilon_t, var)
        lr = (lr_t * math_ops.sqrt(1 - beta2_power) / (1 - beta1_power))
        m = self.get_slot(var, "m")
        m_scaled_g_values = grad.values * (1 - beta1_t)
        m_t = state_ops.assign(m, m * beta1_t, use_locking=self._use_locking)
        with ops.control_dependencies([m_t]):
            m_t = state_ops.scatter_add(m, grad.indices, m_scaled_g_values, use_locking=self._use_locking)
        v = self.get_slot(var, "v")
        v_scaled_g_values = (grad.values * grad.values) * (1 - beta2_t)
        v_t = state_ops.assign(v, v * beta2_t, use_locking=self._use_locking)
        with ops.control_dependencies([v_t]):
            v_t = state_ops.scatter_add(v, grad.indices, v_scaled_g_values, use_locking=self._use_locking)
        v_sqrt = math_ops.sqrt(v_t)
        var_update = state_ops.assign_sub(var, lr * m_t / (v_sqrt + epsilon_t), use_locking=self._use_locking)
        return control_flow_ops.group(*[var_update, m_t, v_t])

    def _finish(self, update_ops, name_scope):
        with ops.control_dependencies(update_ops):
            beta1_power, beta2_power = self._get_beta_accumulators()
            update_beta1 = beta1_power.assign(beta1_power * self._beta1_t, use_locking=self._use_locking)
            update_beta2 = beta2_power.assign(beta2_power * self._beta2_t, use_locking=self._use_locking)
        return control_flow_ops.group(*update_ops + [update_beta1, update_beta2], name=name_scope)


class AdagradOptimizer(Optimizer):
    """``accum += grad**2; var -= lr * grad / sqrt(accum)``."""

    def __init__(self, learning_rate, initial_accumulator_value=0.1, use_locking=False, name="Adagrad"):
        if initial_accumulator_value <= 0.0:
            raise ValueError(f"initial_accumulator_value must be positive: {initial_accumulator_value}")
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_accumulator_value = initial_accumulator_value

    def _create_slots(self, var_list):
        for v in var_list:
            init = init_ops.constant_initializer(self._initial_accumulator_value, dtype=v.dtype.base_dtype)
            self._get_or_make_slot(v, init, "accumulator", self._name)

    def _prepare(self):
        self._learning_rate_tensor = _tensor(self._learning_rate, "learning_rate")

    def _apply_dense(self, grad, var):
        acc = self.get_slot(var, "accumulator")
        return state_ops.apply_op_update(
            "ApplyAdagrad", [var._ref(), acc._ref(), cast_to(self._learning_rate_tensor, var), grad],
            {"T": var.dtype.base_dtype, "use_locking": self._use_locking, "update_slots": True}).op

    def _apply_sparse(self, grad, var):
        acc = self.get_slot(var, "accumulator")
        return sparse_apply("SparseApplyAdagrad", [var._ref(), acc._ref(), cast_to(self._learning_rate_tensor, var),
                                                   grad.values, grad.indices],
                            {"use_locking": self._use_locking, "update_slots": True}).op


class RMSPropOptimizer(Optimizer):
    """RMSProp with momentum (and the centered variant), as TensorFlow's ApplyRMSProp."""

    def __init__(self, learning_rate, decay=0.9, momentum=0.0, epsilon=1e-10, use_locking=False, centered=False,
                 name="RMSProp"):
        super().__init__(use_locking, name)
        self._learning_rate, self._decay, self._momentum, self._epsilon = learning_rate, decay, momentum, epsilon
        self._centered = centered

    def _create_slots(self, var_list):
        for v in var_list:
            self._get_or_make_slot(v, init_ops.ones_initializer(dtype=v.dtype.base_dtype), "rms", self._name)
            if self._centered:
                self._zeros_slot(v, "mg", self._name)
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self):
        self._learning_rate_tensor = _tensor(self._learning_rate, "learning_rate")
        self._decay_tensor = _tensor(self._decay, "decay")
        self._momentum_tensor = _tensor(self._momentum, "momentum")
        self._epsilon_tensor = _tensor(self._epsilon, "epsilon")

    def _apply_dense(self, grad, var):
        rms, mom = self.get_slot(var, "rms"), self.get_slot(var, "momentum")
        scalars = [cast_to(t, var) for t in (self._learning_rate_tensor, self._decay_tensor,
                                             self._momentum_tensor, self._epsilon_tensor)]
        attrs = {"T": var.dtype.base_dtype, "use_locking": self._use_locking}
        if self._centered:
            mg = self.get_slot(var, "mg")
            return state_ops.apply_op_update("ApplyCenteredRMSProp",
                                             [var._ref(), mg._ref(), rms._ref(), mom._ref()] + scalars + [grad],
                                             attrs).op
        return state_ops.apply_op_update("ApplyRMSProp", [var._ref(), rms._ref(), mom._ref()] + scalars + [grad],
                                         attrs).op

    def _apply_sparse(self, grad, var):
        rms, mom = self.get_slot(var, "rms"), self.get_slot(var, "momentum")
        scalars = [cast_to(t, var) for t in (self._learning_rate_tensor, self._decay_tensor,
                                             self._momentum_tensor, self._epsilon_tensor)]
        attrs = {"use_locking": self._use_locking}
        if self._centered:
            mg = self.get_slot(var, "mg")
            return sparse_apply("SparseApplyCenteredRMSProp", [var._ref(), mg._ref(), rms._ref(), mom._ref()]
                                + scalars + [grad.values, grad.indices], attrs).op
        return sparse_apply("SparseApplyRMSProp", [var._ref(), rms._ref(), mom._ref()] + scalars
                            + [grad.values, grad.indices], attrs).op


class AdadeltaOptimizer(Optimizer):
    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-8, use_locking=False, name="Adadelta"):
        super().__init__(use_locking, name)
        self._lr, self._rho, self._epsilon = learning_rate, rho, epsilon

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "accum", self._name)
            self._zeros_slot(v, "accum_update", self._name)

    def _prepare(self):
        self._lr_t = _tensor(self._lr, "lr")
        self._rho_t = _tensor(self._rho, "rho")
        self._epsilon_t = _tensor(self._epsilon, "epsilon")

    def _apply_dense(self, grad, var):
        accum, accum_update = self.get_slot(var, "accum"), self.get_slot(var, "accum_update")
        return state_ops.apply_op_update(
            "ApplyAdadelta", [var._ref(), accum._ref(), accum_update._ref(), cast_to(self._lr_t, var),
                              cast_to(self._rho_t, var), cast_to(self._epsilon_t, var), grad],
            {"T": var.dtype.base_dtype, "use_locking": self._use_locking}).op

    def _apply_sparse(self, grad, var):
        accum, accum_update = self.get_slot(var, "accum"), self.get_slot(var, "accum_update")
        return sparse_apply("SparseApplyAdadelta",
                            [var._ref(), accum._ref(), accum_update._ref(), cast_to(self._lr_t, var),
                             cast_to(self._rho_t, var), cast_to(self._epsilon_t, var), grad.values, grad.indices],
                            {"use_locking": self._use_locking}).op
