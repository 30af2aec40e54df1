"""The statistic every benchmark here reports: the median wall time of repeated calls."""
import statistics
import time


def median_seconds(action, runs, warmup=0):
    """Median wall time of ``runs`` calls of ``action``, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
