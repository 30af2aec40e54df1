"""The structure of dataset elements: tuples, namedtuples and dicts of components, as ``tf.data`` nests them.

A list is not a structure here (``tf.data`` converts it to one tensor); a dict's components are ordered by sorted key.
"""


def is_sequence(value):
    return isinstance(value, (tuple, dict))


def flatten(structure):
    """The leaves of ``structure`` in order."""
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in flatten(structure[key])]
    if isinstance(structure, tuple):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def pack_sequence_as(structure, flat):
    """``flat`` leaves arranged like ``structure``."""
    leaves = iter(flat)

    def pack(s):
        if isinstance(s, dict):
            packed = {key: pack(s[key]) for key in sorted(s)}
            return type(s)((key, packed[key]) for key in s)
        if isinstance(s, tuple):
            items = [pack(item) for item in s]
            return type(s)(*items) if hasattr(s, "_fields") else tuple(items)
        return next(leaves)
    result = pack(structure)
    return result


def map_structure(fn, structure):
    return pack_sequence_as(structure, [fn(leaf) for leaf in flatten(structure)])


def assert_same_structure(a, b):
    """Raises ``ValueError`` (TensorFlow's message) unless ``a`` and ``b`` nest the same way."""
    def shape(s):
        if isinstance(s, dict):
            return ("dict", tuple((k, shape(s[k])) for k in sorted(s)))
        if isinstance(s, tuple):
            return ("tuple", tuple(shape(item) for item in s))
        return None
    if shape(a) != shape(b):
        raise ValueError(f"The two structures don't have the same nested structure.\n\nFirst structure: {a}\n\n"
                         f"Second structure: {b}")


class Spec:
    """A leaf of an element structure: a component's dtype and static shape (``dtype, shape = spec``)."""

    __slots__ = ("dtype", "shape")

    def __init__(self, dtype, shape):
        self.dtype, self.shape = dtype, shape

    def __iter__(self):
        return iter((self.dtype, self.shape))

    def __repr__(self):
        return f"Spec({self.dtype.name}, {self.shape})"
