"""``tf.cond`` and ``tf.case`` as TensorFlow 1.x builds them (v1 control flow: Switch and Merge).

``cond`` switches ``pred`` on itself to make two pivots (``switch_t``, ``switch_f``), builds each branch in a
CondContext that switches every outside tensor it uses, and merges the branches' results pairwise.
"""

import collections
import functools

from minitf.framework import dtypes, nest, ops
from minitf.ops import array_ops, control_flow_ops, math_ops
from minitf.platform import tf_logging as logging


def cond(pred, true_fn=None, false_fn=None, strict=False, name=None, fn1=None, fn2=None):
    """``true_fn()`` if ``pred`` is true else ``false_fn()``; only the taken branch runs."""
    if fn1 is not None:
        if true_fn is not None:
            raise TypeError("cond(): 'true_fn' and 'fn1' may not be set simultaneously.")
        true_fn = fn1
    elif true_fn is None:
        raise TypeError("cond(): 'true_fn' argument required")
    if fn2 is not None:
        if false_fn is not None:
            raise TypeError("cond(): 'false_fn' and 'fn2' may not be set simultaneously.")
        false_fn = fn2
    elif false_fn is None:
        raise TypeError("cond(): 'false_fn' argument required")
    if not callable(true_fn):
        raise TypeError("'true_fn' must be callable.")
    if not callable(false_fn):
        raise TypeError("'false_fn' must be callable.")
    with ops.name_scope(name, "cond", [pred]):
        if isinstance(pred, bool):
            raise TypeError("'pred' must not be a Python bool.")
        p_2, p_1 = control_flow_ops.switch(pred, pred)
        pivot_1 = array_ops.identity(p_1, name="switch_t")
        pivot_2 = array_ops.identity(p_2, name="switch_f")
        pred = array_ops.identity(pred, name="pred_id")
        for tensor in [p_1, p_2, pivot_1, pivot_2, pred]:
            tensor.op.graph.prevent_fetching(tensor.op)
        context_t = control_flow_ops.CondContext(pred, pivot_1, branch=1)
        try:
            context_t.Enter()
            orig_res_t, res_t = context_t.BuildCondBranch(true_fn)
            if orig_res_t is None:
                raise ValueError("'true_fn' must have a return value.")
            context_t.ExitResult(res_t)
        finally:
            context_t.Exit()
        context_f = control_flow_ops.CondContext(pred, pivot_2, branch=0)
        try:
            context_f.Enter()
            orig_res_f, res_f = context_f.BuildCondBranch(false_fn)
            if orig_res_f is None:
                raise ValueError("'false_fn' must have a return value.")
            context_f.ExitResult(res_f)
        finally:
            context_f.Exit()
        if not strict:
            orig_res_t = _UnpackIfSingleton(orig_res_t)
            orig_res_f = _UnpackIfSingleton(orig_res_f)
        nest.assert_same_structure(orig_res_t, orig_res_f)  # TensorFlow raises nest's own error here
        if not res_t:
            raise ValueError("'true_fn' and 'false_fn' must return at least one result.")
        res_t_flat = nest.flatten(res_t)
        res_f_flat = nest.flatten(res_f)
        for x, y in zip(res_t_flat, res_f_flat):
            if x.dtype.base_dtype != y.dtype.base_dtype:
                raise ValueError("Outputs of 'true_fn' and 'false_fn' must have the same type(s). "
                                 f"Received {x.dtype.name} from 'true_fn' and {y.dtype.name} from 'false_fn'.")
        merges = [control_flow_ops.merge(pair)[0] for pair in zip(res_f_flat, res_t_flat)]
        merges = [control_flow_ops._convert_flow_to_tensorarray(orig, m)  # a TensorArray result: its flow merged
                  for orig, m in zip(nest.flatten(orig_res_t), merges)]
        if context_t.outer_context is None:
            ops.add_to_collection(ops.GraphKeys.COND_CONTEXT, context_t)
            ops.add_to_collection(ops.GraphKeys.COND_CONTEXT, context_f)
        merges = nest.pack_sequence_as(orig_res_t, merges)
        if not strict:
            merges = _UnpackIfSingleton(merges)
        return merges


def _UnpackIfSingleton(res):
    if isinstance(res, (list, tuple)) and len(res) == 1:
        return res[0]
    return res


# -- tf.case --------------------------------------------------------------------------------------------------------

def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """The result of the first pair whose predicate is true (else ``default()``), as nested conds."""
    predicates, actions = _case_verify_and_canonicalize_args(pred_fn_pairs, exclusive, name)
    with ops.name_scope(name, "case", [predicates]):
        if default is None:
            default, predicates, actions = _case_create_default_action(predicates, actions)
        fn = default
        for predicate, action in reversed(list(zip(predicates, actions))):
            fn = functools.partial(cond, predicate, true_fn=action, false_fn=fn, strict=strict)
        if exclusive:
            with ops.control_dependencies([_assert_at_most_n_true(predicates, n=1,
                                                                  msg="Input error: exclusive=True")]):
                return fn()
        return fn()


def _assert_at_most_n_true(predicates, n, msg):
    from minitf.ops import control_flow_assert
    from minitf.ops import constant_op
    preds_c = array_ops.stack(predicates, name="preds_c")
    num_true_conditions = math_ops.reduce_sum(math_ops.cast(preds_c, dtypes.int32), name="num_true_conds")
    condition = math_ops.less_equal(num_true_conditions, constant_op.constant(n, name="n_true_conds"))
    preds_names = ", ".join(getattr(p, "name", "?") for p in predicates)
    error_msg = ["%s: more than %d conditions (%s) evaluated as True:" % (msg, n, preds_names), preds_c]
    return control_flow_assert.Assert(condition, data=error_msg, summarize=len(predicates))


def _case_create_default_action(predicates, actions):
    """Without ``default``, the last action is the default, guarded by Asserts that its predicate holds."""
    from minitf.ops import control_flow_assert
    k = len(predicates) - 1
    predicate, action = predicates[k], actions[k]
    other_predicates, other_actions = predicates[:k], actions[:k]

    def default_action():
        others_msg = ("Implementation error: selected default action #%d was called, but some of other "
                      "predicates are True: " % k)
        default_msg = ("Input error: None of conditions evaluated as True:",
                       array_ops.stack(predicates, name="preds_c"))
        with ops.control_dependencies([_assert_at_most_n_true(other_predicates, n=0, msg=others_msg),
                                       control_flow_assert.Assert(predicate, data=default_msg)]):
            return action()
    return default_action, other_predicates, other_actions


def _case_verify_and_canonicalize_args(pred_fn_pairs, exclusive, name):
    if not isinstance(pred_fn_pairs, (list, tuple, dict)):
        raise TypeError(f"'pred_fn_pairs' must be a list, tuple, or dict. Received: {type(pred_fn_pairs)}")
    if isinstance(pred_fn_pairs, collections.OrderedDict):
        pred_fn_pairs = pred_fn_pairs.items()
    elif isinstance(pred_fn_pairs, dict):
        pred_fn_pairs = sorted(pred_fn_pairs.items(), key=lambda item: item[0].name)
        if not exclusive:
            logging.warning("%s: An unordered dictionary of predicate/fn pairs was provided, but exclusive=False. "
                         "The order of conditional tests is deterministic but not guaranteed.", name)
    for pred_fn_pair in pred_fn_pairs:
        if not isinstance(pred_fn_pair, tuple) or len(pred_fn_pair) != 2:
            raise TypeError(f"Each entry in 'pred_fn_pairs' must be a 2-tuple. Received {pred_fn_pair}.")
        pred, fn = pred_fn_pair
        if isinstance(pred, ops.Tensor):
            if pred.dtype != dtypes.bool:
                raise TypeError("pred must be Tensor of type bool: %s" % pred.name)
        else:
            raise TypeError("pred must be a Tensor, got: %s" % pred)
        if not callable(fn):
            raise TypeError("fn for pred %s must be callable." % pred.name)
    predicates, actions = zip(*pred_fn_pairs)
    return predicates, actions
