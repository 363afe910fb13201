"""No import cycle among the modules of portal/ and functions/chalicelib/ (issue 12).

The graph is read with ast from the source files: every import that runs when a module is
loaded (module level, class bodies, `if TYPE_CHECKING:` blocks, try/except), not those inside
functions. `from package import name` depends on the package and, when `name` is a module of
ours, on that module too.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]
SOURCES = {"portal": ROOT / "portal", "chalicelib": ROOT / "functions" / "chalicelib"}


def module_files() -> dict[str, Path]:
    """Every module of ours by its dotted name (a package by its own name)."""
    modules: dict[str, Path] = {}
    for top, folder in SOURCES.items():
        for path in sorted(folder.rglob("*.py")):
            parts = [top, *path.relative_to(folder).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _load_time_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Import statements run when the module is loaded (function bodies are skipped)."""
    found: list[ast.Import | ast.ImportFrom] = []
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.append(child)
            pending.append(child)
    return found


def _absolute(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module a `from … import` names, resolving leading dots."""
    if not node.level:
        return node.module or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def import_graph() -> dict[str, set[str]]:
    """For each of our modules, the modules of ours it imports while loading."""
    files = module_files()
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in _load_time_imports(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = _absolute(name, path.name == "__init__.py", node)
                targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            for target in targets:
                # `import a.b.c` loads a, a.b and a.b.c: each one of ours is a dependency.
                parts = target.split(".")
                for end in range(1, len(parts) + 1):
                    dependency = ".".join(parts[:end])
                    # Python loads a module's own packages before the module whatever it
                    # imports (`from . import db`), so an edge to them says nothing.
                    if dependency in files and not f"{name}.".startswith(f"{dependency}."):
                        graph[name].add(dependency)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def _describe(component: frozenset[str], graph: dict[str, set[str]]) -> str:
    """A component with the imports that tie it together."""
    edges = [f"{a} -> {b}" for a in sorted(component) for b in sorted(graph[a] & component)]
    return "{" + ", ".join(sorted(component)) + "}: " + "; ".join(edges)


def test_the_graph_sees_every_kind_of_load_time_import() -> None:
    graph = import_graph()
    assert "chalicelib.config" in graph["chalicelib.school_year"]  # from .config import settings
    assert "chalicelib.clock" in graph["chalicelib.school_year"]  # from . import clock
    assert "portal.sis.oneroster" in graph["portal.sis.validate"]
    # A module's own packages load first anyway: no edge, so `from . import db` is no cycle.
    assert "portal.notices" not in graph["portal.notices.render"]
    assert "chalicelib.storage.db" in graph["chalicelib.storage.tables"]
    fake = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from portal.sis import model\n"
        "def f() -> None:\n    from portal.sis import report\n"
    )
    seen = {alias.name for node in _load_time_imports(fake) for alias in node.names}
    assert seen == {"TYPE_CHECKING", "model"}


def test_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [frozenset({"a", "b", "c"})]


def test_no_import_cycle() -> None:
    graph = import_graph()
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n".join(_describe(c, graph) for c in found)


def test_every_module_imports() -> None:
    modules = sorted(module_files())
    script = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    done = subprocess.run(
        [sys.executable, "-c", script, *modules],
        cwd=ROOT / "functions",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_the_importer_does_not_need_the_generator() -> None:
    graph = import_graph()
    importer = {m for m in graph if m == "portal.sis" or m.startswith("portal.sis.")}
    needs = {d for m in importer for d in graph[m]}
    assert importer and not [d for d in needs if d.startswith("portal.synthetic")]
