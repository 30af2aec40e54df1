"""``tf.sparse``: sparse tensors under their TensorFlow 2 style names."""

from minitf.framework.sparse_tensor import SparseTensor
from minitf.ops.sparse_math_ops import (sparse_add as add, sparse_maximum as maximum,  # noqa: F401
                                        sparse_minimum as minimum, sparse_reduce_max as reduce_max,
                                        sparse_reduce_sum as reduce_sum, sparse_softmax as softmax)
from minitf.ops.sparse_math_ops import sparse_tensor_dense_matmul as matmul  # noqa: F401
from minitf.ops.sparse_math_ops import sparse_tensor_dense_matmul as sparse_dense_matmul  # noqa: F401
from minitf.ops.sparse_ops import from_dense  # noqa: F401
from minitf.ops.sparse_ops import (sparse_concat as concat, sparse_fill_empty_rows as fill_empty_rows,  # noqa: F401
                                   sparse_placeholder as placeholder, sparse_reorder as reorder,
                                   sparse_reshape as reshape, sparse_retain as retain,
                                   sparse_tensor_to_dense as to_dense, sparse_transpose as transpose)
from minitf.ops.sparse_select_ops import (sparse_merge as merge, sparse_slice as slice,  # noqa: F401,A004
                                         sparse_to_indicator as to_indicator)
from minitf.ops.sparse_segment_ops import (sparse_segment_mean as segment_mean,  # noqa: F401
                                          sparse_segment_sqrt_n as segment_sqrt_n, sparse_segment_sum as segment_sum)
