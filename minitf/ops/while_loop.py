"""``tf.while_loop`` as TensorFlow 1.x builds it: a WhileContext with Enter, Merge, LoopCond, Switch, Identity,
NextIteration and Exit per loop variable, in a frame named after the context (``while/while_context``).

Outside tensors used in the cond or body enter the frame through constant Enters (``is_constant=True``); ops
that would otherwise run once get a control input from the loop's pivot so that they run every iteration.
"""

from minitf.framework import meta_graph, nest, ops, tensor_shape
from minitf.ops import array_ops, constant_op, control_flow_ops, math_ops
from minitf.ops import control_flow_util as util
from minitf.ops.control_flow_ops import (ControlFlowContext, _convert_flow_to_tensorarray,
                                         _convert_tensorarray_to_flow, _Enter, _Identity, _is_tensor_array,
                                         _NextIteration, _SwitchRefOrTensor, exit, loop_cond, merge)


def _ShapeLessThanOrEqual(shape1, shape2):
    if shape2.ndims is None:
        return True
    if shape1.ndims != shape2.ndims:
        return False
    for dim1, dim2 in zip(shape1.as_tuple(), shape2.as_tuple()):
        if dim2 is not None and dim1 != dim2:
            return False
    return True


def _EnforceShapeInvariant(merge_var, next_var):
    m_shape = merge_var.shape
    n_shape = next_var.shape
    if not _ShapeLessThanOrEqual(n_shape, m_shape):
        enter = merge_var.op.inputs[0].op
        input_t = enter.inputs[0]
        raise ValueError(
            "Input tensor '%s' enters the loop with shape %s, but has shape %s after one iteration. To allow the "
            "shape to vary across iterations, use the `shape_invariants` argument of tf.while_loop to specify a "
            "less-specific shape." % (input_t.name, input_t.shape, n_shape))


def _AddNextAndBackEdge(m, v, enforce_shape_invariant=True):
    """Adds the NextIteration of ``v`` and the back edge from it to the loop Merge ``m``."""
    v = ops.convert_to_tensor(v)
    v = _NextIteration(v)
    if enforce_shape_invariant:
        _EnforceShapeInvariant(m, v)
    m.op._update_input(1, v)
    return v


class WhileContext(ControlFlowContext):
    """The context of one while loop; its name is the loop's frame name."""

    def __init__(self, maximum_iterations=None, parallel_iterations=10, back_prop=True, swap_memory=False,
                 name="while_context", grad_state=None, context_def=None, import_scope=None):
        self._grad_state = grad_state
        if context_def:
            self._init_from_proto(context_def, import_scope)
            return
        ControlFlowContext.__init__(self)
        if not isinstance(parallel_iterations, int) or parallel_iterations <= 0:
            raise ValueError("'parallel_iterations' must be a positive integer: %s" % parallel_iterations)
        self._name = ops.get_default_graph().unique_name(name)
        self._maximum_iterations = maximum_iterations
        self._parallel_iterations = parallel_iterations
        self._back_prop = back_prop
        self._swap_memory = swap_memory
        self._pivot_for_pred = None
        self._pivot_for_body = None
        self._pivot = None
        self._loop_exits = []
        self._loop_enters = []
        self._graph = ops.get_default_graph()

    def _init_from_proto(self, context_def, import_scope):
        graph = ops.get_default_graph()
        element = lambda name: graph.as_graph_element(meta_graph.prepend_name_scope(name, import_scope))  # noqa: E731
        self._name = meta_graph.prepend_name_scope(context_def.context_name, import_scope)
        self._maximum_iterations = (element(context_def.maximum_iterations_name)
                                    if context_def.maximum_iterations_name else None)
        self._parallel_iterations = context_def.parallel_iterations
        self._back_prop = context_def.back_prop
        self._swap_memory = context_def.swap_memory
        self._pivot_for_pred = element(context_def.pivot_for_pred_name)
        self._pivot_for_body = element(context_def.pivot_for_body_name)
        self._pivot = element(context_def.pivot_name)
        self._loop_exits = [element(name) for name in context_def.loop_exit_names]
        self._loop_enters = [element(name) for name in context_def.loop_enter_names]
        ControlFlowContext.__init__(self, values_def=context_def.values_def, import_scope=import_scope)
        if import_scope:  # the frame is named after the context, which now has the import scope
            for tensor_name in self._values:
                op = graph.as_graph_element(tensor_name).op
                if util.IsLoopEnter(op):
                    op._set_attr("frame_name", self.name)
        self._graph = graph

    def to_proto(self, export_scope=None):
        """The WhileContextDef TensorFlow stores in a MetaGraphDef's ``while_context`` collection."""
        if export_scope is not None and not self.name.startswith(export_scope):
            return None
        from minitf.proto import control_flow_pb2
        strip = lambda name: meta_graph.strip_name_scope(name, export_scope)  # noqa: E731
        context_def = control_flow_pb2.WhileContextDef()
        context_def.context_name = strip(self.name)
        context_def.parallel_iterations = self._parallel_iterations
        if self._maximum_iterations is not None:
            context_def.maximum_iterations_name = strip(self._maximum_iterations.name)
        context_def.back_prop = self._back_prop
        context_def.swap_memory = self._swap_memory
        context_def.pivot_for_pred_name = strip(self._pivot_for_pred.name)
        context_def.pivot_for_body_name = strip(self._pivot_for_body.name)
        context_def.pivot_name = strip(self._pivot.name)
        context_def.loop_exit_names.extend(strip(x.name) for x in self._loop_exits)
        context_def.loop_enter_names.extend(strip(x.name) for x in self._loop_enters)
        context_def.values_def.MergeFrom(self._to_values_def(export_scope))
        for nested in self._nested_contexts:
            nested.to_control_flow_context_def(context_def.nested_contexts.add())
        return context_def

    def to_control_flow_context_def(self, context_def, export_scope=None):
        context_def.while_ctxt.CopyFrom(self.to_proto(export_scope=export_scope))

    @staticmethod
    def from_proto(context_def, import_scope=None):
        ret = WhileContext(context_def=context_def, import_scope=import_scope)
        ret.Enter()
        for nested_def in context_def.nested_contexts:
            control_flow_ops.from_control_flow_context_def(nested_def, import_scope=import_scope)
        ret.Exit()
        return ret

    @property
    def maximum_iterations(self):
        return self._maximum_iterations

    @property
    def parallel_iterations(self):
        return self._parallel_iterations

    @property
    def back_prop(self):
        return self._back_prop

    @property
    def swap_memory(self):
        return self._swap_memory

    @property
    def pivot(self):
        return self._pivot

    @property
    def loop_enters(self):
        return self._loop_enters

    @property
    def loop_exits(self):
        return self._loop_exits

    @property
    def grad_state(self):
        return self._grad_state

    def GetWhileContext(self):
        return self

    def GetControlPivot(self):
        if self._pivot_for_body is not None:
            return self._pivot_for_body
        return self._pivot_for_pred

    def AddValue(self, val):
        """The version of ``val`` usable in the loop: a constant Enter for a tensor from outside."""
        result = val
        new_value = val.name not in self._values
        new_value &= val.op._get_control_flow_context() is not self
        if new_value:
            self._values.add(val.name)
            grad_ctxt = ops.get_default_graph()._get_control_flow_context()
            if grad_ctxt:
                grad_ctxt = grad_ctxt.GetWhileContext()
                if grad_ctxt.grad_state:
                    forward_ctxt = util.GetWhileContext(val.op)
                    if util.IsLoopExit(val.op):
                        forward_ctxt = forward_ctxt.outer_context
                        if forward_ctxt:
                            forward_ctxt = forward_ctxt.GetWhileContext()
                    if forward_ctxt == grad_ctxt.grad_state.forward_context:
                        real_val = grad_ctxt.grad_state.GetRealValue(val)
                        self._external_values[val.name] = real_val
                        return real_val
            if self._outer_context is not None:
                result = self._outer_context.AddValue(val)
            with ops.control_dependencies(None):
                enter = _Enter(result, self._name, is_constant=True,
                               parallel_iterations=self._parallel_iterations)
                enter.graph.prevent_feeding(enter)
                if self._outer_context:
                    self._outer_context.AddInnerOp(enter.op)
            self._FixControlInputsAndContext([enter])
            self._values.add(enter.name)
            self._external_values[val.name] = enter
            result = enter
        else:
            actual_val = self._external_values.get(val.name)
            if actual_val is not None:
                result = actual_val
        return result

    def AddOp(self, op):
        if op.type in ("Shape", "Size", "Rank"):
            grad_ctxt = ops.get_default_graph()._get_control_flow_context()
            if grad_ctxt:
                grad_ctxt = grad_ctxt.GetWhileContext()
                if grad_ctxt.grad_state:
                    op_input_forward_ctxt = util.GetWhileContext(op.inputs[0].op)
                    if op_input_forward_ctxt == grad_ctxt.grad_state.forward_context:
                        op_input_ctxt = op.inputs[0].op._get_control_flow_context()
                        op._set_control_flow_context(op_input_ctxt)
                        op_input_ctxt._AddOpInternal(op)
                        return
        self._AddOpInternal(op)

    def _AddOpInternal(self, op):
        """Enters ``op``'s outside inputs; external control inputs become Identities inside the loop."""
        if not op.inputs:
            control_inputs, external_inputs = self._RemoveExternalControlEdges(op)
            if not control_inputs:
                op._add_control_input(self.GetControlPivot().op)
            for x in op.outputs:
                self._values.add(x.name)
        else:
            for index in range(len(op.inputs)):
                x = op.inputs[index]
                real_x = self.AddValue(x)
                if real_x is not x:
                    op._update_input(index, real_x)
            _, external_inputs = self._RemoveExternalControlEdges(op)
            self._MaybeAddControlDependency(op)
            for x in op.outputs:
                self._values.add(x.name)
        if external_inputs:
            with ops.control_dependencies(None):
                self.Enter()
                external_inputs = [array_ops.identity(x.outputs[0]).op for x in external_inputs if x.outputs]
                self.Exit()
            op._add_control_inputs(external_inputs)
        if self._outer_context or not util.IsLoopExit(op):
            op.graph.prevent_fetching(op)
            for x in op.outputs:
                op.graph.prevent_feeding(x)
        if self._outer_context:
            self._outer_context.AddInnerOp(op)

    def _MaybeAddControlDependency(self, op):
        """An op whose inputs are all loop invariants gets the pivot as control input, to run per iteration."""
        if op.control_inputs:
            return
        if all(util.IsLoopConstantEnter(x.op) for x in op.inputs):
            op._add_control_input(self.GetControlPivot().op)

    def _FixControlInputsAndContext(self, enters):
        graph = ops.get_default_graph()
        for x in enters:
            inp_op = x.op.inputs[0].op
            control_inputs = graph._control_dependencies_for_inputs([inp_op])
            outer_control_inputs = []
            for op in control_inputs:
                keep_as_control_input = True
                op_ctxt = util.GetOutputContext(op)
                outer_ctxt = self.outer_context
                outer_while_context = None if outer_ctxt is None else outer_ctxt.GetWhileContext()
                while outer_ctxt != op_ctxt:
                    if outer_ctxt is None or outer_ctxt == outer_while_context:
                        keep_as_control_input = False
                        break
                    outer_ctxt = outer_ctxt.outer_context
                if keep_as_control_input:
                    outer_control_inputs.append(op)
            x.op._set_control_flow_context(self)
            x.op._add_control_inputs(outer_control_inputs)
            graph._record_op_seen_by_control_dependencies(x.op)

    # -- the gradient loop's counters and accumulators (called by control_flow_state.GradLoopState) --------------

    def AddForwardLoopCounter(self, outer_grad_state):
        """Adds ``n = 0; while (pivot) n++`` to the forward loop; returns (iterations taken, the NextIteration)."""
        n = constant_op.constant(0, name="f_count")
        if outer_grad_state is not None:
            outer_add_op = outer_grad_state.forward_index.op.inputs[0].op
            n.op._add_control_input(outer_add_op)
        self.Enter()
        self.AddName(n.name)
        enter_n = _Enter(n, self._name, is_constant=False, parallel_iterations=self._parallel_iterations,
                         name="f_count")
        self.loop_enters.append(enter_n)
        merge_n = merge([enter_n, enter_n])[0]
        switch_n = control_flow_ops.switch(merge_n, self._pivot)
        index = math_ops.add(switch_n[1], 1)
        next_n = _NextIteration(index)
        merge_n.op._update_input(1, next_n)
        total_iterations = exit(switch_n[0], name="f_count")
        self.loop_exits.append(total_iterations)
        self.ExitResult([total_iterations])
        self.Exit()
        return total_iterations, next_n

    def AddBackpropLoopCounter(self, count, outer_grad_state):
        """Adds ``n = count; while (n >= 1) n--`` as the gradient loop's condition; returns the NextIteration."""
        one = constant_op.constant(1, name="b_count")
        self.Enter()
        self.AddName(count.name)
        enter_count = _Enter(count, self._name, is_constant=False, parallel_iterations=self._parallel_iterations,
                             name="b_count")
        self.loop_enters.append(enter_count)
        merge_count = merge([enter_count, enter_count])[0]
        self._pivot_for_pred = merge_count
        pred = math_ops.greater_equal(merge_count, one)
        self._pivot = loop_cond(pred, name="b_count")
        switch_count = control_flow_ops.switch(merge_count, self._pivot)
        index = math_ops.subtract(switch_count[1], one)
        self._pivot_for_body = index
        next_count = _NextIteration(index)
        merge_count.op._update_input(1, next_count)
        final_zero = exit(switch_count[0], name="b_count")
        self.loop_exits.append(final_zero)
        if outer_grad_state is not None:
            outer_grad_state.grad_sync._add_control_input(final_zero.op)
        self.ExitResult([final_zero])
        self.Exit()
        return next_count

    def AddBackpropAccumulator(self, op, grad):
        """Adds ``acc = 0; while (pivot) acc += grad`` for a loop invariant's gradient; returns the sum."""
        self.Exit()
        shape = grad.shape
        if shape.is_fully_defined():
            if self.outer_context:
                self.outer_context.Enter()
            acc = constant_op.constant(0, grad.dtype, shape=shape, name="b_acc")
            if self.outer_context:
                self.outer_context.Exit()
        else:
            value = op.inputs[0]
            if isinstance(self.outer_context, WhileContext) and self.outer_context.grad_state is not None:
                forward_ctxt = self.grad_state.forward_context
                forward_ctxt.outer_context.Enter()
                zeros_shape = array_ops.shape_internal(value, optimize=False)
                forward_ctxt.outer_context.Exit()
                outer_grad_state = self.grad_state.outer_grad_state
                history_zeros_shape = outer_grad_state.AddForwardAccumulator(zeros_shape)
                self.outer_context.Enter()
                real_shape = outer_grad_state.AddBackpropAccumulatedValue(history_zeros_shape, zeros_shape)
                acc = array_ops.zeros(real_shape, grad.dtype)
                self.outer_context.Exit()
            else:
                if self.outer_context:
                    self.outer_context.Enter()
                zeros_shape = array_ops.shape_internal(value, optimize=False)
                acc = array_ops.zeros(zeros_shape, grad.dtype)
                if self.outer_context:
                    self.outer_context.Exit()
        self.Enter()
        self.AddName(acc.name)
        enter_acc = _Enter(acc, self._name, is_constant=False, parallel_iterations=self._parallel_iterations,
                           name="b_acc")
        self.loop_enters.append(enter_acc)
        merge_acc = merge([enter_acc, enter_acc], name="b_acc")[0]
        switch_acc_false, switch_acc_true = control_flow_ops.switch(merge_acc, self._pivot)
        add_acc = math_ops.add(switch_acc_true, grad)
        next_acc = _NextIteration(add_acc)
        merge_acc.op._update_input(1, next_acc)
        result_acc = exit(switch_acc_false, name="b_acc")
        self.loop_exits.append(result_acc)
        self.ExitResult([result_acc])
        return result_acc

    def _InitializeValues(self, values):
        self._values = set(x.name for x in values)

    def _BuildLoop(self, pred, body, flat_orig_loop_vars, flat_loop_vars, loop_vars_signature):
        flat_shape_invariants = nest.flatten(loop_vars_signature)
        self._InitializeValues(flat_loop_vars)
        if self._outer_context:
            real_vars = [self._outer_context.AddValue(x) for x in flat_loop_vars]
        else:
            real_vars = flat_loop_vars
        enter_vars = []
        with ops.control_dependencies(None):
            for real_var, shape_invariant in zip(real_vars, flat_shape_invariants):
                enter_var = _Enter(real_var, self._name, is_constant=False,
                                   parallel_iterations=self._parallel_iterations, use_input_shape=False)
                if _ShapeLessThanOrEqual(real_var.shape, shape_invariant):
                    enter_var.set_shape(shape_invariant)
                else:
                    raise ValueError(
                        f"The shape invariant specified for {real_var.name} is not compatible with the initial "
                        f"shape of the loop variable. It enters the loop with shape {real_var.shape}, but the "
                        f"specified shape invariant is {shape_invariant}.")
                enter_var.graph.prevent_feeding(enter_var)
                if self._outer_context:
                    self._outer_context.AddInnerOp(enter_var.op)
                enter_vars.append(enter_var)
        outer_context = self._outer_context
        control_pivot = None
        while outer_context is not None and control_pivot is None:
            control_pivot = outer_context.GetControlPivot()
            outer_context = outer_context._outer_context
        if control_pivot is not None:
            for var in enter_vars:
                if util.IsLoopConstantEnter(var.op.inputs[0].op):
                    var.op._add_control_input(control_pivot.op)
        self._FixControlInputsAndContext(enter_vars)
        self._InitializeValues(enter_vars)
        self._loop_enters = enter_vars

        merge_vars = [merge([x, x])[0] for x in enter_vars]
        self._pivot_for_pred = merge_vars[0]
        packed_vars = nest.pack_sequence_as(
            loop_vars_signature, [_convert_flow_to_tensorarray(orig, m) for orig, m in zip(flat_orig_loop_vars,
                                                                                          merge_vars)])
        c = ops.convert_to_tensor(pred(*packed_vars))
        self._pivot = loop_cond(c, name="LoopCond")
        switch_vars = [_SwitchRefOrTensor(x, self._pivot) for x in merge_vars]

        vars_for_body = [_Identity(x[1]) for x in switch_vars]
        self._pivot_for_body = vars_for_body[0]
        packed_vars_for_body = nest.pack_sequence_as(
            loop_vars_signature, [_convert_flow_to_tensorarray(orig, v) for orig, v in zip(flat_orig_loop_vars,
                                                                                          vars_for_body)])
        body_result = body(*packed_vars_for_body)
        if not nest.is_nested(body_result):
            body_result = [body_result]
        nest.assert_same_structure(list(packed_vars_for_body), list(body_result))
        original_body_result = body_result
        result = [ops.convert_to_tensor(_convert_tensorarray_to_flow(x)) for x in nest.flatten(body_result)]
        if len(merge_vars) != len(result):
            raise ValueError("Number of inputs and outputs of 'body' must match 'loop_vars'. Got "
                             f"{len(merge_vars)} for the number of inputs/outputs, and {len(result)} for "
                             "'loop_vars'.")
        for m, v in zip(merge_vars, result):
            _AddNextAndBackEdge(m, v)
        exit_vars = [exit(x[0]) for x in switch_vars]
        self._loop_exits = exit_vars
        self.ExitResult(exit_vars)
        return original_body_result, exit_vars

    def BuildLoop(self, pred, body, loop_vars, shape_invariants, return_same_structure):
        """A TensorArray among ``loop_vars`` travels through the loop as its flow tensor (TensorFlow's rule)."""
        loop_vars = nest.map_structure(lambda x: x if _is_tensor_array(x) else ops.convert_to_tensor(x), loop_vars)
        flat_orig_loop_vars = nest.flatten(loop_vars)
        flat_loop_vars = [_convert_tensorarray_to_flow(x) for x in flat_orig_loop_vars]
        if shape_invariants is not None:
            nest.assert_same_structure(loop_vars, shape_invariants, check_types=False)
            loop_vars_signature = nest.pack_sequence_as(
                loop_vars, [_shape_invariant(s) for s in nest.flatten(shape_invariants)])
        else:
            loop_vars_signature = nest.pack_sequence_as(loop_vars, [x.shape for x in flat_loop_vars])
        try:
            self.Enter()
            original_body_result, exit_vars = self._BuildLoop(pred, body, flat_orig_loop_vars, flat_loop_vars,
                                                              loop_vars_signature)
        finally:
            self.Exit()
        exit_vars_with_tensorarrays = [_convert_flow_to_tensorarray(orig, x) for orig, x in
                                       zip(nest.flatten(original_body_result), exit_vars)]
        packed_exit_vars = nest.pack_sequence_as(original_body_result, exit_vars_with_tensorarrays)
        if return_same_structure:
            return packed_exit_vars
        return packed_exit_vars[0] if len(exit_vars) == 1 else packed_exit_vars

    def IsWhileContext(self):
        return True


def _shape_invariant(shape):
    if not isinstance(shape, tensor_shape.TensorShape):
        raise TypeError(f"'shape' must be one of TypeSpec, TensorShape or None. Received: {type(shape)}")
    return shape


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10, back_prop=True,
               swap_memory=False, name=None, maximum_iterations=None, return_same_structure=False):
    """Repeats ``body`` while ``cond`` is true (TensorFlow 1.x's ``tf.while_loop``)."""
    if not callable(cond):
        raise TypeError("'cond' must be callable.")
    if not callable(body):
        raise TypeError("'body' must be callable.")
    if parallel_iterations < 1:
        raise TypeError("'parallel_iterations' must be a positive integer.")
    with ops.name_scope(name, "while", nest.flatten(loop_vars)):
        if not loop_vars:
            raise ValueError("'loop_vars' must be provided.")
        try_to_pack = len(loop_vars) == 1 and not return_same_structure
        if maximum_iterations is not None:
            maximum_iterations = ops.convert_to_tensor(maximum_iterations, name="maximum_iterations")
            if maximum_iterations.shape.ndims != 0:
                raise ValueError(f"'maximum_iterations' must be a scalar. Received shape: "
                                 f"{maximum_iterations.shape}")
            counter = constant_op.constant(0, dtype=maximum_iterations.dtype, name="iteration_counter")
            orig_cond = cond
            orig_body = body
            if try_to_pack:
                loop_vars = (counter, loop_vars[0])
                cond = lambda i, lv: math_ops.logical_and(i < maximum_iterations, orig_cond(lv))  # noqa: E731
                body = lambda i, lv: (i + 1, orig_body(lv))  # noqa: E731
            else:
                loop_vars = (counter, loop_vars)
                cond = lambda i, lv: math_ops.logical_and(i < maximum_iterations, orig_cond(*lv))  # noqa: E731
                body = lambda i, lv: (i + 1, orig_body(*lv))  # noqa: E731
        if shape_invariants is not None and maximum_iterations is not None:
            shape_invariants = (tensor_shape.TensorShape([]), shape_invariants)
        loop_context = WhileContext(maximum_iterations=maximum_iterations, parallel_iterations=parallel_iterations,
                                    back_prop=back_prop, swap_memory=swap_memory)
        if loop_context.outer_context is None:
            ops.add_to_collection(ops.GraphKeys.WHILE_CONTEXT, loop_context)
        result = loop_context.BuildLoop(cond, body, loop_vars, shape_invariants, return_same_structure)
        if maximum_iterations is not None:
            return result[1]
        return result


def _while_context_def():
    from minitf.proto import control_flow_pb2
    return control_flow_pb2.WhileContextDef


meta_graph.register_proto_function(ops.GraphKeys.WHILE_CONTEXT, _while_context_def,
                                   lambda c, export_scope=None: c.to_proto(export_scope), WhileContext.from_proto)
