"""Records TensorFlow 2.21's tf.compat.v1 partitioned variables for tests/test_partitioned_variables.py.

Needs tf_keras in the reference venv (for tf.layers), as make_layers.py.
Run:  ~/tfref/bin/python tests/golden/make_partitioned_variables.py
Writes tests/golden/partitioned_variables.json: the runs of the programs of tests/golden/partitioned_programs.py
(see program_runs.py), their facts and construction errors, the tensors of the checkpoint below as TensorFlow's
reader gives them, what TensorFlow restores from it into the model partitioned otherwise (RESTORE_SHARDS) and what
tf.train.init_from_checkpoint loads from it (INIT_FROM_CHECKPOINT).
Writes tests/fixtures/partitioned/model.{index,data-00000-of-00001}: saver_model's checkpoint after
CHECKPOINT_STEPS training steps (one key per partitioned variable, its parts as slices).
"""
import json
import os
os.environ["TF_USE_LEGACY_KERAS"] = "1"  # tf.compat.v1.layers needs Keras 2 (tf_keras)

import tensorflow.compat.v1 as tf  # noqa: E402

import partitioned_programs as programs  # noqa: E402
import program_runs  # noqa: E402

tf.disable_v2_behavior()
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "partitioned_variables.json")
CHECKPOINT = os.path.join(HERE, "..", "fixtures", "partitioned", "model")

if __name__ == "__main__":
    result = program_runs.record(tf, programs.PROGRAMS, programs.ERRORS)
    result["facts"] = {name: fact(tf) for name, fact in programs.FACTS.items()}
    os.makedirs(os.path.dirname(CHECKPOINT), exist_ok=True)
    programs.train_and_save(tf, CHECKPOINT)
    os.remove(os.path.join(os.path.dirname(CHECKPOINT), "checkpoint"))  # the state file names a local path
    reader = tf.train.load_checkpoint(CHECKPOINT)
    result["checkpoint"] = {name: reader.get_tensor(name).tolist()
                            for name in sorted(reader.get_variable_to_shape_map())}
    result["restores"] = {name: programs.restore(tf, CHECKPOINT, shards)
                          for name, shards in programs.RESTORE_SHARDS.items()}
    result["init_from_checkpoint"] = {case: programs.init_from_checkpoint(tf, CHECKPOINT, case)
                                      for case in programs.INIT_FROM_CHECKPOINT}
    with open(OUT, "w") as f:
        json.dump(result, f, separators=(",", ":"))
        f.write("\n")
    print("recorded", len(result["programs"]), "programs,", len(result["errors"]), "errors")
