"""``tf.strings``: the string ops under their TensorFlow 2 style names."""

from minitf.ops.parsing_ops import string_to_number as to_number
from minitf.ops.string_ops import as_string, length, lower, regex_full_match, regex_replace, strip, substr, upper
from minitf.ops.string_ops import string_join as join
from minitf.ops.string_ops import strings_split as split
