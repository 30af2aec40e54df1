"""minitf: TensorFlow 1.x's graph-mode programming model on numpy. ``import minitf as tf``."""

from minitf.framework import dtypes as _dtypes
from minitf.framework import errors
from minitf.framework.dtypes import (DType, as_dtype, bfloat16, bool, complex64, complex128, double, float16,
                                     float32, float64, half, int8, int16, int32, int64, resource, string,
                                     uint8, uint16, uint32, uint64, variant)
from minitf.framework.op_registry import RegisterGradient
from minitf.framework.ops import (Graph, GraphKeys, Operation, Tensor, add_to_collection, add_to_collections,
                                  control_dependencies, convert_to_tensor, device, get_collection,
                                  get_collection_ref, get_default_graph, name_scope, register_tensor_conversion_function,
                                  reset_default_graph)
from minitf.framework.indexed_slices import IndexedSlices, IndexedSlicesValue, convert_to_tensor_or_indexed_slices
from minitf.framework.tensor_util import MakeNdarray as make_ndarray
from minitf.framework.tensor_util import make_tensor_proto
from minitf.framework.random_seed import set_random_seed
from minitf.framework.sparse_tensor import SparseTensor, SparseTensorValue
from minitf.framework.tensor_shape import Dimension, TensorShape
from minitf.framework.v2_compat import (control_flow_v2_enabled, disable_control_flow_v2, disable_eager_execution,
                                        disable_resource_variables, disable_tensor_equality, disable_v2_behavior,
                                        disable_v2_tensorshape, executing_eagerly,
                                        executing_eagerly_outside_functions, resource_variables_enabled)
from minitf.client.session import InteractiveSession, Session, get_default_session
from minitf.ops.constant_op import constant
from minitf.ops.math_ops import (abs, add, add_n, argmax, argmin, cast, ceil, conj, cos, count_nonzero, div, divide,
                                 equal, exp, expm1, floor, floordiv, floormod, greater, greater_equal, is_finite,
                                 is_inf, is_nan, less, less_equal, log, log1p, logical_and, logical_not,
                                 logical_or, logical_xor, matmul, maximum, minimum, mod, multiply, negative,
                                 not_equal, pow, reciprocal, reduce_all, reduce_any, reduce_logsumexp, reduce_max,
                                 reduce_mean, reduce_min, reduce_prod, reduce_sum, round, rint, rsqrt, saturate_cast,
                                 scalar_mul, sigmoid, sign, sin, sqrt, square, squared_difference, subtract, tan,
                                 tanh, to_double, to_float, to_int32, to_int64, truediv, truncatediv, truncatemod)
from minitf.ops.array_ops import (boolean_mask, broadcast_to, check_numerics, concat, dynamic_stitch, expand_dims,
                                  fill, gather, identity, identity_n, matrix_transpose, newaxis, one_hot, ones,
                                  ones_like, pad, placeholder, placeholder_with_default, range, rank, reshape, shape,
                                  size, slice, split, squeeze, stack, stop_gradient, strided_slice, tile,
                                  transpose, unsorted_segment_sum, unstack, where, where_v2, zeros, zeros_like)
from minitf.ops.check_ops import (assert_equal, assert_greater, assert_greater_equal, assert_integer, assert_less,
                                  assert_less_equal, assert_negative, assert_non_negative, assert_non_positive,
                                  assert_none_equal, assert_positive, assert_rank, assert_rank_at_least,
                                  assert_scalar, assert_type, is_numeric_tensor)
from minitf.ops.clip_ops import clip_by_global_norm, clip_by_norm, clip_by_value, global_norm
from minitf.ops.cond import case, cond
from minitf.ops.confusion_matrix import confusion_matrix
from minitf.ops.control_flow_assert import Assert
from minitf.ops.control_flow_ops import group, no_op, tuple, with_dependencies
from minitf.ops.data_flow_ops import FIFOQueue, PaddingFIFOQueue, PriorityQueue, QueueBase, RandomShuffleQueue
from minitf.ops.functional_ops import foldl, foldr, map_fn, scan
from minitf.ops.gradients import gradients, hessians
from minitf.ops.bincount_ops import bincount
from minitf.ops.gen_math_aliases import arg_max, arg_min, floor_div
from minitf.ops.init_ops import (constant_initializer, glorot_normal_initializer, glorot_uniform_initializer,
                                 ones_initializer, random_normal_initializer, random_uniform_initializer,
                                 orthogonal_initializer, truncated_normal_initializer,
                                 uniform_unit_scaling_initializer,
                                 variance_scaling_initializer, zeros_initializer)
from minitf.ops.image_ops import random_crop
from minitf.ops.indexing_ops import gather_nd, scatter_nd, sequence_mask
from minitf.ops.linalg_impl import einsum, norm, tensordot
from minitf.ops.logging_ops import Print
from minitf.ops.matrix_ops import (cholesky, diag, diag_part, eye, matrix_band_part, matrix_determinant, matrix_diag,
                                   matrix_diag_part, matrix_inverse, matrix_set_diag, matrix_solve,
                                   matrix_triangular_solve, trace)
from minitf.ops.parsing_ops import (FixedLenFeature, FixedLenSequenceFeature, VarLenFeature, decode_csv, decode_raw,
                                    parse_example, parse_single_example, parse_single_sequence_example,
                                    string_to_number)
from minitf.ops.partition_ops import dynamic_partition
from minitf.ops.partitioned_variables import (create_partitioned_variables, fixed_size_partitioner,
                                              min_max_variable_partitioner, variable_axis_size_partitioner)
from minitf.ops.slicing_ops import invert_permutation
from minitf.ops.random_ops import (multinomial, random_gamma, random_normal, random_poisson, random_shuffle,
                                   random_uniform, truncated_normal)
from minitf.ops.reader_ops import (FixedLengthRecordReader, IdentityReader, ReaderBase, TextLineReader,
                                   TFRecordReader, WholeFileReader, matching_files, read_file, write_file)
from minitf.ops.reverse_ops import reverse, reverse_sequence
from minitf.ops.reverse_ops import reverse as reverse_v2
from minitf.ops.sequence_ops import broadcast_dynamic_shape, lin_space, linspace, meshgrid
from minitf.ops.segment_ops import (argsort, segment_max, segment_mean, segment_min, segment_prod, segment_sum,
                                    setdiff1d, sort, unique, unique_with_counts, unsorted_segment_max,
                                    unsorted_segment_mean, unsorted_segment_min, unsorted_segment_prod)
from minitf.ops.space_to_batch_ops import batch_to_space_nd, space_to_batch_nd
from minitf.ops.sparse_segment_ops import sparse_segment_mean, sparse_segment_sqrt_n, sparse_segment_sum
from minitf.ops.special_math_ops import cumprod, cumsum, digamma, erf, erfc, lgamma, polygamma
from minitf.ops.sparse_math_ops import (sparse_add, sparse_maximum, sparse_minimum, sparse_reduce_max,
                                        sparse_reduce_sum, sparse_softmax, sparse_tensor_dense_matmul)
from minitf.ops.sparse_ops import (sparse_concat, sparse_fill_empty_rows, sparse_placeholder, sparse_reorder,
                                   sparse_reshape, sparse_retain, sparse_tensor_to_dense, sparse_to_dense,
                                   sparse_transpose)
from minitf.ops.sparse_select_ops import sparse_merge, sparse_slice, sparse_to_indicator
from minitf.ops.string_ops import as_string, regex_replace, string_join, string_split, substr
from minitf.ops.string_ops import strip as string_strip
from minitf.ops.string_reduce_ops import reduce_join
from minitf.ops.scatter_nd_ops import (scatter_nd_add, scatter_nd_sub, scatter_nd_update, tensor_scatter_add,
                                       tensor_scatter_nd_add, tensor_scatter_nd_sub, tensor_scatter_nd_update,
                                       tensor_scatter_sub, tensor_scatter_update)
from minitf.ops.script_ops import add_check_numerics_ops, numpy_function, py_func, verify_tensor_all_finite
from minitf.ops.state_ops import assign, assign_add, assign_sub, count_up_to, scatter_add, scatter_sub, scatter_update
from minitf.ops.tensor_array_ops import TensorArray
from minitf.ops.while_loop import while_loop
from minitf.ops.variable_scope import (AUTO_REUSE, VariableScope, get_local_variable, get_variable,
                                       get_variable_scope, no_regularizer, variable_op_scope, variable_scope)
from minitf.ops.variables import (Variable, all_variables, assert_variables_initialized, global_variables,
                                  global_variables_initializer, initialize_all_variables,
                                  initialize_local_variables, initialize_variables, is_variable_initialized,
                                  local_variables, local_variables_initializer, model_variables,
                                  moving_average_variables, report_uninitialized_variables, trainable_variables,
                                  variables_initializer)
from minitf import (debugging, image, initializers, linalg, losses, math, nn, python_io, queue, random, sparse, strings,
                    summary, train)
from minitf.ops import dataset_ops as _dataset_ops  # noqa: F401 -- registers tf.data's ops; tf.data loads on first use
from minitf.ops import dataset_readers as _dataset_readers  # noqa: F401 -- registers the reader datasets
from minitf.ops import iterator_ops as _iterator_ops  # noqa: F401 -- registers the iterator ops
from minitf.platform import gfile
from minitf.platform import tf_logging as logging

from minitf import compat
from minitf.compat import dimension_at_index, dimension_value

pack = stack
unpack = unstack
mul = multiply
sub = subtract
neg = negative

from minitf.platform.version import MINITF_VERSION, TENSORFLOW_VERSION, VERSION  # see there for what they mean

__version__ = VERSION

# Protocol-buffer classes TensorFlow 1.x exposes at the top level (``tf.GraphDef``, ``tf.RunOptions``, ...), and
# the GraphDef importer, loaded on first use so that ``import minitf`` stays fast.
_LAZY_NAMES = {
    "AttrValue": "minitf.proto.attr_value_pb2",
    "ConfigProto": "minitf.proto.config_pb2",
    "Event": "minitf.proto.event_pb2",
    "GPUOptions": "minitf.proto.config_pb2",
    "GraphDef": "minitf.proto.graph_pb2",
    "GraphOptions": "minitf.proto.config_pb2",
    "HistogramProto": "minitf.proto.summary_pb2",
    "import_graph_def": "minitf.framework.graph_io",
    "LogMessage": "minitf.proto.event_pb2",
    "MetaGraphDef": "minitf.proto.meta_graph_pb2",
    "NameAttrList": "minitf.proto.attr_value_pb2",
    "NodeDef": "minitf.proto.node_def_pb2",
    "OptimizerOptions": "minitf.proto.config_pb2",
    "RunMetadata": "minitf.proto.config_pb2",
    "RunOptions": "minitf.proto.config_pb2",
    "SessionLog": "minitf.proto.event_pb2",
    "Summary": "minitf.proto.summary_pb2",
    "SummaryMetadata": "minitf.proto.summary_pb2",
    "TensorInfo": "minitf.proto.meta_graph_pb2",
}


from minitf._missing import lazy_names as _lazy_names  # noqa: E402

# Submodules imported on first use for the same reason: ``tf.contrib`` loads protobuf (its projector config);
# the others are libraries only some programs use, and register no op (``tf.data``'s ops are registered above).
_LAZY_MODULES = {"app": "minitf.platform.app", "contrib": "minitf.contrib", "data": "minitf.data",
                 "flags": "minitf.platform.flags", "graph_util": "minitf.framework.graph_util", "layers": "minitf.layers",
                 "metrics": "minitf.metrics"}


__getattr__, __dir__ = _lazy_names("tf", globals(), _LAZY_NAMES, _LAZY_MODULES)
