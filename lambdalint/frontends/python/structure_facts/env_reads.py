"""The facts the `env_reads` visitor records: plain data, importable without libcst."""

from __future__ import annotations

from dataclasses import dataclass, field

NAME = "env_reads"


@dataclass(frozen=True)
class EnvRead:
    """One read of an environment variable whose name is known."""

    kind: str  # the node reported: "Subscript" (`os.environ["X"]`) or "Call" (`.get`, `getenv`)
    index: int  # pre-order index among nodes of that kind
    func: str  # "" at import time
    name: str
    # A read that fails when the variable is not set: `os.environ["X"]` outside a guard, or a
    # `.get("X")` without default whose result is used at once (`os.getenv("X").split(",")`).
    unguarded: bool = False
    default: str | None = None  # the literal text of a fallback (`.get("X", "Orders")`)
    has_default: bool = False  # any fallback, literal or not


@dataclass
class EnvReads:
    reads: list[EnvRead] = field(default_factory=list)
    # Variables the module tests for (`"X" in os.environ`): their reads are guarded.
    tested: set[str] = field(default_factory=set)
