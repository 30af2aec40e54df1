"""TensorFlow's candidate samplers (candidate_sampler_ops.cc, range_sampler.cc), bit for bit: each run reserves
``2048 * num_sampled`` 32-bit Philox samples (``ReserveSamples32``) of the op's stream and draws with
``SimplePhilox``: a log-uniform draw is ``floor(exp(RandDouble() * log1p(range))) - 1``, a uniform one an exact
uniform 64-bit integer; ``unique`` samplers reject repeats. Expected counts are ``p * num_sampled`` or, after
rejections, ``1 - (1 - p)^tries`` in float32 (glibc's log1pf / expm1f). Also ``all_candidate_sampler`` and
``compute_accidental_hits``.

The unigram samplers: ``fixed_unigram_candidate_sampler`` draws from given counts (``unigrams`` or the last column
of a CSV ``vocab_file``, raised to ``distortion``, after ``num_reserved_ids`` zero-weight ids, one shard's ids)
with Walker's alias table (distribution_sampler.cc: a float ``RandFloat`` then ``Rand32 % n``);
``learned_unigram_candidate_sampler`` starts with every class at count 1 and, after each run's draw, adds 1 per
true class (weighted_picker.cc: an unbiased 32-bit uniform over the total count picks a class). Its counts live
in the op's kernel, so they persist across runs of one session.
"""

import collections
import functools
import math

import numpy as np

from minitf.framework import dtypes, ops, random_seed, tensor_shape
from minitf.framework.op_def_lib import apply_op, invalid_argument, no_gradient, register
from minitf.ops import libm, philox

_FLT_MAX = float(np.finfo(np.float32).max)


_TWO_TO_MINUS_52, _TWO_TO_MINUS_23 = 2.0 ** -52, 2.0 ** -23


class _SimplePhilox:
    """TensorFlow's SimplePhilox over a reservation: 32-bit samples taken in order from consecutive blocks."""

    _CHUNK = 64  # blocks computed at a time: a run reserves 512 per sample but draws few more than it needs

    def __init__(self, key, start, n_blocks):
        self._key, self._start, self._n_blocks = key, start, n_blocks
        self._words = []
        self._next = 0

    def rand32(self):
        position = self._next % (4 * self._n_blocks)  # past the reservation TensorFlow reuses bits too
        while position >= len(self._words):
            first = len(self._words) // 4
            count = min(self._CHUNK, self._n_blocks - first)
            self._words.extend(philox.philox_blocks(self._key, self._start + first, count).reshape(-1).tolist())
        self._next += 1
        return self._words[position]

    def take(self, count):
        """The next ``count`` 32-bit samples as a uint64 array (what ``count`` calls of rand32 return)."""
        limit = 4 * self._n_blocks
        end = self._next + count
        while len(self._words) < min(end, limit):
            first = len(self._words) // 4
            chunk = min(self._CHUNK, self._n_blocks - first)
            self._words.extend(philox.philox_blocks(self._key, self._start + first, chunk).reshape(-1).tolist())
        if end <= limit:
            words = self._words[self._next:end]
        else:
            words = [self._words[i % limit] for i in range(self._next, end)]
        self._next = end
        return np.array(words, np.uint64)

    def rand64(self):
        lo, hi = self.rand32(), self.rand32()
        return lo | (hi << 32)

    def rand_double(self):
        """A double in [1, 2) with 52 random mantissa bits, minus 1: exactly ``mantissa * 2**-52``."""
        x0, x1 = self.rand32(), self.rand32()
        return (((x0 & 0xFFFFF) << 32) | x1) * _TWO_TO_MINUS_52

    def uniform64(self, n):
        rem = ((2 ** 64 - 1) % n + 1) % n
        while True:
            bits = self.rand64()
            if bits >= rem:
                return bits % n


def _log_uniform(range_max):
    log_range = math.log1p(range_max)
    known = {}  # class -> its float32 probability: classes recur from run to run

    def sample(rnd):
        """Draws in blocks of 64 from consecutive (RandDouble: 2 samples) pairs; exp stays libm's (math.exp)."""
        while True:
            words = rnd.take(128)
            mantissas = ((words[0::2] & 0xFFFFF) << np.uint64(32)) | words[1::2]
            for x in (mantissas.astype(np.float64) * _TWO_TO_MINUS_52 * log_range).tolist():
                yield (int(math.exp(x)) - 1) % range_max

    def probability(value):
        p = known.get(value)
        if p is None:
            p = known[value] = float(np.float32(math.log((value + 2.0) / (value + 1.0)) / log_range))
        return p
    return sample, probability


def _uniform(range_max):
    inv_range = float(np.float32(1.0 / range_max))
    return _one_at_a_time(lambda rnd: rnd.uniform64(range_max)), (lambda value: inv_range)


def _one_at_a_time(sample):
    """A sampler's draws (a generator over one run's random samples) from a function drawing one."""
    def draws(rnd):
        while True:
            yield sample(rnd)
    return draws


@functools.lru_cache(maxsize=1 << 16)
def _log1pf_of_minus(p):
    return libm.shared_libm().log1pf(-p)


def _expected_counts(probabilities, batch_size, num_tries):
    """float32 ``p * batch_size`` or, after rejections, ``-expm1f(num_tries * log1pf(-p))``: the float32 product
    of a float32 and an integer below 2**24 is exact in a double, and ctypes rounds it to float32 for expm1f."""
    if num_tries == batch_size:
        return np.array(probabilities, np.float32) * np.float32(batch_size)
    expm1f = libm.shared_libm().expm1f  # glibc's float expm1f/log1pf, as TensorFlow's kernel calls them
    return np.array([-expm1f(num_tries * _log1pf_of_minus(float(p))) for p in probabilities], np.float32)


def _rand_float(rnd):
    """SimplePhilox::RandFloat: 23 random mantissa bits of a float in [1, 2), minus 1."""
    return (rnd.rand32() & 0x7FFFFF) * _TWO_TO_MINUS_23  # exact: 23 mantissa bits


def _alias_table(weights):
    """Walker's alias table exactly as DistributionSampler builds it: (float32 probabilities, aliases)."""
    n = len(weights)
    total = 0.0
    for w in weights:
        total += float(w)
    pr = [float(np.float32(w) * np.float32(n)) / total for w in weights]  # float * int in float, / double sum
    alt = [-1] * n
    low = [i for i in range(n) if pr[i] < 1.0]
    high = [i for i in range(n) if pr[i] >= 1.0]
    while high and low:
        small, large = low.pop(), high.pop()
        alt[small] = large
        pr[large] = pr[large] - (1.0 - pr[small])
        (low if pr[large] < 1.0 else high).append(large)
    prob = np.array(pr, np.float32)
    for i in high + low:  # rounding leftovers: certain, their own alias
        prob[i], alt[i] = 1.0, i
    return prob, alt


def _unigram_weights(op, range_max):
    """FixedUnigramSampler's weights: reserved ids at 0, then ``count ** distortion`` of this shard's ids."""
    vocab_file, unigrams = op.get_attr("vocab_file"), list(op.get_attr("unigrams"))
    vocab_file = vocab_file.decode() if isinstance(vocab_file, bytes) else vocab_file
    if not vocab_file and not unigrams:
        raise invalid_argument("Must provide either vocab_file or unigrams.")
    if vocab_file and unigrams:
        raise invalid_argument("Must only provide one of vocab_file and unigrams.")
    distortion, shards, shard = op.get_attr("distortion"), op.get_attr("num_shards"), op.get_attr("shard")
    weights = [0.0 for word_id in range(op.get_attr("num_reserved_ids")) if word_id % shards == shard]
    if vocab_file:
        try:
            with open(vocab_file, encoding="utf-8") as f:
                lines = f.read().splitlines()
        except OSError as e:
            from minitf.framework import errors
            raise errors.NotFoundError(None, None, f"{vocab_file}; {e.strerror}")
        counts = []
        for line in lines:
            try:
                counts.append(float(np.float32(line.split(",")[-1])))
            except ValueError:
                raise invalid_argument(f"Wrong vocabulary format at line: {line}") from None
    else:
        counts = unigrams
    total = np.float32(0.0)
    word_id = len(weights)
    for count in counts:
        if word_id % shards == shard:
            w = np.float32(math.pow(float(np.float32(count)), float(np.float32(distortion))))
            total = np.float32(total + w)
            weights.append(w)
        word_id += 1
    if len(weights) != range_max:
        raise invalid_argument(f"range is {range_max} must be equal to weights size  {len(weights)}")
    return np.array(weights, np.float32), total


def _fixed_unigram(op, range_max):
    weights, total = _unigram_weights(op, range_max)
    prob, alt = _alias_table(weights)
    n = len(weights)

    def sample(rnd):
        r = _rand_float(rnd)
        idx = rnd.rand32() % n
        return idx if r < prob[idx] else alt[idx]

    def probability(value):
        return np.float32(weights[value] / total) if 0 <= value < n else np.float32(0.0)
    return _one_at_a_time(sample), probability, None


def _learned_unigram(op, range_max):
    """The counts start at 1; each run adds 1 per true class (capped so the total stays below 2^31 - 1)."""
    counts = np.ones([range_max], np.int64)
    cumulative = [np.cumsum(counts)]

    def pick(rnd):
        total = int(cumulative[0][-1])
        if total & (total - 1) == 0:
            position = rnd.rand32() & (total - 1)
        else:
            rem = (0xFFFFFFFF % total) + 1
            position = rnd.rand32()
            while position < rem:
                position = rnd.rand32()
            position %= total
        return int(np.searchsorted(cumulative[0], position, side="right"))

    def probability(value):
        return np.float32(np.float32(counts[value]) / np.float32(cumulative[0][-1]))

    def update(values):
        room = (2 ** 31 - 1) - int(cumulative[0][-1])
        np.add.at(counts, values[:max(0, min(len(values), room))], 1)
        cumulative[0] = np.cumsum(counts)
    return _one_at_a_time(pick), probability, update


def _simple(make):
    return lambda op, range_max: make(range_max) + (None,)


_SAMPLERS = {"LogUniformCandidateSampler": _simple(_log_uniform), "UniformCandidateSampler": _simple(_uniform),
             "FixedUnigramCandidateSampler": _fixed_unigram, "LearnedUnigramCandidateSampler": _learned_unigram}


def _sampler_kernel(op, state):
    num_sampled, num_true = op.get_attr("num_sampled"), op.get_attr("num_true")
    unique = op.get_attr("unique")
    range_max = op.get_attr("range_max") if op.type != "AllCandidateSampler" else num_sampled
    if range_max <= 0:
        raise invalid_argument("range_max must be positive")
    if op.type == "LearnedUnigramCandidateSampler" and range_max >= 2 ** 31 - 1:
        raise invalid_argument(f"range_max must be less than {2 ** 31 - 1} for unigram samplers, got {range_max}")
    stream = None
    if op.type != "AllCandidateSampler":
        sample, probability, update = _SAMPLERS[op.type](op, range_max)

    def kernel(true_classes):
        nonlocal stream
        if true_classes.ndim != 2:
            raise invalid_argument("true_classes must be a matrix")
        if true_classes.shape[1] != num_true:
            raise invalid_argument(f"true_classes must have num_true columns, expected: {true_classes.shape[1]} "
                                   f"was: {num_true}")
        if unique and num_sampled > range_max:
            raise invalid_argument("Sampler's range is too small.")
        for candidate in true_classes.reshape(-1).tolist():
            if not 0 <= candidate < range_max:
                raise invalid_argument(f"`true_candidate` out of range [0, {range_max}), received {candidate}")
        if op.type == "AllCandidateSampler":
            return (np.arange(num_sampled, dtype=np.int64), np.ones(true_classes.shape, np.float32),
                    np.ones([num_sampled], np.float32))
        if stream is None:
            from minitf.ops.random_ops import _stream
            stream = _stream(op, state)
        n_blocks = (2048 * num_sampled + 3) // 4
        rnd = _SimplePhilox(stream.key, stream.reserve_blocks(n_blocks), n_blocks)
        draws = sample(rnd)
        batch, used, num_tries = [], set(), 0
        if unique:
            while len(batch) < num_sampled:
                num_tries += 1
                value = next(draws)
                if value not in used:
                    used.add(value)
                    batch.append(value)
        else:
            batch = [next(draws) for _ in range(num_sampled)]
            num_tries = num_sampled
        flat_true = true_classes.reshape(-1).tolist()
        sampled_count = _expected_counts([probability(v) for v in batch], num_sampled, num_tries)
        true_count = _expected_counts([probability(v) for v in flat_true], num_sampled, num_tries)
        if update is not None:
            update(true_classes.reshape(-1))
        return np.array(batch, np.int64), true_count.reshape(true_classes.shape), sampled_count
    return kernel


def _sampler_infer(op):
    num_sampled, num_true = op.get_attr("num_sampled"), op.get_attr("num_true")
    true_classes = op.inputs[0].shape.with_rank(2)
    return [(dtypes.int64, tensor_shape.TensorShape([num_sampled])),
            (dtypes.float32, tensor_shape.TensorShape([true_classes[0].value, num_true])),
            (dtypes.float32, tensor_shape.TensorShape([num_sampled]))]


_FIXED_UNIGRAM_DEFAULTS = {"vocab_file": "", "distortion": 1.0, "num_reserved_ids": 0, "num_shards": 1, "shard": 0,
                           "unigrams": []}
for _op_type in list(_SAMPLERS) + ["AllCandidateSampler"]:
    register(_op_type, _sampler_infer, _sampler_kernel, stateful=True, input_names=("true_classes",),
             attr_defaults={"seed": 0, "seed2": 0,
                            **(_FIXED_UNIGRAM_DEFAULTS if _op_type == "FixedUnigramCandidateSampler" else {})})
    no_gradient(_op_type)


def _candidate_sampler(op_type, true_classes, num_true, num_sampled, unique, range_max, seed, name, **extra):
    seed1, seed2 = random_seed.get_seed(seed)
    attrs = {"num_true": num_true, "num_sampled": num_sampled, "unique": unique, "seed": seed1 or 0,
             "seed2": seed2 or 0, **extra}
    if range_max is not None:
        attrs["range_max"] = range_max
    with ops.name_scope(name, op_type) as scope:
        true_classes = ops.convert_to_tensor(true_classes, dtypes.int64, name="true_classes")
        return _sampler_outputs(op_type)(*apply_op(op_type, [true_classes], attrs, scope)._outputs)


@functools.lru_cache(maxsize=None)
def _sampler_outputs(op_type):
    """The namedtuple class a sampler returns, named after its op as in TensorFlow (made on first use: five
    namedtuple classes at import would cost every program)."""
    return collections.namedtuple(op_type, ["sampled_candidates", "true_expected_count", "sampled_expected_count"])


def uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None):
    """``tf.nn.uniform_candidate_sampler``: (sampled_candidates, true_expected_count, sampled_expected_count)."""
    return _candidate_sampler("UniformCandidateSampler", true_classes, num_true, num_sampled, unique, range_max,
                              seed, name)


def log_uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None):
    """``tf.nn.log_uniform_candidate_sampler``: Zipfian candidates, class k drawn with probability
    ``log((k + 2) / (k + 1)) / log(range_max + 1)``."""
    return _candidate_sampler("LogUniformCandidateSampler", true_classes, num_true, num_sampled, unique,
                              range_max, seed, name)


def learned_unigram_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None,
                                      name=None):
    """``tf.nn.learned_unigram_candidate_sampler``: classes drawn by their counts so far (all 1 at first), the
    true classes of each run counted after its draw."""
    return _candidate_sampler("LearnedUnigramCandidateSampler", true_classes, num_true, num_sampled, unique,
                              range_max, seed, name)


def fixed_unigram_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, vocab_file="",
                                    distortion=1.0, num_reserved_ids=0, num_shards=1, shard=0, unigrams=(),
                                    seed=None, name=None):
    """``tf.nn.fixed_unigram_candidate_sampler``: classes drawn with probability proportional to
    ``count ** distortion``, the counts from ``unigrams`` or the last column of the CSV ``vocab_file``."""
    return _candidate_sampler("FixedUnigramCandidateSampler", true_classes, num_true, num_sampled, unique,
                              range_max, seed, name, vocab_file=vocab_file, distortion=float(distortion),
                              num_reserved_ids=num_reserved_ids, num_shards=num_shards, shard=shard,
                              unigrams=[float(u) for u in unigrams])


def all_candidate_sampler(true_classes, num_true, num_sampled, unique, seed=None, name=None):
    """``tf.nn.all_candidate_sampler``: the classes 0 .. num_sampled - 1, each with expected count 1."""
    return _candidate_sampler("AllCandidateSampler", true_classes, num_true, num_sampled, unique, None, seed, name)


def _accidental_hits_kernel(op, state):
    num_true = op.get_attr("num_true")

    def kernel(true_classes, sampled):
        if true_classes.ndim != 2 or true_classes.shape[1] != num_true:
            raise invalid_argument("true_candidates must be a batch_size * num_true matrix")
        if sampled.ndim != 1:
            raise invalid_argument("sampled_candidates must be a vector, which is typically an output from "
                                   "CandidateSampler")
        position = {value: i for i, value in enumerate(sampled.tolist())}
        hits = [(i, position[c]) for i, row in enumerate(true_classes.tolist()) for c in row if c in position]
        return (np.array([h[0] for h in hits], np.int32), np.array([h[1] for h in hits], np.int64),
                np.full([len(hits)], -_FLT_MAX, np.float32))
    return kernel


register("ComputeAccidentalHits",
         lambda op: [(dtypes.int32, tensor_shape.TensorShape([None])), (dtypes.int64, tensor_shape.TensorShape([None])),
                     (dtypes.float32, tensor_shape.TensorShape([None]))],
         _accidental_hits_kernel, input_names=("true_classes", "sampled_candidates"),
         attr_defaults={"seed": 0, "seed2": 0})
no_gradient("ComputeAccidentalHits")


def compute_accidental_hits(true_classes, sampled_candidates, num_true, seed=None, name=None):
    """``tf.nn.compute_accidental_hits``: (indices, ids, weights) of the sampled candidates equal to a true class
    of their row, with weights -FLT_MAX."""
    seed1, seed2 = random_seed.get_seed(seed)
    with ops.name_scope(name, "ComputeAccidentalHits") as scope:
        true_classes = ops.convert_to_tensor(true_classes, dtypes.int64, name="true_classes")
        sampled_candidates = ops.convert_to_tensor(sampled_candidates, dtypes.int64, name="sampled_candidates")
        return _AccidentalHits(*apply_op("ComputeAccidentalHits", [true_classes, sampled_candidates],
                                         {"num_true": num_true, "seed": seed1 or 0, "seed2": seed2 or 0},
                                         scope)._outputs)


_AccidentalHits = collections.namedtuple("ComputeAccidentalHits", ["indices", "ids", "weights"])
