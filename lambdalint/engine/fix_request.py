"""What a run is asked to do about fixes, and what a fixing run returns: apart from the fix
engine, which loads libcst, so that the CLI, the cache and a remembered run can name them
without paying for that import."""

from __future__ import annotations

from dataclasses import dataclass, field

from lambdalint.core.finding import Fix, RunResult, Skipped


@dataclass(frozen=True)
class FixRequest:
    """What the user asked for: `apply` writes files, `diff` renders what would change, `show`
    only attaches fixes to the findings (for the JSON output)."""

    mode: str  # "apply", "diff" or "show"
    unsafe: bool = False
    diffs: bool = False  # --show-fixes: render each fix's diff for the reporters

    def applies(self, fix: Fix) -> bool:
        return fix.applies(self.unsafe)


@dataclass
class FixedRunResult(RunResult):
    """A run that computed fixes: what was (or would be) fixed, and what could not be."""

    fixed: int = 0  # findings whose fix was applied (or would be, with --diff)
    files_fixed: list[str] = field(default_factory=list)
    diff: str = ""  # only in diff mode
    not_written: list[Skipped] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # "path: LLxxx fix dropped: why"
