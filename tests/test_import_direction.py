"""Imports point one way: cli -> engine -> rules / frontends / report -> api -> model / facts ->
core, and `core` imports nothing of ours. Every `import` of the package is read with `ast` (type-
checking imports too: they are the same dependency to a reader), so a rule that reaches into the
engine or a core module that reaches up fails here, with the file and line."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "lambdalint"

# What each part of the package may import, besides itself and the package's own __init__ (its
# version, nothing else), which every part but core may read. Parts are named by `part_of`.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "data": set(),
    "facts": set(),  # frontends/python/facts.py: the plain data the Python frontend produces
    "model": {"core"},
    "api": {"core", "model", "facts"},
    "sources": {"core"},  # reading a file's bytes and text, disk or in-memory overlay
    "frontends": {"core", "model", "facts", "api", "data", "sources"},
    # The least-privilege policy a handler needs: printed by `policy`, compared by LL504.
    "least_privilege": {"core", "model", "facts", "api", "data", "frontends"},
    "rules": {"core", "model", "facts", "api", "data", "frontends", "least_privilege"},
    "report": {"core", "model", "api", "sources"},
    "config": {"core"},
    "docs": {"core", "config"},
    "engine": {
        "core",
        "model",
        "facts",
        "api",
        "data",
        "sources",
        "frontends",
        "rules",
        "report",
        "config",
    },
    # The language server: the engine's findings as diagnostics, beside the command line.
    "lsp": {"core", "engine", "report", "config"},
    "cli": {
        "core",
        "model",
        "api",
        "engine",
        "report",
        "config",
        "docs",
        "least_privilege",
        "lsp",
    },  # fmt: skip
    "__main__": {"cli"},
    "package": set(),  # lambdalint/__init__.py
}

# Edges against the direction that are being removed, each with why. The test fails when one
# no longer exists, so that it is deleted here too.
KNOWN_EXCEPTIONS: set[tuple[str, str]] = set()


def part_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "package"
    if module == "lambdalint.frontends.python.facts":
        return "facts"
    return parts[1]


def module_name(path: Path, root: Path) -> str:
    relative = path.relative_to(root.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path) -> list[tuple[str, int]]:
    """(imported module, line) for every import of the package in one file."""
    module = module_name(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((target, node.lineno))
    return [(target, line) for target, line in found if target.split(".")[0] == root.name]


def edges(root: Path) -> list[tuple[str, str, str]]:
    """(importer, imported, "file:line") across the package."""
    found = []
    for path in sorted(root.rglob("*.py")):
        importer = module_name(path, root)
        for imported, line in imports_of(path, root):
            found.append((importer, imported, f"{path.relative_to(root.parent)}:{line}"))
    return found


def violations(found: list[tuple[str, str, str]], exceptions=frozenset()) -> list[str]:
    bad = []
    for importer, imported, where in found:
        source, target = part_of(importer), part_of(imported)
        if source == target or target in ALLOWED.get(source, set()):
            continue
        if target == "package" and source != "core":
            continue
        if (importer, imported) in exceptions:
            continue
        bad.append(f"{where}: {importer} ({source}) imports {imported} ({target})")
    return bad


def test_imports_follow_the_layering():
    assert violations(edges(PACKAGE), KNOWN_EXCEPTIONS) == []


def test_known_exceptions_still_exist():
    present = {(importer, imported) for importer, imported, _ in edges(PACKAGE)}
    stale = KNOWN_EXCEPTIONS - present
    assert not stale, f"remove these from KNOWN_EXCEPTIONS, they are gone: {sorted(stale)}"


def test_every_part_of_the_package_has_a_place_in_the_layering():
    parts = {part_of(module_name(path, PACKAGE)) for path in PACKAGE.rglob("*.py")}
    assert parts - set(ALLOWED) == set()


@pytest.mark.parametrize(
    ("file", "text", "expected"),
    [
        ("rules/code/ll999.py", "from lambdalint.engine.run import run\n", "(rules) imports"),
        ("rules/code/ll999.py", "from ...engine import work\n", "lambdalint.engine"),
        ("core/span.py", "from lambdalint.model import Val\n", "(core) imports"),
        ("core/rule.py", "from lambdalint import __version__\n", "(core) imports"),
        ("frontends/python/x.py", "import lambdalint.engine.fix\n", "(frontends) imports"),
        ("model/x.py", "from lambdalint.api import Reach\n", "(model) imports"),
        ("report/x.py", "from lambdalint.rules import code\n", "(report) imports"),
        (
            "api.py",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from lambdalint.frontends.python.project import Project\n",
            "(api) imports",
        ),
    ],
)
def test_an_import_against_the_direction_is_caught(tmp_path, file, text, expected):
    root = tmp_path / "lambdalint"
    target = root / file
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    found = violations(edges(root))
    assert len(found) == 1 and expected in found[0] and found[0].startswith(f"lambdalint/{file}:")


def test_allowed_imports_are_not_caught(tmp_path):
    root = tmp_path / "lambdalint"
    (root / "rules").mkdir(parents=True)
    (root / "rules" / "x.py").write_text(
        "from lambdalint.api import CodeContext\nfrom lambdalint.frontends.python.facts import ENV\n"
        "from . import y\nimport json\n",
        encoding="utf-8",
    )
    assert violations(edges(root)) == []
