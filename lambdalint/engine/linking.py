"""Python code inlined in templates (`InlineCode`, `Code.ZipFile`): each becomes a module of its
own whose findings are placed back on the template's lines (LL211). Template handlers with code
on disk are linked in frontends/python/linking.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from lambdalint.core.finding import Finding
from lambdalint.core.span import Span
from lambdalint.engine.work import FileResult, parse_error
from lambdalint.frontends.python.linking import handler_parts, python_runtime
from lambdalint.model import Function, Template


def _templates(results: list[FileResult]):
    for result in results:
        if isinstance(result.template, Template):
            yield result, result.template


@dataclass
class InlineModule:
    """Python code inlined in a template, analysed as a module of its own."""

    display: str  # a virtual path, "template.yaml::MyFunction"
    function: Function  # the model function whose code it is
    template_path: str  # the template's display path
    code: str
    facts: object | None
    start: Span  # the scalar holding the code
    first_line: int  # the template line of the code's first line; 0 when the code is not a block
    indent: int  # the block's indentation (columns to add)

    def place(self, span: Span) -> Span:
        """A span in the code, as a span in the template."""
        if not self.first_line:
            return self.start
        return Span(
            self.template_path,
            self.first_line + span.line - 1,
            span.column + self.indent,
            self.first_line + span.end_line - 1,
            span.end_column + self.indent,
        )


def inline_modules(results: list[FileResult]) -> tuple[list[InlineModule], list[Finding]]:
    modules: list[InlineModule] = []
    errors: list[Finding] = []
    for result, template in _templates(results):
        lines = _template_lines(result)
        for function in template.functions:
            code = function.inline_code.text()
            span = function.inline_code.span
            if not code or span is None or not python_runtime(function):
                continue
            # Imported only now: most runs have no inline code and need no libcst.
            from lambdalint.frontends.python.parse import PythonSyntaxError, extract_facts

            parts = handler_parts(function)
            module_name = parts[0].replace("/", ".") if parts else "index"
            first_line, indent = _block_position(lines, span, code)
            inline = InlineModule(
                f"{template.path}::{function.logical_id}",
                function,
                template.path,
                code,
                None,
                span,
                first_line,
                indent,
            )
            try:
                inline.facts = extract_facts(code, inline.display, module_name)
            except PythonSyntaxError as exc:
                where = inline.place(
                    Span(inline.display, exc.line, exc.column, exc.line, exc.column + 1)
                )
                errors.append(
                    parse_error(
                        template.path,
                        f"inline code of {function.logical_id}: {exc}",
                        where.line,
                        where.column,
                    )
                )
                continue
            modules.append(inline)
    return modules, errors


def _template_lines(result: FileResult) -> list[str]:
    try:
        return result.source.path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    except OSError:
        return []


def _block_position(lines: list[str], span: Span, code: str) -> tuple[int, int]:
    """Where a YAML block scalar's content starts: the line after the `|` and its indentation.
    Anything else (quoted strings, JSON) cannot be mapped line by line: (0, 0)."""
    header = lines[span.line - 1][span.column - 1 :] if 0 < span.line <= len(lines) else ""
    if not header.lstrip().startswith("|"):
        return 0, 0
    first_code_line = next((line for line in code.splitlines() if line.strip()), None)
    for number in range(span.line + 1, min(span.end_line + 1, len(lines) + 1)):
        text = lines[number - 1]
        if text.strip():
            indent = len(text) - len(text.lstrip(" "))
            if first_code_line is not None and text[indent:] != first_code_line.lstrip(" "):
                return 0, 0
            # The block's first content line is the code's first non-blank line.
            offset = next(i for i, line in enumerate(code.splitlines()) if line.strip())
            return number - offset, indent
    return 0, 0
