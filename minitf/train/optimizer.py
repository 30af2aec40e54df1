"""``tf.train.Optimizer``: compute_gradients, apply_gradients and minimize, with TensorFlow's node names."""

from minitf.framework import dtypes, ops
from minitf.framework.indexed_slices import IndexedSlices, convert_to_tensor_or_indexed_slices
from minitf.ops import (array_ops, control_flow_ops, gradients, init_ops, math_ops, segment_ops, state_ops,
                        variable_scope, variables)


def _var_key(var):
    return var.op.name


class Optimizer:
    """Base class of TF1 optimizers. Subclasses implement ``_create_slots``, ``_prepare`` and ``_apply_dense``."""

    GATE_NONE = 0
    GATE_OP = 1
    GATE_GRAPH = 2

    def __init__(self, use_locking, name):
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._use_locking = use_locking
        self._name = name
        self._slots = {}
        self._non_slot_dict = {}

    def get_name(self):
        return self._name

    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=GATE_OP, aggregation_method=None,
                 colocate_gradients_with_ops=False, name=None, grad_loss=None):
        grads_and_vars = self.compute_gradients(loss, var_list=var_list, gate_gradients=gate_gradients,
                                                aggregation_method=aggregation_method,
                                                colocate_gradients_with_ops=colocate_gradients_with_ops,
                                                grad_loss=grad_loss)
        vars_with_grad = [v for g, v in grads_and_vars if g is not None]
        if not vars_with_grad:
            raise ValueError("No gradients provided for any variable, check your graph for ops that do not support "
                             f"gradients, between variables {[str(v) for _, v in grads_and_vars]} and loss "
                             f"{loss}.")
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def compute_gradients(self, loss, var_list=None, gate_gradients=GATE_OP, aggregation_method=None,
                          colocate_gradients_with_ops=False, grad_loss=None):
        if callable(loss):
            loss = loss()
        self._assert_valid_dtypes([loss])
        if var_list is None:
            var_list = variables.trainable_variables()
        else:
            var_list = list(var_list.values()) if isinstance(var_list, dict) else list(var_list)
        if not var_list:
            raise ValueError("No variables to optimize.")
        var_refs = [v._ref() if hasattr(v, "_ref") else v for v in var_list]
        grads = gradients.gradients(loss, var_refs, grad_ys=grad_loss,
                                    gate_gradients=(gate_gradients == Optimizer.GATE_OP),
                                    aggregation_method=aggregation_method)
        if gate_gradients == Optimizer.GATE_GRAPH:
            grads = control_flow_ops.tuple(grads)
        grads_and_vars = list(zip(grads, var_list))
        self._assert_valid_dtypes([v for g, v in grads_and_vars if g is not None])
        return grads_and_vars

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        grads_and_vars = tuple(grads_and_vars)
        if not grads_and_vars:
            raise ValueError("No variables provided.")
        converted = []
        for g, v in grads_and_vars:
            if g is not None:
                g = convert_to_tensor_or_indexed_slices(g)
            if not isinstance(v, variables.Variable):
                raise TypeError(f"Can not convert a {type(v).__name__} into a variable to optimize.")
            converted.append((g, v))
        var_list = [v for g, v in converted if g is not None]
        if not var_list:
            raise ValueError(f"No gradients provided for any variable: {[str(v) for _, v in converted]}.")
        with ops.control_dependencies(None):
            self._create_slots(var_list)
        update_ops = []
        with ops.name_scope(name, self._name) as scope:
            self._prepare()
            for grad, var in converted:
                if grad is None:
                    continue
                with ops.name_scope("update_" + var.op.name):
                    if isinstance(grad, IndexedSlices):
                        if getattr(var, "constraint", None) is not None:
                            raise RuntimeError("Cannot use a constraint function on a sparse variable.")
                        update_ops.append(self._apply_sparse_duplicate_indices(grad, var))
                    else:
                        update_ops.append(self._apply_dense(grad, var))
            if global_step is None:
                apply_updates = self._finish(update_ops, scope)
            else:
                with ops.control_dependencies([self._finish(update_ops, "update")]):
                    apply_updates = state_ops.assign_add(global_step, 1, name=scope)
            if isinstance(apply_updates, ops.Tensor):
                apply_updates = apply_updates.op
            train_op = ops.get_collection_ref(ops.GraphKeys.TRAIN_OP)
            if apply_updates not in train_op:
                train_op.append(apply_updates)
            return apply_updates

    def _assert_valid_dtypes(self, tensors):
        valid = {dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64}
        for t in tensors:
            dtype = t.dtype.base_dtype
            if dtype not in valid:
                raise ValueError(f"Invalid type {dtype!r} for {t.name}, expected: "
                                 f"{[v for v in sorted(valid, key=lambda d: d.name)]}.")

    # -- hooks for subclasses ----------------------------------------------------------------------------------

    def _create_slots(self, var_list):
        pass

    def _prepare(self):
        pass

    def _apply_dense(self, grad, var):
        raise NotImplementedError(f"{type(self).__name__} must implement _apply_dense")

    def _apply_sparse_duplicate_indices(self, grad, var):
        """``_apply_sparse`` on the gradient with its duplicate rows summed (Unique and UnsortedSegmentSum)."""
        unique_indices, new_index_positions = segment_ops.unique(grad.indices)
        summed_values = array_ops.unsorted_segment_sum(grad.values, new_index_positions,
                                                       array_ops.shape(unique_indices)[0])
        return self._apply_sparse(IndexedSlices(summed_values, unique_indices, grad.dense_shape), var)

    def _apply_sparse(self, grad, var):
        raise NotImplementedError(f"{type(self).__name__} must implement _apply_sparse")

    def _finish(self, update_ops, name_scope):
        return control_flow_ops.group(*update_ops, name=name_scope)

    # -- slots ------------------------------------------------------------------------------------------------------

    def get_slot_names(self):
        return sorted(self._slots)

    def get_slot(self, var, name):
        named = self._slots.get(name)
        if not named:
            return None
        return named.get(_var_key(var))

    def variables(self):
        current_graph = ops.get_default_graph()
        result = [v for v in self._non_slot_dict.values() if v.graph is current_graph]
        for named in self._slots.values():
            result.extend(v for v in named.values() if v.graph is current_graph)
        return sorted(result, key=lambda v: v.name)

    def _slot_dict(self, slot_name):
        return self._slots.setdefault(slot_name, {})

    def _get_or_make_slot(self, var, initializer, slot_name, op_name, dtype=None):
        named = self._slot_dict(slot_name)
        key = _var_key(var)
        if key not in named:
            named[key] = create_slot(var, initializer, op_name, dtype=dtype)
        return named[key]

    def _zeros_slot(self, var, slot_name, op_name):
        return self._get_or_make_slot(var, init_ops.zeros_initializer(), slot_name, op_name)

    def _create_non_slot_variable(self, initial_value, name, colocate_with):
        graph = colocate_with.graph
        key = (name, graph)
        v = self._non_slot_dict.get(key)
        if v is None:
            v = variables.Variable(initial_value, name=name, trainable=False)
            self._non_slot_dict[key] = v
        return v

    def _get_non_slot_variable(self, name, graph=None):
        return self._non_slot_dict.get((name, graph or ops.get_default_graph()))

    def _call_if_callable(self, param):
        return param() if callable(param) else param


def create_slot(primary, initializer, name, dtype=None):
    """A slot variable ``<primary>/<name>`` (uniquified, e.g. ``w/Adam_1``), not trainable, never partitioned
    itself; the slot of a part of a partitioned variable is the same slice of the full slot
    ``<full name>/<slot name>``, as in TensorFlow's slot_creator."""
    dtype = dtype or primary.dtype.base_dtype
    shape = primary.shape
    with variable_scope.variable_scope(None, primary.op.name + "/" + name) as scope:
        scope.set_partitioner(None)
        slot = variable_scope.get_variable("", shape=shape, dtype=dtype, initializer=initializer,
                                           trainable=False)
    slice_info = getattr(primary, "_save_slice_info", None)
    if slice_info:
        real_slot_name = slot.name[len(primary.op.name + "/"):-2]
        n = slot.shape.ndims
        if n is None or n > 0:
            slot._set_save_slice_info(variables.Variable.SaveSliceInfo(
                slice_info.full_name + "/" + real_slot_name, slice_info.full_shape[:n], slice_info.var_offset[:n],
                slice_info.var_shape[:n]))
    return slot


def create_zeros_slot(primary, name, dtype=None, colocate_with_primary=True):
    return create_slot(primary, init_ops.zeros_initializer(), name, dtype)


def cast_to(value, var):
    return math_ops.cast(value, var.dtype.base_dtype)
