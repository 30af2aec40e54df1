"""Seeded random programs shared by tests/golden/make_random.py (TensorFlow) and tests/test_random_ops.py (minitf).

A case builds a graph with ``build(tf)`` and returns the tensors to fetch; :func:`run_case` runs them in one
Session twice (or along ``schedule``), then once in a new Session. Variable cases run the variable initializer
before every fetch, so its second run draws again. ``tf1_rule`` cases are built under TensorFlow 1.x's seed rule
(a missing op seed is the graph's op count); ``tolerance`` cases are compared within that relative tolerance
instead of bit for bit (the orthogonal initializer's QR step, the RandomGamma gradient).
"""
import types

import numpy as np

SHAPES = [[], [1], [3], [4], [5], [7], [1000], [3, 2], [2, 3, 4, 5]]


class Case:
    def __init__(self, build, variables=False, tf1_rule=False, tolerance=None, schedule=None):
        self.build, self.variables, self.tf1_rule = build, variables, tf1_rule
        self.tolerance, self.schedule = tolerance, schedule


def run_case(tf, case, tf1_rule_scope):
    """Values of the case's fetches: a list of runs, each a list of numpy arrays (the last run: a new Session)."""
    graph = tf.Graph()
    with graph.as_default():
        if case.tf1_rule:
            with tf1_rule_scope():
                fetches = case.build(tf)
        else:
            fetches = case.build(tf)
        init = tf.global_variables_initializer() if case.variables else None
    every = list(range(len(fetches)))
    runs = []
    for schedule in (case.schedule or [every, every], [every]):
        with tf.Session(graph=graph) as sess:
            for indices in schedule:
                if init is not None:
                    sess.run(init)
                runs.append(sess.run([fetches[i] for i in indices]))
    return runs


# -- every op at every shape -------------------------------------------------------------------------------------

def _arange(shape, dtype):
    return np.arange(int(np.prod(shape)), dtype=dtype).reshape(shape)


FLOAT_OPS = {
    "uniform": lambda tf, shape, dtype: tf.random_uniform(shape, -2.5, 3.0, dtype=getattr(tf, dtype), seed=7),
    "normal": lambda tf, shape, dtype: tf.random_normal(shape, 0.5, 2.0, dtype=getattr(tf, dtype), seed=7),
    "truncated_normal": lambda tf, shape, dtype: tf.truncated_normal(shape, -1.0, 0.3, dtype=getattr(tf, dtype),
                                                                     seed=7),
    "shuffle": lambda tf, shape, dtype: tf.random_shuffle(tf.constant(_arange(shape, dtype)), seed=7),
    "gamma": lambda tf, shape, dtype: tf.random_gamma(shape, [0.5, 1.0, 2.5], dtype=getattr(tf, dtype), seed=7),
    "poisson": lambda tf, shape, dtype: tf.random_poisson([0.5, 4.0, 25.0], shape, dtype=getattr(tf, dtype),
                                                          seed=7),
    "dropout": lambda tf, shape, dtype: tf.nn.dropout(tf.ones(shape, getattr(tf, dtype)), keep_prob=0.7, seed=7),
}
INT_OPS = {
    "uniform": lambda tf, shape, dtype: tf.random_uniform(shape, -5, 17, dtype=getattr(tf, dtype), seed=7),
    "poisson": lambda tf, shape, dtype: tf.random_poisson([0.5, 4.0, 25.0], shape, dtype=getattr(tf, dtype),
                                                          seed=7),
    "shuffle": lambda tf, shape, dtype: tf.random_shuffle(tf.constant(_arange(shape, dtype)), seed=7),
}


def _per_shape_cases():
    cases = {}
    for shape in SHAPES:
        key = "x".join(map(str, shape)) or "scalar"
        for table, dtypes in ((FLOAT_OPS, ("float32", "float64")), (INT_OPS, ("int32", "int64"))):
            for op_name, make in table.items():
                for dtype in dtypes:
                    cases[f"{op_name}/{dtype}/{key}"] = Case(
                        lambda tf, make=make, shape=shape, dtype=dtype: [make(tf, shape, dtype)])
        cases[f"uniform_default_range/{key}"] = Case(lambda tf, shape=shape: [
            tf.random_uniform(shape, seed=7), tf.random_uniform(shape, maxval=4, seed=8),
            tf.random_uniform(shape, 0.0, 1.0, seed=9)])
    return cases


# -- Multinomial / categorical -----------------------------------------------------------------------------------

MULTINOMIAL = [  # rows, classes, samples, logits dtype, output dtype; the large ones run in several shards
    (1, 3, 1, "float32", "int64"), (1, 5, 3, "float32", "int64"), (2, 4, 4, "float64", "int32"),
    (3, 10, 5, "float32", "int64"), (4, 7, 7, "float64", "int64"), (1, 2, 1000, "float32", "int32"),
    (3, 2, 1, "float16", "int64"), (32, 10, 100, "float32", "int64"), (64, 50, 33, "float32", "int64"),
    (7, 1000, 20, "float64", "int64"), (1000, 10, 10, "float32", "int32"),
]


def multinomial_logits(rows, classes, dtype):
    return np.random.default_rng(rows * 1000 + classes).normal(size=(rows, classes)).astype(dtype)


# Raw Multinomial ops (rows, classes, samples, seed, seed2) recorded with 1, 3 and 4 TensorFlow threads: all but
# the first are large enough to be split into shards, whose streams restart (see random_kernels.multinomial).
SHARDED_MULTINOMIAL = [(2, 5, 10, 87654321, 1), (32, 10, 100, 87654321, 2), (64, 50, 33, 7, 3),
                       (1000, 10, 10, 5, 4), (7, 1000, 20, 87654321, 5)]


def _multinomial_cases():
    cases = {}
    for rows, classes, samples, logits_dtype, out_dtype in MULTINOMIAL:
        cases[f"multinomial/{rows}x{classes}x{samples}/{logits_dtype}/{out_dtype}"] = Case(
            lambda tf, r=rows, c=classes, s=samples, ld=logits_dtype, od=out_dtype: [
                tf.multinomial(tf.constant(multinomial_logits(r, c, ld)), s, seed=5, output_dtype=getattr(tf, od))])
    special = np.array([[-np.inf, 0.0, 1.0, -np.inf], [np.inf, 0.5, np.nan, 0.5], [-np.inf] * 4], np.float32)
    cases["multinomial/non_finite_logits"] = Case(lambda tf: [tf.multinomial(tf.constant(special), 6, seed=5)])
    cases["categorical/name_and_dtype"] = Case(lambda tf: [
        tf.random.categorical(tf.constant(multinomial_logits(2, 6, "float32")), 9, dtype=tf.int32, seed=4),
        tf.random.categorical(np.log([[0.5, 0.5]]), 5, seed=4)])
    return cases


# -- how seeds combine -------------------------------------------------------------------------------------------

def _unseeded_mix(tf, seed=None):
    """One op of every kind, all with the same op seed (None: the graph's counter gives each its own)."""
    return [
        tf.random_normal([3], seed=seed), tf.truncated_normal([2, 2], seed=seed),
        tf.random_uniform([5], seed=seed), tf.Variable(tf.random_uniform([2], seed=seed)),
        tf.random_shuffle(tf.constant([1, 2, 3, 4, 5]), seed=seed), tf.multinomial([[0.1, 0.5, 0.2]], 4, seed=seed),
        tf.random_gamma([3], 2.0, seed=seed), tf.random_poisson(3.0, [3], seed=seed),
        tf.nn.dropout(tf.ones([6]), keep_prob=0.5, seed=seed), tf.get_variable("w", [3, 2]),
        tf.random.uniform([2], seed=seed), tf.random.normal([2], seed=seed),
    ]


def _seeded(tf, graph_seed, op_seed):
    tf.set_random_seed(graph_seed)
    return _unseeded_mix(tf, op_seed)


def _tf1_program(tf):
    """Under TensorFlow 1.x's rule every op created before a random op changes its seed."""
    tf.set_random_seed(5)
    x = tf.constant([1.0, 2.0])
    a = tf.random_uniform([3], -1, 1)
    y = x + 1.0
    b = tf.random_normal([2])
    w = tf.get_variable("w", [2, 3])
    z = tf.reduce_sum(y * 2.0)
    c = tf.random_uniform([4])
    d = tf.random_shuffle(tf.constant([1, 2, 3, 4]))
    e = tf.random_uniform([2], seed=11)
    return [a, b, w, z, c, d, e]


def _uniform_m10_10(tf, seed=None):
    return tf.random_uniform([], -10, 10, seed=seed)


def _under_graph_seed(graph_seed, build):
    def case(tf):
        tf.set_random_seed(graph_seed)
        return build(tf)
    return case


def _all_but_get_variable(tf):
    """The mix with op seed 3 and no graph seed, leaving out the default-initialised (unseeded) variable."""
    ops = _unseeded_mix(tf, 3)
    return ops[:9] + ops[10:]


def _fetch_lists_program(tf):
    a = tf.random_uniform([3], seed=1)
    return [a, tf.random_normal([2], seed=3), a * 2.0]


def _seed_cases():
    return {
        # seeds/002: 3.57493 and -5.97319, again 3.57493 in a new session, the same for a second op
        "seeds002/op_seed": Case(lambda tf: [_uniform_m10_10(tf, 2)]),
        "seeds002/two_ops_one_seed": Case(lambda tf: [_uniform_m10_10(tf, 2), _uniform_m10_10(tf, 2)]),
        "seeds002/graph_seed": Case(_under_graph_seed(2, lambda tf: [_uniform_m10_10(tf), _uniform_m10_10(tf)])),
        "graph_seed_only": Case(_under_graph_seed(5, _unseeded_mix), variables=True),
        "graph_and_op_seed": Case(_under_graph_seed(5, lambda tf: _unseeded_mix(tf, 3)), variables=True),
        "op_seed_only": Case(_all_but_get_variable, variables=True),
        "zero_seeds": Case(_under_graph_seed(0, lambda tf: [tf.random_uniform([4], seed=0),
                                                            tf.random_normal([4], seed=0)])),
        "truncated_seeds": Case(_under_graph_seed(2 ** 40 + 7, lambda tf: [
            tf.random_uniform([3], seed=2 ** 31 + 5), tf.random_uniform([3], seed=-3), tf.random_uniform([3])])),
        "explicit_seed_skips_counter": Case(_under_graph_seed(4, lambda tf: [
            tf.random_uniform([2]), tf.random_uniform([2], seed=9), tf.random_uniform([2])])),
        "same_op_seed_different_ops": Case(lambda tf: [
            tf.random_uniform([6], seed=1), tf.random_normal([6], seed=1), tf.truncated_normal([6], seed=1),
            tf.random_uniform([6], seed=1, dtype=tf.float64), tf.random_uniform([6], 0, 100, tf.int32, seed=1)]),
        "fetch_lists_share_stream": Case(_fetch_lists_program, schedule=[[0], [0, 1], [2], [0]]),
        "tf1_rule/program": Case(_tf1_program, variables=True, tf1_rule=True),
        "tf1_rule/op_seed_without_graph_seed": Case(lambda tf: [tf.random_uniform([3], seed=4)], tf1_rule=True),
    }


# -- initializers ------------------------------------------------------------------------------------------------

def _initializers(tf):
    table = {
        "random_uniform": tf.random_uniform_initializer(-0.1, 0.2, seed=1),
        "random_normal": tf.random_normal_initializer(0.1, 0.5, seed=2),
        "truncated_normal": tf.truncated_normal_initializer(0.0, 0.02, seed=3),
        "glorot_uniform": tf.glorot_uniform_initializer(seed=4),
        "glorot_normal": tf.glorot_normal_initializer(seed=5),
        "uniform_unit_scaling": tf.uniform_unit_scaling_initializer(1.5, seed=6),
        "he_normal": tf.initializers.he_normal(seed=7),
        "he_uniform": tf.initializers.he_uniform(seed=8),
        "lecun_normal": tf.initializers.lecun_normal(seed=9),
        "lecun_uniform": tf.initializers.lecun_uniform(seed=10),
    }
    for i, mode in enumerate(("fan_in", "fan_out", "fan_avg")):
        for j, distribution in enumerate(("normal", "truncated_normal", "untruncated_normal", "uniform")):
            table[f"variance_scaling_{mode}_{distribution}"] = tf.variance_scaling_initializer(
                scale=0.5 + i + j, mode=mode, distribution=distribution, seed=20 + 4 * i + j)
    return table


def _get_variable_cases():
    cases = {}
    for shape in ([4, 3], [3, 3, 2, 5], [7], []):
        for dtype in ("float32", "float64"):
            def build(tf, shape=shape, dtype=dtype):
                return [tf.get_variable(name, shape, getattr(tf, dtype), initializer=init)
                        for name, init in _initializers(tf).items()]
            cases[f"get_variable/{dtype}/{'x'.join(map(str, shape)) or 'scalar'}"] = Case(build, variables=True)
    return cases


def _variable_scope_program(tf):
    with tf.variable_scope("scope", initializer=tf.random_normal_initializer(seed=9)):
        a = tf.get_variable("a", [3, 2])
        with tf.variable_scope("inner"):
            b = tf.get_variable("b", [2], dtype=tf.float64)
        c = tf.get_variable("c", [2, 2], initializer=tf.truncated_normal_initializer(seed=1))
    tf.set_random_seed(6)
    with tf.variable_scope("seeded", initializer=tf.random_uniform_initializer(-1.0, 1.0)):
        d = tf.get_variable("d", [4])
        e = tf.get_variable("e", [4])
    f = tf.get_variable("f", [3, 4])  # default: glorot_uniform, seed from the counter
    return [a, b, c, d, e, f]


def _tf_variable_program(tf):
    return [
        tf.Variable(tf.random_normal([2, 3], seed=1)),
        tf.Variable(tf.truncated_normal([3], stddev=0.1, seed=0)),
        tf.Variable(tf.glorot_uniform_initializer(seed=3)([4, 3])),
        tf.Variable(lambda: tf.random_uniform([2], -1.0, 1.0, seed=5)),
        tf.Variable(tf.variance_scaling_initializer(seed=6)([5, 2], dtype=tf.float64)),
    ]


def _partition_program(tf):
    """One partition of a larger variable: the fans come from the full shape (``partition_info.full_shape``)."""
    part = types.SimpleNamespace(full_shape=[8, 3], var_offset=[4, 0])
    return [tf.glorot_uniform_initializer(seed=1)([4, 3], partition_info=part),
            tf.variance_scaling_initializer(2.0, "fan_in", "truncated_normal", seed=2)([4, 3], partition_info=part),
            tf.uniform_unit_scaling_initializer(seed=3)([4, 3], partition_info=part)]


def _orthogonal_program(tf):
    return [tf.get_variable("square", [4, 4], initializer=tf.orthogonal_initializer(seed=1)),
            tf.get_variable("tall", [6, 3], initializer=tf.orthogonal_initializer(seed=2)),
            tf.get_variable("wide", [3, 5], initializer=tf.orthogonal_initializer(gain=2.0, seed=3)),
            tf.get_variable("conv", [2, 2, 3, 4], tf.float64, initializer=tf.orthogonal_initializer(seed=4))]


def _gamma_gradient_program(tf):
    alpha = tf.constant([0.3, 1.0, 2.5, 9.0])
    beta = tf.constant([[1.0], [2.0]])
    sample = tf.random_gamma([5], alpha, beta, seed=3)
    weights = tf.constant(np.linspace(0.5, 1.5, 40).reshape(5, 2, 4).astype(np.float32))
    grad_alpha, grad_beta = tf.gradients(tf.reduce_sum(sample * weights), [alpha, beta])
    alpha64 = tf.constant([0.05, 4.0, 30.0], tf.float64)
    sample64 = tf.random_gamma([3, 2], alpha64, dtype=tf.float64, seed=4)
    return [sample, grad_alpha, grad_beta, sample64, tf.gradients(tf.reduce_sum(sample64), alpha64)[0]]


CASES = {**_per_shape_cases(), **_multinomial_cases(), **_seed_cases(), **_get_variable_cases(),
         "variable_scope_initializers": Case(_variable_scope_program, variables=True),
         "tf_variable_initial_values": Case(_tf_variable_program, variables=True),
         "initializers_of_a_partition": Case(_partition_program),
         "orthogonal_initializer": Case(_orthogonal_program, variables=True, tolerance=1e-6),
         "gamma_gradients": Case(_gamma_gradient_program, tolerance=1e-5)}
