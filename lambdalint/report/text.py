"""ruff-style output: a headline, a code frame with the span underlined, then a summary."""

from __future__ import annotations

from lambdalint.core.files import read_for_display
from lambdalint.core.finding import Finding, RunResult, Severity
from lambdalint.report.concise import FIXABLE, fix_diff, headline
from lambdalint.report.summary import fix_summary, summary

BOLD, RED, YELLOW, BLUE, CYAN, DIM, RESET = (
    "\x1b[1m",
    "\x1b[31m",
    "\x1b[33m",
    "\x1b[34m",
    "\x1b[36m",
    "\x1b[2m",
    "\x1b[0m",
)
SEVERITY_COLOR = {Severity.ERROR: RED, Severity.WARNING: YELLOW, Severity.INFO: BLUE}


class _Lines:
    def __init__(self, texts: dict[str, str] | None = None) -> None:
        # Texts held in memory (stdin, an editor) are shown as analysed, not as on disk.
        self.files: dict[str, list[str] | None] = {
            path: text.splitlines() for path, text in (texts or {}).items()
        }

    def get(self, path: str, line: int) -> str | None:
        if path not in self.files:
            data = read_for_display(path)  # never a device, FIFO or link out of the project
            self.files[path] = (
                None if data is None else data.decode("utf-8", errors="replace").splitlines()
            )
        lines = self.files[path]
        if lines is None or not 1 <= line <= len(lines):
            return None
        return lines[line - 1]


def frame(finding: Finding, lines: _Lines, color: bool) -> list[str]:
    span = finding.span
    text = lines.get(span.path, span.line)
    if text is None:
        return []
    text = text.expandtabs(1)
    end = span.end_column if span.end_line == span.line else len(text) + 1
    width = max(end - span.column, 1)
    gutter = " " * len(str(span.line))
    marker = "^" * width + f" {finding.rule}"
    if color:
        marker = SEVERITY_COLOR[finding.severity] + marker + RESET
    output = [
        f"{gutter} |",
        f"{span.line} | {text}",
        f"{gutter} | {' ' * (span.column - 1)}{marker}",
    ]
    for related in finding.related:
        where = related.where
        output.append(
            f"{gutter} = note: {where.path}:{where.line}:{where.column}: {related.message}"
        )
    return output


def render(result: RunResult, color: bool = False, quiet: bool = False) -> str:
    lines = _Lines(result.texts)
    output: list[str] = []
    for finding in result.findings:
        head = headline(finding, result.unsafe_fixes)
        if color:
            span = finding.span
            location = f"{span.path}:{span.line}:{span.column}:"
            severity = SEVERITY_COLOR[finding.severity] + str(finding.severity) + RESET
            fixable = finding.fix is not None and finding.fix.applies(result.unsafe_fixes)
            mark = f" {CYAN}{FIXABLE}{RESET}" if fixable else ""
            head = (
                f"{BOLD}{location}{RESET} {BOLD}{RED}{finding.rule}{RESET}{mark} [{severity}] "
                f"{finding.message}"
            )
        output.append(head)
        output.extend(frame(finding, lines, color))
        output.extend(fix_diff(finding))
        output.append("")
    if quiet:
        return "".join(line + "\n" for line in output)
    closing = summary(result)
    output.append(f"{BOLD}{closing}{RESET}" if color else closing)
    output.extend(fix_summary(result))
    return "\n".join(output) + "\n"
