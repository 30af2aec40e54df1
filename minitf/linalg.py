"""``tf.linalg``: TensorFlow 1.x's linear-algebra functions under their ``tf.linalg`` names."""

from minitf.ops.clip_ops import global_norm
from minitf.ops.linalg_impl import einsum, norm, tensordot
from minitf.ops.linalg_ops import matmul
from minitf.ops.matrix_ops import cholesky, eye, trace
from minitf.ops.matrix_ops import matrix_band_part as band_part
from minitf.ops.matrix_ops import matrix_determinant as det
from minitf.ops.matrix_ops import matrix_diag as diag
from minitf.ops.matrix_ops import matrix_diag_part as diag_part
from minitf.ops.matrix_ops import matrix_inverse as inv
from minitf.ops.matrix_ops import matrix_set_diag as set_diag
from minitf.ops.matrix_ops import matrix_solve as solve
from minitf.ops.matrix_ops import matrix_triangular_solve as triangular_solve
from minitf.ops.nn_ops import l2_normalize
from minitf.ops.slicing_ops import matrix_transpose
from minitf.ops.slicing_ops import matrix_transpose as transpose
