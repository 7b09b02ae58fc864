"""Put what the calculators need into the built site (write_assets, called after the build).

- assets/policies.json: the policy bundle, for the browser (which never parses YAML);
- assets/calculators/wheels/<hash>/: the calculators package as a wheel for Pyodide, its modules
  precompiled to .pyc by the fast start below (built as a pure-Python wheel first, with flit);
- assets/pyodide/: Pyodide itself, copied from node_modules (self-hosted: no CDN), checked to be
  the version package-lock.json pins, byte for byte;
- the fast start (hooks/pyodide_boot.mjs, run under Node with that same Pyodide): a stdlib zip
  with the modules the calculators import precompiled to .pyc, that wheel, and a memory snapshot of Python
  taken after importing the modules the worker calls, shipped gzipped (`.snapshot.gz`: the worker decompresses
  it, so no host needs to compress an unknown file type). Both names carry a hash (a host may
  cache them forever); wheel.json names them and the wheel, with the sha256 of the snapshot as shipped
  (gzipped) and the Pyodide build id, for the worker.
  Making them takes ~20 s, so they are cached under .cache/pyodide-boot/, keyed by the Pyodide
  version, the wheel's sha256 (flit builds it reproducibly) and the build scripts' sha256.
- assets/echarts/: Apache ECharts' minified "common" build (line charts, markers, ARIA, the SVG
  renderer), copied and checked the same way; calculator pages load it after the first result.
"""

from __future__ import annotations

import base64
import fcntl
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class AssetError(Exception):
    """The site cannot be given a correct Pyodide (missing, another version, a bad copy)."""

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def build_wheel(out_dir: Path) -> Path:
    """Build the calculators wheel into `out_dir` with flit_core, in-process (no network, ~50 ms),
    without the files only the command line runs (LEFT_OUT).

    The browser's precompiled wheel (the fast start) and the integrators' wheel (hooks/feed.py) are
    both made from this one.
    """
    from flit_core import buildapi

    out_dir.mkdir(parents=True, exist_ok=True)
    cwd = os.getcwd()
    os.chdir(ROOT)  # flit_core reads pyproject.toml from the current directory
    try:
        with tempfile.TemporaryDirectory() as tmp:
            name = buildapi.build_wheel(tmp)
            target = out_dir / name
            copy_wheel_without(Path(tmp) / name, target, LEFT_OUT)
    finally:
        os.chdir(cwd)
    return target


def copy_wheel_without(source: Path, target: Path, left_out: tuple[str, ...]) -> None:
    """Copy the wheel `source` to `target` without the files `left_out`, its RECORD written anew.

    flit_core 4.2 cannot exclude a module from a wheel, so the built one is filtered. Each kept
    entry keeps its ZipInfo (date, compression), so the same sources still give the same bytes:
    the fast start's cache is keyed by the wheel's sha256.
    """
    record, lines = None, []
    with zipfile.ZipFile(source) as wheel, zipfile.ZipFile(target, "w") as out:
        for info in wheel.infolist():
            if info.filename in left_out:
                continue
            if info.filename.endswith(".dist-info/RECORD"):
                record = info
                continue
            data = wheel.read(info)
            out.writestr(info, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            lines.append(f"{info.filename},sha256={digest},{len(data)}")
        if record is None:
            raise AssetError(f"{source.name} has no RECORD: not a wheel flit_core built.")
        out.writestr(record, "\n".join([*lines, f"{record.filename},,"]) + "\n")


def _locked_version(lock_file: Path, package: str) -> str:
    try:
        return json.loads(lock_file.read_text(encoding="utf-8"))["packages"][package]["version"]
    except (OSError, ValueError, KeyError) as err:
        raise AssetError(f"cannot read the pinned version of {package} from {lock_file.name}: {err!r}") from None


def _package_version(package_json: Path) -> str:
    try:
        return json.loads(package_json.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError) as err:
        raise AssetError(f"cannot read the version in {package_json}: {err!r}") from None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------
# The assets
# ---------------------------------------------------------------------------------------------


def write_assets(site: Path, bundle: dict) -> None:
    """policies.json, the calculators wheel (named by wheel.json) and Pyodide, under site/assets/."""
    target = Path(site) / "assets"
    (target / "policies.json").write_text(json.dumps(bundle, ensure_ascii=False, separators=(",", ":")),
                                          encoding="utf-8")
    wheels = target / "calculators" / "wheels"
    shutil.rmtree(wheels, ignore_errors=True)
    copy_pyodide(target / "pyodide")
    with tempfile.TemporaryDirectory() as tmp:
        boot = fast_start(build_wheel(Path(tmp)), target / "pyodide", wheels)
    # The worker finds the versioned files by a fixed name, wheel.json.
    (target / "calculators" / "wheel.json").write_text(json.dumps({**boot, "policy_version": bundle["version"]}),
                                                       encoding="utf-8")
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
        raise AssetError("Pyodide is missing from node_modules/pyodide: run `make install` (npm ci).")
    pinned = _locked_version(node_modules.parent / "package-lock.json", "node_modules/pyodide")
    installed = _package_version(source / "package.json")
    if installed != pinned:
        raise AssetError(f"node_modules/pyodide is version {installed}, but package-lock.json pins {pinned}: "
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
            raise AssetError(f"the copy of Pyodide's {name} in the site differs from node_modules/pyodide/{name}.")


def fast_start(wheel: Path, target: Path, wheels: Path, node_modules: Path = ROOT / "node_modules",
               cache: Path = ROOT / ".cache" / "pyodide-boot") -> dict:
    """Put the precompiled stdlib and the snapshot into `target`, and the precompiled `wheel` into
    `wheels`; what the worker needs to know of them (wheel.json's keys).

    Made by hooks/pyodide_boot.mjs under Node from node_modules/pyodide (checked by copy_pyodide),
    or taken from the build cache when the same Pyodide, wheel and script made them before.
    """
    source = node_modules / "pyodide"
    scripts = hashlib.sha256("".join(_sha256(script) for script in (BOOT_SCRIPT, REST_OF_STDLIB)).encode()).hexdigest()
    key = "-".join((_package_version(source / "package.json"), _sha256(wheel)[:16], scripts[:12]))
    made = cache / key
    cache.mkdir(parents=True, exist_ok=True)
    # One build makes an entry; another build of the same inputs (a second pytest worker, `mkdocs
    # serve` beside the tests) waits for it and uses it, rather than making it too and removing
    # the first one's files while that build copies them.
    with (cache / f"{key}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not all((made / name).is_file() for name in BOOT_FILES):
            _make_fast_start(source, wheel, made)
        _gzip_once(made / "calculators.snapshot", made / "calculators.snapshot.gz")
    boot = json.loads((made / "boot.json").read_text(encoding="utf-8"))
    build_id = boot["build_id"]
    stdlib = f"python_stdlib-{_sha256(made / 'python_stdlib.pyc.zip')[:16]}.pyc.zip"
    # Named by everything it depends on: the Pyodide build, the wheel, and the scripts that made it
    # with its stdlib (a snapshot restored with another stdlib than its own reads wrong offsets).
    snapshot = f"calculators-{build_id[:16]}-{key.split('-', 1)[1]}.snapshot.gz"
    for old in [*target.glob("python_stdlib-*.pyc.zip"), *target.glob("calculators-*.snapshot*")]:
        if old.name not in (stdlib, snapshot):
            old.unlink()
    for name, copy in (("python_stdlib.pyc.zip", stdlib), ("calculators.snapshot.gz", snapshot)):
        (target / copy).unlink(missing_ok=True)
        shutil.copyfile(made / name, target / copy)
    digest = hashlib.sha256((target / snapshot).read_bytes()).digest()
    # The .pyc inside work with this Python only: its tag says so (cp314), and the folder's hash
    # versions it (the name of a wheel has no room for one).
    name, version = wheel.name.split("-")[:2]
    python = "cp" + "".join(boot["python"].split(".")[:2])
    shipped = f"{_sha256(made / 'calculators.pyc.whl')[:16]}/{name}-{version}-{python}-none-any.whl"
    (wheels / shipped).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(made / "calculators.pyc.whl", wheels / shipped)
    return {"wheel": f"wheels/{shipped}",
            "stdlib": f"../pyodide/{stdlib}",
            "snapshot": {"url": f"../pyodide/{snapshot}", "build_id": build_id,
                         "integrity": "sha256-" + base64.b64encode(digest).decode()}}


def _make_fast_start(source: Path, wheel: Path, made: Path) -> None:
    """Run hooks/pyodide_boot.mjs under Node into the cache entry `made`, whole or not at all: into
    a folder of its own first, renamed when complete (a killed build leaves no half entry)."""
    node = shutil.which("node")
    if node is None:
        raise AssetError("node is needed to precompile Pyodide's stdlib and snapshot: install Node.js.")
    tmp = tempfile.mkdtemp(dir=made.parent)
    try:
        proc = subprocess.run([node, str(BOOT_SCRIPT), str(source), str(wheel), tmp],
                              capture_output=True, text=True, timeout=600)
        if proc.returncode != 0 or not all((Path(tmp) / name).is_file() for name in BOOT_FILES):
            raise AssetError(f"making Pyodide's fast start failed:\n{proc.stderr[-2000:]}")
        shutil.rmtree(made, ignore_errors=True)  # an entry without all its files (an older layout)
        os.replace(tmp, made)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _gzip_once(source: Path, target: Path) -> None:
    """`target`: `source` gzipped (level 9, no name or time in the header: the same bytes every build).

    Made once per cache entry (31 MB takes a few seconds), whole or not at all: into a file of its
    own first, as two builds sharing the cache may make it at the same time.
    """
    if target.is_file():
        return
    handle, partial = tempfile.mkstemp(dir=target.parent, suffix=".partial")
    try:
        with source.open("rb") as raw, os.fdopen(handle, "wb") as out:
            with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=out, mtime=0) as packed:
                shutil.copyfileobj(raw, packed, 1 << 20)
        os.replace(partial, target)
    finally:
        Path(partial).unlink(missing_ok=True)


def copy_echarts(target: Path, node_modules: Path = ROOT / "node_modules") -> None:
    """Copy the pinned ECharts build the charts use into the site, checked like Pyodide's files."""
    source = node_modules / "echarts"
    pinned = _locked_version(node_modules.parent / "package-lock.json", "node_modules/echarts")
    if not (source / "dist" / ECHARTS_FILE).is_file():
        raise AssetError("ECharts is missing from node_modules/echarts: run `make install` (npm ci).")
    installed = _package_version(source / "package.json")
    if installed != pinned:
        raise AssetError(f"node_modules/echarts is version {installed}, but package-lock.json pins {pinned}: "
                          "run `make install` (npm ci) to install the pinned ECharts.")
    target.mkdir(parents=True, exist_ok=True)
    wanted, destination = _sha256(source / "dist" / ECHARTS_FILE), target / ECHARTS_FILE
    if not (destination.is_file() and not destination.is_symlink() and _sha256(destination) == wanted):
        destination.unlink(missing_ok=True)  # a link planted in the site is replaced, not written through
        shutil.copyfile(source / "dist" / ECHARTS_FILE, destination)


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------

# In the calculators package but not in its wheels: the command line's entry point, which imports
# cli/ (YAML, the review) and which neither the browser nor an integrator runs.
LEFT_OUT = ("calculators/__main__.py",)
# What loadPyodide fetches for the core interpreter; the calculators need no other package.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
BOOT_SCRIPT = Path(__file__).resolve().parent / "pyodide_boot.mjs"
REST_OF_STDLIB = Path(__file__).resolve().parent / "pyodide_rest_of_stdlib.py"  # the build fills it in
BOOT_FILES = ("python_stdlib.pyc.zip", "calculators.pyc.whl", "calculators.snapshot", "boot.json")
# ECharts' "common" build: line charts, mark lines and areas, ARIA and both renderers, in one
# self-contained classic script (240 kB gzipped, against 368 kB for the full build).
ECHARTS_FILE = "echarts.common.min.js"
