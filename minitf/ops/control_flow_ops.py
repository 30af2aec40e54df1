"""TF1 control flow as TensorFlow builds it: the dataflow ops (Switch, Merge, Enter, Exit, NextIteration,
LoopCond), the contexts that route values into conditional branches and loop frames (``CondContext`` here,
``WhileContext`` in while_loop.py), and ``tf.no_op``, ``tf.group``, ``tf.tuple``, ``with_dependencies``.

An op created while a context is active (``graph._get_control_flow_context()``) is handed to the context's
``AddOp``, which replaces each input coming from outside by a Switch output (a cond) or an Enter (a loop), exactly
as TensorFlow's control_flow_ops.py does, so node names and graph structure are TensorFlow's.
"""

import builtins
import sys

import numpy as np

from minitf.framework import dtypes, meta_graph, nest, ops, tensor_shape
from minitf.framework.op_def_lib import pure, register
from minitf.ops import array_ops
from minitf.ops import control_flow_util as util

register("NoOp", lambda op: [], None)


# -- the dataflow ops ---------------------------------------------------------------------------------------------

class _Dead:
    """The value of a dead tensor: the untaken output of a Switch and everything computed from it."""

    __slots__ = ()

    def __repr__(self):
        return "DEAD"


DEAD = _Dead()


def _forward_infer(op):
    t = op.inputs[0]
    return [(t.dtype, t.shape)]


def _switch_infer(op):
    data, pred = op.inputs
    if pred.dtype.base_dtype != dtypes.bool:
        raise TypeError(f"Input 'pred' of '{op.type}' Op has type {pred.dtype.base_dtype.name} that does not match "
                        "expected type of bool.")
    if pred.shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {pred.shape.ndims}")
    return [(data.dtype, data.shape), (data.dtype, data.shape)]


def _switch_kernel(data, pred):
    return (DEAD, data) if pred else (data, DEAD)


def _merged_shape(shapes):
    """TensorFlow's MergeShape: the dims all inputs agree on, unknown where they differ."""
    first = shapes[0]
    if first.ndims is None:
        return tensor_shape.unknown_shape()
    dims = list(first.as_tuple())
    for s in shapes[1:]:
        if s.ndims is None or s.ndims != len(dims):
            return tensor_shape.unknown_shape()
        dims = [d if d == e else None for d, e in zip(dims, s.as_tuple())]
    return tensor_shape.TensorShape(dims)


def _merge_infer(op):
    first = op.inputs[0].dtype
    for t in op.inputs[1:]:
        if t.dtype.base_dtype != first.base_dtype:
            raise TypeError(f"Inputs to operation {op.name} of type {op.type} must have the same type: "
                            f"{first.base_dtype.name} vs {t.dtype.base_dtype.name}")
    dtype = first if op.type == "RefMerge" else first.base_dtype
    return [(dtype, _merged_shape([t.shape for t in op.inputs])), (dtypes.int32, tensor_shape.TensorShape([]))]


def _merge_kernel(*inputs):
    """The first live input and its index (the dataflow executor fires a Merge on its first live input)."""
    for i, value in enumerate(inputs):
        if value is not DEAD:
            return value, np.int32(i)
    return DEAD, DEAD


def _enter_infer(op):
    t = op.inputs[0]
    dtype = t.dtype if op.type == "RefEnter" else t.dtype.base_dtype
    return [(dtype, t.shape if op.get_attr("is_constant") else tensor_shape.unknown_shape())]


def _loop_cond_infer(op):
    t = op.inputs[0]
    if t.dtype.base_dtype != dtypes.bool:
        raise TypeError(f"Input 'input' of 'LoopCond' Op has type {t.dtype.base_dtype.name} that does not match "
                        "expected type of bool.")
    if t.shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {t.shape.ndims}")
    return [(dtypes.bool, tensor_shape.TensorShape([]))]


def _forward(x):
    return x


def _base_forward_infer(op):
    t = op.inputs[0]
    return [(t.dtype.base_dtype, t.shape)]


register("Switch", _switch_infer, pure(_switch_kernel), input_names=("data", "pred"), dataflow="switch")
register("RefSwitch", _switch_infer, pure(_switch_kernel), ref_inputs=(0,), input_names=("data", "pred"),
         dataflow="switch")
register("Merge", _merge_infer, pure(_merge_kernel), input_names=("inputs",), dataflow="merge")
register("RefMerge", _merge_infer, pure(_merge_kernel), ref_inputs=(0, 1), input_names=("inputs",),
         dataflow="merge")
register("Enter", _enter_infer, pure(_forward), input_names=("data",), dataflow="enter")
register("RefEnter", _enter_infer, pure(_forward), ref_inputs=(0,), input_names=("data",), dataflow="enter")
register("Exit", _base_forward_infer, pure(_forward), input_names=("data",), dataflow="exit")
register("RefExit", _forward_infer, pure(_forward), ref_inputs=(0,), input_names=("data",), dataflow="exit")
register("NextIteration", _base_forward_infer, pure(_forward), input_names=("data",), dataflow="next_iteration")
register("RefNextIteration", _forward_infer, pure(_forward), ref_inputs=(0,), input_names=("data",),
         dataflow="next_iteration")
register("LoopCond", _loop_cond_infer, pure(_forward), input_names=("input",), dataflow="loop_cond")
register("ControlTrigger", lambda op: [], lambda op, state: lambda: (), dataflow="trigger")
register("RefIdentity", _forward_infer, pure(_forward), ref_inputs=(0,), input_names=("input",))

# -- TensorArrays: a loop or cond carries one as its flow tensor ------------------------------------------------

def _is_tensor_array(value):
    """Whether ``value`` is a ``tf.TensorArray`` (minitf/ops/tensor_array_ops.py, when that module is loaded)."""
    module = sys.modules.get("minitf.ops.tensor_array_ops")
    return module is not None and isinstance(value, module.TensorArray)


def _convert_tensorarray_to_flow(tensor_or_tensor_array):
    if _is_tensor_array(tensor_or_tensor_array):
        return tensor_or_tensor_array.flow
    return tensor_or_tensor_array


def _convert_flow_to_tensorarray(tensor_or_tensor_array, tensor_or_flow):
    """``tensor_or_flow``, as a TensorArray like ``tensor_or_tensor_array`` when that is one."""
    if _is_tensor_array(tensor_or_tensor_array):
        module = sys.modules["minitf.ops.tensor_array_ops"]
        return module.build_ta_with_new_flow(tensor_or_tensor_array, tensor_or_flow)
    return tensor_or_flow


def _op(op_type, inputs, attrs, name):
    return ops.get_default_graph().create_op(op_type, inputs, attrs, name)


def _Identity(tensor, name=None):
    tensor = ops.convert_to_tensor(tensor)
    if tensor.dtype.is_ref_dtype:
        return _op("RefIdentity", [tensor], {"T": tensor.dtype.base_dtype}, name or "RefIdentity")._outputs[0]
    return array_ops.identity(tensor, name=name)


def _NextIteration(tensor, name=None):
    tensor = ops.convert_to_tensor(tensor)
    op_type = "RefNextIteration" if tensor.dtype.is_ref_dtype else "NextIteration"
    return _op(op_type, [tensor], {"T": tensor.dtype.base_dtype}, name or op_type)._outputs[0]


def _Enter(tensor, frame_name, is_constant=False, parallel_iterations=10, use_ref=True, use_input_shape=True,
           name=None):
    """Makes ``tensor`` available in the child frame ``frame_name`` (constant in it when ``is_constant``)."""
    tensor = ops.convert_to_tensor(tensor)
    op_type = "RefEnter" if tensor.dtype.is_ref_dtype and use_ref else "Enter"
    attrs = {"T": tensor.dtype.base_dtype, "frame_name": frame_name, "is_constant": bool(is_constant),
             "parallel_iterations": parallel_iterations}
    result = _op(op_type, [tensor], attrs, name or op_type)._outputs[0]
    if use_input_shape:
        result.set_shape(tensor.shape)
    return result


def exit(tensor, name=None):  # noqa: A001 -- TensorFlow's name
    """Makes ``tensor`` available in the parent frame."""
    tensor = ops.convert_to_tensor(tensor)
    op_type = "RefExit" if tensor.dtype.is_ref_dtype else "Exit"
    return _op(op_type, [tensor], {"T": tensor.dtype.base_dtype}, name or op_type)._outputs[0]


def switch(data, pred, dtype=None, name=None):
    """``(output_false, output_true)``: ``data`` goes to the output ``pred`` selects, the other one is dead."""
    with ops.name_scope(name, "Switch", [data, pred]) as name:
        data = ops.convert_to_tensor(data, dtype=dtype, name="data")
        pred = ops.convert_to_tensor(pred, name="pred")
        return builtins.tuple(_op("Switch", [data, pred], {"T": data.dtype.base_dtype}, name)._outputs)


def ref_switch(data, pred, name=None):
    return builtins.tuple(_op("RefSwitch", [data, pred], {"T": data.dtype.base_dtype}, name or "RefSwitch")._outputs)


def _SwitchRefOrTensor(data, pred, name="Switch"):
    data = ops.convert_to_tensor(data, name="data")
    if data.dtype.is_ref_dtype:
        return ref_switch(data, pred, name=name)
    return switch(data, pred, name=name)


def merge(inputs, name=None):
    """``(output, value_index)``: the value of whichever input is alive."""
    if any(inp is None for inp in inputs):
        raise ValueError("At least one of the merge inputs is None: %s" % inputs)
    with ops.name_scope(name, "Merge", inputs) as name:
        inputs = [ops.convert_to_tensor(inp) for inp in inputs]
        op_type = "RefMerge" if all(t.dtype.is_ref_dtype for t in inputs) else "Merge"
        attrs = {"T": inputs[0].dtype.base_dtype, "N": len(inputs)}
        return builtins.tuple(_op(op_type, inputs, attrs, name)._outputs)


def loop_cond(input, name=None):  # noqa: A002
    return _op("LoopCond", [ops.convert_to_tensor(input)], None, name or "LoopCond")._outputs[0]


def control_trigger(name=None):
    return _op("ControlTrigger", [], None, name or "ControlTrigger")


def no_op(name=None):
    return ops.get_default_graph().create_op("NoOp", [], None, name or "NoOp")


def _as_ops(inputs):
    result = []
    for item in inputs:
        if hasattr(item, "_as_graph_element") and not isinstance(item, (ops.Tensor, ops.Operation)):
            item = item._as_graph_element()
        if isinstance(item, ops.Tensor):
            item = item.op
        if not isinstance(item, ops.Operation):
            raise TypeError(f"'{item}' is not an Operation or Tensor")
        result.append(item)
    return result


def _group_on_device(device, deps, name=None):
    """A NoOp after ``deps``, on ``device`` (no device means the enclosing ``tf.device`` block's, as in TF)."""
    with ops.control_dependencies(deps):
        if not device:
            return no_op(name=name)
        with ops.device(device):
            return no_op(name=name)


def group(*inputs, name=None):
    """An op that runs all ``inputs``: a NoOp with them as control inputs.

    As in TensorFlow, the NoOp is placed on the inputs' device when they share one; inputs on several devices get
    one NoOp per device (sorted by device name), which the returned NoOp waits for.
    """
    deps = _as_ops(inputs)
    with ops.name_scope(name, "group_deps", deps) as scope:
        on_device = {}
        for op in deps:
            on_device.setdefault(op.device, []).append(op)
        if len(on_device) <= 1:
            return _group_on_device(next(iter(on_device), ""), deps, name=scope)
        per_device = [_group_on_device(device, on_device[device]) for device in sorted(on_device)]
        with ops.control_dependencies(per_device):
            return no_op(name=scope)


def with_dependencies(dependencies, output_tensor, name=None):
    """``output_tensor`` passed through an Identity that runs after ``dependencies``."""
    with ops.name_scope(name, "control_dependency", list(dependencies) + [output_tensor]) as scope:
        with ops.control_dependencies(dependencies):
            output_tensor = ops.convert_to_tensor(output_tensor)
            return _Identity(output_tensor, name=scope)


def tuple(tensors, name=None, control_inputs=None):  # noqa: A001 -- TensorFlow's public name
    """The ``tensors`` passed through Identities that all wait for all of them (``tf.tuple``)."""
    with ops.name_scope(name, "tuple", tensors) as scope:
        gating_ops = [t.op for t in tensors if t is not None]
        if control_inputs:
            gating_ops += _as_ops(control_inputs)
        gating_ops = sorted(set(gating_ops), key=lambda op: op._id)
        if not gating_ops:
            raise ValueError("'tensors' must have at least one Tensor: %s" % tensors)
        gate = group(*gating_ops)
        return [None if t is None else with_dependencies([gate], t) for t in tensors]


# -- contexts -----------------------------------------------------------------------------------------------------

class ControlFlowContext:
    """The base of CondContext and WhileContext.

    The graph's current context (``graph._get_control_flow_context()``) changes with ``Enter()``/``Exit()``; each
    op remembers the context it was created in (``op._get_control_flow_context()``); a context remembers the one
    it was created in (``outer_context``). ``_values`` holds the names of the tensors usable inside, and
    ``_external_values`` maps an outside tensor's name to its switched or entered version inside.
    """

    def __init__(self, values_def=None, import_scope=None):
        self._nested_contexts = []
        self._outer_context = ops.get_default_graph()._get_control_flow_context()
        if self._outer_context:
            self._outer_context._nested_contexts.append(self)
        self._context_stack = []
        if values_def:
            self._init_values_from_proto(values_def, import_scope)
        else:
            self._values = set()
            self._external_values = {}

    def _init_values_from_proto(self, values_def, import_scope):
        """Values from a MetaGraphDef's ValuesDef; the ops whose outputs it lists get this context."""
        graph = ops.get_default_graph()
        self._values = {meta_graph.prepend_name_scope(v, import_scope) for v in values_def.values}
        self._external_values = {}
        for k, v in values_def.external_values.items():
            self._external_values[meta_graph.prepend_name_scope(k, import_scope)] = graph.as_graph_element(
                meta_graph.prepend_name_scope(v, import_scope))
        op_names = {name.split(":")[0] for name in self._values - set(self._external_values)}
        for op_name in op_names:
            graph.as_graph_element(op_name)._set_control_flow_context(self)

    def _to_values_def(self, export_scope=None):
        from minitf.proto import control_flow_pb2
        values_def = control_flow_pb2.ValuesDef()
        values_def.values.extend(meta_graph.strip_name_scope(v, export_scope) for v in sorted(self._values))
        for k, v in self._external_values.items():
            values_def.external_values[meta_graph.strip_name_scope(k, export_scope)] = \
                meta_graph.strip_name_scope(v.name, export_scope)
        return values_def

    @property
    def name(self):
        return self._name

    @property
    def outer_context(self):
        return self._outer_context

    def AddName(self, name):
        self._values.add(name)

    def Enter(self):
        graph = ops.get_default_graph()
        self._context_stack.append(graph._get_control_flow_context())
        graph._set_control_flow_context(self)

    def Exit(self):
        graph = ops.get_default_graph()
        graph._set_control_flow_context(self._context_stack.pop())

    def ExitResult(self, result):
        """Makes the tensors in ``result`` known to the outer context."""
        if self._outer_context:
            for x in nest.flatten(result):
                self._outer_context.AddName(x.name)

    def GetWhileContext(self):
        if self._outer_context:
            return self._outer_context.GetWhileContext()
        return None

    def _RemoveExternalControlEdges(self, op):
        """Drops ``op``'s control inputs from outside the innermost while loop; returns (internal, external)."""
        while_ctxt = self.GetWhileContext()
        if while_ctxt is None:
            internal_control_inputs, external_control_inputs = op.control_inputs, []
        else:
            internal_control_inputs, external_control_inputs = [], []
            for x in op.control_inputs:
                ctxt = util.GetOutputContext(x)
                if ctxt is not None and ctxt.GetWhileContext() == while_ctxt:
                    internal_control_inputs.append(x)
                else:
                    external_control_inputs.append(x)
        if len(internal_control_inputs) != len(op.control_inputs):
            op._remove_all_control_inputs()
            op._add_control_inputs(internal_control_inputs)
        return internal_control_inputs, external_control_inputs

    def AddInnerOp(self, op):
        if self._outer_context:
            self._outer_context.AddInnerOp(op)

    def GetControlPivot(self):
        return None

    def IsWhileContext(self):
        return False

    def IsCondContext(self):
        return False

    def __str__(self):
        return self.name


class CondContext(ControlFlowContext):
    """One branch of a tf.cond: values from outside enter through ``Switch(value, pred)[branch]``."""

    def __init__(self, pred=None, pivot=None, branch=None, name="cond_text", context_def=None,
                 import_scope=None):
        self._name = ops.get_default_graph().unique_name(name)
        if context_def:
            self._init_from_proto(context_def, import_scope)
            return
        ControlFlowContext.__init__(self)
        self._pred = pred
        self._pivot = pivot
        self._branch = branch
        self._values.add(pred.name)
        self._external_values[pred.name] = pred
        self._values.add(pivot.name)
        pivot.op._set_control_flow_context(self)

    def _init_from_proto(self, context_def, import_scope):
        graph = ops.get_default_graph()
        self._name = meta_graph.prepend_name_scope(context_def.context_name, import_scope)
        self._pred = graph.as_graph_element(meta_graph.prepend_name_scope(context_def.pred_name, import_scope))
        self._pivot = graph.as_graph_element(meta_graph.prepend_name_scope(context_def.pivot_name, import_scope))
        self._branch = context_def.branch
        ControlFlowContext.__init__(self, values_def=context_def.values_def, import_scope=import_scope)

    def to_proto(self, export_scope=None):
        """The CondContextDef TensorFlow stores in a MetaGraphDef's ``cond_context`` collection."""
        if export_scope is not None and not self.name.startswith(export_scope):
            return None
        from minitf.proto import control_flow_pb2
        context_def = control_flow_pb2.CondContextDef()
        context_def.context_name = meta_graph.strip_name_scope(self.name, export_scope)
        context_def.pred_name = meta_graph.strip_name_scope(self._pred.name, export_scope)
        context_def.pivot_name = meta_graph.strip_name_scope(self._pivot.name, export_scope)
        context_def.branch = self._branch
        context_def.values_def.MergeFrom(self._to_values_def(export_scope))
        for nested in self._nested_contexts:
            nested.to_control_flow_context_def(context_def.nested_contexts.add())
        return context_def

    def to_control_flow_context_def(self, context_def, export_scope=None):
        context_def.cond_ctxt.CopyFrom(self.to_proto(export_scope=export_scope))

    @staticmethod
    def from_proto(context_def, import_scope=None):
        ret = CondContext(context_def=context_def, import_scope=import_scope)
        ret.Enter()
        for nested_def in context_def.nested_contexts:
            from_control_flow_context_def(nested_def, import_scope=import_scope)
        ret.Exit()
        return ret

    @property
    def pred(self):
        return self._pred

    @property
    def pivot(self):
        return self._pivot

    @property
    def branch(self):
        return self._branch

    @property
    def grad_state(self):
        if self.GetWhileContext():
            return self.GetWhileContext().grad_state
        return None

    @property
    def back_prop(self):
        if self.GetWhileContext():
            return self.GetWhileContext().back_prop
        return False

    def GetControlPivot(self):
        return self._pivot

    def AddValue(self, val):
        """The version of ``val`` usable in this branch (a Switch output for an outside tensor)."""
        if val.name in self._values:
            result = self._external_values.get(val.name)
            return val if result is None else result
        result = val
        self._values.add(val.name)
        if self._outer_context:
            result = self._outer_context.AddValue(val)
            self._values.add(result.name)
            self._external_values[result.name] = result
        with ops.control_dependencies(None):
            result = _SwitchRefOrTensor(result, self._pred)[self._branch]
            if self._outer_context:
                self._outer_context.AddInnerOp(result.op)
        result.op.graph.prevent_fetching(result.op)
        result.op._set_control_flow_context(self)
        ctxt = self
        while ctxt is not None:
            ctxt._values.add(result.name)
            ctxt = ctxt._outer_context
        self._external_values[val.name] = result
        return result

    def AddOp(self, op):
        self._AddOpInternal(op)

    def _AddOpInternal(self, op):
        if not op.inputs:
            self._RemoveExternalControlEdges(op)
            if not any(util.OpInContext(input_op, self) for input_op in op.control_inputs):
                op._add_control_input(self._pivot.op)  # an input-less op runs only when the branch is taken
        else:
            for index in range(len(op.inputs)):
                x = op.inputs[index]
                if op.type == "Merge" and x.op.type == "NextIteration":
                    real_x = x
                else:
                    real_x = self.AddValue(x)
                if real_x is not x:
                    op._update_input(index, real_x)
            self._RemoveExternalControlEdges(op)
        output_names = [x.name for x in op.outputs]
        ctxt = self
        while ctxt is not None:
            ctxt._values.update(output_names)
            ctxt = ctxt._outer_context
        if self._outer_context or not util.IsLoopExit(op):
            op.graph.prevent_fetching(op)
        if self._outer_context:
            self._outer_context.AddInnerOp(op)

    def _ProcessOutputTensor(self, val):
        """The branch's version of a result tensor: results made outside the branch are switched in."""
        real_val = val
        if val.name not in self._values:
            self._values.add(val.name)
            if self._outer_context:
                real_val = self._outer_context.AddValue(val)
                self._values.add(real_val.name)
                self._external_values[real_val.name] = real_val
            real_val = _SwitchRefOrTensor(real_val, self._pred)[self._branch]
            self._external_values[val.name] = real_val
        else:
            external_val = self._external_values.get(val.name)
            if external_val is not None:
                real_val = external_val
        return real_val

    def _BuildCondTensor(self, v):
        if isinstance(v, ops.Operation):
            return with_dependencies([v], self._pivot)  # a branch returning an op yields the pivot after it
        return self._ProcessOutputTensor(ops.convert_to_tensor(_convert_tensorarray_to_flow(v)))

    def BuildCondBranch(self, fn):
        """Calls ``fn`` inside this branch; returns (its result, the branch's tensors for Merge)."""
        original_result = fn()
        if original_result is None:
            return None, None
        result = nest.map_structure(self._BuildCondTensor, original_result)
        if not isinstance(result, (list, builtins.tuple)):
            result = [result]
        return original_result, result

    def IsCondContext(self):
        return True


def from_control_flow_context_def(context_def, import_scope=None):
    """The CondContext or WhileContext a ControlFlowContextDef describes (nested in a MetaGraphDef's contexts)."""
    if context_def.HasField("cond_ctxt"):
        return CondContext.from_proto(context_def.cond_ctxt, import_scope=import_scope)
    from minitf.ops.while_loop import WhileContext
    return WhileContext.from_proto(context_def.while_ctxt, import_scope=import_scope)


def _cond_context_def():
    from minitf.proto import control_flow_pb2
    return control_flow_pb2.CondContextDef


meta_graph.register_proto_function(ops.GraphKeys.COND_CONTEXT, _cond_context_def,
                                   lambda c, export_scope=None: c.to_proto(export_scope), CondContext.from_proto)
