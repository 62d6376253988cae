"""Reporters: each turns the same sorted findings into one output format. They never decide."""

from __future__ import annotations

from collections.abc import Callable

from lambdalint.core.finding import RunResult

FORMATS = ("text", "concise", "json")


def reporter(name: str) -> Callable[[RunResult, bool], str]:
    if name == "json":
        from lambdalint.report.json import render
    elif name == "concise":
        from lambdalint.report.concise import render
    else:
        from lambdalint.report.text import render
    return render
