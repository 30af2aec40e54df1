"""TensorFlow 1.x tutorial programs end to end, under minitf and under TensorFlow (issue 17).

The programs in ``benchmarks/programs/`` are written after well-known public tutorials (each names its source) and
read data they generate themselves, so nothing is downloaded; ``programs/framework.py`` gives them TensorFlow's
``tf.compat.v1`` when ``BENCH_FRAMEWORK=tensorflow`` and minitf otherwise. Each program runs ``--repeat`` times in a
fresh process per framework, alternating; the figure is the process's wall time (import, graph building, training,
output). Prints, per program, the medians and ranges and the ratio minitf / TensorFlow, then the JSON.

    python benchmarks/bench_tutorials.py [--repeat 3] [--busy] [--tf-python ~/tfref/bin/python] [--programs ...]
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

PROGRAMS = os.path.join(HERE, "programs")


def programs():
    return sorted(name[:-3] for name in os.listdir(PROGRAMS) if name.endswith(".py") and name != "framework.py")


def run(python, program, framework):
    env = dict(os.environ, BENCH_FRAMEWORK=framework)
    env["PYTHONPATH"] = os.pathsep.join([os.path.abspath(os.path.join(HERE, ".."))]
                                        + [p for p in [os.environ.get("PYTHONPATH")] if p])
    start = time.perf_counter()
    subprocess.run([python, program + ".py"], cwd=PROGRAMS, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--programs", nargs="+", default=programs(), choices=programs())
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tf-python", default=os.path.expanduser("~/tfref/bin/python"))
    busy.add_argument(parser)
    args = parser.parse_args()
    results = {}
    with busy.machine(args.busy) as conditions:
        for program in args.programs:
            times = {"minitf": [], "tensorflow": []}
            for _ in range(args.repeat):
                times["minitf"].append(run(sys.executable, program, "minitf"))
                times["tensorflow"].append(run(args.tf_python, program, "tensorflow"))
            results[program] = {k: {"median_s": round(statistics.median(v), 3), "min_s": round(min(v), 3),
                                    "max_s": round(max(v), 3)} for k, v in times.items()}
            ratio = results[program]["minitf"]["median_s"] / results[program]["tensorflow"]["median_s"]
            results[program]["ratio"] = round(ratio, 2)
            print(f"{program:24s} minitf {results[program]['minitf']['median_s']:7.2f} s   tensorflow "
                  f"{results[program]['tensorflow']['median_s']:7.2f} s   ratio {ratio:5.2f}", file=sys.stderr)
    results["conditions"] = conditions
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
