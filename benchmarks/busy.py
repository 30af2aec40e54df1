"""The "busy machine" condition of the benchmarks (issue 17): CPU-bound processes competing for the cores.

``--busy`` starts one spinning Python process per core (``--busy N`` starts N) for the length of the measurement,
as on a classroom laptop or a shared server. Every benchmark using this module records the conditions it ran under
(date, cores, the load average before and after, and the competing processes) next to its figures: on a machine
that other work already loads, the "quiet" figures are not quiet.
"""
import contextlib
import datetime
import os
import subprocess
import sys
import time

SPIN = "while True: pass"


def add_argument(parser):
    parser.add_argument("--busy", type=int, nargs="?", const=-1, default=0,
                        help="run N CPU-bound competing processes during the measurement (default: one per core)")


def cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _load():
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


@contextlib.contextmanager
def machine(busy):
    """Runs the body with ``busy`` competing processes (-1: one per core; 0: none); yields the conditions dict,
    completed with the load average at the end."""
    n = cores() if busy == -1 else busy
    conditions = {"date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"),
                  "cores": cores(), "competing_processes": n, "load_before": _load()}
    spinners = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(n)]
    try:
        if spinners:
            time.sleep(1.0)  # let the scheduler see them
        yield conditions
    finally:
        conditions["load_after"] = _load()
        for p in spinners:
            p.kill()
            p.wait()
