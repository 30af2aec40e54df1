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
import itertools
import math

import numpy as np

from minitf.framework import dtypes, ops, random_seed, tensor_shape
from minitf.framework.op_def_lib import apply_op, invalid_argument, no_gradient, register
from minitf.ops import libm, philox

_FLT_MAX = float(np.finfo(np.float32).max)
_COUNTER_MOD = 1 << 128  # Philox counters wrap around


_TWO_TO_MINUS_52, _TWO_TO_MINUS_23 = 2.0 ** -52, 2.0 ** -23


_CHUNK = 64  # blocks computed at a time: a run reserves 512 per sample but draws few more than it needs


class _SimplePhilox:
    """TensorFlow's SimplePhilox over a reservation: 32-bit samples taken in order from consecutive blocks.
    ``first`` is the reservation's first samples (a uint64 array) if they are known already (``_Prefetch``)."""

    _CHUNK = _CHUNK

    def __init__(self, key, start, n_blocks, first=None):
        self._key, self._start, self._n_blocks = key, start, n_blocks
        self._first = first
        self._words = []  # the samples computed so far (``first`` too, once a draw needs more or a single one)
        self._next = 0

    def _grow(self):
        """Adds the next samples to those known: ``first``, then ``_CHUNK`` blocks at a time."""
        if not self._words and self._first is not None:
            self._words = self._first.tolist()
            return
        first = len(self._words) // 4
        count = min(self._CHUNK, self._n_blocks - first)
        self._words.extend(philox.philox_blocks(self._key, self._start + first, count).reshape(-1).tolist())

    def rand32(self):
        position = self._next % (4 * self._n_blocks)  # past the reservation TensorFlow reuses bits too
        while position >= len(self._words):
            self._grow()
        self._next += 1
        return self._words[position]

    def take(self, count):
        """The next ``count`` 32-bit samples as a uint64 array (what ``count`` calls of rand32 return)."""
        limit = 4 * self._n_blocks
        end = self._next + count
        if self._first is not None and end <= len(self._first):
            words, self._next = self._first[self._next:end], end
            return words
        while len(self._words) < min(end, limit):
            self._grow()
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


class _Prefetch:
    """The first ``_CHUNK`` blocks of a sampler's reservations, computed ``RUNS`` runs at a time.

    Each run reserves thousands of blocks and reads a few dozen; for so few, numpy's per-call cost, not the
    arithmetic, makes up a Philox computation, so the blocks at the starts of this run's reservation and of the
    next ``RUNS - 1`` (where the stream's later runs begin) are computed in one call. They are kept by their
    counter: a run whose start was not foreseen computes its own, and the values never depend on the prefetch.
    """

    RUNS = 16

    def __init__(self, key, n_blocks):
        self._key, self._n_blocks = key, n_blocks
        self._offsets = (np.arange(self.RUNS, dtype=np.uint64)[:, None] * np.uint64(n_blocks)
                         + np.arange(_CHUNK, dtype=np.uint64)).reshape(-1)
        self._words = {}

    def words(self, start):
        """The 32-bit samples of the first ``_CHUNK`` blocks from counter ``start``, as a uint64 array."""
        words = self._words.pop(start, None)
        if words is None:
            blocks = philox.blocks_at(self._key, start, self._offsets).reshape(self.RUNS, 4 * _CHUNK)
            blocks = blocks.astype(np.uint64)
            words = blocks[0]
            self._words = {(start + run * self._n_blocks) % _COUNTER_MOD: blocks[run]
                           for run in range(1, self.RUNS)}
        return words


class _ExpectedCounts:
    """A sampler's expected counts by number of tries and class, kept from run to run (classes recur) while its
    probabilities never change (every sampler but the learned unigram one), with each class's ``log1pf(-p)``.
    At most ``LIMIT`` counts are kept. What is not kept costs a call of glibc's expm1f through ctypes."""

    LIMIT = 1 << 16

    def __init__(self, probabilities, batch_size):
        self._probabilities, self._batch_size = probabilities, batch_size
        self._tables, self._log1p, self._size = {}, {}, 0

    def __call__(self, values, num_tries):
        """The float32 expected counts of the classes ``values`` (a list) after ``num_tries`` draws."""
        table = self._tables.get(num_tries)
        if table is None:
            table = self._tables[num_tries] = {}
        get = table.get
        counts = [get(v) for v in values]
        if None in counts:
            missing = list({v for v, count in zip(values, counts) if count is None})
            if self._size + len(missing) > self.LIMIT:
                self._tables, self._log1p, self._size = {num_tries: table}, {}, len(table)
            table.update(zip(missing, self._compute(missing, num_tries)))
            self._size += len(missing)
            counts = [table[v] for v in values]
        return np.array(counts, np.float32)

    def _compute(self, values, num_tries):
        if num_tries == self._batch_size:
            return _expected_counts(self._probabilities(values), num_tries, num_tries).tolist()
        lib = libm.shared_libm()
        log1pf, expm1f, known = lib.log1pf, lib.expm1f, self._log1p
        new = [v for v in values if v not in known]
        if new:
            known.update((v, log1pf(-float(p))) for v, p in zip(new, self._probabilities(new)))
        return [-expm1f(num_tries * known[v]) for v in values]  # float32 values already (see _expected_counts)


def _log_uniform(range_max):
    log_range = math.log1p(range_max)

    def sample(rnd):
        """Draws in blocks of 128 from consecutive (RandDouble: 2 samples) pairs, ``floor(exp(x)) - 1`` with libm's
        exp: numpy's ``exp`` is within a few ulps of it, so its floor is libm's unless it lies within 2**-40 (relative)
        of an integer, where ``math.exp`` decides."""
        while True:
            words = rnd.take(256)
            mantissas = ((words[0::2] & 0xFFFFF) << np.uint64(32)) | words[1::2]
            x = mantissas.astype(np.float64) * _TWO_TO_MINUS_52 * log_range
            e = np.exp(x)
            values = e.astype(np.int64)
            for i in np.flatnonzero(np.abs(e - np.rint(e)) <= e * 2.0 ** -40).tolist():
                values[i] = int(math.exp(x[i]))
            values -= 1
            yield from (values % range_max).tolist()

    def probabilities(values):
        """float32 ``log((k + 2) / (k + 1)) / log1p(range_max)`` with libm's log: numpy's log is within a few
        ulps of it, which moves the float32 only within 2**-40 (relative) of a rounding midpoint, where
        ``math.log`` decides."""
        k = np.array(values, np.float64)
        exact = np.log((k + 2.0) / (k + 1.0)) / log_range
        p = exact.astype(np.float32)
        near = (exact * (1 - 2.0 ** -40)).astype(np.float32) != (exact * (1 + 2.0 ** -40)).astype(np.float32)
        for i in np.flatnonzero(near).tolist():
            p[i] = math.log((values[i] + 2.0) / (values[i] + 1.0)) / log_range
        return p.tolist()
    return sample, probabilities


def _uniform(range_max):
    inv_range = float(np.float32(1.0 / range_max))
    return _one_at_a_time(lambda rnd: rnd.uniform64(range_max)), (lambda values: [inv_range] * len(values))


def _each(probability):
    """A sampler's probabilities of a list of classes, from its probability of one."""
    return lambda values: [probability(v) for v in values]


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
    return _one_at_a_time(sample), _each(probability), None


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
    return _one_at_a_time(pick), _each(probability), update


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
    n_blocks = (2048 * num_sampled + 3) // 4
    stream = prefetch = None
    if op.type != "AllCandidateSampler":
        sample, probabilities, update = _SAMPLERS[op.type](op, range_max)
        expected_counts = _ExpectedCounts(probabilities, num_sampled) if update is None else None

    def kernel(true_classes):
        nonlocal stream, prefetch
        if true_classes.ndim != 2:
            raise invalid_argument("true_classes must be a matrix")
        if true_classes.shape[1] != num_true:
            raise invalid_argument(f"true_classes must have num_true columns, expected: {true_classes.shape[1]} "
                                   f"was: {num_true}")
        if unique and num_sampled > range_max:
            raise invalid_argument("Sampler's range is too small.")
        flat_true = true_classes.reshape(-1).tolist()
        if true_classes.size and (true_classes.min() < 0 or true_classes.max() >= range_max):
            candidate = next(c for c in flat_true if not 0 <= c < range_max)
            raise invalid_argument(f"`true_candidate` out of range [0, {range_max}), received {candidate}")
        if op.type == "AllCandidateSampler":
            return (np.arange(num_sampled, dtype=np.int64), np.ones(true_classes.shape, np.float32),
                    np.ones([num_sampled], np.float32))
        if stream is None:
            from minitf.ops.random_ops import _stream
            stream = _stream(op, state)
            prefetch = _Prefetch(stream.key, n_blocks)
        start = stream.reserve_blocks(n_blocks)
        rnd = _SimplePhilox(stream.key, start, n_blocks, prefetch.words(start))
        draws = sample(rnd)
        if unique:
            batch, num_tries = _distinct(draws, num_sampled)
        else:
            batch, num_tries = list(itertools.islice(draws, num_sampled)), num_sampled
        if update is None:
            sampled_count, true_count = expected_counts(batch, num_tries), expected_counts(flat_true, num_tries)
        else:
            sampled_count = _expected_counts(probabilities(batch), num_sampled, num_tries)
            true_count = _expected_counts(probabilities(flat_true), num_sampled, num_tries)
            update(true_classes.reshape(-1))
        return np.array(batch, np.int64), true_count.reshape(true_classes.shape), sampled_count
    return kernel


def _distinct(draws, count):
    """The first ``count`` distinct values of ``draws``, and how many draws that took."""
    batch, used, tries = [], set(), 0
    for value in draws if count > 0 else ():
        tries += 1
        if value not in used:
            used.add(value)
            batch.append(value)
            if len(batch) == count:
                break
    return batch, tries


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
