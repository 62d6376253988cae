"""`# lambdalint: ...` comments, as every frontend hands them to the suppression step."""

from __future__ import annotations

import re
from dataclasses import dataclass

DIRECTIVE = re.compile(
    r"lambdalint\s*:\s*(?P<kind>file-ignore|ignore)\b(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE
)


@dataclass(frozen=True)
class Directive:
    path: str
    line: int
    column: int
    kind: str  # "ignore" (this line, or the next when alone on its line), "file-ignore", or
    # "metadata" (a resource's `Metadata: {lambdalint: {ignore: [...]}}`: what sits under `anchor`)
    codes: tuple[str, ...]  # as written; empty means every rule
    own_line: bool  # the comment stands alone on its line
    anchor: str = ""  # for "metadata": the resource's logical path, "Resources/OrderFn"


def parse_comment(
    comment: str, path: str, line: int, column: int, own_line: bool
) -> Directive | None:
    """The directive in one comment's text (starting at its `#`), or None."""
    match = DIRECTIVE.search(comment)
    if match is None:
        return None
    codes_text = match.group("codes")
    codes = tuple(c.strip() for c in codes_text.split(",") if c.strip()) if codes_text else ()
    return Directive(path, line, column, match.group("kind").lower(), codes, own_line)


def scan_hash_comments(text: str, path: str) -> list[Directive]:
    """Directives in `#` comments of a line-oriented format (YAML, HCL, TOML).

    A `#` inside a quoted scalar could fool this, but only when it also spells a directive."""
    directives = []
    for number, line in enumerate(text.splitlines(), start=1):
        if "lambdalint" not in line:
            continue
        position = line.find("#")
        while position != -1:
            directive = parse_comment(
                line[position:], path, number, position + 1, not line[:position].strip()
            )
            if directive is not None:
                directives.append(directive)
                break
            position = line.find("#", position + 1)
    return directives
