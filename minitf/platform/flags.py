"""``tf.app.flags`` / ``tf.flags``: command-line flags with absl's parsing rules, as TF1 tutorials define them.

``FLAGS.name`` parses ``sys.argv`` on first access (ignoring flags nobody defined, as TensorFlow's wrapper does);
``FLAGS(argv)`` parses explicitly and returns the arguments that are not flags. Each flag remembers the module that
defined it, for the ``--help`` / ``--helpfull`` text that ``tf.app.run`` prints (see ``flags_help``).
"""

import sys


class Error(Exception):
    """Base class of flag errors (absl.flags.Error)."""


class UnrecognizedFlagError(Error):
    pass


class IllegalFlagValueError(Error):
    pass


class DuplicateFlagError(Error):
    pass


def _parse_bool(text):
    lowered = text.lower()
    if lowered in ("true", "t", "1"):
        return True
    if lowered in ("false", "f", "0"):
        return False
    raise ValueError("Non-boolean argument to boolean flag")


def _parse_list(text):
    return [item.strip() for item in text.split(",") if item.strip()] if text else []


class _Flag:
    def __init__(self, name, default, help_text, parse, is_bool=False, module=None):
        self.name, self.default, self.help, self.parse, self.is_bool = name, default, help_text, parse, is_bool
        self.module = module
        self.value = default


class FlagValues:
    """The registry behind ``FLAGS``."""

    def __init__(self):
        object.__setattr__(self, "_flags", {})
        object.__setattr__(self, "_parsed", False)

    def _define(self, name, default, help_text, parse, is_bool=False):
        if name in self._flags:
            raise DuplicateFlagError(f"The flag '{name}' is defined twice.")
        module = sys._getframe(2).f_globals.get("__name__")  # the caller of DEFINE_*
        flag = _Flag(name, default, help_text, parse, is_bool, module)
        if isinstance(default, str) and parse is not str:  # absl parses a default given as text
            flag.default = flag.value = self._convert(flag, default)
        self._flags[name] = flag

    @staticmethod
    def _convert(flag, text):
        try:
            return flag.parse(text)
        except ValueError as e:
            raise IllegalFlagValueError(f"flag --{flag.name}={text}: {e}") from None

    def __call__(self, argv, known_only=False):
        """Parses ``argv`` (``argv[0]`` is the program); returns ``[argv[0]]`` plus the arguments left over."""
        argv = list(argv)
        rest = argv[:1]
        args = iter(argv[1:])
        for arg in args:
            if arg == "--":
                rest.extend(args)
                break
            if not arg.startswith("-") or arg == "-":
                rest.append(arg)
                continue
            name, has_value, value = arg.lstrip("-").partition("=")
            flag = self._flags.get(name)
            if flag is None and name.startswith("no") and not has_value:
                negated = self._flags.get(name[2:])
                if negated is not None and negated.is_bool:
                    negated.value = False
                    continue
            if flag is None:
                if known_only:
                    rest.append(arg)
                    continue
                raise UnrecognizedFlagError(f"Unknown command line flag '{name}'")
            if flag.is_bool and not has_value:
                flag.value = True
                continue
            if not has_value:
                value = next(args, None)
                if value is None:
                    raise Error(f"Flag --{name} must have a value other than None.")
            flag.value = self._convert(flag, value)
        object.__setattr__(self, "_parsed", True)
        return rest

    def __getattr__(self, name):
        flags = object.__getattribute__(self, "_flags")
        if name not in flags:
            raise AttributeError(name)
        if not self._parsed:
            self(sys.argv, known_only=True)
        return flags[name].value

    def __setattr__(self, name, value):
        if name not in self._flags:
            raise AttributeError(name)
        self._flags[name].value = value

    def __contains__(self, name):
        return name in self._flags

    def flag_values_dict(self):
        return {name: flag.value for name, flag in self._flags.items()}


FLAGS = FlagValues()


def DEFINE_string(name, default, help, flag_values=FLAGS):  # noqa: A002 (TF's argument name)
    flag_values._define(name, default, help, str)


def DEFINE_integer(name, default, help, flag_values=FLAGS):  # noqa: A002
    flag_values._define(name, default, help, int)


def DEFINE_float(name, default, help, flag_values=FLAGS):  # noqa: A002
    flag_values._define(name, default, help, float)


def DEFINE_boolean(name, default, help, flag_values=FLAGS):  # noqa: A002
    flag_values._define(name, default, help, _parse_bool, is_bool=True)


def DEFINE_list(name, default, help, flag_values=FLAGS):  # noqa: A002
    flag_values._define(name, default, help, _parse_list)


DEFINE_bool = DEFINE_boolean
