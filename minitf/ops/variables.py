"""``tf.Variable`` (TensorFlow 1.x's reference variable) and the variable collections and initializers."""

import numpy as np

from minitf.framework import dtypes, meta_graph, ops, tensor_shape
from minitf.ops import array_ops, cond, control_flow_ops, math_ops, state_ops


class SaveSliceInfo:
    """Where a variable sits in a larger one it is a slice (a partition) of: the checkpoint holds the larger one
    under ``full_name``, this variable as the slice ``spec``."""

    def __init__(self, full_name=None, full_shape=None, var_offset=None, var_shape=None, save_slice_info_def=None,
                 import_scope=None):
        if save_slice_info_def:
            self.full_name = meta_graph.prepend_name_scope(save_slice_info_def.full_name, import_scope)
            self.full_shape = list(save_slice_info_def.full_shape)
            self.var_offset = list(save_slice_info_def.var_offset)
            self.var_shape = list(save_slice_info_def.var_shape)
        else:
            self.full_name = full_name
            self.full_shape = full_shape
            self.var_offset = var_offset
            self.var_shape = var_shape

    @property
    def spec(self):
        """The slice spec a Saver writes: the full shape, then offset,length per axis ("10 4 0,4:0,4")."""
        return " ".join(f"{d}" for d in self.full_shape) + " " + ":".join(
            f"{o},{s}" for o, s in zip(self.var_offset, self.var_shape))

    def to_proto(self, export_scope=None):
        from minitf.proto import variable_pb2
        if export_scope is None or self.full_name.startswith(export_scope):
            proto = variable_pb2.SaveSliceInfoDef()
            proto.full_name = meta_graph.strip_name_scope(self.full_name, export_scope)
            proto.full_shape.extend(self.full_shape)
            proto.var_offset.extend(self.var_offset)
            proto.var_shape.extend(self.var_shape)
            return proto
        return None


class Variable:
    """A TF1 ``tf.Variable``: a ``VariableV2`` op, its ``Assign`` initializer and a ``read`` snapshot.

    Its value lives in each Session separately; ``v.initializer`` sets it there.
    """

    SaveSliceInfo = SaveSliceInfo

    def __init__(self, initial_value=None, trainable=None, collections=None, validate_shape=True,
                 caching_device=None, name=None, variable_def=None, dtype=None, expected_shape=None,
                 import_scope=None, constraint=None, use_resource=None, synchronization=None, aggregation=None,
                 shape=None):
        if variable_def is not None:
            self._init_from_proto(variable_def, import_scope)
            return
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        if trainable is None:
            trainable = True
        if collections is None:
            collections = [ops.GraphKeys.GLOBAL_VARIABLES]
        elif not isinstance(collections, (list, tuple, set)):
            raise ValueError(f"collections argument to Variable constructor must be a list, tuple, or set. "
                             f"Got {collections} of type {type(collections)}")
        collections = list(collections)
        if trainable and ops.GraphKeys.TRAINABLE_VARIABLES not in collections:
            collections.append(ops.GraphKeys.TRAINABLE_VARIABLES)
        self._trainable = trainable
        self._constraint = constraint
        self._save_slice_info = None
        init_from_fn = callable(initial_value)
        graph = ops.get_default_graph()
        # TensorFlow's init_scope: a variable made inside a loop or cond body lives outside it (read through Enter)
        with ops.control_dependencies(None), \
                ops.name_scope(name, "Variable", [] if init_from_fn else [initial_value]) as scope:
            if init_from_fn:
                with ops.name_scope("Initializer"):
                    value = initial_value()
                self._initial_value = ops.convert_to_tensor(value, name="initial_value", dtype=dtype)
            else:
                self._initial_value = ops.convert_to_tensor(initial_value, name="initial_value", dtype=dtype)
            init_shape = self._initial_value.shape
            if shape is not None:
                var_shape = tensor_shape.as_shape(shape)
            elif validate_shape:
                var_shape = init_shape
            else:
                var_shape = tensor_shape.unknown_shape()
            if validate_shape and not var_shape.is_fully_defined():
                raise ValueError(f"initial_value must have a shape specified: {self._initial_value}")
            self._variable = state_ops.variable_op_v2(var_shape, self._initial_value.dtype.base_dtype, name=scope)
            self._initializer_op = state_ops.assign(self._variable, self._initial_value,
                                                    validate_shape=validate_shape).op
            self._snapshot = array_ops.identity(self._variable, name="read")
        self._graph = graph
        self._caching_device = caching_device
        ops.add_to_collections(collections, self)

    def _init_from_proto(self, variable_def, import_scope=None):
        graph = ops.get_default_graph()

        def element(name):
            if import_scope:
                name = f"{import_scope}/{name}"
            return graph.as_graph_element(name)

        self._variable = element(variable_def.variable_name)
        self._initializer_op = element(variable_def.initializer_name)
        if variable_def.initial_value_name:
            self._initial_value = element(variable_def.initial_value_name)
        else:
            self._initial_value = None
        self._trainable = variable_def.trainable
        self._snapshot = element(variable_def.snapshot_name)
        self._constraint = None
        self._save_slice_info = SaveSliceInfo(save_slice_info_def=variable_def.save_slice_info_def,
                                              import_scope=import_scope) \
            if variable_def.HasField("save_slice_info_def") else None
        self._caching_device = None
        self._graph = graph

    # -- identity ---------------------------------------------------------------------------------------------

    @property
    def name(self):
        return self._variable.name

    @property
    def op(self):
        return self._variable.op

    @property
    def dtype(self):
        return self._variable.dtype

    @property
    def graph(self):
        return self._variable.graph

    @property
    def device(self):
        return self._variable.device

    @property
    def shape(self):
        return self._variable.shape

    def get_shape(self):
        return self._variable.shape

    @property
    def trainable(self):
        return self._trainable

    @property
    def constraint(self):
        return self._constraint

    @property
    def initializer(self):
        return self._initializer_op

    @property
    def initial_value(self):
        return self._initial_value

    def _ref(self):
        return self._variable

    def _as_graph_element(self):
        return self._variable

    def value(self):
        return self._snapshot

    def read_value(self):
        return array_ops.identity(self._variable, name="read")

    def initialized_value(self):
        """The variable's value if it is initialized, else its initial value: TF1's
        ``cond(is_variable_initialized(v), v.read_value, lambda: v.initial_value)``."""
        return cond.cond(state_ops.is_variable_initialized(self._variable), self.read_value,
                         lambda: self._initial_value)

    def eval(self, session=None):
        return self._snapshot.eval(session=session)

    def load(self, value, session=None):
        session = session or ops.get_default_session()
        if session is None:
            raise ValueError("Either session argument should be provided or default session should be "
                             "established")
        session.run(self._initializer_op, {self._initializer_op.inputs[1]: value})

    # -- updates ---------------------------------------------------------------------------------------------

    def assign(self, value, use_locking=False, name=None, read_value=True):
        op = state_ops.assign(self._variable, value, use_locking=use_locking, name=name)
        return op if read_value else op.op

    def assign_add(self, delta, use_locking=False, name=None, read_value=True):
        op = state_ops.assign_add(self._variable, delta, use_locking=use_locking, name=name)
        return op if read_value else op.op

    def assign_sub(self, delta, use_locking=False, name=None, read_value=True):
        op = state_ops.assign_sub(self._variable, delta, use_locking=use_locking, name=name)
        return op if read_value else op.op

    def scatter_update(self, sparse_delta, use_locking=False, name=None):
        return state_ops.scatter_update(self._variable, sparse_delta.indices, sparse_delta.values,
                                        use_locking=use_locking, name=name)

    def count_up_to(self, limit):
        return state_ops.count_up_to(self._variable, limit)

    # -- serialization ------------------------------------------------------------------------------------------

    def to_proto(self, export_scope=None):
        from minitf.proto import variable_pb2

        def strip(name):
            if export_scope and name.startswith(export_scope + "/"):
                return name[len(export_scope) + 1:]
            return name

        proto = variable_pb2.VariableDef()
        proto.variable_name = strip(self._variable.name)
        proto.initializer_name = strip(self._initializer_op.name)
        proto.snapshot_name = strip(self._snapshot.name)
        if self._initial_value is not None:
            proto.initial_value_name = strip(self._initial_value.name)
        proto.trainable = self._trainable
        if self._save_slice_info:
            proto.save_slice_info_def.MergeFrom(self._save_slice_info.to_proto(export_scope=export_scope))
        return proto

    @staticmethod
    def from_proto(variable_def, import_scope=None):
        return Variable(variable_def=variable_def, import_scope=import_scope)

    def _set_save_slice_info(self, info):
        self._save_slice_info = info

    def _get_save_slice_info(self):
        return self._save_slice_info

    def __repr__(self):
        return f"<tf.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}>"

    def __hash__(self):
        return id(self)

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    def __iter__(self):
        raise TypeError("'Variable' object is not iterable.")

    def __getitem__(self, key):
        return array_ops._slice_helper(self._snapshot, key, var=self)

    def __array__(self, dtype=None, copy=None):
        raise NotImplementedError(f"Cannot convert a symbolic tf.Variable ({self.name}) to a numpy array.")


RefVariable = Variable


def _overload_operators():
    """``v + 1`` etc. act on the variable's read snapshot, as in TensorFlow."""
    names = ["__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__",
             "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__", "__rpow__", "__matmul__",
             "__rmatmul__", "__lt__", "__le__", "__gt__", "__ge__", "__neg__", "__abs__", "__and__", "__rand__",
             "__or__", "__ror__", "__xor__", "__invert__", "__div__"]
    for name in names:
        tensor_method = getattr(ops.Tensor, name, None)
        if tensor_method is None:
            continue

        def method(self, *args, _m=tensor_method):
            return _m(self.value(), *args)
        method.__name__ = name
        setattr(Variable, name, method)


def _variable_conversion(value, dtype=None, name=None, as_ref=False):
    if as_ref:
        return value._ref()
    tensor = value.value()
    if dtype is not None and not dtypes.as_dtype(dtype).is_compatible_with(tensor.dtype):
        raise ValueError(f"Incompatible type conversion requested to type '{dtypes.as_dtype(dtype).name}' for "
                         f"variable of type '{tensor.dtype.name}'")
    return tensor


_overload_operators()
ops.register_tensor_conversion_function(Variable, _variable_conversion, 0)


def _variable_def_type():
    from minitf.proto import variable_pb2
    return variable_pb2.VariableDef


def _variable_from_proto(proto, import_scope=None):
    return Variable(variable_def=proto, import_scope=import_scope)


for _key in meta_graph.VARIABLE_COLLECTIONS:  # a .meta file holds variables as VariableDefs, as TensorFlow's does
    meta_graph.register_proto_function(_key, _variable_def_type,
                                       lambda v, export_scope=None: v.to_proto(export_scope), _variable_from_proto)


# -- collections and initializers -------------------------------------------------------------------------------

def global_variables(scope=None):
    return ops.get_collection(ops.GraphKeys.GLOBAL_VARIABLES, scope)


all_variables = global_variables


def trainable_variables(scope=None):
    return ops.get_collection(ops.GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope=None):
    return ops.get_collection(ops.GraphKeys.LOCAL_VARIABLES, scope)


def model_variables(scope=None):
    return ops.get_collection(ops.GraphKeys.MODEL_VARIABLES, scope)


def moving_average_variables(scope=None):
    return ops.get_collection(ops.GraphKeys.MOVING_AVERAGE_VARIABLES, scope)


def variables_initializer(var_list, name="init"):
    if var_list:
        return control_flow_ops.group(*[v.initializer for v in var_list], name=name)
    return control_flow_ops.no_op(name=name)


def global_variables_initializer():
    return variables_initializer(global_variables())


def local_variables_initializer():
    return variables_initializer(local_variables(), name="init")


initialize_all_variables = global_variables_initializer
initialize_variables = variables_initializer
initialize_local_variables = local_variables_initializer


def is_variable_initialized(variable):
    return state_ops.is_variable_initialized(variable)


def assert_variables_initialized(var_list=None):
    if var_list is None:
        var_list = global_variables() + local_variables()
    if not var_list:
        return None
    with ops.name_scope("assert_variables_initialized"):
        ranks = [math_ops.logical_not(state_ops.is_variable_initialized(v)) for v in var_list]
        return math_ops.reduce_all(math_ops.logical_not(array_ops.stack(ranks)))


def report_uninitialized_variables(var_list=None, name="report_uninitialized_variables"):
    """A string tensor naming the variables that are not yet initialised in the session that runs it."""
    from minitf.ops import constant_op
    if var_list is None:
        var_list = global_variables() + local_variables()
    with ops.name_scope(name):
        if not var_list:
            return constant_op.constant(np.array([], dtype=object), dtype=dtypes.string)
        mask = math_ops.logical_not(array_ops.stack([state_ops.is_variable_initialized(v) for v in var_list]))
        names = constant_op.constant([v.op.name for v in var_list])
        return array_ops.boolean_mask(names, mask)
