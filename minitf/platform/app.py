"""``tf.app``: ``flags`` and ``run``."""

import sys

from minitf.platform import flags, flags_help


def run(main=None, argv=None):
    """Parses flags from ``argv`` (default ``sys.argv``), leaving unknown ones, then exits with ``main(rest)``.

    ``--help``, ``--helpshort`` or ``-?`` print the main module's flags and ``--helpfull`` every module's, then exit
    with status 1 without running ``main``, as absl does (``-h`` is not a help flag: it reaches ``main``).
    """
    argv = sys.argv if argv is None else argv
    full = flags_help.requested_help(argv)
    if full is not None:
        sys.stdout.write(flags_help.usage(flags.FLAGS._flags.values(), full))
        if not full:
            print()
            print("Try --helpfull to get a list of all flags.")
        sys.exit(1)
    rest = flags.FLAGS(argv, known_only=True)
    main = main or sys.modules["__main__"].main
    sys.exit(main(rest))
