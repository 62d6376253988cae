"""Python code inlined in templates (`InlineCode`, `Code.ZipFile`): each becomes a module of its
own whose findings are placed back on the template's lines (LL211). Template handlers with code
on disk are linked in frontends/python/linking.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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


def inline_modules(
    results: list[FileResult], cache_root: str | None = None
) -> tuple[list[InlineModule], list[Finding]]:
    """Each inline code block as a module, its facts from the cache under `cache_root` when this
    text was analysed before (as a Python file's are); LL001 for a block that does not parse."""
    modules: list[InlineModule] = []
    errors: list[Finding] = []
    facts = _InlineFacts(cache_root)
    for result, template in _templates(results):
        lines = _template_lines(result)
        for function in template.functions:
            code = function.inline_code.text()
            span = function.inline_code.span
            if not code or span is None or not python_runtime(function):
                continue
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
            found = facts.of(code, inline.display, module_name)
            if isinstance(found, Exception):  # the code does not parse
                where = inline.place(
                    Span(inline.display, found.line, found.column, found.line, found.column + 1)
                )
                message = f"inline code of {function.logical_id}: {found}"
                errors.append(parse_error(template.path, message, where.line, where.column))
                continue
            inline.facts = found
            modules.append(inline)
    facts.save()
    return modules, errors


class _InlineFacts:
    """Facts of inline code blocks, cached by their text as Python files' are: a warm run
    neither parses them nor imports libcst. Written in one transaction at the end."""

    def __init__(self, cache_root: str | None):
        from lambdalint.engine.cache import Cache

        self.cache = Cache(Path(cache_root)) if cache_root is not None else None
        self.fresh: list[tuple[str, object]] = []

    def of(self, code: str, display: str, module_name: str) -> object:
        """The block's ModuleFacts, or the PythonSyntaxError saying why it does not parse."""
        key = None
        if self.cache is not None:
            from lambdalint.engine.cache import cache_key

            key = cache_key("inline", display, module_name, code)
            cached = self.cache.get(key)
            if _own_facts(cached, display, module_name):
                return cached
        # Imported only now: most runs have no inline code (or have it cached), no libcst.
        from lambdalint.frontends.python.parse import PythonSyntaxError, extract_facts

        try:
            facts = extract_facts(code, display, module_name)
        except PythonSyntaxError as exc:
            return exc
        if key is not None:
            self.fresh.append((key, facts))
        return facts

    def save(self) -> None:
        if self.cache is not None and self.fresh:
            self.cache.put_many(self.fresh)


def _own_facts(cached: object, display: str, module_name: str) -> bool:
    """A cache entry is this block's facts only when it says so (an entry is input)."""
    from lambdalint.frontends.python.facts import ModuleFacts

    return (
        isinstance(cached, ModuleFacts) and cached.path == display and cached.module == module_name
    )


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
