"""Questions about control-flow ops and contexts, as TensorFlow's control_flow_util.py answers them."""


def IsSwitch(op):
    return op.type in ("Switch", "RefSwitch")


def IsMerge(op):
    return op.type in ("Merge", "RefMerge")


def IsLoopEnter(op):
    return op.type in ("Enter", "RefEnter")


def IsLoopExit(op):
    return op.type in ("Exit", "RefExit")


def IsLoopConstantEnter(op):
    return IsLoopEnter(op) and op.get_attr("is_constant")


def IsCondSwitch(op):
    """A Switch built by tf.cond: every consumer of its outputs sits in a CondContext."""
    if not IsSwitch(op) or not op.outputs:
        return False
    is_cond_switch = True
    for o in op.outputs:
        for c in o.consumers():
            ctxt = c._get_control_flow_context()
            if IsLoopEnter(c):
                ctxt = ctxt.outer_context
            is_cond_switch = is_cond_switch and (ctxt is not None and ctxt.IsCondContext())
    return is_cond_switch


def IsCondMerge(op):
    if not IsMerge(op) or not op.inputs:
        return False
    is_cond_merge = True
    for i in op.inputs:
        ctxt = GetOutputContext(i.op)
        is_cond_merge = is_cond_merge and ctxt is not None and ctxt.IsCondContext()
    return is_cond_merge


def IsLoopSwitch(op):
    if IsSwitch(op):
        ctxt = op._get_control_flow_context()
        return ctxt is not None and ctxt.IsWhileContext() and not IsCondSwitch(op)
    return False


def IsLoopMerge(op):
    if IsMerge(op):
        ctxt = op._get_control_flow_context()
        return ctxt is not None and ctxt.IsWhileContext() and not IsCondMerge(op)
    return False


def GetLoopConstantEnter(value):
    """The constant Enter ``value`` comes from, through Identities, or None."""
    id_ops = {"Switch", "RefSwitch", "Identity", "RefIdentity"}
    op = value.op
    while op.type in id_ops:
        op = op.inputs[0].op
    return op if IsLoopConstantEnter(op) else None


def GetOutputContext(op):
    """The context of ``op``'s outputs: an Exit's outputs belong to the loop's outer context."""
    ctxt = op._get_control_flow_context()
    if ctxt is not None and IsLoopExit(op):
        ctxt = ctxt.outer_context
    return ctxt


def GetContainingWhileContext(ctxt, stop_ctxt=None):
    while ctxt:
        if ctxt.IsWhileContext() or ctxt == stop_ctxt:
            return ctxt
        ctxt = ctxt.outer_context
    return None


def IsContainingContext(ctxt, maybe_containing_ctxt):
    while ctxt is not maybe_containing_ctxt:
        if ctxt is None:
            return False
        ctxt = ctxt.outer_context
    return True


def OpInContext(op, ctxt):
    return IsContainingContext(op._get_control_flow_context(), ctxt)


def GetWhileContext(op):
    ctxt = op._get_control_flow_context()
    if ctxt:
        ctxt = ctxt.GetWhileContext()
    return ctxt
