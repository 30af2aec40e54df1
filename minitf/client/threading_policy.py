"""How many threads a ``Session.run`` uses: BLAS threads for its matrix products, and whether independent heavy ops
run side by side (``minitf/client/parallel.py``).

OpenBLAS's worker threads synchronise by spinning. When another process competes for the cores, a product split over
two threads waits for whichever thread the kernel has descheduled, and the spinning workers slow the single-threaded
numpy work in between: on a busy 2-core machine a 100x784 @ 784x256 product took 50 ms with two threads and 0.84 ms
with one. So minitf runs its products on one BLAS thread each, and uses the other cores by running independent heavy
ops at once (numpy releases the GIL in its kernels), as TensorFlow's inter-op pool does; a thread that is
descheduled then delays only its own op. ``tf.ConfigProto`` is honoured as in TensorFlow:

- ``inter_op_parallelism_threads``: 0 (the default) uses the machine's cores, 1 runs the ops one at a time;
- ``intra_op_parallelism_threads``: 0 (the default) gives each product one BLAS thread and lets the kernels that
  work block by block (convolutions, pooling, LRN) share their blocks among as many threads as there are cores
  (``minitf/ops/kernel_threads.py``: a block never waits for a busy or descheduled thread, and the results are the
  same bits); 1 keeps every op on one thread; N > 1 gives products up to N BLAS threads (at most the machine's
  cores), kernels one thread, and then runs ops one at a time, so that concurrent products never share OpenBLAS's
  one pool.

The BLAS setting is process-wide, so it is changed only while some ``Session.run`` executes (counted across the
threads that call it) and the user's own setting is restored afterwards: numpy code outside ``Session.run`` keeps
its threads. threadpoolctl finds the BLAS library numpy loaded; its controller's ``set_num_threads`` is one C call
(about 2 µs), where a ``threadpool_limits`` context per call costs about 1 ms.
"""

import threading

from minitf.ops import kernel_threads as _kernels

_lock = threading.Lock()
_controllers = None
_active = 0
_saved = None


_cores = _kernels.schedulable_cores


def blas_threads(config):
    """BLAS threads per product for a session created with ``config`` (a ``tf.ConfigProto`` or None)."""
    intra = config.intra_op_parallelism_threads if config is not None else 0
    return max(1, min(intra, _cores()))


def kernel_threads(config):
    """Threads each block-wise kernel (convolutions, pooling, LRN: ``minitf/ops/kernel_threads.py``) may use for a
    session created with ``config``: ``intra_op_parallelism_threads`` 0 means the machine's cores, as TensorFlow's
    intra-op pool; 1 keeps each op on one thread; N > 1 BLAS threads keep each kernel on one thread."""
    intra = config.intra_op_parallelism_threads if config is not None else 0
    return _cores() if intra <= 0 else 1


def inter_op_threads(config):
    """Ops that may run at once for a session created with ``config``: 1 means one at a time."""
    if blas_threads(config) > 1:
        return 1
    inter = config.inter_op_parallelism_threads if config is not None else 0
    return _cores() if inter <= 0 else inter


def _blas_controllers():
    global _controllers
    if _controllers is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # without threadpoolctl, BLAS keeps its own setting
            _controllers = []
        else:
            _controllers = ThreadpoolController().select(user_api="blas").lib_controllers
    return _controllers


class BlasThreads:
    """``with BlasThreads(n, k):`` runs its body with ``n`` BLAS threads per product and ``k`` threads per block-wise
    kernel, then restores the user's BLAS setting (and kernels to one thread)."""

    __slots__ = ("_threads", "_kernel_threads")

    def __init__(self, threads, kernel_threads=1):
        self._threads = threads
        self._kernel_threads = kernel_threads

    def __enter__(self):
        global _active, _saved
        with _lock:
            _active += 1
            libs = _blas_controllers()
            if _active == 1 and _saved is None:  # else the user's setting is still owed (see _restore)
                _saved = current = [lib.get_num_threads() for lib in libs]
            else:
                current = [lib.get_num_threads() for lib in libs]
            for lib, threads in zip(libs, current):  # on every entry: what a worker thread could not set
                if threads != self._threads:
                    lib.set_num_threads(self._threads)
            _kernels.set_threads(self._kernel_threads)
        return self

    def __exit__(self, *exc):
        global _active
        with _lock:
            _active -= 1
            if _active == 0:
                _restore()
                _kernels.set_threads(1)
        return False


def _restore():
    """Gives back the user's BLAS setting. Once the main thread has set OpenBLAS's thread count, other threads (a
    queue runner's) cannot change it, so after a run that ended in a worker thread the setting stays owed until a
    run ends on the main thread or a session closes there (the main thread's setting always holds: it is not
    read back there)."""
    global _saved
    if _saved is None:
        return
    for lib, saved in zip(_controllers, _saved):
        lib.set_num_threads(saved)
    if threading.current_thread() is threading.main_thread() or all(
            lib.get_num_threads() == saved for lib, saved in zip(_controllers, _saved)):
        _saved = None


def restore_owed():
    """``Session.close``: the user's BLAS setting back, if no run is active and a worker thread could not restore
    it."""
    with _lock:
        if _active == 0:
            _restore()
