"""The facts the `env_writes` visitor records: plain data, importable without libcst."""

from __future__ import annotations

from dataclasses import dataclass, field

NAME = "env_writes"

ENVIRON_METHODS = frozenset({"update", "setdefault", "pop", "popitem", "clear"})
EVERY_VARIABLE = "*"  # `clear()` and `popitem()` remove variables whose names are not written


@dataclass(frozen=True)
class EnvWrite:
    kind: str  # the node reported: "Assign", "Del" or "Call"
    index: int  # pre-order index among nodes of that kind
    func: str  # "" at import time
    names: tuple[str, ...]  # variables written or deleted, by literal name (or EVERY_VARIABLE)
    how: str  # "`os.environ[...] = ...`", "`os.environ.pop(...)`", "`del os.environ[...]`"
    main_only: bool  # under `if __name__ == "__main__":`, which never runs in Lambda


@dataclass
class EnvWrites:
    writes: list[EnvWrite] = field(default_factory=list)
