"""The C heap's policy for the arrays kernels allocate: freed memory is kept for the next step, not given back to
the system at once.

Each ``Session.run`` allocates and frees the same arrays again and again (a static LSTM step: about 1,500 results of
32 KB - 320 KB). With glibc's default policy the heap gives its free top back to the system as soon as it exceeds
twice the largest array freed so far (at first 128 KB), so the next step's arrays come back as fresh pages, each
page faulted in and zeroed by the kernel: 1,500 - 3,000 page faults per LSTM step, about a fifth of its time
(measured on the 2-core machine: 20 - 26 ms against 17 - 19 ms per step without them). glibc reaches a keeping
policy by itself only after an array of 32 MB was freed (it then serves arrays below 32 MB from the heap and trims
beyond 64 MB); ``keep_freed_memory`` starts the process in that state. TensorFlow's own allocator keeps its freed
memory for the next step as well.

Only glibc has ``mallopt``: elsewhere this does nothing. It is process-wide and set once, by the first Session.
"""

import ctypes

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 << 20  # glibc's DEFAULT_MMAP_THRESHOLD_MAX on 64-bit systems
TRIM_THRESHOLD = 2 * MMAP_THRESHOLD  # what glibc's dynamic threshold sets beside it

_done = False


def keep_freed_memory():
    """Serves arrays below 32 MB from the heap and keeps up to 64 MB of freed heap memory (glibc only; once)."""
    global _done
    if _done:
        return
    _done = True
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the interpreter runs on
    except (OSError, AttributeError, TypeError):  # not glibc
        return
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
