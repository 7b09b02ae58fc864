"""The worker's message protocol (docs/assets/calculators/protocol.mjs), run under Node's own test
runner over a real MessageChannel: answers by request id, failures, notices, superseded requests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.pyodide  # needs Node, as the Pyodide suites do: `make test-fast` leaves it out

SUITE = Path(__file__).resolve().parent / "protocol" / "protocol.test.mjs"


def test_the_protocol_answers_each_request_by_its_id():
    node = shutil.which("node")
    if node is None:
        pytest.fail("the protocol's tests need node: run `make install`")
    proc = subprocess.run([node, "--test", str(SUITE)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "# pass 4" in proc.stdout and "# fail 0" in proc.stdout, proc.stdout[-2000:]
