"""Programs of tests/golden/make_proximal_optimizers.py (TensorFlow) and tests/test_proximal_optimizers.py (minitf):
FTRL, the proximal optimizers and AdagradDA training a small model whose loss has dense gradients (a weight vector
and a bias, no matmul: see docs/exactness.md) and sparse ones, with duplicate indices: an embedding lookup in a
table (the SparseApply* ops' row path) and a gather from a vector (their one-number-per-row path).
"""
import numpy as np

STEPS = 4

# name: the optimizer, as an expression of ``tf`` and ``step`` (the global step)
OPTIMIZERS = {
    "ftrl": "tf.train.FtrlOptimizer(0.1)",
    "ftrl_l1_l2": "tf.train.FtrlOptimizer(0.3, initial_accumulator_value=0.2, l1_regularization_strength=0.05, "
                  "l2_regularization_strength=0.1)",
    "ftrl_power": "tf.train.FtrlOptimizer(0.2, learning_rate_power=-0.3, l1_regularization_strength=0.01)",
    "ftrl_fixed_rate": "tf.train.FtrlOptimizer(0.2, learning_rate_power=0.0, l2_regularization_strength=0.05)",
    "ftrl_shrinkage": "tf.train.FtrlOptimizer(0.2, l1_regularization_strength=0.01, l2_regularization_strength=0.02, "
                      "l2_shrinkage_regularization_strength=0.1)",
    "ftrl_names": "tf.train.FtrlOptimizer(0.1, initial_accumulator_value=0.0, beta=0.5, accum_name='acc', "
                  "linear_name='lin', name='MyFtrl')",
    "proximal_gd": "tf.train.ProximalGradientDescentOptimizer(0.1)",
    "proximal_gd_l1_l2": "tf.train.ProximalGradientDescentOptimizer(0.2, l1_regularization_strength=0.05, "
                         "l2_regularization_strength=0.1)",
    "proximal_adagrad": "tf.train.ProximalAdagradOptimizer(0.1)",
    "proximal_adagrad_l1_l2": "tf.train.ProximalAdagradOptimizer(0.3, initial_accumulator_value=0.2, "
                              "l1_regularization_strength=0.05, l2_regularization_strength=0.1)",
    "adagrad_da": "tf.train.AdagradDAOptimizer(0.1, step)",
    "adagrad_da_l1_l2": "tf.train.AdagradDAOptimizer(0.3, step, initial_gradient_squared_accumulator_value=0.2, "
                        "l1_regularization_strength=0.01, l2_regularization_strength=0.1)",
}
# The same with float64 variables (the kernels' double arithmetic: glibc's pow, double rates)
# (the proximal optimizers pass their float32 rates uncast: a float64 variable is a TypeError, see ERRORS)
FLOAT64 = ("ftrl_power", "adagrad_da_l1_l2")
OPTIMIZERS.update({name + "_float64": OPTIMIZERS[name] for name in FLOAT64})

# The programs whose GraphDefs TensorFlow writes (tests/fixtures/graphs/proximal_optimizers/): every update op type
GRAPH_DEFS = ("ftrl", "ftrl_shrinkage", "proximal_gd_l1_l2", "proximal_adagrad_l1_l2", "adagrad_da_l1_l2")

# Constructor errors: name -> statement
ERRORS = {
    "ftrl_positive_power": "tf.train.FtrlOptimizer(0.1, learning_rate_power=0.5)",
    "ftrl_negative_accumulator": "tf.train.FtrlOptimizer(0.1, initial_accumulator_value=-0.1)",
    "ftrl_negative_l1": "tf.train.FtrlOptimizer(0.1, l1_regularization_strength=-1.0)",
    "ftrl_negative_l2": "tf.train.FtrlOptimizer(0.1, l2_regularization_strength=-0.5)",
    "ftrl_negative_shrinkage": "tf.train.FtrlOptimizer(0.1, l2_shrinkage_regularization_strength=-0.5)",
    "ftrl_no_name": "tf.train.FtrlOptimizer(0.1, name='')",
    "proximal_adagrad_zero_accumulator": "tf.train.ProximalAdagradOptimizer(0.1, initial_accumulator_value=0.0)",
    "adagrad_da_zero_accumulator": "tf.train.AdagradDAOptimizer(0.1, None, "
                                   "initial_gradient_squared_accumulator_value=0.0)",
    "proximal_gd_float64": "build(tf, 'proximal_gd', np.float64)",
    "proximal_adagrad_float64": "build(tf, 'proximal_adagrad', np.float64)",
}

# Run-time errors of the update ops: name -> optimizer expression (trained one step on the model)
RUN_ERRORS = {
    "proximal_adagrad_negative_rate": "tf.train.ProximalAdagradOptimizer(-0.1)",
    "proximal_adagrad_negative_l1": "tf.train.ProximalAdagradOptimizer(0.1, l1_regularization_strength=-0.5)",
    "ftrl_negative_rate": "tf.train.FtrlOptimizer(-0.1)",
}


def model(tf, dtype=np.float32):
    """The loss (of ``dtype``) of a weight vector, a bias, a (6, 3) embedding table and a vector of 5 row biases."""
    x = tf.constant(np.linspace(-1, 1, 12, dtype=dtype).reshape(4, 3))
    target = tf.constant(np.linspace(1, -0.5, 12, dtype=dtype).reshape(4, 3))
    w = tf.Variable(np.array([0.1, -0.2, 0.3], dtype), name="w")
    b = tf.Variable(np.array([0.05], dtype), name="b")
    table = tf.Variable((np.arange(18, dtype=dtype).reshape(6, 3) / 10.0 - 0.5).astype(dtype), name="table")
    row_bias = tf.Variable(np.array([0.3, -0.1, 0.02, 0.4, -0.25], dtype), name="row_bias")
    ids = tf.constant([[1, 4], [1, 0]])
    rows = tf.nn.embedding_lookup(table, ids)
    dense = tf.reduce_mean(tf.square(x * w + b - target))
    sparse = tf.reduce_sum(tf.square(rows - 0.2)) + tf.reduce_sum(tf.square(tf.gather(row_bias, [3, 0, 3, 2]) + 0.1))
    return dense + sparse


def build(tf, name, dtype=None):
    """(train op, variables) of program ``name``: its optimizer minimizing the model's loss (float64 for the
    ``_float64`` programs)."""
    loss = model(tf, dtype or (np.float64 if name.endswith("_float64") else np.float32))
    step = tf.train.get_or_create_global_step()
    train = eval(OPTIMIZERS[name], {"tf": tf, "step": step}).minimize(loss, global_step=step)
    return train, tf.global_variables()


def error_of(tf, statement):
    """[exception class name, message] of a statement that must raise (in a graph of its own)."""
    try:
        with tf.Graph().as_default():
            eval(statement, {"tf": tf, "np": np, "build": build})
    except Exception as e:  # noqa: BLE001 - recorded, compared as they are
        return [type(e).__name__, str(e)]
    raise AssertionError(f"{statement} did not raise")


def run_error_of(tf, name, config=None):
    """[exception class name, the kernel's message] of one training step (TensorFlow's message adds lines around
    it: where the node was defined, and the node's name indented)."""
    with tf.Graph().as_default():
        loss = model(tf)
        train = eval(RUN_ERRORS[name], {"tf": tf}).minimize(loss)
        with tf.Session(config=config) as sess:
            sess.run(tf.global_variables_initializer())
            try:
                sess.run(train)
            except tf.errors.OpError as e:
                return [type(e).__name__, [line for line in e.message.splitlines()
                                           if line and not line.startswith(("\t", " "))][-1]]
    raise AssertionError(f"{name} did not raise")
