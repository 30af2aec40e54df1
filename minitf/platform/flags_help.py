"""The help ``tf.app.run`` prints for ``--help`` / ``--helpshort`` / ``-?`` (the main module's flags) and
``--helpfull`` (every module's), in absl's layout: the main module's docstring (``%s`` standing for the program) or
a USAGE line, then per module its flags sorted by name, each wrapped at 80 columns with its default and type.
absl then exits with status 1, without running ``main``.

``--helpfull`` lists the flags the program's modules define and the help flags themselves (as
``minitf.platform.app``); absl's own flags (``--flagfile``, ``--pdb``, logging) do not exist in minitf.
"""

import sys
import textwrap

HELP_FLAGS = {"help": False, "helpshort": False, "?": False, "helpfull": True}  # name -> full help?

_HELP_FLAG_LINES = ("  -?,--[no]help: show this help\n    (default: 'false')\n"
                    "  --[no]helpfull: show full help\n    (default: 'false')\n"
                    "  --[no]helpshort: show this help\n    (default: 'false')")

_SYNTAX = {int: "an integer", float: "a number"}


def _text_wrap(text, indent="", firstline_indent=None):
    """absl's ``text_wrap``: each line of ``text`` wrapped at 80 columns, empty lines kept."""
    first = textwrap.TextWrapper(width=80, initial_indent=indent if firstline_indent is None else firstline_indent,
                                 subsequent_indent=indent)
    rest = textwrap.TextWrapper(width=80, initial_indent=indent, subsequent_indent=indent)
    result, wrapper = [], first
    for paragraph in (p.strip() for p in text.splitlines()):
        result.extend(wrapper.wrap(paragraph) if paragraph else [""])
        wrapper = rest
    return "\n".join(result)


def _default_as_str(flag):
    if flag.default is None:
        return None
    if flag.is_bool:
        return repr(str(bool(flag.default)).lower())
    if isinstance(flag.default, list):
        return repr(",".join(str(v) for v in flag.default))
    return repr(str(flag.default))


def _syntax(flag):
    if isinstance(flag.default, list) or flag.parse.__name__ == "_parse_list":
        return "a comma separated list"
    return _SYNTAX.get(flag.parse)


def _render_flag(flag):
    text = _text_wrap(f"{'--[no]' if flag.is_bool else '--'}{flag.name}: {flag.help or ''}", indent="    ",
                      firstline_indent="  ")
    default = _default_as_str(flag)
    if default is not None:
        text += "\n" + _text_wrap(f"(default: {default})", indent="    ")
    if _syntax(flag):
        text += "\n" + _text_wrap(f"({_syntax(flag)})", indent="    ")
    return text


def _module_name(module):
    return sys.argv[0] if module == "__main__" else module


def _module_help(flags, module):
    mine = sorted((f for f in flags if _module_name(f.module) == module), key=lambda f: f.name)
    return "\n".join([f"\n{module}:"] + [_render_flag(f) for f in mine]) if mine else ""


def usage(flags, full):
    """The text absl's ``usage`` writes for the flags in ``flags`` (the main module's only, unless ``full``)."""
    doc = getattr(sys.modules.get("__main__"), "__doc__", None)
    if not doc:
        doc = _text_wrap(f"\nUSAGE: {sys.argv[0]} [flags]\n", indent="       ", firstline_indent="")
    else:
        specifiers = doc.count("%") - 2 * doc.count("%%")
        try:
            doc %= (sys.argv[0],) * specifiers
        except (OverflowError, TypeError, ValueError):
            pass
    main = sys.argv[0]
    if full:
        modules = sorted({_module_name(f.module) for f in flags})
        if main in modules:
            modules.remove(main)
            modules.insert(0, main)
        parts = [_module_help(flags, m) for m in modules] + ["\nminitf.platform.app:\n" + _HELP_FLAG_LINES]
        flag_str = "\n".join(p for p in parts if p)
    else:
        flag_str = _module_help(flags, main)
    text = doc
    if flag_str:
        text += "\nflags:\n" + flag_str
    return text + "\n"


def requested_help(argv):
    """None, or whether ``argv`` asks for the full help (``--helpfull``) rather than the main module's."""
    for arg in argv[1:]:
        if arg == "--":
            break
        if arg.startswith("-"):
            name = arg.lstrip("-").partition("=")[0]
            if name in HELP_FLAGS:
                return HELP_FLAGS[name]
    return None
