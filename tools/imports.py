"""Print the import graph between the repository's top-level packages, and any cycle.

    python tools/imports.py [ROOT] [--modules]

Reads every .py file with the standard library's ast (nothing is imported or run), counting
imports inside functions too. A node is a top-level package (calculators, policy_loader, ...).
The modules named in ENTRY_POINTS are nodes of their own: `python -m` runs them, so what they
import is the program's dependency, not their package's (calculators/__main__.py hands over to
cli/, above calculators/). Each line is `a -> b` with the modules of
b that a imports (--modules lists the importing files). Cycles are looked for between packages
and between the modules of one package (policy_loader.bundle <-> policy_loader.crosscheck, say).
Exit 0 when there is no cycle, 1 when there is one (each is printed).
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from pathlib import Path

SKIPPED = {".venv", "node_modules", "site", ".git", "__pycache__"}
# The modules `python -m NAME` runs and nothing imports: each is a node of its own.
ENTRY_POINTS = {
    "calculators.__main__",  # `python -m calculators`, the name design.md gives the CLI; the CLI is cli/
    "bench.__main__",  # `python -m bench`
}


def node_of(module: str, packages: set[str]) -> str | None:
    """The graph node of a dotted module name, or None when it is not the repository's."""
    top = module.split(".")[0]
    if top not in packages:
        return None
    return module if module in ENTRY_POINTS else top


def modules(root: Path) -> dict[str, Path]:
    """Dotted name -> file, for every module of the repository's top-level packages."""
    packages = {p.name for p in root.iterdir() if p.is_dir() and p.name not in SKIPPED and any(p.glob("*.py"))}
    out = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if rel.parts[0] in packages and not SKIPPED & set(rel.parts):
            out[".".join(rel.with_suffix("").parts).removesuffix(".__init__")] = path
    return out


def module_edges(root: Path) -> dict[str, set[str]]:
    """Module -> the repository's modules it imports (a package's __init__ counts as the package)."""
    known = modules(root)
    edges: dict[str, set[str]] = defaultdict(set)
    for module, path in known.items():
        for imported in _imports(path, module, known):
            if imported in known and imported != module:
                edges[module].add(imported)
    return edges


def graph(root: Path) -> dict[tuple[str, str], dict[str, set[str]]]:
    """(from node, to node) -> {imported module: {importing file, ...}}."""
    known = modules(root)
    packages = {m.split(".")[0] for m in known}
    edges: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for module, targets in module_edges(root).items():
        source = node_of(module, packages)
        for imported in targets:
            target = node_of(imported, packages)
            if target != source:
                edges[(source, target)][imported].add(str(known[module].relative_to(root)))
    return edges


def cycles(nodes: set[str], edges) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan)."""
    succ = defaultdict(list)
    for a, b in edges:
        succ[a].append(b)
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in succ[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/imports.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("root", nargs="?", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--modules", action="store_true", help="also list the importing files of each edge")
    args = parser.parse_args(argv)
    edges = graph(Path(args.root))
    for (a, b), modules in sorted(edges.items()):
        print(f"{a} -> {b}  ({', '.join(sorted(modules))})")
        if args.modules:
            for module, files in sorted(modules.items()):
                print(f"    {module}: {', '.join(sorted(files))}")
    found = cycles({n for edge in edges for n in edge}, edges)
    inner = module_edges(Path(args.root))
    pairs = {(a, b) for a, targets in inner.items() for b in targets if a.split(".")[0] == b.split(".")[0]}
    found += cycles({n for pair in pairs for n in pair}, pairs)
    for component in found:
        print("cycle: " + " <-> ".join(component))
    if not found:
        print("no cycles")
    return 1 if found else 0


def _imports(path: Path, module: str, known: dict):
    """The modules a file imports. `from pkg import sub` imports pkg.sub (and pkg only for a name
    that is not a module: the package's __init__ itself is not a design dependency)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from . import x, from ..a import b
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            for alias in node.names:
                yield f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base


if __name__ == "__main__":
    sys.exit(main())
