"""What rules report and what reporters print."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from lambdalint.core.span import NodeRef, Span


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {text!r} (expected error, warning or info)"
            ) from None

    def __str__(self) -> str:
        return self.name.lower()


Where = Span | NodeRef


@dataclass(frozen=True)
class Related:
    where: Where
    message: str


@dataclass(frozen=True)
class Edit:
    path: str
    start: int  # character offsets into the file's text
    end: int
    text: str


@dataclass(frozen=True)
class Fix:
    message: str
    applicability: str  # "safe", "unsafe" or "display-only"
    edits: tuple[Edit, ...]
    # The change as a unified diff (hunks only), rendered by the engine when --show-fixes asks.
    diff: str = ""

    def applies(self, unsafe: bool) -> bool:
        """Whether `--fix` applies it (`unsafe`: whether --unsafe-fixes was given)."""
        return self.applicability == "safe" or (unsafe and self.applicability == "unsafe")


@dataclass(frozen=True)
class Finding:
    """One problem. `where` is a Span, or a NodeRef the engine turns into a Span for reporting."""

    rule: str
    severity: Severity
    message: str
    where: Where
    related: tuple[Related, ...] = ()
    fix: Fix | None = None
    anchor: str = ""
    # Stable identity across runs (baselines, SARIF partialFingerprints, GitLab): set by the
    # engine after positions are known, never by a rule.
    fingerprint: str = ""

    @property
    def span(self) -> Span:
        assert isinstance(self.where, Span), "positions are resolved before reporting"
        return self.where

    @property
    def path(self) -> str:
        return self.where.path

    def sort_key(self) -> tuple:
        span = self.span
        return (span.path, span.line, span.column, self.rule, self.message)


# The reason a path given on the command line is skipped when it does not exist: an error.
PATH_NOT_FOUND = "no such file or directory"


@dataclass
class Skipped:
    path: str
    reason: str


@dataclass
class PassedOver(Skipped):
    """A file no frontend analyses (by its name, or by its content once read): not checked."""

    explicit: bool = False  # named on the command line, so the user is told even without -v


@dataclass
class RunResult:
    """Everything reporters and the CLI see."""

    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0  # files a frontend analysed, among those reported on
    skipped: list[Skipped] = field(default_factory=list)  # PassedOver entries among them
    timings: dict[str, float] = field(default_factory=dict)
    # Texts that were held in memory (stdin, an editor), by reported path, as they are after any
    # fixes: reporters show these instead of the files on disk.
    texts: dict[str, str] = field(default_factory=dict)
    # Each rule's page, by id, under the configured `help-url-base`: what reporters link to.
    help_urls: dict[str, str] = field(default_factory=dict)
    # The rules that ran (SARIF lists each one): set by the engine once fixing is done.
    rules: tuple[str, ...] = ()
    unmatched_baseline: int = 0  # baseline entries no finding matched any more
    unsafe_fixes: bool = False  # --unsafe-fixes: `--fix` would apply unsafe fixes too
    # Why rules stayed silent on something they would have judged (printed with --verbose).
    notes: list[str] = field(default_factory=list)

    @property
    def missing_paths(self) -> list[str]:
        return [skipped.path for skipped in self.skipped if skipped.reason == PATH_NOT_FOUND]
