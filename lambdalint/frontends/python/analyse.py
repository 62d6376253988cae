"""One Python file's text in, its suppression comments and facts out."""

from __future__ import annotations

from lambdalint.frontends.python.comments import python_directives
from lambdalint.frontends.python.outline import Skim, outline
from lambdalint.frontends.registry import Analysis
from lambdalint.sources import SourceFile, module_name, parse_error


def analyse(source: SourceFile, text: str, parse: bool | Skim = True) -> Analysis:
    """Comments always (they may suppress engine findings); facts only when `parse` says code
    rules need them, since parsing is what costs; with `Skim`, only the outline the pre-pass
    decides by (the engine parses the files it selects in a second step)."""
    analysis = Analysis(directives=python_directives(text, source.display))
    if isinstance(parse, Skim):
        analysis.outline = outline(text, parse.tokens)
        return analysis
    if not parse:
        return analysis
    from lambdalint.frontends.python.parse import PythonSyntaxError, extract_facts

    try:
        analysis.model = extract_facts(text, source.display, module_name(source.path))
    except PythonSyntaxError as exc:
        analysis.findings.append(parse_error(source.display, str(exc), exc.line, exc.column))
    return analysis
