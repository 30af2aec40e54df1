"""The TF1 optimizers with l1/l2 regularization in their update: FTRL-proximal, proximal gradient descent, proximal
Adagrad and Adagrad dual averaging, each applying TensorFlow's update op (ApplyFtrl, SparseApplyProximalAdagrad...,
in minitf.ops.proximal_training_ops) with TensorFlow's slots and node names."""

from minitf.framework import dtypes, ops
from minitf.ops import array_ops, constant_op, math_ops
from minitf.ops.proximal_training_ops import training_op
from minitf.train.optimizer import Optimizer, cast_to


class FtrlOptimizer(Optimizer):
    """FTRL-proximal (McMahan et al., 2013) with online L2 and, if ``l2_shrinkage_regularization_strength`` > 0,
    shrinkage-type L2 (the V2 ops). Slots: ``accum`` (starting at ``initial_accumulator_value``, named
    ``accum_name`` or the optimizer's name) and ``linear`` (zeros, ``linear_name`` or the name again: ``_1``)."""

    def __init__(self, learning_rate, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0, use_locking=False, name="Ftrl",
                 accum_name=None, linear_name=None, l2_shrinkage_regularization_strength=0.0, beta=None):
        super().__init__(use_locking, name)
        if initial_accumulator_value < 0.0:
            raise ValueError("initial_accumulator_value %f needs to be positive or zero" % initial_accumulator_value)
        if learning_rate_power > 0.0:
            raise ValueError("learning_rate_power %f needs to be negative or zero" % learning_rate_power)
        if l1_regularization_strength < 0.0:
            raise ValueError("l1_regularization_strength %f needs to be positive or zero"
                             % l1_regularization_strength)
        if l2_regularization_strength < 0.0:
            raise ValueError("l2_regularization_strength %f needs to be positive or zero"
                             % l2_regularization_strength)
        if l2_shrinkage_regularization_strength < 0.0:
            raise ValueError("l2_shrinkage_regularization_strength %f needs to be positive or zero"
                             % l2_shrinkage_regularization_strength)
        self._learning_rate = learning_rate
        self._learning_rate_power = learning_rate_power
        self._initial_accumulator_value = initial_accumulator_value
        self._l1_regularization_strength = l1_regularization_strength
        self._l2_regularization_strength = l2_regularization_strength
        self._beta = 0.0 if beta is None else beta
        self._l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self._accum_name = accum_name
        self._linear_name = linear_name

    def _create_slots(self, var_list):
        def accum_initializer(shape, dtype=dtypes.float32, partition_info=None):
            return array_ops.ones(shape=shape, dtype=dtype) * self._initial_accumulator_value

        for v in var_list:
            self._get_or_make_slot(v, accum_initializer, "accum", self._accum_name or self._name)
            self._zeros_slot(v, "linear", self._linear_name or self._name)

    def _prepare(self):
        """The scalars; beta enters as ``l2 + beta / (2 * max(learning_rate, 1e-36))`` (nodes in the graph)."""
        self._learning_rate_tensor = ops.convert_to_tensor(self._learning_rate, name="learning_rate")
        self._l1_regularization_strength_tensor = ops.convert_to_tensor(self._l1_regularization_strength,
                                                                        name="l1_regularization_strength")
        self._adjusted_l2_regularization_strength_tensor = ops.convert_to_tensor(
            self._l2_regularization_strength + self._beta / (2. * math_ops.maximum(self._learning_rate, 1e-36)),
            name="adjusted_l2_regularization_strength")
        self._beta_tensor = ops.convert_to_tensor(self._beta, name="beta")
        self._l2_shrinkage_regularization_strength_tensor = ops.convert_to_tensor(
            self._l2_shrinkage_regularization_strength, name="l2_shrinkage_regularization_strength")
        self._learning_rate_power_tensor = ops.convert_to_tensor(self._learning_rate_power,
                                                                 name="learning_rate_power")

    def _scalars(self, var):
        """lr, l1, l2 (adjusted), [l2_shrinkage,] lr_power cast to the variable's dtype; the V2 op with shrinkage."""
        scalars = [cast_to(t, var) for t in (self._learning_rate_tensor, self._l1_regularization_strength_tensor,
                                             self._adjusted_l2_regularization_strength_tensor)]
        if self._l2_shrinkage_regularization_strength <= 0.0:
            return "", scalars + [cast_to(self._learning_rate_power_tensor, var)]
        return "V2", scalars + [cast_to(self._l2_shrinkage_regularization_strength_tensor, var),
                                cast_to(self._learning_rate_power_tensor, var)]

    def _apply_dense(self, grad, var):
        accum, linear = self.get_slot(var, "accum"), self.get_slot(var, "linear")
        version, scalars = self._scalars(var)
        return training_op("ApplyFtrl" + version, [var._ref(), accum._ref(), linear._ref(), grad] + scalars,
                           self._use_locking, multiply_linear_by_lr=False).op

    def _apply_sparse(self, grad, var):
        accum, linear = self.get_slot(var, "accum"), self.get_slot(var, "linear")
        version, scalars = self._scalars(var)
        return training_op("SparseApplyFtrl" + version,
                           [var._ref(), accum._ref(), linear._ref(), grad.values, grad.indices] + scalars,
                           self._use_locking, multiply_linear_by_lr=False).op


class _ProximalRates:
    """The learning rate and l1/l2 strengths as tensors, passed to the ops as they are (no cast)."""

    def _prepare(self):
        self._learning_rate_tensor = ops.convert_to_tensor(self._learning_rate, name="learning_rate")
        self._l1_regularization_strength_tensor = ops.convert_to_tensor(self._l1_regularization_strength,
                                                                        name="l1_regularization_strength")
        self._l2_regularization_strength_tensor = ops.convert_to_tensor(self._l2_regularization_strength,
                                                                        name="l2_regularization_strength")

    def _rates(self):
        return [self._learning_rate_tensor, self._l1_regularization_strength_tensor,
                self._l2_regularization_strength_tensor]


class ProximalGradientDescentOptimizer(_ProximalRates, Optimizer):
    """FOBOS with a fixed rate: ``v = var - lr * grad; var = sign(v) * max(|v| - lr * l1, 0) / (1 + lr * l2)``."""

    def __init__(self, learning_rate, l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="ProximalGradientDescent"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._l1_regularization_strength = l1_regularization_strength
        self._l2_regularization_strength = l2_regularization_strength

    def _apply_dense(self, grad, var):
        return training_op("ApplyProximalGradientDescent", [var._ref()] + self._rates() + [grad],
                           self._use_locking).op

    def _apply_sparse(self, grad, var):
        return training_op("SparseApplyProximalGradientDescent",
                           [var._ref()] + self._rates() + [grad.values, grad.indices], self._use_locking).op


class ProximalAdagradOptimizer(_ProximalRates, Optimizer):
    """FOBOS with Adagrad's rate ``lr / sqrt(accumulator)``; the ``accumulator`` slot starts at
    ``initial_accumulator_value`` (a constant, as TensorFlow builds it)."""

    def __init__(self, learning_rate, initial_accumulator_value=0.1, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, use_locking=False, name="ProximalAdagrad"):
        if initial_accumulator_value <= 0.0:
            raise ValueError("initial_accumulator_value must be positive: %s" % initial_accumulator_value)
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_accumulator_value = initial_accumulator_value
        self._l1_regularization_strength = l1_regularization_strength
        self._l2_regularization_strength = l2_regularization_strength

    def _create_slots(self, var_list):
        for v in var_list:
            val = constant_op.constant(self._initial_accumulator_value, shape=v.get_shape(),
                                       dtype=v.dtype.base_dtype)
            self._get_or_make_slot(v, val, "accumulator", self._name)

    def _apply_dense(self, grad, var):
        acc = self.get_slot(var, "accumulator")
        return training_op("ApplyProximalAdagrad", [var._ref(), acc._ref()] + self._rates() + [grad],
                           self._use_locking).op

    def _apply_sparse(self, grad, var):
        acc = self.get_slot(var, "accumulator")
        return training_op("SparseApplyProximalAdagrad",
                           [var._ref(), acc._ref()] + self._rates() + [grad.values, grad.indices],
                           self._use_locking).op


class AdagradDAOptimizer(Optimizer):
    """Adagrad dual averaging: the variable is recomputed from the gradient sum (``gradient_accumulator``) and
    the squared-gradient sum (``gradient_squared_accumulator``) at step ``global_step + 1``."""

    def __init__(self, learning_rate, global_step, initial_gradient_squared_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0, use_locking=False,
                 name="AdagradDA"):
        if initial_gradient_squared_accumulator_value <= 0.0:
            raise ValueError("initial_gradient_squared_accumulator_value must be positive: %s"
                             % initial_gradient_squared_accumulator_value)
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_gradient_squared_accumulator_value = initial_gradient_squared_accumulator_value
        self._l1_regularization_strength = l1_regularization_strength
        self._l2_regularization_strength = l2_regularization_strength
        self._global_step = global_step
        self._global_step_on_worker = None

    def _create_slots(self, var_list):
        for v in var_list:
            g_val = constant_op.constant(0.0, shape=v.get_shape(), dtype=v.dtype.base_dtype)
            gg_val = constant_op.constant(self._initial_gradient_squared_accumulator_value, shape=v.get_shape(),
                                          dtype=v.dtype.base_dtype)
            self._get_or_make_slot(v, g_val, "gradient_accumulator", self._name)
            self._get_or_make_slot(v, gg_val, "gradient_squared_accumulator", self._name)

    def _prepare(self):
        self._learning_rate_tensor = ops.convert_to_tensor(self._learning_rate, name="learning_rate")
        self._global_step_on_worker = array_ops.identity(self._global_step) + 1

    def _inputs(self, var):
        """The slots (refs) and, after the gradient, lr, l1, l2 and this update's copy of the step."""
        slots = [self.get_slot(var, "gradient_accumulator")._ref(),
                 self.get_slot(var, "gradient_squared_accumulator")._ref()]
        global_step = array_ops.identity(self._global_step_on_worker)
        rates = [cast_to(self._learning_rate_tensor, var), cast_to(self._l1_regularization_strength, var),
                 cast_to(self._l2_regularization_strength, var), global_step]
        return slots, rates

    def _apply_dense(self, grad, var):
        slots, rates = self._inputs(var)
        return training_op("ApplyAdagradDA", [var._ref()] + slots + [grad] + rates, self._use_locking).op

    def _apply_sparse(self, grad, var):
        slots, rates = self._inputs(var)
        return training_op("SparseApplyAdagradDA", [var._ref()] + slots + [grad.values, grad.indices] + rates,
                           self._use_locking).op
