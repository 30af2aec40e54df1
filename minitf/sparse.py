"""``tf.sparse``: sparse tensors under their TensorFlow 2 style names."""

from minitf.framework.sparse_tensor import SparseTensor
from minitf.ops.sparse_ops import sparse_tensor_to_dense as to_dense
