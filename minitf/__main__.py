"""``python -m minitf SCRIPT [ARGS...]`` runs a TensorFlow 1.x program on minitf, as ``minitf run`` does;
``python -m minitf graph|inspect|events|run ...`` is the ``minitf`` command."""

import sys

from minitf import cli, runner

_COMMANDS = ("graph", "inspect", "events", "run")

if len(sys.argv) > 1 and sys.argv[1] not in _COMMANDS and not sys.argv[1].startswith("-"):
    sys.exit(runner.run_script(sys.argv[1], sys.argv[2:], prog=sys.executable))
sys.exit(cli.main())
