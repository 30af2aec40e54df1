"""Nested structures of lists, tuples, namedtuples and dicts, as TensorFlow's ``tf.nest`` sees them.

Dicts are flattened in sorted key order; anything that is not a list, tuple or dict is a leaf.
"""


def is_nested(structure):
    return isinstance(structure, (list, tuple, dict))


def _children(structure):
    if isinstance(structure, dict):
        return [structure[k] for k in sorted(structure)]
    return list(structure)


def flatten(structure):
    if not is_nested(structure):
        return [structure]
    result = []
    for child in _children(structure):
        result.extend(flatten(child))
    return result


def _rebuild(structure, children):
    if isinstance(structure, dict):
        keys = sorted(structure)
        return type(structure)((k, children[keys.index(k)]) for k in structure)
    if isinstance(structure, tuple) and hasattr(structure, "_fields"):  # a namedtuple
        return type(structure)(*children)
    return type(structure)(children)


def pack_sequence_as(structure, flat_sequence):
    flat_sequence = list(flat_sequence)
    if len(flatten(structure)) != len(flat_sequence):
        raise ValueError(f"Could not pack sequence. Structure had {len(flatten(structure))} atoms, but "
                         f"flat_sequence had {len(flat_sequence)} items.  Structure: {structure}, "
                         f"flat_sequence: {flat_sequence}.")
    position = [0]

    def pack(s):
        if not is_nested(s):
            value = flat_sequence[position[0]]
            position[0] += 1
            return value
        return _rebuild(s, [pack(c) for c in _children(s)])
    return pack(structure)


def assert_same_structure(nest1, nest2, check_types=True):
    """Raises ValueError (different nesting or lengths) or TypeError (different sequence types), with tf.nest's
    messages."""
    def fail(error, detail):
        raise error("The two structures don't have the same nested structure.\n\n"
                    f"First structure: {_type_repr(nest1)}\n\nSecond structure: {_type_repr(nest2)}\n\n"
                    f"More specifically: {detail}\nEntire first structure:\n{_skeleton(nest1)}\n"
                    f"Entire second structure:\n{_skeleton(nest2)}")

    def check(a, b):
        if is_nested(a) != is_nested(b):
            seq, other = (a, b) if is_nested(a) else (b, a)
            fail(ValueError, f'Substructure "{_type_repr(seq)}" is a sequence, while substructure '
                             f'"{_type_repr(other)}" is not')
        if not is_nested(a):
            return
        if len(a) != len(b):
            fail(ValueError, "The two structures don't have the same number of elements. First structure: "
                             f"{_type_repr(a)}. Second structure: {_type_repr(b)}")
        if check_types and _sequence_kind(a) != _sequence_kind(b):
            fail(TypeError, f"The two namedtuples don't have the same sequence type. First structure "
                            f"{_type_repr(a)} has type {type(a).__name__}, while second structure {_type_repr(b)} "
                            f"has type {type(b).__name__}")
        if isinstance(a, dict) and sorted(a) != sorted(b):
            fail(ValueError, f"The two dictionaries don't have the same set of keys. First structure has keys "
                             f"{sorted(a)}, while second structure has keys {sorted(b)}.")
        for x, y in zip(_children(a), _children(b)):
            check(x, y)
    check(nest1, nest2)


def _sequence_kind(s):
    if isinstance(s, dict):
        return dict
    if isinstance(s, tuple) and hasattr(s, "_fields"):
        return type(s)
    return list if isinstance(s, list) else tuple


def _type_repr(value):
    return f"type={type(value).__name__} str={value}"


class _Leaf:
    def __repr__(self):
        return "."


def _skeleton(structure):
    """The structure with each leaf shown as ``.`` (``[., (., .)]``), as tf.nest prints it in errors."""
    return repr(pack_sequence_as(structure, [_Leaf() for _ in flatten(structure)]))


def map_structure(func, *structures):
    first = structures[0]
    for other in structures[1:]:
        assert_same_structure(first, other)
    flat = [flatten(s) for s in structures]
    return pack_sequence_as(first, [func(*args) for args in zip(*flat)])
