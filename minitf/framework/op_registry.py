"""The op registry: each op type is registered once with its shape function, kernel and gradient.

The executor, ``tf.gradients``, the GraphDef exporter and ``import_graph_def`` all read this registry; adding an op
never means editing any of them. Every registration records where it was made, and registering an op type or a
gradient twice raises naming the first registration (as TensorFlow's registry does).
``python -m minitf.framework.op_registry NAME`` (or ``minitf ops NAME``) prints what minitf knows about an op.
"""

import os
import sys


class OpDef:
    """Everything minitf knows about one op type.

    - ``infer(op)`` returns ``[(dtype, TensorShape), ...]`` for the outputs, raising ``ValueError`` for inputs
      that cannot work (TensorFlow's shape inference at graph construction).
    - ``kernel(op, state)`` is called once per execution plan and returns a function from input values (numpy
      arrays) to the output value (one output) or a tuple of output values. ``state`` is the session's state
      (variables, random streams). Pure ops ignore it. ``None``: the op computes nothing (NoOp), the executor
      skips it.
    - ``ref_inputs``: input positions that receive a variable's storage cell instead of its value (Assign, ...).
    - ``stateful``: the op must not be constant-folded or merged (variables, random ops, assignments).
    - ``per_session``: the op has no inputs and its kernel's result stays the same for the life of a session
      (a variable's storage cell), so the executor calls it once per plan instead of on every run.
    - ``forwards_input``: the output is input 0's value unchanged (Identity), so the executor gives both one slot.
    - ``input_names``: TensorFlow's argument names; a Python value passed for one becomes a Const named
      ``<op>/<argument>`` (``Reshape/shape``, ``Sum/reduction_indices``), as in TensorFlow.
    - ``attrs``: the names of the attrs TensorFlow's OpDef declares, in its order, where declared (the op's
      gradient copies them to its gradient op with ``op_def_lib.declared_attrs``).
    - ``attr_defaults``: attrs TensorFlow's OpDef declares with defaults, filled in on GraphDef import.
    - ``static_value(op)``: the value of the op's output computed at graph construction, or None
      (``tensor_util.constant_value``); ``static_shape(op)``: the TensorShape that its 1-D int output describes,
      or None (``tensor_util.constant_value_as_shape``).
    - ``full_type(op, node_def)``: fills the NodeDef's ``experimental_type`` as TensorFlow's type constructor for the
      op does (the GraphDef exporter calls it).
    - ``dataflow``: the op's role in TF1 control flow (``"switch"``, ``"merge"``, ``"enter"``, ``"exit"``,
      ``"next_iteration"``, ``"loop_cond"``, ``"trigger"``), or None; a plan holding such an op runs on the
      dataflow executor (minitf/client/dataflow_executor.py).
    - ``location``: ``(file, line)`` of the registration.
    """

    __slots__ = ("name", "infer", "kernel", "stateful", "per_session", "ref_inputs", "input_names", "attrs",
                 "attr_defaults", "forwards_input", "static_value", "static_shape", "full_type", "dataflow",
                 "location")

    def __init__(self, name, infer, kernel, stateful=False, per_session=False, ref_inputs=(), input_names=(),
                 attrs=(), attr_defaults=None, forwards_input=False, static_value=None, static_shape=None,
                 full_type=None, dataflow=None, location=None):
        self.name = name
        self.infer = infer
        self.kernel = kernel
        self.stateful = stateful
        self.per_session = per_session
        self.ref_inputs = tuple(ref_inputs)
        self.input_names = tuple(input_names)
        self.attrs = tuple(attrs)
        self.attr_defaults = attr_defaults or {}
        self.forwards_input = forwards_input
        self.static_value = static_value
        self.static_shape = static_shape
        self.full_type = full_type
        self.dataflow = dataflow
        self.location = location


_registry = {}
_NO_GRADIENT = object()
_HERE = os.path.dirname(os.path.abspath(__file__))
_REGISTRY_FILES = frozenset(os.path.join(_HERE, name) for name in ("op_registry.py", "op_def_lib.py"))


def _caller_location():
    """(file, line) of the registration: the outermost frame of the first caller outside the registry modules that
    is still in that caller's file (so an op registered by a helper or a loop is located at the loop)."""
    frame = sys._getframe(1)
    while frame.f_code.co_filename in _REGISTRY_FILES:  # a set lookup: this runs for every op at import
        frame = frame.f_back
    filename, line = frame.f_code.co_filename, frame.f_lineno
    while frame.f_back is not None and frame.f_back.f_code.co_filename == filename:
        frame = frame.f_back
        line = frame.f_lineno
    return filename, line


def register(name, infer, kernel, **kwargs):
    location = _caller_location()
    if name in _registry:
        first = _registry[name].location
        raise KeyError(f"Registering two op with name '{name}'! (Previous registration was in {first[0]}:{first[1]})")
    op_def = OpDef(name, infer, kernel, location=location, **kwargs)
    _registry[name] = op_def
    return op_def


def get(name):
    try:
        return _registry[name]
    except KeyError:
        raise ValueError(f"Op type not registered '{name}' in minitf. The ops minitf implements are listed by "
                         "minitf.framework.op_registry.registered_ops().") from None


def dataflow_role(name):
    """``OpDef.dataflow`` of op type ``name``, None for an unknown type (a GraphDef may name one)."""
    op_def = _registry.get(name)
    return op_def.dataflow if op_def is not None else None


def registered_ops():
    return sorted(_registry)


_gradients = {}  # op type -> (gradient function or _NO_GRADIENT, (file, line) of the registration)


def _register_gradient(op_type, fn, location):
    if op_type in _gradients:
        previous = _gradients[op_type]
        where = "" if previous[0] is _NO_GRADIENT else previous[0].__name__ + " "
        raise KeyError(f"Registering two gradient with name '{op_type}'! (Previous registration was in "
                       f"{where}{previous[1][0]}:{previous[1][1]})")
    _gradients[op_type] = (fn, location)


class RegisterGradient:
    """Decorator: ``@tf.RegisterGradient("OpType")`` registers ``fn(op, *output_grads) -> input grads``."""

    def __init__(self, op_type):
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string")
        self._op_type = op_type

    def __call__(self, fn):
        _register_gradient(self._op_type, fn, (fn.__code__.co_filename, fn.__code__.co_firstlineno))
        return fn


def no_gradient(op_type):
    """Declares that ``op_type`` has no gradient: ``tf.gradients`` treats its inputs as unconnected."""
    _register_gradient(op_type, _NO_GRADIENT, _caller_location())


def gradient_function(op_type):
    """The gradient function for ``op_type``: a function, ``None`` for non-differentiable, KeyError if unknown."""
    fn = _gradients[op_type][0]
    return None if fn is _NO_GRADIENT else fn


# -- op cards ------------------------------------------------------------------------------------------------------

def _where(fn):
    """``file:line (name)`` of the function behind a shape function or kernel factory, looking through the generic
    factories of op_def_lib (``pure(fn)``, ``same_as_input()``) to the function they wrap."""
    seen = 0
    while callable(fn) and getattr(fn, "__code__", None) is not None and seen < 5:
        seen += 1
        code = fn.__code__
        inner = [c.cell_contents for c in (fn.__closure__ or ()) if callable(_cell(c))]
        if os.path.basename(code.co_filename) == "op_def_lib.py" and inner:
            fn = inner[0]
            continue
        return f"{_relative(code.co_filename)}:{code.co_firstlineno} ({fn.__name__})"
    if getattr(fn, "__code__", None) is None:
        return f"{getattr(fn, '__module__', None) or 'numpy'}.{getattr(fn, '__name__', repr(fn))}"
    return repr(fn)


def _cell(cell):
    try:
        return cell.cell_contents
    except ValueError:
        return None


def _relative(path):
    root = os.path.dirname(os.path.dirname(_HERE))
    return os.path.relpath(path, root) if path.startswith(root) else path


def _wrappers(op_type):
    """The public Python functions of minitf.ops that create ``op_type`` (its name is among their constants)."""
    import importlib
    import pkgutil
    import minitf.ops
    found = []
    for info in pkgutil.iter_modules(minitf.ops.__path__):
        module = importlib.import_module("minitf.ops." + info.name)
        for name, fn in vars(module).items():
            code = getattr(fn, "__code__", None)
            if name.startswith("_") or code is None or fn.__module__ != module.__name__:
                continue
            if _mentions(code, op_type) or any(_cell(c) == op_type for c in (fn.__closure__ or ())):
                found.append(f"{_relative(code.co_filename)}:{code.co_firstlineno} ({info.name}.{name})")
    return found


def _mentions(code, text):
    return any(c == text or (hasattr(c, "co_consts") and _mentions(c, text)) for c in code.co_consts)


def _attrs_text(op_def):
    """The declared attrs with their defaults (``padding, data_format=b'NHWC'``), else the defaults alone."""
    names = list(op_def.attrs) + [k for k in op_def.attr_defaults if k not in op_def.attrs]
    if not names:
        return "(none declared)"
    return ", ".join(f"{k}={op_def.attr_defaults[k]!r}" if k in op_def.attr_defaults else k for k in names)


def card(op_type):
    """A text card: the op's inputs, attrs and where its registration, shape function, kernel, gradient and
    wrappers live."""
    op_def = get(op_type)
    if op_type in _gradients:
        fn, location = _gradients[op_type]
        gradient = (f"none (declared not differentiable at {_relative(location[0])}:{location[1]})"
                    if fn is _NO_GRADIENT else _where(fn))
    else:
        gradient = "not registered (tf.gradients raises LookupError)"
    properties = [p for p in ("stateful", "per_session", "forwards_input") if getattr(op_def, p)]
    if op_def.ref_inputs:
        properties.append(f"ref_inputs={list(op_def.ref_inputs)}")
    lines = [op_type,
             f"  registered:     {_relative(op_def.location[0])}:{op_def.location[1]}",
             f"  inputs:         {', '.join(op_def.input_names) or '(none)'}",
             f"  attrs:          {_attrs_text(op_def)}",
             f"  shape function: {_where(op_def.infer)}",
             f"  kernel:         {_where(op_def.kernel) if op_def.kernel is not None else 'none (nothing to run)'}",
             f"  gradient:       {gradient}",
             f"  properties:     {', '.join(properties) or '(none)'}"]
    wrappers = _wrappers(op_type)
    lines += [f"  wrapper:        {w}" for w in wrappers] or ["  wrapper:        (none: created by other ops' code)"]
    return "\n".join(lines)


def main(argv=None):
    """Prints the cards of the op types in ``argv`` (every registered op type's name when there are none)."""
    import minitf  # noqa: F401 -- registers every op
    from minitf.framework import op_registry  # the registry, also when this file runs as __main__
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print("\n".join(op_registry.registered_ops()))
        return 0
    for name in argv:
        try:
            print(op_registry.card(name))
        except ValueError as e:
            print(e, file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
