"""`python -m calculators ...` run in-process: the CLI's own `main(argv)`, with its own standard
input, output and error and its own working folder, answering like `subprocess.run` would.

A subprocess costs ~0.4 s (a new interpreter, then importing jsonschema and loading the policies);
this costs the command alone, so the CLI's contract (exit codes, the JSON on stdout, the messages on
stderr, no traceback) can be pinned case by case. What it keeps of a real run:

- stdin is bytes behind a UTF-8 text layer, as a pipe is, so `sys.stdin.buffer` sees a byte-order
  mark or a byte that is not UTF-8 exactly as sent; stdout and stderr are bytes too, decoded at the
  end (stdout strictly, stderr with backslash escapes, as CPython sets up its own);
- SystemExit gives its code (argparse's 2, the CLI's 3 for policies), as the interpreter would;
- any other exception is printed to stderr as the interpreter prints it, "Traceback ..." and exit 1,
  so a test that asserts "no traceback" asserts the same thing in-process as in a subprocess.

What it cannot show is that the entry point itself starts (`-m calculators`, the import path, the
interpreter's exit code): a few tests (tests/test_cli.py, tests/test_policy_check.py,
tests/test_review.py) still run the real command in a subprocess for that, and
tests/test_yaml_attacks.py runs every check in a child with a time and memory cap, since what it
feeds the parser could hang or exhaust the process that reads it.
"""

from __future__ import annotations

import io
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Ran:
    """What `subprocess.run(..., capture_output=True)` returns, the fields the tests read."""

    args: list[str]
    returncode: int
    stdout: str | bytes
    stderr: str | bytes


def run_cli(*args: str, stdin: str | bytes = b"", cwd: str | Path | None = None, text: bool = True) -> Ran:
    """Run `python -m calculators *args` in this process; stdout and stderr as text (or bytes)."""
    from cli.commands import main

    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    out, err = io.BytesIO(), io.BytesIO()
    streams = (io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"),
               io.TextIOWrapper(out, encoding="utf-8", write_through=True),
               io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace", write_through=True))
    saved = sys.stdin, sys.stdout, sys.stderr
    here = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        sys.stdin, sys.stdout, sys.stderr = streams
        try:
            code = main(list(args))
        except SystemExit as exit_:
            code = _exit_status(exit_.code)
        except Exception:  # what the interpreter does with an uncaught exception
            traceback.print_exc(file=sys.stderr)
            code = 1
        for stream in (sys.stdout, sys.stderr):  # the streams the command left in place
            stream.flush()
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        os.chdir(here)
    if code is None:
        code = 0
    stdout, stderr = out.getvalue(), err.getvalue()
    if text:
        return Ran(list(args), code, stdout.decode("utf-8"), stderr.decode("utf-8", "backslashreplace"))
    return Ran(list(args), code, stdout, stderr)


def _exit_status(code: object) -> int:
    """sys.exit's argument as the interpreter turns it into a status: None 0, an int itself, else 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1
