"""``tf.layers`` classes: TF 1.x's ``tf.layers.Layer`` and the layer objects (``Dense``, ``Conv2D``, ...).

A layer object stores its configuration when made and builds when first called: its variables are created in a
variable scope captured then (``dense``, ``dense_1``; ``c``, ``c_1`` for objects named ``c``), and every later call
re-enters that scope, so it reuses the same variables and names its ops ``dense/MatMul_1``, ... as TensorFlow's
legacy layers (tf_keras 2.21).
The built-in classes call the functional form of minitf/layers.py with their configuration (each class's
``__init__`` takes the functional's arguments, without ``inputs`` and ``reuse`` and the call arguments such as
``training``); ``.variables``, ``.trainable_variables``, ``.kernel``, ``.bias``, ``.updates`` and ``.losses``
describe what the first call made. A subclass of ``Layer`` overrides ``build(input_shape)`` (calling
``add_weight``) and ``call(inputs)``.
"""

import inspect
import re

from minitf import layers as functional
from minitf.framework import dtypes, ops, tensor_shape


def _snake_case(class_name):
    """tf_keras's ``to_snake_case``: ``Conv2DTranspose`` -> ``conv2d_transpose``."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", class_name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


class Layer:
    """``tf.layers.Layer``: builds on the first ``__call__`` / ``apply``, in its own variable scope, and reuses
    its variables on later calls."""

    _optional_weights = ()

    def __init__(self, trainable=True, name=None, dtype=None, **kwargs):
        unknown = set(kwargs) - {"_scope", "_reuse", "input_shape", "batch_input_shape"}
        if unknown:
            raise TypeError("Keyword argument not understood:", sorted(unknown)[0])
        self.trainable = trainable
        self._base_name = name or _snake_case(type(self).__name__)
        self._name = name or functional._unique_layer_name(self._base_name)
        self._reuse = kwargs.get("_reuse")
        self.dtype = None if dtype is None else dtypes.as_dtype(dtype)
        self.built = False
        self._scope = None
        self._weights = []  # (variable, trainable) in creation order
        self._updates, self._losses = [], []
        self._input_depth = None

    @property
    def name(self):
        return self._name

    @property
    def scope_name(self):
        if self._scope is None:
            raise ValueError("No name available for layer scope because the layer \"" + self._name +
                             "\" has not been used yet. The scope name  is determined the first time the layer "
                             "instance is called. You must therefore call the layer before querying `scope_name`.")
        return self._scope.name

    # -- weights and what the calls added ----------------------------------------------------------------------

    def _track_weight(self, name, variable, trainable):
        if all(v is not variable for v, _ in self._weights):
            self._weights.append((variable, trainable))
            setattr(self, name, variable)

    @property
    def trainable_weights(self):
        return [v for v, t in self._weights if t] if self.trainable else []

    @property
    def non_trainable_weights(self):
        if not self.trainable:
            return [v for v, _ in self._weights]
        return [v for v, t in self._weights if not t]

    @property
    def weights(self):
        return self.trainable_weights + self.non_trainable_weights

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights
    variables = weights

    @property
    def updates(self):
        return list(self._updates)

    @property
    def losses(self):
        return list(self._losses)

    def add_weight(self, name, shape, dtype=None, initializer=None, regularizer=None, trainable=True,
                   constraint=None, **kwargs):
        """A variable of this layer, made in its variable scope (call it from ``build``)."""
        dtype = dtypes.as_dtype(dtype or self.dtype or dtypes.float32)
        return functional._add_weight(name, list(shape), dtype, initializer, regularizer, constraint,
                                      trainable and self.trainable)

    # -- calling ---------------------------------------------------------------------------------------------------

    def build(self, input_shape):
        self.built = True

    def call(self, inputs, **kwargs):
        return inputs

    def _call_in_scope(self, inputs, *args, **kwargs):
        """A subclass's build (first call) and call, in the layer's scope."""
        with functional._layer_scope(None, self._base_name):
            if not self.built:
                self.build(inputs.shape if isinstance(inputs, ops.Tensor) else
                           [getattr(t, "shape", None) for t in inputs])
                self.built = True
            return self.call(inputs, *args, **kwargs)

    def __call__(self, inputs, *args, **kwargs):
        inputs = ops.convert_to_tensor(inputs) if not isinstance(inputs, (list, tuple)) else inputs
        self._check_input_depth(inputs)
        graph = ops.get_default_graph()
        updates = len(graph.get_collection(ops.GraphKeys.UPDATE_OPS))
        losses = len(graph.get_collection(ops.GraphKeys.REGULARIZATION_LOSSES))
        functional._layer_state.pending = self
        try:
            outputs = self._call_in_scope(inputs, *args, **kwargs)
        finally:
            functional._layer_state.pending = None
        self._updates += graph.get_collection(ops.GraphKeys.UPDATE_OPS)[updates:]
        self._losses += graph.get_collection(ops.GraphKeys.REGULARIZATION_LOSSES)[losses:]
        for attribute in self._optional_weights:  # e.g. ``bias`` is None without use_bias
            if not hasattr(self, attribute):
                setattr(self, attribute, None)
        self.built = True
        return outputs

    def apply(self, inputs, *args, **kwargs):
        """``layer.apply(inputs)``: the same as calling the layer."""
        return self.__call__(inputs, *args, **kwargs)

    def _check_input_depth(self, inputs):
        """Layers whose weights depend on the input depth (Dense, convolutions) reject another depth later, with
        tf_keras's InputSpec message."""
        if not getattr(self, "_depth_bound", False) or not isinstance(inputs, ops.Tensor) or not inputs.shape.ndims:
            return
        depth = inputs.shape.as_list()[-1]
        if self._input_depth is None:
            self._input_depth = depth
        elif depth is not None and depth != self._input_depth:
            shape = tuple(tensor_shape.as_dimension(d).value for d in inputs.shape.dims)
            raise ValueError(f"Input 0 of layer \"{self._name}\" is incompatible with the layer: expected axis -1 of "
                             f"input shape to have value {self._input_depth}, but received input with shape {shape}")


_TUPLES = ("kernel_size", "strides", "dilation_rate", "pool_size")


def _wrapper(class_name, function, call_args=(), depth_bound=False, optional_weights=(), order=None, rank=2):
    """A Layer class whose ``__init__`` takes ``function``'s arguments (without ``inputs``, ``reuse`` and
    ``call_args``; in the function's order or TensorFlow's ``order``; plus tf_keras's keyword arguments) and whose
    call is ``function(inputs, **configuration, **call arguments)``. The configuration is also the object's
    attributes (sizes as ``rank``-tuples, padding in lower case, as tf_keras shows them). ``optional_weights``:
    weights that are None after the first call when the layer made none (``bias`` without ``use_bias``)."""
    parameters = [p for name, p in inspect.signature(function).parameters.items()
                  if name not in ("inputs", "reuse") + tuple(call_args)]
    if order is not None:
        parameters.sort(key=lambda p: order.index(p.name))
    signature = inspect.Signature(parameters + [inspect.Parameter("kwargs", inspect.Parameter.VAR_KEYWORD)])
    own = [p.name for p in parameters]

    def __init__(self, *args, **kwargs):  # noqa: N807 -- the class's constructor
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        config = {k: v for k, v in bound.arguments.items() if k != "kwargs"}
        Layer.__init__(self, trainable=config.get("trainable", True), name=config.get("name"),
                       **bound.arguments["kwargs"])
        self._config = config
        for key, value in config.items():
            if key in _TUPLES and isinstance(value, int):
                value = (value,) * rank
            elif key in _TUPLES and value is not None:
                value = tuple(value)
            elif key == "padding" and isinstance(value, str):
                value = value.lower()
            if key not in ("name", "trainable"):
                setattr(self, key, value)

    def _call_in_scope(self, inputs, *args, **kwargs):
        kwargs.update(zip(call_args, args))
        config = dict(self._config, name=None)  # the object's scope is its own (see layers._layer_scope)
        if "trainable" in config:
            config["trainable"] = self.trainable
        return function(inputs, **config, **kwargs)

    __init__.__signature__ = signature
    doc = f"``tf.layers.{class_name}``: the layer object of ``tf.layers.{function.__name__}`` ({', '.join(own)})."
    return type(class_name, (Layer,), {"__init__": __init__, "_call_in_scope": _call_in_scope, "__doc__": doc,
                                       "_depth_bound": depth_bound, "_optional_weights": optional_weights,
                                       "__module__": __name__})


Dense = _wrapper("Dense", functional.dense, depth_bound=True, optional_weights=("bias",))
Conv1D = _wrapper("Conv1D", functional.conv1d, depth_bound=True, optional_weights=("bias",), rank=1)
Conv2D = _wrapper("Conv2D", functional.conv2d, depth_bound=True, optional_weights=("bias",))
Conv2DTranspose = _wrapper("Conv2DTranspose", functional.conv2d_transpose, depth_bound=True,
                           optional_weights=("bias",))
SeparableConv2D = _wrapper("SeparableConv2D", functional.separable_conv2d, depth_bound=True,
                           optional_weights=("bias",))
MaxPooling1D = _wrapper("MaxPooling1D", functional.max_pooling1d, rank=1)
MaxPooling2D = _wrapper("MaxPooling2D", functional.max_pooling2d)
AveragePooling1D = _wrapper("AveragePooling1D", functional.average_pooling1d, rank=1)
AveragePooling2D = _wrapper("AveragePooling2D", functional.average_pooling2d)
Flatten = _wrapper("Flatten", functional.flatten, order=["data_format", "name"])
Dropout = _wrapper("Dropout", functional.dropout, call_args=("training",))
BatchNormalization = _wrapper(
    "BatchNormalization", functional.batch_normalization, call_args=("training",),
    optional_weights=("beta", "gamma"),
    order=["axis", "momentum", "epsilon", "center", "scale", "beta_initializer", "gamma_initializer",
           "moving_mean_initializer", "moving_variance_initializer", "beta_regularizer", "gamma_regularizer",
           "beta_constraint", "gamma_constraint", "renorm", "renorm_clipping", "renorm_momentum", "fused",
           "trainable", "virtual_batch_size", "adjustment", "name"])
