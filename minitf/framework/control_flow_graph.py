"""What the graph model keeps for TF1 control flow (tf.cond, tf.while_loop): the current control-flow context,
each op's context, inputs a context rewires, and the tensors that cannot be fetched or fed.

``Graph`` and ``Operation`` (framework/ops.py) take these methods from the two mixins below; the contexts
themselves live in minitf/ops/control_flow_ops.py and while_loop.py.
"""


class OperationControlFlow:
    """Operation methods TensorFlow's control-flow code calls (``op._update_input`` ...)."""

    __slots__ = ()

    def _remove_all_control_inputs(self):
        self._control_inputs = []

    def _update_input(self, index, tensor):
        """Rewires input ``index`` to ``tensor`` (a loop's back edge, a value switched into a branch or entered
        into a frame)."""
        inputs = list(self._inputs)
        inputs[index] = tensor
        self._inputs = tuple(inputs)

    def _get_control_flow_context(self):
        return getattr(self, "_control_flow_context", None)  # unset until a context adds the op

    def _set_control_flow_context(self, ctx):
        self._control_flow_context = ctx


class GraphControlFlow:
    """Graph methods for control flow (the sets of unfetchable ops and unfeedable tensors are made on first use)."""

    _control_flow_context = None

    def _get_control_flow_context(self):
        """The CondContext or WhileContext new ops are created in (None outside tf.cond / tf.while_loop)."""
        return self._control_flow_context

    def _set_control_flow_context(self, ctx):
        self._control_flow_context = ctx

    def _add_op_to_control_flow_context(self, op):
        """Hands a new op to the current context, which switches or enters its inputs, inside the op's own name
        scope (where TensorFlow's op wrappers create it)."""
        ctx = self._control_flow_context
        if ctx is None:
            return
        op._control_flow_context = ctx
        with self.name_scope(op._name + "/"):
            ctx.AddOp(op)

    def _record_op_seen_by_control_dependencies(self, op):
        for controller in self._control_dependencies_stack:
            controller.seen_ops.add(op)

    def prevent_fetching(self, op):
        self.__dict__.setdefault("_unfetchable_ops", set()).add(op)

    def prevent_feeding(self, tensor):
        self.__dict__.setdefault("_unfeedable_tensors", set()).add(tensor)

    def is_fetchable(self, tensor_or_op):
        op = getattr(tensor_or_op, "_op", tensor_or_op)
        return op not in self.__dict__.get("_unfetchable_ops", ())

    def is_feedable(self, tensor):
        return tensor not in self.__dict__.get("_unfeedable_tensors", ())
