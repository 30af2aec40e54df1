"""What ``tf.gradients`` needs to differentiate through TF1 control flow (TensorFlow's control_flow_state.py)."""

from minitf.framework import dtypes, ops, tensor_util
from minitf.ops import array_ops, constant_op, control_flow_ops, stack_ops
from minitf.ops import control_flow_util as util


def ZerosLike(op, index):
    """Zeros for output ``index`` of ``op``; for a cond's Switch, made only in the branch not taken."""
    if not util.IsSwitch(op):
        return array_ops.zeros_like(op.outputs[index], optimize=False)
    return _ZerosLikeV1(op, index)


def _ZerosLikeV1(op, index):
    val = op.outputs[index]
    op_ctxt = op._get_control_flow_context()
    if op_ctxt:
        pred = op_ctxt.pred
        branch = op_ctxt.branch
        switch_val = control_flow_ops.switch(op.inputs[0], pred)[1 - branch]
        pivot = array_ops.identity(switch_val)  # ops inside zeros() run only on the other branch
        zeros_shape = array_ops.shape_internal(switch_val, optimize=False)
        with ops.control_dependencies([pivot]):
            return array_ops.zeros(zeros_shape, dtype=val.dtype)
    return array_ops.zeros_like(val, optimize=False)


class GradLoopState:
    """The state for building the gradient of one forward while loop: the forward loop's iteration counter,
    the gradient WhileContext counting back down, and the stacks that carry forward values to the gradient loop
    (``history_map``: forward tensor name -> its value popped in the gradient loop)."""

    def __init__(self, forward_ctxt, outer_grad_state):
        self._grad_sync = None
        self._forward_sync = None
        self._history_map = {}
        self._switch_map = {}
        self._unused_exits = []
        self._deferred_exits = []
        self._forward_loop_exits = list(forward_ctxt.loop_exits)
        self.pending_exits_count = len(forward_ctxt.loop_exits)
        self._outer_grad_state = outer_grad_state
        if outer_grad_state:
            outer_forward_ctxt = outer_grad_state.forward_context
        else:
            outer_forward_ctxt = forward_ctxt.outer_context
        if outer_forward_ctxt:
            outer_forward_ctxt.Enter()
        cnt, forward_index = forward_ctxt.AddForwardLoopCounter(outer_grad_state)
        if outer_forward_ctxt:
            outer_forward_ctxt.Exit()
        self._forward_context = forward_ctxt
        self._forward_index = forward_index
        from minitf.ops.while_loop import WhileContext
        if outer_grad_state:
            outer_forward_ctxt.AddName(cnt.name)
            history_cnt = outer_grad_state.AddForwardAccumulator(cnt)
            outer_grad_ctxt = outer_grad_state.grad_context
            outer_grad_ctxt.Enter()
            self._grad_context = WhileContext(
                maximum_iterations=forward_ctxt.maximum_iterations,
                parallel_iterations=forward_ctxt.parallel_iterations, back_prop=forward_ctxt.back_prop,
                swap_memory=forward_ctxt.swap_memory, name=forward_ctxt.name, grad_state=self)
            real_cnt = outer_grad_state.AddBackpropAccumulatedValue(history_cnt, cnt)
            self._grad_index = self._grad_context.AddBackpropLoopCounter(real_cnt, outer_grad_state)
            outer_grad_ctxt.Exit()
        else:
            if outer_forward_ctxt:
                outer_forward_ctxt.Enter()
            self._grad_context = WhileContext(
                maximum_iterations=forward_ctxt.maximum_iterations,
                parallel_iterations=forward_ctxt.parallel_iterations, back_prop=forward_ctxt.back_prop,
                swap_memory=forward_ctxt.swap_memory, name=forward_ctxt.name, grad_state=self)
            self._grad_index = self._grad_context.AddBackpropLoopCounter(cnt, outer_grad_state)
            if outer_forward_ctxt:
                outer_forward_ctxt.Exit()

    @property
    def outer_grad_state(self):
        return self._outer_grad_state

    @property
    def forward_context(self):
        return self._forward_context

    @property
    def forward_index(self):
        return self._forward_index

    @property
    def forward_sync(self):
        if self._forward_sync is None:
            with ops.control_dependencies(None):
                self._forward_sync = control_flow_ops.control_trigger(name="f_sync")
            self._forward_sync._set_control_flow_context(self._forward_context)
            self._forward_index.op._add_control_input(self._forward_sync)
        return self._forward_sync

    @property
    def grad_context(self):
        return self._grad_context

    @property
    def grad_index(self):
        return self._grad_index

    @property
    def grad_sync(self):
        if self._grad_sync is None:
            with ops.control_dependencies(None):
                self._grad_sync = control_flow_ops.control_trigger(name="b_sync")
            self._grad_sync._set_control_flow_context(self._grad_context)
            self._grad_index.op._add_control_input(self._grad_sync)
            if self._grad_context.outer_context:
                self._grad_context.outer_context.AddInnerOp(self._grad_sync)
        return self._grad_sync

    @property
    def history_map(self):
        return self._history_map

    @property
    def switch_map(self):
        return self._switch_map

    @property
    def unused_exits(self):
        return self._unused_exits

    @property
    def deferred_exits(self):
        return self._deferred_exits

    @property
    def forward_loop_exits(self):
        return self._forward_loop_exits

    def AddForwardAccumulator(self, value, dead_branch=False):
        """A stack (``f_acc``) that the forward loop pushes ``value`` onto in every iteration."""
        curr_ctxt = ops.get_default_graph()._get_control_flow_context()
        with ops.control_dependencies(None):
            if curr_ctxt:
                curr_ctxt.Enter()
            max_size = constant_op.constant(-1, dtypes.int32)
            acc = stack_ops.stack_v2(max_size=max_size, elem_type=value.dtype.base_dtype, name="f_acc")
            if curr_ctxt:
                curr_ctxt.Exit()
            enter_acc = self.forward_context.AddValue(acc)
            swap_enabled = self.forward_context.swap_memory
            value_ctxt = util.GetOutputContext(value.op)
            if value_ctxt == self.forward_context:
                self.forward_context.Enter()
                push = stack_ops.stack_push_v2(enter_acc, value, swap_memory=swap_enabled)
                self.forward_context.Exit()
                self.forward_index.op._add_control_input(push.op)  # the next iteration waits for the push
            else:
                if not isinstance(value_ctxt, control_flow_ops.CondContext):
                    raise TypeError("value_ctxt is not a CondContext: %s" % value_ctxt)
                if dead_branch:
                    value_ctxt.outer_context.Enter()
                    push = stack_ops.stack_push_v2(enter_acc, value, swap_memory=swap_enabled)
                    value_ctxt.outer_context.Exit()
                    push.op._set_control_flow_context(value_ctxt)
                else:
                    value_ctxt.Enter()
                    push = stack_ops.stack_push_v2(enter_acc, value, swap_memory=swap_enabled)
                    value_ctxt.Exit()
                self.forward_sync._add_control_input(push.op)
            add_op = self.forward_index.op.inputs[0].op
            push.op._add_control_input(add_op)
            return acc

    def AddBackpropAccumulatedValue(self, history_value, value, dead_branch=False):
        """The value ``value`` had in the forward iteration the gradient loop is in: a pop of its stack."""
        history_ctxt = history_value.op._get_control_flow_context()
        cond_ctxt = None
        value_ctxt = value.op._get_control_flow_context()
        while value_ctxt and value_ctxt != history_ctxt:
            if isinstance(value_ctxt, control_flow_ops.CondContext):
                cond_ctxt = value_ctxt
                break
            value_ctxt = value_ctxt.outer_context
        with ops.control_dependencies(None):
            self.grad_context.Enter()
            if cond_ctxt:
                grad_state = self
                pred = None
                while pred is None and grad_state:
                    pred = grad_state.history_map.get(cond_ctxt.pred.name)
                    grad_state = grad_state.outer_grad_state
                if pred is None:
                    pred = cond_ctxt.pred
                branch = (1 - cond_ctxt.branch) if dead_branch else cond_ctxt.branch
                history_value = control_flow_ops._SwitchRefOrTensor(history_value, pred)[branch]
            pop = stack_ops.stack_pop_v2(history_value, value.dtype.base_dtype)
            pop.set_shape(value.shape)
            self.grad_context.Exit()
        if self.grad_context.parallel_iterations > 1:
            self.grad_sync._add_control_input(pop.op)
        return pop

    def GetRealValue(self, value):
        """The gradient loop's version of the forward tensor ``value`` (through a stack unless invariant)."""
        real_value = self._history_map.get(value.name)
        if real_value is None:
            cur_value = value
            cur_grad_state = self
            while True:
                enter_op = util.GetLoopConstantEnter(cur_value)
                if enter_op:
                    cur_value = enter_op.inputs[0]
                    cur_grad_state = cur_grad_state.outer_grad_state
                    if cur_grad_state is None:
                        real_value = self._grad_context.AddValue(cur_value)
                        break
                elif cur_value.op.type == "Const":
                    real_value = constant_op.constant(tensor_util.constant_value(cur_value), dtype=cur_value.dtype)
                    break
                else:
                    self._grad_context.Exit()
                    history_value = cur_grad_state.AddForwardAccumulator(cur_value)
                    self._grad_context.Enter()
                    break
            if real_value is None:
                real_value = cur_grad_state.AddBackpropAccumulatedValue(history_value, cur_value)
                if cur_grad_state != self:
                    real_value = self._grad_context.AddValue(real_value)
            self._history_map[value.name] = real_value
        return real_value


class ControlFlowState:
    """The GradLoopState of every forward while loop that ``tf.gradients`` goes through."""

    def __init__(self):
        self._map = {}

    def GetGradState(self, op, before):
        if before and util.IsLoopExit(op):
            forward_ctxt = op._get_control_flow_context().outer_context
            if forward_ctxt:
                forward_ctxt = forward_ctxt.GetWhileContext()
        else:
            forward_ctxt = util.GetWhileContext(op)
        if forward_ctxt:
            return self._map.get(forward_ctxt)
        return None

    def ProcessUnusedLoopExits(self, pending_count, to_ops_set):
        """Exits nothing differentiated reads still need a (zero) gradient for the gradient loop to run."""
        loop_exits = []
        for grad_state in self._map.values():
            for y in grad_state.forward_loop_exits:
                if pending_count[y.op] == 0:
                    grad_state.pending_exits_count -= 1
                    if y.op not in to_ops_set:
                        grad_state.unused_exits.append(y)
                    if grad_state.pending_exits_count == 0:
                        loop_exits.extend(grad_state.unused_exits)
            for y in grad_state.forward_context.loop_enters:
                if pending_count[y.op] == 0:
                    pending_count[y.op] = 1
        return loop_exits

    def EnterGradWhileContext(self, op, before):
        grad_state = self.GetGradState(op, before)
        if grad_state:
            grad_state.grad_context.Enter()

    def ExitGradWhileContext(self, op, before):
        grad_state = self.GetGradState(op, before)
        if grad_state:
            grad_state.grad_context.Exit()

    def AddWhileContext(self, op, between_op_list, between_ops):
        forward_ctxt = util.GetWhileContext(op)
        grad_state = self._map.get(forward_ctxt)
        if grad_state is None:
            outer_forward_ctxt = forward_ctxt.outer_context
            if outer_forward_ctxt:
                outer_forward_ctxt = outer_forward_ctxt.GetWhileContext()
            outer_grad_state = None
            if outer_forward_ctxt:
                outer_grad_state = self._map.get(outer_forward_ctxt)
            grad_state = GradLoopState(forward_ctxt, outer_grad_state)
            self._map[forward_ctxt] = grad_state
            for loop_exit in grad_state.forward_loop_exits:
                if loop_exit.op not in between_ops:
                    between_ops.add(loop_exit.op)
                    between_op_list.append(loop_exit.op)

    def ZerosLikeForExit(self, val):
        val_shape = val.shape
        forward_ctxt = val.op._get_control_flow_context()
        outer_forward_ctxt = forward_ctxt.outer_context
        if outer_forward_ctxt:
            outer_forward_ctxt = outer_forward_ctxt.GetWhileContext()
        outer_grad_state = None
        if outer_forward_ctxt:
            outer_grad_state = self._map.get(outer_forward_ctxt)
        if outer_grad_state:
            if val_shape.is_fully_defined():
                outer_grad_state.grad_context.Enter()
                result = array_ops.zeros(val_shape.as_list(), val.dtype)
                outer_grad_state.grad_context.Exit()
            else:
                forward_ctxt.outer_context.Enter()
                shape = array_ops.shape_internal(val, optimize=False)
                forward_ctxt.outer_context.Exit()
                history_shape = outer_grad_state.AddForwardAccumulator(shape)
                outer_grad_ctxt = outer_grad_state.grad_context
                outer_grad_ctxt.Enter()
                real_shape = outer_grad_state.AddBackpropAccumulatedValue(history_shape, shape)
                result = array_ops.zeros(real_shape, val.dtype)
                outer_grad_ctxt.Exit()
        elif val_shape.is_fully_defined():
            result = array_ops.zeros(val_shape.as_list(), val.dtype)
        else:
            result = array_ops.zeros_like(val, optimize=False)
        return result

    def ZerosLikeV1WhileLoop(self, op, index):
        """Zeros for an output of ``op`` (inside a loop) that received no gradient; None for a loop Switch."""
        if util.IsLoopSwitch(op):
            return None
        dead_branch = util.IsSwitch(op)
        forward_ctxt = util.GetWhileContext(op)
        grad_state = self._map.get(forward_ctxt)
        if grad_state is None:
            return ZerosLike(op, index)
        op_ctxt = op._get_control_flow_context()
        val = ops.convert_to_tensor(op.outputs[index], name="tensor")
        shape = val.shape
        if shape.is_fully_defined():
            result = constant_op.constant(0, shape=shape.as_list(), dtype=val.dtype)
            if dead_branch:
                pred = grad_state.history_map.get(op_ctxt.pred.name)
                branch = op_ctxt.branch
                result = control_flow_ops._SwitchRefOrTensor(result, pred)[1 - branch]
        else:
            if dead_branch:
                pred = op_ctxt.pred
                branch = op_ctxt.branch
                op_ctxt.outer_context.Enter()
                val = control_flow_ops._SwitchRefOrTensor(op.inputs[0], pred)[1 - branch]
                zeros_shape = array_ops.shape_internal(val, optimize=False)
                op_ctxt.outer_context.Exit()
                val.op._set_control_flow_context(op_ctxt)
                zeros_shape.op._set_control_flow_context(op_ctxt)
            else:
                op_ctxt.Enter()
                zeros_shape = array_ops.shape_internal(val, optimize=False)
                op_ctxt.Exit()
            grad_state.grad_context.Exit()
            history_zeros_shape = grad_state.AddForwardAccumulator(zeros_shape, dead_branch=dead_branch)
            grad_state.grad_context.Enter()
            shape = grad_state.AddBackpropAccumulatedValue(history_zeros_shape, zeros_shape, dead_branch)
            result = array_ops.zeros(shape, val.dtype)
        return result

    def PostProcessing(self):
        """A gradient Merge whose back edge never got a gradient gets a zero NextIteration."""
        for grad_state in self._map.values():
            for b_merge in grad_state.switch_map.values():
                if b_merge.op.inputs[0] is b_merge.op.inputs[1]:
                    dtype = b_merge.op.inputs[0].dtype
                    shape = b_merge.op.inputs[0].shape
                    if shape.is_fully_defined():
                        grad_state.grad_context.Enter()
                        grad_val = constant_op.constant(0, dtype=dtype, shape=shape.as_list())
                        next_grad_val = control_flow_ops._NextIteration(grad_val)
                        grad_state.grad_context.Exit()
                    else:
                        outer_grad_ctxt = grad_state.grad_context.outer_context
                        if outer_grad_ctxt:
                            outer_grad_ctxt.Enter()
                        enter_grad_op = b_merge.op.inputs[0].op
                        enter_grad = enter_grad_op.inputs[0]
                        grad_shape = array_ops.shape_internal(enter_grad, optimize=False)
                        grad_val = array_ops.zeros(grad_shape)
                        if outer_grad_ctxt:
                            outer_grad_ctxt.Exit()
                        grad_state.grad_context.Enter()
                        next_grad_val = control_flow_ops._NextIteration(grad_val)
                        grad_state.grad_context.Exit()
                    b_merge.op._update_input(1, next_grad_val)


def MaybeCreateControlFlowState(between_op_list, between_ops):
    """A ControlFlowState when the ops between xs and ys go through a while loop's Exit, else None."""
    loop_state = None
    for op in between_op_list:
        if util.IsLoopExit(op):
            if loop_state is None:
                loop_state = ControlFlowState()
            loop_state.AddWhileContext(op, between_op_list, between_ops)
    return loop_state
