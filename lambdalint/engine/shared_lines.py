"""One finding for one line shared by several resources (a SAM `Globals` property seen by every
function): rules judge each function, the user reads the line once, naming the functions."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from lambdalint.core.finding import Finding

NAME = "\x00"  # stands for the resource's name while messages are compared


def merge_shared_lines(findings: list[Finding]) -> list[Finding]:
    """Findings of one rule on one span, whose messages differ at most by the name of the
    resource they are about, become one finding that names them all. Anything else is kept
    as it is: two different messages on one line are two problems."""
    groups: dict[tuple, list[Finding]] = defaultdict(list)
    for finding in findings:
        groups[(finding.rule, finding.span, finding.severity)].append(finding)
    merged: list[Finding] = []
    for group in groups.values():
        merged.extend(_merged(group) if len(group) > 1 else group)
    return merged


def _merged(group: list[Finding]) -> list[Finding]:
    subjects = [_subject(finding.anchor) for finding in group]
    if any(finding.fix for finding in group) or "" in subjects or len(set(subjects)) < len(group):
        return group
    shapes = {
        re.sub(rf"(?<![\w-]){re.escape(subject)}(?![\w-])", NAME, finding.message)
        for finding, subject in zip(group, subjects, strict=True)
    }
    if len(shapes) != 1:
        return group
    (shape,) = shapes
    ordered = sorted(zip(subjects, group, strict=True), key=lambda pair: pair[0])
    names = [subject for subject, _ in ordered]
    listed = ", ".join(names[:-1]) + " and " + names[-1]
    if NAME in shape:
        message = shape.replace(f"function {NAME}", f"functions {listed}").replace(NAME, listed)
    else:
        message = f"{shape} (shared by {listed})"
    related = sorted(
        dict.fromkeys(r for _, finding in ordered for r in finding.related),
        key=lambda r: (r.where.path, r.where.line, r.where.column, r.message),
    )
    return [replace(ordered[0][1], message=message, related=tuple(related))]


def _subject(anchor: str) -> str:
    """The logical id a template finding is about (`Resources/OrdersFunction/...`), or the
    function key in a serverless.yml (`functions/orders`, where `provider` is the shared line)."""
    parts = anchor.split("/")
    return parts[1] if len(parts) > 1 and parts[0] in ("Resources", "functions") else ""
