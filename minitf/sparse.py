"""``tf.sparse``: sparse tensors under their TensorFlow 2 style names."""

from minitf.framework.sparse_tensor import SparseTensor
from minitf.ops.sparse_segment_ops import (sparse_segment_mean as segment_mean,  # noqa: F401
                                          sparse_segment_sqrt_n as segment_sqrt_n, sparse_segment_sum as segment_sum)
from minitf.ops.sparse_ops import sparse_tensor_to_dense as to_dense
