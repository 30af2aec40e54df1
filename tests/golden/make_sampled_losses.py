"""Records TensorFlow 2.21's candidate samplers, nce_loss and sampled_softmax_loss for tests/test_sampled_losses.py.

Run:  ~/tfref/bin/python tests/golden/make_sampled_losses.py   (writes tests/golden/sampled_losses.json)
For each program of tests/golden/sampled_losses_programs.py: the graph's nodes and the fetched values of each run;
and the message of a label out of range.
"""
import json
import os

import numpy as np
import tensorflow.compat.v1 as tf

import sampled_losses_programs as programs

tf.disable_v2_behavior()
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sampled_losses.json")


def plain(value):
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return np.asarray(value).tolist()


if __name__ == "__main__":
    result = {"programs": {}}
    for name, build in programs.PROGRAMS.items():
        nodes, runs = programs.run(tf, build)
        result["programs"][name] = {"nodes": nodes, "runs": plain(runs)}
    result["label_out_of_range"] = programs.label_out_of_range(tf)
    with open(OUT, "w") as f:
        json.dump(result, f, separators=(",", ":"))
        f.write("\n")
    print("recorded", len(result["programs"]), "programs")
