"""The stdlib's start set holds only what start-up and the calculators import; the rest comes on demand.

Under Node, with the stdlib the site ships and the finder the worker installs (hooks/
pyodide_rest_of_stdlib.py): a module outside the start set is not there until the finder is
installed, then imports from the full stdlib, fetched once for any number of modules; a name
that is not a stdlib module (or an optional C extension Pyodide lacks) fails at once, as ever,
without fetching 2.5 MB.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from testsupport.checkout import PYODIDE_DIR

pytestmark = pytest.mark.pyodide

RUNNER = Path(__file__).resolve().parent / "rest_of_stdlib.mjs"


def test_a_module_outside_the_start_set_is_fetched_once_and_only_when_it_exists(shipped_start):
    proc = subprocess.run([shutil.which("node"), str(RUNNER), str(PYODIDE_DIR), str(shipped_start["stdlib"])],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout)
    results = report["results"]
    assert results["before"] == "ImportError"  # not in the start set
    assert results["xml.dom.minidom"].startswith("imported from /lib/python_stdlib_rest.zip/")
    assert results["wsgiref.simple_server"].startswith("imported from /lib/python_stdlib_rest.zip/")
    assert results["parsed"] == "a"
    assert results["not_a_module_at_all"] == "ImportError"
    assert results["_curses"] == "ImportError"
    assert report["fetches"] == 1
