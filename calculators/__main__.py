"""`python -m calculators …`: the command line's entry point, kept here because scripts and the
policy team run it by this name (design/design.md). The command line itself is cli/commands.py:
it reads YAML and reviews policies, which the browser never does, so it lives above this package.
This file is the one of calculators/ that imports upward, as an entry point does; the wheels
leave it out (hooks/assets.py), and tools/imports.py names it as an entry point.
"""

import sys

from cli.commands import main_into_a_pipe

if __name__ == "__main__":
    sys.exit(main_into_a_pipe())
