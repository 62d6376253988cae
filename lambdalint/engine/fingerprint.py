"""Stable identities for findings (baselines, SARIF partialFingerprints, GitLab Code Quality).

A fingerprint names what was flagged, not where it sits: the rule, the project-relative path,
a hash of the flagged text with its whitespace normalized (for a template finding, of the
resource's anchor: logical id plus property path), and the finding's index among those with the
same key. Lines inserted above leave it unchanged; editing the flagged code changes it."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import replace

from lambdalint.core.finding import Finding
from lambdalint.core.span import Span

_WHITESPACE = re.compile(r"\s+")


def with_fingerprints(
    findings: list[Finding],
    relative: Callable[[str], str],
    text_of: Callable[[str], str | None],
    is_template: Callable[[str], bool],
) -> list[Finding]:
    """The findings with `fingerprint` set. `relative` maps a reported path to the project's
    root, `text_of` gives a file's text as analysed, `is_template` says whether the path is an
    IaC file (whose findings are keyed by anchor)."""
    lines: dict[str, list[str]] = {}

    def lines_of(path: str) -> list[str]:
        if path not in lines:
            lines[path] = (text_of(path) or "").splitlines()
        return lines[path]

    seen: dict[tuple[str, str, str], int] = {}
    fingerprints: dict[int, str] = {}
    for index in sorted(range(len(findings)), key=lambda i: findings[i].sort_key()):
        finding = findings[index]
        if finding.anchor and is_template(finding.path):
            content = finding.anchor
        else:
            content = flagged_text(finding.span, lines_of(finding.path))
        key = (finding.rule, relative(finding.path), _digest(content))
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        fingerprints[index] = _digest("\0".join([*key, str(occurrence)]))
    return [replace(f, fingerprint=fingerprints[i]) for i, f in enumerate(findings)]


def flagged_text(span: Span, lines: list[str]) -> str:
    """The span's text with whitespace runs collapsed; the whole line(s) when the span is a
    point or too short to say what it is (a directive's `#`, a parse error's column)."""
    if not 1 <= span.line <= len(lines):
        return ""
    last = min(span.end_line, len(lines))
    chosen = lines[span.line - 1 : last]
    whole = " ".join(chosen)
    if span.end_line == span.line:
        text = chosen[0][span.column - 1 : span.end_column - 1]
    else:
        text = "\n".join(
            [chosen[0][span.column - 1 :], *chosen[1:-1], chosen[-1][: span.end_column - 1]]
        )
    text = _WHITESPACE.sub(" ", text).strip()
    if len(text) < 2:
        text = _WHITESPACE.sub(" ", whole).strip()
    return text


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
