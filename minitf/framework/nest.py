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
    """Raises ValueError (different nesting or lengths) or TypeError (different sequence types) as tf.nest."""
    def check(a, b):
        if is_nested(a) != is_nested(b):
            raise ValueError("The two structures don't have the same nested structure.\n\nFirst structure: "
                             f"{nest1}\n\nSecond structure: {nest2}\n\nMore specifically: Substructure "
                             f"\"{_type_repr(a)}: {a}\" is a sequence, while substructure \"{_type_repr(b)}: "
                             f"{b}\" is not" if is_nested(a) else
                             "The two structures don't have the same nested structure.\n\nFirst structure: "
                             f"{nest1}\n\nSecond structure: {nest2}\n\nMore specifically: Substructure "
                             f"\"{_type_repr(b)}: {b}\" is a sequence, while substructure \"{_type_repr(a)}: "
                             f"{a}\" is not")
        if not is_nested(a):
            return
        if check_types and _sequence_kind(a) != _sequence_kind(b):
            raise TypeError("The two structures don't have the same sequence type. Input structure has type "
                            f"{_type_repr(a)}, while shallow structure has type {_type_repr(b)}.")
        if len(a) != len(b):
            raise ValueError("The two structures don't have the same nested structure.\n\nFirst structure: "
                             f"{nest1}\n\nSecond structure: {nest2}\n\nMore specifically: The two namedtuples "
                             f"don't have the same sequence type. First structure {_type_repr(a)} has length "
                             f"{len(a)}, while second structure {_type_repr(b)} has length {len(b)}")
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


def map_structure(func, *structures):
    first = structures[0]
    for other in structures[1:]:
        assert_same_structure(first, other)
    flat = [flatten(s) for s in structures]
    return pack_sequence_as(first, [func(*args) for args in zip(*flat)])
