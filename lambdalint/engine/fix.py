"""Autofixes: asking rules for them, applying them in rounds, writing files, rendering diffs.

A code rule offers a fix by defining `fix(finding, tree, node) -> Fix | None`. The engine calls it
only when fixes are asked for (`--fix`, `--diff`, `--unsafe-fixes`, `--show-fixes`), during the
re-parse that places the file's findings, so fixes cost nothing on an ordinary run.

Applying is cautious: edits of one round never overlap (the rest wait for the next round), a fix
whose result does not parse or that re-linting still reports is dropped, and a file that changed on
disk since it was read is left alone. Files are written through a temporary file and `os.replace`.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import stat
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from lambdalint.core.files import TooLarge, leaves, read_regular
from lambdalint.core.finding import Edit, Finding, Fix, RunResult, Skipped
from lambdalint.core.rule import Rule
from lambdalint.core.span import NodeRef, Span
from lambdalint.engine.fix_request import FixedRunResult, FixRequest
from lambdalint.engine.located import Located, LocatedEntry, LocatedStore, located_key
from lambdalint.frontends.python.facts import ModuleFacts
from lambdalint.sources import SourceFile, read_bytes, source_encoding

MAX_ROUNDS = 5  # each round re-lints the changed files; fixes that wait on others get this many


# -- the texts a fixing run works on -------------------------------------------------------


@dataclass
class FileText:
    source: SourceFile
    data: bytes  # as read from disk
    encoding: str
    original: str
    current: str


def decode(source: SourceFile, data: bytes) -> tuple[str, str] | None:
    """The text and encoding the analysis used for these bytes (as `work.read_text` does)."""
    try:
        encoding = source_encoding(source.kind, data)
        text = data.decode(encoding)
    except (UnicodeDecodeError, SyntaxError, LookupError):
        return None
    return text.removeprefix("\ufeff"), encoding


def parse_check(text: str) -> bool:
    """Whether fixed text still parses (with the parser the analysis uses)."""
    from lambdalint.frontends.python.parse import PythonSyntaxError, parse_module

    try:
        parse_module(text)
    except PythonSyntaxError:
        return False
    return True


def finding_key(finding: Finding) -> tuple[str, str, str, str]:
    """What names a finding across edits of its file (positions move, these do not)."""
    return (finding.rule, finding.path, finding.anchor, finding.message)


class FixSession:
    """One run's fixing state: the texts being fixed and which fixes were given up on."""

    def __init__(
        self, request: FixRequest, rules: dict[str, Rule], store: LocatedStore | None = None
    ):
        self.request = request
        self.store = store  # what earlier runs located, by content
        self.rules = {rule_id: rule for rule_id, rule in rules.items() if hasattr(rule, "fix")}
        self.files: dict[str, FileText] = {}
        self.rejected: set[tuple[str, str, str, str]] = set()
        self.dropped: list[str] = []
        self.applied: Counter[str] = Counter()  # fixes applied, by file

    # -- reading and locating --------------------------------------------------------------

    def text(self, source: SourceFile) -> str | None:
        """The file's current text: as fixed so far, or as read from disk the first time."""
        known = self.files.get(source.display)
        if known is not None:
            return known.current
        if source.text is not None:
            data = source.text.encode("utf-8", "surrogatepass")
            self.files[source.display] = FileText(source, data, "utf-8", source.text, source.text)
            return source.text
        data, _ = read_bytes(source, 1 << 40)  # a regular file of the project, or nothing
        if data is None:
            return None
        decoded = decode(source, data)
        if decoded is None:
            return None
        text, encoding = decoded
        self.files[source.display] = FileText(source, data, encoding, text, text)
        return text

    def can_fix(self, finding: Finding) -> bool:
        return finding.rule in self.rules and isinstance(finding.where, NodeRef)

    def locate(
        self,
        path: str,
        text: str,
        refs: list[NodeRef],
        fixable: list[tuple[int, Finding]],
        facts: ModuleFacts | None = None,
    ) -> Located:
        """Spans for the file's node references, and the fixes its rules offer: remembered, or
        found in one parse."""
        if self.store is None:
            return self._locate(path, text, refs, fixable, facts)
        key = located_key(path, text, refs, [finding for _, finding in fixable], self.rules)
        entry = self.store.get(key)
        if entry is not None and _fits(entry, path, text, refs, len(fixable)):
            fixes = {fixable[position][0]: fix for position, fix in entry.fixes}
            return Located(dict(entry.spans), fixes, [])
        located = self._locate(path, text, refs, fixable, facts)
        if not located.failures:  # a builder that failed is reported again next time
            fixes = tuple(
                (position, located.fixes[index])
                for position, (index, _) in enumerate(fixable)
                if index in located.fixes
            )
            self.store.put(key, LocatedEntry(tuple(located.spans.items()), fixes))
        return located

    def _locate(
        self,
        path: str,
        text: str,
        refs: list[NodeRef],
        fixable: list[tuple[int, Finding]],
        facts: ModuleFacts | None,
    ) -> Located:
        # libcst is loaded only here: a run whose every file is remembered never needs it.
        from lambdalint.engine.fix_locate import locate_nodes

        return locate_nodes(path, text, refs, fixable, facts, self.rules)

    # -- rounds ------------------------------------------------------------------------------

    def plan(self, findings: list[Finding]) -> dict[str, list[Finding]]:
        """Per file, the fixes to apply this round: applicable, not given up on, and not
        touching an edit already chosen (those wait for the next round)."""
        chosen: dict[str, list[Finding]] = {}
        taken: dict[str, list[tuple[int, int]]] = {}
        for finding in sorted(findings, key=_first_edit):
            fix = finding.fix
            if fix is None or not self.request.applies(fix) or finding.path not in self.files:
                continue
            if finding_key(finding) in self.rejected:
                continue
            ranges = taken.setdefault(finding.path, [])
            if any(_touch(edit, other) for edit in fix.edits for other in ranges):
                continue
            ranges.extend((edit.start, edit.end) for edit in fix.edits)
            chosen.setdefault(finding.path, []).append(finding)
        return chosen

    def apply(self, path: str, chosen: list[Finding]) -> list[Finding]:
        """Apply the chosen fixes to the file's text, each kept only if the result parses."""
        state = self.files[path]
        base = state.current
        kept: list[Edit] = []
        applied = []
        for finding in chosen:
            candidate = apply_edits(base, [*kept, *finding.fix.edits])
            if parse_check(candidate):
                kept.extend(finding.fix.edits)
                applied.append(finding)
            else:
                self.reject(finding, "the fixed code would not parse")
        state.current = apply_edits(base, kept)
        return applied

    def reject(self, finding: Finding, why: str) -> None:
        self.rejected.add(finding_key(finding))
        span = finding.span if isinstance(finding.where, Span) else None
        where = f"{finding.path}:{span.line}" if span else finding.path
        self.dropped.append(f"{where}: {finding.rule} fix dropped: {why}")

    def changed(self) -> list[FileText]:
        return [state for state in self.files.values() if state.current != state.original]


def _fits(entry: LocatedEntry, path: str, text: str, refs: list[NodeRef], fixable: int) -> bool:
    """A remembered entry is input (a repository can ship its cache): it may only place the
    references asked about in this file and offer fixes that edit this text."""
    asked = set(refs)
    if any(ref not in asked or span.path != path for ref, span in entry.spans):
        return False
    return all(
        0 <= position < fixable and _well_formed(fix, path, len(text))
        for position, fix in entry.fixes
    )


def _first_edit(finding: Finding) -> tuple:
    fix = finding.fix
    start = min((edit.start for edit in fix.edits), default=0) if fix else 0
    return (finding.path, start, finding.rule, finding.message)


def _touch(edit: Edit, other: tuple[int, int]) -> bool:
    """Edits that overlap or meet (two insertions at one point included) are applied in
    different rounds: their order would otherwise be a guess."""
    return edit.start <= other[1] and other[0] <= edit.end


def _well_formed(fix: Fix, path: str, length: int) -> bool:
    """One file, inside the text, edits not overlapping each other."""
    edits = sorted(fix.edits, key=lambda e: (e.start, e.end))
    if not edits or any(e.path != path or not 0 <= e.start <= e.end <= length for e in edits):
        return False
    return all(
        a.end <= b.start and a.start != b.start for a, b in zip(edits, edits[1:], strict=False)
    )


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Non-overlapping edits applied from the end, so earlier offsets stay valid."""
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text


def fix_rounds(
    session: FixSession,
    findings: list[Finding],
    relint: Callable[[set[str]], list[Finding]],
) -> list[Finding]:
    """Apply fixes round by round until none is left (or MAX_ROUNDS): each round re-lints the
    changed files, and a fix whose finding is still reported is dropped and its file reverted."""
    for _ in range(MAX_ROUNDS):
        plan = session.plan(findings)
        if not plan:
            break
        before = {path: session.files[path].current for path in plan}
        applied = {path: session.apply(path, chosen) for path, chosen in plan.items()}
        changed = {path for path in plan if session.files[path].current != before[path]}
        if not changed:
            continue
        counts_before = Counter(finding_key(f) for f in findings)
        after = relint(changed)
        counts_after = Counter(finding_key(f) for f in after)
        wanted = Counter(finding_key(f) for fixes in applied.values() for f in fixes)
        failed = {
            path
            for path, fixes in applied.items()
            for f in fixes
            if counts_after[finding_key(f)] > counts_before[finding_key(f)] - wanted[finding_key(f)]
        }
        for path in failed:
            for finding in applied[path]:
                key = finding_key(finding)
                if counts_after[key] > counts_before[key] - wanted[key]:
                    session.reject(finding, "re-linting still reports the finding")
            session.files[path].current = before[path]
        if failed:
            after = relint(failed)
        for path in changed - failed:
            session.applied[path] += len(applied[path])
        findings = after
    return findings


# -- output --------------------------------------------------------------------------------


def render_diff(states: list[FileText]) -> str:
    chunks = []
    for state in sorted(states, key=lambda s: s.source.display):
        lines = difflib.unified_diff(
            _lines(state.original),
            _lines(state.current),
            fromfile=state.source.display,
            tofile=state.source.display,
        )
        chunks.append("".join(lines))
    return "".join(chunks)


def with_diff(session: FixSession, finding: Finding) -> Finding:
    """The finding with its fix's diff rendered against the file as it is now (hunks only, one
    line of context: it is printed under the finding, which names the file)."""
    state = session.files.get(finding.path)
    if finding.fix is None or state is None:
        return finding
    fixed = apply_edits(state.current, list(finding.fix.edits))
    lines = difflib.unified_diff(_lines(state.current), _lines(fixed), n=1)
    hunks = "".join(line for line in lines if not line.startswith(("---", "+++")))
    return replace(finding, fix=replace(finding.fix, diff=hunks))


def _lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines


def write_file(state: FileText) -> str | None:
    """Write the fixed text in place of the file; the reason when it is not written.

    Never through a symlink that leaves the project, never into a read-only file. The file keeps
    its mode and owner: a new file is written beside it and renamed over it, except a file with
    hard links, which is rewritten in place so every link sees the fix."""
    path = state.source.path
    if leaves(path, state.source.scan_root):
        return "a symlink to a file outside the project; not written"
    try:
        if read_regular(path, max(len(state.data), 1)) != state.data:
            return "changed on disk since it was read; not written"
        data = state.current.encode(state.encoding)
        target = Path(os.path.realpath(path))
        status = target.stat()
    except TooLarge:
        return "changed on disk since it was read; not written"
    except UnicodeEncodeError:
        return f"the fixed text cannot be encoded as {state.encoding}; not written"
    except OSError as exc:
        return f"cannot read it again: {exc.strerror or exc}; not written"
    if not status.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return "the file is read-only; not written"
    try:
        if status.st_nlink > 1:
            with open(target, "r+b") as stream:
                stream.write(data)
                stream.truncate()
        else:
            _replace(target, data, status)
    except OSError as exc:
        return f"cannot write it: {exc.strerror or exc}"
    state.data = data
    return None


def _replace(target: Path, data: bytes, status: os.stat_result) -> None:
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, stat.S_IMODE(status.st_mode))
        if hasattr(os, "chown"):
            with contextlib.suppress(OSError):  # only root may give a file away
                os.chown(temporary, status.st_uid, status.st_gid)
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def finish(
    session: FixSession,
    findings: list[Finding],
    relint: Callable[[set[str]], list[Finding]],
    base: RunResult,
) -> FixedRunResult:
    """Write (or diff) what the rounds changed and say what happened. The findings reported
    are those of the files as they are now."""
    changed = session.changed()
    result = FixedRunResult(
        findings=findings,
        files_checked=base.files_checked,
        skipped=base.skipped,
        timings=base.timings,
        help_urls=base.help_urls,
        texts={**base.texts, **{s.source.display: s.current for s in changed if s.source.text}},
        files_fixed=sorted(state.source.display for state in changed),
        dropped=list(session.dropped),
        unsafe_fixes=session.request.unsafe,
    )
    if session.request.mode == "diff":
        result.diff = render_diff(changed)
    elif session.request.mode == "apply":
        # A text held in memory is handed back (RunResult.texts), never written to disk.
        for state in (state for state in changed if state.source.text is None):
            reason = write_file(state)
            if reason is not None:
                result.not_written.append(Skipped(state.source.display, reason))
                result.files_fixed.remove(state.source.display)
        if result.not_written:
            result.findings = relint(
                {s.path for s in result.not_written if _reload(session, s.path)}
            )
    result.fixed = sum(session.applied[path] for path in result.files_fixed)
    if session.request.diffs:
        result.findings = [with_diff(session, finding) for finding in result.findings]
    return result


def _reload(session: FixSession, path: str) -> bool:
    """Take a file that was not written as it now is on disk, to report its findings."""
    state = session.files[path]
    try:
        decoded = decode(state.source, state.source.path.read_bytes())
    except OSError:
        decoded = None
    state.current = decoded[0] if decoded else state.original
    state.original = state.current
    return True
