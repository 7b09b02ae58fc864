"""Write requirements.lock: every Python package pinned, with the sha256 of each file PyPI serves for it.

`make install` runs `pip install --require-hashes -r requirements.lock`, so a file that differs
from what PyPI published (a tampered mirror, a swapped upload) is refused. The hashes come from
PyPI's simple index (PEP 691 JSON), never from whatever index this machine's pip is set up with,
so the lock works on a fresh machine with plain PyPI.

    python tools/lock.py              pin what the running environment has (pip freeze), then hash
    python tools/lock.py --rehash     keep the versions already in requirements.lock, hash again

Kept files: wheels for CPython 3.11 on manylinux x86_64 (the developers' machines and CI), pure
Python wheels, and the sdist.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import urllib.request
from pathlib import Path

from packaging.tags import Tag
from packaging.utils import canonicalize_name, parse_sdist_filename, parse_wheel_filename
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
INDEX = "https://pypi.org/simple"
HEADER = ("# Every Python package, pinned with the sha256 of each file PyPI serves for it (cp311\n"
          "# manylinux x86_64 and pure-Python wheels, sdists): `make install` uses --require-hashes.\n"
          "# Regenerate with `make lock` (tools/lock.py).\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rehash", action="store_true", help="keep the versions in requirements.lock")
    args = parser.parse_args(argv)
    pins = _pins(LOCK.read_text(encoding="utf-8")) if args.rehash else _pins(_freeze())
    entries = []
    for name, version in pins:
        hashes = sorted(_hashes(name, version))
        if not hashes:
            raise SystemExit(f"{name}=={version}: PyPI has no sdist or cp311 manylinux x86_64 / pure-Python wheel")
        entries.append(f"{name}=={version} \\\n" + " \\\n".join(f"    --hash=sha256:{h}" for h in hashes))
    LOCK.write_text(HEADER + "\n".join(entries) + "\n", encoding="utf-8")
    print(f"{LOCK.name}: {len(entries)} packages", file=sys.stderr)
    return 0


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _freeze() -> str:
    return subprocess.run([sys.executable, "-m", "pip", "freeze", "--exclude-editable"],
                          check=True, capture_output=True, text=True).stdout


def _pins(text: str) -> list[tuple[str, str]]:
    """`name==version` lines (hash continuation lines and comments skipped), in file order."""
    pins = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "--")) and "==" in line:
            name, version = line.rstrip("\\ ").split("==")
            pins.append((name.strip(), version.strip()))
    return pins


def _hashes(name: str, version: str) -> set[str]:
    request = urllib.request.Request(f"{INDEX}/{canonicalize_name(name)}/",
                                     headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        files = json.load(response)["files"]
    wanted = Version(version)
    return {f["hashes"]["sha256"] for f in files if _is_wanted(f["filename"], wanted)}


def _is_wanted(filename: str, version: Version) -> bool:
    try:
        if filename.endswith(".whl"):
            _, file_version, _, tags = parse_wheel_filename(filename)
            return file_version == version and any(map(_runs_here, tags))
        if filename.endswith((".tar.gz", ".zip")):
            return parse_sdist_filename(filename)[1] == version
    except ValueError:  # old uploads with names that predate the standards
        return False
    return False


def _runs_here(tag: Tag) -> bool:
    """Whether a wheel tag installs on CPython 3.11, manylinux x86_64."""
    interpreter_ok = (tag.interpreter in ("cp311", "py3", "py311")
                      or (tag.abi == "abi3" and tag.interpreter.startswith("cp3")
                          and int(tag.interpreter[3:]) <= 11))
    platform_ok = tag.platform == "any" or (tag.platform.startswith("manylinux") and tag.platform.endswith("_x86_64"))
    return interpreter_ok and tag.abi in ("cp311", "abi3", "none") and platform_ok


if __name__ == "__main__":
    raise SystemExit(main())
