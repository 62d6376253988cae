"""What placing a file's findings produced (spans of node references, fixes), remembered.

Placing re-parses the file with libcst and runs the fix builders: on a project with many findings
it cost as much as the analysis, on every run. An entry is keyed by everything it depends on: the
file's path and text, the references placed, the fixable findings (rule, where, message) and what
the fixing rules read besides the tree (their options and `fix_input`). Entries live in the
project's SQLite cache (engine/cache.py: input, allow-listed classes, a bad entry is a miss) and,
for a warm session, in memory.

No libcst here: a warm run that finds every entry must not import it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lambdalint.core.finding import Finding, Fix
from lambdalint.core.span import NodeRef, Span

if TYPE_CHECKING:
    from lambdalint.core.rule import Rule
    from lambdalint.engine.cache import Cache


@dataclass
class Located:
    """What placing one file produced in this run (engine/fix_locate.py)."""

    spans: dict[NodeRef, Span]
    fixes: dict[int, Fix]  # by the finding's index in the list handed to `locate`
    failures: list[tuple[Rule, Exception]]


@dataclass(frozen=True)
class LocatedEntry:
    spans: tuple[tuple[NodeRef, Span], ...]
    # By position among the file's fixable findings, as handed to the fix session.
    fixes: tuple[tuple[int, Fix], ...]


def located_key(
    path: str,
    text: str,
    refs: Iterable[NodeRef],
    fixable: list[Finding],
    rules: dict[str, Rule],
) -> str:
    """What a located entry depends on. A rule whose fix reads more than the finding and the
    tree (LL109: the function's timeout) says what through `fix_input(finding)`."""
    from lambdalint.engine.cache import cache_key

    parts = [repr(sorted({repr(ref) for ref in refs}))]
    for finding in fixable:
        rule = rules[finding.rule]
        reads = getattr(rule, "fix_input", None)
        extra = reads(finding) if reads is not None else None
        parts.append(repr((finding.rule, finding.where, finding.message, extra)))
    for rule_id in sorted({finding.rule for finding in fixable}):
        rule = rules[rule_id]
        # The builder's name too: the tool's fingerprint covers its code, not a replaced one.
        builder = getattr(type(rule), "fix", None)
        named = f"{getattr(builder, '__module__', '')}.{getattr(builder, '__qualname__', '')}"
        parts.append(repr((rule_id, named, sorted(rule.options.items(), key=repr))))
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return cache_key("located", path, digest, *parts)


class LocatedStore:
    """Located entries read from and written to the on-disk cache and/or a session's memory.
    Writes wait for `flush`, to go into the cache in one transaction."""

    def __init__(self, cache: Cache | None = None, memory: dict[str, LocatedEntry] | None = None):
        self.cache = cache
        self.memory = memory
        self.pending: list[tuple[str, LocatedEntry]] = []
        self.used: set[str] = set()

    def get(self, key: str) -> LocatedEntry | None:
        entry = self.memory.get(key) if self.memory is not None else None
        if entry is None and self.cache is not None:
            entry = _checked(self.cache.get(key))
            if entry is not None and self.memory is not None:
                self.memory[key] = entry
        if entry is not None:
            self.used.add(key)
        return entry

    def put(self, key: str, entry: LocatedEntry) -> None:
        self.used.add(key)
        if self.memory is not None:
            self.memory[key] = entry
        if self.cache is not None:
            self.pending.append((key, entry))

    def forget_unused(self) -> None:
        """Keep in memory only the entries this run used: a session's memory stays the size of
        the files' current findings."""
        if self.memory is not None:
            for key in [key for key in self.memory if key not in self.used]:
                del self.memory[key]

    def flush(self) -> None:
        if self.cache is not None and self.pending:
            self.cache.put_many(self.pending)
        self.pending = []


def _checked(value: Any) -> LocatedEntry | None:
    """The decoder checked each field's type; a value of another class under this key is a miss."""
    return value if isinstance(value, LocatedEntry) else None
