"""``tf.data.experimental``: the fused transformations TF1 tutorials use, with TensorFlow's fused ops."""

from minitf.data import nest
from minitf.data.dataset_ops import AUTOTUNE, _batched, _int64, _seed_tensors  # noqa: F401 -- AUTOTUNE is public
from minitf.framework import dtypes, ops


def shuffle_and_repeat(buffer_size, count=None, seed=None):
    """``shuffle(buffer_size, seed).repeat(count)`` as one ``ShuffleAndRepeatDataset`` (same elements, same order
    as TensorFlow: the shuffle buffer spans epochs)."""
    def apply(dataset):
        size = _int64(buffer_size, "buffer_size")
        repeat = _int64(-1 if count is None else count, "count")
        seed_tensor, seed2_tensor = _seed_tensors(seed)
        return dataset._apply("ShuffleAndRepeatDataset",
                              [dataset._variant_tensor, size, seed_tensor, seed2_tensor, repeat], dataset._spec,
                              attrs={"reshuffle_each_iteration": True})
    return apply


def map_and_batch(map_func, batch_size, num_parallel_batches=None, drop_remainder=False, num_parallel_calls=None):
    """``map(map_func).batch(batch_size, drop_remainder)`` as one ``MapAndBatchDataset``."""
    def apply(dataset):
        size = _int64(batch_size, "batch_size")
        if num_parallel_calls is None:
            calls = _int64(batch_size * (num_parallel_batches or 1), "num_parallel_calls")
        else:
            calls = _int64(num_parallel_calls, "num_parallel_calls")
        drop = ops.convert_to_tensor(drop_remainder, dtype=dtypes.bool, name="drop_remainder")

        def batched(traced):
            return nest.pack_sequence_as(traced.output_structure, [
                nest.Spec(t, _batched(s, size, drop)) for t, s in zip(traced.output_types, traced.output_shapes)])
        return dataset._with_function("MapAndBatchDataset", map_func, "tf_data_experimental_map_and_batch", "f",
                                      inputs=[size, calls, drop], attrs={"preserve_cardinality": True},
                                      spec_of=batched)
    return apply
