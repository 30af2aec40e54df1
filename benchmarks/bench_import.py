"""Import time: ``python -c "import minitf"`` against ``python -c "import numpy"`` (issue 17: at most 1.6x).

Each measurement is a fresh interpreter (bytecode caches warm, as after an install); the two commands alternate so
that a change in the machine's load hits both. Reports, per command, the median and range of the process's wall time
and of the module's own import time (``python -X importtime``'s cumulative figure for the top-level module), and
the ratios of the medians. ``--busy`` adds a CPU-bound competing process per core during the measurement.

    python benchmarks/bench_import.py [--runs 15] [--busy]
    ~/tfref/bin/python benchmarks/bench_import.py --module tensorflow.compat.v1   # any module against numpy
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import busy  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def one(module):
    """(wall seconds of the whole process, seconds importtime gives the module)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = os.pathsep.join([os.path.abspath(ROOT)] + [p for p in [env.get("PYTHONPATH")] if p])
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"], capture_output=True,
                         text=True, check=True, env=env)
    wall = time.perf_counter() - start
    top = [line for line in out.stderr.splitlines() if re.search(rf"\|\s{{1,2}}{re.escape(module)}$", line)]
    return wall, int(top[-1].split("|")[1]) / 1e6


def summary(values):
    return {"median": round(statistics.median(values), 4), "min": round(min(values), 4), "max": round(max(values), 4)}


def measure(module, runs):
    one(module), one("numpy")  # warm the bytecode caches
    walls = {module: [], "numpy": []}
    imports = {module: [], "numpy": []}
    for _ in range(runs):
        for name in (module, "numpy"):
            wall, own = one(name)
            walls[name].append(wall)
            imports[name].append(own)
    result = {name: {"process_s": summary(walls[name]), "import_s": summary(imports[name])} for name in walls}
    result["ratio_process"] = round(statistics.median(walls[module]) / statistics.median(walls["numpy"]), 3)
    result["ratio_import"] = round(statistics.median(imports[module]) / statistics.median(imports["numpy"]), 3)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--module", default="minitf")
    parser.add_argument("--runs", type=int, default=15)
    busy.add_argument(parser)
    args = parser.parse_args()
    with busy.machine(args.busy) as conditions:
        results = measure(args.module, args.runs)
    results["conditions"] = conditions
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
