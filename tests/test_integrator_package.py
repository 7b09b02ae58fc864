"""The calculators as an integrator installs them (/api/v1/'s wheel and bundle, hooks/feed.py).

The wheel goes into a fresh virtual environment that holds nothing else, with pip and no index:
if the calculators needed anything beyond the standard library, or a file the wheel leaves out,
the install or the import fails. Its answers are then compared with the CLI's, on every worked
example, in both languages.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from hooks.feed import write_package
from testsupport.checkout import ROOT
from testsupport.cli import run_cli

# What an integrator's program does with the two files: the example of docs/integrators/.
INTEGRATOR = """
import json, sys
from calculators.api import run
bundle = json.load(open(sys.argv[1], encoding="utf-8"))
answers = [run(bundle, e["calculator"], e["inputs"], as_of=e["as_of"], lang=lang)
           for e in bundle["examples"] for lang in ("en", "zh")]
print(json.dumps(answers, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def published(tmp_path_factory, bundle) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("api-v1")
    return folder, write_package(folder, bundle)


@pytest.fixture(scope="module")
def installed(tmp_path_factory, published) -> Path:
    """A fresh virtual environment with only the published wheel installed; its python."""
    folder, package = published
    env = tmp_path_factory.mktemp("integrator") / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", "--disable-pip-version-check",
                    folder / package["wheel"]["href"]], check=True, capture_output=True)
    return python


def test_the_index_names_each_file_by_its_sha256(published):
    folder, package = published
    assert package["wheel"]["href"].endswith("-py3-none-any.whl")
    for entry in package.values():
        assert hashlib.sha256((folder / entry["href"]).read_bytes()).hexdigest() == entry["sha256"]


def test_the_wheel_holds_the_calculators_without_the_command_line_and_its_record_is_true(published):
    folder, package = published
    with zipfile.ZipFile(folder / package["wheel"]["href"]) as wheel:
        names = wheel.namelist()
        record = wheel.read(next(n for n in names if n.endswith(".dist-info/RECORD"))).decode().splitlines()
        contents = {name: wheel.read(name) for name in names}
    modules = {n for n in names if n.endswith(".py")}
    assert modules == {f"calculators/{p.name}" for p in (ROOT / "calculators").glob("*.py")} - {"calculators/__main__.py"}
    assert not [n for n in names if n.endswith(("__main__.py", "batch.py"))]
    # pip and other installers trust RECORD: every file once, each with its own sha256 and size.
    rows = [line.split(",") for line in record]
    assert sorted(row[0] for row in rows) == sorted(names)
    for name, digest, size in rows:
        if digest:
            data = contents[name]
            assert digest == "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert int(size) == len(data)


def test_the_wheel_holds_sources_and_needs_nothing_installed(installed):
    listed = subprocess.run([installed, "-m", "pip", "list", "--format", "json"], capture_output=True, text=True,
                            check=True)
    assert {p["name"] for p in json.loads(listed.stdout)} <= {"pip", "setuptools", "calculators"}
    where = subprocess.run([installed, "-c", "import calculators.api as a; print(a.__file__)"], capture_output=True,
                           text=True, check=True, cwd="/")
    assert where.stdout.strip().endswith("site-packages/calculators/api.py")


def test_an_integrator_gets_the_cli_answer_on_every_worked_example(installed, published, bundle, tmp_path):
    folder, package = published
    script = tmp_path / "integrator.py"
    script.write_text(INTEGRATOR, encoding="utf-8")
    # cwd="/" and -I: the checkout's own calculators package cannot be the one imported.
    ran = subprocess.run([installed, "-I", script, folder / package["bundle"]["href"]], capture_output=True,
                         text=True, cwd="/")
    assert ran.returncode == 0, ran.stderr
    answers = iter(json.loads(ran.stdout))
    assert bundle["examples"]
    for example in bundle["examples"]:
        case = tmp_path / "case.json"
        case.write_text(json.dumps(example["inputs"]), encoding="utf-8")
        for lang in ("en", "zh"):
            cli = run_cli("run", example["calculator"], "--input", str(case), "--as-of", example["as_of"],
                          "--lang", lang)
            assert cli.returncode == 0, cli.stdout
            assert next(answers) == json.loads(cli.stdout), (example["title"]["en"], lang)
