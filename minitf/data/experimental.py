"""``tf.data.experimental``: the transformations TF1 tutorials use, written with the core ones."""

from minitf.data.dataset_ops import AUTOTUNE  # noqa: F401 -- TensorFlow's public name


def shuffle_and_repeat(buffer_size, count=None, seed=None):
    """``dataset.shuffle(buffer_size, seed).repeat(count)`` as an ``apply`` transformation."""
    return lambda dataset: dataset.shuffle(buffer_size, seed).repeat(count)


def map_and_batch(map_func, batch_size, num_parallel_batches=None, drop_remainder=False, num_parallel_calls=None):
    """``dataset.map(map_func).batch(batch_size, drop_remainder)`` as an ``apply`` transformation."""
    return lambda dataset: dataset.map(map_func, num_parallel_calls).batch(batch_size, drop_remainder)
