"""``tf.app``: ``flags`` and ``run``."""

import sys

from minitf.platform import flags


def run(main=None, argv=None):
    """Parses flags from ``argv`` (default ``sys.argv``), leaving unknown ones, then exits with ``main(rest)``."""
    rest = flags.FLAGS(sys.argv if argv is None else argv, known_only=True)
    main = main or sys.modules["__main__"].main
    sys.exit(main(rest))
