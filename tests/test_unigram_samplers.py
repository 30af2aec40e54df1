"""tf.nn.fixed_unigram_candidate_sampler and learned_unigram_candidate_sampler bit for bit as TensorFlow 2.21
(tests/golden/make_unigram_samplers.py runs the same program): sampled candidates and float32 expected counts of
six runs of one session, from unigrams and a CSV vocab_file (reserved ids, shards, distortion), unique or not,
the learned counts growing run by run; and the run-time errors of a bad configuration."""
import os
import sys

import minitf as tf
from helpers import golden

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden"))
import make_unigram_samplers as program  # noqa: E402

GOLDEN = golden("golden/unigram_samplers.json")


def test_samples_expected_counts_and_errors_are_tensorflows(tmp_path):
    ours = program.run(tf, str(tmp_path))
    assert len(ours["runs"]) == program.RUNS
    for run, (mine, theirs) in enumerate(zip(ours["runs"], GOLDEN["runs"])):
        for sampler, (a, b) in enumerate(zip(mine, theirs)):
            assert a == b, (run, sampler)
    assert ours["errors"] == GOLDEN["errors"]


def test_sampler_nodes_carry_tensorflows_attrs():
    tf.reset_default_graph()
    out = tf.nn.fixed_unigram_candidate_sampler([[1]], 1, 3, False, 4, unigrams=[1, 2, 3, 4], distortion=0.5)
    assert out.sampled_candidates.op.type == "FixedUnigramCandidateSampler"
    assert [out.sampled_candidates.op.get_attr(k) for k in ("vocab_file", "distortion", "num_reserved_ids",
                                                           "num_shards", "shard", "unigrams")] == \
        ["", 0.5, 0, 1, 0, [1.0, 2.0, 3.0, 4.0]]
    learned = tf.nn.learned_unigram_candidate_sampler([[1]], 1, 3, True, 4)
    assert learned.sampled_candidates.op.name == "LearnedUnigramCandidateSampler"
    assert learned.true_expected_count.shape.as_list() == [1, 1]
