"""The CIFAR-10 tutorial's training step, under minitf (default) or TensorFlow (--tf, with ~/tfref/bin/python).

The model is the tutorial's (issue 7): batch 128 of 24x24x3 images; conv 5x5x64 + bias + relu, max pool 3x3/2
SAME, LRN; conv 5x5x64 + bias + relu, LRN, max pool 3x3/2 SAME; local 384 and 192 (matmul + bias + relu);
10-class linear layer; mean sparse softmax cross-entropy plus the local layers' L2 weight decay; plain
GradientDescentOptimizer. Inputs are placeholders fed with the same numpy batch every step.

Measures (medians of --repeat runs, each run the mean of --steps session calls after a warm-up; ``*_best_s`` is the
fastest run, a steadier figure on a shared machine):
- ``forward_s``: ``sess.run(logits)``; ``step_s``: ``sess.run(train_op)`` (forward, backward, update);
- ``matmul_floor_s`` (minitf mode): the same step's matrix products alone in numpy (im2col shapes), the floor of
  an im2col design; ``step_over_floor`` is the ratio;
- ``peak_rss_mb`` / ``step_rss_growth_mb``: the process's peak resident memory, and how far it grew above the
  resident size just before the first training step, in a fresh subprocess;
- ``profile``: seconds per kernel type in a traced training step (RunOptions FULL_TRACE step stats; under
  TensorFlow the kernels grappler and oneDNN rewrote, e.g. conv + bias + relu fused).

    python benchmarks/bench_cifar_step.py                        # minitf
    ~/tfref/bin/python benchmarks/bench_cifar_step.py --tf       # TensorFlow
    python benchmarks/bench_cifar_step.py --compare              # both, with the ratios
    python benchmarks/bench_cifar_step.py --compare --threads 1  # one BLAS / TensorFlow thread each

Before issue 17, minitf's step time was bimodal on the 2-core VM (OpenBLAS's worker threads spinning between
products halved the speed of the single-threaded kernels in between) and collapsed under a competing process.
minitf now gives each product one BLAS thread while Session.run executes, shares the blocks of its convolution,
pooling and LRN kernels among the cores and runs the conv filter and input gradients at once instead
(minitf/client/threading_policy.py, parallel.py, minitf/ops/kernel_threads.py); no environment variable is needed. ``--threads N``
passes ``intra_op_parallelism_threads=inter_op_parallelism_threads=N`` to both frameworks (for minitf, N > 1 means N
BLAS threads per product, one op at a time). bench_steps.py measures this step on a busy machine too.
"""
import argparse
import collections
import json
import os
import resource
import statistics
import subprocess
import sys
import time

import numpy as np

BATCH, SIZE, CLASSES = 128, 24, 10
TF_PYTHON = os.path.expanduser("~/tfref/bin/python")


def load(use_tf):
    if use_tf:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        return tf
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    import minitf as tf
    return tf


def batch():
    rng = np.random.RandomState(0)
    images = rng.uniform(-1.0, 1.0, (BATCH, SIZE, SIZE, 3)).astype(np.float32)
    labels = rng.randint(0, CLASSES, BATCH).astype(np.int32)
    return images, labels


def build(tf):
    """The tutorial's inference + loss + SGD; returns (images, labels, logits, train_op)."""
    tf.reset_default_graph()
    tf.set_random_seed(1)
    images = tf.placeholder(tf.float32, [BATCH, SIZE, SIZE, 3], name="images")
    labels = tf.placeholder(tf.int32, [BATCH], name="labels")

    def variable(name, shape, stddev=None, value=None, wd=None):
        init = (tf.truncated_normal_initializer(stddev=stddev) if stddev is not None
                else tf.constant_initializer(value))
        var = tf.get_variable(name, shape, initializer=init, dtype=tf.float32)
        if wd is not None:
            tf.add_to_collection("losses", tf.multiply(tf.nn.l2_loss(var), wd, name="weight_loss"))
        return var

    def conv(name, x, in_depth, bias):
        with tf.variable_scope(name) as scope:
            kernel = variable("weights", [5, 5, in_depth, 64], stddev=5e-2)
            y = tf.nn.conv2d(x, kernel, [1, 1, 1, 1], padding="SAME")
            return tf.nn.relu(tf.nn.bias_add(y, variable("biases", [64], value=bias)), name=scope.name)

    def pool(x, name):
        return tf.nn.max_pool(x, ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding="SAME", name=name)

    def norm(x, name):
        return tf.nn.lrn(x, 4, bias=1.0, alpha=0.001 / 9.0, beta=0.75, name=name)

    def local(name, x, size):
        with tf.variable_scope(name) as scope:
            weights = variable("weights", [int(x.shape[1]), size], stddev=0.04, wd=0.004)
            return tf.nn.relu(tf.matmul(x, weights) + variable("biases", [size], value=0.1), name=scope.name)

    norm1 = norm(pool(conv("conv1", images, 3, 0.0), "pool1"), "norm1")
    pool2 = pool(norm(conv("conv2", norm1, 64, 0.1), "norm2"), "pool2")
    local4 = local("local4", local("local3", tf.reshape(pool2, [BATCH, -1]), 384), 192)
    with tf.variable_scope("softmax_linear") as scope:
        weights = variable("weights", [192, CLASSES], stddev=1 / 192.0)
        logits = tf.add(tf.matmul(local4, weights), variable("biases", [CLASSES], value=0.0), name=scope.name)
    cross_entropy = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    tf.add_to_collection("losses", cross_entropy)
    total_loss = tf.add_n(tf.get_collection("losses"), name="total_loss")
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(total_loss)
    return images, labels, logits, train_op


def timed(run, steps, repeat):
    """(median, best) over ``repeat`` runs of the mean seconds per call of ``steps`` calls, after two warm-ups."""
    run()
    run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(steps):
            run()
        times.append((time.perf_counter() - start) / steps)
    return statistics.median(times), min(times)


def _kernel_type(node):
    """The op type that ran, from the step stats' ``name = Type(inputs)`` label: TensorFlow's rewritten kernels
    (``_MklNativeFusedConv2D`` runs conv1's Conv2D, BiasAdd and Relu as one) keep their own names."""
    label = node.timeline_label
    return label.split(" = ", 1)[1].split("(", 1)[0] if " = " in label else node.node_name


def profile(tf, sess, train_op, feed):
    """Seconds per op type in one traced training step (the median of three traced steps per op type)."""
    per_type = collections.defaultdict(list)
    for _ in range(3):
        metadata = tf.RunMetadata()
        sess.run(train_op, feed, options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
                 run_metadata=metadata)
        totals = collections.Counter()
        for device in metadata.step_stats.dev_stats:
            for node in device.node_stats:
                totals[_kernel_type(node)] += (node.op_end_rel_micros - node.op_start_rel_micros) / 1e6
        for op_type, seconds in totals.items():
            per_type[op_type].append(seconds)
    medians = {op_type: statistics.median(v + [0.0] * (3 - len(v))) for op_type, v in per_type.items()}
    return {k: round(v, 5) for k, v in sorted(medians.items(), key=lambda kv: -kv[1]) if v >= 5e-4}


def matmul_floor(steps, repeat):
    """The step's matrix products alone, float32, with the shapes an im2col design multiplies. Not counted:
    conv1's input gradient, which only a control edge of the gradients' ``tuple`` reaches, so that neither
    TensorFlow (grappler turns it into a NoOp) nor minitf computes it."""
    rng = np.random.RandomState(0)
    a = lambda *shape: rng.standard_normal(shape).astype(np.float32)
    rows1, rows2, k1, k2 = BATCH * SIZE * SIZE, BATCH * (SIZE // 2) ** 2, 5 * 5 * 3, 5 * 5 * 64
    cols1, cols2, dy1, dy2 = a(rows1, k1), a(rows2, k2), a(rows1, 64), a(rows2, 64)
    w1, w2 = a(k1, 64), a(k2, 64)
    flat, w3, w4, w5 = a(BATCH, 2304), a(2304, 384), a(384, 192), a(192, CLASSES)
    h3, h4, g3, g4, g5 = a(BATCH, 384), a(BATCH, 192), a(BATCH, 384), a(BATCH, 192), a(BATCH, CLASSES)

    def step():
        cols1 @ w1, cols2 @ w2, flat @ w3, h3 @ w4, h4 @ w5                  # forward
        g5 @ w5.T, h4.T @ g5, g4 @ w4.T, h3.T @ g4, g3 @ w3.T, flat.T @ g3    # dense backward
        dy2 @ w2.T, cols2.T @ dy2, cols1.T @ dy1                              # conv backward (input, filters)
    return timed(step, steps, repeat)


def session(tf, threads):
    if not threads:
        return tf.Session()
    return tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=threads,
                                            inter_op_parallelism_threads=threads))


def measure(use_tf, steps, repeat, threads=None, with_profile=True):
    tf = load(use_tf)
    images, labels, logits, train_op = build(tf)
    x, y = batch()
    feed = {images: x, labels: y}
    with session(tf, threads) as sess:
        sess.run(tf.global_variables_initializer())
        results = {"framework": "tensorflow" if use_tf else "minitf"}
        results["forward_s"], results["forward_best_s"] = timed(lambda: sess.run(logits, feed), steps, repeat)
        results["step_s"], results["step_best_s"] = timed(lambda: sess.run(train_op, feed), steps, repeat)
        if with_profile:
            results["profile"] = profile(tf, sess, train_op, feed)
    return results


def memory_child(use_tf, threads):
    """Run in a fresh process: peak RSS, and its growth over the resident size before the first step."""
    tf = load(use_tf)
    images, labels, _, train_op = build(tf)
    x, y = batch()
    with session(tf, threads) as sess:
        sess.run(tf.global_variables_initializer())
        with open("/proc/self/statm") as f:
            before = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20
        for _ in range(3):
            sess.run(train_op, {images: x, labels: y})
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peak_rss_mb": round(peak, 1), "step_rss_growth_mb": round(peak - before, 1)}))


def memory(use_tf, threads):
    python = TF_PYTHON if use_tf else sys.executable
    command = [python, os.path.abspath(__file__), "--memory-child"] + (["--tf"] if use_tf else [])
    command += ["--threads", str(threads)] if threads else []
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def run_one(args):
    results = measure(args.tf, args.steps, args.repeat, args.threads)
    results.update(memory(args.tf, args.threads))
    if not args.tf:
        results["matmul_floor_s"], results["matmul_floor_best_s"] = matmul_floor(args.steps, args.repeat)
        results["step_over_floor"] = results["step_s"] / results["matmul_floor_s"]
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tf", action="store_true", help="run under TensorFlow (use ~/tfref/bin/python)")
    parser.add_argument("--compare", action="store_true", help="run minitf here and TensorFlow in ~/tfref")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--steps", type=int, default=3, help="session calls per timed run")
    parser.add_argument("--threads", type=int, help="intra- and inter-op threads (ConfigProto) of both frameworks")
    parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.tf, args.threads)
        return
    if not args.compare:
        print(json.dumps(run_one(args), indent=1))
        return
    mine = run_one(args)
    command = [TF_PYTHON, os.path.abspath(__file__), "--tf", "--repeat", str(args.repeat), "--steps", str(args.steps)]
    command += ["--threads", str(args.threads)] if args.threads else []
    theirs = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    ratios = {"forward_vs_tf": mine["forward_s"] / theirs["forward_s"],
              "step_vs_tf": mine["step_s"] / theirs["step_s"],
              "step_vs_matmul_floor": mine["step_over_floor"],
              "best_forward_vs_tf": mine["forward_best_s"] / theirs["forward_best_s"],
              "best_step_vs_tf": mine["step_best_s"] / theirs["step_best_s"],
              "best_step_vs_matmul_floor": mine["step_best_s"] / mine["matmul_floor_best_s"],
              "step_rss_growth_vs_tf": mine["step_rss_growth_mb"] / max(theirs["step_rss_growth_mb"], 1e-9)}
    print(json.dumps({"minitf": mine, "tensorflow": theirs, "ratios": ratios}, indent=1))


if __name__ == "__main__":
    main()
