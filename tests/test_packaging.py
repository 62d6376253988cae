"""What installing lambdalint brings: every package the code imports is declared."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
# In the standard library from 3.11 on; on 3.10 the code imports the declared `tomli` instead.
STDLIB_SINCE_3_11 = {"tomllib"}


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imported_top_level_modules() -> set[str]:
    modules: set[str] = set()
    for path in (ROOT / "lambdalint").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules - set(sys.stdlib_module_names) - STDLIB_SINCE_3_11 - {"lambdalint"}


def test_every_imported_package_is_declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {
        _normalized(re.match(r"[A-Za-z0-9_.-]+", requirement).group())
        for requirement in project["dependencies"]
    }
    distributions = packages_distributions()
    undeclared = {
        module: names
        for module in _imported_top_level_modules()
        # A module not installed here (tomli on 3.11+) is its own distribution name.
        if not declared & (names := {_normalized(d) for d in distributions.get(module, [module])})
    }
    assert undeclared == {}, "imported by lambdalint/ but missing from pyproject dependencies"
