"""``tf.logging``: TensorFlow 1.x's logging functions over Python's ``logging`` (logger ``"tensorflow"``).

Python's ``logging`` is imported on the first call, not at ``import minitf``: most programs never log.
"""

DEBUG, INFO, WARN, ERROR, FATAL = 10, 20, 30, 40, 50  # logging.DEBUG ... logging.FATAL

_log_counts = {}


def get_logger():
    import logging
    return logging.getLogger("tensorflow")


def set_verbosity(v):
    get_logger().setLevel(v)


def get_verbosity():
    return get_logger().getEffectiveLevel()


def log(level, msg, *args, **kwargs):
    get_logger().log(level, msg, *args, **kwargs)


def debug(msg, *args, **kwargs):
    get_logger().debug(msg, *args, **kwargs)


def info(msg, *args, **kwargs):
    get_logger().info(msg, *args, **kwargs)


def warning(msg, *args, **kwargs):
    get_logger().warning(msg, *args, **kwargs)


def error(msg, *args, **kwargs):
    get_logger().error(msg, *args, **kwargs)


def fatal(msg, *args, **kwargs):
    get_logger().fatal(msg, *args, **kwargs)


warn = warning


def log_every_n(level, msg, n, *args):
    """Logs on the 1st, (n+1)th, (2n+1)th ... call from the same place."""
    key = ("every", msg, n)
    count = _log_counts.get(key, 0)
    _log_counts[key] = count + 1
    if count % n == 0:
        log(level, msg, *args)


def log_first_n(level, msg, n, *args):
    key = ("first", msg, n)
    count = _log_counts.get(key, 0)
    _log_counts[key] = count + 1
    if count < n:
        log(level, msg, *args)
