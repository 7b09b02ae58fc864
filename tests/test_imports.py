"""Imports run one way (tools/imports.py): no cycle, the loader knows no calculator, only the
adapter knows MkDocs, and the tests and benchmarks share testsupport instead of each other."""

from __future__ import annotations

import ast
import contextlib
import io
import runpy

from testsupport.checkout import ROOT

tools = runpy.run_path(str(ROOT / "tools" / "imports.py"))


def test_there_is_no_import_cycle():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = tools["main"]([str(ROOT)])
    assert code == 0, out.getvalue()
    assert out.getvalue().rstrip().endswith("no cycles")


def test_the_direction_of_the_layers():
    edges = tools["graph"](ROOT)
    # The calculators (run in Pyodide) import nothing of the repository's; their entry point
    # hands over to the command line, and nothing imports it.
    assert not [b for (a, b) in edges if a == "calculators"]
    assert {b for (a, b) in edges if a == "calculators.__main__"} == {"cli"}
    assert not [a for (a, b) in edges if b == "calculators.__main__"]
    # The loader reads only the resolver's walker and source reader, never a calculator.
    assert set(edges[("policy_loader", "calculators")]) == {"calculators.policy"}
    assert not {("tests", "bench"), ("bench", "tests")} & set(edges)
    assert not [a for (a, b) in edges if b in ("tests", "bench") and a not in ("tests", "bench", "bench.__main__")]


def test_a_cycle_is_reported(tmp_path):
    for package, other in (("alpha", "beta"), ("beta", "alpha")):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text(f"from {other} import thing\n", encoding="utf-8")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert tools["main"]([str(tmp_path)]) == 1
    assert "cycle: alpha <-> beta" in out.getvalue()


def write_modules(root, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def test_a_package_main_is_part_of_its_package_unless_it_is_a_named_entry_point(tmp_path):
    # The loop calculators -> cli -> calculators counts when it starts from any module but the
    # entry point: a __main__ is not exempt by its name.
    write_modules(tmp_path, {"alpha/__init__.py": "", "alpha/__main__.py": "from beta import run\n",
                             "beta/__init__.py": "from alpha import thing\n"})
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert tools["main"]([str(tmp_path)]) == 1
    assert "cycle: alpha <-> beta" in out.getvalue()


def test_calculators_entry_point_is_exempt_but_no_other_module_of_the_package(tmp_path):
    write_modules(tmp_path, {"calculators/__init__.py": "", "calculators/__main__.py": "from cli.commands import main\n",
                             "calculators/api.py": "", "cli/__init__.py": "", "cli/commands.py": "from calculators import api\n"})
    with contextlib.redirect_stdout(io.StringIO()):
        assert tools["main"]([str(tmp_path)]) == 0
    (tmp_path / "calculators" / "api.py").write_text("import cli.commands\n", encoding="utf-8")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert tools["main"]([str(tmp_path)]) == 1
    assert "cycle: calculators <-> cli" in out.getvalue()


def test_only_the_adapter_imports_mkdocs():
    importers = set()
    for path in ROOT.glob("*/*.py"):
        if path.parts[-2] in ("tests", ".venv", "node_modules"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(name.split(".")[0] == "mkdocs" for name in names):
                importers.add(path.relative_to(ROOT).as_posix())
    assert importers == {"hooks/mkdocs_adapter.py"}
