"""Reporters: each turns the same sorted findings into one output format. They never decide."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from lambdalint.core.finding import RunResult

# Format name -> the module that renders it (imported only when asked for).
MODULES = {
    "text": "text",
    "concise": "concise",
    "json": "json",
    "json-lines": "json_lines",
    "sarif": "sarif",
    "github": "github",
    "gitlab": "gitlab",
    "junit": "junit",
    "lsp-json": "lsp_json",
}
FORMATS = tuple(MODULES)
# Formats for people; the others are read by programs and stay free of colour and progress.
HUMAN = ("text", "concise")


def reporter(name: str) -> Callable[[RunResult, bool], str]:
    module = importlib.import_module(f"lambdalint.report.{MODULES[name]}")
    return module.render
