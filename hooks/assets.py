"""MkDocs hook: put what the calculators need into the site.

- assets/policies.json: the policy bundle, for the browser (which never parses YAML);
- assets/calculators/wheels/: the calculators package as a pure-Python wheel, for Pyodide;
- assets/pyodide/: Pyodide itself, copied from node_modules (self-hosted: no CDN), checked to be
  the version package-lock.json pins, byte for byte;
- assets/echarts/: Apache ECharts' minified "common" build (line charts, markers, ARIA, the SVG
  renderer), copied and checked the same way; calculator pages load it after the first result.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def build_wheel(out_dir: Path) -> Path:
    """Build the calculators wheel into `out_dir` with flit_core, in-process (no network, ~50 ms)."""
    from flit_core import buildapi

    out_dir.mkdir(parents=True, exist_ok=True)
    cwd = os.getcwd()
    os.chdir(ROOT)  # flit_core reads pyproject.toml from the current directory
    try:
        with tempfile.TemporaryDirectory() as tmp:
            name = buildapi.build_wheel(tmp)
            target = out_dir / name
            target.write_bytes((Path(tmp) / name).read_bytes())
    finally:
        os.chdir(cwd)
    return target


def _locked_version(lock_file: Path, package: str) -> str:
    try:
        return json.loads(lock_file.read_text(encoding="utf-8"))["packages"][package]["version"]
    except (OSError, ValueError, KeyError) as err:
        raise PluginError(f"cannot read the pinned version of {package} from {lock_file.name}: {err!r}") from None


def _package_version(package_json: Path) -> str:
    try:
        return json.loads(package_json.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError) as err:
        raise PluginError(f"cannot read the version in {package_json}: {err!r}") from None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------
# Hooks
# ---------------------------------------------------------------------------------------------


def on_post_build(*, config) -> None:
    site = Path(config["site_dir"])
    bundle = config["policy_bundle"]
    target = site / "assets"
    (target / "policies.json").write_text(json.dumps(bundle, ensure_ascii=False, separators=(",", ":")),
                                          encoding="utf-8")
    wheels = target / "calculators" / "wheels"
    shutil.rmtree(wheels, ignore_errors=True)
    wheel = build_wheel(wheels)
    # The worker finds the wheel by a fixed name (wheel.json); the versioned file name busts caches.
    (target / "calculators" / "wheel.json").write_text(json.dumps({"wheel": f"wheels/{wheel.name}",
                                                                   "policy_version": bundle["version"]}),
                                                       encoding="utf-8")
    copy_pyodide(target / "pyodide")
    copy_echarts(target / "echarts")


def copy_pyodide(target: Path, node_modules: Path = ROOT / "node_modules") -> None:
    """Copy the Pyodide files the calculators use (not the whole npm package) into the site.

    The files must be those of the version package-lock.json pins: npm ci checked the package
    against the lock's integrity hash when it installed it, so the build checks that
    node_modules still holds that version, and that each copy in the site is byte-identical to
    its source (a copy is compared by content, not by date, and replaced when it differs).
    """
    source = node_modules / "pyodide"
    if not (source / "pyodide.mjs").is_file():
        raise PluginError("Pyodide is missing from node_modules/pyodide: run `make install` (npm ci).")
    pinned = _locked_version(node_modules.parent / "package-lock.json", "node_modules/pyodide")
    installed = _package_version(source / "package.json")
    if installed != pinned:
        raise PluginError(f"node_modules/pyodide is version {installed}, but package-lock.json pins {pinned}: "
                          "run `make install` (npm ci) to install the pinned Pyodide.")
    target.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        wanted = _sha256(source / name)
        destination = target / name
        if destination.is_file() and _sha256(destination) == wanted:
            continue
        destination.unlink(missing_ok=True)  # a link planted in the site is replaced, not written through
        shutil.copyfile(source / name, destination)
        if _sha256(destination) != wanted:
            raise PluginError(f"the copy of Pyodide's {name} in the site differs from node_modules/pyodide/{name}.")


def copy_echarts(target: Path, node_modules: Path = ROOT / "node_modules") -> None:
    """Copy the pinned ECharts build the charts use into the site, checked like Pyodide's files."""
    source = node_modules / "echarts"
    pinned = _locked_version(node_modules.parent / "package-lock.json", "node_modules/echarts")
    if not (source / "dist" / ECHARTS_FILE).is_file():
        raise PluginError("ECharts is missing from node_modules/echarts: run `make install` (npm ci).")
    installed = _package_version(source / "package.json")
    if installed != pinned:
        raise PluginError(f"node_modules/echarts is version {installed}, but package-lock.json pins {pinned}: "
                          "run `make install` (npm ci) to install the pinned ECharts.")
    target.mkdir(parents=True, exist_ok=True)
    wanted, destination = _sha256(source / "dist" / ECHARTS_FILE), target / ECHARTS_FILE
    if not (destination.is_file() and not destination.is_symlink() and _sha256(destination) == wanted):
        destination.unlink(missing_ok=True)  # a link planted in the site is replaced, not written through
        shutil.copyfile(source / "dist" / ECHARTS_FILE, destination)


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------

# What loadPyodide fetches for the core interpreter; the calculators need no other package.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
# ECharts' "common" build: line charts, mark lines and areas, ARIA and both renderers, in one
# self-contained classic script (240 kB gzipped, against 368 kB for the full build).
ECHARTS_FILE = "echarts.common.min.js"
