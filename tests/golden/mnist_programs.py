"""Small MNIST idx files and the input_data programs of tests/test_mnist_input_data.py, run by TensorFlow 1.x's
reader (make_mnist_input_data.py) and by minitf's.

Image ``i`` is told apart by its first two pixels (``i % 256``, ``i // 256``); its label is ``(7 * i) % 10``."""

import gzip
import os

import numpy as np

ROWS = COLS = 28


def write_idx_files(directory, num_train=70, num_test=20):
    """The four gzipped idx files of a small MNIST in ``directory``."""
    os.makedirs(directory, exist_ok=True)
    for prefix, count in (("train", num_train), ("t10k", num_test)):
        ids = np.arange(count)
        images = np.random.RandomState(count).randint(0, 256, size=(count, ROWS, COLS)).astype(np.uint8)
        images[:, 0, 0], images[:, 0, 1] = ids % 256, ids // 256
        labels = ((7 * ids) % 10).astype(np.uint8)
        header = np.array([2051, count, ROWS, COLS], ">u4").tobytes()
        with gzip.open(os.path.join(directory, f"{prefix}-images-idx3-ubyte.gz"), "wb") as f:
            f.write(header + images.tobytes())
        with gzip.open(os.path.join(directory, f"{prefix}-labels-idx1-ubyte.gz"), "wb") as f:
            f.write(np.array([2049, count], ">u4").tobytes() + labels.tobytes())


def _ids(images, reshape=True):
    images = np.asarray(images)
    flat = images.reshape(len(images), -1)
    scale = 255.0 if flat.dtype == np.float32 else 1
    return [int(round(a * scale)) + 256 * int(round(b * scale)) for a, b in flat[:, :2]]


def _describe(dataset):
    images = np.asarray(dataset.images)
    return {"num_examples": int(dataset.num_examples), "images_shape": list(images.shape),
            "images_dtype": str(images.dtype), "labels_shape": list(np.asarray(dataset.labels).shape),
            "labels_dtype": str(np.asarray(dataset.labels).dtype),
            "pixel_sum": float(np.asarray(images, np.float64).sum())}


def _batches(dataset, sizes, shuffle=True):
    out = []
    for size in sizes:
        images, labels = dataset.next_batch(size, shuffle=shuffle)
        out.append({"ids": _ids(images), "labels": np.asarray(labels).tolist(),
                    "epochs": dataset.epochs_completed})
    return out


def programs(tf, input_data, directory):
    """name -> a function of no arguments returning a JSON-able record."""
    sizes = [16, 16, 30, 7, 40, 25]

    def seeded():
        data = input_data.read_data_sets(directory, validation_size=10, seed=3)
        return {"train": _describe(data.train), "validation": _describe(data.validation),
                "test": _describe(data.test), "batches": _batches(data.train, sizes),
                "after": float(np.random.rand())}

    def graph_seed():
        with tf.Graph().as_default():
            tf.set_random_seed(11)
            data = input_data.read_data_sets(directory, one_hot=True, validation_size=5)
            return {"batches": _batches(data.train, sizes), "test": _batches(data.test, [8, 8, 8])}

    def unshuffled_uint8():
        data = input_data.read_data_sets(directory, dtype=tf.uint8, reshape=False, validation_size=0, seed=1)
        return {"train": _describe(data.train), "batches": _batches(data.train, [32, 32, 32], shuffle=False)}

    def fake():
        data = input_data.read_data_sets(directory, fake_data=True, one_hot=True)
        images, labels = data.train.next_batch(3, fake_data=True)
        return {"num_examples": data.train.num_examples, "images": np.asarray(images).sum(axis=1).tolist(),
                "labels": labels}

    def errors():
        out = {}
        for name, call in (("validation_too_big", lambda: input_data.read_data_sets(directory, validation_size=71)),
                           ("bad_dtype", lambda: input_data.read_data_sets(directory, dtype=tf.int32, validation_size=5))):
            try:
                call()
                out[name] = "no error"
            except (ValueError, TypeError) as e:
                out[name] = [type(e).__name__, str(e)]
        return out

    def one_hot_helper():
        return input_data.dense_to_one_hot(np.array([3, 0, 9], np.uint8), 10).tolist()

    return {"seeded": seeded, "graph_seed": graph_seed, "unshuffled_uint8": unshuffled_uint8, "fake": fake,
            "errors": errors, "one_hot_helper": one_hot_helper}
