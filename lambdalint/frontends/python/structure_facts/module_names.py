"""The facts the `module_names` visitor records: plain data, importable without libcst."""

from __future__ import annotations

from dataclasses import dataclass, field

NAME = "module_names"


@dataclass
class ModuleNames:
    # Names bound at module scope by anything but `def`/`class`/imports, which the core facts
    # hold: `handler = Mangum(app)`, `for`/`with` targets, `global` assignments in functions.
    bound: set[str] = field(default_factory=set)
    star_import: bool = False  # `from x import *` may bind any name
    module_getattr: bool = False  # a module-level `__getattr__` answers any name
