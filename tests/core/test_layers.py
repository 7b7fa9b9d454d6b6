"""No import cycles between apps (docs/architecture.md, "Layers").

Every import of src/mentora/<app>/ (at the top of a module or inside a function: an import moved into a
function to dodge a cycle is still a dependency) is read with `ast`, nothing is run; an app importing
another app draws an arrow. A cycle of arrows between apps fails the test, naming the files and lines of
each arrow in it. Migrations are left out (they name other apps' migrations by design).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import mentora

SOURCE = Path(mentora.__file__).resolve().parent


def app_imports(root: Path, package: str = "mentora") -> dict[tuple[str, str], list[str]]:
    """(importing app, imported app) -> the "path:line" of every such import under `root`."""
    apps = {path.name for path in root.iterdir() if path.is_dir() and (path / "__init__.py").exists()}
    arrows: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if len(relative.parts) < 2 or "migrations" in relative.parts:
            continue
        app, module_package = relative.parts[0], [package, *relative.parts[:-1]]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: from the module's own package, up `level - 1` packages
                    base = module_package[: len(module_package) - node.level + 1]
                    names = [".".join([*base, *([node.module] if node.module else [])])]
                else:
                    names = [node.module or ""]
                if names == [package]:  # from mentora import insights
                    names = [f"{package}.{alias.name}" for alias in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if len(parts) > 1 and parts[0] == package and parts[1] in apps and parts[1] != app:
                    arrows[(app, parts[1])].append(f"{relative}:{node.lineno}")
    return dict(arrows)


def cycles(arrows) -> list[list[str]]:
    """The groups of apps that import each other in a loop (strongly connected components of two or more)."""
    following: dict[str, set[str]] = defaultdict(set)
    for source, target in arrows:
        following[source].add(target)
    nodes = sorted(set(following) | {target for targets in following.values() for target in targets})
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's algorithm; a few dozen apps, recursion is fine
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(following[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in nodes:
        if node not in index:
            visit(node)
    return sorted(found)


def _explain(arrows, group: list[str]) -> str:
    lines = [" <-> ".join(group)]
    for (source, target), places in sorted(arrows.items()):
        if source in group and target in group:
            lines.append(f"  {source} -> {target}: {', '.join(places[:5])}")
    return "\n".join(lines)


def test_no_import_cycle_between_apps():
    arrows = app_imports(SOURCE)
    assert ("home", "core") in arrows  # the reading works: a known arrow is seen
    found = cycles(arrows)
    assert not found, "import cycles between apps:\n" + "\n".join(_explain(arrows, group) for group in found)


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_check_finds_a_cycle_however_it_is_written(tmp_path):
    """A tiny project of four apps: the finder sees absolute, `from mentora import x`, relative-free and
    in-function imports, and names the loop, not the app that only imports into it."""
    root = tmp_path / "mentora"
    _write(root, {
        "__init__.py": "",
        "low/__init__.py": "", "low/models.py": "X = 1\n",
        "middle/__init__.py": "", "middle/services.py": "from mentora.low.models import X\n",
        "high/__init__.py": "",
        "high/views.py": "from mentora import middle\nfrom .models import Y\n",
        "high/models.py": "Y = 2\n",
        "top/__init__.py": "", "top/api.py": "import mentora.high.views\n",
    })
    assert cycles(app_imports(root)) == []
    # The lower app reaches back up, inside a function, as code does to dodge a cycle at import time.
    _write(root, {"low/selectors.py": "def f():\n    from mentora.high.views import Y\n    return Y\n"})
    arrows = app_imports(root)
    assert arrows[("low", "high")] == ["low/selectors.py:2"]
    assert cycles(arrows) == [["high", "low", "middle"]]
    assert "low -> high: low/selectors.py:2" in _explain(arrows, ["high", "low", "middle"])


def test_the_check_fails_on_the_cycles_this_project_had(tmp_path):
    """The two cycles measured before they were closed (accounts/api/notifications/programs through the
    invitation notice, ilps/insights/meetings through the dashboard's data version), put back in a copy."""
    import shutil

    copy = tmp_path / "mentora"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("__pycache__", "templates", "static"))
    assert cycles(app_imports(copy)) == []
    (copy / "programs" / "reminder.py").write_text("from mentora.notifications.services import notify\n")
    (copy / "ilps" / "cache.py").write_text("def version():\n    from mentora.insights.tasks import WARMUP\n")
    found = cycles(app_imports(copy))
    assert any({"accounts", "api", "notifications", "programs"} <= set(group) for group in found)
    assert any({"ilps", "insights", "meetings"} <= set(group) for group in found)


# --- imports inside functions ------------------------------------------------------------------------


def in_function_imports(root: Path) -> list[tuple[str, int, bool]]:
    """(path, line, explained) of every import inside a function under `root` (migrations left out);
    explained: a comment stands on the import's line or on the line just above it."""
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if "migrations" in relative.parts:
            continue
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        pending: list[tuple[ast.AST, bool]] = [(ast.parse(text, filename=str(path)), False)]
        while pending:
            node, in_function = pending.pop()
            for child in ast.iter_child_nodes(node):
                if in_function and isinstance(child, (ast.Import, ast.ImportFrom)):
                    explained = "#" in lines[child.lineno - 1].split("import", 1)[1]
                    above = child.lineno - 2  # a comment above it, or above the run of imports it stands in
                    while above >= 0 and (not lines[above].strip() or lines[above].lstrip().startswith(
                            ("import ", "from "))):
                        above -= 1
                    explained = explained or (above >= 0 and lines[above].lstrip().startswith("#"))
                    found.append((str(relative), child.lineno, explained))
                pending.append((child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))))
    return sorted(found)


def test_an_import_inside_a_function_says_why():
    """Imports sit at the top of the module. The few that must run later (a heavy library loaded only when a
    PDF or a workbook is made, an optional one, a module imported in AppConfig.ready() because it imports
    models) say why in a comment, so the count does not creep back up unnoticed."""
    found = in_function_imports(SOURCE)
    assert found  # the reading works: apps' ready() import their signal modules
    unexplained = [f"{path}:{line}" for path, line, explained in found if not explained]
    assert not unexplained, ("imports inside a function without a comment saying why (move them to the top of "
                             "the module, or say why they must wait): " + ", ".join(unexplained))


def test_the_import_reader_tells_explained_from_unexplained(tmp_path):
    root = tmp_path / "mentora"
    _write(root, {"a/__init__.py": "", "a/views.py": (
        "import json\n\n\ndef f():\n    import csv\n    return csv, json\n\n\n"
        "def g():\n    # only when a PDF is made\n    from weasyprint import HTML\n\n    import zipfile  # stdlib, why?\n"
        "    return HTML, zipfile\n")})
    assert in_function_imports(root) == [("a/views.py", 5, False), ("a/views.py", 11, True), ("a/views.py", 13, True)]
