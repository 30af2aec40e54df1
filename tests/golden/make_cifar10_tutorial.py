"""Runs the vendored CIFAR-10 tutorial (tests/tutorials/cifar10) under TensorFlow 2.21's compat.v1 on the data set
tests/cifar10_tutorial_cases.py generates, and records what does not depend on time or unseeded randomness: the
printed lines' shapes, the files and checkpoint variables (names, shapes) the training writes, the summary tags and
their steps, and the evaluation's summaries; and the exact total losses of the first seeded training steps (with
TensorFlow's graph rewriting on, as by default, and off), run as tests/cifar10_tutorial_cases.py's SEEDED describes.

Run with the reference venv:  ~/tfref/bin/python tests/golden/make_cifar10_tutorial.py
(writes tests/golden/cifar10_tutorial.json)
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import cifar10_tutorial_cases as cases  # noqa: E402


if __name__ == "__main__":
    import tensorflow.compat.v1 as tf
    result = cases.record(cases.TENSORFLOW, tf.train.summary_iterator, tf.train.list_variables)
    result["seeded_losses"] = cases.seeded_losses(cases.TENSORFLOW)
    result["seeded_losses_without_grappler"] = cases.seeded_losses(cases.TENSORFLOW, grappler=False)
    with open(os.path.join(HERE, "cifar10_tutorial.json"), "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
        f.write("\n")
