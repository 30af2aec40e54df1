"""``tf.variable_scope`` and ``tf.get_variable``: named, shareable variables, with TensorFlow's reuse rules."""

import collections.abc as collections_abc
import contextlib
import enum
import inspect

from minitf.framework import dtypes, ops, tensor_shape
from minitf.ops import init_ops, partitioned_variables, variables


class _ReuseMode(enum.Enum):
    AUTO_REUSE = 1


AUTO_REUSE = _ReuseMode.AUTO_REUSE


class VariableScope:
    """The variable-naming context: a name prefix, a reuse flag, and defaults for ``get_variable``."""

    def __init__(self, reuse, name="", initializer=None, regularizer=None, caching_device=None, partitioner=None,
                 custom_getter=None, name_scope="", dtype=dtypes.float32, use_resource=None, constraint=None):
        self._name = name
        self._reuse = reuse
        self._initializer = initializer
        self._regularizer = regularizer
        self._caching_device = caching_device
        self._partitioner = partitioner
        self._custom_getter = custom_getter
        self._name_scope = name_scope
        self._dtype = dtype
        self._use_resource = use_resource
        self._constraint = constraint

    name = property(lambda self: self._name)
    original_name_scope = property(lambda self: self._name_scope)
    reuse = property(lambda self: self._reuse)
    initializer = property(lambda self: self._initializer)
    dtype = property(lambda self: self._dtype)
    use_resource = property(lambda self: self._use_resource)
    regularizer = property(lambda self: self._regularizer)
    caching_device = property(lambda self: self._caching_device)
    partitioner = property(lambda self: self._partitioner)
    custom_getter = property(lambda self: self._custom_getter)
    constraint = property(lambda self: self._constraint)

    def reuse_variables(self):
        self._reuse = True

    def set_initializer(self, initializer):
        self._initializer = initializer

    def set_dtype(self, dtype):
        self._dtype = dtype

    def set_regularizer(self, regularizer):
        self._regularizer = regularizer

    def set_partitioner(self, partitioner):
        self._partitioner = partitioner

    def set_caching_device(self, caching_device):
        self._caching_device = caching_device

    def set_custom_getter(self, custom_getter):
        self._custom_getter = custom_getter

    def set_use_resource(self, use_resource):
        self._use_resource = use_resource

    def global_variables(self):
        return ops.get_collection(ops.GraphKeys.GLOBAL_VARIABLES, self._prefix())

    def trainable_variables(self):
        return ops.get_collection(ops.GraphKeys.TRAINABLE_VARIABLES, self._prefix())

    def local_variables(self):
        return ops.get_collection(ops.GraphKeys.LOCAL_VARIABLES, self._prefix())

    def _prefix(self):
        return self._name + "/" if self._name else ""

    def get_variable(self, var_store, name, shape=None, dtype=None, initializer=None, regularizer=None,
                     reuse=None, trainable=None, collections=None, caching_device=None, partitioner=None,
                     validate_shape=True, use_resource=None, custom_getter=None, constraint=None):
        full_name = self._prefix() + name
        if initializer is None:
            initializer = self._initializer
        if regularizer is None:
            regularizer = self._regularizer
        if dtype is None:
            dtype = self._dtype
        if partitioner is None:
            partitioner = self._partitioner
        if reuse is None:
            reuse = self._reuse
        custom_getter = custom_getter or self._custom_getter
        with ops.name_scope(None):
            return var_store.get_variable(full_name, shape=shape, dtype=dtype, initializer=initializer,
                                          regularizer=regularizer, reuse=reuse, trainable=trainable,
                                          collections=collections, partitioner=partitioner,
                                          validate_shape=validate_shape, custom_getter=custom_getter,
                                          constraint=constraint)


class _VariableStore:
    """All variables made by ``get_variable`` in one graph, by full name, and the partitioned ones."""

    def __init__(self):
        self.vars = {}
        self.partitioned_vars = {}
        self.variable_scopes_count = {}

    def open_variable_scope(self, scope_name):
        self.variable_scopes_count[scope_name] = self.variable_scopes_count.get(scope_name, 0) + 1

    def close_variable_subscopes(self, scope_name):
        prefix = scope_name + "/" if scope_name else ""
        for k in list(self.variable_scopes_count):
            if not scope_name or k.startswith(prefix):
                self.variable_scopes_count[k] = 0

    def variable_scope_count(self, scope_name):
        return self.variable_scopes_count.get(scope_name, 0)

    def get_variable(self, name, shape=None, dtype=dtypes.float32, initializer=None, regularizer=None,
                     reuse=None, trainable=None, collections=None, partitioner=None, validate_shape=True,
                     custom_getter=None, constraint=None):
        if custom_getter is not None:
            def true_getter(name, shape=None, dtype=dtypes.float32, initializer=None, regularizer=None,
                            reuse=None, trainable=None, collections=None, partitioner=None, validate_shape=True,
                            constraint=None, **kwargs):
                return self._true_getter(name, shape, dtype, initializer, regularizer, reuse, trainable,
                                         collections, partitioner, validate_shape, constraint)
            return custom_getter(true_getter, name, shape=shape, dtype=dtype, initializer=initializer,
                                 regularizer=regularizer, reuse=reuse, trainable=trainable,
                                 collections=collections, partitioner=partitioner, validate_shape=validate_shape,
                                 constraint=constraint)
        return self._true_getter(name, shape, dtype, initializer, regularizer, reuse, trainable, collections,
                                 partitioner, validate_shape, constraint)

    def _true_getter(self, name, shape, dtype, initializer, regularizer, reuse, trainable, collections,
                     partitioner, validate_shape, constraint):
        """A partitioned variable when there is a partitioner (and the shape is not a scalar's), else one."""
        dtype = dtypes.as_dtype(dtype)
        is_scalar = shape is not None and isinstance(shape, collections_abc.Sequence) and not shape
        kwargs = dict(shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer, reuse=reuse,
                      trainable=trainable, collections=collections, validate_shape=validate_shape,
                      constraint=constraint)
        if partitioner is not None and not is_scalar:
            if not callable(partitioner):
                raise ValueError(f"Partitioner must be callable, but received: {partitioner}")
            with ops.name_scope(None):
                return partitioned_variables.get_partitioned_variable(self, name, partitioner, **kwargs)
        if reuse is True and partitioner is None and name in self.partitioned_vars:
            return partitioned_variables.get_partitioned_variable(self, name, None, **kwargs)
        if f"{name}/part_0" in self.vars:
            raise ValueError(f"No partitioner was provided, but a partitioned version of the variable was found: "
                             f"{name}/part_0. Perhaps a variable of the same name was already created with "
                             f"partitioning?")
        return self.get_single_variable(name, **kwargs)

    def get_single_variable(self, name, shape=None, dtype=dtypes.float32, initializer=None, regularizer=None,
                            reuse=None, trainable=None, collections=None, validate_shape=True, constraint=None,
                            partition_info=None):
        """The variable ``name``: shared under reuse, else made with ``initializer`` (given the shape and, if it
        takes it, the ``partition_info`` of the part it initializes)."""
        dtype = dtypes.as_dtype(dtype)
        shape = tensor_shape.as_shape(shape) if shape is not None else None
        if name in self.vars:
            if reuse is not True and reuse is not AUTO_REUSE:
                found = self.vars[name]
                raise ValueError(f"Variable {name} already exists, disallowed. Did you mean to set reuse=True or "
                                 f"reuse=tf.AUTO_REUSE in VarScope? Originally defined at:\n\n"
                                 + _format_traceback(found.op))
            found = self.vars[name]
            if shape is not None and not shape.is_compatible_with(found.shape):
                raise ValueError(f"Trying to share variable {name}, but specified shape {shape} and found shape "
                                 f"{found.shape}.")
            if not dtype.is_compatible_with(found.dtype.base_dtype):
                raise ValueError(f"Trying to share variable {name}, but specified dtype {dtype.name} and found "
                                 f"dtype {found.dtype.base_dtype.name}.")
            return found
        if reuse is True:
            raise ValueError(f"Variable {name} does not exist, or was not created with tf.get_variable(). Did you "
                             f"mean to set reuse=tf.AUTO_REUSE in VarScope?")
        if initializer is None:
            if dtype.is_floating:
                initializer = init_ops.glorot_uniform_initializer()
            elif dtype.is_integer or dtype.is_unsigned or dtype.is_bool:
                initializer = init_ops.zeros_initializer()
            else:
                raise ValueError(f"An initializer for variable {name} of {dtype.base_dtype!r} is required")
        if isinstance(initializer, type) and issubclass(initializer, init_ops.Initializer):
            initializer = initializer(dtype=dtype)
        if callable(initializer) and not isinstance(initializer, ops.Tensor):
            if shape is None:
                raise ValueError(f"Shape of a new variable ({name}) must be fully defined, but instead was "
                                 f"{shape}.")
            if not shape.is_fully_defined() and validate_shape:
                raise ValueError(f"Shape of a new variable ({name}) must be fully defined, but instead was "
                                 f"{shape}.")
            init_val = _initializer_call(initializer, shape.as_list(), dtype, partition_info)
            variable_dtype = dtype.base_dtype
        else:
            if shape is not None and isinstance(initializer, ops.Tensor) and \
                    not shape.is_compatible_with(initializer.shape):
                raise ValueError("If initializer is a constant, do not specify shape.")
            init_val = initializer
            variable_dtype = None if isinstance(initializer, ops.Tensor) else dtype.base_dtype
        if trainable is None:
            trainable = True
        v = variables.Variable(initial_value=init_val, name=name, trainable=trainable, collections=collections,
                               validate_shape=validate_shape, dtype=variable_dtype, constraint=constraint)
        self.vars[name] = v
        if regularizer is not None:
            with ops.name_scope(None):  # TensorFlow 2.21 first calls the regularizer once, at the top level, to
                probe = regularizer(v)  # see whether it gives a loss; those nodes stay in the graph, unused
            if probe is not None:
                with ops.name_scope(name + "/Regularizer/"):
                    ops.add_to_collection(ops.GraphKeys.REGULARIZATION_LOSSES, regularizer(v))
        return v


def _initializer_call(initializer, shape, dtype, partition_info):
    """The zero-argument function that makes a variable's initial value from ``initializer``: TensorFlow passes
    ``partition_info`` only to initializers that take it."""
    if partition_info is not None and _takes_partition_info(initializer):
        return lambda: initializer(shape, dtype=dtype, partition_info=partition_info)
    return lambda: initializer(shape, dtype=dtype)


def _takes_partition_info(initializer):
    try:
        return "partition_info" in inspect.signature(initializer).parameters
    except (TypeError, ValueError):
        return False


def _format_traceback(op):
    filename, lineno, func = op._traceback
    import linecache
    line = linecache.getline(filename, lineno).strip()
    return f'  File "{filename}", line {lineno}, in {func}\n    {line}\n'


def _store(graph=None):
    graph = graph or ops.get_default_graph()
    store = graph._variable_scope_stores.get("store")
    if store is None:
        store = graph._variable_scope_stores["store"] = _VariableStore()
    return store


def get_variable_scope():
    graph = ops.get_default_graph()
    stack = graph._variable_scope_stores.setdefault("scopes", [])
    if not stack:
        stack.append(VariableScope(False))
    return stack[-1]


def _set_variable_scope(scope):
    ops.get_default_graph()._variable_scope_stores.setdefault("scopes", [VariableScope(False)]).append(scope)


def _pop_variable_scope():
    ops.get_default_graph()._variable_scope_stores["scopes"].pop()


def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None, trainable=None, collections=None,
                 caching_device=None, partitioner=None, validate_shape=True, use_resource=None, custom_getter=None,
                 constraint=None, synchronization=None, aggregation=None):
    """``tf.get_variable``: the variable ``<scope>/name``, created or (under reuse) shared."""
    return get_variable_scope().get_variable(_store(), name, shape=shape, dtype=dtype, initializer=initializer,
                                             regularizer=regularizer, trainable=trainable,
                                             collections=collections, caching_device=caching_device,
                                             partitioner=partitioner, validate_shape=validate_shape,
                                             use_resource=use_resource, custom_getter=custom_getter,
                                             constraint=constraint)


def get_local_variable(name, shape=None, dtype=None, initializer=None, regularizer=None, trainable=False,
                       collections=None, **kwargs):
    collections = list(collections or []) + [ops.GraphKeys.LOCAL_VARIABLES]
    return get_variable(name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                        trainable=False, collections=collections, **kwargs)


@contextlib.contextmanager
def _pure_variable_scope(name_or_scope, reuse=None, initializer=None, regularizer=None, caching_device=None,
                         partitioner=None, custom_getter=None, old_name_scope=None, dtype=dtypes.float32,
                         use_resource=None, constraint=None):
    store = _store()
    old = get_variable_scope()
    if isinstance(name_or_scope, VariableScope):
        store.open_variable_scope(name_or_scope.name)
        new_name = name_or_scope.name
        name_scope = name_or_scope.original_name_scope if old_name_scope is None else old_name_scope
        scope = VariableScope(
            name_or_scope.reuse if not reuse else reuse, name=new_name,
            initializer=name_or_scope.initializer, regularizer=name_or_scope.regularizer,
            caching_device=name_or_scope.caching_device, partitioner=name_or_scope.partitioner,
            custom_getter=name_or_scope.custom_getter, name_scope=name_scope, dtype=name_or_scope.dtype,
            use_resource=name_or_scope.use_resource, constraint=name_or_scope.constraint)
    else:
        new_name = old.name + "/" + name_or_scope if old.name else name_or_scope
        store.open_variable_scope(new_name)
        scope = VariableScope(reuse or old.reuse, name=new_name, initializer=old.initializer,
                              regularizer=old.regularizer, caching_device=old.caching_device,
                              partitioner=old.partitioner, custom_getter=old.custom_getter,
                              name_scope=old_name_scope or name_or_scope, dtype=old.dtype,
                              use_resource=old.use_resource, constraint=old.constraint)
    if initializer is not None:
        scope.set_initializer(initializer)
    if regularizer is not None:
        scope.set_regularizer(regularizer)
    if caching_device is not None:
        scope.set_caching_device(caching_device)
    if partitioner is not None:
        scope.set_partitioner(partitioner)
    if custom_getter is not None:
        scope.set_custom_getter(_maybe_wrap_custom_getter(custom_getter, scope.custom_getter))
    if dtype is not None:
        scope.set_dtype(dtype)
    if use_resource is not None:
        scope.set_use_resource(use_resource)
    _set_variable_scope(scope)
    try:
        yield scope
    finally:
        _pop_variable_scope()
        store.close_variable_subscopes(new_name)


def _maybe_wrap_custom_getter(custom_getter, old_getter):
    if old_getter is None:
        return custom_getter

    def wrapped(getter, *args, **kwargs):
        return custom_getter(lambda *a, **k: old_getter(getter, *a, **k), *args, **kwargs)
    return wrapped


def _unique_var_scope_name(prefix):
    store = _store()
    current = get_variable_scope().name
    name = current + "/" + prefix if current else prefix
    if store.variable_scope_count(name) == 0:
        return prefix
    idx = 1
    while store.variable_scope_count(f"{name}_{idx}") > 0:
        idx += 1
    return f"{prefix}_{idx}"


@contextlib.contextmanager
def variable_scope(name_or_scope, default_name=None, values=None, initializer=None, regularizer=None,
                   caching_device=None, partitioner=None, custom_getter=None, reuse=None, dtype=None,
                   use_resource=None, constraint=None, auxiliary_name_scope=True):
    """``tf.variable_scope``: prefixes ``get_variable`` names and opens a matching name scope."""
    if default_name is None and name_or_scope is None:
        raise TypeError("If default_name is None then name_or_scope is required")
    if reuse is False:
        reuse = None
    if not (reuse is None or reuse is True or reuse is AUTO_REUSE):
        raise ValueError("The reuse parameter must be True or False or None.")
    if values is not None:
        graph = next((v.graph for v in values if hasattr(v, "graph")), None)
        graph_context = graph.as_default() if graph is not None else contextlib.nullcontext()
    else:
        graph_context = contextlib.nullcontext()
    with graph_context:
        if name_or_scope is not None:
            if not isinstance(name_or_scope, (VariableScope, str)):
                raise TypeError("VariableScope: name_or_scope must be a string or VariableScope.")
            if isinstance(name_or_scope, str):
                name_scope_name = name_or_scope
            else:
                name_scope_name = name_or_scope.name.split("/")[-1]
            if not auxiliary_name_scope:
                old_name_scope = name_or_scope.original_name_scope if isinstance(name_or_scope, VariableScope) \
                    else name_or_scope
                with _pure_variable_scope(name_or_scope, reuse=reuse, initializer=initializer,
                                          regularizer=regularizer, caching_device=caching_device,
                                          partitioner=partitioner, custom_getter=custom_getter,
                                          old_name_scope=old_name_scope, dtype=dtype, use_resource=use_resource,
                                          constraint=constraint) as vs:
                    yield vs
                return
            with ops.name_scope(name_scope_name) as current_name_scope:
                old_name_scope = current_name_scope if isinstance(name_or_scope, str) else \
                    name_or_scope.original_name_scope
                with _pure_variable_scope(name_or_scope, reuse=reuse, initializer=initializer,
                                          regularizer=regularizer, caching_device=caching_device,
                                          partitioner=partitioner, custom_getter=custom_getter,
                                          old_name_scope=old_name_scope, dtype=dtype, use_resource=use_resource,
                                          constraint=constraint) as vs:
                    yield vs
            return
        if reuse:
            raise ValueError("reuse=True cannot be used without a name_or_scope")
        unique_default_name = _unique_var_scope_name(default_name)
        if auxiliary_name_scope:
            with ops.name_scope(default_name) as scope:
                with _pure_variable_scope(unique_default_name, initializer=initializer, regularizer=regularizer,
                                          caching_device=caching_device, partitioner=partitioner,
                                          custom_getter=custom_getter, old_name_scope=scope, dtype=dtype,
                                          use_resource=use_resource, constraint=constraint) as vs:
                    yield vs
        else:
            with _pure_variable_scope(unique_default_name, initializer=initializer, regularizer=regularizer,
                                      caching_device=caching_device, partitioner=partitioner,
                                      custom_getter=custom_getter, dtype=dtype, use_resource=use_resource,
                                      constraint=constraint) as vs:
                yield vs


def variable_op_scope(values, name_or_scope, default_name=None, **kwargs):
    return variable_scope(name_or_scope, default_name=default_name, values=values, **kwargs)


def no_regularizer(_):
    return None
