"""Baselines: the findings a project accepted on the day it adopted lambdalint, recorded by the
engine's fingerprint, so that later runs report only what is new.

Fingerprints are counted as a multiset: a baseline holding one finding with a fingerprint hides
one finding with it, never a second copy. A finding without a fingerprint is never hidden.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from pathlib import Path

from lambdalint.core.finding import Finding

VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be read or is not one of ours."""


def write_baseline(path: Path, findings: list[Finding]) -> int:
    """Record `findings` (rule, path and message beside each fingerprint, for reviewers of the
    file's diff); returns how many were recorded. Written atomically."""
    entries = sorted(
        (
            {"fingerprint": f.fingerprint, "rule": f.rule, "path": f.path, "message": f.message}
            for f in findings
            if f.fingerprint
        ),
        key=lambda entry: (entry["path"], entry["rule"], entry["fingerprint"]),
    )
    text = json.dumps({"version": VERSION, "findings": entries}, indent=2) + "\n"
    folder = path.resolve().parent
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return len(entries)


def read_baseline(path: Path) -> Counter[str]:
    """The recorded fingerprints with how often each was recorded."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}:{exc.lineno}: not JSON: {exc.msg}") from None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise BaselineError(f"{path}: not a lambdalint baseline (version {VERSION})")
    entries = data.get("findings")
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries
    ):
        raise BaselineError(f"{path}: `findings` must be a list of objects with a fingerprint")
    return Counter(entry["fingerprint"] for entry in entries)


def subtract(findings: list[Finding], baseline: Counter[str]) -> tuple[list[Finding], int]:
    """The findings the baseline does not hide, and how many baseline entries matched nothing
    (fixed since, and worth removing by writing the baseline again)."""
    left = Counter(baseline)
    new = []
    for finding in findings:
        if finding.fingerprint and left[finding.fingerprint] > 0:
            left[finding.fingerprint] -= 1
        else:
            new.append(finding)
    return new, sum(left.values())
