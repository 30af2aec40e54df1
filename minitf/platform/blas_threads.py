"""Keeps numpy's OpenBLAS to one thread while queue-runner threads run kernels beside the training step.

OpenBLAS splits a large matrix product between its own threads and makes the caller busy-wait for the slowest of
them. When the Python threads of queue runners (and, on a shared machine, other processes) hold the cores, one of
those BLAS threads is often descheduled, and every product of the step waits a scheduler slice for it: the
CIFAR-10 tutorial's queue-fed step took 1.2 - 2.8 s on 2 cores instead of 0.25 s with a single BLAS thread
(benchmarks/bench_monitored.py). TensorFlow's kernels share one thread pool with its queue runners' work; here the
step's products run in the calling thread while any queue runner is alive, and OpenBLAS's own setting is restored
when the last one ends. Without an OpenBLAS that can be found in the process (another BLAS, or none), nothing
changes.
"""

import contextlib
import ctypes
import threading

_SETTERS = ("openblas_set_num_threads", "openblas_set_num_threads64_", "scipy_openblas_set_num_threads",
            "scipy_openblas_set_num_threads64_")

_lock = threading.Lock()
_users = 0
_saved = None
_api = None


def _openblas():
    """(set_num_threads, get_num_threads) of the OpenBLAS loaded by numpy, or None."""
    global _api
    if _api is None:
        _api = ()
        try:
            with open("/proc/self/maps") as f:
                paths = sorted({line.split()[-1] for line in f if "openblas" in line.lower()})
        except OSError:
            paths = []
        for path in paths:
            lib = ctypes.CDLL(path)
            for setter in _SETTERS:
                getter = setter.replace("set_", "get_")
                if hasattr(lib, setter) and hasattr(lib, getter):
                    _api = (getattr(lib, setter), getattr(lib, getter))
                    break
            if _api:
                break
    return _api or None


@contextlib.contextmanager
def single_threaded():
    """While any caller is inside, OpenBLAS runs single-threaded; the last one out restores its thread count."""
    global _users, _saved
    with _lock:
        api = _openblas()
        _users += 1
        if _users == 1 and api:
            _saved = api[1]()
            api[0](1)
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0 and api and _saved:
                api[0](_saved)
