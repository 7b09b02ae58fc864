"""The pages follow a YAML edit: a changed value changes the built page, and `mkdocs serve`
rebuilds when a policy file changes.

Each test edits its own copy of the project (testsupport/project.py), so none touches the site
that tests/test_pages.py reads; they are a file of their own so that, under pytest-xdist's
--dist loadfile, their builds run on one worker while the other builds and reads that site.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from testsupport.project import project_copy
from testsupport.project import build
from testsupport.today import TODAY
from testsupport.built_pages import rule_section


def test_a_changed_value_changes_the_built_page(tmp_path):
    project = tmp_path / "handbook"
    project.mkdir()
    project_copy(project, share_build_cache=True)
    assessment = project / "policies" / "staying" / "assessment.yaml"
    text = assessment.read_text(encoding="utf-8")
    old = "- {from: 2022-01-01, value: 10000, source: {ref: seed-000, covers: [apparel]}}"
    assert old in text
    assessment.write_text(text.replace(old, old.replace("10000", "12345")), encoding="utf-8")
    build(project, project / "site")
    section = rule_section(project / "site", "staying/assessment/", "threshold_established_store_usd")
    assert "12,345" in section and "10,000" in section  # toys keep their own 10,000 case
    table = rule_section(project / "site", "staying/assessment/", "by-category")
    assert "12,345" in table


def start_serve(project: Path, env: dict, attempts: int = 5) -> tuple[subprocess.Popen, int]:
    """`mkdocs serve` on a free port, and that port.

    A port found free can be taken by another process before the server binds it (mkdocs serve
    cannot bind port 0 and say which port it got). Then the server exits at once, and we start it
    again on another port. The server is ours when it is still running and serves this handbook.
    """
    import socket
    import urllib.request

    for _ in range(attempts):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                                  cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(240):  # a bound, not a timing assertion: a server that never answers fails
            if server.poll() is not None:
                break  # it exited (most likely the port was taken meanwhile): try another port
            try:
                home = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read().decode()
                if "Seller Policy Handbook" not in home:
                    raise OSError("another server answered on this port")
            except OSError:
                try:
                    server.wait(timeout=0.5)  # poll again soon; returns early if the server exits
                except subprocess.TimeoutExpired:
                    pass
                continue
            if server.poll() is None:
                return server, port
        else:
            server.terminate()
            server.wait(timeout=10)
            pytest.fail("mkdocs serve neither answered nor exited")
    pytest.fail(f"mkdocs serve did not start on any of {attempts} free ports")


def test_mkdocs_serve_rebuilds_when_a_policy_file_changes(tmp_path):
    import urllib.request

    project = tmp_path / "handbook"
    project.mkdir()
    project_copy(project, share_build_cache=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "HANDBOOK_TODAY": TODAY.isoformat()}
    server, port = start_serve(project, env)
    url = f"http://127.0.0.1:{port}/staying/listings/"

    def page_until(predicate, tries=180):
        # A bound on tries, not a timing assertion: a server that never rebuilds fails instead of hanging.
        for _ in range(tries):
            try:
                text = urllib.request.urlopen(url, timeout=5).read().decode()
                if predicate(text):
                    return text
            except OSError:
                pass
            try:
                server.wait(timeout=0.5)
                pytest.fail("mkdocs serve exited while the page was awaited")
            except subprocess.TimeoutExpired:
                pass
        pytest.fail("mkdocs serve did not show the expected page")

    try:
        first = page_until(lambda text: "3,000" in text)
        # The preview's live reload is an inline script that changes with every request: its
        # pages allow inline scripts (a hash would make the browser refuse it), a build never does.
        policy = re.search(r'Content-Security-Policy" content="([^"]*)"', first).group(1)
        assert "script-src 'self' 'wasm-unsafe-eval' 'unsafe-inline';" in policy and "sha256" not in policy, policy
        assert "livereload(" in first
        listings = project / "policies" / "staying" / "listings.yaml"
        listings.write_text(listings.read_text(encoding="utf-8").replace("value: 3000,", "value: 2750,"), encoding="utf-8")
        page_until(lambda text: "2,750" in text)
    finally:
        server.terminate()
        server.wait(timeout=10)
