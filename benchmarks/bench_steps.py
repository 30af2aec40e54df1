"""Training steps on a quiet and on a busy machine, minitf beside TensorFlow in the same run (issue 17).

Workloads: ``mlp`` (784-256-10 with ReLU, batch 100, softmax cross-entropy, SGD), ``convnet`` (a small MNIST
convnet: 28x28x1, conv 5x5x16 + ReLU + max pool, conv 5x5x32 + ReLU + max pool, dense 128, 10 classes, batch 64,
SGD) and ``cifar`` (the CIFAR-10 tutorial's step, ``bench_cifar_step.py``'s model, batch 128).

Each workload runs in fresh processes, one per variant, all started at once (two sessions in one process were
not equal: the one created first ran 2 - 20% slower on the busy machine with the same config): four warm-up steps
per variant, then ``--repeat``
rounds in which every variant makes one timed run of ``--steps`` calls in turn, the order rotating from round to
round and reversed every other cycle (each variant follows each other one equally often), so that a change in the
machine's load hits all variants alike (a waiting process sleeps on its pipe; each run starts after a pause that
lets the previous run's BLAS threads stop spinning). The JSON gives the median and range (min, max) of the seconds
per step over the runs. Variants:

- ``minitf``: the default Session (one BLAS thread per product, block-wise kernels on all cores, independent heavy
  ops in parallel);
- ``minitf_one_thread``: ``intra_op_parallelism_threads=inter_op_parallelism_threads=1``, minitf on one thread;
- ``minitf_blas_threads``: ``intra_op_parallelism_threads`` = the cores, products on as many BLAS threads, one op at
  a time: what minitf did before issue 17 (OpenBLAS's default);
- ``tensorflow``: TensorFlow's default Session, with ``--tf-python`` (default ~/tfref/bin/python);
- ``minitf_again`` (only when asked for): a second process with the default Session, whose difference from
  ``minitf`` is the benchmark's own noise (``--variants minitf minitf_again minitf_one_thread``).

With ``--busy`` every measurement is repeated while CPU-bound processes compete for the cores (one per core, see
``busy.py``), and ``slowdown`` gives busy / quiet per variant. Each phase records its date and load average: on a
machine other work already loads, the quiet phase is not quiet.

    python benchmarks/bench_steps.py --busy                       # all workloads, quiet then busy
    python benchmarks/bench_steps.py --workloads mlp --repeat 9
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import busy  # noqa: E402

WORKLOADS = ("mlp", "convnet", "cifar")
VARIANTS = ("minitf", "minitf_one_thread", "minitf_blas_threads", "tensorflow")
OPTIONAL_VARIANTS = ("minitf_again",)


def load(use_tf):
    if use_tf:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        return tf
    sys.path.insert(0, os.path.join(HERE, ".."))
    import minitf as tf
    return tf


def mlp(tf, np):
    x = tf.placeholder(tf.float32, [100, 784])
    y = tf.placeholder(tf.int32, [100])
    w1 = tf.Variable(tf.truncated_normal([784, 256], stddev=0.05, seed=1))
    w2 = tf.Variable(tf.truncated_normal([256, 10], stddev=0.05, seed=2))
    hidden = tf.nn.relu(tf.matmul(x, w1) + tf.Variable(tf.zeros([256])))
    logits = tf.matmul(hidden, w2) + tf.Variable(tf.zeros([10]))
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    rng = np.random.RandomState(0)
    feed = {x: rng.uniform(0, 1, (100, 784)).astype(np.float32), y: rng.randint(0, 10, 100).astype(np.int32)}
    return tf.train.GradientDescentOptimizer(0.1).minimize(loss), feed


def convnet(tf, np):
    x = tf.placeholder(tf.float32, [64, 28, 28, 1])
    y = tf.placeholder(tf.int32, [64])

    def conv_pool(h, depth_in, depth, seed):
        w = tf.Variable(tf.truncated_normal([5, 5, depth_in, depth], stddev=0.1, seed=seed))
        h = tf.nn.relu(tf.nn.conv2d(h, w, [1, 1, 1, 1], "SAME") + tf.Variable(tf.constant(0.1, shape=[depth])))
        return tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")

    h = tf.reshape(conv_pool(conv_pool(x, 1, 16, 1), 16, 32, 2), [64, 7 * 7 * 32])
    w3 = tf.Variable(tf.truncated_normal([7 * 7 * 32, 128], stddev=0.1, seed=3))
    h = tf.nn.relu(tf.matmul(h, w3) + tf.Variable(tf.constant(0.1, shape=[128])))
    logits = tf.matmul(h, tf.Variable(tf.truncated_normal([128, 10], stddev=0.1, seed=4)))
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    rng = np.random.RandomState(0)
    feed = {x: rng.uniform(0, 1, (64, 28, 28, 1)).astype(np.float32), y: rng.randint(0, 10, 64).astype(np.int32)}
    return tf.train.GradientDescentOptimizer(0.01).minimize(loss), feed


def cifar(tf, np):
    import bench_cifar_step
    images, labels, _, train_op = bench_cifar_step.build(tf)
    x, y = bench_cifar_step.batch()
    return train_op, {images: x, labels: y}


def config(tf, variant):
    if variant == "minitf_one_thread":
        return tf.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=1)
    if variant == "minitf_blas_threads":
        return tf.ConfigProto(intra_op_parallelism_threads=busy.cores())
    return None


def serve(variant, workload):
    """Runs in a fresh process: builds the workload and a session for ``variant``, warms it up, prints ``ready``,
    then for each number of steps read from stdin runs that many steps and prints the seconds per step."""
    import numpy as np
    tf = load(variant == "tensorflow")
    tf.reset_default_graph()
    tf.set_random_seed(0)
    train_op, feed = {"mlp": mlp, "convnet": convnet, "cifar": cifar}[workload](tf, np)
    with tf.Session(config=config(tf, variant)) as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(4):  # minitf times a plan's second and third runs and pairs heavy ops from the fourth on
            sess.run(train_op, feed)
        print("ready", flush=True)
        for line in sys.stdin:
            steps = int(line)
            start = time.perf_counter()
            for _ in range(steps):
                sess.run(train_op, feed)
            print((time.perf_counter() - start) / steps, flush=True)


# the pause before each timed run: OpenBLAS's idle worker threads (the minitf_blas_threads variant's) spin for about
# a tenth of a second after their last product, and would slow the next variant's run down
_SETTLE_SECONDS = 0.3


def measure(workload, args):
    """Every variant's process is started at once and waits; the variants then take turns, one timed run each,
    the order rotating from round to round, so that a change in the machine's load hits all of them alike."""
    steps = args.steps or {"mlp": 200, "convnet": 10, "cifar": 4}[workload]
    servers, started = {}, []
    for variant in args.variants:
        python = args.tf_python if variant == "tensorflow" else sys.executable
        server = subprocess.Popen([python, os.path.abspath(__file__), "--serve", variant, workload],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        started.append(server)
        servers[variant] = server
    try:
        for server in started:
            while server.stdout.readline().strip() != "ready":
                if server.poll() is not None:
                    raise RuntimeError(f"a benchmark process for {workload} exited with {server.returncode}")
        variants = list(servers)
        times = {v: [] for v in variants}
        for run in range(args.repeat):
            k = run % len(variants)
            order = variants[k:] + variants[:k]
            if (run // len(variants)) % 2:  # every variant runs right after each other one equally often
                order.reverse()
            for v in order:
                time.sleep(_SETTLE_SECONDS)
                servers[v].stdin.write(f"{steps}\n")
                servers[v].stdin.flush()
                times[v].append(float(servers[v].stdout.readline()))
    finally:
        for server in started:
            server.stdin.close()
            server.wait()
    return {v: {"median_s": statistics.median(t), "min_s": min(t), "max_s": max(t)} for v, t in times.items()}


def phase(n_busy, args):
    with busy.machine(n_busy) as conditions:
        results = {}
        for w in args.workloads:
            results[w] = {}
            results[w].update(measure(w, args))
    for w, by_variant in results.items():
        if "tensorflow" in by_variant:
            for v in by_variant:
                if v != "tensorflow":
                    by_variant[v]["vs_tensorflow"] = by_variant[v]["median_s"] / by_variant["tensorflow"]["median_s"]
    results["conditions"] = conditions
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workloads", nargs="+", default=list(WORKLOADS), choices=WORKLOADS)
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS + OPTIONAL_VARIANTS)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--steps", type=int, help="steps per timed run (default by workload)")
    parser.add_argument("--tf-python", default=os.path.expanduser("~/tfref/bin/python"))
    parser.add_argument("--serve", nargs=2, help=argparse.SUPPRESS)
    busy.add_argument(parser)
    args = parser.parse_args()
    if args.serve:
        serve(*args.serve)
        return
    if not os.path.exists(args.tf_python):
        args.variants = [v for v in args.variants if v != "tensorflow"]
    results = {"quiet": phase(0, args)}
    if args.busy:
        results["busy"] = phase(args.busy, args)
        results["slowdown"] = {w: {v: results["busy"][w][v]["median_s"] / results["quiet"][w][v]["median_s"]
                                   for v in args.variants} for w in args.workloads}
        for w in args.workloads:
            if "minitf_one_thread" in args.variants:
                one = results["busy"][w]["minitf_one_thread"]["median_s"]
                results["slowdown"][w]["busy_minitf_vs_one_thread"] = results["busy"][w]["minitf"]["median_s"] / one
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
