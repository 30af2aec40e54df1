"""The programs of tests/golden/make_parsing_ops.py (TensorFlow) and tests/test_parsing_ops.py (minitf): sparse
tensors, parse_example / parse_single_example, decode_raw, decode_csv, string_to_number.

Every case takes the library as ``tf`` and returns fetches (or fetches and a feed dict); tests/golden/program_cases.py
records what the library does with it.
"""


def example(tf, **features):
    """A serialized tf.train.Example; each value is ``(kind, values)`` with kind int64, float or bytes."""
    lists = {"int64": tf.train.Int64List, "float": tf.train.FloatList, "bytes": tf.train.BytesList}
    feature = {key: tf.train.Feature(**{kind + "_list": lists[kind](value=values)})
               for key, (kind, values) in features.items()}
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


def _batch(tf, examples, features, names=None):
    serialized = tf.placeholder(tf.string, [None])
    feed = {serialized: examples}
    kwargs = {}
    if names is not None:
        kwargs["example_names"] = tf.placeholder(tf.string, [None])
        feed[kwargs["example_names"]] = names
    return tf.parse_example(serialized, features, **kwargs), feed


def _single(tf, record, features, name=None):
    serialized = tf.placeholder(tf.string, [])
    return tf.parse_single_example(serialized, features, name=name), {serialized: record}


def _examples(tf):
    return [example(tf, a=("int64", [1, 2]), f=("float", [0.5, -1.5, 2.0]), s=("bytes", [b"x", b"yz"])),
            example(tf, a=("int64", [3, 4]), f=("float", []), s=("bytes", [b""])),
            example(tf, a=("int64", [5, 6]), g=("float", [9.0]))]


def _all_kinds(tf):
    return {"a": tf.FixedLenFeature([2], tf.int64),
            "f": tf.VarLenFeature(tf.float32),
            "s": tf.VarLenFeature(tf.string),
            "g": tf.FixedLenFeature([], tf.float32, default_value=-1.0),
            "h": tf.FixedLenFeature([1, 2], tf.string, default_value=[[b"p", b"q"]]),
            "seq": tf.FixedLenSequenceFeature([], tf.float32, allow_missing=True)}


CASES = {
    # -- SparseTensor, sparse_to_dense ---------------------------------------------------------------------------
    "sparse_tensor_fetch_and_to_dense": lambda tf: (lambda sp: {
        "sp": sp, "dense": tf.sparse_tensor_to_dense(sp), "filled": tf.sparse_tensor_to_dense(sp, -1.0, name="d")})(
        tf.SparseTensor(indices=[[0, 0], [1, 2]], values=[1.0, 2.0], dense_shape=[3, 4])),
    "sparse_feed": lambda tf: (lambda i, v, s: (
        {"dense": tf.sparse_tensor_to_dense(tf.SparseTensor(i, v, s))},
        {tf.SparseTensor(i, v, s): tf.SparseTensorValue([[1, 1]], [5], [2, 3])}))(
        tf.placeholder(tf.int64, [None, 2]), tf.placeholder(tf.int32, [None]), tf.placeholder(tf.int64, [2])),
    "sparse_to_dense": lambda tf: {"vector": tf.sparse_to_dense([[0], [2]], [5], [3, 4], default_value=-1),
                                   "scalar_value": tf.sparse_to_dense([1, 3], [5], 7),
                                   "int64_matrix": tf.sparse_to_dense(tf.constant([[0, 1], [1, 0]], tf.int64),
                                                                      [2, 2], [True, True], False)},
    "sparse_to_dense_out_of_bounds": lambda tf: {"d": tf.sparse_to_dense([[0, 0], [0, 5]], [2, 3], [1, 2])},
    "sparse_to_dense_out_of_order": lambda tf: {"d": tf.sparse_to_dense([[1, 0], [0, 0]], [2, 3], [1, 2])},
    "sparse_to_dense_repeated": lambda tf: {"d": tf.sparse_to_dense([[0, 1], [0, 1]], [2, 3], [1, 2])},
    "sparse_to_dense_unvalidated": lambda tf: {"d": tf.sparse_to_dense([[1, 0], [0, 0]], [2, 3], [1, 2],
                                                                       validate_indices=False)},
    "sparse_to_dense_bad_values": lambda tf: {"d": tf.sparse_to_dense([[0, 0]], [2, 3], [1, 2])},
    "sparse_tensor_bad_shape": lambda tf: {"d": tf.SparseTensor([[0, 0]], [1.0], [[2, 3]])},

    # -- parse_example -------------------------------------------------------------------------------------------
    "parse_example_all_kinds": lambda tf: _batch(tf, _examples(tf), _all_kinds(tf)),
    "parse_example_sequence_padding": lambda tf: _batch(
        tf, [example(tf, a=("int64", [1, 2, 3, 4])), example(tf, a=("int64", [1, 2])),
             example(tf, b=("bytes", [b"q"]))],
        {"a": tf.FixedLenSequenceFeature([2], tf.int64, allow_missing=True),
         "b": tf.FixedLenSequenceFeature([], tf.string, allow_missing=True, default_value="pad")}),
    "parse_example_empty_batch": lambda tf: _batch(tf, [], {"a": tf.FixedLenFeature([], tf.string),
                                                           "v": tf.VarLenFeature(tf.int64)}),
    "parse_example_matrix_feature": lambda tf: _batch(tf, [example(tf, m=("float", [1.0, 2.0, 3.0, 4.0]))],
                                                      {"m": tf.FixedLenFeature([2, 2], tf.float32)}),
    "parse_example_named": lambda tf: _batch(tf, [example(tf, a=("int64", [1, 2]))],
                                             {"a": tf.FixedLenFeature([2], tf.int64)}, names=[b"rec0"]),
    "parse_example_wrong_count": lambda tf: _batch(tf, [example(tf, a=("int64", [1, 2])),
                                                        example(tf, a=("int64", [1]))],
                                                   {"a": tf.FixedLenFeature([2], tf.int64)}),
    "parse_example_missing_required": lambda tf: _batch(tf, [example(tf, b=("int64", [1]))],
                                                        {"a": tf.FixedLenFeature([2], tf.int64)}),
    "parse_example_named_error": lambda tf: _batch(tf, [example(tf, a=("int64", [1]))],
                                                   {"a": tf.FixedLenFeature([2], tf.int64)}, names=[b"rec0"]),
    "parse_example_dense_type_mismatch": lambda tf: _batch(tf, [example(tf, a=("int64", [1, 2]))],
                                                           {"a": tf.FixedLenFeature([2], tf.float32)}),
    "parse_example_sparse_type_mismatch": lambda tf: _batch(tf, [example(tf, a=("int64", [1, 2]))],
                                                            {"a": tf.VarLenFeature(tf.float32)}),
    "parse_example_not_a_proto": lambda tf: _batch(tf, [b"garbage"], {"a": tf.FixedLenFeature([2], tf.int64)}),
    "parse_example_empty_list_with_default": lambda tf: _batch(
        tf, [example(tf, a=("int64", []))], {"a": tf.FixedLenFeature([2], tf.int64, default_value=[5, 6])}),
    "parse_example_sequence_stride": lambda tf: _batch(
        tf, [example(tf, a=("int64", [1, 2, 3]))],
        {"a": tf.FixedLenSequenceFeature([2], tf.int64, allow_missing=True)}),
    "parse_example_no_features": lambda tf: tf.parse_example(tf.constant(["a"]), {}),
    "parse_example_sequence_not_missing": lambda tf: tf.parse_example(
        tf.constant(["a"]), {"a": tf.FixedLenSequenceFeature([2], tf.int64)}),
    "parse_example_unknown_first_dim": lambda tf: tf.parse_example(
        tf.constant(["a"]), {"a": tf.FixedLenFeature([None], tf.int64)}),
    "parse_example_int32_feature": lambda tf: tf.parse_example(tf.constant(["a"]),
                                                               {"a": tf.FixedLenFeature([2], tf.int32)}),
    "parse_example_not_a_feature": lambda tf: tf.parse_example(tf.constant(["a"]), {"a": [1]}),

    # -- parse_single_example ------------------------------------------------------------------------------------
    "parse_single_example_all_kinds": lambda tf: _single(tf, _examples(tf)[0], _all_kinds(tf)),
    "parse_single_example_defaults": lambda tf: _single(tf, _examples(tf)[2], _all_kinds(tf), name="parse"),
    "parse_single_example_const": lambda tf: {"a": tf.parse_single_example(
        example(tf, a=("int64", [7, 8])), {"a": tf.FixedLenFeature([2], tf.int64)})["a"]},
    "parse_single_example_wrong_count": lambda tf: _single(tf, example(tf, a=("int64", [1])),
                                                           {"a": tf.FixedLenFeature([2], tf.int64)}),
    "parse_single_example_missing_required": lambda tf: _single(tf, example(tf, b=("int64", [1])),
                                                               {"a": tf.FixedLenFeature([2], tf.int64)}),
    "parse_single_example_type_mismatch": lambda tf: _single(tf, example(tf, a=("int64", [1, 2])),
                                                            {"a": tf.FixedLenFeature([2], tf.float32)}),
    "parse_single_example_sparse_type_mismatch": lambda tf: _single(tf, example(tf, a=("bytes", [b"q"])),
                                                                   {"a": tf.VarLenFeature(tf.int64)}),
    "parse_single_example_not_a_proto": lambda tf: _single(tf, b"\x0a\x05zzz",
                                                          {"a": tf.FixedLenFeature([2], tf.int64)}),
    "parse_single_example_vector_input": lambda tf: tf.parse_single_example(
        tf.constant(["a"]), {"a": tf.FixedLenFeature([2], tf.int64)}),

    # -- decode_raw ----------------------------------------------------------------------------------------------
    "decode_raw": lambda tf: {
        "int16": tf.decode_raw(tf.constant([b"\x01\x02\x03\x04", b"\xff\xff\x00\x80"]), tf.int16),
        "int16_big": tf.decode_raw(tf.constant([b"\x01\x02\x03\x04"]), tf.int16, little_endian=False),
        "uint8": tf.decode_raw(tf.constant(b"\x00\x7f\xff"), tf.uint8),
        "float32": tf.decode_raw(tf.constant([[b"\x00\x00\x80\x3f"]]), tf.float32),
        "float64_big": tf.decode_raw(tf.constant(b"\x3f\xf0\x00\x00\x00\x00\x00\x00"), tf.float64,
                                     little_endian=False),
        "int64": tf.decode_raw(tf.constant(b"\x01" + b"\x00" * 7), tf.int64, name="raw")},
    "decode_raw_bad_length": lambda tf: {"d": tf.decode_raw(tf.constant([b"abc"]), tf.int16)},
    "decode_raw_unequal_lengths": lambda tf: {"d": tf.decode_raw(tf.constant([b"ab", b"abcd"]), tf.int16)},
    "decode_raw_empty": lambda tf: {"d": tf.decode_raw(tf.constant([b"", b""]), tf.int32)},

    # -- decode_csv ----------------------------------------------------------------------------------------------
    "decode_csv": lambda tf: {"c%d" % i: t for i, t in enumerate(tf.decode_csv(
        tf.constant(["1,2.5,abc,7", '-3,,"q,""x""",', ",1e3,,12345678901"]),
        [[0], [0.0], ["dflt"], tf.constant([-1], tf.int64)]))},
    "decode_csv_options": lambda tf: {"c%d" % i: t for i, t in enumerate(tf.decode_csv(
        tf.constant([["1|NA|x"], ["NA|2.5|'y'"]]), [[0], [1.0], [""]], field_delim="|",
        use_quote_delim=False, na_value="NA"))},
    "decode_csv_select_cols": lambda tf: {"c%d" % i: t for i, t in enumerate(tf.decode_csv(
        tf.constant(["1,2,3,4", "5,6,7,8"]), [[0], [0.0]], select_cols=[1, 3], name="csv"))},
    "decode_csv_float64_and_scalar": lambda tf: {"c%d" % i: t for i, t in enumerate(tf.decode_csv(
        "0.1,2", [tf.constant([0.0], tf.float64), [0]]))},
    "decode_csv_bad_int": lambda tf: {"c": tf.decode_csv(tf.constant(["1,x"]), [[0], [0]])[1]},
    "decode_csv_bad_float": lambda tf: {"c": tf.decode_csv(tf.constant(["1.5.5"]), [[0.0]])[0]},
    "decode_csv_int_overflow": lambda tf: {"c": tf.decode_csv(tf.constant(["99999999999"]), [[0]])[0]},
    "decode_csv_too_many_fields": lambda tf: {"c": tf.decode_csv(tf.constant(["1,2,3"]), [[0], [0]])[0]},
    "decode_csv_too_few_fields": lambda tf: {"c": tf.decode_csv(tf.constant(["1"]), [[0], [0]])[0]},
    "decode_csv_missing_required": lambda tf: {
        "c": tf.decode_csv(tf.constant(["1,"]), [[0], tf.constant([], tf.int32)])[1]},
    "decode_csv_bad_quote": lambda tf: {"c": tf.decode_csv(tf.constant(['"ab"c,1']), [[""], [0]])[0]},
    "decode_csv_unclosed_quote": lambda tf: {"c": tf.decode_csv(tf.constant(['"ab,1']), [[""], [0]])[0]},
    "decode_csv_bad_delim": lambda tf: {"c": tf.decode_csv(tf.constant(["1"]), [[0]], field_delim="ab")[0]},

    # -- string_to_number ----------------------------------------------------------------------------------------
    "string_to_number": lambda tf: {
        "float": tf.string_to_number(tf.constant(["1.5", " -2e3", "inf", "0x10"])),
        "int32": tf.string_to_number(tf.constant([["12"], ["-7"]]), tf.int32),
        "int64": tf.string_to_number(tf.constant("12345678901"), out_type=tf.int64),
        "double": tf.string_to_number(tf.constant(["0.1"]), tf.float64, name="num")},
    "string_to_number_bad": lambda tf: {"n": tf.string_to_number(tf.constant(["1.5", "abc"]))},
    "string_to_number_int_bad": lambda tf: {"n": tf.string_to_number(tf.constant(["1.5"]), tf.int32)},

    # -- string ops ----------------------------------------------------------------------------------------------
    "string_split": lambda tf: {"spaces": tf.string_split(tf.constant(["a b  c", "", "d"])),
                                "chars": tf.string_split(tf.constant(["a,b;c", ";x"]), sep=",;"),
                                "keep_empty": tf.string_split(tf.constant(["a,,b"]), ",", skip_empty=False),
                                "letters": tf.string_split(tf.constant(["abc"]), "")},
    "strings_split": lambda tf: {"whitespace": tf.strings.split(tf.constant([" a  b\tc ", ""])),
                                 "sep": tf.strings.split(tf.constant(["a,,b", "c"]), sep=","),
                                 "max": tf.strings.split(tf.constant(["a b c d"]), maxsplit=2)},
    "substr": lambda tf: {"one": tf.substr(tf.constant("hello"), 1, 3),
                          "vector": tf.substr(tf.constant(["hello", "ab"]), [0, 1], [10, 1]),
                          "negative": tf.strings.substr(tf.constant(["hello"]), -3, 2)},
    "substr_out_of_range": lambda tf: {"s": tf.substr(tf.constant(["abc"]), 5, 1)},
    "string_join": lambda tf: {"join": tf.string_join([tf.constant(["a", "b"]), "-", tf.constant(["x", "y"])]),
                               "sep": tf.strings.join([tf.constant("p"), tf.constant("q")], separator="/")},
    "regex_replace": lambda tf: {"all": tf.regex_replace(tf.constant(["a1b22c", "x"]), "[0-9]+", "#"),
                                 "first": tf.strings.regex_replace(tf.constant("aaa"), "a", "b", False),
                                 "group": tf.regex_replace(tf.constant("key=value"), "(\\w+)=(\\w+)", "\\2:\\1")},
    "string_elementwise": lambda tf: (lambda s: {"strip": tf.strings.strip(s), "lower": tf.strings.lower(s),
                                                 "upper": tf.strings.upper(s), "length": tf.strings.length(s)})(
        tf.constant([" MiXed \n", "", "abc"])),
    "as_string": lambda tf: {"float": tf.as_string(tf.constant([1.5, -0.25, 1e10])),
                             "precision": tf.as_string(tf.constant([3.14159]), precision=2),
                             "scientific": tf.as_string(tf.constant([31415.9]), scientific=True),
                             "shortest": tf.strings.as_string(tf.constant([0.1, 100.0]), shortest=True),
                             "int": tf.as_string(tf.constant([7, -12]), width=5, fill="0"),
                             "int64": tf.as_string(tf.constant([12345678901], tf.int64)),
                             "bool": tf.as_string(tf.constant([True, False]))},

    # -- parse_single_sequence_example ---------------------------------------------------------------------------
    "sequence_example": lambda tf: _sequence(tf, tok=("int64", [[1, 2], [3, 4], [5, 6]]),
                                             words=("bytes", [[], [b"a"], [b"b", b"c"]])),
    "sequence_example_missing_lists": lambda tf: _sequence(tf, other=("int64", [[1]])),
    "sequence_example_required_list": lambda tf: _sequence(tf, allow_missing=False, words=("bytes", [[b"q"]])),
    "sequence_example_list_count": lambda tf: _sequence(tf, tok=("int64", [[1, 2], [3]])),
    "sequence_example_list_type": lambda tf: _sequence(tf, tok=("float", [[1.0, 2.0]])),
    "sequence_example_sparse_list_type": lambda tf: _sequence(tf, words=("int64", [[1]])),
    "sequence_example_context_type": lambda tf: _sequence(tf, context_kind="float"),
    "sequence_example_context_missing": lambda tf: _sequence(tf, context_kind=None),
    "sequence_example_list_default": lambda tf: tf.parse_single_sequence_example(
        tf.constant(""), sequence_features={"tok": tf.FixedLenSequenceFeature([], tf.int64, default_value=3)}),
    "sequence_example_no_features": lambda tf: tf.parse_single_sequence_example(tf.constant("")),
}


def _sequence(tf, allow_missing=True, context_kind="int64", **lists):
    """parse_single_sequence_example of a SequenceExample with the given feature lists (kind, rows per step)."""
    example = tf.train.SequenceExample()
    if context_kind == "int64":
        example.context.feature["length"].int64_list.value.append(3)
    elif context_kind == "float":
        example.context.feature["length"].float_list.value.append(3.0)
    example.context.feature["label"].bytes_list.value.append(b"cat")
    for key, (kind, rows) in lists.items():
        for row in rows:
            getattr(example.feature_lists.feature_list[key].feature.add(), kind + "_list").value.extend(row)
    serialized = tf.placeholder(tf.string, [])
    context, sequence = tf.parse_single_sequence_example(
        serialized, context_features={"length": tf.FixedLenFeature([], tf.int64),
                                      "label": tf.VarLenFeature(tf.string),
                                      "weight": tf.FixedLenFeature([2], tf.float32, default_value=[0.5, 1.5])},
        sequence_features={"tok": tf.FixedLenSequenceFeature([2], tf.int64, allow_missing=allow_missing),
                           "words": tf.VarLenFeature(tf.string)})
    fetches = {"context_" + k: v for k, v in context.items()}
    fetches.update({"list_" + k: v for k, v in sequence.items()})
    return fetches, {serialized: example.SerializeToString(deterministic=True)}
