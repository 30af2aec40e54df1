"""The op registry: each op type is registered once with its shape function, kernel and gradient.

The executor, ``tf.gradients``, the GraphDef exporter and ``import_graph_def`` all read this registry; adding an op
never means editing any of them.
"""


class OpDef:
    """Everything minitf knows about one op type.

    - ``infer(op)`` returns ``[(dtype, TensorShape), ...]`` for the outputs, raising ``ValueError`` for inputs
      that cannot work (TensorFlow's shape inference at graph construction).
    - ``kernel(op, state)`` is called once per execution plan and returns a function from input values (numpy
      arrays) to the output value (one output) or a tuple of output values. ``state`` is the session's state
      (variables, random streams). Pure ops ignore it.
    - ``ref_inputs``: input positions that receive a variable's storage cell instead of its value (Assign, ...).
    - ``stateful``: the op must not be constant-folded or merged (variables, random ops, assignments).
    - ``per_session``: the op has no inputs and its kernel's result stays the same for the life of a session
      (a variable's storage cell), so the executor calls it once per plan instead of on every run.
    - ``input_names``: TensorFlow's argument names; a Python value passed for one becomes a Const named
      ``<op>/<argument>`` (``Reshape/shape``, ``Sum/reduction_indices``), as in TensorFlow.
    - ``attr_defaults``: attrs TensorFlow's OpDef declares with defaults, filled in on GraphDef import.
    """

    __slots__ = ("name", "infer", "kernel", "stateful", "per_session", "ref_inputs", "input_names",
                 "attr_defaults")

    def __init__(self, name, infer, kernel, stateful=False, per_session=False, ref_inputs=(), input_names=(),
                 attr_defaults=None):
        self.name = name
        self.infer = infer
        self.kernel = kernel
        self.stateful = stateful
        self.per_session = per_session
        self.ref_inputs = tuple(ref_inputs)
        self.input_names = tuple(input_names)
        self.attr_defaults = attr_defaults or {}


_registry = {}
_NO_GRADIENT = object()


def register(name, infer, kernel, **kwargs):
    if name in _registry:
        raise KeyError(f"Op type '{name}' is registered twice")
    op_def = OpDef(name, infer, kernel, **kwargs)
    _registry[name] = op_def
    return op_def


def get(name):
    try:
        return _registry[name]
    except KeyError:
        raise ValueError(f"Op type not registered '{name}' in minitf. The ops minitf implements are listed by "
                         "minitf.framework.op_registry.registered_ops().") from None


def registered_ops():
    return sorted(_registry)


class RegisterGradient:
    """Decorator: ``@tf.RegisterGradient("OpType")`` registers ``fn(op, *output_grads) -> input grads``."""

    def __init__(self, op_type):
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string")
        self._op_type = op_type

    def __call__(self, fn):
        _gradients[self._op_type] = fn
        return fn


_gradients = {}


def no_gradient(op_type):
    """Declares that ``op_type`` has no gradient: ``tf.gradients`` treats its inputs as unconnected."""
    _gradients[op_type] = _NO_GRADIENT


def gradient_function(op_type):
    """The gradient function for ``op_type``: a function, ``None`` for non-differentiable, KeyError if unknown."""
    fn = _gradients[op_type]
    return None if fn is _NO_GRADIENT else fn
